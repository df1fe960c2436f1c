"""Dismiss a suggested sentence: a small non-modal popup beside it, a list of common reasons
(1-9 picks one at once) and a line for any other reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from reviewapp.ui.widgets import describe

SENTENCE_SHOWN = 160  # characters of the sentence quoted in the popup


class DismissDialog(QDialog):
    """Why this sentence needs no claim; ``chosen(reason)`` when the editor says."""

    chosen = Signal(str)

    def __init__(
        self,
        sentence: str,
        reasons: Sequence[str],
        details: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("dismissDialog")
        self.setWindowTitle("Dismiss Suggestion")
        # A tool window: it floats over the article without blocking it, and goes with it.
        self.setWindowFlag(Qt.WindowType.Tool)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        quoted = sentence if len(sentence) <= SENTENCE_SHOWN else sentence[: SENTENCE_SHOWN - 1]
        self.sentence = QLabel(f"“{quoted}{'…' if quoted != sentence else ''}”", self)
        self.sentence.setObjectName("claimQuote")
        self.sentence.setWordWrap(True)
        if details:
            self.sentence.setToolTip(details)
        heading = QLabel("Why does it need no claim?", self)
        heading.setObjectName("fieldLabel")
        self.reasons = QListWidget(self)
        self.reasons.setObjectName("dismissReasons")
        for number, reason in enumerate(reasons, start=1):
            self.reasons.addItem(f"{number}  {reason}" if number <= 9 else reason)
        self._reasons = list(reasons)
        self.reasons.setCurrentRow(0)
        rows = min(len(self._reasons), 9)
        self.reasons.setFixedHeight(self.reasons.sizeHintForRow(0) * rows + 6)
        describe(self.reasons, "Common reasons", "Pick a reason; 1 to 9 picks and dismisses")
        self.reasons.itemDoubleClicked.connect(lambda _item: self.confirm())
        self.reasons.installEventFilter(self)
        self.other = QLineEdit(self)
        self.other.setObjectName("dismissOther")
        self.other.setPlaceholderText("Or type another reason")
        describe(self.other, "Other reason", "Any other reason, in a few words")
        self.problem = QLabel(self)
        self.problem.setObjectName("warning")
        self.problem.hide()
        buttons = QDialogButtonBox(self)
        self.dismiss = buttons.addButton("Dismiss", QDialogButtonBox.ButtonRole.AcceptRole)
        self.dismiss.setObjectName("primary")
        self.dismiss.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(self.sentence)
        layout.addWidget(heading)
        layout.addWidget(self.reasons)
        layout.addWidget(self.other)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        self.reasons.setFocus()

    def reason(self) -> str:
        """The typed reason if any, else the one picked in the list."""
        typed = " ".join(self.other.text().split())
        if typed:
            return typed
        row = self.reasons.currentRow()
        return self._reasons[row] if 0 <= row < len(self._reasons) else ""

    def confirm(self) -> None:
        reason = self.reason()
        if not reason:
            self.problem.setText("Pick a reason or type one")
            self.problem.show()
            return
        self.chosen.emit(reason)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # 1-9 in the list picks that reason and dismisses at once (the list would otherwise
        # take a digit as the start of an item's text).
        if watched is self.reasons and isinstance(event, QKeyEvent):
            text = event.text()
            if event.type() == QEvent.Type.KeyPress and text.isdigit() and text != "0":
                row = int(text) - 1
                if row < len(self._reasons):
                    self.reasons.setCurrentRow(row)
                    self.confirm()
                    return True
        return super().eventFilter(watched, event)

    def show_at(self, point: QPoint) -> None:
        """Show without blocking, its top-left corner at point (global), kept on screen."""
        self.adjustSize()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            x = min(max(point.x(), screen.left()), screen.right() - self.width())
            y = min(max(point.y(), screen.top()), screen.bottom() - self.height())
            point = QPoint(x, y)
        self.move(point)
        self.show()
        self.raise_()
        self.activateWindow()
        self.reasons.setFocus()
