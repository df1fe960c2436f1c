"""Review › Import Co-signature… and Review › Request Second Review through the Shared
Archive…: real windows (offscreen), a second editor with their own library and key, real
signatures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from reviewapp.export.files import export_review
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows import second_review as second
from reviewapp.workflows.archive import archive_path
from reviewapp.workflows.signoff import sign_off
from tests.conftest import examine_suggestions, file_digest
from tests.test_signoff_fixtures import ready_review
from tests.ui.shown import errors_shown

BOB, BOB_EMAIL = "Bob Second", "bob@example.org"


def cosigned_review(db_path: Path, tmp_path: Path) -> tuple[int, Path]:
    """Ada's review, assessed by Bob, settled, signed off, exported and co-signed by Bob."""
    with ReviewStore(db_path) as store:
        review_id = ready_review(store)
        examine_suggestions(store, review_id)
        request = tmp_path / "request.json"
        second.write_request(store, review_id, request)
    bob_secrets = MemorySecretStore()
    with ReviewStore(tmp_path / "bob.db") as bob:
        bob_review = second.import_request(bob, request, reviewer=BOB)
        for claim in bob.claims(bob_review):
            bob.update_claim(claim.id, status="opinion", note="Bob")
        back = tmp_path / "back.json"
        second.sign_assessment(bob, bob_review, BOB, BOB_EMAIL, bob_secrets, output=back)
        bob_key = bob.reviewer_by_name(BOB)
    assert bob_key is not None
    md = tmp_path / "signed.md"
    with ReviewStore(db_path) as store:
        store.trust_key(BOB, BOB_EMAIL, bob_key.public_key, bob_key.fingerprint)
        second.import_assessment(store, back)
        for row in second.open_disagreements(store, review_id):
            second.settle(store, review_id, row.number, "opinion", "Agreed on reflection")
        sign_off(store, review_id, "Ada Editor", "ada@example.org", MemorySecretStore())
        export_review(store.load_review(review_id), "md", md)
        ada_key = store.reviewer_by_name("Ada Editor")
    assert ada_key is not None
    with ReviewStore(tmp_path / "bob.db") as bob:
        bob.trust_key("Ada Editor", ada_key.email, ada_key.public_key, ada_key.fingerprint)
        second.cosign(bob, md, bob_secrets)
    return review_id, md


def test_import_cosignature_keeps_it_with_the_open_reviews_sign_off(make_window, db_path, tmp_path):
    review_id, md = cosigned_review(db_path, tmp_path)
    window = make_window()
    window.session.open_review(review_id)
    action = window.action_set["review.second_import_cosignature"]
    menu_texts = [
        a.text() for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()
    ]
    assert action.text() in menu_texts and action.isEnabled()
    chooser = window.second_review.open_import_cosignature()
    assert chooser.isVisible()  # opened with open(): the test goes on while it shows
    chooser.fileSelected.emit(str(md.with_name("signed.md.second.sig")))
    assert errors_shown(window) == []
    assert f"Kept the co-signature by {BOB}" in window.statusBar().currentMessage()
    signoff = window.session.data.current_signoff
    assert signoff is not None and signoff.cosignature is not None
    out = tmp_path / "again.md"
    with ReviewStore(db_path) as store:
        export_review(store.load_review(review_id), "md", out)
    assert out.with_name("again.md.second.sig").read_bytes() == (
        md.with_name("signed.md.second.sig").read_bytes()
    )


def test_a_co_signature_of_other_bytes_is_shown_as_an_error_and_nothing_changes(
    make_window, db_path, tmp_path
):
    review_id, md = cosigned_review(db_path, tmp_path)
    sig = md.with_name("signed.md.second.sig")
    lines = sig.read_text().splitlines()
    lines[2] = lines[2][:10] + ("A" if lines[2][10] != "A" else "B") + lines[2][11:]
    sig.write_text("\n".join(lines) + "\n")
    window = make_window()
    window.session.open_review(review_id)
    before = file_digest(db_path)
    window.second_review.import_cosignature_file(sig)
    shown = errors_shown(window)
    assert len(shown) == 1 and "does not verify" in shown[0]
    assert window.session.data.current_signoff.cosignature is None
    with ReviewStore(db_path) as store:
        assert store.load_review(review_id).current_signoff.cosignature is None
    assert file_digest(db_path) == before


@pytest.mark.skipif(
    subprocess.run(["which", "git"], capture_output=True).returncode != 0, reason="needs git"
)
def test_the_archive_request_is_offered_only_with_an_archive_and_a_failed_push_asks_nothing(
    make_window, db_path, tmp_path
):
    secrets = MemorySecretStore()
    with ReviewStore(db_path) as store:
        signed = ready_review(store, title="Signed before")  # the editor's key, to commit with
        examine_suggestions(store, signed)
        sign_off(store, signed, "Ada Editor", "ada@example.org", secrets)
        review_id = ready_review(store)
        examine_suggestions(store, review_id)
    window = make_window()
    window.session.open_review(review_id)
    action = window.action_set["review.second_request_archive"]
    assert not action.isEnabled()  # this library has no shared archive
    assert window.second_review.open_request_archive() is None
    # a working copy whose shared repository has gone away
    copy = archive_path(db_path)
    subprocess.run(["git", "init", "-q", "-b", "main", str(copy)], check=True)
    subprocess.run(
        ["git", "remote", "add", "origin", str(tmp_path / "gone.git")], cwd=copy, check=True
    )
    window.second_review.update_actions()
    assert action.isEnabled()
    asked = window.second_review.open_request_archive()
    assert isinstance(asked, QInputDialog) and asked.isVisible()
    window.second_review.secrets = secrets
    asked.textValueSelected.emit("bob@example.org")
    shown = errors_shown(window)
    assert len(shown) == 1 and "Git fetch failed" in shown[0], shown
    assert not window.session.data.second_review  # nothing was recorded as asked
    with ReviewStore(db_path) as store:
        assert store.second_review_row(review_id) is None
