"""Everything is written through at once and undoable across panes; nothing typed is lost."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewapp.ui.dialogs.add_source import AddSourceDialog
from tests.ui.conftest import select_quote
from tests.ui.shown import errors_shown, shown_dialog


def add_claim(window, quote):
    select_quote(window, quote)
    window.action_set["claim.add"].trigger()
    return window.session.current_claim()


def stored_claims(window):
    return window.session.store.claims(window.session.review_id)


def test_undo_and_redo_walk_back_through_claims_sources_and_takeaways(sample_window, qtbot):
    window = sample_window
    review_id = window.session.review_id
    claim = add_claim(window, "has committed $4 billion")
    window.action_set["claim.status.verified"].trigger()
    window.action_set["source.add"].trigger()
    dialog = shown_dialog(window, AddSourceDialog)
    dialog.form.lines["url"].setText("https://example.org/amazon")
    dialog.accept()
    qtbot.keyClicks(window.takeaways.text, "Check the figure.")
    qtbot.keyClick(window.takeaways.text, Qt.Key.Key_Return)
    store = window.session.store
    assert len(store.takeaways(review_id)) == 1 and len(store.sources(review_id)) == 1

    undo = window.action_set["edit.undo"]
    undo.trigger()  # the takeaway
    assert store.takeaways(review_id) == []
    assert window.takeaways.model.rowCount() == 0
    undo.trigger()  # the source
    assert store.sources(review_id) == []
    assert window.sources.model.rowCount() == 0
    undo.trigger()  # the status
    assert stored_claims(window)[0].status == "unchecked"
    assert window.claims.model.index(0, 1).data() == "Unchecked"
    undo.trigger()  # the claim
    assert stored_claims(window) == []
    # No claim highlight left (a suggestion's mark is a dotted line with no background).
    assert [
        s
        for s in window.article.view.extraSelections()
        if s.format.background().style() != Qt.BrushStyle.NoBrush
    ] == []

    redo = window.action_set["edit.redo"]
    for _ in range(4):
        redo.trigger()
    (again,) = stored_claims(window)
    assert again.id == claim.id and again.status == "verified"
    assert [s.url for s in store.sources(review_id)] == ["https://example.org/amazon"]
    assert store.sources(review_id)[0].claim_ids == [claim.id]
    assert [t.text for t in store.takeaways(review_id)] == ["Check the figure."]


def test_ctrl_z_in_the_note_field_undoes_through_the_review_stack(sample_window, qtbot):
    window = sample_window
    add_claim(window, "has committed $4 billion")
    window.action_set["claim.status.false"].trigger()
    window.activateWindow()
    window.claims.note.setFocus()
    qtbot.keyClick(window.claims.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_claims(window)[0].status == "unchecked"


def test_typing_in_a_note_is_one_undo_step(sample_window, qtbot):
    window = sample_window
    add_claim(window, "has committed $4 billion")
    steps = window.session.undo_stack.count()
    note = window.claims.note
    qtbot.keyClicks(note, "Amazon ")
    note.flush()  # a pause in typing
    qtbot.keyClicks(note, "announced it.")
    note.flush()
    assert stored_claims(window)[0].note == "Amazon announced it."
    assert window.session.undo_stack.count() == steps + 1
    window.action_set["edit.undo"].trigger()
    assert stored_claims(window)[0].note == ""
    assert note.toPlainText() == ""
    window.action_set["edit.redo"].trigger()
    assert note.toPlainText() == "Amazon announced it."


def test_the_note_is_written_after_a_pause_without_any_save(sample_window, qtbot):
    window = sample_window
    add_claim(window, "has committed $4 billion")
    qtbot.keyClicks(window.claims.note, "Checked with the 10-K.")
    qtbot.waitUntil(lambda: stored_claims(window)[0].note == "Checked with the 10-K.", timeout=3000)


def test_quitting_in_the_middle_of_typing_keeps_the_note(make_window, qtbot, db_path):
    window = make_window()
    window.importer.import_sample()
    add_claim(window, "has committed $4 billion")
    qtbot.keyClicks(window.claims.note, "Half-typed thou")
    assert window.claims.note.pending  # not written yet
    window.action_set["file.quit"].trigger()
    assert not window.isVisible()

    again = make_window()
    again.library.list.setCurrentIndex(again.library.model.index(0))
    assert again.session.data.claims[0].note == "Half-typed thou"


def test_switching_claims_while_typing_keeps_each_note_on_its_claim(sample_window, qtbot):
    window = sample_window
    first = add_claim(window, "has committed $4 billion")
    second = add_claim(window, "99.9% reliability")
    window.session.activate_claim(first.id)
    qtbot.keyClicks(window.claims.note, "first note")
    window.action_set["claim.next"].trigger()
    assert window.session.current_claim_id == second.id
    assert window.claims.note.toPlainText() == ""
    qtbot.keyClicks(window.claims.note, "second note")
    window.action_set["claim.previous"].trigger()
    notes = {c.id: c.note for c in stored_claims(window)}
    assert notes == {first.id: "first note", second.id: "second note"}


def test_deleting_a_claim_is_undoable_with_its_source_links(sample_window):
    window = sample_window
    claim = add_claim(window, "has committed $4 billion")
    window.action_set["source.add"].trigger()
    dialog = shown_dialog(window, AddSourceDialog)
    dialog.form.lines["title"].setText("Amazon 10-K")
    dialog.accept()
    window.action_set["claim.delete"].trigger()
    assert stored_claims(window) == []
    window.action_set["edit.undo"].trigger()
    (back,) = stored_claims(window)
    assert back.id == claim.id and len(back.source_ids) == 1


def test_deleting_a_review_asks_first_and_undo_brings_it_back(sample_window):
    window = sample_window
    review_id = window.session.review_id
    window.library.list.setFocus()
    box = window.confirm_delete_review()
    assert "Delete this review?" in box.text()
    (delete,) = [b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.DestructiveRole]
    assert delete.text() == "Delete"
    delete.click()
    assert window.session.store.list_reviews() == []
    assert window.session.data is None
    assert window.library.stack.currentIndex() == 0  # the empty state again
    window.action_set["edit.undo"].trigger()
    assert [r.id for r in window.session.store.list_reviews()] == [review_id]
    assert window.session.review_id == review_id
    assert window.library.model.rowCount() == 1


def test_cancelling_the_delete_question_keeps_the_review(sample_window):
    window = sample_window
    box = window.confirm_delete_review()
    box.button(box.StandardButton.Cancel).click()
    assert len(window.session.store.list_reviews()) == 1


def test_edits_on_a_signed_off_review_are_refused_with_a_message(sample_window):
    window = sample_window
    store, review_id = window.session.store, window.session.review_id
    store.set_status(review_id, "signed-off")
    window.session.reload()
    assert not window.action_set["claim.add"].isEnabled()
    select_quote(window, "has committed $4 billion")
    window.add_claim()
    assert errors_shown(window) == [
        f"Review {review_id} is signed off; reopen it before changing anything."
    ]
    assert store.claims(review_id) == []
