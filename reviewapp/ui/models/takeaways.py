"""TakeawaysModel: the open review's takeaways in order; text and kind are edited in place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from reviewapp.core.model import Takeaway
from reviewapp.core.scales import TAKEAWAY_KINDS
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE
from reviewapp.ui.models.library import short_date
from reviewapp.ui.models.records import Index, RecordTableModel

KIND, TEXT = range(2)
HEADERS = ("Kind", "Takeaway")
KIND_ROLE = Qt.ItemDataRole.UserRole + 10


class TakeawaysModel(RecordTableModel[Takeaway]):
    """Edits go to ``on_edit(takeaway, field, value)``, which makes an undoable command."""

    headers = HEADERS
    numbered_rows = True

    def __init__(self, on_edit: Callable[[Takeaway, str, str], None] | None = None, parent=None):
        super().__init__(parent)
        self._on_edit = on_edit

    def set_takeaways(self, items: list[Takeaway]) -> None:
        self._reset(items)

    takeaway_at = RecordTableModel.item_at

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
            return f"{item.text}\n\nid {item.stable_id} · written {short_date(item.created_at)}"
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
        self._on_edit(item, field, value)  # the session then announces this one takeaway
        return True
