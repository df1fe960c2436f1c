"""Writing exports to files: a signed-off review's stored bytes and signature, or a fresh render."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ReviewData
from reviewapp.core.states import ReviewStatus
from reviewapp.export.bundle import RevisionArchive, store_bundle


@dataclass
class ExportResult:
    content: bytes
    signature: bytes | None = None
    written: list[Path] = field(default_factory=list)


def export_content(
    data: ReviewData, fmt: str, archive: RevisionArchive | None = None
) -> ExportResult:
    """The bytes to export; Markdown of a signed-off review is exactly the signed record.

    archive (the ReviewStore) lets the JSON bundle include every revision's raw source bytes.
    """
    from reviewapp.export import render

    signoff = data.current_signoff
    if fmt == "md" and signoff is not None and data.review.status == ReviewStatus.SIGNED_OFF:
        return ExportResult(signoff.markdown, signoff.signature.encode("ascii"))
    if fmt == "json" and archive is not None:
        return ExportResult(store_bundle(archive, data))
    return ExportResult(render(data, fmt))


def export_review(
    data: ReviewData, fmt: str, output: Path | None, archive: RevisionArchive | None = None
) -> ExportResult:
    """Render and, if output is given, write it (and NAME.sig beside a signed Markdown file)."""
    result = export_content(data, fmt, archive)
    if output is None:
        return result
    if output.is_dir():
        raise BadInput(f"{output} is a folder; give a file name")
    if not output.parent.exists():
        raise BadInput(f"the folder {output.parent} does not exist")
    write_atomic(output, result.content)
    result.written.append(output)
    if result.signature is not None:
        sig_path = output.with_name(output.name + ".sig")
        write_atomic(sig_path, result.signature)
        result.written.append(sig_path)
    return result


def write_atomic(path: Path, content: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
