"""Markdown escaping, checked on thousands of random hostile strings in every context we use."""

from __future__ import annotations

import random

import pytest

from reviewapp.export import mdtext as md
from tests.test_export_support import inline_text, parser, table_rows, walk

# Every ASCII punctuation mark, digits, letters, spaces, tabs and line breaks, plus a few words
# that are dangerous as a whole.
ALPHABET = [
    *"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n0123456789abcXYZ",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "---",
    "```",
    "~~~",
    "1. ",
    "- ",
    "> ",
    "# ",
    "&amp;",
    "&#60;",
    "](javascript:x)",
    "<http://a.example>",
    "\r\n",
    "\u2028",
    "😀",
    "    ",
]


def _samples(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 24))) for _ in range(n)]


def _expected_lines(text: str) -> list[str]:
    return [line.replace("\t", " ") for line in md.lines_of(text)]


def _no_structure_but(tokens, allowed: set[str]) -> None:
    kinds = {t.type for t in walk(tokens)}
    assert kinds <= allowed, kinds - allowed


PARAGRAPH = {"paragraph_open", "paragraph_close", "inline", "text", "hardbreak", "softbreak"}


@pytest.mark.parametrize("seed", range(4))
def test_multiline_text_is_one_paragraph_with_the_same_lines(seed):
    for sample in _samples(300, seed):
        rendered = md.multiline(sample)
        if not rendered:
            assert not _expected_lines(sample)
            continue
        tokens = parser().parse(rendered)
        _no_structure_but(tokens, PARAGRAPH)
        (inline,) = [t for t in tokens if t.type == "inline"]
        assert inline_text(inline) == "\n".join(_expected_lines(sample)), repr(sample)


@pytest.mark.parametrize("seed", range(4))
def test_inline_text_stays_inside_a_list_item_and_a_heading(seed):
    for sample in _samples(300, seed):
        expected = " ".join(_expected_lines(sample))
        if not expected:
            continue
        note, title = md.multiline(sample, "  "), md.inline(sample)
        tokens = parser().parse(f"- **Note:** {note}\n\n## {title}")
        items = [t for t in tokens if t.type == "list_item_open"]
        heads = [t for t in tokens if t.type == "heading_open"]
        assert len(items) == 1 and len(heads) == 1, repr(sample)
        inlines = [inline_text(t) for t in tokens if t.type == "inline"]
        assert inlines == ["Note: " + "\n".join(_expected_lines(sample)), expected], repr(sample)


@pytest.mark.parametrize("seed", range(2))
def test_table_cells_keep_their_row_and_their_text(seed):
    samples = [s for s in _samples(300, seed) if _expected_lines(s)]
    table = ["| a | b |", "| --- | --- |"] + [f"| {md.cell(s)} | end |" for s in samples]
    rows = table_rows(parser().parse("\n".join(table)))
    assert len(rows) == len(samples)
    for row, sample in zip(rows, samples, strict=True):
        assert row == ["\n".join(_expected_lines(sample)), "end"], repr(sample)


def test_urls_become_links_only_when_they_are_plain_http():
    assert md.safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "https://",
        "https://a.example/a b",
        "http://a\n.example",
        "//a.example",
        "vbscript:x",
        "https://a.example/\x00",
    ):
        assert md.safe_url(bad) is None, bad
        tokens = walk(parser().parse(md.url_text(bad)))
        assert not [t for t in tokens if t.type in ("link_open", "html_inline")], bad


def test_link_destinations_survive_brackets_quotes_and_entities():
    url = 'https://a.example/p(1)?q="x"&amp;r=<y>`z`'
    tokens = walk(parser().parse(md.link("label", url)))
    (link,) = [t for t in tokens if t.type == "link_open"]
    assert link.attrs["href"] == "https://a.example/p%281%29?q=%22x%22&amp;r=%3Cy%3E%60z%60"


def test_code_spans_and_fences_outgrow_backticks_inside():
    tokens = walk(parser().parse("x " + md.code_span("a `` b ` c")))
    assert [t.content for t in tokens if t.type == "code_inline"] == ["a `` b ` c"]
    fence = md.fenced_block("run ``` this\n````", "sh")
    (block,) = parser().parse(fence)
    assert block.type == "fence" and block.content == "run ``` this\n````\n"
