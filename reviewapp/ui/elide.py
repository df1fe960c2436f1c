"""A line of text cut to a width with an ellipsis, as Qt's
``QFontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, width)`` cuts it, without Qt's
enums: the library's rows are drawn before the window's first paint, and the first use of a
``Qt.*`` enum builds all 93 of Qt's namespace (~15 ms of the start; see qt_ints)."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QTextBoundaryFinder
from PySide6.QtGui import QFontMetricsF

ELLIPSIS = "\u2026"
_GRAPHEME = QTextBoundaryFinder.BoundaryType.Grapheme


def elide_right(metrics: QFontMetricsF, text: str, width: int) -> str:
    """text if it fits in width pixels; else its longest start (whole characters, as the
    reader sees them) that fits with an ellipsis after it, and the ellipsis."""
    units = text.encode("utf-16-le")
    if len(units) <= 2 or metrics.horizontalAdvance(text) <= width:
        return text  # Qt leaves a text of one UTF-16 unit whole, however narrow the width
    # Qt's own rule (QTextEngine::elidedText): the ellipsis character if the font has it,
    # three dots if not; then characters are added while the ones so far are narrower than
    # what the ellipsis leaves, and the one that reached it is left out.
    ellipsis = ELLIPSIS if metrics.inFontUcs4(ord(ELLIPSIS)) else "..."
    available = width - metrics.horizontalAdvance(ellipsis)
    if available < 0:
        return ""
    # Where each character ends, in UTF-16 units as Qt counts (an emoji is two).
    finder = QTextBoundaryFinder(_GRAPHEME, text)
    ends = []
    end = finder.toNextBoundary()
    while end != -1:
        ends.append(end)
        end = finder.toNextBoundary()
    # The first character whose end reaches what the ellipsis leaves (the text up to an end
    # only grows wider), found by halving; never the last, as in Qt.
    low, high = 0, len(ends) - 1
    while low < high:
        middle = (low + high) // 2
        if metrics.horizontalAdvance(text, ends[middle]) >= available:
            high = middle
        else:
            low = middle + 1
    kept = units[: (ends[low - 1] if low else 0) * 2].decode("utf-16-le")
    if _joins(text[len(kept) :]):
        ellipsis = ZERO_WIDTH_JOINER + ellipsis  # the last letter kept stays joined, as in Qt
    return kept + ellipsis


ZERO_WIDTH_JOINER = "\u200d"
# Arabic-script letters that join no neighbour (Unicode joining type U).
_NON_JOINING_LETTERS = frozenset("\u0621\u0674")


def _joins(rest: str) -> bool:
    """Whether the first letter of rest (past combining marks) joins the one before it: Qt's
    test, from Unicode's joining types. Python has no table of them; the Arabic and Syriac
    letters, the tatweel and the zero-width joiner are what join (Mongolian, N'Ko and other
    joining scripts are not told apart: such a title ends without the joiner)."""
    for char in rest:
        if unicodedata.category(char) == "Mn":
            continue
        if char in (ZERO_WIDTH_JOINER, "\u0640"):
            return True
        return (
            unicodedata.bidirectional(char) == "AL"
            and unicodedata.category(char) == "Lo"
            and char not in _NON_JOINING_LETTERS
        )
    return False
