"""Ctrl+End in the library list reads batch after batch (keyset pages) until the last review:
every review is shown once, newest change first, and the last one is current."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from reviewapp.ui.models import ID_ROLE
from reviewapp.ui.models.library import LibraryModel
from tests.conftest import make_draft


def test_ctrl_end_reaches_the_last_review_with_every_review_shown_once(make_window, qtbot):
    window = make_window()
    store = window.session.store
    with store.transaction():
        for n in range(2 * LibraryModel.BATCH + 7):
            store.add_article(make_draft([f"Report {n}."], f"Report {n}"))
    window.library.apply_filter()
    expected = [r.id for r in store.list_reviews()]
    view, model = window.library.list, window.library.model
    assert model.rowCount() == LibraryModel.BATCH
    view.setFocus()
    for _ in range(10):
        if not model.canFetchMore(QModelIndex()) and view.currentIndex().row() == len(expected) - 1:
            break
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    shown = [model.index(row).data(ID_ROLE) for row in range(model.rowCount())]
    assert shown == expected
    assert view.currentIndex().row() == len(expected) - 1
    assert view.currentIndex().data() == "Report 0"  # the oldest review closes the list
    # Home and End go to the first and the last review, as in any list.
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().row() == 0 and view.currentIndex().data(ID_ROLE) == expected[0]
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == len(expected) - 1
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().data(ID_ROLE) == expected[-2]
