"""Noticing that another process changed the library, so the window never shows stale data.

SQLite's ``PRAGMA data_version`` changes when another connection commits to the file (the
CLI, a second window) and never for this window's own writes. Reading it is one pragma on the
open connection, cheap enough to do once a second on the GUI thread; a file watcher on the
``-wal`` file would fire on our own writes too, and not at all on some network file systems.
"""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QObject, QTimer

from reviewapp.core.errors import ReviewAppError
from reviewapp.ui.session import ReviewSession

log = logging.getLogger(__name__)
POLL_MS = 1000


class LibraryWatcher(QObject):
    """Polls the library's data_version; a change makes the session re-read what it shows."""

    def __init__(self, session: ReviewSession, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        self._version = self._read()
        self.timer.start()

    def _read(self) -> int | None:
        try:
            return self.session.store.data_version()
        except sqlite3.ProgrammingError:  # the store was closed: the window is going
            self.stop()
            return None
        except ReviewAppError as exc:  # a damaged or busy file: the next edit says so
            log.warning("cannot read the library's data_version: %s", exc)
            return None

    def absorb(self) -> None:
        """The window itself wrote through another connection (a pool thread's): not news."""
        version = self._read()
        if version is not None:
            self._version = version

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> bool:
        """Re-read the window's data if another process wrote since the last check."""
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        self.session.guard(self.session.changed_outside)
        return True
