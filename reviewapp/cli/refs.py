"""What a command line names a claim, source or takeaway by: its number or its stable id.

Numbers (claim 3) are for people and follow the text, so they move when a claim is added
before; stable ids (c-7k3m9q2a) never move, so scripts keep those. Every command that takes a
number takes either, through the functions here; each refuses, with one line, a reference that
is neither, an id of another kind, and an id of another review.
"""

from __future__ import annotations

import re
from typing import TypeVar

from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.model import Claim, Source, Takeaway
from reviewapp.core.stableids import IdKind, example_id, kind_of, typed_stable_id
from reviewapp.store import ReviewStore

T = TypeVar("T")
METAVAR = "N|ID"
SQLITE_MAX_INT = 2**63 - 1
_WHOLE = re.compile(r"[+-]?[0-9]+")


def ref_help(kind: IdKind) -> str:
    return f"{kind.noun} number (1, 2, ...) or stable id ({example_id(kind)})"


def claim_ref(store: ReviewStore, review_id: int, ref: str) -> Claim:
    """The claim of review_id that ref (a number or a stable id) names."""
    number, row_id = _resolve(store, review_id, ref, IdKind.CLAIM)
    if row_id is not None:
        return store.claim_by_id(row_id)
    return store.claim(review_id, number)


def source_ref(store: ReviewStore, review_id: int, ref: str) -> Source:
    """The source of review_id that ref (a number or a stable id) names."""
    number, row_id = _resolve(store, review_id, ref, IdKind.SOURCE)
    if row_id is not None:
        return store.source(row_id)
    return _numbered(store.sources(review_id), number, review_id, IdKind.SOURCE)


def takeaway_ref(store: ReviewStore, review_id: int, ref: str) -> Takeaway:
    """The takeaway of review_id that ref (a number or a stable id) names."""
    number, row_id = _resolve(store, review_id, ref, IdKind.TAKEAWAY)
    if row_id is not None:
        return store.takeaway(row_id)
    return _numbered(store.takeaways(review_id), number, review_id, IdKind.TAKEAWAY)


def _numbered(items: list[T], number: int, review_id: int, kind: IdKind) -> T:
    """Item number N (1, 2, ...) of a review's list, as people count them."""
    if not 1 <= number <= len(items):
        raise BadInput(f"review {review_id} has no {kind.noun} {number} (it has {len(items)})")
    return items[number - 1]


def is_ref(text: str) -> bool:
    """True when text has the shape of a reference: a whole number or a stable id (whether
    anything has that number or id is for the library to say)."""
    return bool(_WHOLE.fullmatch(text.strip())) or typed_stable_id(text) is not None


def _resolve(store: ReviewStore, review_id: int, ref: str, kind: IdKind) -> tuple[int, int | None]:
    """(number, None) for a number; (0, row id) for a stable id of this review and kind."""
    text = ref.strip()
    if _WHOLE.fullmatch(text):
        number = int(text)
        if not 0 <= number <= SQLITE_MAX_INT:
            raise BadInput(f"{kind.noun} {text} is out of range (1 to {SQLITE_MAX_INT})")
        return number, None
    stable_id = typed_stable_id(text)
    if stable_id is None:
        raise BadInput(
            f"{ref!r} is neither a {kind.noun} number nor a {kind.noun} id "
            f"(give a number like 3 or an id like {example_id(kind)})"
        )
    if kind_of(stable_id) != kind:
        other = kind_of(stable_id).noun
        raise BadInput(
            f"{stable_id} is a {other} id; give a {kind.noun} number or a {kind.noun} id "
            f"like {example_id(kind)}"
        )
    store.review(review_id)  # NotFound for a review that is not there
    owner = store.stable_id_owner(stable_id)
    if owner is None:
        raise NotFound(f"no {kind.noun} has the id {stable_id}")
    owner_review, row_id = owner
    if owner_review != review_id:
        raise BadInput(
            f"{stable_id} is a {kind.noun} of review {owner_review}, not of review {review_id}; "
            "nothing was changed"
        )
    return 0, row_id
