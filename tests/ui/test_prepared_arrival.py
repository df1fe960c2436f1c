"""A review read on the reader's thread arrives with what the window derives from its claims
worked out there (highlights, counts, numbers): what the editor sees is the same as when the
window works it out itself, and stays right through the edits that follow."""

from __future__ import annotations

import gc

from reviewapp.store import ReviewStore
from reviewapp.ui import session as session_module
from reviewapp.ui.session import SOURCES
from tests.conftest import make_draft
from tests.ui.conftest import claim_highlights

PARAGRAPHS = [f"Paragraph {n} says the harbour claim{n:03d} held in spring." for n in range(40)]


def review_with_a_source(db_path) -> int:
    """A review of 40 claims, the last three linked to one source, and a short other one."""
    with ReviewStore(db_path) as store:
        review = store.add_article(make_draft(PARAGRAPHS, "Forty claims"))
        ids = [store.add_claim_by_quote(review, f"claim{n:03d}").id for n in range(40)]
        store.add_source(review, ids[-3:], title="Port log", url="https://example.org/log")
        store.add_article(make_draft(["A short one."], "Another"))
    return review


def test_claims_worked_out_on_the_reader_show_and_follow_edits(make_window, db_path, qtbot):
    review = review_with_a_source(db_path)
    window = make_window(synchronous=False)  # the reader runs on its own thread
    session, view = window.session, window.article.view
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and not view.loading)
    assert session.prepared() is not None  # it arrived worked out

    quotes = {c.quote for c in session.data.claims}
    assert claim_highlights(view) == quotes and len(quotes) == 40
    assert session.status_text().startswith("40 claims, 40 unchecked, 0 corrections")
    sources = window.sources.model
    assert sources.claim_numbers(sources.source_at(0)) == [38, 39, 40]

    # The first claim goes: the rest are renumbered, its highlight goes, the counts follow.
    first = session.data.claims[0]
    session.activate_claim(first.id)
    window.action_set["claim.delete"].trigger()
    assert session.prepared() is None  # worked out for the claims as they were
    window.tabs.setCurrentIndex(1)  # the sources pane renumbers when shown
    qtbot.waitUntil(lambda: sources.claim_numbers(sources.source_at(0)) == [37, 38, 39])
    session.reload({SOURCES})  # the sources read again (as a bigger change does): the same
    assert sources.claim_numbers(sources.source_at(0)) == [37, 38, 39]
    assert claim_highlights(view) == quotes - {first.quote}
    assert session.status_text().startswith("39 claims, 39 unchecked")

    # A status set on another claim recolours it and counts it checked.
    second = session.data.claims[0]
    session.activate_claim(second.id)
    window.action_set["claim.status.verified"].trigger()
    assert session.status_text().startswith("39 claims, 38 unchecked")
    session.undo()
    session.undo()  # the first claim comes back, with its number and highlight
    assert session.status_text().startswith("40 claims, 40 unchecked")
    qtbot.waitUntil(lambda: claim_highlights(view) == quotes)
    assert sources.claim_numbers(sources.source_at(0)) == [38, 39, 40]


def test_reading_a_big_review_leaves_the_garbage_collector_on(
    make_window, db_path, qtbot, monkeypatch
):
    review = review_with_a_source(db_path)
    monkeypatch.setattr(session_module, "FREEZE_FROM_CLAIMS", 10)  # 40 claims count as big
    window = make_window(synchronous=False)
    session = window.session
    assert gc.isenabled()
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and session.loading_id is None)
    assert gc.isenabled()
    claims = session.data.claims
    # kept out of the collector's passes: in none of its generations (frozen)
    assert not any(o is claims for g in range(3) for o in gc.get_objects(generation=g))


def test_the_highlights_of_many_claims_come_by_themselves_in_the_next_turn(
    make_window, db_path, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QTextEdit

    from reviewapp.ui.panes import article

    review = review_with_a_source(db_path)
    monkeypatch.setattr(article, "ALL_HIGHLIGHTS_UP_TO", 10)  # 40 claims count as many
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and not view.loading)
    # Set on the view without anything asking for them (extraSelections() would set them).
    qtbot.waitUntil(lambda: len(QTextEdit.extraSelections(view)) >= 40)
    assert claim_highlights(view) == {c.quote for c in session.data.claims}
