"""Typing in the library search reads one page of matches and counts nothing: a keystroke on a
big library costs one page, not the whole result set."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from reviewapp.ui.models import ID_ROLE
from reviewapp.ui.models.library import LibraryModel
from tests.conftest import make_draft
from tests.ui.test_precise_updates import Calls


def test_a_search_keystroke_shows_a_page_of_matches_without_counting_them(
    make_window, qtbot, monkeypatch
):
    window = make_window()
    store = window.session.store
    with store.transaction():
        for n in range(LibraryModel.BATCH + 10):
            store.add_article(make_draft([f"Harbour report {n}."], f"Harbour {n}"))
        lone = store.add_article(make_draft(["A lone lighthouse."], "Lighthouse"))
    window.library.apply_filter()
    calls = Calls(monkeypatch, store, ("count_reviews", "list_reviews"))
    model, search = window.library.model, window.library.search

    qtbot.keyClicks(search, "harb")
    qtbot.waitUntil(lambda: calls.counts["list_reviews"] > 0, timeout=3000)
    assert model.rowCount() == LibraryModel.BATCH  # the first page, newest first
    assert model.index(0).data() == f"Harbour {LibraryModel.BATCH + 9}"
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # as the list does when scrolled to its end
    assert model.rowCount() == LibraryModel.BATCH + 10 and not model.canFetchMore(QModelIndex())
    assert calls.counts["count_reviews"] == 0
    assert window.library.no_match.isHidden()

    search.clear()
    qtbot.keyClicks(search, "lighthouse")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    assert model.index(0).data(ID_ROLE) == lone and model.total == 1
    search.clear()
    qtbot.keyClicks(search, "nowhere")
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=3000)
    assert window.library.no_match.isVisible()
    assert calls.counts["count_reviews"] == 0


def test_a_search_typed_after_scrolling_to_the_end_reads_one_page_and_shows_the_top(
    make_window, qtbot, monkeypatch
):
    window = make_window()
    store = window.session.store
    with store.transaction():
        for n in range(2 * LibraryModel.BATCH + 7):
            store.add_article(make_draft([f"Harbour report {n}."], f"Harbour {n}"))
    window.library.apply_filter()
    view, model, search = window.library.list, window.library.model, window.library.search
    view.setFocus()
    while model.canFetchMore(QModelIndex()) or view.currentIndex().row() != model.rowCount() - 1:
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.verticalScrollBar().value() > 0
    calls = Calls(monkeypatch, store, ("count_reviews", "list_reviews"))

    qtbot.keyClicks(search, "harb")
    qtbot.waitUntil(lambda: calls.counts["list_reviews"] > 0, timeout=3000)
    qtbot.wait(50)  # the list lays out and paints the new rows
    # One page read, at the top of the list: the keystroke did not also read the page after
    # it because the list had been scrolled to the end of the old rows.
    assert calls.counts["list_reviews"] == 1 and model.rowCount() == LibraryModel.BATCH
    assert view.verticalScrollBar().value() == 0
    assert view.indexAt(view.viewport().rect().topLeft()).row() == 0
    assert model.index(0).data() == f"Harbour {2 * LibraryModel.BATCH + 6}"
