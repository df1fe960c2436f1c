"""Suggestions beyond the everyday loop: computed on the reader thread while the window stays
usable, only the marks near the view on a long text, dark mode, a signed-off review (read-only,
meter still shown), coverage not enforced, and a dismissal made elsewhere (the CLI)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

from reviewapp.store import ReviewStore
from reviewapp.ui.dialogs.dismiss import DismissDialog
from reviewapp.ui.highlights import DISMISSED_COLOURS, SUGGESTION_COLOURS
from reviewapp.ui.panes import article
from reviewapp.ui.style import dark_palette
from reviewapp.workflows.suggestions import dismiss_suggestion, set_coverage_enforced
from tests.conftest import make_draft
from tests.ui.test_signed_off_read_only import signed_off_window


def mark_texts(view) -> dict[str, str]:
    """Sentence -> underline colour of every suggestion mark painted now."""
    found = {}
    for selection in view.extraSelections():
        fmt = selection.format
        dotted = fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
        if dotted and fmt.background().style() == Qt.BrushStyle.NoBrush:
            found[selection.cursor.selectedText()] = fmt.underlineColor().name()
    return found


def test_suggestions_are_found_on_the_reader_thread(make_window, cli, sample_path, qtbot):
    assert cli("import", sample_path).code == 0
    window = make_window(synchronous=False)
    session, tracker = window.session, window.suggestions
    said: list[str] = []
    # Connected after the tracker: runs right after it asked the reader for the suggestions.
    session.reviewOpened.connect(lambda: said.append(window.header.coverage.text()))
    session.open_review(1)
    qtbot.waitUntil(lambda: tracker.ready, timeout=20_000)
    assert said == ["Finding check-worthy sentences…"]
    qtbot.waitUntil(lambda: not window.article.view.loading)
    total = tracker.total
    assert total > 15
    assert window.header.coverage.text() == f"0 of {total} check-worthy sentences examined"
    assert len(mark_texts(window.article.view)) == total


PARAGRAPHS = [
    f"Paragraph {n} says the harbour budget rose {n} percent in spring." for n in range(1500)
]


def test_a_long_text_marks_only_the_sentences_near_the_view(make_window, db_path, qtbot):
    with ReviewStore(db_path) as store:
        review = store.add_article(make_draft(PARAGRAPHS, "A long article"))
    window = make_window()
    window.session.open_review(review)
    view, tracker = window.article.view, window.suggestions
    qtbot.waitUntil(lambda: not view.loading, timeout=20_000)
    assert tracker.total == 1500 > article.ALL_HIGHLIGHTS_UP_TO
    shown = mark_texts(view)
    assert PARAGRAPHS[0] in shown and PARAGRAPHS[-1] not in shown
    assert 0 < len(shown) < 300
    # F8 from the end: the view scrolls there and the marks follow.
    text = window.session.data.revision.text
    start = text.index(PARAGRAPHS[-3])
    view.show_span(start, start + len(PARAGRAPHS[-3]))
    window.action_set["suggestion.next"].trigger()
    assert view.textCursor().selectedText() == PARAGRAPHS[-2]
    qtbot.waitUntil(lambda: PARAGRAPHS[-1] in mark_texts(view))
    assert PARAGRAPHS[0] not in mark_texts(view)


def test_the_marks_take_the_dark_shade_in_dark_mode(sample_window):
    view = sample_window.article.view
    assert set(mark_texts(view).values()) == {SUGGESTION_COLOURS[False]}
    view.setPalette(dark_palette())
    assert set(mark_texts(view).values()) == {SUGGESTION_COLOURS[True]}


def test_a_signed_off_review_keeps_its_meter_and_refuses_accept_and_dismiss(sample_window):
    window = signed_off_window(sample_window)  # every suggestion examined, as the gate asks
    store, review_id = window.session.store, window.session.review_id
    tracker = window.suggestions
    assert window.session.data.review.status == "signed-off"
    assert window.header.coverage.text() == (
        f"{tracker.total} of {tracker.total} check-worthy sentences examined"
    )
    assert not window.action_set["suggestion.accept"].isEnabled()
    assert not window.action_set["suggestion.dismiss"].isEnabled()
    assert window.action_set["suggestion.next"].isEnabled()  # reading stays
    # Asked directly (as a stale shortcut would), nothing is written.
    s = next(s for s in tracker.suggestions if "has committed" not in s.text)
    window.article.view.show_span(s.start, s.end)
    before = (store.claims(review_id), store.dismissals(review_id))
    window.article.accept_suggestion()
    assert window.article.open_dismiss() is None
    assert (store.claims(review_id), store.dismissals(review_id)) == before
    assert not any(d.isVisible() for d in window.findChildren(DismissDialog))


def test_the_meter_says_when_the_library_does_not_require_coverage(sample_window):
    window = sample_window
    set_coverage_enforced(window.session.store, False)
    window.session.changed_outside()  # as the watcher notices the setting (or Preferences)
    total = window.suggestions.total
    assert window.header.coverage.text() == (
        f"0 of {total} check-worthy sentences examined (not required for sign-off)"
    )


def test_a_dismissal_made_elsewhere_shows_when_the_window_notices(sample_window, db_path):
    window = sample_window
    s = window.suggestions.suggestions[2]
    total = window.suggestions.total
    with ReviewStore(db_path) as elsewhere:  # another process: the CLI, a second window
        dismiss_suggestion(
            elsewhere, window.session.review_id, s.key, "common knowledge", reviewer="Ada"
        )
    window.session.changed_outside()  # what the library watcher calls
    view = window.article.view
    assert mark_texts(view)[s.text] == DISMISSED_COLOURS[view._dark()]
    assert window.header.coverage.text() == f"1 of {total} check-worthy sentences examined"


def test_the_meter_follows_the_preferences_switch_at_once(sample_window):
    window = sample_window
    total = window.suggestions.total
    window.set_coverage_enforced(False)  # what Preferences calls when the box is unticked
    assert window.header.coverage.text().endswith("(not required for sign-off)")
    window.set_coverage_enforced(True)
    assert window.header.coverage.text() == f"0 of {total} check-worthy sentences examined"
