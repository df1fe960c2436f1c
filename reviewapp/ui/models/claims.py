"""ClaimsModel: the open review's claims in text order."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from reviewapp.core.model import Claim, Source
from reviewapp.core.scales import ANCHOR_STATES, CLAIM_STATUS, FIRM_ANCHOR_STATES
from reviewapp.core.states import AnchorState, Stance
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE, STATUS_ROLE
from reviewapp.ui.models.records import Index, RecordTableModel
from reviewapp.ui.scale_style import CLAIM_STATUS_COLOURS

NUMBER, STATUS, QUOTE, ANCHOR, SOURCES = range(5)
HEADERS = ("#", "Status", "Claim", "Passage", "Sources")

# How firmly each claim sits on the current draft. The unsettled states are warm colours and
# bold, so they stand out in a long list; readable on light and dark backgrounds.
# Keyed by AnchorState members and typed by str, as in core/scales: a stored spelling looks up too.
ANCHOR_COLOURS: dict[str, str] = {
    AnchorState.ANCHORED: "#3f9a5a",
    AnchorState.MOVED: "#3b82c4",
    AnchorState.NEEDS_CONFIRMATION: "#d68a00",
    AnchorState.AMBIGUOUS: "#e0602a",
    AnchorState.ORPHANED: "#c62f2f",
}
ANCHOR_SYMBOLS: dict[str, str] = {
    AnchorState.ANCHORED: "●",
    AnchorState.MOVED: "➜",
    AnchorState.NEEDS_CONFIRMATION: "▲",
    AnchorState.AMBIGUOUS: "◆",
    AnchorState.ORPHANED: "✖",
}


class ClaimsModel(RecordTableModel[Claim]):
    headers = HEADERS

    def set_claims(self, claims: list[Claim]) -> None:
        self._reset(claims)

    claim_at = RecordTableModel.item_at

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        claim = self.claim_at(index.row()) if index.isValid() else None
        if claim is None:
            return None
        column = index.column()
        status = CLAIM_STATUS[claim.status]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NUMBER:
                return str(claim.number)
            if column == STATUS:
                return status.label
            if column == QUOTE:
                flags = ["✎"] if claim.correction.strip() else []
                return " ".join([f"“{claim.quote}”", *flags])
            if column == ANCHOR:
                return f"{ANCHOR_SYMBOLS[claim.anchor_state]} {ANCHOR_STATES[claim.anchor_state]}"
            if column == SOURCES:
                return _sources_cell(claim)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return QColor(CLAIM_STATUS_COLOURS[claim.status])
        if role == Qt.ItemDataRole.ForegroundRole and column == ANCHOR:
            return QColor(ANCHOR_COLOURS[claim.anchor_state])
        if role == Qt.ItemDataRole.FontRole and column == ANCHOR:
            if claim.anchor_state not in FIRM_ANCHOR_STATES:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                f"Claim {claim.number}: {status.label}",
                f"Passage: {ANCHOR_STATES[claim.anchor_state]}",
                f"“{claim.quote}”",
            ]
            if claim.previous_quote and claim.previous_quote != claim.quote:
                lines.append(f"Checked wording: “{claim.previous_quote}”")
            if claim.note:
                lines.append(f"Note: {claim.note}")
            if claim.correction:
                lines.append(f"Correction: {claim.correction}")
            if claim.source_ids:
                lines.append(f"Sources: {_stance_counts(claim)}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (NUMBER, SOURCES):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ID_ROLE:
            return claim.id
        if role == STATUS_ROLE:
            return claim.status
        if role == RECORD_ROLE:
            return claim
        return None


def _stance_counts(claim: Claim) -> str:
    """How many linked sources take each stance, e.g. "1 supports, 2 refute"."""
    counts = Counter(claim.stance_of(s) for s in claim.source_ids)
    words = {
        Stance.SUPPORTS: ("supports", "support"),
        Stance.REFUTES: ("refutes", "refute"),
        Stance.CONTEXT: ("gives context", "give context"),
    }
    return ", ".join(
        f"{counts[stance]} {words[stance][counts[stance] != 1]}"
        for stance in Stance
        if counts[stance]
    )


def _sources_cell(claim: Claim) -> str:
    """The number of sources, and how many refute the claim: "3", "3 ✗1"; "–" for none."""
    if not claim.source_ids:
        return "–"
    refuting = sum(claim.stance_of(s) == Stance.REFUTES for s in claim.source_ids)
    return f"{len(claim.source_ids)} ✗{refuting}" if refuting else str(len(claim.source_ids))


def source_label(source: Source) -> str:
    """How a source is named in lists: its title, else its address."""
    return source.title or source.url or f"Source {source.id}"
