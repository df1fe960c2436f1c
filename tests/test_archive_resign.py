"""A review reopened and signed off again reaches the archive: push replaces its files in the
same folder in a commit that says so; a colleague's pull says the archive holds a newer
sign-off (bundle import keeps a review it already holds) and their push never overwrites it."""

from __future__ import annotations

import time

import pytest

from reviewapp.store import ReviewStore
from tests.archive_editors import Editor
from tests.conftest import file_digest

pytestmark = [pytest.mark.secret_service, pytest.mark.slow]


def _next_second() -> None:
    """Sign-off times are whole seconds: let the re-sign be later than the first sign-off."""
    now = int(time.time())
    while int(time.time()) == now:
        time.sleep(0.05)


def _resign(editor: Editor, review_id: int) -> None:
    _next_second()
    editor.ok("reopen", review_id, "--reason", "a correction came in")
    editor.ok("signoff", review_id, "--reviewer", editor.name, "--email", editor.email)


def _signature(editor: Editor, review_id: int) -> str:
    store = ReviewStore(editor.db)
    try:
        signoff = store.load_review(review_id).current_signoff
        assert signoff is not None
        return signoff.signature
    finally:
        store.close()


def test_a_re_signed_review_is_pushed_into_its_folder_and_a_pull_says_it_is_newer(
    ada, bea, tmp_path
):
    shared = tmp_path / "shared.git"
    review_id = ada.signed_review("Budget story")
    ada.ok("archive", "init", shared)
    ada.ok("archive", "push")
    bea.ok("archive", "clone", shared)
    (folder,) = (ada.archive / "reviews").glob("*/*/*")
    first_sig = (folder / "review.md.sig").read_text()
    assert first_sig.strip() == _signature(ada, review_id).strip()

    _resign(ada, review_id)
    pushed = ada.ok("archive", "push")
    assert f"re-signed {folder.relative_to(ada.archive).as_posix()}" in pushed.out
    # the same folder, its files replaced by the newer sign-off
    assert list((ada.archive / "reviews").glob("*/*/*")) == [folder]
    assert (folder / "review.md.sig").read_text().strip() == _signature(ada, review_id).strip()
    assert (folder / "review.md.sig").read_text() != first_sig
    subject = ada.git("log", "-1", "--format=%s").strip()
    assert subject.startswith("Re-sign 1 review(s): budget-story-")
    checked = ada.git(
        "-c",
        "gpg.ssh.program=ssh-keygen",
        "-c",
        f"gpg.ssh.allowedSignersFile={ada.archive / 'allowed_signers'}",
        "verify-commit",
        "HEAD",
    )
    assert f'Good "git" signature for {ada.email}' in checked
    # pushing again has nothing to do
    assert "nothing to push; 1 signed-off review(s) already" in ada.ok("archive", "push").out

    # Bea holds the first sign-off: her pull verifies the new commit and says what it holds.
    before = file_digest(bea.db)
    pulled = bea.ok("archive", "pull")
    assert "not imported: " in pulled.out and "holds a newer sign-off" in pulled.out
    assert "by Ada Editor" in pulled.out
    assert file_digest(bea.db) == before  # the review here stays as it is
    # and her push never puts her older sign-off back over the newer one (once she may push:
    # her own review gives her a key, and Ada trusts it)
    bea.signed_review("Bea's own story")
    ada.ok("archive", "trust", bea.key_line(), "--fingerprint", bea.fingerprint())
    pushed = bea.ok("archive", "push")
    assert "added reviews/" in pushed.out and "re-signed" not in pushed.out
    assert "pushed 1 review(s) in commit" in pushed.out
    resigned = bea.archive / folder.relative_to(ada.archive)
    assert (resigned / "review.md.sig").read_text().strip() == _signature(ada, review_id).strip()
