"""While a new revision of a review is written on the pool, that review takes no edits (its
add actions are off and the status line says why): an edit made meanwhile would land at the
old text's positions in the new text, and undo would not know where to put it back."""

from __future__ import annotations

import threading

import pytest

from reviewapp.store import ReviewStore
from reviewapp.ui import commands
from reviewapp.workflows import revisions
from reviewapp.workflows.workers import InProcess
from tests.conftest import make_draft
from tests.ui.conftest import select_quote


@pytest.mark.parametrize("blocked", ["before the write", "after the write"])
def test_edits_wait_while_a_new_revision_is_written(
    make_window, qtbot, tmp_path, db_path, monkeypatch, blocked
):
    with ReviewStore(db_path) as store:
        review = store.add_article(
            make_draft(["The mayor said fees rose.", "The harbour closed in May."], "Ports")
        )
        store.add_claim_by_quote(review, "closed in May")
    newer = tmp_path / "newer.md"
    newer.write_text("# Ports\n\nA new opening line.\n\nThe harbour closed in May.\n")
    release, waiting = threading.Event(), threading.Event()
    write_revision = revisions.write_revision

    def held(store, *args, **kwargs):
        if blocked == "before the write":
            waiting.set()
            release.wait(20)
        written = write_revision(store, *args, **kwargs)
        if blocked == "after the write":
            waiting.set()
            release.wait(20)
        return written

    monkeypatch.setattr(revisions, "write_revision", held)
    # In this process, where the write is held (a worker process would not see the patch).
    window = make_window(synchronous=False, workers=InProcess())
    session = window.session
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and not window.article.view.loading)
    select_quote(window, "The mayor")
    window.action_set["claim.add"].trigger()  # an edit made before: on the undo stack
    with ReviewStore(db_path) as store:
        places_before = store.claim_places(review)
    outcome: list[object] = []

    window.revisions.start("file", str(newer), outcome.append, outcome.append)
    qtbot.waitUntil(waiting.is_set, timeout=20_000)
    qtbot.wait(20)
    try:
        # The editor selects words of the text shown (the old one) and adds a claim.
        assert not window.action_set["claim.add"].isEnabled()
        assert "saving the new revision" in window.summary.text()
        start, end = select_quote(window, "fees rose")
        window.action_set["claim.add"].trigger()
        assert not session.push(commands.AddClaim(session, review, start, end))
        assert not session.editable
        window.action_set["edit.undo"].trigger()  # would take "The mayor" away meanwhile
        with ReviewStore(db_path) as store:
            assert len(store.claims(review)) == 2
    finally:
        release.set()
    qtbot.waitUntil(lambda: bool(outcome), timeout=20_000)
    qtbot.waitUntil(lambda: session.data.revision.number == 2, timeout=20_000)

    with ReviewStore(db_path) as store:
        quotes = [c.quote for c in store.claims(review)]
        assert len(quotes) == 2 and "fees rose" not in quotes  # the new draft's places
    assert session.editable and window.action_set["claim.add"].isEnabled()
    assert "saving" not in window.summary.text()
    window.action_set["edit.undo"].trigger()  # the import, not an edit made meanwhile
    qtbot.waitUntil(lambda: session.data.revision.number == 1, timeout=20_000)
    with ReviewStore(db_path) as store:
        assert store.claim_places(review) == places_before
    # Edits are taken again, at the places of the text shown.
    start, end = select_quote(window, "fees rose")
    window.action_set["claim.add"].trigger()
    with ReviewStore(db_path) as store:
        assert sorted(c.quote for c in store.claims(review)) == [
            "The mayor",
            "closed in May",
            "fees rose",
        ]
