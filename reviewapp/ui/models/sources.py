"""SourcesModel: the open review's sources and the claims each speaks to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from reviewapp.core.model import Source
from reviewapp.core.scales import CREDIBILITY, SOURCE_KINDS, STANCES
from reviewapp.core.states import Credibility, Stance
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE
from reviewapp.ui.models.claims import source_label
from reviewapp.ui.models.records import Index, RecordTableModel

TITLE, KIND, CREDIBILITY_COLUMN, CLAIMS = range(4)
HEADERS = ("Source", "Kind", "Credibility", "Claims")
CREDIBILITY_COLOURS: dict[str, str] = {
    Credibility.UNDETERMINED: "#c9ced6",
    Credibility.CREDIBLE: "#7fd49a",
    Credibility.UNCERTAIN: "#f5d36b",
    Credibility.NOT_CREDIBLE: "#f08c8c",
}


class SourcesModel(RecordTableModel[Source]):
    headers = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._numbers: dict[int, int] = {}  # claim id -> claim number

    def set_sources(self, sources: list[Source], claim_numbers: dict[int, int]) -> None:
        self._numbers = dict(claim_numbers)
        self._reset(sources)

    def renumber(self, sources: list[Source], claim_numbers: dict[int, int]) -> None:
        """The same sources with claims renumbered or links changed: one dataChanged."""
        self._numbers = dict(claim_numbers)
        self.rows_changed_from(0, sources)

    source_at = RecordTableModel.item_at

    def claim_numbers(self, source: Source) -> list[int]:
        return sorted(self._numbers[c] for c in source.claim_ids if c in self._numbers)

    def links(self, source: Source) -> list[tuple[int, Stance]]:
        """(claim number, stance) of each linked claim, in number order."""
        return sorted(
            (self._numbers[c], source.stance_of(c)) for c in source.claim_ids if c in self._numbers
        )

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
                # 1 supports, ✗2 refutes, ○3 gives context (the tooltip says it in words)
                marks = {Stance.SUPPORTS: "", Stance.REFUTES: "✗", Stance.CONTEXT: "○"}
                cells = [f"{marks[stance]}{n}" for n, stance in self.links(source)]
                return ", ".join(cells) if cells else "–"
        if role == Qt.ItemDataRole.DecorationRole and column == CREDIBILITY_COLUMN:
            return QColor(CREDIBILITY_COLOURS.get(source.credibility, "#c9ced6"))
        if role == Qt.ItemDataRole.ToolTipRole:
            links = [f"{STANCES[stance]} claim {n}" for n, stance in self.links(source)]
            lines = [source.title, source.url, source.publisher, *links, f"id {source.stable_id}"]
            return "\n".join(x for x in lines if x)
        if role == ID_ROLE:
            return source.id
        if role == RECORD_ROLE:
            return source
        return None
