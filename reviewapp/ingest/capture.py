"""A fetched response as WARC records (warcio), and reading such records back.

The record is what a web archive would keep: a ``response`` record holding the HTTP status
line, the headers and the body as received (see ``fetch.FetchedResponse``: content coding
kept, transfer coding undone), and a ``request`` record with what this app sent. Digests are
SHA-256 (``WARC-Payload-Digest`` over the body as received, ``WARC-Block-Digest`` over
headers and body), written base32 as warcio and pywb write them. Header bytes are kept as
received too, those over 0x7F included (see ``_received_headers``). Each record is one gzip
member, so a review's captures concatenated after a warcinfo record are a valid .warc.gz.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from reviewapp.core.captures import THIN_TEXT_CHARS, Capture
from reviewapp.core.errors import BadInput
from reviewapp.ingest.fetch import FetchedResponse
from reviewapp.ingest.settings import DEFAULT_SETTINGS, IngestSettings

WARC_VERSION = "1.1"
# zlib level 1: a 5 MB page compresses in 48 ms (level 6: 320 ms, warcio's level 9 more) to
# 1.27 MB instead of 0.90 MB; a capture must store well within a second (bench_capture.py).
_GZIP_LEVEL = 1
_READ_CHUNK = 1024 * 1024
# A page with this much text outside tags (scripts and styles left out) is no login or block
# wall, whatever trafilatura would make of it: measured, stripping tags from 5 MB takes 30 ms,
# trafilatura 5.4 s. Smaller pages are extracted and judged by their article text.
_PLENTY_OF_TEXT = 20_000
_MARKUP = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>")


def _writer(out: io.BytesIO) -> Any:
    from warcio.utils import Digester
    from warcio.warcwriter import WARCWriter

    class Sha256Writer(WARCWriter):
        @staticmethod
        def _create_digester() -> Any:
            return Digester("sha256")

    return Sha256Writer(out, gzip=False, warc_version=WARC_VERSION)


@functools.cache
def _received_headers_class() -> Any:
    from warcio.statusandheaders import StatusAndHeaders

    class ReceivedHeaders(StatusAndHeaders):
        """Written as the bytes received, where warcio would percent-encode (RFC 8187) any
        header that is not ASCII."""

        def compute_headers_buffer(self, header_filter: Any = None) -> None:
            text = self.to_str(header_filter) + "\r\n"
            try:
                self.headers_buff = text.encode("iso-8859-1")
            except UnicodeEncodeError:  # not from http.client: nothing was received as bytes
                self.headers_buff = text.encode("utf-8")

    return ReceivedHeaders


def _received_headers(
    statusline: str, headers: list[tuple[str, str]], protocol: str = "", request: bool = False
) -> Any:
    """A status line and headers that the WARC writer writes byte for byte as received.

    http.client decodes the status line and every header line as ISO-8859-1, one character a
    byte, so encoding them back as ISO-8859-1 gives the very bytes the server sent (0xE9 stays
    0xE9, a UTF-8 "é" stays C3 A9). Reading back, warcio decodes a line as UTF-8 when it is
    valid UTF-8 and as ISO-8859-1 otherwise."""
    return _received_headers_class()(
        statusline, headers, protocol=protocol, is_http_request=request
    )


def warc_digest(data: bytes) -> str:
    """A WARC digest value for data: "sha256:" + base32, as warcio writes it."""
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


def gzip_member(data: bytes) -> bytes:
    """data as one gzip member (a .warc.gz holds one member per record)."""
    packer = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@dataclass(frozen=True)
class CaptureRecord:
    """What a capture keeps: the WARC bytes and the facts the review lists about them."""

    capture: Capture  # id, review and source are 0 until stored
    warc: bytes  # request + response records, each a gzip member


def build_capture(response: FetchedResponse, captured_at: str, thin: bool) -> CaptureRecord:
    """The WARC records of a fetched response; captured_at is ISO 8601 UTC ("...Z")."""
    out = io.BytesIO()
    writer = _writer(out)
    http_headers = _received_headers(
        f"{response.status} {response.reason}".strip(),
        list(response.headers),
        protocol=response.http_version,
    )
    record = writer.create_warc_record(
        response.final_url,
        "response",
        payload=io.BytesIO(response.body),
        length=len(response.body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Date": captured_at,
            "WARC-Payload-Digest": warc_digest(response.body),
        },
    )
    writer.write_record(record)
    response_bytes = out.getvalue()
    record_id = record.rec_headers.get_header("WARC-Record-ID")

    out = io.BytesIO()
    writer = _writer(out)
    request_headers = _received_headers(
        f"GET {response.request_target} HTTP/1.1", list(response.request_headers), request=True
    )
    request = writer.create_warc_record(
        response.final_url,
        "request",
        http_headers=request_headers,
        warc_headers_dict={"WARC-Date": captured_at, "WARC-Concurrent-To": record_id},
    )
    writer.write_record(request)
    capture = Capture(
        id=0,
        review_id=0,
        source_id=0,
        url=response.url,
        final_url=response.final_url,
        status=response.status,
        content_type=response.content_type,
        captured_at=captured_at,
        sha256=hashlib.sha256(response.body).hexdigest(),
        size=len(response.body),
        thin=thin,
        record_id=record_id,
    )
    return CaptureRecord(capture, gzip_member(response_bytes) + gzip_member(out.getvalue()))


# ---------------------------------------------------------------------- reading back
@dataclass(frozen=True)
class StoredResponse:
    """The response record of a capture, read back."""

    target_uri: str
    date: str
    record_id: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # as received (content coding kept)
    payload_digest: str  # the record's WARC-Payload-Digest

    def header(self, name: str) -> str:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), "")

    @property
    def content_type(self) -> str:
        return self.header("Content-Type")

    def decoded(self, max_bytes: int) -> bytes:
        """The body with its content coding undone, at most max_bytes."""
        return decode_content(self.body, self.header("Content-Encoding"), max_bytes)


def gunzip_members(data: bytes, max_bytes: int) -> bytes:
    """All gzip members of data inflated, refusing more than max_bytes (a bomb stays small).
    Data that is not gzip is returned as it is (a .warc file)."""
    if not data.startswith(b"\x1f\x8b"):
        if len(data) > max_bytes:
            raise BadInput(f"the WARC data is larger than {max_bytes:,} bytes")
        return data
    parts: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk = inflater.decompress(rest, max_bytes - size + 1)
            size += len(chunk)
            if size > max_bytes or inflater.unconsumed_tail:
                raise BadInput(f"the WARC data inflates to more than {max_bytes:,} bytes")
            parts.append(chunk)
            if not inflater.eof:
                raise BadInput("the WARC data is cut short (a gzip member does not end)")
            rest = inflater.unused_data
    except zlib.error as exc:
        raise BadInput(f"the WARC data is not valid gzip ({exc})") from exc
    return b"".join(parts)


def decode_content(body: bytes, encoding: str, max_bytes: int) -> bytes:
    """body with a gzip or deflate content coding undone, at most max_bytes."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise BadInput(f"the capture's body has a content coding this app cannot read ({encoding})")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise BadInput(f"the capture's {encoding} body does not decompress ({exc})") from exc
    if len(out) > max_bytes:
        raise BadInput(f"the capture's body inflates to more than {max_bytes:,} bytes")
    return out


