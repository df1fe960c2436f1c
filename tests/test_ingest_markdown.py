"""Markdown drafts: block kinds, inline markup removed, title rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.ingest import load_bytes, load_source
from reviewapp.ingest.markdown import inline_text

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _blocks(draft) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for b in draft.document.blocks]


def _md(text: str):
    return load_bytes(text.encode("utf-8"), "draft.md")


def test_the_fixture_draft_becomes_headings_paragraphs_items_and_a_quote():
    draft = load_source(str(FIXTURES / "draft.md"))
    assert draft.meta.title == "Port authority doubles cargo fees"
    assert _blocks(draft) == [
        ("heading", 1, "Port authority doubles cargo fees"),
        (
            "paragraph",
            0,
            "The port authority will double its cargo handling fees from 1 June, according to a "
            "notice published on its website.",
        ),
        ("heading", 2, "What changes"),
        ("list-item", 0, "Container fees rise from EUR 40 to EUR 80."),
        ("list-item", 0, "Bulk cargo fees rise by half."),
        ("list-item", 0, "Passenger ferries are not affected."),
        ("list-item", 0, "The board voted on Tuesday."),
        ("list-item", 0, "The decision takes effect in June."),
        (
            "quote",
            0,
            "The increase reflects the real cost of dredging the harbour, a spokesperson said.",
        ),
        ("paragraph", 0, "Shipping firms said they had not been consulted *at all*."),
    ]
    assert draft.importer == "markdown" and draft.raw_type == "text/markdown"
    assert "author: Test Writer" not in draft.document.text  # front matter is not article text


@pytest.mark.parametrize(
    "markdown, text",
    [
        ("**bold** and __strong__", "bold and strong"),
        ("*em* and _em_ and ***both***", "em and em and both"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("a [link](https://x.example/a_(b) 'T') here", "a link here"),
        ("a [reference][ref] link", "a reference link"),
        ("![a chart](chart.png) shown", "a chart shown"),
        ("`code *not em*` and ``a ` tick``", "code *not em* and a ` tick"),
        (r"\*not emphasis\* and 5 \_x\_", "*not emphasis* and 5 _x_"),
        ("<https://x.example/a> and <span>tag</span>", "https://x.example/a and tag"),
        ("~~struck~~ &amp; &eacute;", "struck & é"),
        ("5 * 3 * 2 stays", "5 * 3 * 2 stays"),
        ("[sic] stays", "[sic] stays"),
    ],
)
def test_inline_markup_is_removed(markdown: str, text: str):
    assert inline_text(markdown) == text


def test_setext_headings_and_atx_closing_hashes():
    draft = _md("Big title\n=========\n\nSmall title\n-----------\n\n### Third ###\n\nBody.")
    assert _blocks(draft) == [
        ("heading", 1, "Big title"),
        ("heading", 2, "Small title"),
        ("heading", 3, "Third"),
        ("paragraph", 0, "Body."),
    ]


def test_without_a_heading_the_first_line_is_the_title():
    draft = _md("The *first* line of the draft\ncontinues here.\n\nSecond paragraph.")
    assert draft.meta.title == "The first line of the draft"
    assert _blocks(draft)[0] == ("paragraph", 0, "The first line of the draft continues here.")


def test_the_first_heading_is_the_title_even_after_a_paragraph():
    draft = _md("Kicker text.\n\n## Real headline\n\nBody.")
    assert draft.meta.title == "Real headline"


def test_quotes_lists_code_and_tables():
    markdown = (
        "# T\n\n"
        "> first quoted paragraph\nlazy continuation\n>\n> second quoted paragraph\n\n"
        "- item one\n  continued\n- item two\n\n   more of item two\n\n"
        "Para.\n\n---\n\n"
        "```python\nx = 1\n```\n\n"
        "| Year | Ships |\n|---|---:|\n| 2024 | 12 |\n\n"
        "[ref]: https://x.example\n"
    )
    assert _blocks(_md(markdown))[1:] == [
        ("quote", 0, "first quoted paragraph lazy continuation"),
        ("quote", 0, "second quoted paragraph"),
        ("list-item", 0, "item one continued"),
        ("list-item", 0, "item two more of item two"),
        ("paragraph", 0, "Para."),
        ("paragraph", 0, "x = 1"),
        ("paragraph", 0, "Year | Ships"),
        ("paragraph", 0, "2024 | 12"),
    ]


def test_a_year_starting_a_line_does_not_start_a_list():
    draft = _md("# T\n\nThe plan was announced in\n2024. It was then delayed.")
    assert _blocks(draft)[1] == (
        "paragraph",
        0,
        "The plan was announced in 2024. It was then delayed.",
    )


def test_markdown_in_a_legacy_encoding_is_decoded():
    draft = load_bytes("# Café “Noël”\n\nPrix : 5 €.".encode("cp1252"), "draft.markdown")
    assert draft.meta.title == "Café “Noël”"
