"""Markdown drafts: a small block parser (headings, paragraphs, lists, quotes) and inline stripping.

Not a full CommonMark implementation: it keeps the text of every construct and drops the
markup, which is all the text model needs. Code blocks and table rows become paragraphs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reviewapp.core.text import normalize_inline

Part = tuple[str, str, int]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_OPEN = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_ITEM = re.compile(r"^([ \t]*)([-*+•]|(\d{1,9})[.)])(?:[ \t]+|$)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_TABLE_CELL_RULE = re.compile(r":?-+:?")

# Every inline pattern is linear in its text: no pattern can scan past the next delimiter of
# its own kind, so an unclosed opener costs one scan to that delimiter, not to the end of the
# text (an unclosed emphasis run of 128 KB took 105 s with ".+?" bodies).
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BACKTICKS = re.compile(r"`+")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+|[^<>\s@]+@[^<>\s]+)>")
_IMAGE = re.compile(r"!\[([^\[\]]*)\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\])")
_LINK = re.compile(r"\[([^\[\]]+)\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\])")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = (
    re.compile(r"(\*\*\*)(?=[^\s*])([^*]+?)(?<=\S)\*\*\*"),
    re.compile(r"(___)(?=[^\s_])([^_]+?)(?<=\S)___"),
    re.compile(r"(\*\*)(?=[^\s*])([^*]+?)(?<=\S)\*\*"),
    re.compile(r"(__)(?=[^\s_])([^_]+?)(?<=\S)__"),
    re.compile(r"(\*)(?=[^\s*])([^*]+?)(?<=\S)\*"),
    re.compile(r"(?<!\w)(_)(?=[^\s_])([^_]+?)(?<=\S)_(?!\w)"),
    re.compile(r"(~~)(?=[^\s~])([^~]+?)(?<=\S)~~"),
)
_HOLD = re.compile(r"\x00(\d+)\x00")


def inline_text(text: str) -> str:
    """Markdown inline markup removed: emphasis, links (their text), code backticks, tags."""
    held: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return f"\x00{len(held) - 1}\x00"

    text = text.replace("\x00", "").replace("\\\n", "\n")
    text = _ESCAPE.sub(lambda m: hold(m.group(1)), text)
    text = _code_spans(text, lambda code: hold(_code_content(code)))
    text = _AUTOLINK.sub(lambda m: hold(m.group(1)), text)
    text = _without_comments(text)
    text = _IMAGE.sub(r"\1", text)
    for _ in range(4):  # links may hold emphasis and the other way round
        before = text
        text = _LINK.sub(r"\1", text)
        for pattern in _EMPHASIS:
            text = pattern.sub(r"\2", text)
        if text == before:
            break
    text = _HTML_TAG.sub("", text)
    text = html.unescape(text)
    return _HOLD.sub(lambda m: held[int(m.group(1))], text)


def _code_spans(text: str, replace: Callable[[str], str]) -> str:
    """Code spans replaced: a run of backticks closes at the next run of the same length.

    One pass over the runs, right to left, finds each run's closer: linear in the text.
    """
    runs = list(_BACKTICKS.finditer(text))
    closer: list[int | None] = [None] * len(runs)
    next_of_length: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i].end() - runs[i].start()
        closer[i] = next_of_length.get(length)
        next_of_length[length] = i
    pieces: list[str] = []
    position, i = 0, 0
    while i < len(runs):
        j = closer[i]
        if j is None:
            i += 1
            continue
        pieces += [text[position : runs[i].start()], replace(text[runs[i].end() : runs[j].start()])]
        position = runs[j].end()
        i = j + 1
    pieces.append(text[position:])
    return "".join(pieces)


def _without_comments(text: str) -> str:
    """HTML comments removed; an unclosed one is left as it is (no later one can close)."""
    pieces: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        pieces.append(text[position:start])
        position = end + 3
    pieces.append(text[position:])
    return "".join(pieces)


def _atx_heading(line: str) -> tuple[int, str] | None:
    """Level and text of an ATX heading line (# Title ##), else None; linear in the line."""
    match = _ATX_OPEN.match(line)
    if match is None:
        return None
    content = line[match.end() :].rstrip(" \t")
    without_closing = content.rstrip("#")
    if not without_closing or without_closing[-1] in " \t":
        content = without_closing.rstrip(" \t")
    return len(match.group(1)), content


def _is_table_rule(line: str) -> bool:
    """A table's delimiter row: cells of dashes with optional colons (| --- | :-: |)."""
    inner = line.strip(" \t")
    inner = inner.removeprefix("|").removesuffix("|")
    cells = [cell.strip(" \t") for cell in inner.split("|")]
    return all(_TABLE_CELL_RULE.fullmatch(cell) for cell in cells)


def _code_content(code: str) -> str:
    # CommonMark strips one space from each side of a code span when both sides have one.
    if len(code) > 2 and code[0] == " " and code[-1] == " " and code.strip():
        return code[1:-1]
    return code


@dataclass
class _Open:
    """The block being gathered: its kind, heading level and raw lines."""

    kind: str
    lines: list[str] = field(default_factory=list)
    level: int = 0
    table: bool = False


class _Parser:
    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.open: _Open | None = None
        self.fence = ""
        self.blank_before = False

    def flush(self) -> None:
        block, self.open = self.open, None
        if block is None:
            return
        if block.kind == "code":
            self.parts.append(("paragraph", " ".join(block.lines), 0))
        else:
            self.parts.append((block.kind, inline_text("\n".join(block.lines)), block.level))

    def start(self, kind: str, line: str, level: int = 0) -> None:
        self.flush()
        self.open = _Open(kind, [line], level)

    def feed(self, line: str) -> None:
        if self.fence:
            if line.strip().startswith(self.fence) and not line.strip().strip(self.fence[0]):
                self.fence = ""
                self.flush()
            elif self.open is not None:
                self.open.lines.append(line)
            return
        blank = not line.strip()
        self._line(line, blank)
        self.blank_before = blank

    def _line(self, line: str, blank: bool) -> None:
        block = self.open
        if blank:
            # A list item continues past a blank line if the next line is indented.
            if block is None or block.kind != "list-item":
                self.flush()
            return
        if block is not None and block.kind == "list-item" and self.blank_before:
            if line.startswith(("  ", "\t")) and not _ITEM.match(line):
                block.lines.append(line)
                return
            self.flush()
            block = None
        if match := _FENCE.match(line):
            self.flush()
            self.open = _Open("code", [])
            self.fence = match.group(1)
            return
        if heading := _atx_heading(line):
            self.start("heading", heading[1], heading[0])
            self.flush()
            return
        if block is not None and block.kind == "paragraph" and not block.table:
            if (match := _SETEXT.match(line)) and not block.table:
                block.kind, block.level = "heading", 1 if match.group(1)[0] == "=" else 2
                self.flush()
                return
            if "|" in block.lines[-1] and len(block.lines) == 1 and _is_table_rule(line):
                self._table_row(block.lines[0])
                self.open = _Open("paragraph", table=True)
                return
        if _RULE.match(line):
            self.flush()
            return
        if block is not None and block.table:
            if "|" in line:
                self._table_row(line)
                return
            self.flush()
            block = None
        if match := _QUOTE.match(line):
            self._quote_line(line[match.end() :])
            return
        if match := _ITEM.match(line):
            number = match.group(3)
            interrupts = block is None or block.kind != "paragraph"
            if interrupts or number in (None, "1"):
                self.start("list-item", line[match.end() :])
                return
        if block is None and _REFERENCE.match(line):
            return  # a link reference definition: its text is not part of the article
        if block is None:
            self.start("paragraph", line)
        else:  # a continuation line, or a lazy one after a quote or list item
            block.lines.append(line)

    def _quote_line(self, content: str) -> None:
        block = self.open
        if not content.strip():
            self.flush()  # a blank quoted line separates quoted paragraphs
            return
        heading = _atx_heading(content)
        item = _ITEM.match(content)
        if heading:
            self.start("quote", heading[1])
        elif item:
            self.start("quote", content[item.end() :])
        elif block is not None and block.kind == "quote":
            block.lines.append(content)
        else:
            self.start("quote", content)

    def _table_row(self, line: str) -> None:
        cells = [inline_text(c.strip()) for c in line.strip().strip("|").split("|")]
        text = " | ".join(c for c in cells if c)
        if text:
            self.parts.append(("paragraph", text, 0))


def markdown_parts(text: str) -> tuple[list[Part], str]:
    """Blocks of a Markdown text and its title: the first heading, else the first line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _without_front_matter(lines)
    parser = _Parser()
    for line in lines:
        parser.feed(line)
    parser.flush()
    parts = [p for p in parser.parts if normalize_inline(p[1])]
    headings = [p for p in parts if p[0] == "heading"]
    if headings:
        title = normalize_inline(headings[0][1])
    else:
        first = next((line for line in lines if line.strip()), "")
        title = normalize_inline(inline_text(_ITEM.sub("", _QUOTE.sub("", first))))
    return parts, title


def _without_front_matter(lines: list[str]) -> list[str]:
    """Drop a YAML front-matter block (--- ... ---) at the very top."""
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return lines[i + 1 :]
    return lines