def read_records(data: bytes, max_bytes: int) -> list[tuple[dict[str, str], bytes, Any]]:
    """Every WARC record of data (gzip or not): (WARC headers, payload as stored, http
    headers or None). Each record's digests are checked as it is read: a record whose bytes
    do not match its own WARC-Block-Digest or WARC-Payload-Digest raises BadInput naming it."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    plain = gunzip_members(data, max_bytes)
    records = []
    number = 0
    try:
        for record in ArchiveIterator(io.BytesIO(plain), check_digests="raise"):
            number += 1
            if record.format != "warc":  # warcio also reads old ARC files, and junk as ARC
                raise BadInput(f"record {number} is not a WARC record")
            headers = dict(record.rec_headers.headers)
            try:
                payload = record.raw_stream.read()
            except ArchiveLoadFailed as exc:
                name = headers.get("WARC-Record-ID", "")
                raise BadInput(
                    f"WARC record {number} {name} {headers.get('WARC-Target-URI', '')}: "
                    f"its bytes do not match its digest ({exc})"
                ) from exc
            records.append((headers, payload, record.http_headers))
    except ArchiveLoadFailed as exc:
        raise BadInput(f"not a readable WARC file after record {number} ({exc})") from exc
    return records


def response_digests(handle: BinaryIO) -> Iterator[tuple[int, dict[str, str], str]]:
    """Stream a WARC file (gzip or not): for each response record, its number in the file,
    its WARC headers and the SHA-256 (hex) of its body as stored, read in chunks so that no
    record is held whole. A record whose bytes do not match its own digests, or a file that
    does not parse, raises BadInput naming the record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    headers: dict[str, str] = {}
    try:
        for record in ArchiveIterator(handle, check_digests="raise"):
            number += 1
            if record.format != "warc":  # warcio also reads old ARC files, and junk as ARC
                raise BadInput(f"not a readable WARC file: record {number} is not a WARC record")
            headers = dict(record.rec_headers.headers)
            digest = hashlib.sha256()
            while chunk := record.raw_stream.read(_READ_CHUNK):
                digest.update(chunk)
            if headers.get("WARC-Type") == "response":
                yield number, headers, digest.hexdigest()
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
        name = f"{headers.get('WARC-Record-ID', '')} ({headers.get('WARC-Target-URI', '')})"
        if "digest" in str(exc):
            raise BadInput(f"record {number} {name}: its bytes do not match its digest") from exc
        raise BadInput(f"not a readable WARC file at record {number + 1} ({exc})") from exc
    if number == 0:
        raise BadInput("not a readable WARC file: it holds no WARC record")


