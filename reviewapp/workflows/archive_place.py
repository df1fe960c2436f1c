"""Where a library's working copy of the shared archive lives (no git, no signing imported:
the window asks this on every review it shows)."""

from __future__ import annotations

from pathlib import Path


def archive_path(db_path: Path) -> Path:
    """Where this library's working copy of the archive lives: beside the database."""
    db_path = Path(db_path).absolute()
    return db_path.with_name(f"{db_path.stem}-archive")


def has_archive(db_path: Path) -> bool:
    """Whether this library has a working copy of a shared archive."""
    return (archive_path(db_path) / ".git").is_dir()
