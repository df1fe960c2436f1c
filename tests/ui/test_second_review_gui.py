"""Review › Request Second Review…, Import Second Assessment…, Compare with Second Reviewer…:
real windows (offscreen), a second editor with their own library and key, real signatures."""

from __future__ import annotations

import json
from pathlib import Path

from reviewapp.core.gate import GateRule, gate_problems
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.ui.dialogs.second_review import SecondReviewDialog
from reviewapp.workflows import second_review as second
from tests.conftest import examine_suggestions
from tests.test_signoff_fixtures import ready_review
from tests.ui.shown import errors_shown

BOB, BOB_EMAIL = "Bob Second", "bob@example.org"


def _bob_signs(request: Path, tmp_path: Path, ada_db: Path) -> Path:
    """Bob, in his own library with his own key, assesses and signs; Ada trusts his key."""
    with ReviewStore(tmp_path / "bob.db") as bob:
        review_id = second.import_request(bob, request, reviewer=BOB)
        claims = bob.claims(review_id)
        for claim, status in zip(claims, ("false", "false", "unverifiable"), strict=True):
            bob.update_claim(claim.id, status=status, note=f"Bob: {status}")
        back = tmp_path / "back.json"
        second.sign_assessment(
            bob, review_id, BOB, BOB_EMAIL, secrets=MemorySecretStore(), output=back
        )
        key = bob.reviewer_by_name(BOB)
        assert key is not None
    with ReviewStore(ada_db) as ada:
        ada.trust_key(BOB, BOB_EMAIL, key.public_key, key.fingerprint)
    return back


def test_request_import_compare_and_settle_from_the_review_menu(make_window, db_path, tmp_path):
    with ReviewStore(db_path) as store:
        review_id = ready_review(store)
        examine_suggestions(store, review_id)
    window = make_window()
    window.session.open_review(review_id)
    menu_texts = [
        a.text() for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()
    ]
    for action_id in ("review.second_request", "review.second_import", "review.second_compare"):
        assert window.action_set[action_id].text() in menu_texts
    assert not window.action_set["review.second_compare"].isEnabled()  # nothing to compare yet

    # Request: the file dialog is not modal to the test; choosing a file writes on the pool.
    chooser = window.second_review.open_request()
    assert chooser is not None
    request = tmp_path / "request.json"
    chooser.fileSelected.emit(str(request))
    content = request.read_text()
    assert "Company statement" not in content and '"status"' not in content
    assert window.session.data.second_review.requested

    # Bob's signed assessment comes back; importing it opens the comparison beside the window.
    back = _bob_signs(request, tmp_path, db_path)
    window.second_review.open_import().fileSelected.emit(str(back))
    dialog = window.second_review.dialog
    assert isinstance(dialog, SecondReviewDialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert BOB in dialog.who.text()
    assert window.action_set["review.second_compare"].isEnabled()
    column = [dialog.table.item(r, 6).text() for r in range(dialog.table.rowCount())]
    assert column == ["agree", "disagree; to settle", "unsure; to settle"]
    assert dialog.table.item(1, 3).text() == "Company statement"
    assert dialog.table.item(1, 5).text() == "Bob: false"
    assert "2 claim(s) to settle" in dialog.left.text()

    # Settle claim 2: select it, choose a status, write why, press Settle.
    dialog.select_claim(2)
    assert not dialog.settle_button.isEnabled()  # no note yet
    dialog.status.setCurrentIndex(dialog.status.findData("partly-true"))
    dialog.note.setText("One of two versions")
    assert dialog.settle_button.isEnabled()
    dialog.settle_button.click()
    assert window.session.data.claims[1].status == "partly-true"
    assert dialog.table.item(1, 6).text().startswith("disagree; settled as Partly true")
    dialog.select_claim(3)
    dialog.status.setCurrentIndex(dialog.status.findData("opinion"))
    dialog.note.setText("The company's view")
    dialog.settle_button.click()
    assert dialog.left.text() == "Every claim is settled"
    assert gate_problems(window.session.data) == []
    with ReviewStore(db_path) as store:
        settled = store.load_review(review_id).second_review
        assert settled is not None and len(settled.settlements) == 2


def test_a_tampered_assessment_is_shown_as_an_error_and_nothing_changes(
    make_window, db_path, tmp_path
):
    with ReviewStore(db_path) as store:
        review_id = ready_review(store)
    window = make_window()
    window.session.open_review(review_id)
    request = tmp_path / "request.json"
    window.second_review.request(request)
    back = _bob_signs(request, tmp_path, db_path)
    data = json.loads(back.read_text())
    data["markdown"] = data["markdown"].replace("Bob: false", "Bob: true")
    back.write_text(json.dumps(data))
    window.second_review.import_file(back)
    assert len(errors_shown(window)) == 1
    assert window.second_review.dialog is None
    assert not window.session.data.second_review.assessed
    with ReviewStore(db_path) as store:
        assert not store.load_review(review_id).second_review.assessed


def test_a_required_second_review_shows_in_the_signoff_checklist(make_window, db_path):
    with ReviewStore(db_path) as store:
        review_id = ready_review(store)
        examine_suggestions(store, review_id)
        store.set_second_review_required(review_id, True)
    window = make_window()
    window.session.open_review(review_id)
    assert [p.kind for p in gate_problems(window.session.data)] == [GateRule.SECOND_REVIEW]


def test_preferences_and_the_review_menu_set_the_library_default_and_the_review_flag(
    make_window, db_path
):
    with ReviewStore(db_path) as store:
        review_id = ready_review(store)
        examine_suggestions(store, review_id)
    window = make_window()
    window.session.open_review(review_id)
    flag = window.action_set["review.second_required"]
    assert flag.isCheckable() and not flag.isChecked()
    prefs = window.open_preferences()
    assert not prefs.second.isChecked()
    prefs.second.setChecked(True)
    prefs.accept()
    assert flag.isChecked()  # the open review follows the library now
    assert [p.kind for p in gate_problems(window.session.data)] == [GateRule.SECOND_REVIEW]
    flag.trigger()  # this review says otherwise
    assert not flag.isChecked()
    assert gate_problems(window.session.data) == []
    with ReviewStore(db_path) as store:
        assert store.second_review_default()
        assert not store.second_review_required(review_id)


def test_verify_file_reports_the_second_reviewers_cosignature(make_window, db_path, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.shown import modal_dialog
    from tests.ui.test_second_archive_gui import cosigned_review

    _review_id, md = cosigned_review(db_path, tmp_path)
    window = make_window()
    window.signing.verify(md)
    box = modal_dialog(QMessageBox)
    assert box.text() == "signed.md is intact."
    assert f"Co-signed by the second reviewer {BOB}" in box.informativeText()
    box.accept()
    (tmp_path / "signed.md.second.sig").write_text("not a signature")
    window.signing.verify(md)
    broken = modal_dialog(QMessageBox)
    assert broken.text() == "signed.md does not verify."
