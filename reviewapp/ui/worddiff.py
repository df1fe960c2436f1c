"""Word-level differences between two wordings, as HTML: removed words struck out on the old
side, inserted words marked on the new side (used for claims and for changed passages)."""

from __future__ import annotations

import difflib
import html
import re

# Words, runs of space and single punctuation marks: "$4 billion," -> "$", "4", " ", ...
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")

# Explicit text colours with the tints, so both stay readable in light and dark palettes.
REMOVED_STYLE = "background-color:#f9d4d2; color:#7f1d1d; text-decoration:line-through;"
INSERTED_STYLE = "background-color:#cdeed3; color:#14532d; font-weight:600;"


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_ops(old: str, new: str) -> list[tuple[str, str, str]]:
    """(tag, old part, new part) runs; tag is equal, replace, delete or insert."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (tag, "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _side(old: str, new: str, use_old: bool) -> str:
    style = REMOVED_STYLE if use_old else INSERTED_STYLE
    out = []
    for tag, old_part, new_part in word_ops(old, new):
        part = html.escape(old_part if use_old else new_part)
        if tag == "equal" or not part:
            out.append(part)
        else:
            out.append(f'<span style="{style}">{part}</span>')
    return "".join(out)


def old_side_html(old: str, new: str) -> str:
    """The old wording with the words that went away struck out."""
    return _side(old, new, True)


def new_side_html(old: str, new: str) -> str:
    """The new wording with the words that came in marked."""
    return _side(old, new, False)


def changed_words(old: str, new: str) -> list[tuple[str, str]]:
    """(old words, new words) of every run that differs, for summaries and tests."""
    return [(o, n) for tag, o, n in word_ops(old, new) if tag != "equal"]
