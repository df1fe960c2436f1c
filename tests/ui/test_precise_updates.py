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
        if s.cursor.selectionStart() == start
        and s.format.background().color() != FLASH_COLOUR
        and s.format.background().style() != Qt.BrushStyle.NoBrush  # not a suggestion's mark
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


def panes_shown(window) -> dict:
    """What every pane shows of the open review's claims, as the editor reads it (the Sources
    tab brought forward to read it, then the Claims tab again)."""
    window.tabs.setCurrentIndex(1)
    sources = _read_sources(window)
    window.tabs.setCurrentIndex(0)
    claims_model = window.claims.model
    view = window.article.view
    return {
        "claim rows": [
            (claims_model.index(r, 0).data(), claims_model.index(r, 2).data())
            for r in range(claims_model.rowCount())
        ],
        "highlights": sorted(
            s.cursor.selectionStart()
            for s in view.extraSelections()
            # claims only: not the flash, nor a suggestion's mark (a line, no background)
            if s.format.background().color() != FLASH_COLOUR
            and s.format.background().style() != Qt.BrushStyle.NoBrush
        ),
        **sources,
        "status line": window.summary.text(),
        "library claims": library_row(window).claims,
    }


def _read_sources(window) -> dict:
    sources_model, links = window.sources.model, window.sources.claims.list
    return {
        "source claims": [
            sources_model.index(r, 3).data() for r in range(sources_model.rowCount())
        ],
        "source's link list": [links.item(i).text() for i in range(links.count())],
    }


def panes_expected(window) -> dict:
    """The same, from what the store holds."""
    store, review_id = window.session.store, window.session.review_id
    claims = store.claims(review_id)
    number = {c.id: c.number for c in claims}
    view = window.article.view
    (source,) = store.sources(review_id)
    unchecked = sum(c.status == "unchecked" for c in claims)
    return {
        "claim rows": [(str(c.number), f"“{c.quote}”") for c in claims],
        "highlights": sorted(view.utf16.to_utf16(c.start) for c in claims),
        "source claims": [
            ", ".join(str(n) for n in sorted(number[c] for c in source.claim_ids)) or "–"
        ],
        "source's link list": [
            ("Supports claim" if c.id in source.claim_ids else "Claim")
            + f" {c.number}: “{c.quote}”"
            for c in claims
        ],
        "status line": f"{len(claims)} claim{'s' * (len(claims) != 1)}, {unchecked} unchecked",
        "library claims": len(claims),
    }


def test_adding_and_deleting_a_claim_and_their_undo_keep_every_pane_right_without_a_reload(
    sample_window, qtbot, monkeypatch
):
    from reviewapp.ui.commands import AddSource

    window = sample_window
    session = window.session
    first, second = sorted(open_with_claims(window), key=lambda c: c.start)
    session.push(
        AddSource(
            session, session.review_id, {second.id: "supports"}, {"url": "https://example.org/a"}
        )
    )
    window.tabs.setCurrentIndex(1)
    window.sources.select(session.data.sources[0].id)  # its link list names every claim
    window.tabs.setCurrentIndex(0)
    # A passage between the two claims: the claim after it is renumbered.
    start, end = select_quote(window, "CEO")
    assert first.end <= start and end <= second.start
    calls = Calls(monkeypatch, session.store, ("load_review", "claims", "sources"))
    model = window.claims.model
    resets, inserted, removed, changed = [], [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), bottom.row())))

    def check(claims: int) -> None:
        counts = dict(calls.counts)
        shown = panes_shown(window)
        assert shown.pop("status line").startswith(panes_expected(window).pop("status line"))
        expected = panes_expected(window)
        expected.pop("status line")
        assert shown == expected
        assert shown["library claims"] == claims
        assert session.data == session.store.load_review(session.review_id)
        calls.counts.update(counts)  # the checks' own reads do not count

    window.action_set["claim.add"].trigger()
    added = session.current_claim()
    assert added is not None and added.number == 2 and session.claim(second.id).number == 3
    assert inserted == [(1, 1)] and changed == [(2, 2)]  # one row in, the one after renumbered
    check(3)

    window.action_set["edit.undo"].trigger()  # the added claim goes again
    assert removed == [(1, 1)] and changed[-1] == (1, 1) and session.current_claim() is None
    check(2)

    window.action_set["edit.redo"].trigger()
    check(3)

    session.activate_claim(first.id)
    window.action_set["claim.delete"].trigger()
    assert removed[-1] == (0, 0) and changed[-1] == (0, 1)
    check(2)

    session.activate_claim(second.id)  # the linked one: its source no longer lists it
    window.action_set["claim.delete"].trigger()
    check(1)
    window.action_set["edit.undo"].trigger()  # back, linked to its source again
    check(2)
    assert session.claim(second.id).source_ids == [session.data.sources[0].id]
    window.action_set["edit.undo"].trigger()
    check(3)

    assert resets == []
    assert calls.counts == {"load_review": 0, "claims": 0, "sources": 0}


def test_adding_a_linked_source_and_its_undo_update_both_panes_without_a_reload(
    sample_window, qtbot, monkeypatch
):
    from reviewapp.ui.commands import AddSource

    window = sample_window
    session = window.session
    _first, second = sorted(open_with_claims(window), key=lambda c: c.start)
    session.activate_claim(second.id)
    calls = Calls(monkeypatch, session.store, ("load_review", "claims", "sources"))
    sources_model, claims_model = window.sources.model, window.claims.model
    resets, inserted = [], []
    for model in (sources_model, claims_model):
        model.modelReset.connect(lambda: resets.append(1))
    sources_model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    links = window.claims.sources.list  # the current claim's list of every source

    def shown() -> tuple:
        window.tabs.setCurrentIndex(1)  # the Sources tab, as the editor would look
        cells = [sources_model.index(r, 3).data() for r in range(sources_model.rowCount())]
        window.tabs.setCurrentIndex(0)
        return (
            cells,
            claims_model.index(claims_model.row_of(second.id), 4).data(),
            [links.item(i).text() for i in range(links.count())],
        )

    stances = {second.id: "refutes"}
    session.push(AddSource(session, session.review_id, stances, {"title": "Port records"}))
    assert inserted == [(0, 0)]
    assert shown() == (["✗2"], "1 ✗1", ["Port records — refutes"])
    window.action_set["edit.undo"].trigger()
    assert shown() == ([], "–", [])
    window.action_set["edit.redo"].trigger()
    assert shown() == (["✗2"], "1 ✗1", ["Port records — refutes"])
    assert resets == [] and calls.counts == {"load_review": 0, "claims": 0, "sources": 0}
    assert session.data == session.store.load_review(session.review_id)
