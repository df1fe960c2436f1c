"""Check-worthiness suggestions of a review: their coverage, accepting one as a claim, dismissing
one with a reason, and the library's setting whether the sign-off gate enforces coverage.

The CLI (`reviewapp suggest`) and the GUI's article view both call these. A suggestion is named
by its key (core/coverage.py, "START-END-HASH" on the review's current revision).
"""

from __future__ import annotations

from reviewapp.core.checkworthy import Reason, Scored
from reviewapp.core.coverage import (
    DISMISS_REASONS,
    Coverage,
    Decision,
    Suggestion,
    assessment_of,
    claims_covering,
    coverage,
    find_suggestion,
)
from reviewapp.core.errors import BadInput
from reviewapp.core.model import Claim, Dismissal, SuggestionRecord
from reviewapp.store import ReviewStore

__all__ = [
    "DISMISS_REASONS",
    "Coverage",
    "Decision",
    "Reason",
    "Suggestion",
    "accept_suggestion",
    "accepted_claim",
    "coverage_for",
    "dismiss_suggestion",
    "set_coverage_enforced",
    "undo_dismissal",
]


def coverage_for(store: ReviewStore, review_id: int) -> Coverage:
    """The suggestions of the review's current text and what the editor made of each (read
    only; works on a read-only connection)."""
    with store.snapshot():
        review = store.review(review_id)
        text = store.revision(review.revision_id).text
        claims = store.claims(review_id)
        record = store.suggestion_record(review_id)
        if record is None:  # signed off before the record carried coverage
            record = SuggestionRecord(enforced=store.coverage_enforced())
    return coverage(text, claims, record)


def _suggestion(store: ReviewStore, review_id: int, key: str) -> Scored:
    """The suggestion KEY of the review's current text; BadInput when no suggestion has it."""
    text = store.revision(store.review(review_id).revision_id).text
    assessment = assessment_of(text)
    if not assessment.english:
        raise BadInput(
            f"review {review_id} has no suggestions: they are English-only, and this text does "
            "not read as English"
        )
    found = find_suggestion(assessment, key)
    if found is None:
        raise BadInput(
            f"{key.strip() or '(empty)'} is not a suggestion of review {review_id}'s current "
            f"text (`reviewapp suggest {review_id}` lists them)"
        )
    return found


def accept_suggestion(
    store: ReviewStore,
    review_id: int,
    key: str,
    *,
    start: int | None = None,
    end: int | None = None,
    reviewer: str,
) -> int:
    """Make suggestion KEY a claim, on the whole sentence or on [start, end) inside it, that
    remembers the suggestion it came from (one transaction); returns the claim's number."""
    return accepted_claim(store, review_id, key, start=start, end=end, reviewer=reviewer).number


def accepted_claim(
    store: ReviewStore,
    review_id: int,
    key: str,
    *,
    start: int | None = None,
    end: int | None = None,
    reviewer: str,
) -> Claim:
    """accept_suggestion, returning the claim as written (the GUI shows it without reading
    every claim of the review again)."""
    with store.transaction():
        store.review(review_id, to_edit=True)
        scored = _suggestion(store, review_id, key)
        s = scored.sentence
        lo = s.start if start is None else start
        hi = s.end if end is None else end
        if not s.start <= lo < hi <= s.end:
            raise BadInput(
                f"the span {lo}-{hi} is not inside suggestion {key.strip()} "
                f"({s.start}-{s.end}); give a start and an end within the sentence"
            )
        claim = store.add_suggested_claim(review_id, key.strip(), lo, hi, reviewer.strip())
    return claim


def dismiss_suggestion(
    store: ReviewStore, review_id: int, key: str, reason: str, *, reviewer: str
) -> None:
    """Record that suggestion KEY needs no claim, and why (one transaction). BadInput, nothing
    written, when the reason is empty, the key names no suggestion, or the sentence is already
    claimed."""
    if not reason.strip():
        raise BadInput("a dismissal needs a reason (why this sentence needs no claim)")
    with store.transaction():
        store.review(review_id, to_edit=True)
        scored = _suggestion(store, review_id, key)
        # Only this sentence's claims: the whole coverage matched every claim against every
        # sentence, ~0.3 s on the GUI thread for a 100,000-word review with 2,000 claims.
        covering = claims_covering(scored, store.claims(review_id))
        if covering:
            numbers = ", ".join(str(c.number) for c in covering)
            raise BadInput(
                f"suggestion {key.strip()} is already claimed (claim {numbers}); "
                "nothing was dismissed"
            )
        store.dismiss(
            review_id,
            Dismissal(
                key=key.strip(),
                sentence=scored.sentence.text,
                score=scored.score,
                reasons=tuple(r.value for r in scored.reasons),
                reason=reason,
                reviewer=reviewer,
                decided_at="",
            ),
        )


def undo_dismissal(store: ReviewStore, review_id: int, key: str) -> None:
    """Take back the dismissal of suggestion KEY (the GUI's undo); NotFound when there is none."""
    store.undismiss(review_id, key.strip())


def set_coverage_enforced(store: ReviewStore, enforced: bool) -> None:
    """The library's setting: whether sign-off requires every suggestion to be examined."""
    store.set_coverage_enforced(enforced)
