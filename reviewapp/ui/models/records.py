"""RecordTableModel: the part every list pane's model shares (a list of records, one per row)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class _Record(Protocol):
    id: int


R = TypeVar("R", bound=_Record)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records with an id; subclasses give the headers and the data() of each cell."""

    headers: tuple[str, ...] = ()
    numbered_rows = False  # show 1, 2, 3 in the vertical header

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._items: list[R] = []

    def _reset(self, items: Iterable[R]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def replace(self, item: R) -> int:
        """Show a new version of one record in its row (dataChanged, no reset); its row or -1."""
        row = self.row_of(item.id)
        if row >= 0:
            self._items[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))
        return row

    def item_at(self, row: int) -> R | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, record_id: int) -> int:
        return next((i for i, item in enumerate(self._items) if item.id == record_id), -1)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return str(section + 1) if self.numbered_rows else None
