"""Checks on what people type that every layer shares."""

from __future__ import annotations

import re

from reviewapp.core.errors import BadInput

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def check_one_line(value: str, what: str) -> None:
    """A person's name or email is one line of printable text: it is shown, signed, exported."""
    found = _CONTROL.search(value)
    if found:
        raise BadInput(
            f"the {what} holds a line break or another control character "
            f"({found.group()!r}); type it on one line"
        )
