"""Getting drafts in: fetch (http with hard limits), extract (trafilatura), file readers."""

from reviewapp.ingest.extract import extract_html
from reviewapp.ingest.fetch import FetchCancelled, FetchedPage, fetch
from reviewapp.ingest.settings import ACCEPTED, IngestSettings
from reviewapp.ingest.sources import load_bytes, load_file, load_pasted_text, load_source

__all__ = [
    "ACCEPTED",
    "FetchCancelled",
    "FetchedPage",
    "IngestSettings",
    "extract_html",
    "fetch",
    "load_bytes",
    "load_file",
    "load_pasted_text",
    "load_source",
]
