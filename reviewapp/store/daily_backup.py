"""A copy of the library made once a day it is used, so a damaged file always has a recent backup.

Migrations make their own copies (NAME.vN-STAMP.bak); the daily copies are NAME.vN-STAMP.daily.bak,
found by the same `backups_of` (so the damaged-library message and dialog name them) and pruned to
the newest few. A copy is written under a temporary name and renamed, so a copy cut short by a
crash is never taken for a backup.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path

from reviewapp.store.database import backups_of

log = logging.getLogger(__name__)

DAILY_SUFFIX = ".daily.bak"
KEEP = 7  # a week of working days, a few times the library's size at most
INTERVAL = 20 * 3600.0  # seconds: "once a day" even when the app opens a little earlier


def daily_backups(path: Path) -> list[Path]:
    """The daily copies of this library, oldest first."""
    return [b for b in backups_of(path) if b.name.endswith(DAILY_SUFFIX)]


def make_daily_backup(
    path: Path, *, keep: int = KEEP, interval: float = INTERVAL, now: float | None = None
) -> Path | None:
    """Copy the library aside unless a backup younger than interval exists; the new copy or None.

    Meant for a worker thread: it opens its own read connection, so it never holds the app's.
    """
    now = time.time() if now is None else now
    found = backups_of(path)
    if found and now - found[-1].stat().st_mtime < interval:
        return None
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))  # as utc_now() spells it
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if source.execute("SELECT 1 FROM reviews LIMIT 1").fetchone() is None:
            return None  # nothing to lose yet
        version = source.execute("PRAGMA user_version").fetchone()[0]
        target = path.with_name(f"{path.name}.v{version}-{stamp}{DAILY_SUFFIX}")
        _copy(source, target)
    finally:
        source.close()
    log.info("daily backup of %s: %s", path, target)
    for old in daily_backups(path)[:-keep]:
        old.unlink()
        log.info("removed the old daily backup %s", old)
    return target


def _copy(source: sqlite3.Connection, target: Path) -> None:
    partial = target.with_name(target.name + ".part")
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)  # a copy cut short is no backup
        raise
