"""The CSV export: RFC 4180, UTF-8, one row per claim, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from reviewapp.export import render
from reviewapp.export.csv_export import COLUMNS, FORMULA_STARTS, starts_formula
from reviewapp.store import ReviewStore
from tests.test_export_support import MULTILINE_NOTE, build_hostile_review

FORMULAS = (
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturn",
)


def _read(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


# What spreadsheets skip before a formula, or read as one of = + - @.
HIDDEN_FORMULAS = (
    " =1+1",
    "   +cmd",
    "\u00a0=1",
    "\u3000@SUM(A1)",
    "\n=1",
    " \u200b -2",
    "\u200b=cmd",
    "\u200c=1",
    "\u200d+1",
    "\u200e-1",
    "\u200f@x",
    "\u2060=1",
    "\ufeff=1",
    "\u00ad=1",
    "\u3164=1",
    "\u2800=1",
    "\uff1dHYPERLINK(1)",
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(1)",
    "\ufe66cmd",
    " \u200b\uff1d1",
)
# Text with a formula character later on, or none at all: left as the editor wrote it.
HARMLESS = (
    "a = b",
    " plain words",
    "\u200bword",
    "x+1",
    "1-2",
    "",
    "   ",
    "email@example.org",
    "\u2212 5 (a minus sign, not a hyphen)",
)


def _unneutralised(value: str) -> str:
    return value[1:] if value.startswith("'") and starts_formula(value[1:]) else value


@pytest.fixture
def hostile(store: ReviewStore):
    built = build_hostile_review(store)
    return store.load_review(built.review_id)


def test_header_then_one_row_per_claim_in_number_order(hostile):
    content = render(hostile, "csv")
    assert content.split(b"\r\n", 1)[0] == ",".join(COLUMNS).encode()
    rows = _read(content)
    assert [r["number"] for r in rows] == [str(c.number) for c in hostile.claims]


def test_hostile_text_round_trips_through_a_csv_reader(hostile):
    rows = _read(render(hostile, "csv"))
    for row, claim in zip(rows, hostile.claims, strict=True):
        assert _unneutralised(row["quote"]) == claim.quote
        assert _unneutralised(row["note"]) == claim.note
        assert _unneutralised(row["correction"]) == claim.correction
    assert rows[0]["note"] == MULTILINE_NOTE
    assert rows[0]["status"] == "False"
    assert rows[0]["anchor state"] == "Anchored"
    assert rows[0]["sources"] == "https://example.org/report?a=1&b=(2)"
    assert rows[2]["sources"] == (
        "https://example.org/report?a=1&b=(2) ; https://evil.example/a b)<script>alert(1)</script>"
    )
    assert rows[1]["sources"] == "Only a title, no URL"  # a source without URL shows its title


def test_formula_cells_are_neutralised_with_a_single_quote(store: ReviewStore, draft_factory):
    review_id = store.add_article(draft_factory(["-5% drop =1+1 here."]))
    store.add_claim_by_quote(review_id, "-5% drop")
    claim = store.add_claim_by_quote(review_id, "=1+1")
    store.update_claim(claim.id, note=FORMULAS[0], correction="@cmd|' /C calc'!A0")
    rows = _read(render(store.load_review(review_id), "csv"))
    assert rows[0]["quote"] == "'-5% drop"
    assert rows[1]["quote"] == "'=1+1"
    assert rows[1]["note"] == "'" + FORMULAS[0]
    assert rows[1]["correction"] == "'@cmd|' /C calc'!A0"
    for cells in (r.values() for r in rows):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)


def test_every_formula_start_is_neutralised(store: ReviewStore, draft_factory):
    review_id = store.add_article(draft_factory(["Plain words."]))
    claim = store.add_claim_by_quote(review_id, "Plain")
    for formula in FORMULAS:
        store.update_claim(claim.id, note=formula)
        (row,) = _read(render(store.load_review(review_id), "csv"))
        assert row["note"] == "'" + formula


@pytest.fixture
def one_claim(store: ReviewStore, draft_factory):
    """A review with one claim whose note a test sets; returns a reader of the note's cell."""
    review_id = store.add_article(draft_factory(["Plain words."]))
    claim = store.add_claim_by_quote(review_id, "Plain")

    def note_cell(note: str) -> str:
        store.update_claim(claim.id, note=note)
        (row,) = _read(render(store.load_review(review_id), "csv"))
        return row["note"]

    return note_cell


@pytest.mark.parametrize("formula", HIDDEN_FORMULAS)
def test_formulas_behind_spaces_invisible_or_full_width_characters_are_neutralised(
    one_claim, formula
):
    assert one_claim(formula) == "'" + formula


@pytest.mark.parametrize("text", HARMLESS)
def test_text_that_is_no_formula_is_exported_unchanged(one_claim, text):
    assert one_claim(text) == text


def test_output_is_utf8_with_crlf_rows_and_quoted_line_breaks(hostile):
    content = render(hostile, "csv")
    text = content.decode("utf-8")
    assert "😀" in text and not text.startswith("\ufeff")
    assert text.endswith("\r\n")
    # The note's own line breaks are inside a quoted cell, not row ends.
    assert '"First line of the note.\n# not a heading' in text
    assert render(hostile, "csv") == content


def test_review_without_claims_is_just_the_header(store: ReviewStore, draft_factory):
    review_id = store.add_article(draft_factory(["Nothing yet."]))
    assert render(store.load_review(review_id), "csv") == (",".join(COLUMNS) + "\r\n").encode()
