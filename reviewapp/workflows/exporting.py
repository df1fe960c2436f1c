"""Exporting one review from the library: load it, render it (a signed-off review's Markdown is
its signed record, with NAME.md.sig), and write it."""

from __future__ import annotations

from pathlib import Path

from reviewapp.export.files import ExportResult
from reviewapp.export.files import export_review as write_export
from reviewapp.store import ReviewStore


def export_review(
    store: ReviewStore, review_id: int, fmt: str, output: Path | None
) -> ExportResult:
    """The review in format fmt; written to output (and NAME.sig beside signed Markdown) when
    given. The JSON bundle carries every revision of the article with its raw bytes."""
    return write_export(store.load_review(review_id), fmt, output, archive=store)
