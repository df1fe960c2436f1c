"""The text model: blocks, one canonical text, its hash, and code-point/UTF-16 conversion.

All offsets in reviewapp are Unicode code points into the canonical text (the W3C rule).
Qt counts UTF-16 code units; ``Utf16Map`` is the one place that converts between the two.
"""

from __future__ import annotations

import bisect
import hashlib
import pickle
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

BLOCK_SEPARATOR = "\n\n"
BLOCK_KINDS = ("heading", "paragraph", "list-item", "quote")

_WHITESPACE = re.compile(r"\s+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def normalize_inline(text: str) -> str:
    """NFC-normalise and collapse every run of whitespace to one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    start: int
    end: int
    level: int = 0

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"kind": self.kind, "text": self.text}
        if self.level:
            data["level"] = self.level
        return data


@dataclass(frozen=True)
class Document:
    """An extracted article: its blocks and the canonical text they make."""

    text: str
    blocks: tuple[Block, ...]

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def blocks_json(self) -> list[dict[str, object]]:
        return [b.to_json() for b in self.blocks]

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its blocks in pieces of BLOCKS_PER_PIECE, each a pickle of its own: a
        worker process (workflows/workers.py) sends drafts back to the window, and unpickling
        10,000 blocks in one call holds the GIL 20-40 ms (a stall of the GUI thread); between
        two short calls the GUI thread can have it."""
        pieces = [
            pickle.dumps(self.blocks[i : i + BLOCKS_PER_PIECE], pickle.HIGHEST_PROTOCOL)
            for i in range(0, len(self.blocks), BLOCKS_PER_PIECE)
        ]
        return (_unpickled_document, (self.text, pieces))


BLOCKS_PER_PIECE = 500  # ~1 ms to unpickle


def _unpickled_document(text: str, pieces: list[bytes]) -> Document:
    """The Document that Document.__reduce__ pickled (from our own worker process only)."""
    blocks: list[Block] = []
    for piece in pieces:
        blocks.extend(pickle.loads(piece))
    return Document(text, tuple(blocks))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_document(parts: Iterable[tuple[str, str] | tuple[str, str, int]]) -> Document:
    """Make a Document from (kind, text[, level]) parts; empty parts are dropped."""
    blocks: list[Block] = []
    offset = 0
    for part in parts:
        kind, raw = part[0], part[1]
        level = part[2] if len(part) > 2 else 0
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        text = normalize_inline(raw)
        if not text:
            continue
        if blocks:
            offset += len(BLOCK_SEPARATOR)
        blocks.append(Block(kind, text, offset, offset + len(text), int(level)))
        offset += len(text)
    return Document(BLOCK_SEPARATOR.join(b.text for b in blocks), tuple(blocks))


# Documents rebuilt from stored JSON, keyed by their whole content (the text and every
# block): reopening a review reuses its Document instead of normalising a long article
# again (18 ms for 100,000 words). Documents are frozen, so sharing one is safe.
_DOCUMENTS: dict[tuple[str, tuple[tuple[str, str, int], ...]], Document] = {}
_DOCUMENTS_KEPT = 8


def document_from_json(text: str, blocks: list[dict[str, Any]]) -> Document:
    """Rebuild a Document from stored block JSON, checking it matches the stored text.

    The values are decoded JSON (Any): each is converted here, and a wrong one raises."""
    parts = tuple((str(b["kind"]), str(b["text"]), int(b.get("level", 0) or 0)) for b in blocks)
    key = (text, parts)
    doc = _DOCUMENTS.get(key)
    if doc is None:
        doc = build_document(parts)
        if doc.text != text:
            raise ValueError("stored blocks do not match the stored text")
        if len(_DOCUMENTS) >= _DOCUMENTS_KEPT:
            _DOCUMENTS.pop(next(iter(_DOCUMENTS)))  # the oldest first
        _DOCUMENTS[key] = doc
    return doc


class Utf16Map:
    """Converts offsets between code points (storage) and UTF-16 units (Qt) for one text."""

    def __init__(self, text: str):
        # Code-point indexes of characters outside the BMP: each takes two UTF-16 units.
        # A regex scan is ~50x faster than a Python loop over a 100,000-word article.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_utf16 = [i + n for n, i in enumerate(self._astral)]
        self._length = len(text)

    @property
    def same_as_codepoints(self) -> bool:
        """The text has no character outside the BMP: both kinds of offset are the same."""
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def to_codepoint(self, offset: int) -> int:
        # Astral characters before this UTF-16 offset; a position inside a surrogate pair
        # rounds down to the character's start.
        n = bisect.bisect_left(self._astral_utf16, offset)
        if n and self._astral_utf16[n - 1] + 1 == offset:
            return self._astral[n - 1]
        return offset - n


# Maps of the texts shown lately, keyed by the text itself: the GUI builds the map of a review
# it is about to show on its reading thread (~4 ms for 100,000 words), and the article view
# then finds it here. A text object's hash is computed once and kept by Python.
_UTF16_MAPS: dict[str, Utf16Map] = {}
_UTF16_MAPS_KEPT = 4


def utf16_map(text: str) -> Utf16Map:
    """The Utf16Map of text, from a small cache of the texts mapped lately."""
    found = _UTF16_MAPS.get(text)
    if found is None:
        found = Utf16Map(text)
        if len(_UTF16_MAPS) >= _UTF16_MAPS_KEPT:
            _UTF16_MAPS.pop(next(iter(_UTF16_MAPS)), None)  # the oldest first
        _UTF16_MAPS[text] = found
    return found
