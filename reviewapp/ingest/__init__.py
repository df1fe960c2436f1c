"""Getting drafts in: fetch (http with hard limits), extract (trafilatura), file readers.

Entry points, shared by the CLI and the GUI; each returns an ImportedDraft or raises
BadInput (FetchError for the network) with a one-line message:

- load_source(source, settings, cancel): an http(s) URL or a file path
- load_bytes(data, name, content_type, url, settings): drag-and-drop, downloads
- load_pasted_text(text, html): the clipboard
"""

from reviewapp.ingest.extract import extract_html
from reviewapp.ingest.fetch import FetchCancelled, FetchedPage, fetch
from reviewapp.ingest.settings import INPUT_KINDS, IngestSettings
from reviewapp.ingest.sources import load_bytes, load_file, load_pasted_text, load_source

__all__ = [
    "INPUT_KINDS",
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
