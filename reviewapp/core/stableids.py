"""Stable short ids: the names a claim, source or takeaway keeps for life, wherever it goes.

A display number (claim 3) follows the text and changes when an earlier claim is added; a
database row id changes when a bundle is imported into a busy library. A stable id does
neither: it is made once, at random, when the item is created, and travels with the item in
bundles and W3C exports.

Shape: a letter for the kind, a hyphen, eight characters of Crockford's base32 in lower case
(``c-7k3m9q2a``): 40 random bits, short enough to type, no i, l, o or u to misread. A library
keeps each id unique (a UNIQUE index); across libraries 40 bits make a clash rare, and the
bundle importer gives a new id to the rare item whose id is already taken.
"""

from __future__ import annotations

import base64
import re
from enum import StrEnum

# Crockford's base32: digits and letters without i, l, o, u.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
LENGTH = 8
# What people type for what they read (Crockford's decoding): O for 0, I and L for 1.
_LOOKALIKES = str.maketrans({"o": "0", "i": "1", "l": "1"})
# RFC 4648's base32 digits (what base64.b32encode writes), digit for digit in Crockford's.
_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET.encode())


class IdKind(StrEnum):
    """What a stable id names; the value is its prefix letter."""

    CLAIM = "c"
    SOURCE = "s"
    TAKEAWAY = "t"

    @property
    def noun(self) -> str:
        return self.name.lower()


_SHAPE = re.compile(f"([{''.join(IdKind)}])-([{ALPHABET}]{{{LENGTH}}})")
# As people may type it: any case, with the lookalike letters; normalised before lookup.
_TYPED = re.compile(f"([a-z])-([0-9a-z]{{{LENGTH}}})", re.IGNORECASE)


def new_stable_id(kind: IdKind) -> str:
    """A fresh random id of this kind (the caller makes sure its library has no such id)."""
    # One draw of 40 bits, cut into eight base32 digits: a batch of 2,000 claims spent half
    # its time drawing each digit on its own.
    return new_stable_ids(kind, 1)[0]


def new_stable_ids(kind: IdKind, count: int) -> list[str]:
    """count fresh random ids of this kind (possibly repeating: the caller checks)."""
    # 40 random bits per id are exactly eight base32 digits: base64 cuts them (RFC 4648's
    # alphabet) and a translation table turns that alphabet into Crockford's, all in C; a
    # batch of 2,000 claims spent a tenth of its time cutting digits in Python.
    import secrets  # here, not at the top: with hmac and random, 1.7 ms of the window's start

    digits = base64.b32encode(secrets.token_bytes(5 * count)).translate(_TO_CROCKFORD).decode()
    prefix = f"{kind.value}-"
    return [prefix + digits[k : k + LENGTH] for k in range(0, LENGTH * count, LENGTH)]


def is_stable_id(value: object, kind: IdKind | None = None) -> bool:
    """True when value is a well-formed stable id (of this kind, when one is given)."""
    if not isinstance(value, str):
        return False
    match = _SHAPE.fullmatch(value)
    return match is not None and (kind is None or match.group(1) == kind.value)


def typed_stable_id(text: str) -> str | None:
    """The stable id a person typed (any case, O for 0, I or L for 1), or None when text does
    not have the shape of one. The kind letter is not checked here: see kind_of."""
    match = _TYPED.fullmatch(text.strip())
    if match is None:
        return None
    body = match.group(2).lower().translate(_LOOKALIKES)
    candidate = f"{match.group(1).lower()}-{body}"
    return candidate if _SHAPE.fullmatch(candidate) else None


def example_id(kind: IdKind) -> str:
    """An id of this kind as messages show one ("c-7k3m9q2a")."""
    return f"{kind.value}-7k3m9q2a"


def kind_of(stable_id: str) -> IdKind:
    """The kind a well-formed stable id names."""
    return IdKind(stable_id[0])


# SQL that makes one fresh id of a kind per evaluation (random() is drawn anew each call), for
# the migration that gives ids to rows made before stable ids existed.
def sql_new_stable_id(kind: IdKind) -> str:
    draws = " || ".join(f"substr('{ALPHABET}', (random() & 31) + 1, 1)" for _ in range(LENGTH))
    return f"'{kind.value}-' || {draws}"
