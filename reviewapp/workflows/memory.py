"""Claim memory: "Checked before" (earlier claims like this one, anywhere in the library) and
reusing an earlier check (its sources linked, its note quoted, where it came from recorded).

The CLI (``reviewapp similar``, ``reviewapp reuse``) and the GUI ("Checked before" pane) both
call these. Signed-off reviews are read, never changed: reuse copies from them, and reusing
into one is refused before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewapp.core import scales
from reviewapp.core.errors import BadInput
from reviewapp.core.model import SOURCE_FIELDS, Claim, ReuseOrigin, Source
from reviewapp.core.similarity import RESULTS, Strength, rank
from reviewapp.core.states import Stance
from reviewapp.store import ReviewStore
from reviewapp.store.memory import EarlierClaim

__all__ = [
    "CheckedBefore",
    "EarlierClaim",
    "ReuseResult",
    "checked_before",
    "copy_source",
    "quoted_note",
    "reuse_check",
    "undo_reuse",
]


@dataclass(frozen=True)
class CheckedBefore:
    """One line of the "Checked before" list: an earlier claim, how alike, and its check."""

    earlier: EarlierClaim
    score: float  # 0..100
    strength: Strength


def checked_before(store: ReviewStore, claim_id: int, limit: int = RESULTS) -> list[CheckedBefore]:
    """Earlier claims like claim_id's quote, anywhere in the library (other reviews, other
    claims of its own), the same claim first, then related ones; NotFound for no such claim."""
    claim = store.claim_by_id(claim_id)
    return similar_to(store, claim.quote, exclude_claim_id=claim.id, limit=limit)


def similar_to(
    store: ReviewStore, text: str, exclude_claim_id: int | None = None, limit: int = RESULTS
) -> list[CheckedBefore]:
    """Earlier claims like text, ranked (see checked_before)."""
    with store.snapshot():
        candidates = store.memory_candidates(text, exclude_claim_id)
        ranked = rank(text, candidates, limit)
        earlier = {e.claim.id: e for e in store.earlier_claims([r.claim_id for r in ranked])}
    return [
        CheckedBefore(earlier[r.claim_id], r.score, r.strength)
        for r in ranked
        if r.claim_id in earlier
    ]


@dataclass
class ReuseResult:
    """What reuse_check did, so that undo_reuse can take it back."""

    claim: Claim  # the claim as written
    origin: ReuseOrigin
    previous_note: str
    previous_origin: ReuseOrigin | None
    added_sources: list[int] = field(default_factory=list)  # copies made in this review
    linked_sources: list[int] = field(default_factory=list)  # sources already here, now linked
    copied_captures: list[int] = field(default_factory=list)  # captures of the added sources


def quoted_note(earlier: EarlierClaim) -> str:
    """The earlier check as a quoted reference: where it came from and its status, then its
    note (and correction) quoted line by line."""
    claim = earlier.claim
    status = scales.CLAIM_STATUS[claim.status].label
    title = f", \u201c{earlier.review_title}\u201d" if earlier.review_title else ""
    lines = [f"Checked before in {earlier.origin().label()}{title} ({status}):"]
    body = claim.note.strip().splitlines() or ["(no note)"]
    lines += [f"> {line}".rstrip() for line in body]
    if claim.correction.strip():
        lines += [
            ">",
            *(f"> Correction: {line}".rstrip() for line in claim.correction.splitlines()),
        ]
    return "\n".join(lines)


def reuse_check(store: ReviewStore, claim_id: int, earlier_claim_id: int) -> ReuseResult:
    """Reuse the check of earlier_claim_id for claim_id, in one transaction: each of its
    sources is linked with the same stance (a source of this review with the same address and
    title is linked as it is; any other is copied into this review), its note is added to this
    claim's note as a quoted reference, and the claim records where it came from. Nothing in
    the earlier claim's review changes. Refused, with nothing written, when this claim's review
    is signed off (ReviewLocked), when either claim is not there (NotFound), for the claim
    itself, and when this claim already reuses that check (BadInput)."""
    if claim_id == earlier_claim_id:
        raise BadInput("a claim cannot reuse its own check; pick an earlier claim")
    with store.transaction():
        claim = store.claim_by_id(claim_id)
        store.review(claim.review_id, to_edit=True)  # ReviewLocked when signed off
        found = store.earlier_claims([earlier_claim_id])
        if not found:
            # A claim of a review in the bin is not in the memory either.
            raise BadInput(f"no earlier claim with id {earlier_claim_id} to reuse")
        earlier = found[0]
        store.review(earlier.claim.review_id)  # NotFound for a review in the bin
        origin = earlier.origin()
        if claim.reused_from is not None and _same_origin(claim.reused_from, origin):
            raise BadInput(f"claim {claim.number} already reuses {origin.label()}")
        result = ReuseResult(claim, origin, claim.note, claim.reused_from)
        here = store.sources(claim.review_id)
        for source in earlier.sources:
            stance = earlier.claim.stance_of(source.id)
            twin = next((s for s in here if _same_source(s, source)), None)
            if twin is None:
                copy, captures = copy_source(store, source, claim, stance)
                result.added_sources.append(copy.id)
                result.copied_captures += captures
            elif twin.id not in claim.source_ids:
                store.link(claim.id, twin.id, stance)
                result.linked_sources.append(twin.id)
        note = claim.note.rstrip()
        note = f"{note}\n\n{quoted_note(earlier)}" if note else quoted_note(earlier)
        result.claim = store.record_reuse(claim.id, note, origin)
    return result


def copy_source(
    store: ReviewStore, source: Source, claim: Claim, stance: Stance
) -> tuple[Source, list[int]]:
    """A copy of an earlier review's source in claim's review, linked to claim with stance,
    and the ids of the captures copied with it.

    The one place reuse copies a source: what else travels with a source (its captures) is
    copied here too."""
    fields = {f: str(getattr(source, f)) for f in SOURCE_FIELDS}
    copy = store.add_source(claim.review_id, [claim.id], {claim.id: stance}, **fields)
    return copy, store.copy_captures(source.id, copy.id)  # the evidence travels with it


def undo_reuse(store: ReviewStore, result: ReuseResult) -> Claim:
    """Take a reuse back in one transaction: the copied sources go with the captures copied
    with them (not left as hidden rows), the links it made go, and the claim gets its note and
    earlier origin back. A redo copies them afresh."""
    with store.transaction():
        store.discard_capture_copies(result.copied_captures)
        for source_id in result.added_sources:
            store.delete_source(source_id)
        for source_id in result.linked_sources:
            store.unlink(result.claim.id, source_id)
        return store.record_reuse(result.claim.id, result.previous_note, result.previous_origin)


def _same_origin(a: ReuseOrigin, b: ReuseOrigin) -> bool:
    if a.claim_stable_id and b.claim_stable_id:
        return a.claim_stable_id == b.claim_stable_id
    return (a.review_id, a.claim_number) == (b.review_id, b.claim_number)


def _same_source(a: Source, b: Source) -> bool:
    """The same evidence: the same address and title (or, without an address, title)."""
    return (a.url.strip(), a.title.strip()) == (b.url.strip(), b.title.strip())
