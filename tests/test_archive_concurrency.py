"""Two editors pushing to one archive at once: the second push is refused by git as not a
fast-forward, and archive push pulls and redoes its commit on top; a review both editors hold
is written once."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.secrets import KeyringSecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.archive import push_archive
from tests.archive_editors import Editor, require_tools, start_editor

pytestmark = [pytest.mark.secret_service, pytest.mark.slow]


@pytest.fixture
def editors(tmp_path: Path) -> Iterator[tuple[Editor, Editor]]:
    require_tools()
    ada = start_editor(tmp_path, "Ada Editor", "ada@example.org")
    bea = start_editor(tmp_path, "Bea Editor", "bea@example.org")
    yield ada, bea
    bea.stop()
    ada.stop()


def _titles(editor: Editor) -> list[str]:
    store = ReviewStore(editor.db)
    try:
        return sorted(r.title for r in store.list_reviews())
    finally:
        store.close()


def _folders(shared: Path) -> list[str]:
    out = subprocess.run(
        ["git", "ls-tree", "-d", "--name-only", "-r", "main", "reviews"],
        cwd=shared,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(path.rsplit("/", 1)[-1] for path in out if path.count("/") == 3)


def test_a_second_push_is_redone_on_top_and_a_shared_review_is_not_duplicated(
    editors, tmp_path, monkeypatch
):
    ada, bea = editors
    shared = tmp_path / "shared.git"
    ada.signed_review("Ada one")
    ada.ok("archive", "init", shared)
    ada.ok("archive", "push")
    bea.signed_review("Bea one")
    ada.ok("archive", "trust", bea.key_line(), "--fingerprint", bea.fingerprint())
    bea.ok("archive", "clone", shared)
    # The same review on both computers: Bea imported Ada's bundle before either pushed it.
    shared_review = ada.signed_review("Shared one")
    bundle = tmp_path / "shared-one.json"
    ada.ok("export", shared_review, "--format", "json", "-o", bundle)
    bea.ok("import-bundle", bundle)
    ada.signed_review("Ada two")

    # Bea pushes from this process (her keyring, her home); between her commit and her push,
    # Ada pushes from her computer, so git refuses Bea's push as not a fast-forward.
    for name, value in bea.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("REVIEWAPP_SECRET_STORE", raising=False)
    raced: list[str] = []

    def ada_pushes_first() -> None:
        if not raced:
            raced.append(ada.ok("archive", "push").out)

    store = ReviewStore(bea.db)
    try:
        result = push_archive(store, KeyringSecretStore(), bea.db, on_committed=ada_pushes_first)
    finally:
        store.close()
    assert "pushed 2 review(s)" in raced[0]  # Ada's shared one and Ada two went in first
    assert result.attempts == 2
    assert [folder.rsplit("/", 1)[-1].rsplit("-", 1)[0] for folder in result.written] == ["bea-one"]
    assert result.already == 3  # Ada one, Shared one (Bea's copy) and Ada two
    folders = _folders(shared)
    assert [f.rsplit("-", 1)[0] for f in folders] == ["ada-one", "ada-two", "bea-one", "shared-one"]
    # Bea's redo pulled Ada two in; Ada's pull brings Bea one.
    assert _titles(bea) == ["Ada one", "Ada two", "Bea one", "Shared one"]
    pulled = ada.ok("archive", "pull")
    assert "1 review(s) imported" in pulled.out
    assert _titles(ada) == ["Ada one", "Ada two", "Bea one", "Shared one"]
    # The history is linear and every commit carries a good signature by its editor.
    log = subprocess.run(
        [
            "git",
            "-c",
            f"gpg.ssh.allowedSignersFile={ada.archive / 'allowed_signers'}",
            "-c",
            "gpg.ssh.program=ssh-keygen",
            "log",
            "--show-signature",
            "--format=%an %p",
        ],
        cwd=ada.archive,
        capture_output=True,
        text=True,
        env={**ada.env, "LC_ALL": "C"},
    ).stdout
    assert log.count('Good "git" signature for ada@example.org') == 4  # init, push, trust, push
    assert log.count('Good "git" signature for bea@example.org') == 1
    assert "Bad" not in log


def test_an_editor_not_yet_trusted_cannot_push(editors, tmp_path):
    ada, bea = editors
    shared = tmp_path / "shared.git"
    ada.signed_review("Ada one")
    ada.ok("archive", "init", shared)
    bea.signed_review("Bea one")
    bea.ok("archive", "clone", shared)
    refused = bea.run("archive", "push")
    assert refused.code == 2
    assert "is not in the archive's allowed_signers" in refused.err
    assert "reviewapp archive trust" in refused.err
    assert _folders(shared) == []
