"""Accept and dismiss in the window pass the workflow what the window holds: the GUI thread
reads neither the revision's text nor the review's claims for them (a 100,000-word revision
took ~20 ms to read, every claim more), and the marks and the meter still follow each
decision and its undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewapp.ui.dialogs.dismiss import DismissDialog
from reviewapp.ui.highlights import DISMISSED_COLOURS
from reviewapp.workflows.suggestions import DISMISS_REASONS, Decision
from tests.ui.shown import errors_shown, shown_dialog
from tests.ui.test_suggestions_gui import marks, teal


def big_reads(window, monkeypatch) -> list[str]:
    """Record each read of a whole revision or of all claims through the window's store."""
    store = window.session.store
    calls: list[str] = []
    for name in ("revision", "claims", "_current_text"):
        real = getattr(store, name)

        def spy(*args, _name=name, _real=real, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(store, name, spy)
    return calls


def meter(window) -> str:
    return window.header.coverage.text()


def test_accept_and_its_undo_read_nothing_big_and_update_marks_and_meter(
    sample_window, monkeypatch
):
    window = sample_window
    tracker, store, review_id = window.suggestions, window.session.store, window.session.review_id
    total = tracker.total
    window.action_set["suggestion.next"].trigger()
    s = tracker.suggestions[0]
    marks_before = marks(window)
    assert marks_before[s.text] == teal(window)
    calls = big_reads(window, monkeypatch)
    window.action_set["suggestion.accept"].trigger()
    assert calls == [], errors_shown(window)
    assert tracker.decision(0) == Decision.CLAIMED
    assert meter(window) == f"1 of {total} check-worthy sentences examined"
    assert s.text not in marks(window)  # a claimed sentence shows its claim, not a mark
    (claim,) = window.session.data.claims
    assert (claim.quote, claim.suggestion_key) == (s.text, s.key)
    window.session.undo()
    assert calls == []
    assert meter(window) == f"0 of {total} check-worthy sentences examined"
    assert marks(window) == marks_before
    monkeypatch.undo()
    assert store.claims(review_id) == []


def test_dismiss_and_its_undo_read_nothing_big_and_update_marks_and_meter(
    sample_window, monkeypatch, qtbot
):
    window = sample_window
    tracker, store, review_id = window.suggestions, window.session.store, window.session.review_id
    total = tracker.total
    window.action_set["suggestion.next"].trigger()
    window.action_set["suggestion.next"].trigger()
    s = tracker.suggestions[1]
    marks_before = marks(window)
    window.action_set["suggestion.dismiss"].trigger()
    popup = shown_dialog(window, DismissDialog)
    calls = big_reads(window, monkeypatch)
    qtbot.keyClick(popup.reasons, Qt.Key.Key_1)
    assert calls == [], errors_shown(window)
    assert tracker.decision(1) == Decision.DISMISSED
    assert meter(window) == f"1 of {total} check-worthy sentences examined"
    dark = window.article.view._dark()
    assert marks(window) == {**marks_before, s.text: DISMISSED_COLOURS[dark]}
    assert [(d.key, d.reason) for d in store.dismissals(review_id)] == [(s.key, DISMISS_REASONS[0])]
    window.session.undo()
    assert calls == []
    assert meter(window) == f"0 of {total} check-worthy sentences examined"
    assert marks(window) == marks_before
    assert store.dismissals(review_id) == []


def test_undoing_an_accept_that_replaced_a_dismissal_reads_nothing_big(
    sample_window, monkeypatch, qtbot
):
    window = sample_window
    tracker, store, review_id = window.suggestions, window.session.store, window.session.review_id
    total = tracker.total
    window.action_set["suggestion.next"].trigger()
    window.action_set["suggestion.dismiss"].trigger()
    qtbot.keyClick(shown_dialog(window, DismissDialog).reasons, Qt.Key.Key_2)
    s = tracker.suggestions[0]
    window.article.view.show_span(s.start, s.end)
    calls = big_reads(window, monkeypatch)
    window.action_set["suggestion.accept"].trigger()
    assert store.dismissals(review_id) == []
    window.session.undo()  # the claim goes, the dismissal comes back (the held claims
    # must not count the claim just deleted, or the dismissal would be refused)
    assert calls == [], errors_shown(window)
    assert [(d.key, d.reason) for d in store.dismissals(review_id)] == [(s.key, DISMISS_REASONS[1])]
    assert tracker.decision(0) == Decision.DISMISSED
    assert meter(window) == f"1 of {total} check-worthy sentences examined"
    assert tracker.examined == sum(tracker.decision(i) != Decision.OPEN for i in range(total))


class HeldBack:
    """The window's reader, but a read asked for directly waits until the test lets it run
    (as on a slow reader thread)."""

    synchronous = False

    def __init__(self, real, store):
        self.real, self.store, self.waiting = real, store, []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def read(self, fn, on_done, on_error):
        self.waiting.append((fn, on_done))

    def finish(self) -> None:
        while self.waiting:
            fn, on_done = self.waiting.pop(0)
            on_done(fn(self.store))


def test_what_claims_cover_is_worked_out_by_the_reader_and_again_after_a_claim_meanwhile(
    sample_window, monkeypatch
):
    window = sample_window
    tracker, session = window.suggestions, window.session
    first, second = tracker.suggestions[0], tracker.suggestions[1]
    window.article.view.select_span(first.start, first.end)
    window.action_set["claim.add"].trigger()
    reader = HeldBack(session.reader, session.store)
    monkeypatch.setattr(session, "reader", reader)
    # The reader's own work: the claim already there is counted without the GUI's help.
    tracker.read()
    monkeypatch.setattr(tracker, "_cover_all", lambda: pytest.fail("covered on the GUI"))
    reader.finish()
    assert tracker.ready and tracker.decision(0) == Decision.CLAIMED
    assert meter(window) == f"1 of {tracker.total} check-worthy sentences examined"
    monkeypatch.undo()
    monkeypatch.setattr(session, "reader", reader)
    # A claim added while the reader works is not in its copy: laid over again on arrival.
    tracker.read()
    window.article.view.select_span(second.start, second.end)
    window.action_set["claim.add"].trigger()
    reader.finish()
    assert [tracker.decision(0), tracker.decision(1)] == [Decision.CLAIMED, Decision.CLAIMED]
    assert meter(window) == f"2 of {tracker.total} check-worthy sentences examined"


def test_the_reader_takes_the_shown_text_and_reads_the_current_one_after_a_new_draft(
    store, monkeypatch
):
    from reviewapp.ui.suggestions import _read_coverage
    from reviewapp.workflows.revisions import import_revision
    from tests.conftest import make_draft

    first = "Amazon has committed $4 billion to the company, according to a filing."
    review = store.add_article(make_draft([first, "I think this is a lovely day."]))
    shown = store.revision(store.review(review).revision_id)
    revisions = []
    real = store.revision
    monkeypatch.setattr(store, "revision", lambda rid: revisions.append(rid) or real(rid))
    found = _read_coverage(store, review, (shown.id, shown.text), [])
    assert revisions == []  # the text the window shows is not read again
    assert [s.text for s in found.suggestions] == [first]
    later = "The firm reportedly suspended access to two model versions last week."
    import_revision(store, review, make_draft([later, first]))
    revisions.clear()
    found = _read_coverage(store, review, (shown.id, shown.text), [])
    assert revisions == [store.review(review).revision_id]
    assert [s.text for s in found.suggestions] == [later, first]
