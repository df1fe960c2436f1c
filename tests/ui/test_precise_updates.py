"""Everyday edits update the one row, highlight and counter they touch, without re-reading
the review: a keystroke on a review with thousands of claims must not cost the whole review."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewapp.ui.highlights import FLASH_COLOUR, format_for
from reviewapp.ui.models import RECORD_ROLE
from tests.ui.conftest import select_quote

QUOTES = ("has committed $4 billion", "Amazon")


def open_with_claims(window) -> list:
    for quote in QUOTES:
        select_quote(window, quote)
        window.action_set["claim.add"].trigger()
    return window.session.data.claims


def highlight_colour(window, claim) -> str:
    """The background of the claim's highlight in the article view."""
    start = window.article.view.utf16.to_utf16(claim.start)
    (selection,) = [
        s
        for s in window.article.view.extraSelections()
        if s.cursor.selectionStart() == start and s.format.background().color() != FLASH_COLOUR
    ]
    return selection.format.background().color().name()


def library_row(window):
    model = window.library.model
    return model.index(model.row_of(window.session.review_id), 0).data(RECORD_ROLE)


class Calls:
    """Counts calls of some store methods (wrapped on the instance, still doing the work)."""

    def __init__(self, monkeypatch, store, names: tuple[str, ...]):
        self.counts = dict.fromkeys(names, 0)
        for name in names:
            real = getattr(store, name)

            def counted(*args, _real=real, _name=name, **kwargs):
                self.counts[_name] += 1
                return _real(*args, **kwargs)

            monkeypatch.setattr(store, name, counted)


def test_a_status_change_updates_its_row_highlight_and_counters_and_undo_restores_them(
    sample_window, qtbot
):
    window = sample_window
    first, second = open_with_claims(window)
    window.session.activate_claim(first.id)
    model = window.claims.model
    resets, changed_rows = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda top, bottom, _roles: changed_rows.append(top.row()))
    unchecked_colour = highlight_colour(window, first)
    assert "2 unchecked" in window.summary.text() and library_row(window).unchecked == 2

    window.action_set["claim.status.verified"].trigger()

    row = model.row_of(first.id)
    assert model.index(row, 1).data() == "Verified"
    assert changed_rows == [row] and resets == []  # one row, not a refill
    verified = format_for("verified", current=True).background().color().name()
    assert highlight_colour(window, first) == verified != unchecked_colour
    assert "1 unchecked" in window.summary.text()
    assert library_row(window).unchecked == 1  # the library pane shows it too
    assert model.index(model.row_of(second.id), 1).data() == "Unchecked"

    window.action_set["edit.undo"].trigger()
    assert model.index(row, 1).data() == "Unchecked"
    assert highlight_colour(window, first) == unchecked_colour
    assert "2 unchecked" in window.summary.text() and library_row(window).unchecked == 2
    window.action_set["edit.redo"].trigger()
    assert model.index(row, 1).data() == "Verified"
    assert window.session.store.claim_by_id(first.id).status == "verified"


def test_a_typed_note_shows_in_the_claims_list_and_undo_takes_it_back(sample_window, qtbot):
    window = sample_window
    first, _ = open_with_claims(window)
    window.session.activate_claim(first.id)
    qtbot.keyClicks(window.claims.note, "Checked with the press office.")
    window.session.flush()  # the pause after typing, at once
    row = window.claims.model.row_of(first.id)
    tooltip = window.claims.model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "Note: Checked with the press office." in tooltip
    assert window.session.store.claim_by_id(first.id).note == "Checked with the press office."
    window.action_set["edit.undo"].trigger()
    assert window.claims.note.toPlainText() == ""
    assert "Note:" not in window.claims.model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)


def test_editing_a_claim_does_not_reload_the_review(sample_window, qtbot, monkeypatch):
    window = sample_window
    first, _ = open_with_claims(window)
    window.session.activate_claim(first.id)
    calls = Calls(monkeypatch, window.session.store, ("load_review", "claims", "sources"))

    qtbot.keyClicks(window.claims.note, "A note")
    window.session.flush()
    qtbot.keyClicks(window.claims.correction, "A correction")
    window.session.flush()
    window.action_set["claim.status.false"].trigger()
    window.action_set["edit.undo"].trigger()
    window.action_set["edit.redo"].trigger()

    assert calls.counts == {"load_review": 0, "claims": 0, "sources": 0}
    claim = window.session.store.claim_by_id(first.id)
    assert (claim.note, claim.correction, claim.status) == ("A note", "A correction", "false")
    assert window.session.data == window.session.store.load_review(window.session.review_id)
