"""YAML front matter written by hand (every value a double-quoted scalar or a plain integer),
and read back from our own exports."""

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


_YAML_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "0": "\0", "/": "/"}
_YAML_ESCAPE_RE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def _yaml_unquote(value: str) -> str:
    value = value.strip()
    if len(value) < 2 or not (value[0] == value[-1] == '"'):
        return value

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "xuU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _YAML_ESCAPES.get(code, code)

    return _YAML_ESCAPE_RE.sub(unescape, value[1:-1])


def front_matter_fields(markdown: bytes) -> dict[str, str]:
    """The ``key: "value"`` lines of the leading ``---`` block (as our exports write them)."""
    lines = markdown.decode("utf-8", errors="replace").split("\n")
    if not lines or lines[0] != "---":
        return {}
    fields: dict[str, str] = {}
    for line in lines[1:]:
        if line == "---":
            break
        key, sep, value = line.partition(":")
        if sep and re.fullmatch(r"[a-z][a-z0-9_]*", key):
            fields[key] = _yaml_unquote(value)
    return fields
