"""ruff is clean over the project, and mypy over the layers that hold the evidence."""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (pip install -r requirements.lock)")
    return path


def test_ruff_finds_nothing():
    result = subprocess.run(
        [_tool("ruff"), "check", "reviewapp", "tests", "benchmarks", "packaging"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_is_clean_on_core_store_signing_and_secrets():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "reviewapp/core",
            "reviewapp/store",
            "reviewapp/signing",
            "reviewapp/secrets",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
