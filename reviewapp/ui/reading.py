"""LibraryReader: reads of the library off the GUI thread.

Kinds of read: a review to open (ReviewSession), a search's first page and the pages after
it as the library list scrolls (LibraryPane, LibraryModel), earlier claims worded alike.

Reads run on one background thread of their own, with a read-only connection that thread
opens once (``ReviewStore(path, reader=True)``): SQLite connections never cross threads, and
the connection is not reopened (nor the file re-checked) for every read. Their results come
back to the GUI thread through the TaskRunner's queued signals. With a synchronous runner
(tests) a read runs at once on the GUI thread, with the window's own store.

A caller that may ask again before an answer arrives keeps only the newest: ``Latest``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool

from reviewapp.store import ReviewStore
from reviewapp.ui.models.library import Page, next_page
from reviewapp.ui.tasks import Task, TaskControl, TaskRunner

if TYPE_CHECKING:
    from reviewapp.workflows.memory import CheckedBefore

log = logging.getLogger(__name__)
T = TypeVar("T")


class LibraryReader(QObject):
    """Runs fn(store) on the reader thread; on_done(result) or on_error(exc) on the GUI thread."""

    def __init__(self, store: ReviewStore, synchronous: bool = False, parent=None):
        super().__init__(parent)
        self.synchronous = synchronous
        self._store = store
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one thread, so one connection, kept open
        self._pool.setExpiryTimeout(-1)
        self._runner = TaskRunner(self._pool, synchronous=synchronous, parent=self)
        self._local = threading.local()
        self.closed = False  # the window closed: answers still on their way are dropped

    def read(
        self,
        fn: Callable[[ReviewStore], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> Task:
        def run(control: TaskControl) -> Any:
            if control.cancelled:
                return None
            return fn(self._thread_store())

        def done(result: T) -> None:
            if not self.closed:  # the panes that asked may be gone
                on_done(result)

        def failed(exc: BaseException) -> None:
            if not self.closed:
                on_error(exc)

        return self._runner.run_task(run, done, failed)

    def read_checked_before(
        self,
        claim_id: int,
        on_done: Callable[[list[CheckedBefore]], None],
        on_error: Callable[[BaseException], None],
    ) -> Task:
        """Claim memory: earlier claims worded like claim_id's ("Checked before")."""
        from reviewapp.workflows.memory import checked_before

        return self.read(lambda store: checked_before(store, claim_id), on_done, on_error)

    def read_library_page(
        self,
        query: str,
        status: str,
        after: tuple[str, int] | None,
        on_done: Callable[[Page], None],
        on_error: Callable[[BaseException], None],
    ) -> Task:
        """The library's page below the row `after` (keyset paging), with its signer check."""
        return self.read(lambda store: next_page(store, query, status, after), on_done, on_error)

    def _thread_store(self) -> ReviewStore:
        """The store of the calling thread: the window's own on the GUI thread (synchronous),
        else this thread's read-only connection, opened on first use."""
        if self.synchronous:
            return self._store
        store = getattr(self._local, "store", None)
        if store is None:
            store = ReviewStore(self._store.path, reader=True)
            self._local.store = store
        return store

    def close(self, final: bool = False) -> None:
        """Close the reader's connection on its own thread and wait for it (a later read
        opens it again); FINAL (the window is closing): answers that arrive after are
        dropped, as the panes that asked may be gone."""
        self.closed = final
        if self.synchronous:
            return

        def close_own(_control: TaskControl) -> None:
            store = getattr(self._local, "store", None)
            self._local.store = None
            if store is not None:
                store.close()

        self._runner.run_task(close_own, lambda _: None, lambda exc: log.warning("%s", exc))
        self._pool.waitForDone(5000)


class Latest:
    """Hands out tickets; only the newest ticket's answer is wanted (older ones are stale)."""

    def __init__(self) -> None:
        self._newest = 0

    def ticket(self) -> int:
        self._newest += 1
        return self._newest

    def is_newest(self, ticket: int) -> bool:
        return ticket == self._newest

    def drop(self) -> None:
        """Whatever was asked so far is no longer wanted."""
        self._newest += 1
