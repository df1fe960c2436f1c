"""ReviewStore: every read and write of reviews, claims, sources and takeaways."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from reviewapp.core import scales
from reviewapp.core.anchoring import Selectors, locate_quote, select
from reviewapp.core.errors import BadInput, NotFound, ReviewLocked
from reviewapp.core.model import (
    ArticleMeta,
    Claim,
    ImportedDraft,
    Review,
    ReviewData,
    ReviewSummary,
    Revision,
    Signoff,
    Source,
    Takeaway,
    utc_now,
)
from reviewapp.core.text import document_from_json
from reviewapp.store.database import open_database

log = logging.getLogger(__name__)

SOURCE_FIELDS = (
    "url",
    "title",
    "publisher",
    "author",
    "published",
    "accessed_at",
    "archive_url",
    "archive_date",
    "kind",
    "credibility",
    "note",
)
CLAIM_EDIT_FIELDS = ("status", "note", "correction", "source_override")
CLAIM_ORDER = 'start IS NULL, start, "end", id'


class ReviewStore:
    """The library of reviews in one SQLite file. Thread use: one store per thread."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.db: sqlite_utils.Database = open_database(self.path)
        self.conn: sqlite3.Connection = self.db.conn
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ReviewStore:
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
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

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

    # ------------------------------------------------------------------ articles
    def add_article(self, draft: ImportedDraft, reviewer: str = "") -> int:
        """Store a new article, its first revision and an empty draft review; return its id."""
        now = utc_now()
        meta = draft.meta
        with self.transaction():
            article_id = self._insert(
                "articles",
                {
                    "title": meta.title,
                    "url": meta.url,
                    "canonical_url": meta.canonical_url,
                    "created_at": now,
                },
            )
            revision_id = self._insert_revision(article_id, 1, draft, now)
            review_id = self._insert(
                "reviews",
                {
                    "article_id": article_id,
                    "revision_id": revision_id,
                    "reviewer": reviewer,
                    "status": "draft",
                    "verdict": "",
                    "created_at": now,
                    "updated_at": now,
                },
            )
            self.log_event(
                review_id,
                "import",
                reviewer,
                source=draft.source_name,
                content_hash=draft.document.content_hash,
            )
        return review_id

    def _insert_revision(self, article_id: int, number: int, draft: ImportedDraft, now: str) -> int:
        meta = draft.meta
        return self._insert(
            "revisions",
            {
                "article_id": article_id,
                "number": number,
                "text": draft.document.text,
                "blocks": json.dumps(draft.document.blocks_json(), ensure_ascii=False),
                "raw": draft.raw,
                "raw_type": draft.raw_type,
                "content_hash": draft.document.content_hash,
                "title": meta.title,
                "authors": json.dumps(meta.authors, ensure_ascii=False),
                "site": meta.site,
                "url": meta.url,
                "canonical_url": meta.canonical_url,
                "published": meta.published,
                "description": meta.description,
                "source_name": draft.source_name,
                "imported_at": now,
                "importer": draft.importer,
            },
        )

    def revision(self, revision_id: int) -> Revision:
        row = self._one("SELECT * FROM revisions WHERE id = ?", [revision_id])
        if row is None:
            raise NotFound(f"no revision {revision_id}")
        return _revision_from_row(row)

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

    def revisions(self, article_id: int) -> list[Revision]:
        rows = self.db.query(
            "SELECT * FROM revisions WHERE article_id = ? ORDER BY number", [article_id]
        )
        return [_revision_from_row(r) for r in rows]

    def raw_source(self, revision_id: int) -> tuple[bytes, str]:
        row = self._one("SELECT raw, raw_type FROM revisions WHERE id = ?", [revision_id])
        if row is None:
            raise NotFound(f"no revision {revision_id}")
        return bytes(row["raw"]), row["raw_type"]

    # ------------------------------------------------------------------ reviews
    def review(self, review_id: int) -> Review:
        row = self._one("SELECT * FROM reviews WHERE id = ? AND deleted_at = ''", [review_id])
        if row is None:
            raise NotFound(f"no review {review_id}")
        return _review_from_row(row)

    def _editable(self, review_id: int) -> Review:
        review = self.review(review_id)
        if review.status == "signed-off":
            raise ReviewLocked(
                f"review {review_id} is signed off; reopen it before changing anything"
            )
        return review

    def _touch(self, review: Review) -> None:
        """Mark a change: the review's clock moves and a draft becomes in-review."""
        values: dict[str, Any] = {"updated_at": utc_now()}
        if review.status == "draft":
            values["status"] = "in-review"
        self._update("reviews", review.id, values)

    def set_review(
        self, review_id: int, *, reviewer: str | None = None, verdict: str | None = None
    ) -> Review:
        with self.transaction():
            review = self._editable(review_id)
            values: dict[str, Any] = {}
            if reviewer is not None:
                values["reviewer"] = reviewer.strip()
            if verdict is not None:
                if verdict:
                    scales.check_choice(verdict, scales.VERDICTS, "verdict")
                values["verdict"] = verdict
            if values:
                self._update("reviews", review_id, values)
                self._touch(review)
                self.log_event(
                    review_id, "review", values.get("reviewer", review.reviewer), **values
                )
        return self.review(review_id)

    def set_status(self, review_id: int, status: str, actor: str = "") -> None:
        """Low-level status change, used by the sign-off workflow."""
        scales.check_choice(status, scales.REVIEW_STATUSES, "review status")
        with self.transaction():
            self.review(review_id)
            self._update("reviews", review_id, {"status": status, "updated_at": utc_now()})
            self.log_event(review_id, "status", actor, status=status)

    def delete_review(self, review_id: int) -> None:
        """Move a review to the bin (undoable with restore_review)."""
        with self.transaction():
            self.review(review_id)
            self._update("reviews", review_id, {"deleted_at": utc_now()})
            self.log_event(review_id, "delete")

    def restore_review(self, review_id: int) -> None:
        with self.transaction():
            if self._one("SELECT id FROM reviews WHERE id = ?", [review_id]) is None:
                raise NotFound(f"no review {review_id}")
            self._update("reviews", review_id, {"deleted_at": ""})
            self.log_event(review_id, "restore")

    _SUMMARY_SQL = """
        SELECT rv.id, rev.title, rev.site, rev.url, rv.status, rv.verdict, rv.reviewer,
               rv.updated_at,
               (SELECT count(*) FROM claims c WHERE c.review_id = rv.id) AS claims,
               (SELECT count(*) FROM claims c WHERE c.review_id = rv.id
                    AND c.status = 'unchecked') AS unchecked
        FROM reviews rv JOIN revisions rev ON rev.id = rv.revision_id
        WHERE rv.deleted_at = '' {where}
        ORDER BY rv.updated_at DESC, rv.id DESC
        LIMIT ? OFFSET ?
    """

    def list_reviews(
        self, *, query: str = "", status: str = "", limit: int = -1, offset: int = 0
    ) -> list[ReviewSummary]:
        """Library rows, newest change first; query uses the full-text index."""
        where, params = self._filter(query, status)
        rows = self.db.query(self._SUMMARY_SQL.format(where=where), [*params, limit, offset])
        return [ReviewSummary(**r) for r in rows]

    def count_reviews(self, *, query: str = "", status: str = "") -> int:
        where, params = self._filter(query, status)
        row = self._one(
            f"SELECT count(*) AS n FROM reviews rv WHERE rv.deleted_at = '' {where}", params
        )
        return int(row["n"]) if row else 0

    def _filter(self, query: str, status: str) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if status:
            scales.check_choice(status, scales.REVIEW_STATUSES, "review status")
            clauses.append("rv.status = ?")
            params.append(status)
        if query.strip():
            clauses.append(
                "rv.id IN (SELECT review_id FROM search_index WHERE search_index MATCH ?)"
            )
            params.append(fts_query(query))
        return "".join(f" AND {c}" for c in clauses), params

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text hits: review id, what matched (article, claim, source, takeaway), a snippet."""
        if not query.strip():
            raise BadInput("the search query is empty")
        sql = """
            SELECT s.review_id, s.kind, s.row_id,
                   snippet(search_index, 3, '[', ']', '…', 12) AS snippet, rev.title
            FROM search_index s
            JOIN reviews rv ON rv.id = s.review_id AND rv.deleted_at = ''
            JOIN revisions rev ON rev.id = rv.revision_id
            WHERE search_index MATCH ?
            ORDER BY rank LIMIT ?
        """
        return list(self.db.query(sql, [fts_query(query), limit]))

    def load_review(self, review_id: int) -> ReviewData:
        review = self.review(review_id)
        return ReviewData(
            review=review,
            revision=self.revision(review.revision_id),
            claims=self.claims(review_id),
            sources=self.sources(review_id),
            takeaways=self.takeaways(review_id),
            signoffs=self.signoffs(review_id),
        )

    # ------------------------------------------------------------------ claims
    def claims(self, review_id: int) -> list[Claim]:
        links: dict[int, list[int]] = {}
        for row in self.db.query(
            "SELECT cs.claim_id, cs.source_id FROM claim_sources cs JOIN claims c "
            "ON c.id = cs.claim_id WHERE c.review_id = ? ORDER BY cs.source_id",
            [review_id],
        ):
            links.setdefault(row["claim_id"], []).append(row["source_id"])
        rows = self.db.query(
            f"SELECT * FROM claims WHERE review_id = ? ORDER BY {CLAIM_ORDER}", [review_id]
        )
        return [
            _claim_from_row(row, number, links.get(row["id"], []))
            for number, row in enumerate(rows, start=1)
        ]

    def claim(self, review_id: int, number: int) -> Claim:
        for claim in self.claims(review_id):
            if claim.number == number:
                return claim
        raise NotFound(f"review {review_id} has no claim {number}")

    def claim_by_id(self, claim_id: int) -> Claim:
        # The number is the claim's rank in text order, computed in SQL so that one lookup
        # stays cheap in a review with thousands of claims.
        row = self._one(
            f"SELECT * FROM (SELECT *, row_number() OVER (ORDER BY {CLAIM_ORDER}) AS number "
            "FROM claims WHERE review_id = (SELECT review_id FROM claims WHERE id = ?)) "
            "WHERE id = ?",
            [claim_id, claim_id],
        )
        if row is None:
            raise NotFound(f"no claim with id {claim_id}")
        source_ids = [
            r["source_id"]
            for r in self.db.query(
                "SELECT source_id FROM claim_sources WHERE claim_id = ? ORDER BY source_id",
                [claim_id],
            )
        ]
        return _claim_from_row(row, row["number"], source_ids)

    def add_claim(
        self,
        review_id: int,
        selectors: Selectors,
        *,
        status: str = "unchecked",
        note: str = "",
        correction: str = "",
    ) -> Claim:
        scales.check_choice(status, scales.CLAIM_STATUS_KEYS, "claim status")
        with self.transaction():
            review = self._editable(review_id)
            now = utc_now()
            claim_id = self._insert(
                "claims",
                {
                    "review_id": review_id,
                    "revision_id": review.revision_id,
                    "quote": selectors.exact,
                    "prefix": selectors.prefix,
                    "suffix": selectors.suffix,
                    "start": selectors.start,
                    "end": selectors.end,
                    "status": status,
                    "note": note,
                    "correction": correction,
                    "anchor_state": "anchored",
                    "anchor_score": 1.0,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            self._touch(review)
            self.log_event(
                review_id,
                "claim-add",
                claim_id=claim_id,
                quote=selectors.exact,
                start=selectors.start,
                end=selectors.end,
            )
        return self.claim_by_id(claim_id)

    def add_claim_at(self, review_id: int, start: int, end: int, **fields: str) -> Claim:
        """Add a claim on the span [start, end) of the review's current text (code points)."""
        return self.add_claim(review_id, select(self.current_text(review_id), start, end), **fields)

    def add_claim_by_quote(
        self, review_id: int, quote: str, occurrence: int | None = None, **fields: str
    ) -> Claim:
        text = self.current_text(review_id)
        return self.add_claim(review_id, locate_quote(text, quote, occurrence), **fields)

    def update_claim(self, claim_id: int, **fields: str) -> Claim:
        unknown = set(fields) - set(CLAIM_EDIT_FIELDS)
        if unknown:
            raise BadInput(f"cannot set {', '.join(sorted(unknown))} on a claim")
        if "status" in fields:
            scales.check_choice(fields["status"], scales.CLAIM_STATUS_KEYS, "claim status")
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            review = self._editable(claim.review_id)
            if fields:
                self._update("claims", claim_id, {**fields, "updated_at": utc_now()})
                self._touch(review)
                self.log_event(review.id, "claim-set", claim_id=claim_id, **fields)
        return self.claim_by_id(claim_id)

    def reanchor_claim(
        self,
        claim_id: int,
        selectors: Selectors,
        state: str,
        revision_id: int,
        score: float | None = None,
        previous_quote: str = "",
    ) -> None:
        """Store where a claim now sits (used by re-anchoring and re-attaching)."""
        scales.check_choice(state, scales.ANCHOR_STATES, "anchor state")
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            self._editable(claim.review_id)
            self._update(
                "claims",
                claim_id,
                {
                    "quote": selectors.exact,
                    "prefix": selectors.prefix,
                    "suffix": selectors.suffix,
                    "start": selectors.start,
                    "end": selectors.end,
                    "anchor_state": state,
                    "anchor_score": score,
                    "revision_id": revision_id,
                    "previous_quote": previous_quote,
                    "updated_at": utc_now(),
                },
            )
            self.log_event(claim.review_id, "claim-anchor", claim_id=claim_id, state=state)

    def set_anchor_state(self, claim_id: int, state: str) -> None:
        scales.check_choice(state, scales.ANCHOR_STATES, "anchor state")
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            self._editable(claim.review_id)
            self._update("claims", claim_id, {"anchor_state": state, "updated_at": utc_now()})
            self.log_event(claim.review_id, "claim-anchor-state", claim_id=claim_id, state=state)

    def delete_claim(self, claim_id: int) -> Claim:
        """Delete a claim and its links; returns it so that restore_claim can undo."""
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            review = self._editable(claim.review_id)
            self.conn.execute("DELETE FROM claims WHERE id = ?", [claim_id])
            self._touch(review)
            self.log_event(review.id, "claim-rm", claim_id=claim_id, quote=claim.quote)
        return claim

    def restore_claim(self, claim: Claim) -> Claim:
        """Put a deleted claim back with the same id and links."""
        with self.transaction():
            review = self._editable(claim.review_id)
            self._insert(
                "claims",
                {
                    "id": claim.id,
                    "review_id": claim.review_id,
                    "revision_id": claim.revision_id,
                    "quote": claim.quote,
                    "prefix": claim.prefix,
                    "suffix": claim.suffix,
                    "start": claim.start,
                    "end": claim.end,
                    "status": claim.status,
                    "note": claim.note,
                    "correction": claim.correction,
                    "anchor_state": claim.anchor_state,
                    "previous_quote": claim.previous_quote,
                    "source_override": claim.source_override,
                    "created_at": claim.created_at,
                    "updated_at": utc_now(),
                },
            )
            for source_id in claim.source_ids:
                self.conn.execute(
                    "INSERT OR IGNORE INTO claim_sources (claim_id, source_id) "
                    "SELECT ?, id FROM sources WHERE id = ?",
                    [claim.id, source_id],
                )
            self._touch(review)
            self.log_event(review.id, "claim-restore", claim_id=claim.id)
        return self.claim_by_id(claim.id)

    # ------------------------------------------------------------------ sources
    def sources(self, review_id: int) -> list[Source]:
        links: dict[int, list[int]] = {}
        for row in self.db.query(
            "SELECT cs.source_id, cs.claim_id FROM claim_sources cs JOIN sources s "
            "ON s.id = cs.source_id WHERE s.review_id = ?",
            [review_id],
        ):
            links.setdefault(row["source_id"], []).append(row["claim_id"])
        order = {c.id: c.number for c in self.claims(review_id)}
        rows = self.db.query("SELECT * FROM sources WHERE review_id = ? ORDER BY id", [review_id])
        return [
            _source_from_row(row, sorted(links.get(row["id"], []), key=lambda i: order.get(i, 0)))
            for row in rows
        ]

    def source(self, source_id: int) -> Source:
        row = self._one("SELECT * FROM sources WHERE id = ?", [source_id])
        if row is None:
            raise NotFound(f"no source with id {source_id}")
        claim_ids = [
            r["claim_id"]
            for r in self.db.query(
                "SELECT claim_id FROM claim_sources WHERE source_id = ?", [source_id]
            )
        ]
        return _source_from_row(row, claim_ids)

    def add_source(self, review_id: int, claim_ids: Sequence[int] = (), **fields: str) -> Source:
        values = _checked_source_fields(fields)
        if not (values.get("url") or values.get("title")):
            raise BadInput("a source needs at least a URL or a title")
        with self.transaction():
            review = self._editable(review_id)
            now = utc_now()
            source_id = self._insert(
                "sources", {"review_id": review_id, **values, "created_at": now, "updated_at": now}
            )
            for claim_id in claim_ids:
                self._link(review_id, claim_id, source_id)
            self._touch(review)
            self.log_event(review_id, "source-add", source_id=source_id, url=values.get("url", ""))
        return self.source(source_id)

    def update_source(self, source_id: int, **fields: str) -> Source:
        values = _checked_source_fields(fields)
        with self.transaction():
            source = self.source(source_id)
            review = self._editable(source.review_id)
            if values:
                self._update("sources", source_id, {**values, "updated_at": utc_now()})
                self._touch(review)
                self.log_event(review.id, "source-set", source_id=source_id, **values)
        return self.source(source_id)

    def delete_source(self, source_id: int) -> Source:
        with self.transaction():
            source = self.source(source_id)
            review = self._editable(source.review_id)
            self.conn.execute("DELETE FROM sources WHERE id = ?", [source_id])
            self._touch(review)
            self.log_event(review.id, "source-rm", source_id=source_id)
        return source

    def restore_source(self, source: Source) -> Source:
        with self.transaction():
            review = self._editable(source.review_id)
            self._insert(
                "sources",
                {
                    "id": source.id,
                    "review_id": source.review_id,
                    **{f: getattr(source, f) for f in SOURCE_FIELDS},
                    "created_at": source.created_at,
                    "updated_at": utc_now(),
                },
            )
            for claim_id in source.claim_ids:
                self.conn.execute(
                    "INSERT OR IGNORE INTO claim_sources (claim_id, source_id) "
                    "SELECT id, ? FROM claims WHERE id = ?",
                    [source.id, claim_id],
                )
            self._touch(review)
            self.log_event(review.id, "source-restore", source_id=source.id)
        return self.source(source.id)

    def _link(self, review_id: int, claim_id: int, source_id: int) -> None:
        row = self._one(
            "SELECT (SELECT review_id FROM claims WHERE id = ?) AS c, "
            "(SELECT review_id FROM sources WHERE id = ?) AS s",
            [claim_id, source_id],
        )
        if not row or row["c"] != review_id or row["s"] != review_id:
            raise BadInput("the claim and the source must belong to the same review")
        self.conn.execute(
            "INSERT OR IGNORE INTO claim_sources (claim_id, source_id) VALUES (?, ?)",
            [claim_id, source_id],
        )

    def link(self, claim_id: int, source_id: int) -> None:
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            review = self._editable(claim.review_id)
            self._link(review.id, claim_id, source_id)
            self._touch(review)
            self.log_event(review.id, "link", claim_id=claim_id, source_id=source_id)

    def unlink(self, claim_id: int, source_id: int) -> None:
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            review = self._editable(claim.review_id)
            self.conn.execute(
                "DELETE FROM claim_sources WHERE claim_id = ? AND source_id = ?",
                [claim_id, source_id],
            )
            self._touch(review)
            self.log_event(review.id, "unlink", claim_id=claim_id, source_id=source_id)

    # ------------------------------------------------------------------ takeaways
    def takeaways(self, review_id: int) -> list[Takeaway]:
        rows = self.db.query(
            "SELECT id, review_id, text, kind, position FROM takeaways WHERE review_id = ? "
            "ORDER BY position, id",
            [review_id],
        )
        return [Takeaway(**r) for r in rows]

    def takeaway(self, takeaway_id: int) -> Takeaway:
        row = self._one(
            "SELECT id, review_id, text, kind, position FROM takeaways WHERE id = ?", [takeaway_id]
        )
        if row is None:
            raise NotFound(f"no takeaway with id {takeaway_id}")
        return Takeaway(**row)

    def add_takeaway(
        self, review_id: int, text: str, kind: str = "summary", position: int | None = None
    ) -> Takeaway:
        text = text.strip()
        if not text:
            raise BadInput("a takeaway needs some text")
        scales.check_choice(kind, scales.TAKEAWAY_KINDS, "takeaway kind")
        with self.transaction():
            review = self._editable(review_id)
            ids = [t.id for t in self.takeaways(review_id)]
            now = utc_now()
            new_id = self._insert(
                "takeaways",
                {
                    "review_id": review_id,
                    "text": text,
                    "kind": kind,
                    "position": len(ids),
                    "created_at": now,
                    "updated_at": now,
                },
            )
            if position is not None:
                ids.insert(max(0, min(position, len(ids))), new_id)
                self._renumber_takeaways(ids)
            self._touch(review)
            self.log_event(review_id, "takeaway-add", takeaway_id=new_id, text=text)
        return self.takeaway(new_id)

    def update_takeaway(
        self, takeaway_id: int, *, text: str | None = None, kind: str | None = None
    ) -> Takeaway:
        values: dict[str, Any] = {}
        if text is not None:
            if not text.strip():
                raise BadInput("a takeaway needs some text")
            values["text"] = text.strip()
        if kind is not None:
            values["kind"] = scales.check_choice(kind, scales.TAKEAWAY_KINDS, "takeaway kind")
        with self.transaction():
            takeaway = self.takeaway(takeaway_id)
            review = self._editable(takeaway.review_id)
            if values:
                self._update("takeaways", takeaway_id, {**values, "updated_at": utc_now()})
                self._touch(review)
                self.log_event(review.id, "takeaway-set", takeaway_id=takeaway_id, **values)
        return self.takeaway(takeaway_id)

    def move_takeaway(self, takeaway_id: int, position: int) -> None:
        with self.transaction():
            takeaway = self.takeaway(takeaway_id)
            review = self._editable(takeaway.review_id)
            ids = [t.id for t in self.takeaways(review.id) if t.id != takeaway_id]
            ids.insert(max(0, min(position, len(ids))), takeaway_id)
            self._renumber_takeaways(ids)
            self._touch(review)
            self.log_event(review.id, "takeaway-move", takeaway_id=takeaway_id, position=position)

    def _renumber_takeaways(self, ids: list[int]) -> None:
        for position, tid in enumerate(ids):
            self.conn.execute("UPDATE takeaways SET position = ? WHERE id = ?", [position, tid])

    def delete_takeaway(self, takeaway_id: int) -> Takeaway:
        with self.transaction():
            takeaway = self.takeaway(takeaway_id)
            review = self._editable(takeaway.review_id)
            self.conn.execute("DELETE FROM takeaways WHERE id = ?", [takeaway_id])
            self._renumber_takeaways([t.id for t in self.takeaways(review.id)])
            self._touch(review)
            self.log_event(review.id, "takeaway-rm", takeaway_id=takeaway_id)
        return takeaway

    def restore_takeaway(self, takeaway: Takeaway) -> Takeaway:
        with self.transaction():
            review = self._editable(takeaway.review_id)
            now = utc_now()
            self._insert(
                "takeaways",
                {
                    "id": takeaway.id,
                    "review_id": takeaway.review_id,
                    "text": takeaway.text,
                    "kind": takeaway.kind,
                    "position": takeaway.position,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            ids = [t.id for t in self.takeaways(review.id) if t.id != takeaway.id]
            ids.insert(takeaway.position, takeaway.id)
            self._renumber_takeaways(ids)
            self._touch(review)
        return self.takeaway(takeaway.id)

    # ------------------------------------------------------------------ sign-offs
    def signoffs(self, review_id: int) -> list[Signoff]:
        rows = self.db.query(
            "SELECT id, review_id, revision_id, reviewer, email, fingerprint, markdown, "
            "signature, signed_at, superseded_at FROM signoffs WHERE review_id = ? ORDER BY id",
            [review_id],
        )
        return [Signoff(**{**r, "markdown": bytes(r["markdown"])}) for r in rows]

    # ------------------------------------------------------------------ undo of re-anchoring
    _PLACE_COLUMNS = ("id", "revision_id", "quote", "prefix", "suffix", "start", "end",
                      "anchor_state", "anchor_score", "previous_quote", "note")  # fmt: skip

    def claim_places(self, review_id: int) -> list[dict[str, Any]]:
        """Where every claim of a review sits (words, context, position, state, note): what
        restore_claim_places puts back when the GUI undoes a revision import or an orphaning."""
        cols = ", ".join(f'"{c}"' for c in self._PLACE_COLUMNS)
        return list(self.db.query(f"SELECT {cols} FROM claims WHERE review_id = ?", [review_id]))

    def restore_claim_places(self, review_id: int, places: Sequence[dict[str, Any]]) -> None:
        """Put claims back where claim_places found them (claims deleted since are skipped)."""
        with self.transaction():
            review = self._editable(review_id)
            now = utc_now()
            for place in places:
                values = {k: v for k, v in place.items() if k != "id"}
                self.conn.execute(
                    "UPDATE claims SET " + ", ".join(f'"{c}" = ?' for c in values)
                    + ', updated_at = ? WHERE id = ? AND review_id = ?',
                    [*values.values(), now, place["id"], review_id],
                )  # fmt: skip
            self._touch(review)
            self.log_event(review_id, "claim-places-restore", claims=len(places))

    def undo_revision_import(
        self, review_id: int, revision_id: int, previous: Review, places: Sequence[dict[str, Any]]
    ) -> None:
        """Take back import_revision: the review returns to its earlier revision and status,
        its claims to their earlier places, and the imported revision is removed."""
        with self.transaction():
            review = self._editable(review_id)
            if review.revision_id != revision_id:
                raise BadInput(
                    f"review {review_id} is no longer on the imported revision; nothing was undone"
                )
            self.restore_claim_places(review_id, places)
            self._update("reviews", review_id, {"revision_id": previous.revision_id,
                                                "status": previous.status,
                                                "updated_at": utc_now()})  # fmt: skip
            in_use = self._one(
                "SELECT 1 FROM reviews WHERE revision_id = ? UNION ALL "
                "SELECT 1 FROM claims WHERE revision_id = ? UNION ALL "
                "SELECT 1 FROM signoffs WHERE revision_id = ?",
                [revision_id] * 3,
            )
            if in_use is None:
                self.conn.execute("DELETE FROM revisions WHERE id = ?", [revision_id])
            self.log_event(review_id, "revision-import-undo", review.reviewer,
                           revision_id=revision_id)  # fmt: skip

    def review_with_canonical_url(self, canonical_url: str, exclude: int = 0) -> int | None:
        """The oldest review (not in the bin, not exclude) of an article with this canonical
        URL: the one a newer draft of that page should follow as a revision."""
        if not canonical_url:
            return None
        row = self._one(
            "SELECT rv.id FROM reviews rv JOIN articles a ON a.id = rv.article_id "
            "WHERE a.canonical_url = ? AND rv.id != ? AND rv.deleted_at = '' ORDER BY rv.id",
            [canonical_url, exclude],
        )
        return None if row is None else int(row["id"])


def fts_query(text: str) -> str:
    """Turn what the user typed into an FTS5 query: every word must match, as a prefix."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    if not words:
        raise BadInput(f"nothing to search for in {text!r}")
    return " ".join(f'"{w}"*' for w in words)


def _checked_source_fields(fields: dict[str, str]) -> dict[str, str]:
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise BadInput(f"unknown source field(s): {', '.join(sorted(unknown))}")
    values = {k: (v or "").strip() for k, v in fields.items()}
    if "kind" in values:
        scales.check_choice(values["kind"], scales.SOURCE_KINDS, "source kind")
    if "credibility" in values:
        scales.check_choice(values["credibility"], scales.CREDIBILITY, "credibility")
    for key in ("url", "archive_url"):
        url = values.get(key, "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise BadInput(f"the {key.replace('_', ' ')} must start with http:// or https://")
    return values


def _revision_from_row(row: dict[str, Any]) -> Revision:
    document = document_from_json(row["text"], json.loads(row["blocks"]))
    return Revision(
        id=row["id"],
        article_id=row["article_id"],
        number=row["number"],
        text=row["text"],
        blocks=document.blocks,
        content_hash=row["content_hash"],
        meta=ArticleMeta(
            title=row["title"],
            authors=json.loads(row["authors"]),
            site=row["site"],
            url=row["url"],
            canonical_url=row["canonical_url"],
            published=row["published"],
            description=row["description"],
        ),
        imported_at=row["imported_at"],
        importer=row["importer"],
        source_name=row["source_name"],
        raw_type=row["raw_type"],
    )


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


def _claim_from_row(row: dict[str, Any], number: int, source_ids: list[int]) -> Claim:
    return Claim(
        id=row["id"],
        review_id=row["review_id"],
        number=number,
        quote=row["quote"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["start"],
        end=row["end"],
        revision_id=row["revision_id"],
        status=row["status"],
        note=row["note"],
        correction=row["correction"],
        anchor_state=row["anchor_state"],
        source_ids=source_ids,
        source_override=row["source_override"],
        previous_quote=row["previous_quote"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _source_from_row(row: dict[str, Any], claim_ids: list[int]) -> Source:
    return Source(
        id=row["id"],
        review_id=row["review_id"],
        **{f: row[f] for f in SOURCE_FIELDS},
        claim_ids=claim_ids,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
