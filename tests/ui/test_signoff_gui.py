"""Sign off, reopen and verify from the GUI, with the gate's checklist (memory key store)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import answer_accountability, select_quote
from tests.ui.shown import errors_shown, modal_dialog


def ready_for_signoff(window):
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.opinion"].trigger()
    window.header.verdict.set_key("publish")
    window.header.verdict.chosen.emit("publish")
    answer_accountability(window)


def test_the_checklist_says_what_is_missing_and_blocks_signing(sample_window):
    window = sample_window
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    dialog = window.signing.open_signoff()
    lines = [dialog.checklist.item(i).text() for i in range(dialog.checklist.count())]
    assert any(line.startswith("✗  Every claim has a status: claim 1") for line in lines)
    assert any(line.startswith("✗  A verdict is set") for line in lines)
    # The GUI says where in the window to fix it, never a command line.
    assert (
        "✗  Every claim has a status: claim 1 is still unchecked: give it a status in the "
        "Claims pane" in lines
    )
    assert not any("reviewapp " in line for line in lines)
    assert not dialog.sign_button.isEnabled()
    dialog.name.setText("")
    assert any(
        "✗  The reviewer is named" in line
        for line in (dialog.checklist.item(i).text() for i in range(dialog.checklist.count()))
    )


def test_sign_off_locks_the_review_then_reopen_keeps_the_history(sample_window, tmp_path):
    window = sample_window
    ready_for_signoff(window)
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("ada@example.org")
    assert dialog.sign_button.isEnabled()
    dialog.accept()
    assert not dialog.isVisible(), dialog.error.text()
    data = window.session.data
    assert data.review.status == "signed-off"
    assert window.header.badge.text() == "Signed off"
    assert window.header.banner_text.text().startswith("Signed off by Ada Editor on ")
    assert "Key SHA256:" in window.header.history.text()
    assert not window.action_set["claim.add"].isEnabled()
    assert window.claims.note.isReadOnly()
    assert window.summary.text().endswith("· signed off")

    out = tmp_path / "signed.md"
    window.export_to(out)
    assert (tmp_path / "signed.md.sig").exists()
    assert (tmp_path / "signed.intoto.json").exists()
    window.signing.verify(out)
    intact = modal_dialog(QMessageBox)
    assert intact.objectName() == "verifyResult"
    assert intact.text() == "signed.md is intact."
    assert "Ada Editor" in intact.informativeText()
    assert "Its attestation signed.intoto.json is signed by the same key" in (
        intact.informativeText()
    )
    intact.accept()
    attestation = (tmp_path / "signed.intoto.json").read_bytes()
    (tmp_path / "signed.intoto.json").write_bytes(attestation.replace(b'"sig"', b'"Sig"'))
    window.signing.verify(out)
    broken = modal_dialog(QMessageBox)
    assert broken.text() == "signed.md does not verify."
    assert "attestation" in broken.informativeText()
    broken.accept()
    (tmp_path / "signed.intoto.json").write_bytes(attestation)

    out.write_bytes(out.read_bytes().replace(b"Publish", b"Do not publish", 1))
    window.signing.verify(out)
    broken = modal_dialog(QMessageBox)
    assert broken.objectName() == "verifyResult"
    assert broken.text() == "signed.md does not verify."

    reopen = window.signing.open_reopen()
    reopen.reason.setText("a reader found a typo")
    reopen.accept()
    assert window.session.data.review.status == "in-review"
    assert "superseded" in window.header.history.text()
    assert window.action_set["claim.add"].isEnabled()


def test_signing_errors_are_shown_in_the_dialog(sample_window):
    window = sample_window
    ready_for_signoff(window)
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("not an email")
    dialog.accept()
    assert dialog.isVisible()
    assert "is not an email address" in dialog.error.text()
    assert window.session.store.review(window.session.review_id).status == "in-review"


def test_a_moved_claim_is_confirmed_or_reattached_from_the_claims_pane(sample_window):
    window = sample_window
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    claim = window.session.current_claim()
    store = window.session.store
    # As a newer draft would leave it: placed, but not firmly enough to be sure.
    store.move_claim(
        claim.id, {"anchor_state": "needs-confirmation", "anchor_score": 0.8}, action="reanchor"
    )
    window.session.reload()
    pane = window.claims

    def place() -> tuple[str, float]:
        [row] = [p for p in store.claim_places(claim.review_id) if p["id"] == claim.id]
        return row["anchor_state"], row["anchor_score"]

    assert pane.anchor_box.isVisible() and "Needs confirmation" in pane.anchor.text()
    pane.confirm_current()
    assert place() == ("anchored", 1.0)  # as `reviewapp anchor confirm` leaves it
    assert store.events(claim.review_id)[-1]["action"] == "claim-confirm"
    assert not pane.anchor_box.isVisible()
    window.action_set["edit.undo"].trigger()
    assert place() == ("needs-confirmation", 0.8)

    pane.reattach_current()  # nothing selected: says what to do
    assert errors_shown(window) == [
        "Select the passage for this claim in the article, then press Re-attach."
    ]
    select_quote(window, "committed $4 billion to the startup")
    pane.reattach_current()
    moved = store.claim_by_id(claim.id)
    assert (moved.quote, moved.anchor_state) == ("committed $4 billion to the startup", "anchored")
    window.action_set["edit.undo"].trigger()
    back = store.claim_by_id(claim.id)
    assert (back.quote, back.anchor_state) == ("has committed $4 billion", "needs-confirmation")


def test_a_written_reason_replaces_a_source_for_the_gate(sample_window):
    window = sample_window
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.verified"].trigger()
    window.header.verdict.chosen.emit("publish")
    answer_accountability(window)
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    assert not dialog.sign_button.isEnabled()  # a verified claim with no source
    dialog.reject()
    window.claims.override.setText("Amazon's own press release, quoted in the draft")
    window.claims.override.editingFinished.emit()
    claim = window.session.store.claims(window.session.review_id)[0]
    assert claim.source_override == "Amazon's own press release, quoted in the draft"
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    assert dialog.sign_button.isEnabled()
