"""JSON from a file nobody vouches for, parsed within bounds and refused with one line.

Python's json module accepts what JSON does not (NaN, Infinity, a repeated key: the last one
wins), turns a 100,000-deep nesting into RecursionError and a 5,000-digit number into
ValueError, and lets lone surrogates ("\\ud800") through into strings that cannot be written
anywhere. Parsed objects also take far more memory than their text: "{}," is 3 bytes and a
72-byte dict. ``load_bounded`` refuses all of that with BadInput before it costs more than a
bounded multiple of the input.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Callable
from typing import Any

from reviewapp.core.errors import BadInput

# Every JSON value but the first in an array or object follows a comma, and every container
# opens with a bracket: together they bound the number of values (counted inside strings too,
# so the bound is generous; a review has a few dozen per claim). Measured at this bound: a
# million empty objects 125 MB, a million one-key objects 257 MB, one object with a million
# keys 348 MB; with 54 MB of text beside them, 600 MB.
MAX_VALUES = 2_000_000
MAX_DEPTH = 32
MAX_INT_DIGITS = 19  # SQLite's integers end at 2**63-1, a 19-digit number

# A \u escape of a high surrogate not followed by a low one, or of a low one not preceded by a
# high one. It also matches an escaped backslash before "ud800" (text, not an escape), so
# what it finds is confirmed on the parsed strings.
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F]"
)

Fail = Callable[[str], BadInput]


def load_bounded(
    content: bytes, fail: Fail, max_values: int = MAX_VALUES, max_depth: int = MAX_DEPTH
) -> Any:
    """The JSON value in content (UTF-8, no BOM); fail(reason) builds the BadInput raised."""
    if content.startswith(codecs.BOM_UTF8):
        raise fail("it starts with a byte-order mark; save it as UTF-8 without one")
    values = content.count(b",") + content.count(b"[") + content.count(b"{")
    if values > max_values:
        raise fail(f"it has more than {max_values:,} values, far more than any review holds")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"it is not UTF-8 text (byte {exc.start} cannot be read)") from exc
    # Strict UTF-8 decoding lets no surrogate through: only a \u escape can make one.
    escaped_surrogates = _LONE_SURROGATE_ESCAPE.search(text) is not None
    value = _parse(text, fail, max_depth)
    del text  # the decoded copy can be as large as everything parsed from it
    _check_depth(value, fail, max_depth)
    if escaped_surrogates:
        _check_no_lone_surrogate(value, fail)
    return value


def _parse(text: str, fail: Fail, max_depth: int) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=lambda pairs: _object(pairs, fail),
            parse_int=lambda digits: _int(digits, fail),
            parse_float=lambda digits: _float(digits, fail),
            parse_constant=lambda name: _constant(name, fail),
        )
    except json.JSONDecodeError as exc:
        raise fail(f"it is not JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise fail(f"it nests deeper than {max_depth} levels") from exc


def _object(pairs: list[tuple[str, Any]], fail: Fail) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise fail(f"the key {ascii(_repeated_key(pairs))[:40]} appears twice in one object")
    return obj


def _repeated_key(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""


def _int(digits: str, fail: Fail) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise fail(f"it holds a number of {len(digits)} digits, larger than any id or offset")
    return int(digits)


def _float(digits: str, fail: Fail) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise fail(f"it holds {digits[:20]}, a number too large for any field")
    return value


def _constant(name: str, fail: Fail) -> Any:
    raise fail(f"it holds {name}, which JSON does not allow")


def _check_depth(root: Any, fail: Fail, max_depth: int) -> None:
    """No container deeper than max_depth (the root is at depth 1)."""
    level = [root]
    for _ in range(max_depth):
        level = [
            child
            for value in level
            if isinstance(value, dict | list)
            for child in (value.values() if isinstance(value, dict) else value)
        ]
    if any(isinstance(value, dict | list) for value in level):
        raise fail(f"it nests deeper than {max_depth} levels")


def _check_no_lone_surrogate(root: Any, fail: Fail) -> None:
    """No string or key holds half a surrogate pair (json.loads joins the halves of a pair)."""
    try:
        json.dumps(root, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise fail("a string holds half of a UTF-16 surrogate pair, which is not text") from exc
