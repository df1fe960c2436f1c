"""LibraryModel: the reviews in the database, loaded lazily in batches."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QTimer,
    Signal,
)

from reviewapp.core.scales import REVIEW_STATUSES
from reviewapp.core.summary import ReviewSummary
from reviewapp.store import ReviewStore
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE, STATUS_ROLE, SUBTITLE_ROLE
from reviewapp.ui.qt_ints import DISPLAY_ROLE, TOOL_TIP_ROLE
from reviewapp.workflows.trust import unverified_signoffs

log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def short_date(stamp: str) -> str:
    """'2026-11-27T19:03:10Z' -> '27 Nov 2026' (empty stays empty)."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    try:
        year, month, day = stamp[:10].split("-")
        return f"{int(day)} {months[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return stamp


def subtitle(row: ReviewSummary, unverified: bool = False) -> str:
    """The library's second line: site · status (· unverified signer) · claims · last change."""
    return _subtitle(row.site, row.status, row.claims, row.unchecked, row.updated_at, unverified)


def _subtitle(
    site: str, status: str, claims: int, unchecked: int, updated_at: str, unverified: bool
) -> str:
    counted = f"{claims} claim" + ("" if claims == 1 else "s")
    if unchecked:
        counted += f", {unchecked} unchecked"
    parts = [
        site,
        REVIEW_STATUSES.get(status, status),
        "unverified signer" if unverified else "",
        counted,
        short_date(updated_at),
    ]
    return " · ".join(p for p in parts if p)


# (query, status, the first rows, the ids among them whose signer is not trusted here)
FirstBatch = tuple[str, str, list[ReviewSummary], set[int]]


# (the rows of a page after the first, the ids among them whose signer is not trusted here)
Page = tuple[list[ReviewSummary], set[int]]


def first_batch(store: ReviewStore, query: str = "", status: str = "") -> FirstBatch:
    """The first rows of the library for a search and a status (BadInput for a bad query):
    read on the GUI thread or on the reader's."""
    first = store.list_reviews(query=query, status=status, limit=LibraryModel.BATCH, offset=0)
    return query, status, first, set(unverified_signoffs(store, [r.id for r in first]))


def next_page(store: ReviewStore, query: str, status: str, after: tuple[str, int] | None) -> Page:
    """The page of the library below the row `after` ((updated_at, id) of the last row read):
    read on the reader's thread (~10 ms near the end of 100,000 reviews)."""
    # Keyset paging: the batch after the last row read, not OFFSET (which walked every row
    # above it: 430 ms a batch near the end of 100,000 reviews).
    rows = store.list_reviews(query=query, status=status, limit=LibraryModel.BATCH, after=after)
    return rows, set(unverified_signoffs(store, [r.id for r in rows]))


# A row as the model keeps it: a plain tuple of strings and numbers (ReviewSummary's fields in
# order, the states as their spellings). Python's collector stops tracking such a tuple (an
# exact tuple only: not a NamedTuple) once it has seen it, so 100,000 loaded rows add nothing
# to its full collections; as ReviewSummary objects (each tracked, with an enum in it) they
# made a full collection ~25 ms longer, a stall now and then while scrolling.
_Row = tuple[Any, ...]
_ID, _TITLE, _STATUS, _URL = 0, 1, 3, 9  # the places of the fields read without unpacking


def _packed(r: ReviewSummary) -> _Row:
    return (
        r.id,
        r.title,
        r.site,
        r.status.value,
        r.verdict.value if r.verdict else "",
        r.reviewer,
        r.claims,
        r.unchecked,
        r.updated_at,
        r.url,
    )


def _unpacked(row: _Row) -> ReviewSummary:
    return ReviewSummary(*row)


class PageReader(Protocol):
    """What reads the library's pages off the GUI thread (ui.reading.LibraryReader)."""

    def read_library_page(
        self,
        query: str,
        status: str,
        after: tuple[str, int] | None,
        on_done: Callable[[Page], None],
        on_error: Callable[[BaseException], None],
    ) -> Any: ...


