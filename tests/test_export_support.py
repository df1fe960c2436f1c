"""Helpers shared by the export tests: a review full of hostile text, and readers for the output.

Holds no tests itself; the test_export_* modules import from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document
from reviewapp.store import ReviewStore

# Text an editor (or a pasted article) could contain that would break naive Markdown.
HOSTILE = (
    "pipe | in | cells",
    "`code` and ``double`` ticks",
    "*star* _under_ [link](javascript:alert(1)) ![img](x.png)",
    "# heading at the start",
    "---",
    "> a quote marker",
    "- a list item",
    "1. a numbered item",
    "<script>alert('x')</script>",
    "<!-- an HTML comment -->",
    "&amp; entity &copy; and & alone",
    "trailing backslash \\",
    "=== setext line",
    "~~~ tilde fence",
    "[ref]: https://evil.example/ref",
    "$x$ maths and 5$ prices",
    "emoji 😀 and astral 𝔘 text",
    "<https://autolink.example>",
)

MULTILINE_NOTE = (
    "First line of the note.\n# not a heading\n- not a list\n\n1. not numbered\n"
    "> not a quote\n---\n<script>bad()</script>\n    indented code?\n|a|b|"
)
HOSTILE_TITLE = 'A "title": with --- and\n# newline <script>x</script> | pipe'
ARTICLE_PARAGRAPHS = [
    "Amazon has committed $4 billion to the startup, the draft says.",
    *(f"Paragraph with {h} inside it." for h in HOSTILE),
    "The model offers 99.9% reliability according to the company.",
]


def add_hostile_article(store: ReviewStore, url: str = "javascript:alert(document.cookie)") -> int:
    """An article whose title, URL and paragraphs are hostile; returns its review id."""
    doc = build_document(
        [("heading", "Headline of the draft", 1)] + [("paragraph", p) for p in ARTICLE_PARAGRAPHS]
    )
    meta = ArticleMeta(
        title=HOSTILE_TITLE,
        authors=["Writer | One", "*Two*"],
        site="Site <b>News</b>",
        url=url,
        canonical_url="",
        published="2026-11-20",
    )
    raw = doc.text.encode()
    return store.add_article(ImportedDraft(doc, meta, raw, "text/plain", "test", "hostile.txt"))


@dataclass
class HostileReview:
    review_id: int
    quotes: list[str]  # the quote of claim 1, 2, ... in number order


def build_hostile_review(store: ReviewStore) -> HostileReview:
    """A review with a claim on every hostile passage and hostile notes, sources, takeaways."""
    review_id = add_hostile_article(store)
    store.set_review(review_id, reviewer="Ada <ada@example.org> | *Editor*")
    store.set_review(review_id, verdict="publish-with-corrections")
    first = store.add_claim_by_quote(
        review_id,
        "has committed $4 billion",
        status="false",
        note=MULTILINE_NOTE,
        correction="has invested $8 billion",
    )
    claims = [first]
    for n, hostile in enumerate(HOSTILE):
        status = ("verified", "partly-true", "unverifiable", "opinion", "unchecked")[n % 5]
        claims.append(
            store.add_claim_by_quote(
                review_id,
                hostile,
                status=status,
                note=f"note about {hostile}\nsecond line {hostile}",
                correction=hostile if n % 3 == 0 else "",
            )
        )
    # A claim that spans two paragraphs: its quote holds a paragraph break.
    text = store.revision(store.review(review_id).revision_id).text
    start = text.index("the draft says.")
    end = text.index("Paragraph with pipe") + len("Paragraph with")
    spanning = store.add_claim_at(review_id, start, end, status="verified")
    claims.append(spanning)
    claims.append(store.add_claim_by_quote(review_id, "99.9% reliability", status="unverifiable"))

    store.add_source(
        review_id,
        claim_ids=[claims[0].id, claims[1].id],
        url="https://example.org/report?a=1&b=(2)",
        title="Report | *2026* <script>x</script>",
        publisher="Publisher # One",
        author="- Author",
        published="2026-01-02",
        accessed_at="2026-11-27",
        archive_url="https://web.archive.org/web/20260101120000/https://example.org/report",
        archive_date="2026-01-01",
        kind="primary",
        credibility="credible",
        note=MULTILINE_NOTE,
    )
    store.add_source(
        review_id,
        claim_ids=[claims[1].id],
        url="https://evil.example/a b)<script>alert(1)</script>",
        title="javascript:alert(1)",
        note="> quoted note",
    )
    store.add_source(review_id, claim_ids=[spanning.id], title="Only a title, no URL")
    store.update_claim(claims[2].id, source_override="Common knowledge | see *notes*\n# really")
    for kind, text_ in (
        ("summary", MULTILINE_NOTE),
        ("concern", "--- concern"),
        ("follow-up", "<!-- follow up -->"),
    ):
        store.add_takeaway(review_id, text_, kind=kind)
    data = store.load_review(review_id)
    return HostileReview(review_id, [c.quote for c in data.claims])


# ---------------------------------------------------------------------- reading Markdown
def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def split_front_matter(markdown: str) -> tuple[str, str]:
    """(front matter lines, body); the file must start with a '---' delimited block."""
    assert markdown.startswith("---\n"), "no front matter at the start"
    end = markdown.index("\n---\n", 4)
    return markdown[4:end], markdown[end + 5 :]


_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "0": "\0", "/": "/"}


def read_front_matter(block: str) -> dict[str, Any]:
    """A strict reader for the YAML subset we write: key: "double quoted" | integer."""
    values: dict[str, Any] = {}
    for line in block.split("\n"):
        match = re.fullmatch(r'([a-z][a-z0-9_]*): (?:(-?\d+)|"((?:[^"\\]|\\.)*)")', line)
        assert match, f"not a strict front matter line: {line!r}"
        key, number, string = match.groups()
        assert key not in values, f"duplicate key {key}"
        if number is not None:
            values[key] = int(number)
            continue
        values[key] = re.sub(
            r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|.)",
            lambda m: (
                chr(int(m.group(1)[1:], 16))
                if m.group(1)[0] in "xu" and len(m.group(1)) > 1
                else _ESCAPES[m.group(1)]
            ),
            string,
        )
    return values


def inline_text(token: Token) -> str:
    """The text a reader sees in an inline token: breaks as newlines, HTML tags dropped."""
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and child.content.lower().startswith("<br")
        ):
            out.append("\n")
    return "".join(out)


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    return [
        (int(tok.tag[1]), inline_text(tokens[i + 1]))
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


def walk(tokens: list[Token]) -> list[Token]:
    """Every token, inline children included."""
    out = []
    for tok in tokens:
        out.append(tok)
        out.extend(tok.children or [])
    return out


def table_rows(tokens: list[Token]) -> list[list[str]]:
    """Cell texts of every body row of every table."""
    rows: list[list[str]] = []
    in_body = False
    for i, tok in enumerate(tokens):
        if tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tbody_close":
            in_body = False
        elif in_body and tok.type == "tr_open":
            rows.append([])
        elif in_body and tok.type == "td_open":
            rows[-1].append(inline_text(tokens[i + 1]))
    return rows


def section_tokens(tokens: list[Token], title: str, level: int) -> list[Token]:
    """The tokens after the heading with this text, up to the next heading of level <= level."""
    start = None
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open":
            continue
        tok_level = int(tok.tag[1])
        if start is not None and tok_level <= level:
            return tokens[start:i]
        if start is None and tok_level == level and inline_text(tokens[i + 1]) == title:
            start = i + 3
    assert start is not None, f"no heading {title!r}"
    return tokens[start:]


def blockquote_texts(tokens: list[Token]) -> list[str]:
    """The text of every top-level blockquote: its paragraphs joined by blank lines."""
    quotes: list[str] = []
    depth = 0
    paragraphs: list[str] = []
    for tok in tokens:
        if tok.type == "blockquote_open":
            depth += 1
            if depth == 1:
                paragraphs = []
        elif tok.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                quotes.append("\n\n".join(paragraphs))
        elif depth and tok.type == "inline":
            paragraphs.append(inline_text(tok))
    return quotes
