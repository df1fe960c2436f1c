"""F1: every action of the registry with its shortcut and what it does."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewapp.ui.actions import ACTIONS, WINDOW, shortcut_text
from reviewapp.ui.widgets import describe

SCOPES = {
    "claims": " (in the claims list)",
    "sources": " (in the sources list)",
    "takeaways": " (in the takeaways list)",
    "library": " (in the library)",
}


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(680, 560)
        rows = [s for s in ACTIONS if s.shortcut is not None]
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut", "What it does"])
        describe(self.table, "Keyboard shortcuts", "Every action, its shortcut and what it does")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        for row, spec in enumerate(rows):
            scope = "" if spec.scope == WINDOW else SCOPES.get(spec.scope, "")
            self.table.setItem(row, 0, QTableWidgetItem(spec.text.replace("&", "").rstrip("…")))
            self.table.setItem(row, 1, QTableWidgetItem(shortcut_text(spec) + scope))
            self.table.setItem(row, 2, QTableWidgetItem(spec.tip))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
