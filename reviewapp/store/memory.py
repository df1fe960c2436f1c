"""Claim memory: earlier claims of the whole library found by their words, and reuse records.

Candidates come from the ``claim_memory`` full-text index (quotes and notes, migration
``CLAIM_MEMORY_SCHEMA``); ranking them is ``core.similarity``'s. Reading never changes
anything, so a signed-off review is as good a memory as any; writing (``record_reuse``) is
refused on a signed-off review like every other edit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewapp.core.states import ClaimStatus, ReviewStatus
from reviewapp.core.summary import utc_now
from reviewapp.store.claims import ClaimStore

# Not at import, as the window's start needs none: the records and store/rows.py come with the
# first record read (core/summary.py), the word handling with the first search.
if TYPE_CHECKING:
    from reviewapp.core.model import Claim, ReuseOrigin, Source
    from reviewapp.core.similarity import Candidate

# The index is asked for more rows than are ranked: some belong to reviews in the bin, to the
# claim asked about, or to claims nobody has checked yet, and are dropped after.
_OVERFETCH = 3


@dataclass(frozen=True)
class EarlierClaim:
    """An earlier claim with what its check found: as the "Checked before" list shows it."""

    claim: Claim  # numbered in its review, with its links
    review_title: str
    review_status: ReviewStatus
    sources: tuple[Source, ...]  # the linked sources, in the order they were added

    @property
    def signed_off(self) -> bool:
        return self.review_status == ReviewStatus.SIGNED_OFF

    def origin(self) -> ReuseOrigin:
        """How a claim that reuses this check names it."""
        from reviewapp.core.model import ReuseOrigin

        return ReuseOrigin(
            self.claim.review_id, self.claim.number, self.claim.stable_id, self.review_title
        )


class MemoryStore(ClaimStore):
    def memory_candidates(
        self, text: str, exclude_claim_id: int | None = None, limit: int | None = None
    ) -> list[Candidate]:
        """Claims of reviews not in the bin whose quote or note shares words with text, best
        full-text match first (a quote counts twice a note); claims never checked (unchecked,
        no note) and exclude_claim_id are left out. limit: similarity.CANDIDATES unless given."""
        from reviewapp.core.similarity import (
            CANDIDATES,
            Candidate,
            fts_words_query,
            rarest_words,
            search_words,
        )

        limit = CANDIDATES if limit is None else limit
        words = rarest_words(self.word_frequencies(search_words(text)))
        if not words:
            return []
        rows = self._conn.execute(
            "SELECT c.id, c.quote, c.note FROM ("
            "  SELECT rowid AS id, bm25(claim_memory, 2.0, 1.0) AS score FROM claim_memory"
            "  WHERE claim_memory MATCH ? ORDER BY score LIMIT ?"
            ") m JOIN claims c ON c.id = m.id JOIN reviews rv ON rv.id = c.review_id "
            "WHERE rv.deleted_at = '' AND c.id IS NOT ? AND (c.status != ? OR c.note != '') "
            "ORDER BY m.score LIMIT ?",
            [
                fts_words_query(words),
                limit * _OVERFETCH,
                exclude_claim_id,
                ClaimStatus.UNCHECKED.value,
                limit,
            ],
        ).fetchall()
        return [Candidate(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def word_frequencies(self, words: Sequence[str]) -> dict[str, int]:
        """How many claims hold each word (as the index spells it: lower case); 0 for none."""
        found = {w: 0 for w in words}
        if words:
            for term, count in self._conn.execute(
                "SELECT term, doc FROM claim_memory_vocab WHERE term IN "
                "(SELECT value FROM json_each(?))",
                [json.dumps(list(words))],
            ):
                found[str(term)] = int(count)
        return found

    def earlier_claims(self, claim_ids: Sequence[int]) -> list[EarlierClaim]:
        """These claims (in this order; ids gone meanwhile are skipped) with their review's
        title and status and their linked sources, read as of one moment."""
        from reviewapp.store.rows import claim_from_row, source_from_row

        if not claim_ids:
            return []
        ids = json.dumps(list(claim_ids))
        with self.snapshot():
            rows = {
                int(row["id"]): row
                for row in self._db.query(
                    "SELECT c.*, rv.status AS review_status, "
                    "coalesce(nullif(r.title, ''), a.title) AS review_title "
                    "FROM claims c JOIN reviews rv ON rv.id = c.review_id "
                    "JOIN revisions r ON r.id = rv.revision_id "
                    "JOIN articles a ON a.id = rv.article_id "
                    "WHERE c.id IN (SELECT value FROM json_each(?))",
                    [ids],
                )
            }
            links: dict[int, dict[int, str]] = {}
            sources: dict[int, Source] = {}
            for row in self._db.query(
                "SELECT cs.claim_id AS link_claim, cs.stance AS link_stance, s.* "
                "FROM claim_sources cs JOIN sources s ON s.id = cs.source_id "
                "WHERE cs.claim_id IN (SELECT value FROM json_each(?)) ORDER BY s.id",
                [ids],
            ):
                links.setdefault(int(row["link_claim"]), {})[int(row["id"])] = row["link_stance"]
                sources[int(row["id"])] = source_from_row(row, [], {})
            found = []
            for claim_id in claim_ids:
                if claim_id not in rows:
                    continue
                row = rows[claim_id]
                stances = links.get(claim_id, {})
                claim = claim_from_row(row, self._claim_number(row), list(stances), stances)
                found.append(
                    EarlierClaim(
                        claim,
                        str(row["review_title"] or ""),
                        ReviewStatus(row["review_status"]),
                        tuple(sources[s] for s in stances),
                    )
                )
        return found

    def record_reuse(self, claim_id: int, note: str, origin: ReuseOrigin | None) -> Claim:
        """Set a claim's note and the earlier check it reused (None: none, as undo puts it
        back); refused on a signed-off review. Returns the claim as written."""
        from reviewapp.store.rows import reuse_row

        with self.transaction():
            review_id, status = self._editable_part("claims", claim_id, "claim")
            values: dict[str, Any] = {"note": note, **reuse_row(origin), "updated_at": utc_now()}
            self._update("claims", claim_id, values)
            self._touch_id(review_id, status)
            if origin is None:
                self.log_event(review_id, "claim-reuse-undo", claim_id=claim_id)
            else:
                self.log_event(
                    review_id,
                    "claim-reuse",
                    claim_id=claim_id,
                    from_review=origin.review_id,
                    from_claim=origin.claim_number,
                    from_id=origin.claim_stable_id,
                )
            return self.claim_by_id(claim_id)
