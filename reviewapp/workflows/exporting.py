"""Exporting one review from the library: load it, render it (a signed-off review's Markdown is
its signed record, with NAME.md.sig), and write it."""

from __future__ import annotations

from pathlib import Path

from reviewapp.core.errors import BadInput
from reviewapp.export.files import ExportResult, write_atomic
from reviewapp.export.files import export_review as write_export
from reviewapp.store import ReviewStore

WARC_FORMAT = "warc"
WARC_EXTENSION = "warc.gz"  # gzip unless the name given ends in .warc


def export_review(
    store: ReviewStore, review_id: int, fmt: str, output: Path | None
) -> ExportResult:
    """The review in format fmt; written to output (and NAME.sig beside signed Markdown) when
    given. The JSON bundle carries every revision of the article with its raw bytes; the WARC
    file every capture of its sources (gzip-compressed unless output ends in .warc)."""
    if fmt == WARC_FORMAT:
        return export_warc(store, review_id, output)
    return write_export(store.load_review(review_id), fmt, output, archive=store)


def export_warc(store: ReviewStore, review_id: int, output: Path | None) -> ExportResult:
    """All captures of the review as one WARC file (see export/warc.py)."""
    from reviewapp.export.warc import render_warc

    data = store.load_review(review_id)
    if not data.captures:
        raise BadInput(
            f"review {review_id} has no captures to export; capture a source first: "
            f"reviewapp source capture {review_id} N"
        )
    if output is not None and output.is_dir():
        raise BadInput(f"{output} is a folder; give a file name")
    if output is not None and not output.parent.exists():
        raise BadInput(f"the folder {output.parent} does not exist")
    compressed = output is None or not output.name.lower().endswith(".warc")
    name = output.name if output is not None else ""
    content = render_warc(data, store.capture_records(review_id), name, compressed)
    result = ExportResult(content)
    if output is not None:
        write_atomic(output, content)
        result.written.append(output)
    return result
