"""Capturing a source: fetch its address within the app's limits, keep the response as WARC
records in the library, and read a capture back offline. The CLI and the GUI both call these.

Fetching and building the record (``fetch_capture``) touch no store, so the GUI runs them on
its task pool; ``store_capture`` is one short transaction.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.captures import Capture
from reviewapp.core.errors import BadInput, ReviewLocked
from reviewapp.core.model import Source, utc_now
from reviewapp.core.states import ReviewStatus
from reviewapp.ingest.capture import (
    CaptureRecord,
    build_capture,
    page_text,
    read_capture,
    thin_page,
)
from reviewapp.ingest.fetch import fetch_response
from reviewapp.ingest.settings import DEFAULT_SETTINGS, IngestSettings
from reviewapp.store import ReviewStore

# What a capture may inflate to when read back (a bundle's or this library's).
MAX_READ_BYTES = 64 * 1024 * 1024


def capturable_url(store: ReviewStore, source: Source) -> str:
    """The source's address, once its review may take a capture; BadInput or ReviewLocked."""
    review = store.review(source.review_id)
    if review.status == ReviewStatus.SIGNED_OFF:
        raise ReviewLocked(f"review {review.id} is signed off; reopen it before capturing a source")
    if not source.url.strip():
        raise BadInput(f"the source {source.title or source.id!s} has no URL to capture")
    return source.url.strip()


def fetch_capture(
    url: str,
    settings: IngestSettings = DEFAULT_SETTINGS,
    cancel: threading.Event | None = None,
) -> CaptureRecord:
    """Fetch url and build its WARC records; a failure raises FetchError (nothing kept).
    A 200 HTML page whose extracted text is tiny is kept but flagged thin."""
    captured_at = utc_now()
    response = fetch_response(url, settings, cancel)
    media_type = response.content_type.split(";")[0].strip().lower()
    thin = media_type in ("", "text/html", "application/xhtml+xml") and thin_page(
        response.status, response.decoded, response.content_type, response.final_url, settings
    )
    return build_capture(response, captured_at, thin)


def store_capture(store: ReviewStore, source_id: int, record: CaptureRecord) -> Capture:
    """Keep a fetched capture of the source (one transaction); returns it with its id."""
    return store.add_capture(source_id, record.capture, record.warc)


def capture_source(
    store: ReviewStore,
    source_id: int,
    settings: IngestSettings = DEFAULT_SETTINGS,
    cancel: threading.Event | None = None,
) -> Capture:
    """Fetch and keep a capture of the source: the CLI's whole operation."""
    url = capturable_url(store, store.source(source_id))
    return store_capture(store, source_id, fetch_capture(url, settings, cancel))


def describe(capture: Capture) -> str:
    """One line about a capture, as the CLI prints it and the GUI shows it."""
    thin = "; THIN: almost no text (a login or block page?)" if capture.thin else ""
    where = capture.final_url
    if capture.final_url != capture.url:
        where += f" (from {capture.url})"
    kind = capture.media_type or "no content type"
    return (
        f"captured {where} at {capture.captured_at}: HTTP {capture.status}, {kind}, "
        f"{capture.size:,} bytes, SHA-256 {capture.sha256}{thin}"
    )


# ---------------------------------------------------------------------- reading a capture
@dataclass(frozen=True)
class CaptureReading:
    """A capture read back offline: its extracted text, and the body to open as a file."""

    capture: Capture
    text: str  # "" for a PDF or a page with no text
    body: bytes  # content coding undone
    suffix: str  # ".html", ".pdf", ".txt" or ".bin", for the file the system viewer opens


_SUFFIXES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "text/markdown": ".md",
}


def read_capture_text(
    capture: Capture, warc: bytes, settings: IngestSettings = DEFAULT_SETTINGS
) -> CaptureReading:
    """The capture's text (trafilatura on the stored bytes: nothing is fetched) and body."""
    stored = read_capture(warc, MAX_READ_BYTES)
    body = stored.decoded(MAX_READ_BYTES)
    try:
        text = page_text(body, stored.content_type, stored.target_uri, settings)
    except BadInput:  # too big to read as text, or does not decode: there is still the file
        text = ""
    suffix = _SUFFIXES.get(capture.media_type, ".html" if capture.is_html else ".bin")
    return CaptureReading(capture, text, body, suffix)


def write_capture_file(reading: CaptureReading, folder: Path | None = None) -> Path:
    """Write the captured body to a new file for the system viewer; returns its path."""
    with tempfile.NamedTemporaryFile(
        prefix=f"capture-{reading.capture.id}-",
        suffix=reading.suffix,
        dir=folder,
        delete=False,
    ) as handle:
        handle.write(reading.body)
    return Path(handle.name)
