"""YAML front matter written by hand: every value a double-quoted scalar or a plain integer."""

from __future__ import annotations

import re

_NAMED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0"}
# Characters YAML does not allow unescaped (C0/C1 controls, DEL, BOM, non-characters) and the
# Unicode line separators, which a YAML reader would treat as line breaks.
_UNSAFE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]')


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"


def yaml_string(value: str) -> str:
    """value as a YAML double-quoted scalar that no content can break out of."""
    return '"' + _UNSAFE.sub(_escape, value) + '"'


def front_matter(fields: list[tuple[str, str | int]]) -> str:
    """A '---' delimited block; keys are fixed identifiers, values strings or integers."""
    lines = ["---"]
    for key, value in fields:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise ValueError(f"not a front matter key: {key!r}")
        rendered = str(value) if isinstance(value, int) else yaml_string(value)
        lines.append(f"{key}: {rendered}")
    lines.append("---")
    return "\n".join(lines)
