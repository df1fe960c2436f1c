"""The one place where import limits and trafilatura's extraction options live."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewapp import __version__
from reviewapp.core.userfiles import human_size

# File name endings the importer reads, and the reader each one goes to.
EXTENSIONS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
}
ACCEPTED = ".html .htm .txt .md .markdown .docx"

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Media types (without parameters) and the reader each one goes to.
MEDIA_TYPES: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    DOCX_TYPE: "docx",
}
RAW_TYPES: dict[str, str] = {
    "html": "text/html",
    "text": "text/plain",
    "markdown": "text/markdown",
    "docx": DOCX_TYPE,
}


@dataclass(frozen=True)
class IngestSettings:
    """Limits for fetching and reading, and how trafilatura extracts an article."""

    timeout: float = 20.0  # hard overall deadline for a fetch: connect + all redirects + body
    max_bytes: int = 20 * 1024 * 1024  # largest download or file we read
    max_redirects: int = 5
    # Bounds on reading what was fetched or opened (see ingest/bounds.py for how they were chosen):
    max_seconds: float = 10.0  # hard deadline for extracting the text of one draft
    max_elements: int = 30_000  # HTML elements in a page (real articles: under 2,000)
    max_unpacked: int = 64 * 1024 * 1024  # bytes a .docx may inflate to, counted as inflated
    max_paragraphs: int = 50_000  # paragraphs in a .docx (a 300-page book has ~10,000)
    user_agent: str = f"reviewapp/{__version__} (+editorial review tool)"
    # trafilatura: fast=True skips the readability/jusText fallbacks; the benchmark
    # (benchmarks/bench_import.py) finds it as accurate on news pages and a third faster.
    fast: bool = True
    include_tables: bool = True
    favor_precision: bool = False
    favor_recall: bool = False

    def __post_init__(self) -> None:
        from reviewapp.core.errors import BadInput

        if not self.timeout > 0:
            raise BadInput(f"the fetch timeout must be more than 0 seconds, not {self.timeout:g}")
        if self.max_bytes <= 0:
            raise BadInput(f"the size limit must be more than 0 bytes, not {self.max_bytes}")
        if self.max_redirects < 0:
            raise BadInput(f"the redirect limit cannot be negative ({self.max_redirects})")
        if not 0 < self.max_seconds <= 3600:
            raise BadInput(
                "the time limit must be more than 0 and at most 3600 seconds, "
                f"not {self.max_seconds:g}"
            )
        for label, value in (
            ("element limit", self.max_elements),
            ("unpacked size limit", self.max_unpacked),
            ("paragraph limit", self.max_paragraphs),
        ):
            if value <= 0:
                raise BadInput(f"the {label} must be more than 0, not {value}")

    def trafilatura_options(self) -> dict[str, Any]:
        """Keyword arguments for trafilatura.bare_extraction."""
        return {
            "include_comments": False,  # reader comments are never part of the draft
            "with_metadata": True,
            "include_tables": self.include_tables,
            "include_images": False,
            "include_links": False,
            "include_formatting": False,
            "fast": self.fast,
            "favor_precision": self.favor_precision,
            "favor_recall": self.favor_recall,
        }


DEFAULT_SETTINGS = IngestSettings()


__all__ = [
    "ACCEPTED",
    "DEFAULT_SETTINGS",
    "EXTENSIONS",
    "MEDIA_TYPES",
    "RAW_TYPES",
    "IngestSettings",
    "human_size",
]
