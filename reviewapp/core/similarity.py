"""Claim memory: how like an earlier claim a new one is, and whether it is the same claim.

The store finds candidates with its full-text index (``claim_memory``); this module ranks them.
Wording is compared with rapidfuzz's token-sort ratio on normalised words (order and case do not
matter much, a changed word does). Numbers are compared apart: a claim that says "$8 billion"
where the earlier one said "$4 billion" is a different claim however alike the words, so it is
shown as related, never as the same claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from reviewapp.core.claimwords import ENGLISH_STOPWORDS


class Strength(StrEnum):
    SAME = "same"  # the same words, give or take a few, and the same numbers
    RELATED = "related"  # alike, but worded differently or with other numbers


# Scores are 0..100 (rapidfuzz). SAME_SCORE: a word or two changed in a twelve-word claim
# ("has invested" / "invested"); RELATED_SCORE: about half the words shared. Below it a
# candidate the index found (it shares a word or two) is not shown at all.
SAME_SCORE = 88.0
RELATED_SCORE = 55.0
# A match only in the earlier claim's note counts for less than one in its quote, and can
# never make the same claim.
NOTE_WEIGHT = 0.8
# How many candidates the index is asked for, and how many results are kept.
CANDIDATES = 60
RESULTS = 20

_WORD = re.compile(r"\w+", re.UNICODE)
# A figure: digits with thousands separators or a decimal point ("4", "1,200", "3.5"), and an
# optional scale word or suffix after it ("4 billion", "4bn", "40%").
_FIGURE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*"
    r"(%|percent\b|per cent\b|thousand\b|k\b|million\b|m\b|mn\b|billion\b|bn\b|b\b|trillion\b|tn\b)?",
    re.IGNORECASE,
)
_SCALE = {
    "thousand": 3,
    "k": 3,
    "million": 6,
    "m": 6,
    "mn": 6,
    "billion": 9,
    "bn": 9,
    "b": 9,
    "trillion": 12,
    "tn": 12,
}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip


def numbers_in(text: str) -> tuple[str, ...]:
    """The figures of a text as comparable values, sorted: "$4 billion", "4bn" and
    "4,000,000,000" are all "4000000000"; "40%" and "40 percent" are "40%"; small number words
    count as their figures ("four billion" is "4000000000")."""
    found: list[str] = []
    for match in _FIGURE.finditer(text):
        whole, fraction, suffix = match.group(1), match.group(2) or "", match.group(3) or ""
        found.append(_value(whole.replace(",", "") + fraction, suffix))
    words = [w.lower() for w in _WORD.findall(text)]
    for i, word in enumerate(words):
        if word in _NUMBER_WORDS:
            following = words[i + 1] if i + 1 < len(words) else ""
            found.append(_value(str(_NUMBER_WORDS[word]), following))
    return tuple(sorted(found))


def _value(number: str, suffix: str) -> str:
    suffix = suffix.lower().strip()
    try:
        value = Decimal(number)
    except InvalidOperation:  # the pattern allows only digits: cannot happen
        return number
    if suffix in ("%", "percent", "per cent"):
        return f"{_plain(value)}%"
    return _plain(value.scaleb(_SCALE.get(suffix, 0)))


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 4E+9 -> 4000000000, 3.50 -> 3.5."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def normalised(text: str) -> str:
    """Lower case, no punctuation, single spaces: what wording is compared on."""
    return default_process(text)


def search_words(text: str, limit: int = 12) -> list[str]:
    """The words of a claim worth looking up in the index: no stop words, no one-letter words,
    the longest first (rarer, so the index has fewer rows to rank), at most limit."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if (len(word) > 1 or word.isdigit()) and word not in ENGLISH_STOPWORDS:
            seen.setdefault(word, None)
    return sorted(seen, key=len, reverse=True)[:limit]


@dataclass(frozen=True)
class Candidate:
    """An earlier claim the index found: its id, its words and its note."""

    claim_id: int
    quote: str
    note: str = ""


@dataclass(frozen=True)
class Ranked:
    claim_id: int
    score: float  # 0..100
    strength: Strength
    same_numbers: bool


def score(query: str, candidate: Candidate) -> tuple[float, bool]:
    """(score 0..100, whether the quote, not the note, gave it)."""
    q = normalised(query)
    by_quote = float(fuzz.token_sort_ratio(q, normalised(candidate.quote)))
    by_note = 0.0
    if candidate.note:
        # A note that quotes the claim inside a longer text: the best-matching part counts.
        by_note = NOTE_WEIGHT * float(fuzz.token_set_ratio(q, normalised(candidate.note)))
    return (by_quote, True) if by_quote >= by_note else (by_note, False)


def rank(query: str, candidates: Sequence[Candidate], limit: int = RESULTS) -> list[Ranked]:
    """The candidates like query, best first: the same claims, then related ones, each by
    score; a candidate below RELATED_SCORE is left out."""
    wanted = numbers_in(query)
    ranked: list[Ranked] = []
    for candidate in candidates:
        value, from_quote = score(query, candidate)
        if value < RELATED_SCORE:
            continue
        same_numbers = numbers_in(candidate.quote) == wanted
        same = from_quote and same_numbers and value >= SAME_SCORE
        ranked.append(
            Ranked(
                candidate.claim_id,
                value,
                Strength.SAME if same else Strength.RELATED,
                same_numbers,
            )
        )
    ranked.sort(key=lambda r: (r.strength != Strength.SAME, -r.score, -r.claim_id))
    return ranked[:limit]


def fts_words_query(words: Sequence[str]) -> str:
    """An FTS5 query matching any of the words (each quoted, so none is read as syntax)."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
