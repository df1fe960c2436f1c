"""Sentences of a canonical text: a fast rule-based splitter with code-point offsets.

pysbd (the maintained splitter the design names) agrees with it on most boundaries of the
evaluation set (`benchmarks/bench_checkworthy.py` prints the agreement) but takes about 2.6 s
on 100,000 words where this takes a few tens of milliseconds, and check-worthiness must stay
under 0.5 s on such an article. So core splits by itself, with the rules that matter in news
text: a sentence ends at `.`, `!` or `?` (and closing quotes or brackets after it) followed by
a space and an upper-case letter, a digit or an opening quote, unless the word before the stop
is a known abbreviation, an initial ("J. K. Rowling") or a number's decimal point. A block
(paragraph, heading) never shares a sentence with the next one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from reviewapp.core.text import BLOCK_SEPARATOR, normalize_inline

# Words that end with a full stop inside a sentence. Lower-cased, without the stop.
ABBREVIATIONS = frozenset(
    {
        # titles
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "rev", "gen", "gov", "sen", "rep",
        "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "pres", "supt", "insp", "det", "hon",
        "messrs", "mme", "mlle", "fr", "atty", "cpl", "pvt", "ald",
        # companies and addresses
        "inc", "co", "corp", "ltd", "llc", "plc", "bros", "dept", "univ", "assn", "ave",
        "blvd", "rd", "mt", "ft", "hwy", "no", "nos", "vol", "pp", "approx",
        # months and days (not those that are also words: "mar", "sat", "sun", "wed")
        "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "tue", "tues", "thu", "thur", "thurs", "fri",
        # Latin and other
        "e.g", "i.e", "etc", "vs", "cf", "al", "ca", "viz",
        "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "ph.d",
        # US states in AP style (not those that are also words: "ill", "miss", "wash")
        "ala", "ariz", "calif", "colo", "conn", "fla", "kan", "ky", "md", "mich", "minn",
        "mont", "neb", "nev", "okla", "tenn", "wis", "wyo",
    }
)  # fmt: skip

# A candidate end: terminal punctuation, any closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"""[.!?…]+['"’”)\]]*(?=\s)""")
# The word (with inner dots: "U.S") just before a full stop.
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# What may start the next sentence: upper case, a digit, or an opening quote/bracket/dash.
_STARTER = re.compile(r"""\s+(?=['"‘“(\[]?[A-Z0-9À-ÖØ-Þ¿¡—–-])""")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: code-point offsets into the canonical text, and its text."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of TEXT, block by block, each stripped of surrounding whitespace."""
    out: list[Sentence] = []
    pos = 0
    for block in text.split(BLOCK_SEPARATOR):
        out.extend(_block_sentences(block, pos))
        pos += len(block) + len(BLOCK_SEPARATOR)
    return out


def _block_sentences(block: str, base: int) -> Iterator[Sentence]:
    start = 0
    for m in _CANDIDATE.finditer(block):
        end = m.end()
        if not _is_boundary(block, m.start(), end):
            continue
        yield from _emit(block, base, start, end)
        start = end
    yield from _emit(block, base, start, len(block))


def _emit(block: str, base: int, start: int, end: int) -> Iterator[Sentence]:
    piece = block[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        s = base + start + lead
        yield Sentence(s, s + len(stripped), stripped)


def _is_boundary(block: str, stop: int, end: int) -> bool:
    """Whether the punctuation at STOP..END ends a sentence."""
    if not _STARTER.match(block, end):
        return False
    if block[stop] != ".":
        return True  # ! ? … followed by a capital: an end
    if block[stop : stop + 2] == ".." and not block[stop:end].startswith("..."):
        return True
    w = _WORD_BEFORE.search(block, max(0, stop - 40), stop + 1)
    if w is None:
        return True
    word = w.group(1)
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. K. Rowling", "U. S."
    return word.lower() not in ABBREVIATIONS


def normalized(text: str) -> str:
    """TEXT as compared across drafts: NFC, one space for any run of whitespace, casefolded."""
    return normalize_inline(text).casefold()


def sentence_hash(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of the normalised sentence (a stable key part)."""
    return hashlib.sha256(normalized(text).encode("utf-8")).hexdigest()[:16]
