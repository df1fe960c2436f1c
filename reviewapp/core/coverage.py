"""Coverage of check-worthiness suggestions: what the machine proposed, what the editor decided.

A suggestion (`core.checkworthy`, a sentence at or above the threshold) is examined when it is
CLAIMED (a claim of the review overlaps the sentence, or was accepted from it) or DISMISSED
(the editor said why it needs no claim); otherwise it is OPEN. The sign-off gate asks that
none is open, unless the library switched that off (`SuggestionRecord.enforced`).

A suggestion is named by its key, "START-END-HASH": the sentence's code-point offsets in the
canonical text and the hash of its normalised words (`core.sentences.sentence_hash`). The
offsets tell two equal sentences of one text apart; the hash is what survives a new draft.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reviewapp.core.checkworthy import DEFAULT_THRESHOLD, Assessment, Reason, Scored, assess
from reviewapp.core.model import Claim, Dismissal, SuggestionRecord
from reviewapp.core.states import DomainState

__all__ = [
    "DISMISS_REASONS",
    "Coverage",
    "Decision",
    "Dismissal",
    "Suggestion",
    "SuggestionRecord",
    "carry_dismissals",
    "coverage",
    "parse_key",
    "suggestion_key",
]


class Decision(DomainState):
    """What the editor made of a suggestion."""

    OPEN = "open"
    CLAIMED = "claimed"
    DISMISSED = "dismissed"


# Offered in a list when dismissing; any other one-line reason may be typed.
DISMISS_REASONS: tuple[str, ...] = (
    "common knowledge",
    "opinion or analysis, not a factual claim",
    "covered by another claim",
    "quoted only, not asserted by the article",
    "not verifiable",
    "context or background, not a claim",
)

_KEY = re.compile(r"^(\d+)-(\d+)-([0-9a-f]{16})$")


def suggestion_key(scored: Scored) -> str:
    """The key of one scored sentence: "START-END-HASH"."""
    start, end, text_hash = scored.key
    return f"{start}-{end}-{text_hash}"


def parse_key(key: str) -> tuple[int, int, str] | None:
    """(start, end, hash) of a well-formed key, or None."""
    m = _KEY.match(key.strip())
    return None if m is None else (int(m.group(1)), int(m.group(2)), m.group(3))


def key_hash(key: str) -> str:
    """The sentence hash part of a key ("" when the key is not well formed)."""
    parsed = parse_key(key)
    return parsed[2] if parsed else ""


@dataclass(frozen=True)
class Suggestion:
    """One check-worthy sentence and what the editor decided."""

    key: str
    start: int
    end: int
    text: str
    score: float
    reasons: tuple[Reason, ...]
    decision: Decision
    claim_numbers: tuple[int, ...]  # claims that cover the sentence (CLAIMED when non-empty)
    dismissal_reason: str  # "" unless DISMISSED
    decided_by: str  # "" when OPEN (and for a claim made before claims kept their author)
    decided_at: str  # "" when OPEN; ISO UTC

    @property
    def examined(self) -> bool:
        return self.decision is not Decision.OPEN


@dataclass(frozen=True)
class Coverage:
    """Every suggestion of a review's current text, with the counts the record carries."""

    suggestions: tuple[Suggestion, ...]  # in text order, only those at/above the threshold
    examined: int
    total: int
    enforced: bool  # the library setting (Preferences may switch it off)
    english: bool  # False: suggestions are English-only; suggestions == ()
    threshold: float
    sentences: int = 0  # how many sentences were scored
    dismissals: tuple[Dismissal, ...] = field(default=(), repr=False)

    @property
    def open(self) -> tuple[Suggestion, ...]:
        return tuple(s for s in self.suggestions if not s.examined)

    @property
    def complete(self) -> bool:
        return self.examined == self.total

    def by_key(self, key: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.key == key.strip()), None)

    def summary(self) -> str:
        """One plain line, e.g. '12 of 15 check-worthy sentences examined'."""
        if not self.english:
            return ENGLISH_ONLY
        return f"{self.examined} of {self.total} check-worthy sentences examined"


ENGLISH_ONLY = "suggestions are English-only, and this text does not read as English"


def assessment_of(text: str, threshold: float = DEFAULT_THRESHOLD) -> Assessment:
    """assess(text), remembered for the last few texts: the gate, the header and the record
    ask for the same text again and again (a 100,000-word text costs a few hundred ms)."""
    return _assessed(text, float(threshold)).assessment


@dataclass(frozen=True)
class _Assessed:
    """An assessment with its suggestions' keys and hashes worked out once (hashing 5,000
    sentences again on each keystroke of the Sign Off dialog would cost ~90 ms)."""

    assessment: Assessment
    suggested: tuple[Scored, ...]
    keys: tuple[str, ...]
    hashes: tuple[str, ...]


@lru_cache(maxsize=8)
def _assessed(text: str, threshold: float) -> _Assessed:
    assessment = assess(text, threshold)
    suggested = tuple(assessment.suggestions())
    hashes = tuple(s.text_hash for s in suggested)
    keys = tuple(
        f"{s.sentence.start}-{s.sentence.end}-{h}" for s, h in zip(suggested, hashes, strict=True)
    )
    return _Assessed(assessment, suggested, keys, hashes)


