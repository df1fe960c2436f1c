"""Edits on a review with many claims touch what they change and nothing else: the session
finds a claim by its id (an index kept in step through add, delete, undo, redo, status and
link changes and a whole re-read), the counters follow each edit, and the article's
highlights are set once per action however many changes asked for them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewapp.store import NewClaim, ReviewStore
from reviewapp.ui.commands import SetClaimField, SetLink
from reviewapp.ui.highlights import FLASH_COLOUR, format_for
from tests.conftest import make_draft
from tests.ui.conftest import select_quote

CLAIMS = 400  # more than the article view highlights at once (only those near the view)


def many_claims(db_path, claims: int = CLAIMS) -> int:
    """A review whose every sentence but the last of each paragraph is a claim."""
    sentences = [f"Figure {n} grew by {n % 97} percent." for n in range(claims)]
    paragraphs = [
        " ".join(sentences[i : i + 10]) + f" Unclaimed words number {i}."
        for i in range(0, claims, 10)
    ]
    with ReviewStore(db_path) as store:
        review = store.add_article(make_draft(paragraphs, "Many claims"))
        store.add_claims(review, [NewClaim(quote=s) for s in sentences])
        store.add_source(review, [], title="A report", url="https://example.org/report")
    return review


def opened(make_window, db_path, qtbot, claims: int = CLAIMS):
    review = many_claims(db_path, claims)
    window = make_window()
    window.session.open_review(review)
    qtbot.waitUntil(lambda: not window.article.view.loading)
    return window


def assert_in_step(window, gone: tuple[int, ...] = ()) -> None:
    """Every loaded claim is found by its id and sits in its row; claims that went are not
    found; the status line counts what the store holds."""
    session = window.session
    claims = session.data.claims
    assert [c.number for c in claims] == list(range(1, len(claims) + 1))
    for claim in claims:
        assert session.claim(claim.id) is claim
        assert window.claims.model.row_of(claim.id) == claim.number - 1
    for claim_id in gone:
        assert session.claim(claim_id) is None
        assert window.claims.model.row_of(claim_id) == -1
    stored = session.store.claims(session.review_id)
    assert [(c.id, c.status, c.correction) for c in claims] == [
        (c.id, c.status, c.correction) for c in stored
    ]
    unchecked = sum(c.status == "unchecked" for c in stored)
    corrections = sum(bool(c.correction.strip()) for c in stored)
    assert session.status_text().startswith(
        f"{len(stored)} claims, {unchecked} unchecked, {corrections} correction"
    )


class SetCount:
    """Counts how often the article view's highlights are set (the real call still runs)."""

    def __init__(self, monkeypatch, view):
        self.calls = 0
        real = view.setExtraSelections

        def counted(selections):
            self.calls += 1
            real(selections)

        monkeypatch.setattr(view, "setExtraSelections", counted)


def highlight_of(view, start: int, end: int):
    """The one claim highlight (not the flash) over code points [start, end), else None."""
    span = (view.utf16.to_utf16(start), view.utf16.to_utf16(end))
    found = [
        s
        for s in view.extraSelections()
        if (s.cursor.selectionStart(), s.cursor.selectionEnd()) == span
        and s.format.background().style() != Qt.BrushStyle.NoBrush
        and s.format.background().color() != FLASH_COLOUR
    ]
    assert len(found) <= 1
    return found[0] if found else None


def test_the_session_finds_each_claim_by_id_through_every_kind_of_edit(make_window, db_path, qtbot):
    window = opened(make_window, db_path, qtbot)
    session, actions = window.session, window.action_set
    assert_in_step(window)

    select_quote(window, "Unclaimed words number 200")  # after "Figure 209", before 210
    actions["claim.add"].trigger()
    added = session.current_claim()
    assert added is not None and added.number == 211 and added.quote.startswith("Unclaimed")
    assert session.claim(session.data.claims[211].id).quote.startswith("Figure 210 ")
    assert_in_step(window)

    session.activate_claim(session.data.claims[10].id)
    deleted = session.current_claim()
    actions["claim.delete"].trigger()
    assert_in_step(window, gone=(deleted.id,))
    actions["edit.undo"].trigger()  # back in its place, under its id
    assert session.claim(deleted.id).number == 11
    assert_in_step(window)
    actions["edit.undo"].trigger()  # the added one goes
    assert_in_step(window, gone=(added.id,))
    actions["edit.redo"].trigger()
    actions["edit.redo"].trigger()
    assert_in_step(window, gone=(deleted.id,))

    last = session.data.claims[-1]
    session.push(SetClaimField(session, last, "status", "unchecked", "verified"))
    session.push(SetClaimField(session, session.claim(last.id), "correction", "", "Say 7."))
    source = session.data.sources[0]
    session.push(SetLink(session, session.review_id, last.id, source.id, "", "supports"))
    assert session.claim(last.id).source_ids == [source.id]
    assert session.source(source.id).claim_ids == [last.id]
    assert_in_step(window, gone=(deleted.id,))
    assert session.status_text().startswith(f"{CLAIMS} claims, {CLAIMS - 1} unchecked, 1 corr")

    session.refresh_review()  # a whole new list of claims, read again
    assert session.claim(last.id) is session.data.claims[-1]
    assert_in_step(window, gone=(deleted.id,))


def test_adding_a_claim_sets_the_highlights_once_with_it_current_and_counts_it(
    make_window, db_path, qtbot, monkeypatch
):
    window = opened(make_window, db_path, qtbot)
    session, view = window.session, window.article.view
    quote = "Unclaimed words number 300"
    start, end = select_quote(window, quote)
    sets = SetCount(monkeypatch, view)

    window.action_set["claim.add"].trigger()
    # Its highlight, the current claim and the flash all asked; set once, in the next turn.
    assert sets.calls == 0
    qtbot.waitUntil(lambda: sets.calls > 0)
    assert sets.calls == 1
    added = session.current_claim()
    assert (added.start, added.end) == (start, end)
    highlight = highlight_of(view, start, end)
    assert highlight is not None
    assert highlight.format.background() == format_for("unchecked", True).background()
    assert highlight.format.fontUnderline()  # the current claim's mark
    assert session.status_text().startswith(f"{CLAIMS + 1} claims, {CLAIMS + 1} unchecked")
    assert window.claims.list.currentIndex().row() == added.number - 1

    session.undo()
    assert highlight_of(view, start, end) is None  # read back at once: the undo's applied
    assert session.status_text().startswith(f"{CLAIMS} claims, {CLAIMS} unchecked")


def test_accepting_a_suggestion_sets_the_highlights_once_and_its_mark_gives_way(
    sample_window, qtbot, monkeypatch
):
    window = sample_window
    view, tracker = window.article.view, window.suggestions
    s = next(s for s in tracker.suggestions if "has committed $4 billion" in s.text)
    view.show_span(s.start, s.start)  # the cursor in it, nothing selected
    qtbot.waitUntil(lambda: not view._highlights_due)
    sets = SetCount(monkeypatch, view)

    window.action_set["suggestion.accept"].trigger()
    qtbot.waitUntil(lambda: sets.calls > 0)
    qtbot.wait(20)  # nothing else asks afterwards
    assert sets.calls == 1
    highlight = highlight_of(view, s.start, s.end)
    assert highlight is not None and highlight.format.fontUnderline()
    # the mark is gone: no dotted underline without a background over the sentence any more
    assert not [
        x
        for x in view.extraSelections()
        if x.cursor.selectedText() == s.text and x.format.background().style() == Qt.NoBrush
    ]
