"""RowList: a long list of rows of one height (the library), as a one-column table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

if TYPE_CHECKING:  # Qt itself comes with the first key pressed in the list (see qt_ints)
    from PySide6.QtCore import Qt

_Move = QAbstractItemView.CursorAction


class RowList(QTableView):
    """A one-column table without headers or grid that looks and keys like a list.

    QListView lays every row out again whenever rows are appended, asking the model for each
    row's index on the way (four calls into Python per row: ~450 ms a batch once 100,000
    reviews are loaded). A table whose rows have one fixed height keeps only a count of
    them, so appending a batch costs the batch."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as it does a QListView

    def set_row_height(self, pixels: int) -> None:
        self.verticalHeader().setMinimumSectionSize(min(pixels, 8))
        self.verticalHeader().setDefaultSectionSize(pixels)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        # In a table Home and End stay in the row (first and last column); in a list they
        # go to the first and the last row, as Ctrl+Home and Ctrl+End do in a table.
        if cursorAction in (_Move.MoveHome, _Move.MoveEnd):
            from PySide6.QtCore import Qt

            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(cursorAction, modifiers)