def coverage(text: str, claims: Sequence[Claim], record: SuggestionRecord) -> Coverage:
    """The suggestions of TEXT and what CLAIMS and the record's dismissals make of them."""
    assessed = _assessed(text, float(record.threshold))
    assessment, suggested = assessed.assessment, assessed.suggested
    dismissed = {d.key: d for d in record.dismissals}
    covering = _covering_claims(suggested, assessed.hashes, claims)
    out = []
    for s, key, claimed in zip(suggested, assessed.keys, covering, strict=True):
        if claimed:
            first = min(claimed, key=lambda c: c.created_at or "~")
            decision, reason, by, at = Decision.CLAIMED, "", first.author, first.created_at
        elif key in dismissed:
            d = dismissed[key]
            decision, reason, by, at = Decision.DISMISSED, d.reason, d.reviewer, d.decided_at
        else:
            decision, reason, by, at = Decision.OPEN, "", "", ""
        out.append(
            Suggestion(
                key=key,
                start=s.sentence.start,
                end=s.sentence.end,
                text=s.sentence.text,
                score=s.score,
                reasons=s.reasons,
                decision=decision,
                claim_numbers=tuple(sorted(c.number for c in claimed)),
                dismissal_reason=reason,
                decided_by=by,
                decided_at=at,
            )
        )
    keys = {s.key for s in out if s.decision is Decision.DISMISSED}
    return Coverage(
        suggestions=tuple(out),
        examined=sum(s.examined for s in out),
        total=len(out),
        enforced=record.enforced,
        english=assessment.english,
        threshold=record.threshold,
        sentences=len(assessment.scored),
        dismissals=tuple(d for d in record.dismissals if d.key in keys),
    )


def _covering_claims(
    suggested: Sequence[Scored], hashes: Sequence[str], claims: Sequence[Claim]
) -> list[list[Claim]]:
    """For each suggestion (in text order, not overlapping), the claims that cover it: those
    sharing at least one character with it, and those accepted from a suggestion with its
    words. Each claim finds its sentences by bisection, so 10,000 claims on a 100,000-word
    article cost milliseconds, not suggestions x claims."""
    starts = [s.sentence.start for s in suggested]
    ends = [s.sentence.end for s in suggested]
    found: list[dict[int, Claim]] = [{} for _ in suggested]
    for c in claims:
        if c.start is not None and c.end is not None:
            # sentences ending after the claim starts and starting before it ends
            for i in range(bisect_right(ends, c.start), bisect_left(starts, c.end)):
                found[i][c.id] = c
    if any(c.suggestion_key for c in claims):
        by_hash: dict[str, list[int]] = {}
        for i, h in enumerate(hashes):
            by_hash.setdefault(h, []).append(i)
        for c in claims:
            for i in by_hash.get(key_hash(c.suggestion_key), ()) if c.suggestion_key else ():
                found[i][c.id] = c
    return [list(f.values()) for f in found]


def claims_covering(scored: Scored, claims: Iterable[Claim]) -> list[Claim]:
    """The claims that make one suggested sentence CLAIMED: those overlapping it, and those
    accepted from a suggestion with its words (what `coverage` finds for every sentence, for
    one: a dismissal asks, and need not build every suggestion of the text)."""
    start, end, text_hash = scored.key
    return claims_over(start, end, text_hash, claims)


def claims_over(start: int, end: int, text_hash: str, claims: Iterable[Claim]) -> list[Claim]:
    """claims_covering for the sentence [start, end) whose words hash to TEXT_HASH."""
    return [
        c
        for c in claims
        if (c.start is not None and c.end is not None and c.start < end and c.end > start)
        or (c.suggestion_key and key_hash(c.suggestion_key) == text_hash)
    ]


def find_suggestion(assessment: Assessment, key: str) -> Scored | None:
    """The suggestion of ASSESSMENT with this key (None when no suggestion has it)."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    start, end, text_hash = parsed
    # By place first, then the hash of that one sentence (hashing every sentence until one
    # matched took ~50 ms on a 100,000-word text).
    for s in assessment.suggestions():
        if s.sentence.start == start and s.sentence.end == end:
            return s if s.text_hash == text_hash else None
    return None


def carry_dismissals(
    dismissals: Iterable[Dismissal],
    new_text: str,
    threshold: float = DEFAULT_THRESHOLD,
    place: Callable[[int], int] = lambda offset: offset,
) -> tuple[list[Dismissal], list[Dismissal]]:
    """(kept, dropped): each dismissal carried to the suggestion of NEW_TEXT whose sentence is
    the same, word for word (in place or moved), re-keyed to where it is now; dropped (so the
    editor is asked again) when no suggestion there has that sentence. PLACE maps an old start
    offset to where the diff puts it in the new text; among equal sentences the nearest wins."""
    by_hash: dict[str, list[Scored]] = {}
    for s in assessment_of(new_text, threshold).suggestions():
        by_hash.setdefault(s.text_hash, []).append(s)
    kept, dropped = [], []
    taken: set[str] = set()
    for d in dismissals:
        parsed = parse_key(d.key)
        candidates = [
            s
            for s in by_hash.get(key_hash(d.key), [])
            if s.sentence.text == d.sentence and suggestion_key(s) not in taken
        ]
        if parsed is None or not candidates:
            dropped.append(d)
            continue
        where = place(parsed[0])
        best = min(candidates, key=lambda s: abs(s.sentence.start - where))
        taken.add(suggestion_key(best))
        kept.append(
            Dismissal(
                suggestion_key(best),
                best.sentence.text,
                best.score,
                tuple(r.value for r in best.reasons),
                d.reason,
                d.reviewer,
                d.decided_at,
            )
        )
    return kept, dropped
