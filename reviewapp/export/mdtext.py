"""Escaping user text for CommonMark/GFM so that no input can change the document's structure.

The rules (checked by tests that parse the output with markdown-it):
- inline specials (backslash, backtick, ``* _ [ ] | ~ $``) get a backslash; ``< > &`` become
  entities, so ``<script>`` or an HTML comment is only ever text;
- a line that could open a block (``#``, ``>``, ``-``, ``+``, ``=``, ``1.``, ``1)``) has its
  first marker character escaped, so it stays paragraph text;
- newlines become hard line breaks (or ``<br>`` in table cells), never blank lines.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# ASCII punctuation that means something inline anywhere in a line (GFM adds ~ and |;
# GitHub reads $...$ as maths).
_INLINE = re.compile(r"([\\`*_\[\]|~$])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ENTITY_RE = re.compile(r"[&<>]")
# What may open a block at the start of a line: ATX heading, list items, setext underline
# (">" is an entity by then). Leading whitespace has already been stripped.
_BLOCK_START = re.compile(r"^(?:(?P<mark>[#+=-])|(?P<digits>\d{1,9})(?P<delim>[.)])(?=\s|$))")
# A run of "#" at the end of a line, after a space, would close an ATX heading and vanish.
_CLOSING_HASHES = re.compile(r"(?<=\s)#(?=#*\s*$)")
_NEWLINES = re.compile(r"\r\n?|[\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters other than newline and tab have no business in a text export.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def lines_of(text: str) -> list[str]:
    """The non-blank lines of text, each stripped; every kind of line break counts."""
    text = _CONTROL.sub("", _NEWLINES.sub("\n", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


def escape_inline(text: str) -> str:
    """Escape one line of user text so that it renders as exactly that text."""
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], text)
    # A tab inside text is harmless, but at the start it could make an indented code block.
    text = text.replace("\t", " ")
    text = _CLOSING_HASHES.sub(r"\\#", text)
    match = _BLOCK_START.match(text)
    if match:
        if match.group("mark"):
            text = "\\" + text
        else:
            end = match.end("digits")
            text = text[:end] + "\\" + text[end:]
    return text


def inline(text: str) -> str:
    """User text on a single line (headings, labels): line breaks become spaces."""
    return escape_inline(" ".join(lines_of(text)))


def multiline(text: str, indent: str = "") -> str:
    """User text that keeps its line breaks as hard breaks; indent continues a list item."""
    lines = [escape_inline(line) for line in lines_of(text)]
    return ("\\\n" + indent).join(lines)


def cell(text: str) -> str:
    """User text in a GFM table cell: pipes escaped, line breaks as <br>."""
    return "<br>".join(escape_inline(line) for line in lines_of(text))


def code_span(text: str) -> str:
    """Text as a code span, with a fence longer than any backtick run inside it."""
    text = " ".join(lines_of(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced_block(text: str, info: str = "") -> str:
    """Text as a fenced code block, with a fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def safe_url(url: str) -> str | None:
    """The URL if it is a plain http(s) URL we are willing to link to, else None."""
    url = url.strip()
    if not url or _CONTROL.search(url) or _NEWLINES.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link_destination(url: str) -> str:
    """A checked URL made safe as a Markdown link destination (no spaces, brackets, quotes)."""
    # Percent-encode only what Markdown would misread; everything else keeps its meaning.
    dest = quote(url, safe="!#$%&'*+,/:;=?@~-._" + "[]")
    # "&name;" would be decoded as an entity inside a destination; a backslash keeps it literal.
    return re.sub(r"&(?=#?[A-Za-z0-9]+;)", r"\\&", dest)


def link(text: str, url: str) -> str:
    """A link to url labelled with text, or the escaped text and URL when the URL is unsafe."""
    label = inline(text) if text.strip() else inline(url)
    checked = safe_url(url)
    if checked is None:
        # Shown, never linked: the reader sees what was stored and nothing is clickable.
        shown_apart = text.strip() and url.strip() and text.strip() != url.strip()
        return f"{label} ({inline(url)})" if shown_apart else label
    return f"[{label}]({link_destination(checked)})"


def url_text(url: str) -> str:
    """A URL shown as itself: a link when it is safe http(s), else escaped plain text."""
    return link(url, url)
