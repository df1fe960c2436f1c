"""Captures: sources as fetched, kept as WARC records (bytes only: the store never parses them).

A capture names its source by the source's stable id (see CAPTURES_SCHEMA), so these queries
join on it; a capture whose source was deleted stays until the review goes, and comes back
with the source when the deletion is undone. The one exception is a reuse taken back:
discard_capture_copies deletes the copies it made, never a capture a sign-off stands on.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from reviewapp.core.errors import BadInput, NotFound
from reviewapp.store.base import StoreBase

if TYPE_CHECKING:  # imported where first used: the window's first frame reads no capture
    from reviewapp.core.captures import Capture

_COLUMNS = (
    "c.id, c.review_id, s.id AS source_id, c.url, c.final_url, c.status, c.content_type, "
    "c.captured_at, c.sha256, c.size, c.thin, c.record_id"
)
_JOIN = (
    "captures c JOIN sources s ON s.review_id = c.review_id AND s.stable_id = c.source_stable_id"
)


def _capture(row: dict[str, Any]) -> Capture:
    from reviewapp.core.captures import Capture

    return Capture(
        id=row["id"],
        review_id=row["review_id"],
        source_id=row["source_id"],
        url=row["url"],
        final_url=row["final_url"],
        status=row["status"],
        content_type=row["content_type"],
        captured_at=row["captured_at"],
        sha256=row["sha256"],
        size=row["size"],
        thin=bool(row["thin"]),
        record_id=row["record_id"],
    )


def _row(capture: Capture, review_id: int, source_stable_id: str, warc: bytes) -> dict[str, Any]:
    from reviewapp.core.captures import is_sha256

    if not is_sha256(capture.sha256):
        raise BadInput(f"a capture's SHA-256 must be 64 hex digits, not {capture.sha256[:70]!r}")
    return {
        "review_id": review_id,
        "source_stable_id": source_stable_id,
        "url": capture.url,
        "final_url": capture.final_url,
        "status": capture.status,
        "content_type": capture.content_type,
        "captured_at": capture.captured_at,
        "sha256": capture.sha256,
        "size": capture.size,
        "thin": int(capture.thin),
        "record_id": capture.record_id,
        "warc": warc,
    }


class CaptureStore(StoreBase):
    def captures(self, review_id: int) -> list[Capture]:
        """The captures of the review's sources, in source order, oldest first for each."""
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM {_JOIN} WHERE c.review_id = ? ORDER BY s.id, c.id",
            [review_id],
        )
        return [_capture(row) for row in rows]

    def source_captures(self, source_id: int) -> list[Capture]:
        """One source's captures, oldest first."""
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM {_JOIN} WHERE s.id = ? ORDER BY c.id", [source_id]
        )
        return [_capture(row) for row in rows]

    def capture(self, capture_id: int) -> Capture:
        row = self._one(f"SELECT {_COLUMNS} FROM {_JOIN} WHERE c.id = ?", [capture_id])
        if row is None:
            raise NotFound(f"no capture with id {capture_id}")
        return _capture(row)

    def capture_record(self, capture_id: int) -> bytes:
        """The capture's WARC records as stored (gzip members, as in a .warc.gz)."""
        row = self._one("SELECT warc FROM captures WHERE id = ?", [capture_id])
        if row is None:
            raise NotFound(f"no capture with id {capture_id}")
        return bytes(row["warc"])

    def capture_records(self, review_id: int) -> dict[int, bytes]:
        """Capture id -> its WARC bytes, for every capture the review shows."""
        rows = self._db.query(
            f"SELECT c.id, c.warc FROM {_JOIN} WHERE c.review_id = ? ORDER BY s.id, c.id",
            [review_id],
        )
        return {row["id"]: bytes(row["warc"]) for row in rows}

    def add_capture(self, source_id: int, capture: Capture, warc: bytes) -> Capture:
        """Keep a capture of a source (its review must be editable); returns it with its id."""
        with self.transaction():
            review_id, status = self._editable_part("sources", source_id, "source")
            (stable_id,) = self._conn.execute(
                "SELECT stable_id FROM sources WHERE id = ?", [source_id]
            ).fetchone()
            capture_id = self._insert("captures", _row(capture, review_id, stable_id, warc))
            self._touch_id(review_id, status)
            self.log_event(
                review_id,
                "capture",
                source_id=source_id,
                capture_id=capture_id,
                url=capture.final_url,
                sha256=capture.sha256,
                thin=capture.thin,
            )
        return dataclasses.replace(capture, id=capture_id, review_id=review_id, source_id=source_id)

    def import_captures(
        self, review_id: int, captures: Iterable[tuple[Capture, str, bytes]]
    ) -> None:
        """Write copied captures (capture, its source's stable id here, WARC bytes) as they
        are, signed-off review or not: a bundle import carries them with the review."""
        with self.transaction():
            for capture, stable_id, warc in captures:
                self._insert("captures", _row(capture, review_id, stable_id, warc))

    def copy_captures(self, src_source_id: int, dst_source_id: int) -> list[int]:
        """Give the destination source copies of every capture of the source one (reusing an
        earlier check carries its evidence); joins the caller's transaction. Returns the ids of
        the copies, oldest first, so that undoing the reuse can take exactly them back. The
        destination's review must be editable; the source's may be signed off."""
        with self.transaction():
            review_id, status = self._editable_part("sources", dst_source_id, "source")
            src = self._one(
                "SELECT review_id, stable_id FROM sources WHERE id = ?", [src_source_id]
            )
            if src is None:
                raise NotFound(f"no source with id {src_source_id}")
            (dst_stable,) = self._conn.execute(
                "SELECT stable_id FROM sources WHERE id = ?", [dst_source_id]
            ).fetchone()
            (newest,) = self._conn.execute("SELECT coalesce(max(id), 0) FROM captures").fetchone()
            self._conn.execute(
                "INSERT INTO captures (review_id, source_stable_id, url, final_url, status, "
                "content_type, captured_at, sha256, size, thin, record_id, warc) "
                "SELECT ?, ?, url, final_url, status, content_type, captured_at, sha256, size, "
                "thin, record_id, warc FROM captures WHERE review_id = ? AND "
                "source_stable_id = ? ORDER BY id",
                [review_id, dst_stable, src["review_id"], src["stable_id"]],
            )
            # Inside the transaction nobody else writes, so the rows past the newest are ours.
            copied = [
                int(row[0])
                for row in self._conn.execute(
                    "SELECT id FROM captures WHERE id > ? AND review_id = ? AND "
                    "source_stable_id = ? ORDER BY id",
                    [newest, review_id, dst_stable],
                )
            ]
            if copied:
                self._touch_id(review_id, status)
                self.log_event(
                    review_id,
                    "capture-copy",
                    source_id=dst_source_id,
                    from_source_id=src_source_id,
                    captures=len(copied),
                )
        return copied

    def discard_capture_copies(self, capture_ids: Iterable[int]) -> int:
        """Delete captures that copy_captures made, as undoing a reuse does; joins the
        caller's transaction and returns how many went. The only path that deletes a capture
        while its review exists: refused (ReviewLocked) on a signed-off review, and a copy
        whose SHA-256 a sign-off of its review lists stays (the trigger
        captures_kept_when_signed would refuse it anyway), so nothing signed is dropped."""
        ids = sorted(set(capture_ids))
        if not ids:
            return 0
        with self.transaction():
            rows = self._db.query(
                "SELECT id, review_id FROM captures WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids)],
            )
            reviews = {int(row["review_id"]) for row in rows}
            for review_id in sorted(reviews):
                self._editable(review_id)  # ReviewLocked when signed off
            gone = self._conn.execute(
                "DELETE FROM captures WHERE id IN (SELECT value FROM json_each(?)) AND NOT "
                "EXISTS (SELECT 1 FROM signoffs so WHERE so.review_id = captures.review_id "
                "AND instr(CAST(so.markdown AS TEXT), captures.sha256) > 0)",
                [json.dumps(ids)],
            ).rowcount
            for review_id in sorted(reviews):
                self.log_event(review_id, "capture-copy-undo", captures=gone)
        return int(gone)
