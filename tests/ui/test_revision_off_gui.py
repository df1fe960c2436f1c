"""A new revision is read, re-anchored and saved off the GUI thread (in a worker process, or on
the pool thread when there is none; on a connection of its own), with the status bar saying
what it is doing; the window shows it after, and undo takes it back."""

from __future__ import annotations

import threading

import pytest

from reviewapp.store import ReviewStore
from reviewapp.workflows.workers import InProcess
from tests.conftest import make_draft


@pytest.mark.parametrize("where", ["worker process", "pool thread"])
def test_a_new_revision_is_saved_off_the_gui_thread_and_undone(
    make_window, qtbot, tmp_path, db_path, monkeypatch, where
):
    with ReviewStore(db_path) as store:
        review = store.add_article(
            make_draft(["The mayor said fees rose.", "The harbour closed in May."], "Ports")
        )
        mayor = store.add_claim_by_quote(review, "fees rose").id
        harbour = store.add_claim_by_quote(review, "closed in May").id
    newer = tmp_path / "newer.md"
    newer.write_text("# Ports\n\nThe harbour closed in May.\n\nThe mayor said fees fell.\n")
    saved_on: list[threading.Thread] = []
    add_revision = ReviewStore.add_revision

    def recorded(store, *args, **kwargs):
        saved_on.append(threading.current_thread())
        return add_revision(store, *args, **kwargs)

    monkeypatch.setattr(ReviewStore, "add_revision", recorded)
    window = make_window(synchronous=False, workers=InProcess() if where == "pool thread" else None)
    session = window.session
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and not window.article.view.loading)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    outcome: list[object] = []

    window.revisions.start("file", str(newer), outcome.append, outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=20_000)
    qtbot.waitUntil(lambda: session.data.revision.number == 2, timeout=20_000)

    if where == "pool thread":
        assert saved_on and threading.main_thread() not in saved_on
    else:  # not in this process at all
        assert saved_on == []
    assert window.watcher.check() is False  # the window's own write, not another program's
    assert any(m.startswith("Placing 2 claims on the new draft") for m in shown)
    assert session.data.revision.text.startswith("Ports\n\nThe harbour closed in May.")
    claims = {c.id: c for c in session.data.claims}
    assert claims[harbour].start == session.data.revision.text.index("closed in May")
    assert claims[mayor].anchor_state != "anchored"  # its words changed
    window.action_set["edit.undo"].trigger()
    qtbot.waitUntil(lambda: session.data.revision.number == 1, timeout=20_000)
    assert session.data.revision.text.startswith("Ports\n\nThe mayor said fees rose.")
    with ReviewStore(db_path) as store:
        assert [c.start for c in store.claims(review)] == [c.start for c in session.data.claims]


def _claim_places(claims) -> list[tuple]:
    return [(c.id, c.number, c.quote, c.start, c.end, c.anchor_state) for c in claims]


@pytest.mark.parametrize("where", ["worker process", "pool thread"])
def test_redo_and_undo_of_a_new_revision_run_off_the_gui_thread_and_end_as_the_first_did(
    make_window, qtbot, tmp_path, db_path, monkeypatch, where
):
    from reviewapp.workflows import revisions

    paragraphs = [f"Port {n} said its fees rose by {n} percent in May." for n in range(300)]
    with ReviewStore(db_path) as store:
        review = store.add_article(make_draft(paragraphs, "Ports"))
        for n in range(0, 300, 3):
            store.add_claim_by_quote(review, f"fees rose by {n} percent")
    newer = tmp_path / "newer.md"
    changed = [p.replace("rose", "fell") if n % 7 == 0 else p for n, p in enumerate(paragraphs)]
    newer.write_text("# Ports\n\n" + "\n\n".join(reversed(changed)) + "\n")
    planned_on: list[threading.Thread] = []
    plan = revisions.plan_revision

    def recorded(*args, **kwargs):
        planned_on.append(threading.current_thread())
        return plan(*args, **kwargs)

    monkeypatch.setattr(revisions, "plan_revision", recorded)
    undone_on: list[threading.Thread] = []
    undo_import = ReviewStore.undo_revision_import

    def undone(store, *args, **kwargs):
        undone_on.append(threading.current_thread())
        return undo_import(store, *args, **kwargs)

    monkeypatch.setattr(ReviewStore, "undo_revision_import", undone)
    window = make_window(synchronous=False, workers=InProcess() if where == "pool thread" else None)
    session = window.session
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and not window.article.view.loading)
    before = _claim_places(session.data.claims)
    window.revisions.start("file", str(newer), lambda _: None, lambda _: None)
    qtbot.waitUntil(lambda: session.data.revision.number == 2, timeout=20_000)
    first = _claim_places(session.data.claims)
    window.action_set["edit.undo"].trigger()
    assert session.writing(review)  # the undo, too, is written off the GUI thread
    qtbot.waitUntil(lambda: session.data.revision.number == 1, timeout=20_000)
    qtbot.waitUntil(lambda: _claim_places(session.data.claims) == before)
    planned_on.clear()

    window.action_set["edit.redo"].trigger()
    assert session.writing(review)  # no edits while the worker writes it
    qtbot.waitUntil(lambda: session.data.revision.number == 2, timeout=20_000)
    qtbot.waitUntil(lambda: not session.writing(review))

    if where == "pool thread":
        assert planned_on and threading.main_thread() not in planned_on
    else:  # not in this process at all
        assert planned_on == []
    assert _claim_places(session.data.claims) == first
    assert any(c[5] != "anchored" for c in first)  # some claims' words changed
    window.action_set["edit.undo"].trigger()  # and the redone step is undone as before
    qtbot.waitUntil(lambda: session.data.revision.number == 1, timeout=20_000)
    qtbot.waitUntil(lambda: _claim_places(session.data.claims) == before)
    if where == "pool thread":
        assert len(undone_on) == 2 and threading.main_thread() not in undone_on
    else:
        assert undone_on == []


