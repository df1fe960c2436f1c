"""Pages of the library after the first are read on the reader's thread: the list asks, the
rows are inserted when they arrive (nothing read on the GUI thread, no reset), an answer for a
search typed over since is dropped, and "Loading" shows only while a page keeps the list waiting.
Keys and the selection work as they did."""

from __future__ import annotations

import threading

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt

from reviewapp.ui.models import ID_ROLE
from reviewapp.ui.models.library import LibraryModel, first_batch
from tests.conftest import make_draft
from tests.ui.test_precise_updates import Calls

ROOT = QModelIndex()


def _library_window(make_window, reviews: int, titled: str = "Harbour"):
    window = make_window(synchronous=False)
    store = window.session.store
    with store.transaction():
        for n in range(reviews):
            store.add_article(make_draft([f"{titled} report {n}."], f"{titled} {n}"))
    window.library.apply_filter()  # the window was built empty: read its first page again
    return window, store


def _wait_for_page(qtbot, model: LibraryModel) -> None:
    qtbot.waitUntil(lambda: model.page_task is not None and model.page_task.finished, timeout=5000)


def test_the_next_page_is_read_off_the_gui_thread_and_inserted_when_it_arrives(
    make_window, qtbot, monkeypatch
):
    window, store = _library_window(make_window, 2 * LibraryModel.BATCH + 7)
    model, view = window.library.model, window.library.list
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH, timeout=5000)
    expected = [r.id for r in store.list_reviews()]
    # The window's own connection (the GUI thread's) reads nothing for the page.
    calls = Calls(monkeypatch, store, ("list_reviews", "current_signers", "signoffs"))
    inserted: list[tuple[int, int]] = []
    resets: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.modelReset.connect(lambda: resets.append(1))

    assert model.canFetchMore(ROOT)
    model.fetchMore(ROOT)  # as the list does when scrolled to its end
    # The page is on its way; asking again meanwhile does not read it twice.
    model.fetchMore(ROOT)
    qtbot.waitUntil(lambda: model.rowCount() == 2 * LibraryModel.BATCH, timeout=5000)
    assert inserted == [(LibraryModel.BATCH, 2 * LibraryModel.BATCH - 1)] and not resets
    assert not model.loading
    assert calls.counts == {"list_reviews": 0, "current_signers": 0, "signoffs": 0}

    # Ctrl+End, again as the pages come, reaches the last review with each shown once.
    view.setFocus()
    while model.canFetchMore(ROOT) or view.currentIndex().row() != model.rowCount() - 1:
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        if model.loading:
            _wait_for_page(qtbot, model)
    shown = [model.index(row).data(ID_ROLE) for row in range(model.rowCount())]
    assert shown == expected
    assert view.currentIndex().data() == "Harbour 0"  # the oldest review closes the list
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert 0 < view.currentIndex().row() < len(expected) - 1
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().data(ID_ROLE) == expected[0]
    assert window.library.loading.isHidden() and window.library.problem.isHidden()


def test_the_selected_review_stays_selected_while_a_page_is_added(make_window, qtbot):
    window, _store = _library_window(make_window, LibraryModel.BATCH + 30)
    model, view = window.library.model, window.library.list
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH, timeout=5000)
    chosen = model.index(5)
    chosen_id = chosen.data(ID_ROLE)
    view.selectionModel().setCurrentIndex(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.waitUntil(lambda: window.session.review_id == chosen_id, timeout=5000)

    model.fetchMore(ROOT)
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH + 30, timeout=5000)
    assert view.currentIndex().row() == 5 and view.currentIndex().data(ID_ROLE) == chosen_id
    assert [i.row() for i in view.selectionModel().selectedRows()] == [5]
    assert window.session.review_id == chosen_id
    qtbot.keyClick(view, Qt.Key.Key_Down)  # the keys go on from the selected row
    qtbot.waitUntil(lambda: window.session.review_id == model.index(6).data(ID_ROLE), timeout=5000)


def test_a_page_for_a_search_typed_over_since_is_dropped(make_window, qtbot):
    window, store = _library_window(make_window, LibraryModel.BATCH + 30)
    with store.transaction():
        lighthouses = [
            store.add_article(make_draft([f"Lighthouse log {n}."], f"Lighthouse {n}"))
            for n in range(3)
        ]
    window.library.apply_filter()
    model = window.library.model
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH, timeout=5000)
    # Hold the reader's thread so that the page is still to come when the search changes.
    gate = threading.Event()
    window.reader.read(lambda _store: gate.wait(10), lambda _: None, lambda _: None)
    model.fetchMore(ROOT)
    page = model.page_task
    model.show_first(first_batch(store, "lighthouse"))  # a search answered meanwhile
    gate.set()
    qtbot.waitUntil(lambda: page.finished, timeout=5000)

    assert sorted(model.index(r).data(ID_ROLE) for r in range(model.rowCount())) == lighthouses
    assert not model.loading and not model.canFetchMore(ROOT)


def test_loading_is_said_only_while_a_page_keeps_the_list_waiting(make_window, qtbot):
    window, _store = _library_window(make_window, LibraryModel.BATCH + 30)
    model, loading = window.library.model, window.library.loading
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH, timeout=5000)
    gate = threading.Event()
    window.reader.read(lambda _store: gate.wait(10), lambda _: None, lambda _: None)
    model.fetchMore(ROOT)
    assert loading.isHidden()  # not at once: most pages come before it would be read
    qtbot.waitUntil(loading.isVisible, timeout=5000)
    assert model.rowCount() == LibraryModel.BATCH
    gate.set()
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH + 30, timeout=5000)
    assert loading.isHidden()


def test_a_page_that_cannot_be_read_is_said_and_not_asked_for_again_in_a_loop(
    make_window, qtbot, monkeypatch
):
    window, _store = _library_window(make_window, LibraryModel.BATCH + 30)
    model = window.library.model
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH, timeout=5000)

    def broken(*_args, **_kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr("reviewapp.ui.reading.next_page", broken)
    model.fetchMore(ROOT)
    qtbot.waitUntil(window.library.problem.isVisible, timeout=5000)
    assert "disk I/O error" in window.library.problem.text()
    assert not model.canFetchMore(ROOT) and model.rowCount() == LibraryModel.BATCH
    monkeypatch.undo()
    window.library.apply_filter()  # a new search (or reload) tries again
    qtbot.waitUntil(lambda: model.canFetchMore(ROOT), timeout=5000)
    model.fetchMore(ROOT)
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH + 30, timeout=5000)