class LibraryModel(QAbstractListModel):
    """Rows of the library; only the rows the view scrolls to are read from SQLite.

    Pages after the first are read on the reader's thread when there is one (fetchMore asks,
    the rows are inserted when they arrive); ``loading`` says whether a page is on its way."""

    BATCH = 200
    RELEASE_SLICE = 10_000  # rows freed per event-loop turn (~1 ms) once a long list goes

    loadingChanged = Signal(bool)  # a page was asked for (True) or arrived or failed (False)
    pageFailed = Signal(str)  # a page could not be read: what to tell the user

    def __init__(self, store: ReviewStore, parent=None, reader: PageReader | None = None):
        super().__init__(parent)
        self._store = store
        self._reader = reader
        self._generation = 0  # bumped by every new first batch: older pages are stale
        self.loading = False  # a page is being read (one at a time)
        self._failed = False  # the last page read failed: no more until the list is reset
        self.page_task: Any = None  # the last page asked of the reader (its Task)
        self._rows: list[_Row] = []
        self._row_by_id: dict[int, int] = {}  # row_of in one look-up (100,000 rows loaded)
        self._unverified: set[int] = set()  # signed-off rows whose signer is not trusted here
        self._complete = True  # every matching row is loaded (the last batch was short)
        # (updated_at, id) of the last row as read: the next batch starts below it (an edit
        # that refreshes that row in place must not move where the next batch starts).
        self._after: tuple[str, int] | None = None
        self.query = ""
        self.status = ""
        self._released: list[list[_Row]] = []  # rows dropped, freed a slice a turn

    # ------------------------------------------------------------------ filter
    def set_filter(self, query: str = "", status: str = "") -> None:
        """Show reviews matching the full-text query and status; bad queries raise BadInput.

        Only the first batch is read: a search keystroke costs one page, and how many match
        in all is counted only when asked (total) and more rows than a batch match."""
        self.show_first(first_batch(self._store, query, status))  # raises before a reset

    def show_first(self, batch: FirstBatch) -> None:
        """Show a first batch read (perhaps on another thread) by first_batch."""
        query, status, first, unverified = batch
        self.beginResetModel()
        self._generation += 1  # a page still on its way belongs to the old rows
        self._set_loading(False)
        self._failed = False
        self.query, self.status = query, status
        self._release_later(self._rows)
        self._rows = [_packed(r) for r in first]
        self._row_by_id = {r.id: n for n, r in enumerate(first)}
        self._unverified = unverified
        self._complete = len(first) < self.BATCH
        self._after = (first[-1].updated_at, first[-1].id) if first else None
        self.endResetModel()

    def _release_later(self, rows: list[_Row]) -> None:
        """Let go of rows a slice per event-loop turn: freeing 100,000 rows at once, as a
        search typed after scrolling the whole library drops them, took ~10 ms."""
        if len(rows) <= self.RELEASE_SLICE:
            return  # freed at once, cheaply
        self._released.append(rows)
        if len(self._released) == 1:
            QTimer.singleShot(0, self._release_slice)

    def _release_slice(self) -> None:
        rows = self._released[0]
        del rows[-self.RELEASE_SLICE :]
        if not rows:
            self._released.pop(0)
        if self._released:
            QTimer.singleShot(0, self._release_slice)

    def reload(self) -> None:
        self.set_filter(self.query, self.status)

    @property
    def total(self) -> int:
        """How many reviews match (counted now when not all are loaded)."""
        if self._complete:
            return len(self._rows)
        return self._store.count_reviews(query=self.query, status=self.status)

    # ------------------------------------------------------------------ lazy loading
    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and not self._complete and not self._failed

    def fetchMore(self, parent: Index = _ROOT) -> None:
        """Ask for the next page (one at a time): it is read on the reader's thread (at once
        without one, or with a synchronous one) and its rows inserted when it arrives."""
        if parent.isValid() or self._complete or self._failed or self.loading:
            return
        generation, query, status, after = self._generation, self.query, self.status, self._after
        self._set_loading(True)
        if self._reader is None:
            try:
                page = next_page(self._store, query, status, after)
            except Exception as exc:  # shown and logged, as a read on the reader's thread is
                self._page_failed(generation, exc)
                return
            self._page_arrived(generation, page)
            return
        self.page_task = self._reader.read_library_page(
            query,
            status,
            after,
            lambda page: self._page_arrived(generation, page),
            lambda exc: self._page_failed(generation, exc),
        )

    def _page_arrived(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return  # read for a search or a filter since replaced: its rows do not belong here
        self._set_loading(False)
        batch, unverified = page
        self._complete = len(batch) < self.BATCH
        if not batch:
            return
        self._after = (batch[-1].updated_at, batch[-1].id)
        first = len(self._rows)
        self.beginInsertRows(_ROOT, first, first + len(batch) - 1)
        self._rows.extend(_packed(r) for r in batch)
        self._row_by_id.update((r.id, first + n) for n, r in enumerate(batch))
        self._unverified |= unverified
        self.endInsertRows()

    def _page_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_loading(False)
        self._failed = True  # not asked again at once in a loop; a new search or reload retries
        log.error("reading a page of the library failed", exc_info=exc)
        self.pageFailed.emit(f"Could not read more reviews: {exc}")

    def _set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            self.loadingChanged.emit(loading)

    # ------------------------------------------------------------------ model
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = DISPLAY_ROLE):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == DISPLAY_ROLE:
            return row[_TITLE] or "(untitled)"
        if role == SUBTITLE_ROLE:
            # From the row's fields as kept: a row is drawn on every scroll past it.
            site, status, claims, unchecked, updated_at = row[2], row[3], row[6], row[7], row[8]
            unverified = row[_ID] in self._unverified
            return _subtitle(site, status, claims, unchecked, updated_at, unverified)
        if role == TOOL_TIP_ROLE:
            return f"{row[_TITLE]}\n{row[_URL]}" if row[_URL] else row[_TITLE]
        if role == ID_ROLE:
            return row[_ID]
        if role == STATUS_ROLE:
            return row[_STATUS]
        if role == RECORD_ROLE:
            return _unpacked(row)
        return None

    def row_of(self, review_id: int) -> int:
        """Row of a loaded review, or -1."""
        return self._row_by_id.get(review_id, -1)

    def update_summary(self, summary: ReviewSummary | None) -> None:
        """Refresh one row in place after an edit (it keeps its place while you work)."""
        if summary is None:
            return
        row = self.row_of(summary.id)
        if row >= 0:
            self._rows[row] = _packed(summary)
            self._unverified.discard(summary.id)
            self._unverified |= set(unverified_signoffs(self._store, [summary.id]))
            index = self.index(row)
            self.dataChanged.emit(index, index)
