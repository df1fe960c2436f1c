"""Claim highlights for the article view, built in one pass as ExtraSelections.

ExtraSelections are painted over the text without touching the document, so 2,000 claims cost
a few milliseconds and never enter the text's own undo history (measured: mergeCharFormat
per claim outside an edit block is a hundred times slower).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from reviewapp.core.model import Claim
from reviewapp.core.text import Utf16Map
from reviewapp.ui.scale_style import CLAIM_STATUS_COLOURS, UNKNOWN_STATUS_COLOUR

# Status colours are light; text on them is always dark so it stays readable in dark mode too.
_INK = QColor("#1d1f23")
FLASH_COLOUR = QColor("#ff9f1c")


def status_format(colour: str, current: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    background = QColor(colour)
    if current:
        background = background.darker(118)
        fmt.setFontUnderline(True)
        fmt.setUnderlineColor(QColor(colour).darker(200))
    fmt.setBackground(background)
    fmt.setForeground(_INK)
    return fmt


_FORMATS: dict[tuple[str, bool], QTextCharFormat] = {}


def format_for(status: str, current: bool = False) -> QTextCharFormat:
    key = (status, current)
    if key not in _FORMATS:
        colour = CLAIM_STATUS_COLOURS.get(status, UNKNOWN_STATUS_COLOUR)
        _FORMATS[key] = status_format(colour, current)
    return _FORMATS[key]


def flash_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(FLASH_COLOUR)
    fmt.setForeground(_INK)
    return fmt


DISCLOSURE_COLOUR = QColor("#d9ccf2")  # the writer's AI disclosure: violet, unlike any status


def disclosure_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(DISCLOSURE_COLOUR)
    fmt.setForeground(_INK)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setToolTip("The writer's AI disclosure, as recorded in this review")
    return fmt


def span_selection(
    document: QTextDocument, start: int, end: int, fmt: QTextCharFormat
) -> QTextEdit.ExtraSelection:
    """One ExtraSelection over UTF-16 positions [start, end)."""
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    selection.format = fmt
    return selection


def claim_spans(
    claims: Iterable[Claim], utf16: Utf16Map, length: int
) -> list[tuple[int, int, int, str]]:
    """(utf16 start, utf16 end, claim id, status) for every claim placed in the text."""
    spans: list[tuple[int, int, int, str]] = []
    for claim in claims:
        if claim.start is None or claim.end is None or claim.end > length:
            continue  # orphaned or placed on another revision: listed, not highlighted
        spans.append(
            (utf16.to_utf16(claim.start), utf16.to_utf16(claim.end), claim.id, claim.status)
        )
    return spans


def build_selections(
    document: QTextDocument, spans: list[tuple[int, int, int, str]], current_id: int = 0
) -> list[QTextEdit.ExtraSelection]:
    """All highlights in one pass; the current claim last, so it paints on top."""
    selections = []
    current = None
    # Inside an edit block QTextCursor.setPosition skips looking up the line layout for its
    # x position: 2,000 highlights on a laid-out 100,000-word text take ~5 ms instead of ~60.
    # The block is empty, so ending it changes nothing in the document.
    guard = QTextCursor(document)
    guard.beginEditBlock()
    try:
        for start, end, claim_id, status in spans:
            if claim_id == current_id:
                current = span_selection(document, start, end, format_for(status, True))
            else:
                selections.append(span_selection(document, start, end, format_for(status)))
    finally:
        guard.endEditBlock()
    if current is not None:
        selections.append(current)
    return selections
