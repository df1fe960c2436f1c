"""Moving through the library with the keys opens only the review the selection rests on (each
row passed would otherwise be read and opened); a click or Return opens at once, and the window
title and status line name the selected review at once."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from reviewapp.ui.models import ID_ROLE
from reviewapp.ui.models.library import LibraryModel
from reviewapp.ui.panes import library as library_pane
from tests.conftest import make_draft


def _window(make_window, reviews: int, synchronous: bool = True):
    window = make_window(synchronous=synchronous)
    store = window.session.store
    with store.transaction():
        for n in range(reviews):
            store.add_article(make_draft([f"Harbour report {n}."], f"Harbour {n}"))
    window.library.apply_filter()
    return window


def _count_opens(window) -> list[int | None]:
    opened: list[int | None] = []
    window.session.reviewOpened.connect(lambda: opened.append(window.session.review_id))
    return opened


def test_holding_the_down_arrow_opens_only_the_review_it_rests_on(make_window, qtbot):
    window = _window(make_window, 12)
    view, model = window.library.list, window.library.model
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: window.session.review_id == model.index(0).data(ID_ROLE))
    opened = _count_opens(window)
    for _ in range(8):  # key repeat: faster than OPEN_AFTER_MS
        qtbot.keyClick(view, Qt.Key.Key_Down)
    resting = model.index(8).data(ID_ROLE)
    assert view.currentIndex().row() == 8
    # The title and the status line say which review is selected before it opens.
    assert window.windowTitle().startswith("Harbour 3 —")  # newest first: row 8 is "Harbour 3"
    assert window.statusBar().currentMessage() == "Opening “Harbour 3”…"
    assert opened == []
    qtbot.waitUntil(lambda: window.session.review_id == resting)
    assert opened == [resting]
    assert window.windowTitle().startswith("Harbour 3 —")
    assert window.statusBar().currentMessage() == ""  # opened: the line is free again
    assert view.currentIndex().row() == 8


def test_ctrl_end_through_many_pages_opens_only_the_last_review(make_window, qtbot, monkeypatch):
    # A page read on a busy machine may keep a press waiting past the pause (OPEN_AFTER_MS): it is
    # made longer than any page takes here, so that only the keys decide when it rests.
    monkeypatch.setattr(library_pane, "OPEN_AFTER_MS", 1500)
    window = _window(make_window, 2 * LibraryModel.BATCH + 7, synchronous=False)
    view, model = window.library.list, window.library.model
    qtbot.waitUntil(lambda: model.rowCount() == LibraryModel.BATCH, timeout=5000)
    opened = _count_opens(window)
    asked: list[int | None] = []
    open_review = window.session.open_review
    window.session.open_review = lambda review_id: (asked.append(review_id), open_review(review_id))
    view.setFocus()
    while model.canFetchMore(QModelIndex()) or view.currentIndex().row() != model.rowCount() - 1:
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        if model.loading:
            qtbot.waitUntil(lambda: model.page_task.finished, timeout=5000)
        # Until the selection rests, no review is asked for, however many pages come.
        assert asked == []
    last = model.index(model.rowCount() - 1).data(ID_ROLE)
    assert view.currentIndex().data() == "Harbour 0"  # the oldest
    qtbot.waitUntil(lambda: window.session.review_id == last, timeout=5000)
    assert asked == [last] and opened == [last]
    assert view.currentIndex().row() == model.rowCount() - 1  # still selected once open


def test_a_click_opens_at_once(make_window, qtbot):
    window = _window(make_window, 5)
    view, model = window.library.list, window.library.model
    opened = _count_opens(window)
    row = model.index(3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(row).center())
    assert opened == [row.data(ID_ROLE)]  # no pause: the synchronous reader read it here
    assert not window.library._open_timer.isActive()


def test_return_opens_at_once(make_window, qtbot):
    window = _window(make_window, 5)
    view, model = window.library.list, window.library.model
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: window.session.review_id == model.index(0).data(ID_ROLE))
    opened = _count_opens(window)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert opened == []
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [model.index(2).data(ID_ROLE)]
    assert not window.library._open_timer.isActive()  # nothing left to open after the pause


def test_a_review_arriving_while_the_keys_move_on_does_not_pull_the_selection_back(
    make_window, qtbot
):
    window = _window(make_window, 6, synchronous=False)
    view, model = window.library.list, window.library.model
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=5000)
    first = model.index(0)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(first).center()
    )
    qtbot.keyClick(view, Qt.Key.Key_Down)  # before the first review has arrived
    qtbot.keyClick(view, Qt.Key.Key_Down)
    wanted = model.index(2).data(ID_ROLE)
    qtbot.waitUntil(lambda: window.session.review_id == wanted, timeout=5000)
    assert view.currentIndex().row() == 2
