"""SourcesModel: the open review's sources and the claims each supports."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from reviewapp.core.model import Source
from reviewapp.core.scales import CREDIBILITY, SOURCE_KINDS
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE
from reviewapp.ui.models.claims import source_label

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
TITLE, KIND, CREDIBILITY_COLUMN, CLAIMS = range(4)
HEADERS = ("Source", "Kind", "Credibility", "Claims")
CREDIBILITY_COLOURS = {
    "undetermined": "#c9ced6",
    "credible": "#7fd49a",
    "uncertain": "#f5d36b",
    "not-credible": "#f08c8c",
}


class SourcesModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._sources: list[Source] = []
        self._numbers: dict[int, int] = {}  # claim id -> claim number

    def set_sources(self, sources: list[Source], claim_numbers: dict[int, int]) -> None:
        self.beginResetModel()
        self._sources = list(sources)
        self._numbers = dict(claim_numbers)
        self.endResetModel()

    def source_at(self, row: int) -> Source | None:
        return self._sources[row] if 0 <= row < len(self._sources) else None

    def row_of(self, source_id: int) -> int:
        return next((i for i, s in enumerate(self._sources) if s.id == source_id), -1)

    def claim_numbers(self, source: Source) -> list[int]:
        return sorted(self._numbers[c] for c in source.claim_ids if c in self._numbers)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._sources)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        source = self.source_at(index.row()) if index.isValid() else None
        if source is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE:
                return source_label(source)
            if column == KIND:
                return SOURCE_KINDS.get(source.kind, source.kind)
            if column == CREDIBILITY_COLUMN:
                return CREDIBILITY.get(source.credibility, source.credibility)
            if column == CLAIMS:
                numbers = self.claim_numbers(source)
                return ", ".join(map(str, numbers)) if numbers else "–"
        if role == Qt.ItemDataRole.DecorationRole and column == CREDIBILITY_COLUMN:
            return QColor(CREDIBILITY_COLOURS.get(source.credibility, "#c9ced6"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (source.title, source.url, source.publisher) if x)
        if role == ID_ROLE:
            return source.id
        if role == RECORD_ROLE:
            return source
        return None