def read_capture(warc: bytes, max_bytes: int) -> StoredResponse:
    """The response record among a capture's records."""
    for headers, payload, http in read_records(warc, max_bytes):
        if headers.get("WARC-Type") != "response" or http is None:
            continue
        return StoredResponse(
            target_uri=headers.get("WARC-Target-URI", ""),
            date=headers.get("WARC-Date", ""),
            record_id=headers.get("WARC-Record-ID", ""),
            status=int(http.get_statuscode() or 0),
            headers=tuple((str(k), str(v)) for k, v in http.headers),
            body=payload,
            payload_digest=headers.get("WARC-Payload-Digest", ""),
        )
    raise BadInput("the capture holds no WARC response record")


# ---------------------------------------------------------------------- text of a capture
def page_text(
    decoded: bytes, content_type: str, url: str, settings: IngestSettings = DEFAULT_SETTINGS
) -> str:
    """The readable text of a captured page: trafilatura's extraction of HTML (nothing is
    fetched: no images, scripts or styles), the text of a text file; "" when there is none
    (a PDF, an image, a page with no article text). A page too large or too slow to read
    within the import's bounds raises BadInput."""
    from reviewapp.ingest.bounds import run_within
    from reviewapp.ingest.decoding import decode_html

    media_type = content_type.split(";")[0].strip().lower()
    if media_type in ("text/plain", "text/markdown", "text/x-markdown"):
        return decode_html(decoded, url, content_type)
    if media_type and media_type not in ("text/html", "application/xhtml+xml"):
        return ""
    return run_within(
        settings.max_seconds,
        lambda: _html_text(decoded, content_type, url, settings),
        f"reading the capture of {url}",
    )


def _html_text(decoded: bytes, content_type: str, url: str, settings: IngestSettings) -> str:
    from reviewapp.ingest.bounds import check_html_elements
    from reviewapp.ingest.decoding import decode_html
    from reviewapp.ingest.extract import extract_html

    # Too many elements is refused (BadInput) before extraction: such a page is no tiny wall.
    check_html_elements(decode_html(decoded, url, content_type), url, settings.max_elements)
    try:
        draft = extract_html(decoded, url, settings, content_type=content_type)
    except BadInput:  # the page reads but holds no article text: nothing to show
        return ""
    return draft.document.text


def thin_page(
    status: int,
    decoded: bytes,
    content_type: str,
    url: str,
    settings: IngestSettings = DEFAULT_SETTINGS,
) -> bool:
    """Whether a fetched HTML page is thin (see is_thin). A page with plenty of text, or too
    large or too complex to read within the bounds, is not called thin: no wall is that big."""
    if not 200 <= status < 300:
        return False
    try:
        from reviewapp.ingest.decoding import decode_html

        markup = decode_html(decoded, url, content_type)
    except BadInput:  # binary under an HTML label: there is no text at all
        return True
    outside = _MARKUP.sub(" ", markup)
    if len(outside) - outside.count(" ") >= _PLENTY_OF_TEXT:
        return False
    try:
        return is_thin(status, page_text(decoded, content_type, url, settings))
    except BadInput:
        return False


def is_thin(status: int, text: str) -> bool:
    """A 200 page whose text is tiny: most likely a login, paywall or block page."""
    return 200 <= status < 300 and len(text.strip()) < THIN_TEXT_CHARS
