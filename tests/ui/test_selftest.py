"""`reviewapp --self-test`: the installation checks itself in a subprocess, as a user runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHECKS = (
    "display",
    "resources",
    "sqlite",
    "keyring",
    "extraction",
    "qt",
    "workers",
    "database",
    "window",
    "imported sample",
    "claims and source",
    "window painted",
    "signed off",
    "exported",
    "verified",
)


def run_self_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "TMPDIR": str(tmp_path),
        # Any use of the system keyring would fail: the sign-off must use a memory key.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "reviewapp", "--self-test"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.timeout(150)
def test_the_self_test_passes_and_prints_each_check(tmp_path):
    result = run_self_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("reviewapp self-test (reviewapp ")
    for name in CHECKS:
        assert any(line.startswith(f"ok  {name}: ") for line in lines), name
    assert not [line for line in lines if line.startswith("FAIL")]
    assert re.search(r"^ok  imported sample: \d+ blocks, [\d,]+ characters$", result.stdout, re.M)
    assert re.search(r"^ok  signed off: memory key SHA256:\S+$", result.stdout, re.M)
    assert re.search(r"^ok  window painted: \d+x\d+ px, \d+ colours$", result.stdout, re.M)
    # The display a real window would meet, read before the self-test went offscreen, and
    # whether a sign-off could keep its key (here it cannot: the fail backend is forced).
    assert re.search(
        r"^ok  display: QT_QPA_PLATFORM=offscreen given; without it: ", result.stdout, re.M
    )
    assert re.search(
        r"^ok  keyring: .*; signing keys cannot be kept here yet: no system keyring is available "
        r"\(keyring backend: fail\.Keyring\); .*KeePassXC",
        result.stdout,
        re.M,
    )
    assert re.fullmatch(r"self-test passed: \d+ checks, in [\d.]+ s", lines[-1])


@pytest.mark.timeout(150)
def test_the_export_also_verifies_with_ssh_keygen_when_it_is_installed(tmp_path):
    result = run_self_test(tmp_path)
    if "skip ssh-keygen verify: ssh-keygen is not installed" in result.stdout:
        pytest.skip("ssh-keygen is not installed here")
    assert 'ok  ssh-keygen verify: Good "reviewapp" signature for ' in result.stdout


@pytest.mark.timeout(150)
def test_the_self_test_writes_nothing_outside_its_temporary_folder(tmp_path):
    result = run_self_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    folder = re.search(r"new database in (\S+) ", result.stdout)
    assert folder is not None
    assert not Path(folder.group(1)).exists(), "the temporary folder was left behind"
    written = [p for p in (tmp_path / "home").rglob("*") if p.is_file()]
    assert written == []


@pytest.mark.timeout(150)
def test_a_broken_install_fails_naming_what_is_missing(tmp_path):
    """An install without its sample drafts: the checks that need them fail, exit 1."""
    empty = tmp_path / "no-seeds"
    empty.mkdir()
    result = run_self_test(tmp_path, REVIEWAPP_SEEDS=str(empty))
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("FAIL resources: missing ") and "amazon-anthropic" in line for line in lines
    )
    assert any(line.startswith("FAIL imported sample: ") for line in lines)
    assert "skip signed off: not run, imported sample failed" in lines
    assert "ok  sqlite: " in result.stdout  # the checks that do not need the sample still run
    assert re.fullmatch(
        r"self-test FAILED: 2 of \d+ checks failed \(resources, imported sample\); "
        r"\d+ not run, in [\d.]+ s",
        lines[-1],
    )
