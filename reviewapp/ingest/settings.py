"""The one place where the accepted kinds of file, import limits and trafilatura's extraction
options live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from reviewapp import __version__
from reviewapp.core.userfiles import human_size


@dataclass(frozen=True)
class InputKind:
    """A kind of file the importer reads: its name for people, its endings, its reader."""

    label: str  # as it reads inside a sentence: "plain text"
    reader: str  # html | text | markdown | docx
    extensions: tuple[str, ...]  # lower case, with the dot


# The one list of accepted files. The file dialogs' filter, drag-and-drop, the CLI's help and
# the refusal of any other file are all derived from it by the functions below.
INPUT_KINDS: tuple[InputKind, ...] = (
    InputKind("HTML", "html", (".html", ".htm", ".xhtml")),
    InputKind("plain text", "text", (".txt", ".text")),
    InputKind("Markdown", "markdown", (".md", ".markdown")),
    InputKind("Word", "docx", (".docx",)),
)


def accepted_extensions() -> tuple[str, ...]:
    """Every accepted file name ending, in the list's order: ('.html', '.htm', ...)."""
    return tuple(ext for kind in INPUT_KINDS for ext in kind.extensions)


def reader_for_name(name: str) -> str | None:
    """The reader for a file name by its ending (any case), or None if it is not accepted."""
    suffix = PurePath(name).suffix.lower()
    for kind in INPUT_KINDS:
        if suffix in kind.extensions:
            return kind.reader
    return None


def is_accepted_file(name: str) -> bool:
    """Whether a file with this name is one the importer reads (drag-and-drop asks this)."""
    return reader_for_name(name) is not None


def file_dialog_filter() -> str:
    """The name filter of Qt's file dialogs: every draft, each kind, then all files."""

    def patterns(extensions: tuple[str, ...]) -> str:
        return " ".join(f"*{ext}" for ext in extensions)

    entries = [f"Drafts ({patterns(accepted_extensions())})"]
    entries += [
        f"{k.label[:1].upper()}{k.label[1:]} ({patterns(k.extensions)})" for k in INPUT_KINDS
    ]
    return ";;".join([*entries, "All files (*)"])


def accepted_files_phrase() -> str:
    """'HTML (.html .htm .xhtml), plain text (.txt .text), ... or Word (.docx)'."""
    parts = [f"{k.label} ({' '.join(k.extensions)})" for k in INPUT_KINDS]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"


def source_help() -> str:
    """The help of the CLI's ``import SOURCE``."""
    return f"http(s) URL, or a file: {accepted_files_phrase()}"


def unsupported_file_message(name: str) -> str:
    """The one-line refusal of a file (or bytes) of a type the importer does not read."""
    return (
        f"cannot import {name}: accepted are http(s) addresses and {accepted_files_phrase()} files"
    )


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
    # The text encoding of a file, when the editor knows better than the guess ("" = guess).
    encoding: str = ""

    def __post_init__(self) -> None:
        from reviewapp.core.errors import BadInput

        if self.encoding:
            # Here, not at the top: the window's file filters need this module, not the
            # decoders (charset-normalizer) behind it.
            from reviewapp.ingest.decoding import check_encoding

            check_encoding(self.encoding)

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
    "DEFAULT_SETTINGS",
    "INPUT_KINDS",
    "MEDIA_TYPES",
    "RAW_TYPES",
    "IngestSettings",
    "InputKind",
    "accepted_extensions",
    "accepted_files_phrase",
    "file_dialog_filter",
    "human_size",
    "is_accepted_file",
    "reader_for_name",
    "source_help",
    "unsupported_file_message",
]
