"""Claim memory: how like an earlier claim a new one is, and whether it is the same claim.

The store finds candidates with its full-text index (``claim_memory``); this module ranks them.
Wording is compared with rapidfuzz's token-sort and token-set ratios on normalised words (order
and case do not matter much, a changed word does; figures are compared by value). Numbers are
also compared apart: a claim that says "$8 billion" where the earlier one said "$4 billion" is
a different claim however alike the words, so it is shown as related, never as the same claim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from reviewapp.core.claimwords import ENGLISH_STOPWORDS


class Strength(StrEnum):
    SAME = "same"  # the same words, give or take a few, and the same numbers
    RELATED = "related"  # alike, but worded differently or with other numbers


# Scores are 0..100 (rapidfuzz). SAME_SCORE: a word or two changed in a ten-word claim
# ("has invested" / "invested", "$4bn" / "$4 billion"). RELATED_SCORE: the same claim told
# another way ("Anthropic got $4 billion from Amazon": 81; "Amazon will invest up to $4
# billion in Anthropic": 82); claims that share only their shape and a name ("X has invested
# $N billion in Y ...") score 60-67 in benchmarks/bench_memory.py's library and are left out.
SAME_SCORE = 88.0
RELATED_SCORE = 72.0
# A match only in the earlier claim's note counts for less than one in its quote, and can
# never make the same claim.
NOTE_WEIGHT = 0.8
# How many candidates the index is asked for, and how many results are kept.
CANDIDATES = 60
RESULTS = 20

_WORD = re.compile(r"\w+", re.UNICODE)
# Words in nearly every claim: looking them up costs the index the most and tells it nothing.
_STOPWORDS = ENGLISH_STOPWORDS | {
    "in", "is", "an", "as", "no", "do", "does", "did", "per", "then", "via", "over", "under",
}  # fmt: skip
# A figure: digits with thousands separators or a decimal point ("4", "1,200", "3.5"), and an
# optional scale word or suffix after it ("4 billion", "4bn", "40%").
_FIGURE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*"
    r"(%|percent\b|per cent\b|thousand\b|k\b|million\b|m\b|mn\b|billion\b|bn\b|b\b"
    r"|trillion\b|tn\b)?",
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
    """Lower case, no punctuation, single spaces, each figure written as its value ("$4bn" and
    "$4 billion" both "4000000000"): what wording is compared on."""
    # rapidfuzz is imported where it is used: the store imports this module to find
    # candidates, and the window's first paint should not load it (~10 ms)
    from rapidfuzz.utils import default_process

    return default_process(_FIGURE.sub(_figure_value, text))


def _figure_value(match: re.Match[str]) -> str:
    value = _value(match.group(1).replace(",", "") + (match.group(2) or ""), match.group(3) or "")
    return f" {value.replace('.', 'p').replace('%', 'pc')} "


def search_words(text: str, limit: int = 16) -> list[str]:
    """The words of a claim worth looking up in the index: no stop words, no one-letter words,
    the longest first, at most limit."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(_without_accents(text.lower())):
        if len(word) > 1 and word not in _STOPWORDS:
            seen.setdefault(word, None)
    return sorted(seen, key=len, reverse=True)[:limit]


def _without_accents(text: str) -> str:
    """As the index spells words (unicode61 remove_diacritics 2): "café" is "cafe"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# How many index entries a search may rank. Ranking every claim that holds any word of the
# query costs time in proportion to those claims (benchmarks/bench_memory.py: 38 ms at the
# median in 100,000 claims, when "invested" alone is in a quarter of them); the rarest words
# find the similar claims as well, since a claim worded alike shares them.
POSTINGS_BUDGET = 4_000
MIN_WORDS = 3


def rarest_words(frequencies: Mapping[str, int]) -> list[str]:
    """The words to search for, given how many claims hold each: the rarest first, as many as
    POSTINGS_BUDGET allows (but at least MIN_WORDS); words no claim holds find nothing."""
    chosen: list[str] = []
    total = 0
    for word, count in sorted(frequencies.items(), key=lambda item: (item[1], item[0])):
        if count == 0:
            continue
        if len(chosen) >= MIN_WORDS and total + count > POSTINGS_BUDGET:
            break
        chosen.append(word)
        total += count
    return chosen


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
    from rapidfuzz import fuzz

    q = normalised(query)
    quote = normalised(candidate.quote)
    # The mean of the two: token-sort alone punishes an added clause ("..., a rival of
    # OpenAI") as much as a changed word; token-set alone calls any subset a perfect match.
    by_quote = (fuzz.token_sort_ratio(q, quote) + fuzz.token_set_ratio(q, quote)) / 2
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
