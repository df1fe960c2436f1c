"""Captures: a source's response as fetched, kept as a WARC record with its SHA-256."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Extracted text shorter than this (characters) makes a 200 page "thin": a login or block
# wall, a cookie notice, a page built by scripts. A real article has thousands.
THIN_TEXT_CHARS = 200
_SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: str) -> bool:
    """Whether value is a SHA-256 in lower-case hex, as captures and the Markdown write it."""
    return bool(_SHA256.fullmatch(value))


@dataclass(frozen=True)
class Capture:
    """One capture of a source (the WARC bytes themselves stay in the store until asked)."""

    id: int
    review_id: int
    source_id: int
    url: str  # the address asked for
    final_url: str  # the address after redirects
    status: int
    content_type: str  # the Content-Type header as sent ("" if none)
    captured_at: str  # ISO 8601 UTC, e.g. "2026-12-04T14:50:00Z"
    sha256: str  # of the response body as received (the WARC payload), lower-case hex
    size: int  # bytes of that body
    thin: bool  # a 200 page with almost no text: likely a login or block wall
    record_id: str = ""  # the WARC-Record-ID of the response record, "<urn:uuid:...>"

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"

    @property
    def is_html(self) -> bool:
        return self.media_type in ("text/html", "application/xhtml+xml") or not self.media_type
