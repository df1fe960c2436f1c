"""TakeawaysModel: the open review's takeaways in order; text and kind are edited in place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from reviewapp.core.model import Takeaway
from reviewapp.core.scales import TAKEAWAY_KINDS
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
KIND, TEXT = range(2)
HEADERS = ("Kind", "Takeaway")
KIND_ROLE = Qt.ItemDataRole.UserRole + 10


class TakeawaysModel(QAbstractTableModel):
    """Edits go to ``on_edit(takeaway, field, value)``, which makes an undoable command."""

    def __init__(self, on_edit: Callable[[Takeaway, str, str], None] | None = None, parent=None):
        super().__init__(parent)
        self._items: list[Takeaway] = []
        self._on_edit = on_edit

    def set_takeaways(self, items: list[Takeaway]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def takeaway_at(self, row: int) -> Takeaway | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, takeaway_id: int) -> int:
        return next((i for i, t in enumerate(self._items) if t.id == takeaway_id), -1)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self._on_edit is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        item = self.takeaway_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == KIND:
                return TAKEAWAY_KINDS.get(item.kind, item.kind)
            return item.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.text
        if role == KIND_ROLE:
            return item.kind
        if role == ID_ROLE:
            return item.id
        if role == RECORD_ROLE:
            return item
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.takeaway_at(index.row()) if index.isValid() else None
        if item is None or self._on_edit is None or role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() == KIND:
            # The delegate hands back the kind's key; a label typed by hand maps back too.
            labels = {label: key for key, label in TAKEAWAY_KINDS.items()}
            field, value = "kind", labels.get(str(value), str(value))
        else:
            field, value = "text", str(value)
        if value == getattr(item, field):
            return False
        self._on_edit(item, field, value)  # the session reloads and resets this model
        return True
