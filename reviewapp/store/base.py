"""StoreBase: the connection, transactions, the event log, and the review checks all parts share."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from reviewapp.core.errors import DatabaseDamaged, NotFound, ReviewLocked
from reviewapp.core.stableids import IdKind, new_stable_id, new_stable_ids
from reviewapp.core.states import ReviewStatus
from reviewapp.core.summary import utc_now
from reviewapp.store.database import (
    OUR_TABLES,
    CheckedConnection,
    Database,
    open_database,
    quick_check,
)

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import Review

log = logging.getLogger(__name__)

# The tables whose rows have a stable id, and the kind of id each gives.
STABLE_ID_TABLES = {IdKind.CLAIM: "claims", IdKind.SOURCE: "sources", IdKind.TAKEAWAY: "takeaways"}
_KIND_OF_TABLE = {table: kind for kind, table in STABLE_ID_TABLES.items()}
# An event's detail as JSON: json.dumps(detail, sort_keys=True, ensure_ascii=False), with the
# encoder made once rather than per event (a batch of 2,000 claims logs 2,000 events).
_event_json = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode

# Whether a review is a second reviewer's copy with its assessment signed: the signed file went
# back to the first editor as it is, so the copy changes no more until it is reopened.
_SIGNED_COPY = (
    "SELECT EXISTS (SELECT 1 FROM second_reviews WHERE review_id = ? AND role = 'second' "
    "AND assessment_sha256 != '')"
)


def _signed_copy_locked(review_id: int) -> ReviewLocked:
    return ReviewLocked(
        f"review {review_id} is a second assessment you signed; reopen it before changing "
        "anything (and sign it again)"
    )


class StoreBase:
    """The library of reviews in one SQLite file. Thread use: one store per thread."""

    def __init__(self, path: Path | str, *, reader: bool = False):
        """reader: a read-only second connection for a background thread of a process that
        already opened this library (see database.open_database)."""
        self.path = Path(path)
        self._db: Database = open_database(self.path, reader=reader)
        self._conn: sqlite3.Connection = self._db.conn
        self._depth = 0

    def close(self) -> None:
        """Close the connection; the store is not used after this."""
        self._conn.close()

    @property
    def damage(self) -> DatabaseDamaged | None:
        """The damage a read or write has met in this file since it was opened, if any."""
        return getattr(self._conn, "damage", None)

    @property
    def schema_version(self) -> int:
        """The schema number of the open file (migrations.LATEST once it is open)."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def data_version(self) -> int:
        """A number that changes when another connection (the CLI, a second window) commits
        to the file; this store's own writes leave it alone. One pragma: cheap to poll."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def is_empty(self) -> bool:
        """True when no table of the library holds a row (nothing was ever written)."""
        return not any(
            self._conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in OUR_TABLES
        )

    def is_whole(self) -> bool:
        """Whether SQLite's quick_check finds the file whole (after an unexpected error)."""
        return [r[0] for r in self._conn.execute("PRAGMA quick_check(1)").fetchall()] == ["ok"]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._before_first_write()
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (a damaged page, a full disk): ROLLBACK
            # then fails and would hide the error that matters.
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the file (a read transaction), even while another
        connection commits; inside a transaction it simply joins it."""
        if self._depth or self._conn.in_transaction:
            yield
            return
        self._conn.execute("BEGIN")
        try:
            yield
        finally:
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")

    def _before_first_write(self) -> None:
        """A damaged file is never written to: finish a check cut short at open, once."""
        if self.damage is not None:
            raise self.damage
        if isinstance(self._conn, CheckedConnection) and not self._conn.checked:
            quick_check(self._conn, self.path)

    # Rows are written with one plain statement each, not sqlite-utils' table.insert/update:
    # those look the table up and open a savepoint per call, which made adding 3,000 articles
    # three times slower (0.41 s -> 1.27 s) for nothing our transaction does not already give.
    # Table and column names come from this package's row mapping (store/rows.py), never input.
    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row (inside the caller's transaction); returns its id. A claim, source or
        takeaway without a stable id gets a fresh one."""
        kind = _KIND_OF_TABLE.get(table)
        if kind is not None and not row.get("stable_id"):
            row = {**row, "stable_id": self._fresh_stable_id(kind)}
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
        return int(self._conn.execute(sql, list(row.values())).lastrowid or 0)

    def _fresh_stable_ids(self, kind: IdKind, count: int) -> list[str]:
        """count random stable ids this library does not use yet, checked in one query (a batch
        of 2,000 claims would otherwise pay 2,000 look-ups)."""
        fresh: list[str] = []
        while len(fresh) < count:
            wanted = set(new_stable_ids(kind, count - len(fresh))) - set(fresh)
            fresh.extend(wanted - self.taken_stable_ids(sorted(wanted)))
        return fresh

    def _fresh_stable_id(self, kind: IdKind, avoid: Collection[str] = ()) -> str:
        """A random stable id this library does not use yet, nor avoid (ids about to be
        written); the UNIQUE index is the backstop."""
        while True:
            candidate = new_stable_id(kind)
            if candidate not in avoid and not self.taken_stable_ids([candidate]):
                return candidate

    def taken_stable_ids(self, stable_ids: Sequence[str]) -> set[str]:
        """Those of these stable ids (of any kind) that rows of this library already have."""
        taken: set[str] = set()
        for kind, table in STABLE_ID_TABLES.items():
            wanted = [i for i in stable_ids if i.startswith(f"{kind.value}-")]
            if wanted:
                taken.update(
                    str(row[0])
                    for row in self._conn.execute(
                        f"SELECT stable_id FROM {table} "
                        "WHERE stable_id IN (SELECT value FROM json_each(?))",
                        [json.dumps(wanted)],
                    )
                )
        return taken

    def stable_id_owner(self, stable_id: str) -> tuple[int, int] | None:
        """(review id, row id) of the claim, source or takeaway with this well-formed stable
        id, or None when this library has none."""
        table = STABLE_ID_TABLES[IdKind(stable_id[0])]
        row = self._one(f"SELECT review_id, id FROM {table} WHERE stable_id = ?", [stable_id])
        return None if row is None else (int(row["review_id"]), int(row["id"]))

    def _update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        sets = ", ".join(f'"{c}" = ?' for c in values)
        self._conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?', [*values.values(), row_id])

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = list(self._db.query(sql, params))
        return rows[0] if rows else None

    def log_event(self, review_id: int | None, action: str, actor: str = "", **detail: Any) -> None:
        """Append to the audit log (who did what when); detail is stored as JSON."""
        self._insert(
            "events",
            {
                "review_id": review_id,
                "at": utc_now(),
                "actor": actor,
                "action": action,
                "detail": _event_json(detail),
            },
        )

    def log_events(
        self, review_id: int | None, action: str, details: Sequence[dict[str, Any]]
    ) -> None:
        """log_event for each detail (a batch: one prepared statement), all at the same time."""
        at = utc_now()
        self._conn.executemany(
            "INSERT INTO events (review_id, at, actor, action, detail) VALUES (?, ?, '', ?, ?)",
            [(review_id, at, action, _event_json(d)) for d in details],
        )

    def events(self, review_id: int | None) -> list[dict[str, Any]]:
        """The audit log of a review, oldest first (None: the events of no review, e.g. keys)."""
        return list(
            self._db.query("SELECT * FROM events WHERE review_id IS ? ORDER BY id", [review_id])
        )

    # ------------------------------------------------------------------ the review itself
    def review(self, review_id: int, *, to_edit: bool = False) -> Review:
        """The review (not in the bin); NotFound otherwise. to_edit: ReviewLocked when it is
        signed off (nothing of it may change until it is reopened)."""
        from reviewapp.store.rows import review_from_row

        if to_edit:
            return self._editable(review_id)
        row = self._one("SELECT * FROM reviews WHERE id = ? AND deleted_at = ''", [review_id])
        if row is None:
            raise NotFound(f"no review {review_id}")
        return review_from_row(row)

    def _current_text(self, review_id: int) -> str:
        """The canonical text of the revision a review is on (without parsing its blocks)."""
        row = self._one(
            "SELECT r.text FROM reviews rv JOIN revisions r ON r.id = rv.revision_id "
            "WHERE rv.id = ? AND rv.deleted_at = ''",
            [review_id],
        )
        if row is None:
            raise NotFound(f"no review {review_id}")
        return str(row["text"])

    def _claim_review_id(self, claim_id: int) -> int:
        row = self._one("SELECT review_id FROM claims WHERE id = ?", [claim_id])
        if row is None:
            raise NotFound(f"no claim with id {claim_id}")
        return int(row["review_id"])

    def _editable(self, review_id: int) -> Review:
        review = self.review(review_id)
        if review.status == ReviewStatus.SIGNED_OFF:
            raise ReviewLocked(
                f"review {review_id} is signed off; reopen it before changing anything"
            )
        if self._conn.execute(_SIGNED_COPY, [review_id]).fetchone()[0]:
            raise _signed_copy_locked(review_id)
        return review

    def _editable_part(self, table: str, row_id: int, what: str) -> tuple[int, ReviewStatus]:
        """(review id, review status) of a claim, source or takeaway whose review may change, in
        one read: an edit typed into the GUI pays for this on every keystroke. NotFound when the
        row or its review is gone, ReviewLocked when the review is signed off."""
        row = self._conn.execute(
            f"SELECT rv.id, rv.status, ({_SIGNED_COPY.replace('?', 'rv.id')}) FROM {table} t "
            "JOIN reviews rv ON rv.id = t.review_id WHERE t.id = ? AND rv.deleted_at = ''",
            [row_id],
        ).fetchone()
        if row is None:
            found = self._one(f"SELECT review_id FROM {table} WHERE id = ?", [row_id])
            if found is None:
                raise NotFound(f"no {what} with id {row_id}")
            raise NotFound(f"no review {found['review_id']}")
        review_id, status = int(row[0]), ReviewStatus(row[1])
        if status == ReviewStatus.SIGNED_OFF:
            raise ReviewLocked(
                f"review {review_id} is signed off; reopen it before changing anything"
            )
        if row[2]:
            raise _signed_copy_locked(review_id)
        return review_id, status

    def _touch(self, review: Review) -> None:
        """Mark a change: the review's clock moves and a draft becomes in-review."""
        self._touch_id(review.id, review.status)

    def _touch_id(self, review_id: int, status: ReviewStatus) -> None:
        values: dict[str, Any] = {"updated_at": utc_now()}
        if status == ReviewStatus.DRAFT:
            values["status"] = ReviewStatus.IN_REVIEW
        self._update("reviews", review_id, values)
