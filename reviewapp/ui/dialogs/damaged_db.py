"""The library file is damaged: open a copy of its last backup, open another library, or quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp.ui.widgets import describe


class DamagedDatabaseDialog(QDialog):
    """Says what is damaged and offers the three ways on; opened with open(), never exec()."""

    openBackup = Signal(Path)  # the backup to open a copy of
    openOther = Signal()
    quitRequested = Signal()

    def __init__(
        self, path: Path, message: str, backup: Path | None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("damagedDatabaseDialog")
        self.setWindowTitle("The library is damaged")
        self.setMinimumWidth(560)
        self.path, self.backup = path, backup
        title = QLabel(f"<b>The library {path.name} is damaged.</b>", self)
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        self.message.setObjectName("muted")
        advice = QLabel(
            "Nothing was written to it. Opening the backup works on a copy, so the damaged file "
            "stays as it is for 'reviewapp db recover', which can salvage what is still readable."
            if backup
            else "Nothing was written to it, and reviewapp has no backup of it. "
            "'reviewapp db recover -o NEW.db' can salvage what is still readable.",
            self,
        )
        advice.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.backup_button = QPushButton(
            f"Open a copy of the backup {backup.name}" if backup else "No backup to open", self
        )
        self.backup_button.setEnabled(backup is not None)
        describe(self.backup_button, "Open the backup", "Opens a copy; the backup is kept as is")
        self.other_button = QPushButton("Open another library…", self)
        self.quit_button = QPushButton("Quit", self)
        for button in (self.backup_button, self.other_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        (self.backup_button if backup else self.other_button).setDefault(True)
        self.backup_button.clicked.connect(self._backup_chosen)
        self.other_button.clicked.connect(self._other_chosen)
        self.quit_button.clicked.connect(self.reject)
        self.rejected.connect(self.quitRequested)  # Escape or the close button: quit too
        layout = QVBoxLayout(self)
        for label in (title, self.message, advice):
            layout.addWidget(label)
        layout.addWidget(self.buttons)

    def _backup_chosen(self) -> None:
        if self.backup is not None:
            self.openBackup.emit(self.backup)  # first, so a window is up when this one hides
            self.done(QDialog.DialogCode.Accepted)

    def _other_chosen(self) -> None:
        self.openOther.emit()
        self.done(QDialog.DialogCode.Accepted)
