"""Review › Open First Editor's Record…: the second reviewer's view of the first editor's
signed record, per claim both statuses and both notes side by side with the first editor's
settlements, and Co-sign.

Not modal and read only: the second reviewer reads, then co-signs the very file. The dialog
only shows and asks; the controller (ui/second_sign.py) verifies and signs on the task pool.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from reviewapp.ui.dialogs.second_review import comparison_table, fill_comparison
from reviewapp.ui.widgets import describe
from reviewapp.workflows.second_record import FirstRecord

# Columns as the second reviewer reads them: the first editor's side, then their own.
COLUMNS = ("#", "Quote", "First editor", "Their note", "You", "Your note", "Comparison")


class FirstRecordDialog(QDialog):
    """The first editor's signed comparison, and Co-sign / Co-sign As… for that file."""

    cosignRequested = Signal(object)  # where the co-signature goes: a Path, or None for beside

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("firstRecord")
        self.setWindowTitle("First Editor's Record")
        self.setModal(False)
        self.setMinimumWidth(760)
        self.record: FirstRecord | None = None
        self.who = QLabel(self)
        self.who.setWordWrap(True)
        self.table = comparison_table(self, COLUMNS)
        describe(
            self.table,
            "Comparison",
            "Each claim: the first editor's status and note beside yours, and their settlement",
        )
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.cosign_button = QPushButton("&Co-sign", self)
        describe(
            self.cosign_button,
            "Co-sign",
            "Sign this very file with your key; the signature goes beside it (FILE.md.second.sig)",
        )
        self.cosign_as_button = QPushButton("Co-sign &As…", self)
        describe(
            self.cosign_as_button,
            "Co-sign as",
            "Sign this file and choose where the signature goes",
        )
        close = QPushButton("Close", self)
        describe(close, "Close", "Close the record")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.outcome, 1)
        buttons.addWidget(self.cosign_button)
        buttons.addWidget(self.cosign_as_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.cosign_button.clicked.connect(lambda: self.cosignRequested.emit(None))
        self.set_busy(False)

    def show_record(self, record: FirstRecord) -> None:
        """Show a verified record (a new one replaces what was shown)."""
        self.record = record
        first = record.first
        section = record.section
        email = f" <{first.email}>" if first.email else ""
        when = f" on {first.signed_at}" if first.signed_at else ""
        self.who.setText(
            f"{record.path.name}: signed off by {first.reviewer or first.principal}{email}{when}, "
            f"key {first.fingerprint} (the signature is good).\n"
            f"It names you ({section.assessor}, key {section.fingerprint}) as second reviewer "
            f"and your signed assessment (review {record.review_id}, SHA-256 "
            f"{section.assessment_sha256[:12]}…), stated as you signed it."
        )
        fill_comparison(self.table, list(record.rows))
        self.outcome.setText("")
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        """While a co-signature is being made, the buttons wait."""
        ready = self.record is not None and not busy
        self.cosign_button.setEnabled(ready)
        self.cosign_as_button.setEnabled(ready)

    def show_result(self, text: str, ok: bool) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet("" if ok else "color: #b00020;")
        self.set_busy(False)

    @property
    def path(self) -> Path | None:
        return self.record.path if self.record is not None else None
