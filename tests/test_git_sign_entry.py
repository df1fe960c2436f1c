"""git's signing program is reached the short way: no command line package, no GUI, no store,
and the frozen app's launcher answers ``--git-sign`` (issue 18: a push signs every commit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewapp.workflows import archive
from tests.conftest import ROOT

LAUNCHER = ROOT / "packaging" / "launcher.py"

# What starting the signer must not import: each costs start-up time on every signed commit.
HEAVY = (
    "reviewapp.cli",
    "reviewapp.store",
    "reviewapp.launch",
    "PySide6",
    "sqlite_utils",
    "trafilatura",
    "lxml",
    "docx",
    "argparse",
)


def _run_launcher(tmp_path: Path, *args: str) -> dict:
    """Run packaging/launcher.py as the frozen app runs it; its exit, stderr and imports."""
    script = f"""
import json, runpy, sys
sys.argv = [{str(LAUNCHER)!r}, *{list(args)!r}]
code = None
try:
    runpy.run_path({str(LAUNCHER)!r}, run_name='__main__')
except SystemExit as exc:
    code = exc.code
print(json.dumps({{'code': code, 'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))
"""
    env = {**os.environ, "REVIEWAPP_SECRET_STORE": "memory"}
    done = subprocess.run(
        [sys.executable, "-P", "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    answer["stderr"] = done.stderr
    return answer


def test_the_launcher_answers_git_sign_without_importing_the_app(tmp_path):
    key_file, buffer = tmp_path / "key", tmp_path / "buffer"
    key_file.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== x\n")
    buffer.write_bytes(b"tree 0\n")
    answer = _run_launcher(
        tmp_path,
        *("--git-sign", "--account", "ada@example.org"),
        *("-Y", "sign", "-n", "git", "-f", str(key_file), str(buffer)),
    )
    # The signer itself answered (one line, exit 1: this throwaway store holds no key) ...
    assert answer["code"] == 1
    assert answer["stderr"].startswith("reviewapp (git signing): ")
    assert len(answer["stderr"].strip().splitlines()) == 1
    assert not buffer.with_name("buffer.sig").exists()
    # ... without the command line package, the store or Qt.
    assert answer["heavy"] == []


def test_the_launcher_still_runs_the_command_line_otherwise(tmp_path):
    answer = _run_launcher(tmp_path, "--version")
    assert answer["code"] in (0, None)
    assert "reviewapp.cli" in answer["heavy"]


def test_the_console_script_answers_git_sign_too(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--git-sign", "-Y", "sign", "-n", "git"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("reviewapp (git signing): expected: -Y sign")


def test_the_archive_wrapper_of_a_frozen_app_runs_the_app_itself(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Review App/reviewapp")
    script = archive._signing_program("ada@example.org")
    assert "exec '/opt/Review App/reviewapp' --git-sign --account ada@example.org \"$@\"" in script


def test_the_archive_wrapper_keeps_the_working_copy_off_the_import_path(tmp_path):
    """The wrapper runs where git runs it: inside the archive, whose files are not code."""
    script = archive._signing_program("ada@example.org")
    assert " -P -c " in script
    trap = tmp_path / "reviewapp"
    trap.mkdir()
    (trap / "__init__.py").write_text("raise SystemExit('imported from the working copy')\n")
    wrapper = tmp_path / "sign"
    wrapper.write_text(script)
    wrapper.chmod(0o755)
    done = subprocess.run(
        [str(wrapper), "-Y", "sign", "-n", "git"], capture_output=True, text=True, cwd=tmp_path
    )
    assert "imported from the working copy" not in done.stderr
    assert done.stderr.startswith("reviewapp (git signing): expected: -Y sign")


@pytest.mark.parametrize("module", ["reviewapp.workflows.gitsign"])
def test_the_signing_module_imports_nothing_heavy(module):
    script = f"import sys, {module}; print([m for m in {HEAVY!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
