"""Opening the database: location, pragmas, version check, backup, migrations."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import platformdirs
import sqlite_utils

from reviewapp import APP_NAME
from reviewapp.core.errors import DatabaseError
from reviewapp.core.model import utc_now
from reviewapp.store.migrations import LATEST, MIGRATIONS

log = logging.getLogger(__name__)
ENV_DB = "REVIEWAPP_DB"


def default_db_path() -> Path:
    """REVIEWAPP_DB if set, else reviews.db in the user data directory."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "reviews.db"


def _schema_version(path: Path) -> int:
    """Read PRAGMA user_version without writing anything to the file."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is not a reviewapp database ({exc})") from exc


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database aside (a consistent snapshot, WAL included) before a migration."""
    stamp = utc_now().replace(":", "").replace("-", "")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    log.info("copied %s to %s before migrating", path, target)
    return target


def _migrate(conn: sqlite3.Connection, current: int) -> None:
    for number in range(current + 1, LATEST + 1):
        script = MIGRATIONS[number - 1]
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise DatabaseError(f"migration {number} failed: {exc}") from exc
        log.info("database migrated to schema %d", number)


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Open (creating or migrating as needed) the library at path.

    A database written by a newer reviewapp is refused before anything touches it.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    version = _schema_version(path) if exists else 0
    if version > LATEST:
        raise DatabaseError(
            f"{path} was written by a newer reviewapp (schema {version}, this app knows "
            f"{LATEST}); upgrade reviewapp to open it"
        )
    if not exists:
        path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits behind our back.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        if version < LATEST:
            if exists:
                _backup(conn, path, version)
            _migrate(conn, version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    except DatabaseError:
        conn.close()
        raise
    return sqlite_utils.Database(conn)
