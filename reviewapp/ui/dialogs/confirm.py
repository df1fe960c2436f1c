"""Asking before something is deleted (it stays undoable; the question is for clarity)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_delete(
    parent: QWidget, what: str, detail: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """Open a non-blocking question; on_yes runs if the editor confirms."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        f"Delete {what}?",
        f"Delete {what}?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(detail + "\n\nYou can undo this with Ctrl+Z.")
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.buttonClicked.connect(lambda button: on_yes() if button is delete else None)
    box.open()
    return box
