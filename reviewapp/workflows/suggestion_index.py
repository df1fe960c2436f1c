"""The check-worthy sentences of a text, indexed for the window, in builtin values only.

``packed_index`` runs in a worker process (workflows/workers.py): assessing 10,000 sentences
is ~0.3-0.6 s of pure Python, which on a thread of the window's process stalled its GUI
thread. It returns a few bytes and strings (``PackedIndex``); ``unpack`` makes the window's
lists and maps of them, and the Suggestion records (dataclasses holding enums: 110 ms to
unpickle 10,000) are made one at a time when the window asks for one (``SuggestionList``).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, overload

from reviewapp.core.checkworthy import Reason
from reviewapp.core.coverage import Decision, Suggestion, coverage, key_hash
from reviewapp.core.model import Claim, SuggestionRecord


class Place(NamedTuple):
    """Where a claim sits, and the suggestion it was accepted from (what covering needs)."""

    id: int
    start: int | None
    end: int | None
    suggestion_key: str


# What the window sends for each claim: (id, start, end, suggestion key), a Place's fields.
PlaceTuple = tuple[int, int | None, int | None, str]


# The order reasons are numbered in on the way back from the worker (the same code runs on
# both sides of the pipe).
REASON_ORDER: tuple[str, ...] = tuple(str(r) for r in Reason)
_REASON_NUMBER = {name: i for i, name in enumerate(REASON_ORDER)}


@dataclass(frozen=True)
class PackedIndex:
    """The suggestions of one text, in text order, with what the claims given cover: a few
    bytes and strings, whatever the number of sentences. Unpickling 10,000 of anything is one
    call that holds the GIL (10-35 ms here, a stall of the GUI thread); these unpickle in
    well under a millisecond, and ``unpack`` builds the lists and maps in a Python loop, which
    lets the GUI thread have the GIL every millisecond."""

    english: bool
    sentences: int  # how many sentences were scored
    bounds: bytes  # array("q"): start, end of each
    scores: bytes  # array("d")
    hashes: str  # the sentence hash of each, HASH_LENGTH characters each
    reasons: str  # each one's reasons as letters (REASON_ORDER), comma-separated
    cover: bytes  # array("q"): how many of the claims given cover each
    claim_cover: bytes  # array("q"): (claim id, suggestion index) pairs


HASH_LENGTH = 16


@dataclass(frozen=True)
class _Columns:
    english: bool
    sentences: int
    starts: list[int]
    ends: list[int]
    bounds: bytes
    scores: bytes
    hashes: str
    reasons: str
    by_hash: dict[str, list[int]]


@lru_cache(maxsize=4)
def _columns(text: str, threshold: float) -> _Columns:
    """The suggestions of TEXT as columns; remembered (in the worker) for the last few texts,
    as the assessment is, so a review opened again costs no second assessment."""
    found = coverage(text, [], SuggestionRecord(threshold=threshold))
    suggestions = found.suggestions
    hashes = [key_hash(s.key) for s in suggestions]
    if any(len(h) != HASH_LENGTH for h in hashes):
        raise ValueError("a suggestion key without a sentence hash")
    by_hash: dict[str, list[int]] = {}
    for i, h in enumerate(hashes):
        by_hash.setdefault(h, []).append(i)
    starts, ends = [s.start for s in suggestions], [s.end for s in suggestions]
    return _Columns(
        english=found.english,
        sentences=found.sentences,
        starts=starts,
        ends=ends,
        bounds=array("q", [v for s in suggestions for v in (s.start, s.end)]).tobytes(),
        scores=array("d", [s.score for s in suggestions]).tobytes(),
        hashes="".join(hashes),
        reasons=",".join(
            "".join(chr(97 + _REASON_NUMBER[str(r)]) for r in s.reasons) for s in suggestions
        ),
        by_hash=by_hash,
    )


def packed_index(text: str, threshold: float, places: Sequence[PlaceTuple]) -> PackedIndex:
    """The suggestions of TEXT at THRESHOLD, and which of them the claims at PLACES cover."""
    columns = _columns(text, float(threshold))
    spans = list(zip(columns.starts, columns.ends, strict=True))
    cover = [0] * len(spans)
    pairs: list[int] = []
    for fields in places:
        place = Place(*fields)
        for i in covered_by(place, spans, columns.starts, columns.by_hash, key_hash):
            pairs += (place.id, i)
            cover[i] += 1
    return PackedIndex(
        english=columns.english,
        sentences=columns.sentences,
        bounds=columns.bounds,
        scores=columns.scores,
        hashes=columns.hashes,
        reasons=columns.reasons,
        cover=array("q", cover).tobytes(),
        claim_cover=array("q", pairs).tobytes(),
    )


@dataclass(frozen=True)
class Unpacked:
    """A PackedIndex as the window uses it."""

    suggestions: SuggestionList  # decisions OPEN: the window keeps the decisions
    spans: list[tuple[int, int]]  # (start, end) of each
    starts: list[int]
    by_key: dict[str, int]  # key -> index
    by_hash: dict[str, list[int]]  # sentence hash -> indices (a claim accepted from it)
    cover: list[int]  # how many of the claims given cover each
    claim_cover: dict[int, tuple[int, ...]]  # claim id -> the suggestions it covers


def unpack(packed: PackedIndex, text: str) -> Unpacked:
    """The lists and maps of PACKED (an index of TEXT), built in Python loops: run it off the
    GUI thread (10,000 suggestions: ~10 ms, the GIL given up every millisecond)."""
    bounds = array("q")
    bounds.frombytes(packed.bounds)
    flat = bounds.tolist()
    starts, ends = flat[0::2], flat[1::2]
    scores = array("d")
    scores.frombytes(packed.scores)
    cover = array("q")
    cover.frombytes(packed.cover)
    pairs = array("q")
    pairs.frombytes(packed.claim_cover)
    n, hashes = len(starts), packed.hashes
    keys: list[str] = []
    by_key: dict[str, int] = {}
    by_hash: dict[str, list[int]] = {}
    for i in range(n):
        h = hashes[i * HASH_LENGTH : (i + 1) * HASH_LENGTH]
        key = f"{starts[i]}-{ends[i]}-{h}"
        keys.append(key)
        by_key[key] = i
        by_hash.setdefault(h, []).append(i)
    claim_cover: dict[int, list[int]] = {}
    flat_pairs = pairs.tolist()
    for k in range(0, len(flat_pairs), 2):
        claim_cover.setdefault(flat_pairs[k], []).append(flat_pairs[k + 1])
    reasons = packed.reasons.split(",") if n else []
    return Unpacked(
        suggestions=SuggestionList(text, keys, starts, ends, scores.tolist(), reasons),
        spans=list(zip(starts, ends, strict=True)),
        starts=starts,
        by_key=by_key,
        by_hash=by_hash,
        cover=cover.tolist(),
        claim_cover={claim: tuple(found) for claim, found in claim_cover.items()},
    )


def covered_by(
    claim: Claim | Place,
    spans: Sequence[tuple[int, int]],
    starts: Sequence[int],
    by_hash: dict[str, list[int]],
    hash_of: Callable[[str], str],
) -> tuple[int, ...]:
    """The suggestions (indices) a claim overlaps (sentences never overlap: a bisect finds the
    first) or was accepted from."""
    found: list[int] = []
    if claim.start is not None and claim.end is not None:
        i = max(0, bisect.bisect_right(starts, claim.start) - 1)
        while i < len(spans) and spans[i][0] < claim.end:
            if spans[i][1] > claim.start:
                found.append(i)
            i += 1
    if claim.suggestion_key:
        found.extend(by_hash.get(hash_of(claim.suggestion_key), ()))
    return tuple(sorted(set(found)))


class SuggestionList(Sequence[Suggestion]):
    """The suggestions of an unpacked index, each made when first asked for (decision OPEN:
    the window keeps the decisions)."""

    def __init__(
        self,
        text: str,
        keys: list[str],
        starts: list[int],
        ends: list[int],
        scores: list[float],
        reasons: list[str],
    ):
        self._text, self._keys, self._starts, self._ends = text, keys, starts, ends
        self._scores, self._reasons = scores, reasons
        self._made: dict[int, Suggestion] = {}

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Suggestion: ...

    @overload
    def __getitem__(self, index: slice) -> list[Suggestion]: ...

    def __getitem__(self, index: int | slice) -> Suggestion | list[Suggestion]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        made = self._made.get(index)
        if made is None:
            made = self._made[index] = self._make(index)
        return made

    def __iter__(self) -> Iterator[Suggestion]:
        return (self[i] for i in range(len(self)))

    def _make(self, i: int) -> Suggestion:
        start, end = self._starts[i], self._ends[i]
        return Suggestion(
            key=self._keys[i],
            start=start,
            end=end,
            text=self._text[start:end],  # a sentence is its slice of the text (core.sentences)
            score=self._scores[i],
            reasons=tuple(Reason(REASON_ORDER[ord(c) - 97]) for c in self._reasons[i]),
            decision=Decision.OPEN,
            claim_numbers=(),
            dismissal_reason="",
            decided_by="",
            decided_at="",
        )


def warm_up() -> bool:
    """Run in a new worker process: unpickling it imports this module, the detector with it."""
    return True
