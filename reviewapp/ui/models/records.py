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
        # Row of each record id, built when first asked after the rows moved (row_of runs
        # several times per edit: a scan of 10,000 claims is ~0.3 ms each time).
        self._rows: dict[int, int] | None = None

    def _reset(self, items: Iterable[R]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._rows = None
        self.endResetModel()

    def replace(self, item: R, hint: int = -1) -> int:
        """Show a new version of one record in its row (dataChanged, no reset); its row or -1.
        hint: as for row_of."""
        row = self.row_of(item.id, hint)
        if row >= 0:
            self._items[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))
        return row

    def insert(self, row: int, items: Iterable[R]) -> None:
        """items is the new list, one record longer, with the new record at row: one
        rowsInserted (views keep their selection and scroll), no reset."""
        self.beginInsertRows(ROOT, row, row)
        self._items = list(items)
        self._rows = None
        self.endInsertRows()

    def remove(self, row: int, items: Iterable[R]) -> None:
        """items is the new list, without the record that was at row: one rowsRemoved."""
        self.beginRemoveRows(ROOT, row, row)
        self._items = list(items)
        self._rows = None
        self.endRemoveRows()

    def rows_changed_from(self, row: int, items: Iterable[R] | None = None) -> None:
        """The records from row on are new versions (e.g. renumbered): one dataChanged over
        them all. items, when given, is the whole new list, as long as the one shown."""
        if items is not None:
            items = list(items)
            assert len(items) == len(self._items)
            self._items = items
            self._rows = None
        if row < len(self._items):
            self.dataChanged.emit(
                self.index(row, 0), self.index(len(self._items) - 1, len(self.headers) - 1)
            )

    def item_at(self, row: int) -> R | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, record_id: int, hint: int = -1) -> int:
        """The row of the record with this id, or -1; hint: the row it is likely in (a
        claim's number less one), checked first."""
        items = self._items
        if 0 <= hint < len(items) and items[hint].id == record_id:
            return hint
        if self._rows is None:
            self._rows = {item.id: i for i, item in enumerate(items)}
        return self._rows.get(record_id, -1)

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
