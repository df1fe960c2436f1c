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
