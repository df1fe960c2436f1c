"""File › Shared Archive… of one main window: opens the non-modal archive window."""

from __future__ import annotations

from typing import Any

import shiboken6

from reviewapp.ui.actions import ActionSet
from reviewapp.ui.dialogs.archive import ArchiveDialog
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import error_message
from reviewapp.ui.session import ReviewSession


class ArchiveController:
    """One archive window per main window; the menu item brings it back to the front."""

    def __init__(
        self, session: ReviewSession, actions: ActionSet, host: WindowHost, secrets: Any = None
    ):
        self.session, self.host, self.secrets = session, host, secrets
        self.dialog: ArchiveDialog | None = None
        actions["file.archive"].triggered.connect(self.open_archive)

    def open_archive(self) -> ArchiveDialog:
        self.session.flush()
        if self.dialog is None or not shiboken6.isValid(self.dialog):
            self.dialog = ArchiveDialog(
                self.session.store.path,
                self.host.run_task,
                self.secrets,
                lambda exc: error_message(exc),
                self.host.parent,
            )
            self.dialog.libraryChanged.connect(self.session.libraryChanged)
        self.dialog.show()  # not open(): the editor keeps working while it runs
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog
