"""HTML drafts through trafilatura: article blocks, metadata, charsets, and paste."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import trafilatura

from reviewapp.core.errors import BadInput
from reviewapp.core.text import BLOCK_SEPARATOR
from reviewapp.ingest import extract_html, load_bytes, load_pasted_text, load_source

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ARTICLE = FIXTURES / "article_with_comments.html"


@pytest.fixture(scope="module")
def article():
    return load_source(str(ARTICLE))


def test_reader_comments_are_not_part_of_the_article(article):
    assert "READER COMMENT" not in article.document.text
    assert "SunnyDays" not in article.document.text
    assert "3 comments" not in article.document.text


def test_navigation_and_footer_are_left_out(article):
    assert "All rights reserved" not in article.document.text
    assert "Sport" not in article.document.text


def test_metadata_is_kept(article):
    meta = article.meta
    assert meta.title == "Riverside council approves rooftop solar plan"
    assert meta.authors == ["Mara Lindqvist"]
    assert meta.site == "The Riverside Courier"
    assert meta.published == "2024-03-14"
    assert meta.canonical_url == "https://courier.example/news/2024/03/rooftop-solar-plan"
    assert meta.description.startswith("The council voted 7 to 2")


def test_headings_lists_and_quotes_become_blocks_of_their_kind(article):
    kinds = [(b.kind, b.level, b.text[:30]) for b in article.document.blocks]
    assert kinds[0] == ("heading", 1, "Riverside council approves roo")
    assert ("heading", 2, "How the money will be raised") in kinds
    assert ("heading", 3, "Opposition concerns") in kinds
    items = [b.text for b in article.document.blocks if b.kind == "list-item"]
    assert items == [
        "Schools will be fitted first, starting in the summer holidays.",
        "The library and the sports hall follow in the second year.",
        "Administrative offices come last, in the fourth year.",
    ]
    quotes = [b.text for b in article.document.blocks if b.kind == "quote"]
    assert quotes == [
        "We are not waiting for someone else to solve this for us, the mayor told the meeting."
    ]


def test_the_title_is_the_first_block_once(article):
    texts = [b.text for b in article.document.blocks]
    assert texts.count(article.meta.title) == 1
    assert article.document.text.startswith(article.meta.title + BLOCK_SEPARATOR)


def test_wrapped_source_lines_make_one_block_with_single_spaces(article):
    first = article.document.blocks[1]
    assert first.text.startswith("The Riverside town council voted seven to two")
    assert "  " not in first.text and "\n" not in first.text


def test_offsets_of_blocks_point_into_the_canonical_text(article):
    for block in article.document.blocks:
        assert article.document.text[block.start : block.end] == block.text


def test_raw_html_bytes_are_kept_for_re_extraction(article):
    assert article.raw == ARTICLE.read_bytes()
    assert article.raw_type == "text/html"
    again = load_bytes(article.raw, "again.html", article.raw_type)
    assert again.document.text == article.document.text


def test_the_importer_names_trafilatura_and_its_version(article):
    assert article.importer == f"trafilatura {trafilatura.__version__}"
    assert article.source_name == "article_with_comments.html"


def test_a_relative_og_url_is_resolved_against_the_page_url():
    draft = extract_html(
        (FIXTURES / "emoji_combining.html").read_bytes(), url="https://forum.example/news/1"
    )
    assert draft.meta.canonical_url == "https://forum.example/forum/emoji-reactions"
    assert draft.meta.url == "https://forum.example/news/1"
    assert draft.meta.site == "forum.example"


def test_a_cp1252_page_declared_in_meta_is_decoded():
    draft = load_source(str(FIXTURES / "cp1252.html"))
    assert draft.meta.title == "Le café du port ferme ses portes"
    text = draft.document.text
    assert "« Chez Léa »" in text and "2,50 €" in text and "“Nous avons tout essayé”" in text
    assert "\ufffd" not in text


def test_the_http_charset_wins_over_the_meta_charset():
    raw = (FIXTURES / "cp1252.html").read_bytes().replace(b"windows-1252", b"utf-8")
    draft = load_bytes(raw, "page", "text/html; charset=windows-1252")
    assert "Après quarante ans" in draft.document.text
    assert draft.raw_type == "text/html; charset=windows-1252"


def test_an_undeclared_legacy_page_is_detected():
    raw = (FIXTURES / "cp1252.html").read_bytes()
    raw = raw.replace(
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', b""
    )
    draft = load_bytes(raw, "page.html")
    assert "propriétaire, qui part à la retraite" in draft.document.text


def test_emoji_and_combining_characters_survive_as_nfc_code_points():
    draft = load_source(str(FIXTURES / "emoji_combining.html"))
    text = draft.document.text
    assert unicodedata.is_normalized("NFC", text)
    assert "Café Nouveau" in text and "Cafe\u0301" not in text
    for emoji in ("🎉", "👍", "🇳🇱", "🚀"):
        assert emoji in text
    rocket = text.index("🚀")
    assert text[rocket : rocket + 1] == "🚀"  # one code point, not two UTF-16 units
    for block in draft.document.blocks:
        assert text[block.start : block.end] == block.text


def test_a_page_with_nothing_to_extract_is_refused():
    with pytest.raises(BadInput, match=r"no article text found in nothing_to_extract\.html"):
        load_source(str(FIXTURES / "nothing_to_extract.html"))


def test_a_string_of_html_is_accepted_and_stored_as_utf8():
    html = ARTICLE.read_text("utf-8").replace("Riverside town council", "Riverside town council ✓")
    draft = extract_html(html, url="https://courier.example/x")
    assert "Riverside town council ✓" in draft.document.text
    assert draft.raw == html.encode("utf-8")
    assert draft.raw_type == "text/html; charset=utf-8"


def test_a_table_row_becomes_one_paragraph():
    html = ARTICLE.read_text("utf-8").replace(
        "<h3>Opposition",
        "<table><tr><th>Year</th><th>Buildings</th></tr><tr><td>2025</td><td>12</td></tr></table>"
        "<h3>Opposition",
    )
    draft = extract_html(html)
    texts = [b.text for b in draft.document.blocks]
    assert "Year | Buildings" in texts and "2025 | 12" in texts


# ---------------------------------------------------------------------- paste
def test_pasted_html_keeps_its_structure():
    html = (
        "<meta charset='utf-8'><h2>Budget vote</h2><p>The council approved the budget on Monday "
        "after a long debate about the new library.</p><ul><li>Taxes stay flat.</li>"
        "<li>Fees rise.</li></ul>"
    )
    draft = load_pasted_text("Budget vote\nThe council approved ...", html)
    assert [(b.kind, b.text) for b in draft.document.blocks] == [
        ("heading", "Budget vote"),
        (
            "paragraph",
            "The council approved the budget on Monday after a long debate about the new library.",
        ),
        ("list-item", "Taxes stay flat."),
        ("list-item", "Fees rise."),
    ]
    assert draft.meta.title == "Budget vote"
    assert draft.raw == html.encode("utf-8")
    assert draft.source_name == "paste"


def test_pasted_plain_text_follows_the_text_rules():
    draft = load_pasted_text("Headline here\n\nFirst paragraph\nwrapped.\n\n- a point\n")
    assert [(b.kind, b.text) for b in draft.document.blocks] == [
        ("heading", "Headline here"),
        ("paragraph", "First paragraph wrapped."),
        ("list-item", "a point"),
    ]
    assert draft.importer == "text" and draft.raw_type.startswith("text/plain")


def test_pasted_html_with_no_article_falls_back_to_the_pasted_text():
    draft = load_pasted_text("Only words\nin the paste", "<div><script>x()</script></div>")
    assert draft.meta.title == "Only words"
    assert draft.importer == "text"


@pytest.mark.parametrize("text, html", [("", ""), ("  \n\t", ""), ("", "<script>x()</script>")])
def test_an_empty_paste_is_refused(text: str, html: str):
    with pytest.raises(BadInput):
        load_pasted_text(text, html)


def test_html_over_the_size_cap_is_refused():
    from reviewapp.ingest import IngestSettings

    with pytest.raises(BadInput, match="over the 1 KB limit"):
        extract_html(ARTICLE.read_bytes(), settings=IngestSettings(max_bytes=1024))
