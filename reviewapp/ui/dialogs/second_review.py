"""Review › Compare with Second Reviewer…: both editors' status and note per claim, side by
side, and the first editor's settlement of each claim not agreed.

Not modal: the article stays in reach while the editor reads both notes. The dialog only shows
and asks; the controller (ui/second_review.py) settles through the workflow and refreshes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core import scales
from reviewapp.core.second_review import ComparedClaim, status_label
from reviewapp.core.states import ClaimStatus
from reviewapp.ui.widgets import describe

COLUMNS = ("#", "Quote", "You", "Your note", "Second reviewer", "Their note", "Comparison")
COMPARISON_COLUMN = 6


def comparison_table(parent: QWidget, columns: tuple[str, ...] = COLUMNS) -> QTableWidget:
    """A read-only table of compared claims, one row selected at a time."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    return table


def fill_comparison(table: QTableWidget, rows: list[ComparedClaim]) -> None:
    """One row per claim: number, quote, the first editor's status and note, the second
    reviewer's, and how they compare (with the settlement, or "to settle")."""
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        label = str(row.agreement)
        if row.settlement is not None:
            label += f"; settled as {status_label(row.settlement.status)}: {row.settlement.note}"
        elif not row.settled:
            label += "; to settle"
        cells = (
            str(row.number),
            row.quote,
            status_label(row.first_status),
            row.first_note,
            status_label(row.second_status),
            row.second_note,
            label,
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == COMPARISON_COLUMN and not row.settled:
                item.setForeground(Qt.GlobalColor.darkRed)
            table.setItem(i, column, item)
    table.resizeColumnsToContents()


class SecondReviewDialog(QDialog):
    """The comparison table, and a status, a note and Settle for the selected claim."""

    settleRequested = Signal(int, str, str)  # claim number, status, note

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Compare with Second Reviewer")
        self.setModal(False)
        self.setMinimumWidth(760)
        self.rows: list[ComparedClaim] = []
        self.who = QLabel(self)
        self.who.setWordWrap(True)
        self.table = comparison_table(self)
        describe(self.table, "Comparison", "Each claim: both statuses and both notes")
        self.status = QComboBox(self)
        for scale in scales.CLAIM_STATUSES:
            if scale.key != ClaimStatus.UNCHECKED:
                self.status.addItem(scale.label, scale.key)
        describe(self.status, "Settled status", "The status the claim gets")
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Why (goes on the signed record)")
        describe(self.note, "Settlement note", "Why this status: it goes on the signed record")
        self.settle_button = QPushButton("&Settle", self)
        describe(
            self.settle_button,
            "Settle",
            "Give the selected claim this status, with the note as the reason, on the record",
        )
        self.left = QLabel(self)
        close = QPushButton("Close", self)
        describe(close, "Close", "Close the comparison; settlements are already saved")
        close.clicked.connect(self.close)
        settle_row = QHBoxLayout()
        settle_row.addWidget(QLabel("Settle the selected claim as", self))
        settle_row.addWidget(self.status)
        settle_row.addWidget(self.note, 1)
        settle_row.addWidget(self.settle_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.left, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.table, 1)
        layout.addLayout(settle_row)
        layout.addLayout(bottom)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.note.textChanged.connect(lambda _: self._selection_changed())
        self.settle_button.clicked.connect(self._settle)
        self._selection_changed()

    def show_comparison(self, who: str, rows: list[ComparedClaim], editable: bool) -> None:
        """Fill the table (keeping the selected claim selected)."""
        selected = self.selected()
        self.rows = rows
        self.editable = editable
        self.who.setText(who)
        fill_comparison(self.table, rows)
        left = sum(1 for r in rows if not r.settled)
        self.left.setText(
            f"{left} claim(s) to settle before sign-off" if left else "Every claim is settled"
        )
        if selected is not None:
            for i, row in enumerate(rows):
                if row.number == selected.number:
                    self.table.selectRow(i)
        self._selection_changed()

    def selected(self) -> ComparedClaim | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def select_claim(self, number: int) -> None:
        for i, row in enumerate(self.rows):
            if row.number == number:
                self.table.selectRow(i)

    def _selection_changed(self) -> None:
        row = self.selected()
        can = (
            getattr(self, "editable", False)
            and row is not None
            and str(row.agreement) != "agree"
            and bool(self.note.text().strip())
        )
        self.settle_button.setEnabled(can)

    def _settle(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.settleRequested.emit(row.number, str(self.status.currentData()), self.note.text())
