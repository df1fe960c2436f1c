"""Bytes to text: byte-order marks, declared charsets, UTF-8, then the likeliest legacy code page.

A file with no mark and no declaration that is not UTF-8 was written in some legacy code page,
and every single-byte code page decodes every byte: which one was meant is a guess. We read it
in each code page people commonly write in (the platform's own first, then Windows-1252 and the
other Windows and Mac pages) and keep the reading that looks most like text, judged by
charset-normalizer's mess measure plus a check that words do not break their own case or mix
letters with symbols ("CafŽ", "co¹te"). When another code page reads it about as well but
differently, the guess is weak and the result says so, so the editor can choose.
"""

from __future__ import annotations

import codecs
import locale
import re
import unicodedata
from dataclasses import dataclass

from reviewapp.core.errors import BadInput

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels browsers read as windows-1252 (the WHATWG Encoding Standard does the same).
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}
_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_PRESCAN_BYTES = 4096  # browsers look at the first 1024; real pages put <meta> a bit later

# Legacy code pages in the order they are met in newsrooms' files: Western European, Central
# European, Cyrillic, Western with the euro, Mac Roman, Greek, Turkish. A reading
# scores best; an exact tie goes to the earlier page.
LEGACY_CODECS = ("cp1252", "cp1250", "cp1251", "iso8859_15", "mac_roman", "cp1253", "cp1254")
# What people call them, for the note that names the guess.
CODEC_NAMES = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "iso8859_15": "ISO-8859-15 (Western European with the euro)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "mac_roman": "Mac OS Roman",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
}
# A code page outside the common ones (charset-normalizer's pick, say cp775) must read the
# text clearly better to win: short Western text reads "well" in many obscure pages.
_UNCOMMON_PENALTY = 0.3
# No reading of real text scores this badly (text in the wrong code page scores about 1):
# data that does is not text in any code page we know.
_IMPLAUSIBLE = 2.0
# Two readings closer than this are a toss-up: the guess is weak.
_WEAK_MARGIN = 0.05
_WORD_EDGES = ".,;:!?\"'()[]{}<>«»“”‘’„‚‹›-–—…*_/"


@dataclass(frozen=True)
class Decoded:
    """Text and how it was read; rivals are code pages that read it about as well, differently."""

    text: str
    encoding: str  # the Python codec name, e.g. "cp1252"
    guessed: bool = False  # no mark, declaration or valid UTF-8 said which
    rivals: tuple[str, ...] = ()

    @property
    def weak(self) -> bool:
        return bool(self.rivals)

    def note(self, name: str) -> str:
        """One line for the editor when the guess is weak, else ''."""
        return doubt_note(name, self.encoding, self.rivals) if self.weak else ""


def doubt_note(name: str, codec: str, rivals: tuple[str, ...]) -> str:
    """'x.txt is not UTF-8; read as Windows-1252 (...), a guess: Windows-1250 (...) reads it
    about as well'; the CLI and the window each add how to choose another."""
    others = " or ".join(encoding_name(r) for r in rivals[:2])
    return (
        f"{name} is not UTF-8; read as {encoding_name(codec)}, a guess: {others} reads it "
        "about as well"
    )


def encoding_name(codec: str) -> str:
    """The name people know a codec by: "Windows-1252 (Western European)"."""
    return CODEC_NAMES.get(codec, codec)


def check_encoding(label: str) -> str:
    """The codec for an encoding the user named; BadInput naming the choices if unknown."""
    codec = codecs.lookup(label.strip()).name if _known(label) else None
    if codec is None or not _is_text_codec(codec):
        choices = ", ".join(["utf-8", *LEGACY_CODECS])
        raise BadInput(f"unknown text encoding {label.strip()!r}; try one of: {choices}")
    return codec


def _known(label: str) -> bool:
    try:
        codecs.lookup(label.strip())
    except LookupError:
        return False
    return bool(label.strip())


def _is_text_codec(codec: str) -> bool:
    """Python also calls base64 and zlib codecs; only those that turn bytes into str count."""
    try:
        return isinstance(b"a".decode(codec), str)
    except (UnicodeDecodeError, LookupError, TypeError):
        return False


def codec_for(label: str) -> str | None:
    """The Python codec for a charset label, or None if Python does not know it."""
    label = label.strip().strip("\"'").lower()
    if not label:
        return None
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_of_content_type(content_type: str) -> str:
    """The charset parameter of a Content-Type header, or ''."""
    match = _CHARSET_PARAM.search(content_type.encode("latin-1", "replace"))
    return match.group(1).decode("ascii") if match else ""


