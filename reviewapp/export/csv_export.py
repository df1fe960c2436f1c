"""Claims as CSV for spreadsheets: RFC 4180, UTF-8, one header row, one row per claim."""

from __future__ import annotations

import csv
import io
import unicodedata

from reviewapp.core import scales
from reviewapp.core.model import Claim, ReviewData
from reviewapp.export.common import claim_sources

# "stances" lists what each of "sources" says about the claim, in the same order.
COLUMNS = ("number", "quote", "status", "note", "correction", "sources", "stances", "anchor state")
SOURCE_SEPARATOR = " ; "
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets skip leading spaces and invisible characters, and some read the full-width and
# small forms (＝, ﹢...) as the ASCII ones: each of those folds to one of these under NFKC.
FORMULA_CHARACTERS = frozenset("=+-@")
# Characters that show nothing but are letters or symbols, not format characters (Hangul
# fillers, the blank Braille pattern, the combining grapheme joiner).
INVISIBLE_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def starts_formula(value: str) -> bool:
    """True when a spreadsheet could read value as a formula."""
    if value.startswith(FORMULA_STARTS):
        return True
    for char in value:
        if not _invisible(char):
            return unicodedata.normalize("NFKC", char) in FORMULA_CHARACTERS
    return False


def _invisible(char: str) -> bool:
    """Whitespace, control and format characters (zero-width space, BOM, soft hyphen...)."""
    return char.isspace() or char in INVISIBLE_GLYPHS or unicodedata.category(char) in ("Cc", "Cf")


def neutralise(value: str) -> str:
    """Prefix a single quote to text a spreadsheet would run as a formula."""
    return "'" + value if starts_formula(value) else value


def _row(data: ReviewData, claim: Claim) -> list[str]:
    status = scales.CLAIM_STATUS.get(claim.status)
    anchor = scales.ANCHOR_STATES.get(claim.anchor_state, claim.anchor_state)
    linked = [source for _, source in claim_sources(data, claim)]
    sources = SOURCE_SEPARATOR.join(source.url.strip() or source.title.strip() for source in linked)
    stances = SOURCE_SEPARATOR.join(claim.stance_of(source.id) for source in linked)
    cells = [
        claim.quote,
        status.label if status else claim.status,
        claim.note,
        claim.correction,
        sources,
        stances,
        anchor,
    ]
    return [str(claim.number), *(neutralise(cell) for cell in cells)]


def render_csv(data: ReviewData) -> bytes:
    """Every claim of the review, in number order."""
    buffer = io.StringIO(newline="")
    # QUOTE_MINIMAL with "\r\n" line ends is RFC 4180; cells with line breaks get quoted.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for claim in data.claims:
        writer.writerow(_row(data, claim))
    return buffer.getvalue().encode("utf-8")
