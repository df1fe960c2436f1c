"""Bytes to text: byte-order marks, declared charsets, then detection (charset-normalizer)."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

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


def detect(data: bytes) -> str | None:
    """Decode data of unknown legacy encoding with charset-normalizer; None if implausible."""
    results = list(from_bytes(data))
    if not results:
        return None
    best = min(results, key=lambda r: r.chaos)
    # Short Western text reads equally well in several single-byte code pages; when
    # windows-1252 is among the best candidates, prefer it (it is by far the most common).
    for result in results:
        if result.encoding == "cp1252" and result.chaos <= best.chaos + 0.001:
            best = result
            break
    return str(best)


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
    text = detect(data)
    if text is not None:
        return _refuse_nul(text, name, "a web page")
    # A page that misdeclares a few bytes: read it as browsers do, with replacement marks.
    for codec in declared:
        if codec is not None:
            return _refuse_nul(data.decode(codec, errors="replace"), name, "a web page")
    raise BadInput(f"cannot tell the text encoding of {name}; save it as UTF-8 and try again")


def decode_text(data: bytes, name: str, charset: str = "") -> str:
    """Decode a text or Markdown file: BOM, a declared charset, UTF-8, then detection."""
    if is_binary(data):
        raise BadInput(f"{name} is not a text file: it contains binary data")
    for codec in (bom_codec(data), codec_for(charset), "utf-8"):
        text = _strict(data, codec)
        if text is not None:
            return _refuse_nul(text.removeprefix("\ufeff"), name, "a text file")
    text = detect(data)
    if text is None:
        raise BadInput(f"cannot tell the text encoding of {name}; save it as UTF-8 and try again")
    return _refuse_nul(text, name, "a text file")