def declared_html_charset(data: bytes) -> str:
    """The charset a page declares in <meta charset>, http-equiv or its XML declaration."""
    head = data[:_PRESCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else ""


def bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def is_binary(data: bytes) -> bool:
    """True for data that is not text: a NUL byte anywhere in a file without a UTF-16/32 mark."""
    return bom_codec(data) in (None, "utf-8-sig") and b"\x00" in data


def _refuse_nul(text: str, name: str, what: str) -> str:
    """A NUL character decoded from UTF-16/32 is binary data too."""
    if "\x00" in text:
        raise BadInput(f"{name} is not {what}: it contains binary data (a NUL character)")
    return text


def _strict(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _platform_codec() -> str | None:
    """The platform's legacy code page (cp1251 on a Russian Windows), if it is not UTF-8."""
    codec = codec_for(locale.getpreferredencoding(False))
    return None if codec in (None, "utf-8", "ascii") else codec


def _implausible_words(text: str) -> float:
    """The share of words a wrong code page gives away (see _gives_away)."""
    words = [w for w in (raw.strip(_WORD_EDGES) for raw in text.split()) if w]
    return sum(map(_gives_away, words)) / len(words) if words else 0.0


def _gives_away(word: str) -> bool:
    """A symbol among letters ("co¹te") or a capital after small letters ("CafŽ"); a
    plain-ASCII word never counts against a reading."""
    if word.isascii():
        return False
    letters = [ch.isalpha() or unicodedata.category(ch) == "Mn" for ch in word]
    symbol_inside = any(letters) and any(
        not ok and ord(ch) > 127 for ch, ok in zip(word, letters, strict=True)
    )
    capital_inside = any(ch.isupper() for ch in word[1:]) and not word.isupper()
    return symbol_inside or capital_inside


def _score(text: str) -> float:
    """Lower is likelier text."""
    # charset-normalizer is imported by the guess, not with this module: the window's
    # encoding bar needs the names and codecs here at start, not the detector.
    from charset_normalizer.md import mess_ratio

    return mess_ratio(text, 1.0) + _implausible_words(text)


def detect(data: bytes) -> Decoded | None:
    """Read data of unknown legacy encoding in the likeliest code page; None if none fits."""
    platform = _platform_codec()
    common = list(dict.fromkeys([*([platform] if platform else []), *LEGACY_CODECS]))
    readings: list[tuple[float, int, str, str]] = []
    for order, codec in enumerate(common):
        text = _strict(data, codec)
        if text is not None:
            readings.append((_score(text), order, codec, text))
    # Multi-byte code pages (Shift-JIS, GB18030, ...) come from charset-normalizer.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding not in common:
        text = str(best)
        readings.append((_score(text) + _UNCOMMON_PENALTY, len(common), best.encoding, text))
    readings.sort(key=lambda r: (r[0], r[1]))
    if not readings or readings[0][0] > _IMPLAUSIBLE:
        return None
    score, _order, codec, text = readings[0]
    rivals = tuple(
        dict.fromkeys(c for s, _o, c, t in readings[1:] if t != text and s - score < _WEAK_MARGIN)
    )
    return Decoded(text, codec, guessed=True, rivals=rivals)


def decode_html(data: bytes, name: str, content_type: str = "") -> str:
    """Decode an HTML page: BOM, then the HTTP charset, then <meta charset>, then detection."""
    if is_binary(data):
        raise BadInput(f"{name} is not a web page: it contains binary data")
    declared = [codec_for(charset_of_content_type(content_type))]
    in_page = codec_for(declared_html_charset(data))
    # A page that can declare itself in ASCII is not UTF-16/32 (browsers read it as UTF-8).
    declared.append("utf-8" if in_page and in_page.startswith(("utf-16", "utf-32")) else in_page)
    for codec in [bom_codec(data), *declared, "utf-8"]:
        text = _strict(data, codec)
        if text is not None:
            return _refuse_nul(text.removeprefix("\ufeff"), name, "a web page")
    detected = detect(data)
    if detected is not None:
        return _refuse_nul(detected.text, name, "a web page")
    # A page that misdeclares a few bytes: read it as browsers do, with replacement marks.
    for codec in declared:
        if codec is not None:
            return _refuse_nul(data.decode(codec, errors="replace"), name, "a web page")
    raise BadInput(f"cannot tell the text encoding of {name}; save it as UTF-8 and try again")


def decode_text(data: bytes, name: str, charset: str = "", encoding: str = "") -> Decoded:
    """Decode a text or Markdown file: the encoding asked for, else a BOM, a declared
    charset, UTF-8, then the likeliest legacy code page (see the module's docstring)."""
    if is_binary(data):
        raise BadInput(f"{name} is not a text file: it contains binary data")
    if encoding:
        codec = check_encoding(encoding)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise BadInput(
                f"{name} is not {encoding_name(codec)}: byte {exc.start + 1:,} cannot be read "
                "in it; try another encoding"
            ) from exc
        return Decoded(_refuse_nul(text.removeprefix("\ufeff"), name, "a text file"), codec)
    for candidate in (bom_codec(data), codec_for(charset), "utf-8"):
        read = _strict(data, candidate)
        if read is not None and candidate is not None:
            return Decoded(_refuse_nul(read.removeprefix("\ufeff"), name, "a text file"), candidate)
    decoded = detect(data)
    if decoded is None:
        raise BadInput(f"cannot tell the text encoding of {name}; save it as UTF-8 and try again")
    _refuse_nul(decoded.text, name, "a text file")
    return decoded
