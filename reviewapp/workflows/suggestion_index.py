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
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    call that holds the GIL (10-35 ms here, a stall of the GUI thread), and so is a Python loop
    over them on a thread of the window's process (a 1,000,000-word text: ~1 s, with stalls of
    the GUI thread up to 200 ms); these unpickle in well under a millisecond, and ``unpack``
    makes the lists and maps with a few builtin calls of a few milliseconds each."""

    english: bool
    sentences: int  # how many sentences were scored
    bounds: bytes  # array("q"): start, end of each
    scores: bytes  # array("d")
    keys: str  # their keys, newline-separated
    hashes: str  # their sentence hashes, newline-separated
    repeated: dict[str, tuple[int, ...]]  # a hash that more than one has -> their indices
    reasons: str  # each one's reasons as letters (REASON_ORDER), comma-separated
    cover: bytes  # array("q"): how many of the claims given cover each
    covering: bytes  # array("q"): claims that cover exactly one suggestion ...
    covered: bytes  # array("q"): ... and that suggestion
    covers_more: dict[int, tuple[int, ...]]  # a claim covering several -> their indices


@dataclass(frozen=True)
class _Columns:
    english: bool
    sentences: int
    starts: list[int]
    ends: list[int]
    bounds: bytes
    scores: bytes
    keys: str
    hashes: str
    repeated: dict[str, tuple[int, ...]]
    reasons: str
    by_hash: dict[str, tuple[int, ...]]


@lru_cache(maxsize=4)
def _columns(text: str, threshold: float) -> _Columns:
    """The suggestions of TEXT as columns; remembered (in the worker) for the last few texts,
    as the assessment is, so a review opened again costs no second assessment."""
    found = coverage(text, [], SuggestionRecord(threshold=threshold))
    suggestions = found.suggestions
    hashes = [key_hash(s.key) for s in suggestions]
    indices: dict[str, list[int]] = {}
    for i, h in enumerate(hashes):
        indices.setdefault(h, []).append(i)
    by_hash = {h: tuple(found) for h, found in indices.items()}
    return _Columns(
        english=found.english,
        sentences=found.sentences,
        starts=[s.start for s in suggestions],
        ends=[s.end for s in suggestions],
        bounds=array("q", [v for s in suggestions for v in (s.start, s.end)]).tobytes(),
        scores=array("d", [s.score for s in suggestions]).tobytes(),
        keys="\n".join(s.key for s in suggestions),
        hashes="\n".join(hashes),
        repeated={h: found for h, found in by_hash.items() if len(found) > 1},
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
    covering, covered, covers_more = array("q"), array("q"), {}
    for fields in places:
        place = Place(*fields)
        found = covered_by(place, spans, columns.starts, columns.by_hash, key_hash)
        if len(found) == 1:
            covering.append(place.id)
            covered.append(found[0])
        elif found:
            covers_more[place.id] = found
        for i in found:
            cover[i] += 1
    return PackedIndex(
        english=columns.english,
        sentences=columns.sentences,
        bounds=columns.bounds,
        scores=columns.scores,
        keys=columns.keys,
        hashes=columns.hashes,
        repeated=columns.repeated,
        reasons=columns.reasons,
        cover=array("q", cover).tobytes(),
        covering=covering.tobytes(),
        covered=covered.tobytes(),
        covers_more=covers_more,
    )


@dataclass(frozen=True)
class Unpacked:
    """A PackedIndex as the window uses it."""

    suggestions: SuggestionList  # decisions OPEN: the window keeps the decisions
    spans: list[tuple[int, int]]  # (start, end) of each
    starts: list[int]
    by_key: dict[str, int]  # key -> index
    by_hash: dict[str, tuple[int, ...]]  # sentence hash -> indices (a claim accepted from it)
    cover: list[int]  # how many of the claims given cover each
    claim_cover: dict[int, tuple[int, ...]]  # claim id -> the suggestions it covers


def _longs(data: bytes) -> list[int]:
    numbers = array("q")
    numbers.frombytes(data)
    return numbers.tolist()


def unpack(packed: PackedIndex, text: str) -> Unpacked:
    """The lists and maps of PACKED (an index of TEXT), each made by one builtin call over
    every suggestion: no Python loop runs over them (see PackedIndex)."""
    flat = _longs(packed.bounds)
    starts, ends = flat[0::2], flat[1::2]
    scores = array("d")
    scores.frombytes(packed.scores)
    n = len(starts)
    keys = packed.keys.split("\n") if n else []
    by_hash: dict[str, tuple[int, ...]] = dict(
        # hash -> (index,)
        zip(packed.hashes.split("\n") if n else [], zip(range(n)), strict=True)
    )
    by_hash.update(packed.repeated)
    claim_cover: dict[int, tuple[int, ...]] = dict(
        zip(_longs(packed.covering), zip(_longs(packed.covered)), strict=True)
    )
    claim_cover.update(packed.covers_more)
    reasons = packed.reasons.split(",") if n else []
    return Unpacked(
        suggestions=SuggestionList(text, keys, starts, ends, scores.tolist(), reasons),
        spans=list(zip(starts, ends, strict=True)),
        starts=starts,
        by_key=dict(zip(keys, range(n), strict=True)),
        by_hash=by_hash,
        cover=_longs(packed.cover),
        claim_cover=claim_cover,
    )


def covered_by(
    claim: Claim | Place,
    spans: Sequence[tuple[int, int]],
    starts: Sequence[int],
    by_hash: Mapping[str, Sequence[int]],
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
