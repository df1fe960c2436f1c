"""Importing bundles (on the pool thread) and adopting a draft as another review's revision
(in a worker process) write off the GUI thread, on a connection of their own, with progress on
the status line; the window shows the
result when it arrives, undo takes it back, and a cancelled bundle import writes nothing."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QMessageBox

from reviewapp.store import ReviewStore
from reviewapp.workflows import bundles
from tests.conftest import file_digest
from tests.ui.conftest import select_quote
from tests.ui.shown import errors_shown, shown_dialog
from tests.ui.test_revisions_gui import _page, _write


def test_a_bundle_is_imported_off_the_gui_thread_and_undone(
    sample_window, make_window, qtbot, tmp_path, monkeypatch
):
    bundle = tmp_path / "review.json"
    sample_window.export_to(bundle, "json")
    written_on: list[threading.Thread] = []
    import_bundles = bundles.import_bundles

    def recorded(store, checked):
        written_on.append(threading.current_thread())
        return import_bundles(store, checked)

    monkeypatch.setattr(bundles, "import_bundles", recorded)
    window = make_window(tmp_path / "other.db", synchronous=False)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)

    window.exports.import_bundles([bundle])
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox, "bundleResult")), timeout=20_000)
    box = shown_dialog(window, QMessageBox, "bundleResult")
    assert box.text() == "Imported 1 review."
    assert written_on and threading.main_thread() not in written_on
    assert any(m.startswith("Importing 1 bundle") for m in shown)
    assert window.watcher.check() is False  # the window's own write, not another program's
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=20_000)
    store = window.session.store
    assert store.count_reviews() == 1
    assert window.library.model.rowCount() == 1
    box.accept()
    window.action_set["edit.undo"].trigger()
    assert store.count_reviews() == 0
    window.action_set["edit.redo"].trigger()
    assert store.count_reviews() == 1


def test_a_bundle_import_cancelled_before_the_write_imports_nothing(
    sample_window, make_window, qtbot, tmp_path, monkeypatch
):
    bundle = tmp_path / "review.json"
    sample_window.export_to(bundle, "json")
    release, checking = threading.Event(), threading.Event()
    check_bundle = bundles.check_bundle

    def held(content, label="bundle"):
        checking.set()
        release.wait(20)
        return check_bundle(content, label)

    monkeypatch.setattr(bundles, "check_bundle", held)
    window = make_window(tmp_path / "other.db", synchronous=False)
    before = file_digest(window.session.store.path)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    task = window.exports.import_bundles([bundle])
    qtbot.waitUntil(checking.is_set, timeout=20_000)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: any("cancelled" in m for m in shown), timeout=20_000)
    assert window.session.store.count_reviews() == 0
    assert file_digest(window.session.store.path) == before
    assert not errors_shown(window)
    assert not window.action_set["edit.undo"].isEnabled()


def test_a_bad_bundle_read_on_the_pool_is_shown_and_imports_nothing(make_window, qtbot, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    window = make_window(synchronous=False)
    window.exports.import_bundles([bad])
    qtbot.waitUntil(lambda: bool(errors_shown(window)), timeout=20_000)
    assert errors_shown(window)[-1].startswith("bad.json")
    assert window.session.store.count_reviews() == 0


def test_adopting_a_draft_as_a_revision_writes_off_the_gui_thread(
    make_window, qtbot, tmp_path, monkeypatch
):
    on_threads: list[threading.Thread] = []
    for name in ("add_revision", "delete_review"):
        original = getattr(ReviewStore, name)

        def recorded(store, *args, _original=original, **kwargs):
            on_threads.append(threading.current_thread())
            return _original(store, *args, **kwargs)

        monkeypatch.setattr(ReviewStore, name, recorded)
    window = make_window(synchronous=False)
    session = window.session
    window.importer.import_path(_write(tmp_path / "a.html", _page("$4 billion").decode()))
    qtbot.waitUntil(lambda: session.data is not None, timeout=20_000)
    first_id = session.review_id
    select_quote(window, "committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.importer.import_path(_write(tmp_path / "b.html", _page("$8 billion").decode()))
    qtbot.waitUntil(lambda: session.review_id not in (None, first_id), timeout=20_000)
    second_id = session.review_id
    bar = window.revisions.offer_bar
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    on_threads.clear()

    bar.accept_button.click()
    # Until the answer arrives neither review takes edits; the status line says why.
    assert not session.editable and not window.action_set["claim.add"].isEnabled()
    assert f"moving this draft onto review {first_id}" in window.summary.text()
    qtbot.waitUntil(
        lambda: session.review_id == first_id and session.data.revision.number == 2,
        timeout=20_000,
    )
    assert on_threads == []  # planned and written in a worker process
    assert any(m.startswith(f"Placing the claims of review {first_id}") for m in shown)
    assert session.editable and window.action_set["claim.add"].isEnabled()
    assert session.data.claims[0].anchor_state == "needs-confirmation"
    store = session.store
    assert [s.id for s in store.list_reviews()] == [first_id]  # the extra review is in the bin
    assert window.watcher.check() is False

    window.action_set["edit.undo"].trigger()
    qtbot.waitUntil(lambda: session.review_id == second_id, timeout=20_000)
    assert sorted(s.id for s in store.list_reviews()) == [first_id, second_id]
    assert store.load_review(first_id).revision.number == 1


def test_an_adoption_that_fails_on_the_pool_is_shown_and_changes_nothing(
    make_window, qtbot, tmp_path, monkeypatch
):
    from reviewapp.core.errors import BadInput
    from reviewapp.workflows import revisions as revision_workflows
    from reviewapp.workflows.workers import InProcess

    window = make_window(synchronous=False, workers=InProcess())  # the failure patched here
    session = window.session
    window.importer.import_path(_write(tmp_path / "a.html", _page("$4 billion").decode()))
    qtbot.waitUntil(lambda: session.data is not None, timeout=20_000)
    first_id = session.review_id
    window.importer.import_path(_write(tmp_path / "b.html", _page("$8 billion").decode()))
    qtbot.waitUntil(lambda: session.review_id not in (None, first_id), timeout=20_000)
    second_id = session.review_id
    bar = window.revisions.offer_bar
    qtbot.waitUntil(bar.isVisible, timeout=20_000)

    def refuse(*_args, **_kwargs):
        raise BadInput("the claims could not be placed on the new draft")

    monkeypatch.setattr(revision_workflows, "plan_revision", refuse)
    bar.accept_button.click()
    qtbot.waitUntil(lambda: bool(errors_shown(window)), timeout=20_000)
    assert "could not be placed" in errors_shown(window)[-1]
    assert session.review_id == second_id and session.editable  # edits are taken again
    store = session.store
    assert sorted(s.id for s in store.list_reviews()) == sorted([first_id, second_id])
    assert store.load_review(first_id).revision.number == 1
    assert "Follow" not in window.action_set["edit.undo"].text()
