"""Plain-text drafts: the first line is the title, paragraphs by blank lines or by lines."""

from __future__ import annotations

import re

from reviewapp.core.errors import BadInput
from reviewapp.core.text import normalize_inline

Part = tuple[str, str, int]

_BULLET = re.compile(r"^\s*[-*•]\s+")


def text_parts(text: str, name: str) -> tuple[list[Part], str]:
    """Blocks and title of a plain text; raises BadInput when it has no text at all.

    The first non-empty line is the title and the first block (a heading). If the text has
    blank lines, they separate paragraphs (wrapped lines are joined); otherwise each line
    is a paragraph. Lines starting with "- ", "* " or "• " are list items.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise BadInput(f"{name} has no text")
    title = normalize_inline(lines[0])
    rest = lines[1:]
    parts: list[Part] = [("heading", title, 1)]
    if any(not line.strip() for line in rest):
        for group in _groups(rest):
            parts.extend(_group_parts(group))
    else:
        parts.extend(_line_part(line) for line in rest)
    return parts, title


def _groups(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _group_parts(group: list[str]) -> list[Part]:
    """Wrapped lines joined; a bullet line starts a list item that later lines continue."""
    parts: list[Part] = []
    for line in group:
        if _BULLET.match(line):
            parts.append(("list-item", _BULLET.sub("", line), 0))
        elif parts:
            kind, text, level = parts[-1]
            parts[-1] = (kind, f"{text} {line}", level)
        else:
            parts.append(("paragraph", line, 0))
    return parts


def _line_part(line: str) -> Part:
    if _BULLET.match(line):
        return ("list-item", _BULLET.sub("", line), 0)
    return ("paragraph", line, 0)
