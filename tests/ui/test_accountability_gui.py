"""Review ▸ AI Involvement and Responsibility in the window: the offered disclosure line, every
change saved at once and undoable, organisation defaults from Preferences, the sign-off gate."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from reviewapp.core.model import EditorialResponsibility
from reviewapp.store import ReviewStore
from reviewapp.ui.dialogs.accountability import AccountabilityDialog
from tests.ui.conftest import examine_suggestions_in, select_quote
from tests.ui.shown import errors_shown

SAMPLE_DISCLOSURE = (
    "This article is original editorial commentary written with AI assistance, based on "
    "publicly available reporting by TechCrunch AI."
)


def open_dialog(window) -> AccountabilityDialog:
    window.action_set["review.accountability"].trigger()
    dialog = window.findChild(AccountabilityDialog)
    assert dialog is not None and dialog.isVisible(), errors_shown(window)
    return dialog


def test_the_action_is_in_the_review_menu_with_a_shortcut(sample_window):
    action = sample_window.action_set["review.accountability"]
    assert action.shortcut() == QKeySequence("Ctrl+Shift+I")
    menu_texts = [
        a.text() for m in sample_window.menuBar().actions() if m.menu() for a in m.menu().actions()
    ]
    assert action.text() in menu_texts


def test_the_disclosure_line_is_offered_not_recorded_until_the_editor_accepts(
    sample_window, db_path
):
    window = sample_window
    review_id = window.session.data.review.id
    assert "AI disclosure line to look at" in window.header.accountability.text()
    dialog = open_dialog(window)
    assert dialog.offer.isVisible()
    assert SAMPLE_DISCLOSURE in dialog.offer_text.text()
    assert window.session.data.ai.disclosure == ""  # offered, never set silently
    assert window.article.view._disclosure is None

    dialog.accept_offer.click()
    ai = window.session.data.ai
    start = window.session.data.revision.text.index(SAMPLE_DISCLOSURE)
    assert (ai.disclosure, ai.disclosure_start, ai.disclosure_end) == (
        SAMPLE_DISCLOSURE,
        start,
        start + len(SAMPLE_DISCLOSURE),
    )
    assert not dialog.offer.isVisible()
    assert "AI disclosure line" not in window.header.accountability.text()
    # Highlighted in the article, and Show in Article selects it there.
    assert window.article.view._disclosure is not None
    dialog.show_disclosure.click()
    assert window.article.view.selected_span() == (start, start + len(SAMPLE_DISCLOSURE))
    # Saved at once: another connection to the file reads it.
    other = ReviewStore(db_path)
    try:
        assert other.load_review(review_id).ai.disclosure == SAMPLE_DISCLOSURE
    finally:
        other.close()
    # Undoable like every edit.
    window.session.undo()
    assert window.session.data.ai.disclosure == ""
    assert dialog.offer.isVisible()
    assert window.article.view._disclosure is None


def test_answers_are_saved_at_once_and_the_source_type_follows_the_roles(sample_window):
    window = sample_window
    dialog = open_dialog(window)
    dialog.assisted.set_key("yes")
    dialog.assisted.chosen.emit("yes")
    dialog.roles["rewrote"].setChecked(True)
    ai = window.session.data.ai
    assert (ai.assisted, ai.roles) == ("yes", ("rewrote",))
    assert ai.source_type == "compositeWithTrainedAlgorithmicMedia"
    assert dialog.source_type.currentText() == "AI-assisted edit of human work"
    dialog.roles["drafted"].setChecked(True)
    assert window.session.data.ai.source_type == "trainedAlgorithmicMedia"
    # The editor's own choice stands when the roles change again.
    index = dialog.source_type.findData("compositeSynthetic")
    dialog.source_type.setCurrentIndex(index)
    dialog.source_type.chosen.emit("compositeSynthetic")
    dialog.roles["translated"].setChecked(True)
    assert window.session.data.ai.source_type == "compositeSynthetic"
    dialog.tools.setText("Gemini 1.5 Pro")
    dialog.tools.editingFinished.emit()
    assert window.session.data.ai.tools == "Gemini 1.5 Pro"
    # The scope starts unticked; a tick is saved.
    assert not any(box.isChecked() for box in dialog.scope.values())
    dialog.scope["claims_checked"].setChecked(True)
    assert window.session.data.scope.claims_checked
    window.session.undo()
    assert not window.session.data.scope.claims_checked
    assert not dialog.scope["claims_checked"].isChecked()


def test_preferences_defaults_are_kept_in_the_library_and_new_reviews_take_them(
    make_window, db_path
):
    window = make_window()
    prefs = window.open_preferences()
    prefs.holder.setText("The Daily Example")
    prefs.holder_role.setText("Managing editor")
    prefs.holder_contact.setText("desk@example.org")
    prefs.accept()
    store = ReviewStore(db_path)
    try:
        assert store.organisation_defaults() == EditorialResponsibility(
            "The Daily Example", "Managing editor", "desk@example.org"
        )
    finally:
        store.close()
    window.importer.import_sample()
    data = window.session.data
    assert data.responsibility.holder == "The Daily Example"
    dialog = open_dialog(window)
    assert dialog.holder.text() == "The Daily Example"
    assert "organisation's defaults" in dialog.defaults_note.text()
    dialog.holder.setText("Ada Editor")
    dialog.holder.editingFinished.emit()
    assert window.session.data.responsibility.holder == "Ada Editor"
    assert "Organisation default: The Daily Example" in dialog.defaults_note.text()


def test_the_signoff_checklist_names_the_missing_answers_in_plain_words(sample_window):
    window = sample_window
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.opinion"].trigger()
    window.header.verdict.set_key("publish")
    window.header.verdict.chosen.emit("publish")
    signoff = window.signing.open_signoff()
    signoff.name.setText("Ada Editor")
    lines = [signoff.checklist.item(i).text() for i in range(signoff.checklist.count())]
    assert any(
        line.startswith("✗  Whether AI helped write the draft is recorded: whether AI helped")
        and "Review ▸ AI Involvement and Responsibility" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("✗  Someone is named as holding editorial responsibility") for line in lines
    )
    # the coverage rule of issue 16, in plain words with where to settle it
    assert any(
        line.startswith(
            "✗  Every check-worthy sentence is examined (claimed, or dismissed with a reason): "
            "22 of 23 check-worthy sentences are not examined yet"
        )
        and "in the article view" in line
        for line in lines
    ), lines
    assert not signoff.sign_button.isEnabled()
    signoff.reject()

    dialog = open_dialog(window)
    dialog.assisted.set_key("unknown")
    dialog.reason.setText("The writer did not answer our question")
    dialog.reason.editingFinished.emit()
    dialog.holder.setText("The Daily Example")
    dialog.holder.editingFinished.emit()
    dialog.close()
    examine_suggestions_in(window)
    signoff = window.signing.open_signoff()
    signoff.name.setText("Ada Editor")
    assert signoff.sign_button.isEnabled(), [
        signoff.checklist.item(i).text() for i in range(signoff.checklist.count())
    ]


def test_a_signed_off_review_shows_its_record_read_only(sample_window):
    from reviewapp.secrets import MemorySecretStore
    from reviewapp.workflows.signoff import sign_off
    from tests.conftest import examine_suggestions, record_accountability

    window = sample_window
    review_id = window.session.data.review.id
    store = window.session.store
    store.set_review(review_id, reviewer="Ada Editor", verdict="publish")
    record_accountability(store, review_id)
    examine_suggestions(store, review_id)
    sign_off(store, review_id, "Ada Editor", secrets=MemorySecretStore())
    window.session.changed_outside()
    assert window.session.data.review.status == "signed-off"
    dialog = open_dialog(window)
    assert dialog.holder.text() == "The Daily Example"
    assert dialog.holder.isReadOnly()
    assert not dialog.scope["claims_checked"].isEnabled()
    assert not dialog.assisted.isEnabled()
    assert not dialog.offer.isVisible()  # nothing to accept on a signed record


def test_edits_do_not_search_the_draft_for_its_disclosure_again(sample_window, qtbot, monkeypatch):
    """The header still points at the disclosure line after each keystroke, but the draft is
    searched once per text: on a 100,000-word article a search takes ~75 ms, a frame is 16."""
    from reviewapp.core import disclosure

    searched: list[str] = []
    real = disclosure.find_disclosures

    def counting(text: str):
        searched.append(text)
        return real(text)

    monkeypatch.setattr(disclosure, "find_disclosures", counting)
    disclosure.disclosures_of.cache_clear()
    window = sample_window
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    qtbot.keyClicks(window.claims.note, "Checked against the filings.")
    window.claims.note.flush()
    assert window.session.current_claim().note == "Checked against the filings."
    assert "AI disclosure line to look at" in window.header.accountability.text()
    assert len(searched) <= 1
