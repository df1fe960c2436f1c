"""Getting drafts in: fetch (http with hard limits), extract (trafilatura), file readers."""

from reviewapp.ingest.extract import extract_html
from reviewapp.ingest.settings import IngestSettings

__all__ = ["IngestSettings", "extract_html"]
