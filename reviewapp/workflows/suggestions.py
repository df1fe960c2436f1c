"""Check-worthiness suggestions of a review: their coverage, accepting one as a claim, dismissing
one with a reason, and the library's setting whether the sign-off gate enforces coverage.

The CLI (`reviewapp suggest`) and the GUI's article view both call these. A suggestion is named
by its key (core/coverage.py, "START-END-HASH" on the review's current revision).

The GUI passes what it already holds (`Held`: the revision's text, its claims, the suggestion
it found on the reader thread), so that a decision writes its rows and reads nothing big on the
GUI thread (reading a 100,000-word revision took ~20 ms, assessing it again far more); the CLI
passes nothing and everything is read. Both reach the same claim and the same stored decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewapp.core.anchoring import select
from reviewapp.core.checkworthy import Reason, Scored
from reviewapp.core.coverage import (
    DISMISS_REASONS,
    Coverage,
    Decision,
    Suggestion,
    assessment_of,
    claims_over,
    coverage,
    find_suggestion,
    key_hash,
)
from reviewapp.core.errors import BadInput
from reviewapp.core.model import Claim, Dismissal, SuggestionRecord
from reviewapp.store import ReviewStore

__all__ = [
    "DISMISS_REASONS",
    "Coverage",
    "Decision",
    "Held",
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


@dataclass(frozen=True)
class Held:
    """What a caller already holds of one revision of a review: its canonical text, the
    review's claims, and the suggestion the decision is about (as ``coverage`` made it on that
    text). Used only while the review is still on that revision (checked in the decision's
    transaction); otherwise the decision reads the store, as without it."""

    revision_id: int
    text: str
    claims: Sequence[Claim]
    suggestion: Suggestion


@dataclass(frozen=True)
class _Target:
    """The suggested sentence a decision is about, however it was found."""

    key: str
    start: int
    end: int
    sentence: str
    score: float
    reasons: tuple[Reason, ...]
    text_hash: str


def _target(
    store: ReviewStore, review_id: int, revision_id: int, key: str, held: Held | None
) -> tuple[_Target, str | None]:
    """The suggestion KEY of the review's current revision (REVISION_ID), and that revision's
    text when the caller held it (None: not read here, the store reads it if it must)."""
    s = held.suggestion if held is not None and held.revision_id == revision_id else None
    if held is not None and s is not None and s.key == key.strip():
        target = _Target(s.key, s.start, s.end, s.text, s.score, s.reasons, key_hash(s.key))
        return target, held.text
    scored = _suggestion(store, review_id, revision_id, key)
    sentence = scored.sentence
    target = _Target(
        key.strip(),
        sentence.start,
        sentence.end,
        sentence.text,
        scored.score,
        scored.reasons,
        scored.text_hash,
    )
    return target, None


def _suggestion(store: ReviewStore, review_id: int, revision_id: int, key: str) -> Scored:
    """The suggestion KEY of the review's current text; BadInput when no suggestion has it."""
    text = store.revision(revision_id).text
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
    held: Held | None = None,
) -> int:
    """Make suggestion KEY a claim, on the whole sentence or on [start, end) inside it, that
    remembers the suggestion it came from (one transaction); returns the claim's number."""
    return accepted_claim(
        store, review_id, key, start=start, end=end, reviewer=reviewer, held=held
    ).number


def accepted_claim(
    store: ReviewStore,
    review_id: int,
    key: str,
    *,
    start: int | None = None,
    end: int | None = None,
    reviewer: str,
    held: Held | None = None,
) -> Claim:
    """accept_suggestion, returning the claim as written (the GUI shows it without reading
    every claim of the review again)."""
    with store.transaction():
        review = store.review(review_id, to_edit=True)
        s, text = _target(store, review_id, review.revision_id, key, held)
        lo = s.start if start is None else start
        hi = s.end if end is None else end
        if not s.start <= lo < hi <= s.end:
            raise BadInput(
                f"the span {lo}-{hi} is not inside suggestion {key.strip()} "
                f"({s.start}-{s.end}); give a start and an end within the sentence"
            )
        where = None if text is None else select(text, lo, hi)
        claim = store.add_suggested_claim(
            review_id, key.strip(), lo, hi, reviewer.strip(), selectors=where
        )
    return claim


def dismiss_suggestion(
    store: ReviewStore,
    review_id: int,
    key: str,
    reason: str,
    *,
    reviewer: str,
    held: Held | None = None,
) -> None:
    """Record that suggestion KEY needs no claim, and why (one transaction). BadInput, nothing
    written, when the reason is empty, the key names no suggestion, or the sentence is already
    claimed."""
    if not reason.strip():
        raise BadInput("a dismissal needs a reason (why this sentence needs no claim)")
    with store.transaction():
        review = store.review(review_id, to_edit=True)
        s, text = _target(store, review_id, review.revision_id, key, held)
        # Only this sentence's claims: the whole coverage matched every claim against every
        # sentence, ~0.3 s on the GUI thread for a 100,000-word review with 2,000 claims.
        # The held claims are the session's, kept current by every edit made in the window.
        claims = held.claims if held is not None and text is not None else store.claims(review_id)
        covering = claims_over(s.start, s.end, s.text_hash, claims)
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
                sentence=s.sentence,
                score=s.score,
                reasons=tuple(r.value for r in s.reasons),
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
