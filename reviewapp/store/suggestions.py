"""Check-worthiness suggestions on the record: the editor's dismissals, the claims accepted from
a suggestion, and the library's setting whether the sign-off gate enforces coverage.

What a key names and whether it is a suggestion is decided above (workflows/suggestions.py,
core/coverage.py); this module writes and reads what it is given, each write one transaction
that refuses a signed-off review and appends to the event log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reviewapp.core.anchoring import Selectors, select
from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.states import ReviewStatus
from reviewapp.core.summary import utc_now
from reviewapp.store.claims import ClaimStore

if TYPE_CHECKING:  # the records come with the first review read (core/summary.py)
    from reviewapp.core.model import Claim, Dismissal, SuggestionRecord

# library_settings key: "no" when the library switched the coverage rule of the gate off.
ENFORCED_KEY = "suggestions.coverage_enforced"


def dismissal_from_row(row: dict[str, Any]) -> Dismissal:
    from reviewapp.core.model import Dismissal

    return Dismissal(
        key=str(row["suggestion_key"]),
        sentence=str(row["sentence"]),
        score=float(row["score"]),
        reasons=tuple(json.loads(row["reasons"])),
        reason=str(row["reason"]),
        reviewer=str(row["reviewer"]),
        decided_at=str(row["decided_at"]),
    )


def dismissal_row(review_id: int, revision_id: int, d: Dismissal) -> dict[str, Any]:
    start, end, text_hash = _key_parts(d.key)
    return {
        "review_id": review_id,
        "revision_id": revision_id,
        "suggestion_key": d.key,
        "sentence_hash": text_hash,
        "start": start,
        "end": end,
        "sentence": d.sentence,
        "score": d.score,
        "reasons": json.dumps(list(d.reasons)),
        "decision": "dismissed",
        "reason": d.reason,
        "reviewer": d.reviewer,
        "decided_at": d.decided_at,
    }


def _key_parts(key: str) -> tuple[int, int, str]:
    """START-END-HASH of a suggestion key (core/coverage.py parse_key, checked again here
    because the store keeps the parts in their own columns)."""
    parts = key.split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or len(parts[2]) != 16:
        raise BadInput(f"{key!r} is not a suggestion key (START-END-HASH)")
    return int(parts[0]), int(parts[1]), parts[2]


UPSERT_DISMISSAL = (
    "INSERT INTO suggestion_decisions (review_id, revision_id, suggestion_key, sentence_hash, "
    'start, "end", sentence, score, reasons, decision, reason, reviewer, decided_at) '
    "VALUES (:review_id, :revision_id, :suggestion_key, :sentence_hash, :start, :end, "
    ":sentence, :score, :reasons, :decision, :reason, :reviewer, :decided_at) "
    "ON CONFLICT (review_id, revision_id, suggestion_key) DO UPDATE SET "
    "reason = excluded.reason, reviewer = excluded.reviewer, decided_at = excluded.decided_at, "
    "sentence = excluded.sentence, score = excluded.score, reasons = excluded.reasons"
)


class SuggestionStore(ClaimStore):
    # ------------------------------------------------------------------ the library setting
    def coverage_enforced(self) -> bool:
        """Whether the sign-off gate requires every suggestion to be examined (the default)."""
        row = self._one("SELECT value FROM library_settings WHERE key = ?", [ENFORCED_KEY])
        return row is None or row["value"] != "no"

    def set_coverage_enforced(self, enforced: bool) -> None:
        """Switch the coverage rule of the sign-off gate on or off for this library."""
        with self.transaction():
            self._conn.execute(
                "INSERT INTO library_settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [ENFORCED_KEY, "yes" if enforced else "no"],
            )
            self.log_event(None, "coverage-setting", "", enforced=enforced)

    # ------------------------------------------------------------------ reading
    def dismissals(self, review_id: int, revision_id: int | None = None) -> list[Dismissal]:
        """The dismissals of a review on a revision (its current one by default), in text
        order."""
        if revision_id is None:
            revision_id = self.review(review_id).revision_id
        rows = self._db.query(
            "SELECT * FROM suggestion_decisions WHERE review_id = ? AND revision_id = ? "
            'ORDER BY start, "end", id',
            [review_id, revision_id],
        )
        return [dismissal_from_row(r) for r in rows]

    def suggestion_record(self, review_id: int) -> SuggestionRecord | None:
        """What the record says about suggestions: for a review being worked on, the library's
        setting and its dismissals; for a signed-off one, the setting it was signed under, or
        None when it was signed before the record carried coverage."""
        from reviewapp.core.model import SuggestionRecord

        row = self._one(
            "SELECT status, revision_id, coverage_signed FROM reviews WHERE id = ?", [review_id]
        )
        if row is None:
            raise NotFound(f"no review {review_id}")
        if row["status"] == ReviewStatus.SIGNED_OFF:
            if row["coverage_signed"] is None:
                return None
            enforced = bool(row["coverage_signed"])
        else:
            enforced = self.coverage_enforced()
        return SuggestionRecord(
            enforced=enforced,
            dismissals=tuple(self.dismissals(review_id, int(row["revision_id"]))),
        )

    # ------------------------------------------------------------------ writing
    def dismiss(self, review_id: int, dismissal: Dismissal) -> Dismissal:
        """Record (or re-word) the editor's dismissal of a suggestion on the current revision;
        BadInput, nothing written, when the reason is empty or not one line."""
        from reviewapp.core.model import Dismissal

        reason = dismissal.reason.strip()
        if not reason:
            raise BadInput("a dismissal needs a reason (why this sentence needs no claim)")
        check_one_line(reason, "reason for the dismissal")
        check_one_line(dismissal.reviewer, "reviewer's name")
        with self.transaction():
            review = self._editable(review_id)
            d = Dismissal(
                dismissal.key,
                dismissal.sentence,
                dismissal.score,
                dismissal.reasons,
                reason,
                dismissal.reviewer.strip(),
                dismissal.decided_at or utc_now(),
            )
            self._conn.execute(UPSERT_DISMISSAL, dismissal_row(review_id, review.revision_id, d))
            self._touch(review)
            self.log_event(
                review_id,
                "suggestion-dismiss",
                d.reviewer,
                key=d.key,
                sentence=d.sentence,
                reason=reason,
                revision_id=review.revision_id,
            )
        return d

    def undismiss(self, review_id: int, key: str) -> Dismissal:
        """Take back the dismissal of KEY on the current revision; returns it. NotFound when
        there is none."""
        with self.transaction():
            review = self._editable(review_id)
            cursor = self._conn.execute(
                "DELETE FROM suggestion_decisions WHERE review_id = ? AND revision_id = ? "
                "AND suggestion_key = ? RETURNING *",
                [review_id, review.revision_id, key],
            )
            found = cursor.fetchone()
            if found is None:
                raise NotFound(f"review {review_id} has no dismissal of suggestion {key}")
            row = dict(zip([c[0] for c in cursor.description], found, strict=True))
            cursor.fetchall()
            self._touch(review)
            self.log_event(review_id, "suggestion-undismiss", review.reviewer, key=key)
        return dismissal_from_row(row)

    def add_suggested_claim(
        self,
        review_id: int,
        key: str,
        start: int,
        end: int,
        reviewer: str = "",
        *,
        selectors: Selectors | None = None,
    ) -> Claim:
        """A new claim on [start, end) of the current text that remembers the suggestion KEY it
        was accepted from, made by reviewer; a dismissal of KEY on this revision goes (the
        sentence is claimed).
        SELECTORS: the span's, when the caller made them from the current text it holds (the
        text is not read again)."""
        with self.transaction():
            if selectors is None:
                selectors = select(self._current_text(review_id), start, end)
            claim = self.add_claim(review_id, selectors, author=reviewer)
            self._update("claims", claim.id, {"suggestion_key": key})
            claim.suggestion_key = key
            self._conn.execute(
                "DELETE FROM suggestion_decisions WHERE review_id = ? AND revision_id = ? "
                "AND suggestion_key = ?",
                [review_id, claim.revision_id, key],  # the claim sits on the current revision
            )
            self.log_event(review_id, "suggestion-accept", reviewer, key=key, claim_id=claim.id)
        return claim

    def carry_dismissals(
        self, review_id: int, revision_id: int, dismissals: Sequence[Dismissal]
    ) -> None:
        """Write DISMISSALS (carried from the previous draft) on revision REVISION_ID; called
        inside the transaction that imports it, or that copies a bundled review."""
        with self.transaction():
            self._conn.executemany(
                UPSERT_DISMISSAL, [dismissal_row(review_id, revision_id, d) for d in dismissals]
            )

    def record_coverage_signed(self, review_id: int, enforced: bool) -> None:
        """Remember, with a sign-off, whether the gate enforced coverage (the signed Markdown
        says so, and re-renders from it); called inside the sign-off's transaction."""
        with self.transaction():
            self._update("reviews", review_id, {"coverage_signed": int(enforced)})
