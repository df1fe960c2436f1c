"""Check-worthiness suggestions in the window: the sample draft's check-worthy sentences are
marked in the article with their reasons on hover, F8 / Shift+F8 step through the unexamined
ones, Alt+Return accepts one as a claim (the sentence, or the words selected in it), Alt+Delete
dismisses one with a reason from a small popup, undo takes either back, and the header's meter
counts them at once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QToolTip

from reviewapp.core.coverage import assessment_of, suggestion_key
from reviewapp.ui.dialogs.dismiss import DismissDialog
from reviewapp.ui.highlights import DISMISSED_COLOURS, SUGGESTION_COLOURS
from reviewapp.workflows.suggestions import DISMISS_REASONS, Decision
from tests.conftest import make_draft
from tests.ui.conftest import select_quote
from tests.ui.shown import errors_shown, shown_dialog

FOUR_BILLION = "has committed $4 billion"


def marks(window) -> dict[str, str]:
    """The suggestion marks painted over the article: sentence text -> underline colour."""
    view = window.article.view
    found = {}
    for selection in view.extraSelections():
        fmt = selection.format
        dotted = fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
        if dotted and fmt.background().style() == Qt.BrushStyle.NoBrush:
            found[selection.cursor.selectedText()] = fmt.underlineColor().name()
    return found


def teal(window) -> str:
    return SUGGESTION_COLOURS[window.article.view._dark()]


def suggested_texts(window) -> list[str]:
    text = window.session.data.revision.text
    return [s.sentence.text for s in assessment_of(text).suggestions()]


def sentence_with(window, words: str):
    tracker = window.suggestions
    return next(s for s in tracker.suggestions if words in s.text)


def selected(window) -> str:
    return window.article.view.textCursor().selectedText()


def meter(window) -> str:
    return window.header.coverage.text()


# ---------------------------------------------------------------------- marks
def test_the_samples_check_worthy_sentences_are_marked_in_teal(sample_window):
    window = sample_window
    expected = suggested_texts(window)
    assert len(expected) >= 15
    shown = marks(window)
    assert sorted(shown) == sorted(expected)
    assert set(shown.values()) == {teal(window)}
    # The known claims of the sample are among them.
    for words in (FOUR_BILLION, "99.9% reliability", "two specific model versions"):
        assert any(words in sentence for sentence in shown), words
    # Not a claim's highlight: a claim has a background, a mark only its dotted line.
    assert window.session.data.claims == []


def test_hovering_a_mark_shows_its_reasons(sample_window):
    window = sample_window
    view = window.article.view
    s = sentence_with(window, FOUR_BILLION)
    index = window.suggestions.index_of(s.key)
    assert window.suggestions.tooltip(index).startswith(
        f"Check-worthy: figures, named actor, past event (score {s.score:.2f})"
    )
    # A real tooltip event over the sentence, as the mouse resting there sends.
    view.show_span(s.start, s.start + 5)
    rect = view.cursorRect(view.textCursor())
    point = rect.center() + QPoint(2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    view.viewportEvent(event)
    assert QToolTip.text().startswith("Check-worthy: figures")
    assert "Alt+Return: make it a claim" in QToolTip.text()


def test_the_meter_counts_examined_sentences(sample_window):
    window = sample_window
    total = len(suggested_texts(window))
    assert meter(window) == f"0 of {total} check-worthy sentences examined"
    assert window.header.coverage.bar.value() == 0


# ---------------------------------------------------------------------- navigation
def test_f8_and_shift_f8_step_through_unexamined_sentences(sample_window):
    window = sample_window
    a = window.action_set
    expected = suggested_texts(window)
    assert a["suggestion.next"].shortcut().toString() == "F8"
    a["suggestion.next"].trigger()
    assert selected(window) == expected[0]
    a["suggestion.next"].trigger()
    assert selected(window) == expected[1]
    a["suggestion.previous"].trigger()
    assert selected(window) == expected[0]
    a["suggestion.previous"].trigger()  # wraps around to the last one
    assert selected(window) == expected[-1]
    assert window.article.view.hasFocus() or not window.isActiveWindow()


def test_the_next_suggestion_skips_examined_ones_and_starts_at_the_cursor(sample_window):
    window = sample_window
    expected = suggested_texts(window)
    a = window.action_set
    a["suggestion.next"].trigger()
    a["suggestion.accept"].trigger()  # the first becomes a claim
    window.article.view.show_span(0, 1)  # the cursor back at the top
    a["suggestion.next"].trigger()
    assert selected(window) == expected[1]
    # From the middle of the text, the next one after the cursor.
    s = sentence_with(window, FOUR_BILLION)
    window.article.view.show_span(s.start + 3, s.start + 3)
    a["suggestion.next"].trigger()
    assert selected(window) == expected[expected.index(s.text) + 1]
    window.article.view.show_span(s.start + 3, s.start + 3)
    a["suggestion.previous"].trigger()  # from inside a sentence: its own start first
    assert selected(window) == s.text


def test_clicking_the_meter_goes_to_the_next_unexamined_sentence(sample_window):
    window = sample_window
    window.header.coverage.button.click()
    assert selected(window) == suggested_texts(window)[0]


# ---------------------------------------------------------------------- accept
def test_accept_makes_the_whole_sentence_a_claim_and_undo_takes_it_back(sample_window):
    window = sample_window
    a = window.action_set
    s = sentence_with(window, FOUR_BILLION)
    total = window.suggestions.total
    window.article.view.show_span(s.start, s.start)  # the cursor in it, nothing selected
    a["suggestion.accept"].trigger()
    claims = window.session.data.claims
    assert [c.quote for c in claims] == [s.text]
    assert claims[0].suggestion_key == s.key
    # Selected in the claims pane, as a claim added by hand is.
    assert window.session.current_claim_id == claims[0].id
    assert window.tabs.currentIndex() == 0
    assert window.claims.list.currentIndex().row() == 0
    # Its mark gives way to the claim's highlight; the meter counts it at once.
    assert s.text not in marks(window)
    assert meter(window) == f"1 of {total} check-worthy sentences examined"
    assert window.header.coverage.bar.value() == 1
    window.session.undo()
    assert window.session.data.claims == []
    assert marks(window)[s.text] == teal(window)
    assert meter(window) == f"0 of {total} check-worthy sentences examined"
    window.session.redo()
    assert [c.quote for c in window.session.data.claims] == [s.text]
    assert window.session.store.claims(window.session.review_id)[0].suggestion_key == s.key


def test_accept_with_words_selected_claims_only_those_words(sample_window):
    window = sample_window
    s = sentence_with(window, FOUR_BILLION)
    select_quote(window, "$4 billion")
    window.action_set["suggestion.accept"].trigger()
    (claim,) = window.session.data.claims
    assert claim.quote == "$4 billion"
    assert claim.suggestion_key == s.key
    # The sentence counts as examined: a claim covers part of it.
    assert window.suggestions.decision(window.suggestions.index_of(s.key)) == Decision.CLAIMED
    assert s.text not in marks(window)


def test_a_selection_beyond_the_sentence_is_refused(sample_window):
    window = sample_window
    s = sentence_with(window, FOUR_BILLION)
    window.article.view.select_span(s.start, s.end + 20)
    window.action_set["suggestion.accept"].trigger()
    assert window.session.data.claims == []
    assert errors_shown(window) == [
        "Select words inside one suggested sentence, or none to take all of it."
    ]


def test_accept_outside_any_suggestion_says_how_to_find_one(sample_window):
    window = sample_window
    text = window.session.data.revision.text
    plain = next(
        sentence
        for sentence in ("Why it matters",)
        if sentence in text and window.suggestions.index_at(text.index(sentence)) < 0
    )
    start = text.index(plain)
    window.article.view.show_span(start, start)
    window.action_set["suggestion.accept"].trigger()
    assert window.session.data.claims == []
    assert errors_shown(window) == [
        "Put the cursor in a suggested sentence first (F8 goes to the next one)."
    ]


def test_a_claim_added_by_hand_counts_and_its_deletion_uncounts(sample_window):
    window = sample_window
    total = window.suggestions.total
    s = sentence_with(window, FOUR_BILLION)
    select_quote(window, FOUR_BILLION)
    window.action_set["claim.add"].trigger()
    assert meter(window) == f"1 of {total} check-worthy sentences examined"
    assert s.text not in marks(window)
    window.action_set["claim.delete"].trigger()
    assert meter(window) == f"0 of {total} check-worthy sentences examined"
    assert s.text in marks(window)


# ---------------------------------------------------------------------- dismiss
def dismiss_popup(window) -> DismissDialog:
    window.action_set["suggestion.dismiss"].trigger()
    return shown_dialog(window, DismissDialog)


def test_dismiss_with_a_listed_reason_records_it_and_undo_asks_again(sample_window, qtbot):
    window = sample_window
    store, review_id = window.session.store, window.session.review_id
    total = window.suggestions.total
    window.action_set["suggestion.next"].trigger()
    s = window.suggestions.suggestions[0]
    popup = dismiss_popup(window)
    assert not popup.isModal()  # the article stays usable beside it
    assert s.text[:40] in popup.sentence.text()
    assert popup.reasons.count() == len(DISMISS_REASONS)
    qtbot.keyClick(popup.reasons, Qt.Key.Key_2)  # 2 picks the second reason and dismisses
    assert not popup.isVisible()
    (dismissal,) = store.dismissals(review_id)
    assert (dismissal.key, dismissal.reason) == (s.key, DISMISS_REASONS[1])
    # The mark turns to a faint grey line; hovering says why; the meter counts it.
    assert marks(window)[s.text] == DISMISSED_COLOURS[window.article.view._dark()]
    assert f"Dismissed: {DISMISS_REASONS[1]}" in window.suggestions.tooltip(0)
    assert meter(window) == f"1 of {total} check-worthy sentences examined"
    window.action_set["suggestion.next"].trigger()  # a dismissed one is examined: skipped
    assert selected(window) == window.suggestions.suggestions[1].text
    window.session.undo()
    assert store.dismissals(review_id) == []
    assert marks(window)[s.text] == teal(window)
    assert meter(window) == f"0 of {total} check-worthy sentences examined"
    window.session.redo()
    assert [d.key for d in store.dismissals(review_id)] == [s.key]


def test_dismiss_with_a_typed_reason(sample_window):
    window = sample_window
    s = sentence_with(window, FOUR_BILLION)
    window.article.view.show_span(s.start, s.end)
    popup = dismiss_popup(window)
    popup.other.setText("  checked against the  filing already ")
    popup.dismiss.click()
    (dismissal,) = window.session.store.dismissals(window.session.review_id)
    assert dismissal.reason == "checked against the filing already"


def test_cancel_and_an_empty_reason_write_nothing(sample_window):
    window = sample_window
    window.action_set["suggestion.next"].trigger()
    popup = dismiss_popup(window)
    popup.reasons.setCurrentRow(-1)
    popup.dismiss.click()
    assert popup.isVisible() and popup.problem.text() == "Pick a reason or type one"
    popup.reject()
    assert window.session.store.dismissals(window.session.review_id) == []
    assert not window.session.undo_stack.canUndo() or (
        window.session.undo_stack.undoText() != "Dismiss suggestion"
    )


def test_a_claimed_sentence_cannot_be_dismissed(sample_window):
    window = sample_window
    window.action_set["suggestion.next"].trigger()
    window.action_set["suggestion.accept"].trigger()
    s = window.suggestions.suggestions[0]
    window.article.view.show_span(s.start, s.start)
    window.action_set["suggestion.dismiss"].trigger()
    assert window.findChildren(DismissDialog) == [] or not any(
        d.isVisible() for d in window.findChildren(DismissDialog)
    )
    assert errors_shown(window) == ["This sentence is already covered by a claim."]


def test_accepting_a_dismissed_sentence_replaces_the_dismissal_and_undo_restores_it(
    sample_window, qtbot
):
    window = sample_window
    store, review_id = window.session.store, window.session.review_id
    window.action_set["suggestion.next"].trigger()
    qtbot.keyClick(dismiss_popup(window).reasons, Qt.Key.Key_1)
    s = window.suggestions.suggestions[0]
    window.article.view.show_span(s.start, s.end)
    window.action_set["suggestion.accept"].trigger()
    assert store.dismissals(review_id) == []
    assert [c.quote for c in window.session.data.claims] == [s.text]
    window.session.undo()
    assert [(d.key, d.reason) for d in store.dismissals(review_id)] == [(s.key, DISMISS_REASONS[0])]
    assert window.suggestions.decision(0) == Decision.DISMISSED


# ---------------------------------------------------------------------- other texts
def test_a_text_in_another_language_says_suggestions_are_english_only(make_window):
    from tests.conftest import make_draft

    window = make_window()
    draft = make_draft(
        [
            "Le gouvernement a annoncé mardi que le budget de la défense augmentera de 7 % "
            "en 2025, selon le ministre des Armées.",
            "Cette décision, qui était attendue depuis des mois, a été saluée par les élus de "
            "la majorité et critiquée par l'opposition.",
        ],
        "Le budget",
    )
    review_id = window.session.store.add_article(draft)
    window.session.open_review(review_id)
    assert meter(window) == "Suggestions are English-only"
    assert marks(window) == {}
    assert not window.action_set["suggestion.accept"].isEnabled()
    assert not window.action_set["suggestion.next"].isEnabled()


def test_a_review_without_check_worthy_sentences_shows_no_meter(make_window):
    from tests.conftest import make_draft

    window = make_window()
    review_id = window.session.store.add_article(
        make_draft(["I think we should all take a walk today and enjoy the weather."], "A walk")
    )
    window.session.open_review(review_id)
    assert window.suggestions.ready and window.suggestions.total == 0
    assert meter(window) == ""
    assert window.header.coverage.button.shown_text() == ""
    assert not window.header.coverage.button.isEnabled()


def test_the_key_of_each_mark_is_the_workflows(sample_window):
    window = sample_window
    text = window.session.data.revision.text
    keys = [suggestion_key(s) for s in assessment_of(text).suggestions()]
    assert [s.key for s in window.suggestions.suggestions] == keys


def test_the_dismiss_popup_goes_when_another_review_opens(sample_window):
    from tests.conftest import make_draft

    window = sample_window
    window.action_set["suggestion.next"].trigger()
    popup = dismiss_popup(window)
    other = window.session.store.add_article(make_draft(["Another short one."], "Other"))
    window.session.open_review(other)
    assert not popup.isVisible()


def test_a_claimed_sentence_has_no_mark_when_the_review_opens_again(sample_window, qtbot):
    window = sample_window
    s = sentence_with(window, FOUR_BILLION)
    window.article.view.show_span(s.start, s.start)
    window.action_set["suggestion.accept"].trigger()
    review = window.session.review_id
    other = window.session.store.add_article(make_draft(["A short one."], "Another"))
    window.session.open_review(other)
    window.session.open_review(review)  # its marks are worked out afresh from the store
    qtbot.waitUntil(lambda: window.suggestions.ready and bool(marks(window)))
    assert s.text not in marks(window)
    others = [t for t in suggested_texts(window) if t != s.text and FOUR_BILLION not in t]
    assert others and all(marks(window).get(t) == teal(window) for t in others[:3])
