"""Pinning claims to passages: W3C quote and position selectors, and finding a quote."""

from __future__ import annotations

from dataclasses import dataclass

from reviewapp.core.errors import AnchorError
from reviewapp.core.text import normalize_inline

CONTEXT = 32  # code points of prefix and suffix kept with every quote


@dataclass(frozen=True)
class Selectors:
    """A W3C TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector (start, end)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def select(text: str, start: int, end: int, context: int = CONTEXT) -> Selectors:
    """Selectors for text[start:end]; raises AnchorError for an empty or out-of-range span."""
    if not 0 <= start < end <= len(text):
        raise AnchorError(f"the selection {start}-{end} is outside the article or empty")
    return Selectors(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of quote in text."""
    found: list[int] = []
    i = text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def locate_quote(text: str, quote: str, occurrence: int | None = None) -> Selectors:
    """Pin a quote typed by the user; occurrence K (1-based) picks among repeats."""
    needle = normalize_inline(quote)
    if not needle:
        raise AnchorError("the quote is empty")
    found = occurrences(text, needle)
    short = needle if len(needle) <= 60 else needle[:57] + "..."
    if not found:
        raise AnchorError(f"the quote {short!r} does not occur in the article")
    if occurrence is None:
        if len(found) > 1:
            raise AnchorError(
                f"the quote {short!r} occurs {len(found)} times; "
                f"pick one with --occurrence 1..{len(found)} or quote more words"
            )
        start = found[0]
    else:
        if not 1 <= occurrence <= len(found):
            raise AnchorError(
                f"the quote {short!r} occurs {len(found)} time(s); "
                f"--occurrence {occurrence} is out of range"
            )
        start = found[occurrence - 1]
    return select(text, start, start + len(needle))
