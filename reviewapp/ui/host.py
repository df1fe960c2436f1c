"""What a controller may ask of the window it works for, and nothing more.

The main window builds one ``WindowHost`` and hands it to the Export, Signing and Revisions
controllers instead of itself: they open their dialogs over it, report on its status line, show
errors the way it does and run slow work on its task pool. So a controller never imports the
window, and a test can give it a host of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from reviewapp.ui.tasks import Task, TaskControl

DialogT = TypeVar("DialogT", bound=QDialog)


class OpenDialog(Protocol):
    """Open a dialog without blocking and hand it back (it stays the caller's to connect)."""

    def __call__(self, dialog: DialogT, /) -> DialogT: ...


class RunTask(Protocol):
    """``TaskRunner.run_task``: fn(control) off the GUI thread, on_done or on_error on it."""

    def __call__(
        self,
        fn: Callable[[TaskControl], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        progress: Callable[[int, str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Task: ...


@dataclass(frozen=True)
class WindowHost:
    parent: QWidget  # dialogs are its children: they open over it and go when it goes
    open_dialog: OpenDialog
    show_status: Callable[[str, int], None]  # a message and how long it stays, in ms
    show_error: Callable[[str], None]  # one line the editor can act on; never a traceback
    run_task: RunTask

    def choose_file(
        self, title: str, name_filter: str, chosen: Callable[[Path], object]
    ) -> QFileDialog:
        """A non-modal chooser of one existing file, starting in the home folder; the path
        chosen goes to chosen (the dialog is handed back: tests select a file in it)."""
        dialog = QFileDialog(self.parent, title, str(Path.home()), name_filter)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: chosen(Path(path)))
        return self.open_dialog(dialog)

    def choose_save_path(
        self, title: str, suggested: Path, name_filter: str, chosen: Callable[[Path], object]
    ) -> QFileDialog:
        """A non-modal chooser of where to save, suggesting that path; the path chosen goes
        to chosen (the dialog is handed back: tests select a file in it)."""
        dialog = QFileDialog(self.parent, title, str(suggested), name_filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: chosen(Path(path)))
        return self.open_dialog(dialog)


class DialogOpener:
    """Opens dialogs with ``open()``: window-modal, so the event loop (and every test) keeps
    running; ``exec()`` would block.

    A closed dialog is kept until the next one opens, because the slots its buttons started
    (an export still writing, say) may still report to it; then it is deleted, so a long
    session does not pile up closed dialogs under the window.
    """

    def __init__(self) -> None:
        self._last: QDialog | None = None

    def __call__(self, dialog: DialogT, /) -> DialogT:
        previous = self._last
        if (
            previous is not None
            and previous is not dialog
            and shiboken6.isValid(previous)
            and not previous.isVisible()
        ):
            previous.deleteLater()
        self._last = dialog
        dialog.open()
        return dialog
