"""StoreBase: the connection, transactions, the event log, and the review checks all parts share."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import sqlite_utils

from reviewapp.core.errors import DatabaseDamaged, NotFound, ReviewLocked
from reviewapp.core.model import Review, utc_now
from reviewapp.core.states import ReviewStatus
from reviewapp.store.database import CheckedConnection, open_database, quick_check

log = logging.getLogger(__name__)


class StoreBase:
    """The library of reviews in one SQLite file. Thread use: one store per thread."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.db: sqlite_utils.Database = open_database(self.path)
        self.conn: sqlite3.Connection = self.db.conn
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    @property
    def damage(self) -> DatabaseDamaged | None:
        """The damage a read or write has met in this file since it was opened, if any."""
        return getattr(self.conn, "damage", None)

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
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (a damaged page, a full disk): ROLLBACK
            # then fails and would hide the error that matters.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    def _before_first_write(self) -> None:
        """A damaged file is never written to: finish a check cut short at open, once."""
        if self.damage is not None:
            raise self.damage
        if isinstance(self.conn, CheckedConnection) and not self.conn.checked:
            quick_check(self.conn, self.path)

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values())
        )
        return int(cur.lastrowid or 0)

    def _update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        sets = ", ".join(f'"{c}" = ?' for c in values)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None

    def log_event(self, review_id: int | None, action: str, actor: str = "", **detail: Any) -> None:
        self._insert(
            "events",
            {
                "review_id": review_id,
                "at": utc_now(),
                "actor": actor,
                "action": action,
                "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False),
            },
        )

    def events(self, review_id: int) -> list[dict[str, Any]]:
        return list(
            self.db.query("SELECT * FROM events WHERE review_id = ? ORDER BY id", [review_id])
        )

    # ------------------------------------------------------------------ the review itself
    def review(self, review_id: int) -> Review:
        row = self._one("SELECT * FROM reviews WHERE id = ? AND deleted_at = ''", [review_id])
        if row is None:
            raise NotFound(f"no review {review_id}")
        return _review_from_row(row)

    def current_text(self, review_id: int) -> str:
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
        return review

    def _touch(self, review: Review) -> None:
        """Mark a change: the review's clock moves and a draft becomes in-review."""
        values: dict[str, Any] = {"updated_at": utc_now()}
        if review.status == ReviewStatus.DRAFT:
            values["status"] = ReviewStatus.IN_REVIEW
        self._update("reviews", review.id, values)


def _review_from_row(row: dict[str, Any]) -> Review:
    return Review(
        id=row["id"],
        article_id=row["article_id"],
        revision_id=row["revision_id"],
        reviewer=row["reviewer"],
        status=row["status"],
        verdict=row["verdict"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
