"""run_git with more input than a pipe holds: git gets all of it and answers (the archive asks
``git cat-file --batch`` for thousands of objects at once when it pulls many reviews)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from reviewapp.workflows.gitrepo import read_objects, run_git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def test_a_large_batch_of_objects_is_read_in_one_git(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    blobs = [f"object {n}\n".encode() * 20 for n in range(3000)]
    names = run_git(
        ["hash-object", "-w", "--stdin-paths"],
        tmp_path,
        input=b"".join(_paths(tmp_path, blobs)),
    ).text.split()
    # 3,000 names and one that is not there: ~120 KB in, ~600 KB out, past any pipe buffer
    read = read_objects(tmp_path, [*names, "0" * 40])
    assert read[:-1] == blobs
    assert read[-1] is None


def _paths(folder, blobs):
    for n, blob in enumerate(blobs):
        path = folder / f"b{n}"
        path.write_bytes(blob)
        yield f"{path}\n".encode()
