"""A review's captures as one WARC file: a warcinfo record, then each capture's records.

The store keeps each capture as gzip members, one a record (ingest/capture.py), so a .warc.gz
is the warcinfo member followed by those bytes unchanged: the records in the file are the ones
the signed Markdown lists by SHA-256. An uncompressed .warc inflates them.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Mapping

from reviewapp import APP_NAME, __version__
from reviewapp.core.model import ReviewData
from reviewapp.export.common import article_title, article_url

WARC_VERSION = "1.1"


def _inflate_members(data: bytes) -> bytes:
    """Every gzip member of data, inflated (the library's own records, already bounded)."""
    out: list[bytes] = []
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out.append(inflater.decompress(data))
        data = inflater.unused_data
    return b"".join(out)


def warcinfo_record(data: ReviewData, filename: str, compressed: bool) -> bytes:
    """The warcinfo record that opens the file: what made it and what it holds."""
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compressed, warc_version=WARC_VERSION)
    info = {
        "software": f"{APP_NAME} {__version__} (warcio)",
        "format": f"WARC File Format {WARC_VERSION}",
        "description": (
            f"Captures of the sources of review {data.review.id}: "
            f"{article_title(data)} <{article_url(data)}>"
        ),
        "isPartOf": f"{APP_NAME}-review-{data.review.id}",
    }
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return out.getvalue()


def render_warc(
    data: ReviewData, records: Mapping[int, bytes], filename: str = "", compressed: bool = True
) -> bytes:
    """The WARC file of the review's captures (records: capture id -> stored WARC bytes), in
    the order of data.captures; compressed gives a .warc.gz (one gzip member a record)."""
    parts = [warcinfo_record(data, filename, compressed)]
    for capture in data.captures:
        stored = records.get(capture.id)
        if stored is not None:
            parts.append(stored if compressed else _inflate_members(stored))
    return b"".join(parts)
