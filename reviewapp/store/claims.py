"""Claims: reading, adding, editing, deleting and re-placing the claims of a review."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from reviewapp.core import scales
from reviewapp.core.anchoring import Selectors, locate_quote, select
from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.model import (
    Claim,
    utc_now,
)
from reviewapp.core.states import AnchorState, ClaimStatus
from reviewapp.store.base import StoreBase

log = logging.getLogger(__name__)

CLAIM_EDIT_FIELDS = ("status", "note", "correction", "source_override")


def claim_order(table: str = "") -> str:
    """ORDER BY terms that put claims in text order, claims with no place last."""
    p = f"{table}." if table else ""
    return f'{p}start IS NULL, {p}start, {p}"end", {p}id'


CLAIM_ORDER = claim_order()


class ClaimStore(StoreBase):
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
        status: str = ClaimStatus.UNCHECKED,
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
                    "anchor_state": AnchorState.ANCHORED,
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
