"""ReviewStore: the library: articles, their revisions and reviews, and every part's records."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from reviewapp.core import scales
from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.model import (
    ArticleMeta,
    ImportedDraft,
    Review,
    ReviewData,
    ReviewSummary,
    Revision,
    Signoff,
    utc_now,
)
from reviewapp.core.states import ReviewStatus
from reviewapp.core.text import document_from_json
from reviewapp.store.claims import ClaimStore
from reviewapp.store.sources import SOURCE_FIELDS, SourceStore
from reviewapp.store.takeaways import TakeawayStore

log = logging.getLogger(__name__)

__all__ = ["SOURCE_FIELDS", "ReviewStore", "check_one_line", "fts_query"]

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def check_one_line(value: str, what: str) -> None:
    """A person's name or email is one line of printable text: it is shown, signed, exported."""
    found = _CONTROL.search(value)
    if found:
        raise BadInput(
            f"the {what} holds a line break or another control character "
            f"({found.group()!r}); type it on one line"
        )


class ReviewStore(ClaimStore, SourceStore, TakeawayStore):
    """The library of reviews in one SQLite file. Thread use: one store per thread."""

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
                    "status": ReviewStatus.DRAFT,
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
    def set_review(
        self, review_id: int, *, reviewer: str | None = None, verdict: str | None = None
    ) -> Review:
        with self.transaction():
            review = self._editable(review_id)
            values: dict[str, Any] = {}
            if reviewer is not None:
                check_one_line(reviewer, "reviewer's name")
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

    # ------------------------------------------------------------------ sign-offs
    def signoffs(self, review_id: int) -> list[Signoff]:
        rows = self.db.query(
            "SELECT id, review_id, revision_id, reviewer, email, fingerprint, markdown, "
            "signature, signed_at, superseded_at FROM signoffs WHERE review_id = ? ORDER BY id",
            [review_id],
        )
        return [Signoff(**{**r, "markdown": bytes(r["markdown"])}) for r in rows]

    # ------------------------------------------------------------------ undo of a revision import
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
