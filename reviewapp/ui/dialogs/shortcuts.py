"""F1: every action of the registry with its keys on this platform and what it does, searchable
by action, key or description."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewapp.ui.actions import ACTIONS, WINDOW, readable_keys, shortcut_text
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
        self.resize(760, 600)
        self.search = QLineEdit(self)
        self.search.setObjectName("shortcutSearch")
        self.search.setPlaceholderText("Find an action or a key, e.g. “redo” or “ctrl+shift”")
        self.search.setClearButtonEnabled(True)
        describe(
            self.search,
            "Find a shortcut",
            "Shows only the actions whose name, keys or description contain what you type",
        )
        rows = [s for s in ACTIONS if readable_keys(s)]
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Action", "Keys", "What it does"])
        describe(self.table, "Keyboard shortcuts", "Every action, its keys and what it does")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        # Whole descriptions, wrapped: a cut-off "…" hides what the key does.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for row, spec in enumerate(rows):
            scope = "" if spec.scope == WINDOW else SCOPES.get(spec.scope, "")
            self.table.setItem(row, 0, QTableWidgetItem(spec.text.replace("&", "").rstrip("…")))
            self.table.setItem(row, 1, QTableWidgetItem(shortcut_text(spec) + scope))
            self.table.setItem(row, 2, QTableWidgetItem(spec.tip))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Rows grow with their wrapped description, also when the dialog is resized.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.nothing = QLabel("No action or key matches.", self)
        self.nothing.setObjectName("placeholder")
        self.nothing.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.nothing)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.filter)
        self.search.setFocus()

    def filter(self, query: str) -> None:
        """Show the rows that contain every word typed, in any column, ignoring case."""
        words = query.lower().split()
        shown = 0
        for row in range(self.table.rowCount()):
            text = " ".join(self._cell(row, c) for c in range(3)).lower()
            match = all(word in text for word in words)
            self.table.setRowHidden(row, not match)
            shown += match
        self.nothing.setVisible(shown == 0)

    def visible_actions(self) -> list[str]:
        """The action names the list shows now, top to bottom."""
        return [
            self._cell(row, 0)
            for row in range(self.table.rowCount())
            if not self.table.isRowHidden(row)
        ]

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