def test_a_redo_that_fails_off_the_gui_thread_is_shown_and_leaves_nothing_to_undo(
    make_window, qtbot, tmp_path, db_path, monkeypatch
):
    from reviewapp.core.errors import BadInput
    from reviewapp.workflows import revisions

    window, review = _revised(make_window, qtbot, tmp_path, db_path)
    session = window.session
    window.action_set["edit.undo"].trigger()
    qtbot.waitUntil(lambda: session.data.revision.number == 1, timeout=20_000)

    def refuse(*_args):
        raise BadInput("the library is locked by another program")

    monkeypatch.setattr(revisions, "rewrite_revision", refuse)
    window.action_set["edit.redo"].trigger()
    qtbot.waitUntil(lambda: "locked by another program" in window.statusBar().currentMessage())
    assert not session.writing(review)
    window.action_set["edit.undo"].trigger()  # the failed step goes; nothing is taken back

    assert session.undo_stack.count() == 0
    assert session.data.revision.number == 1
    with ReviewStore(db_path) as store:
        assert [r.number for r in store.revisions(store.review(review).article_id)] == [1]


def test_an_undo_that_fails_off_the_gui_thread_is_shown_and_the_revision_stays(
    make_window, qtbot, tmp_path, db_path, monkeypatch
):
    from reviewapp.core.errors import BadInput
    from reviewapp.workflows import revisions

    window, review = _revised(make_window, qtbot, tmp_path, db_path)
    session = window.session

    def refuse(*_args):
        raise BadInput("the library is locked by another program")

    monkeypatch.setattr(revisions, "unwrite_revision", refuse)
    window.action_set["edit.undo"].trigger()
    qtbot.waitUntil(lambda: "locked by another program" in window.statusBar().currentMessage())
    assert not session.writing(review)
    window.action_set["edit.redo"].trigger()  # the failed step goes; nothing is written again

    assert session.undo_stack.count() == 0
    qtbot.waitUntil(lambda: session.data.revision.number == 2)
    with ReviewStore(db_path) as store:
        assert [r.number for r in store.revisions(store.review(review).article_id)] == [1, 2]


def _revised(make_window, qtbot, tmp_path, db_path):
    """A threaded window (its work in-process, where monkeypatch reaches it) on a review of
    one claim whose next draft was just imported: (window, review id)."""
    with ReviewStore(db_path) as store:
        review = store.add_article(make_draft(["The mayor said fees rose."], "Ports"))
        store.add_claim_by_quote(review, "fees rose")
    newer = tmp_path / "newer.md"
    newer.write_text("# Ports\n\nThe mayor said fees fell.\n")
    window = make_window(synchronous=False, workers=InProcess())
    session = window.session
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and not window.article.view.loading)
    window.revisions.start("file", str(newer), lambda _: None, lambda _: None)
    qtbot.waitUntil(lambda: session.data.revision.number == 2, timeout=20_000)
    return window, review
