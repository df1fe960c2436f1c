"""Batch export: every review (or every review with one status) into one folder.

One file per review, named by ``export_filename`` ("review-<id>-<title words>.<ext>": only
lower-case ASCII letters, digits and hyphens before the extension, so a hostile title cannot
leave the folder, hit a reserved device name or clash with another review's file, and the same
review always gets the same name). A signed-off review's Markdown is its signed record, with
``NAME.md.sig`` beside it. The GUI runs this on a worker thread with a progress callback and a
cancel event; the CLI draws a progress bar with the same callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ReviewData, ReviewSummary, Revision
from reviewapp.export.attestation import attestation_name
from reviewapp.export.files import export_content, write_atomic
from reviewapp.export.second_review import COSIGNATURE_SUFFIX

# progress(percent 0..100, text such as "3 of 10: review-3-title.md"): TaskControl.report's shape.
Progress = Callable[[int, str], None]

# What a file name made by export_filename looks like; anything else is refused, not written.
_SAFE_NAME = re.compile(r"review-[0-9]+(-[a-z0-9]+)*\.[a-z]+(\.[a-z]+)?")


class CancelFlag(Protocol):
    """A threading.Event, or anything else that answers is_set()."""

    def is_set(self) -> bool: ...


class ReviewLibrary(Protocol):
    """What the batch needs from the store (ReviewStore has all of it)."""

    def list_reviews(self, *, status: str = "") -> list[ReviewSummary]: ...

    def load_review(self, review_id: int) -> ReviewData: ...

    def revisions(self, article_id: int) -> list[Revision]: ...

    def raw_source(self, revision_id: int) -> tuple[bytes, str]: ...

    def capture_records(self, review_id: int) -> dict[int, bytes]: ...


def prepare_directory(directory: Path) -> Path:
    """The folder to write into: made if missing (its parent must exist), refused if a file."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise BadInput(f"{directory} is a file; give a folder for --all")
    if not directory.exists():
        if not directory.parent.is_dir():
            raise BadInput(f"the folder {directory.parent} does not exist")
        try:
            directory.mkdir()
        except OSError as exc:
            raise BadInput(f"cannot make the folder {directory}: {exc.strerror or exc}") from exc
    return directory


def batch_filename(data: ReviewData, fmt: str) -> str:
    """The review's file name in a batch; refuses anything that is not a plain, safe name."""
    from reviewapp.export import export_filename

    name = export_filename(data, fmt)
    if not _SAFE_NAME.fullmatch(name) or len(name) > 120:
        raise BadInput(f"refusing to write an unsafe file name {name!r}")
    return name


def export_all(
    store: ReviewLibrary,
    directory: Path,
    fmt: str,
    status: str = "",
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> list[Path]:
    """Write every review (status: only those with that status) into directory, by id order.

    Returns the files written (Markdown and .sig files both count). When cancel is set, stops
    before the next review: every file already written is complete (each is written to a
    temporary name and renamed). A file that cannot be written stops the batch with BadInput;
    the files before it stay. A stale NAME.md.sig beside an unsigned Markdown file is
    removed, so an old signature never sits next to a text it does not sign.
    """
    from reviewapp.export import FORMATS

    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    ids = sorted(summary.id for summary in store.list_reviews(status=status))
    directory = prepare_directory(directory)
    written: list[Path] = []
    for done, review_id in enumerate(ids, start=1):
        if cancel is not None and cancel.is_set():
            break
        data = store.load_review(review_id)
        name = batch_filename(data, fmt)
        written.extend(_write_one(directory / name, data, fmt, store))
        if progress is not None:
            progress(done * 100 // len(ids), f"{done} of {len(ids)}: {name}")
    return written


def _write_one(path: Path, data: ReviewData, fmt: str, store: ReviewLibrary) -> list[Path]:
    result = export_content(data, fmt, archive=store)
    sig_path = path.with_name(path.name + ".sig")
    attestation_path = path.with_name(attestation_name(path.name))
    cosignature_path = path.with_name(path.name + COSIGNATURE_SUFFIX)
    written = [path]
    try:
        write_atomic(path, result.content)
        if fmt == "md" and result.attestation is None:
            attestation_path.unlink(missing_ok=True)  # never an old attestation beside it
        if fmt == "md" and result.cosignature is None:
            cosignature_path.unlink(missing_ok=True)  # nor an old co-signature
        if result.signature is None:
            if fmt == "md":
                sig_path.unlink(missing_ok=True)
            return written
        write_atomic(sig_path, result.signature)
        written.append(sig_path)
        if result.attestation is not None:
            write_atomic(attestation_path, result.attestation)
            written.append(attestation_path)
        if result.cosignature is not None:
            write_atomic(cosignature_path, result.cosignature)
            written.append(cosignature_path)
    except OSError as exc:
        raise BadInput(f"cannot write {exc.filename or path}: {exc.strerror or exc}") from exc
    return written
