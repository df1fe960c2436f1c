"""Preferences: the reviewer's name and email, the organisation, and the fetch timeout."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.errors import ReviewAppError
from reviewapp.ui.preferences import MAX_TIMEOUT, MIN_TIMEOUT, Preferences
from reviewapp.ui.widgets import describe


class PreferencesDialog(QDialog):
    saved = Signal(object)  # Preferences

    def __init__(self, prefs: Preferences, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(440)
        self.name = QLineEdit(prefs.reviewer_name, self)
        self.name.setPlaceholderText("Ada Editor")
        self.email = QLineEdit(prefs.email, self)
        self.email.setPlaceholderText("ada@example.org")
        self.organisation = QLineEdit(prefs.organisation, self)
        self.organisation.setPlaceholderText("The Daily Example")
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(MIN_TIMEOUT, MAX_TIMEOUT)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(prefs.fetch_timeout)
        describe(self.name, "Your name", "Signs your reviews; new reviews name you as reviewer")
        describe(self.email, "Email", "Identifies your signing key, e.g. ada@example.org")
        describe(self.organisation, "Organisation", "The newsroom you review for")
        describe(
            self.timeout,
            "Fetch timeout",
            f"Seconds to wait for a web page when importing by URL, {MIN_TIMEOUT:.0f} to "
            f"{MAX_TIMEOUT:.0f}",
        )
        self.error = QLabel(self)
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Your name", self.name)
        form.addRow("Email", self.email)
        form.addRow("Organisation", self.organisation)
        form.addRow("Fetch timeout", self.timeout)
        note = QLabel("Your name and email sign your reviews; new reviews use this name.", self)
        note.setObjectName("muted")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        prefs = Preferences(
            self.name.text(), self.email.text(), self.organisation.text(), self.timeout.value()
        )
        try:
            prefs = prefs.checked()
        except ReviewAppError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.saved.emit(prefs)
        super().accept()
