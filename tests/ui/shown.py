"""What the editor sees over a window, found the way Qt knows it: dialogs and message boxes are
children of the window they open over, so tests reach them with findChildren, not through
attributes kept on the window for tests."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

W = TypeVar("W", bound=QWidget)


def shown_dialog(window: QWidget, kind: type[W], name: str = "") -> W:
    """The newest dialog of kind (and object name, if given) showing over window."""
    # An empty name given to Qt would match only unnamed widgets: leave it out to match any.
    found = window.findChildren(kind, name) if name else window.findChildren(kind)
    showing = [widget for widget in found if widget.isVisible()]
    assert showing, f"no {kind.__name__} {name} is showing over the window"
    return showing[-1]


def modal_dialog(kind: type[W]) -> W:
    """The dialog that holds the keyboard now (a window-modal one opened with open())."""
    widget = QApplication.activeModalWidget()
    assert isinstance(widget, kind), f"the modal widget is {widget!r}, not a {kind.__name__}"
    return widget


def errors_shown(window: QWidget) -> list[str]:
    """The text of every error message box showing over window, oldest first."""
    boxes = window.findChildren(QMessageBox, "errorBox")
    return [box.text() for box in boxes if box.isVisible()]
