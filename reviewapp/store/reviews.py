"""ReviewStore: the library: articles, their revisions and reviews, and every part's records."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reviewapp.core import scales
from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.states import ReviewStatus
from reviewapp.core.summary import ReviewSummary, utc_now
from reviewapp.store.accountability import AccountabilityStore
from reviewapp.store.captures import CaptureStore
from reviewapp.store.claims import ClaimStore
from reviewapp.store.copies import CopyStore
from reviewapp.store.memory import MemoryStore
from reviewapp.store.second_review import SecondReviewStore
from reviewapp.store.signoffs import SignoffStore
from reviewapp.store.sources import SourceStore
from reviewapp.store.suggestions import SuggestionStore
from reviewapp.store.takeaways import TakeawayStore

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import (
        ImportedDraft,
        Review,
        ReviewData,
        Revision,
    )
    from reviewapp.store.rows import (
        SOURCE_FIELDS,
        ClaimPlace,
    )

log = logging.getLogger(__name__)

__all__ = ["SOURCE_FIELDS", "ReviewStore", "fts_query"]


class ReviewStore(
    SuggestionStore,
    MemoryStore,  # before ClaimStore, which it extends
    ClaimStore,
    SourceStore,
    TakeawayStore,
    SignoffStore,
    CopyStore,
    AccountabilityStore,
    SecondReviewStore,
    CaptureStore,
):
    """The library of reviews in one SQLite file. Thread use: one store per thread.

    Its public methods are listed, by table, in the docstring of ``reviewapp.store``."""

    # ------------------------------------------------------------------ articles
    def add_article(self, draft: ImportedDraft, reviewer: str = "") -> int:
        """Store a new article, its first revision and an empty draft review; return its id.
        The review names the library's organisation defaults as holding editorial
        responsibility; everything else it records starts empty."""
        from reviewapp.core.model import AiInvolvement, Review, ReviewScope
        from reviewapp.store.rows import accountability_row, article_row, review_row

        now = utc_now()
        with self.transaction():
            article_id = self._insert("articles", article_row(draft.meta, now))
            revision_id = self._insert_revision(article_id, 1, draft, now)
            review = Review(0, article_id, revision_id, reviewer, ReviewStatus.DRAFT, "", now, now)
            review_id = self._insert(
                "reviews",
                {
                    **review_row(review),
                    **accountability_row(
                        AiInvolvement(), self.organisation_defaults(), ReviewScope()
                    ),
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
        from reviewapp.core.model import Revision
        from reviewapp.store.rows import revision_row

        document = draft.document
        revision = Revision(
            id=0,
            article_id=article_id,
            number=number,
            text=document.text,
            blocks=document.blocks,
            content_hash=document.content_hash,
            meta=draft.meta,
            imported_at=now,
            importer=draft.importer,
            source_name=draft.source_name,
            raw_type=draft.raw_type,
        )
        return self._insert("revisions", revision_row(revision, draft.raw))

    def add_revision(
        self, review_id: int, draft: ImportedDraft, places: Mapping[int, ClaimPlace]
    ) -> Revision:
        """Add draft as the next revision of the review's article, move the review onto it and
        put every claim at its place there (claim id -> place), in one transaction; returns
        the new revision. No claim is deleted."""
        from reviewapp.store.rows import place_row

        now = utc_now()
        with self.transaction():
            review = self._editable(review_id)
            previous = self.revision(review.revision_id)
            numbers = [r.number for r in self.revisions(review.article_id)]
            number = max(numbers, default=0) + 1
            revision_id = self._insert_revision(review.article_id, number, draft, now)
            values: dict[str, Any] = {"revision_id": revision_id, "updated_at": now}
            if review.status == ReviewStatus.DRAFT:
                values["status"] = ReviewStatus.IN_REVIEW
            self._update("reviews", review_id, values)
            self._repin_disclosure(review_id, draft.document.text)
            rows = [
                {**place_row(place), "id": claim_id, "revision_id": revision_id, "updated_at": now}
                for claim_id, place in places.items()
            ]
            # Thousands of claims: one statement each for the claims and their events.
            self._conn.executemany(
                "UPDATE claims SET quote = :quote, prefix = :prefix, suffix = :suffix, "
                'start = :start, "end" = :end, anchor_state = :anchor_state, '
                "anchor_score = :anchor_score, previous_quote = :previous_quote, "
                "revision_id = :revision_id, updated_at = :updated_at WHERE id = :id",
                rows,
            )
            self._conn.executemany(
                "INSERT INTO events (review_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
                [
                    (review_id, now, review.reviewer, "claim-anchor", _anchor_detail(r, number))
                    for r in rows
                ],
            )
            self.log_event(
                review_id,
                "revision-import",
                review.reviewer,
                revision=number,
                previous=previous.number,
                source=draft.source_name,
                content_hash=draft.document.content_hash,
                states=dict(Counter(r["anchor_state"] for r in rows)),
            )
        return self.revision(revision_id)

    def revision(self, revision_id: int) -> Revision:
        """One revision of an article (text, blocks, metadata); NotFound otherwise."""
        from reviewapp.store.rows import revision_from_row

        row = self._one("SELECT * FROM revisions WHERE id = ?", [revision_id])
        if row is None:
            raise NotFound(f"no revision {revision_id}")
        return revision_from_row(row)

    def revisions(self, article_id: int) -> list[Revision]:
        """Every revision of an article, oldest (number 1) first."""
        from reviewapp.store.rows import revision_from_row

        rows = self._db.query(
            "SELECT * FROM revisions WHERE article_id = ? ORDER BY number", [article_id]
        )
        return [revision_from_row(r) for r in rows]

    def raw_source(self, revision_id: int) -> tuple[bytes, str]:
        """The bytes a revision was extracted from, and their media type."""
        row = self._one("SELECT raw, raw_type FROM revisions WHERE id = ?", [revision_id])
        if row is None:
            raise NotFound(f"no revision {revision_id}")
        return bytes(row["raw"]), row["raw_type"]

    # ------------------------------------------------------------------ reviews
    def set_review(
        self, review_id: int, *, reviewer: str | None = None, verdict: str | None = None
    ) -> Review:
        """Change the reviewer's name or the verdict ("" clears it); returns the review."""
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
        """Take a review out of the bin."""
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
        FROM ({page}) page
        JOIN reviews rv ON rv.id = page.id
        JOIN revisions rev ON rev.id = rv.revision_id
        ORDER BY rv.updated_at DESC, rv.id DESC
    """

    _PAGE_SQL = """
        SELECT rv.id FROM reviews rv WHERE rv.deleted_at = '' {where}
        ORDER BY rv.updated_at DESC, rv.id DESC LIMIT ? OFFSET ?
    """

    # The page after a row: first the rows sharing its change time with a lower id, then the
    # older ones. Each half is one range of reviews_updated (which holds the id as its rowid),
    # so a page deep in the list costs what the first one does; a row value comparison
    # "(updated_at, id) < (?, ?)" would walk every row sharing the time (SQLite 3.40).
    _PAGE_AFTER_SQL = """
        SELECT id FROM (
            SELECT * FROM (SELECT rv.id, rv.updated_at FROM reviews rv
                           WHERE rv.deleted_at = '' AND rv.updated_at = ? AND rv.id < ? {where}
                           ORDER BY rv.id DESC LIMIT ?)
            UNION ALL
            SELECT * FROM (SELECT rv.id, rv.updated_at FROM reviews rv
                           WHERE rv.deleted_at = '' AND rv.updated_at < ? {where}
                           ORDER BY rv.updated_at DESC, rv.id DESC LIMIT ?))
        ORDER BY updated_at DESC, id DESC LIMIT ?
    """

    def list_reviews(
        self,
        *,
        query: str = "",
        status: str = "",
        limit: int = -1,
        offset: int = 0,
        after: tuple[str, int] | None = None,
    ) -> list[ReviewSummary]:
        """Library rows, newest change first; query uses the full-text index.

        after: (updated_at, id) of the last row of the previous page: the page starts just
        below it (keyset paging; offset is then ignored), as fast at the end as at the top."""
        # The page is chosen first (ids only, walking reviews_updated newest first and
        # stopping at the limit), and only its rows are joined and have their claims counted:
        # a search matching 10,000 reviews no longer counts and sorts them all for 200 rows.
        where, params = self._filter(query, status, ordered=True)
        if after is None:
            page = self._PAGE_SQL.format(where=where)
            values = [*params, limit, offset]
        else:
            stamp, last_id = after
            page = self._PAGE_AFTER_SQL.format(where=where)
            values = [stamp, last_id, *params, limit, stamp, *params, limit, limit]
        rows = self._db.query(self._SUMMARY_SQL.format(page=page), values)
        return [ReviewSummary(**r) for r in rows]

    def count_reviews(self, *, query: str = "", status: str = "") -> int:
        """How many reviews list_reviews would give without a limit."""
        where, params = self._filter(query, status)
        row = self._one(
            f"SELECT count(*) AS n FROM reviews rv WHERE rv.deleted_at = '' {where}", params
        )
        return int(row["n"]) if row else 0

    def _filter(self, query: str, status: str, ordered: bool = False) -> tuple[str, list[Any]]:
        """The WHERE terms (on reviews rv) for a status and a full-text query. ordered: the
        caller walks reviews in update order and only tests each one against the matches."""
        clauses, params = [], []
        if status:
            scales.check_choice(status, scales.REVIEW_STATUSES, "review status")
            clauses.append("rv.status = ?")
            params.append(status)
        if query.strip():
            # "+rv.id" keeps SQLite from driving the query by the matches (looking up and
            # then sorting every one); an article's entry is keyed review id * 4 (migrations'
            # _FTS_TABLES), so its review is known without reading the entry's columns.
            test = "+rv.id" if ordered else "rv.id"
            clauses.append(
                f"{test} IN (SELECT rowid / 4 FROM search_index WHERE search_index MATCH ? "
                "AND rowid % 4 = 0 UNION ALL SELECT review_id FROM search_index "
                "WHERE search_index MATCH ? AND rowid % 4 != 0)"
            )
            params += [fts_query(query)] * 2
        return "".join(f" AND {c}" for c in clauses), params

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text hits: review id, what matched (article, claim, source, takeaway), a snippet,
        and the stable id of the claim, source or takeaway that matched ("" for the article)."""
        if not query.strip():
            raise BadInput("the search query is empty")
        sql = """
            SELECT s.review_id, s.kind, s.row_id,
                   coalesce(CASE s.kind
                       WHEN 'claim' THEN (SELECT stable_id FROM claims WHERE id = s.row_id)
                       WHEN 'source' THEN (SELECT stable_id FROM sources WHERE id = s.row_id)
                       WHEN 'takeaway' THEN (SELECT stable_id FROM takeaways WHERE id = s.row_id)
                   END, '') AS stable_id,
                   snippet(search_index, 3, '[', ']', '…', 12) AS snippet, rev.title
            FROM search_index s
            JOIN reviews rv ON rv.id = s.review_id AND rv.deleted_at = ''
            JOIN revisions rev ON rev.id = rv.revision_id
            WHERE search_index MATCH ?
            ORDER BY rank LIMIT ?
        """
        return list(self._db.query(sql, [fts_query(query), limit]))

    def load_review(self, review_id: int) -> ReviewData:
        """The review with its revision, claims, sources, takeaways, sign-offs, AI involvement,
        editorial responsibility and scope, all as of one moment (a write committed meanwhile by
        another connection is either wholly in or out)."""
        from reviewapp.core.model import ReviewData

        with self.snapshot():
            review = self.review(review_id)
            recorded, ai, responsibility, scope = self.accountability(review_id)
            return ReviewData(
                review=review,
                revision=self.revision(review.revision_id),
                claims=self.claims(review_id),
                sources=self.sources(review_id),
                takeaways=self.takeaways(review_id),
                signoffs=self.signoffs(review_id),
                ai=ai,
                responsibility=responsibility,
                scope=scope,
                accountability_recorded=recorded,
                suggestions=self.suggestion_record(review_id),
                second_review=self.second_review(review_id),
                captures=self.captures(review_id),
            )

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
            self._update(
                "reviews",
                review_id,
                {
                    "revision_id": previous.revision_id,
                    "status": previous.status,
                    "updated_at": utc_now(),
                },
            )
            self._repin_disclosure(review_id, self.revision(previous.revision_id).text)
            in_use = self._one(
                "SELECT 1 FROM reviews WHERE revision_id = ? UNION ALL "
                "SELECT 1 FROM claims WHERE revision_id = ? UNION ALL "
                "SELECT 1 FROM signoffs WHERE revision_id = ?",
                [revision_id] * 3,
            )
            if in_use is None:
                self._db.table("revisions").delete(revision_id)
            self.log_event(
                review_id, "revision-import-undo", review.reviewer, revision_id=revision_id
            )

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


def _anchor_detail(row: dict[str, Any], revision: int) -> str:
    """The detail of a claim-anchor event: where one claim landed on the new revision."""
    detail = {"claim_id": row["id"], "state": row["anchor_state"], "score": row["anchor_score"]}
    return json.dumps({**detail, "revision": revision}, sort_keys=True)


def fts_query(text: str) -> str:
    """Turn what the user typed into an FTS5 query: every word must match, as a prefix."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    if not words:
        raise BadInput(f"nothing to search for in {text!r}")
    return " ".join(f'"{w}"*' for w in words)
