"""Opening the database: location, pragmas, checks, version, backup, migrations.

A file is checked before anything is written to it: that it is an SQLite file, not cut short,
ours (a reviewapp library, not some other program's database), not from a newer reviewapp, and
that SQLite's ``quick_check`` finds it whole (within a time budget, so a big library still
opens fast). Every error SQLite reports later goes through the same translation: a damaged file
becomes DatabaseDamaged (exit 3), another writer holding the lock becomes DatabaseBusy.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

import platformdirs

from reviewapp import APP_NAME
from reviewapp.core.errors import DatabaseBusy, DatabaseDamaged, DatabaseError
from reviewapp.core.summary import utc_now
from reviewapp.store.migrations import LATEST, MIGRATIONS

log = logging.getLogger(__name__)
ENV_DB = "REVIEWAPP_DB"

# How long a write waits for another program's write lock before giving up (seconds).
BUSY_TIMEOUT = 5.0
# quick_check reads every page: ~25 ms for a library of 10,000 short reviews (18 MB), ~150 ms
# for 10,000 full articles (260 MB). Beyond this budget it stops; damage it did not reach is
# still caught when a command reads the page (see translate_error).
QUICK_CHECK_BUDGET = 0.5

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables of schema 1: a file of our version without them is some other program's database.
OUR_TABLES = frozenset(
    {"articles", "revisions", "reviews", "claims", "sources", "takeaways", "signoffs", "events"}
)
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGE_CODES = {10, 11, 26}  # SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB


def default_db_path() -> Path:
    """REVIEWAPP_DB if set, else reviews.db in the user data directory."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "reviews.db"


# ---------------------------------------------------------------------- backups and damage
def backups_of(path: Path) -> list[Path]:
    """The copies reviewapp made of this file (NAME.vN-STAMP.bak), oldest first."""
    found = [p for p in path.parent.glob(f"{path.name}.v*-*.bak") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def last_backup(path: Path) -> Path | None:
    found = backups_of(path)
    return found[-1] if found else None


def damaged(path: Path, reason: str) -> DatabaseDamaged:
    """The one-line error for a damaged file: what, that nothing was written, and the way out."""
    backup = last_backup(path)
    reason = " ".join(reason.split())
    where = f"the last backup is {backup}" if backup else "no backup of it was found"
    return DatabaseDamaged(
        f"{path} is damaged ({reason}); nothing was written to it; {where}; "
        f"'reviewapp --db {path} db recover -o NEW.db' salvages what can still be read"
    )


def busy(path: Path) -> DatabaseBusy:
    return DatabaseBusy(
        f"the database {path} is busy: another reviewapp (or program) is writing to it; try again"
    )


def translate_error(exc: sqlite3.Error, path: Path) -> DatabaseError | DatabaseBusy | None:
    """Our error for an SQLite error that means a damaged or busy file; None for the others."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _BUSY_CODES or "database is locked" in str(exc):
        return busy(path)
    if primary in _DAMAGE_CODES or "malformed" in str(exc):
        return damaged(path, str(exc))
    return None


class _CheckedCursor(sqlite3.Cursor):
    """A cursor whose damaged-file and busy errors arrive as our errors, wherever they happen."""

    library_path: Path

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise _ours(exc, self) from exc

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            raise _ours(exc, self) from exc

    def executescript(self, sql_script: str, /) -> Self:
        try:
            super().executescript(sql_script)
            return self
        except sqlite3.Error as exc:
            raise _ours(exc, self) from exc

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            raise _ours(exc, self) from exc

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            raise _ours(exc, self) from exc

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as exc:
            raise _ours(exc, self) from exc

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            raise _ours(exc, self) from exc


class CheckedConnection(sqlite3.Connection):
    """A connection that remembers its file and the first damage it met (writes then stop)."""

    library_path: Path = Path()
    damage: DatabaseDamaged | None = None
    checked = False  # True once a quick_check of the whole file found it whole

    def cursor(self, factory: Any = _CheckedCursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> Any:
        return self.cursor().executescript(sql_script)


class Database:
    """The open library's connection, with rows as dicts from query() and sqlite-utils' table
    helpers from table(): sqlite-utils (with click, dateutil and pluggy, ~70 ms) is imported
    only when a table helper is first asked for, not before the window's first paint."""

    def __init__(self, conn: CheckedConnection):
        self.conn = conn
        self._utils: Any = None

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        """Run a statement that returns rows (at once) and give them as dicts, lazily."""
        cursor = self.conn.execute(sql, params)
        if cursor.description is None:
            raise ValueError(f"query() is for statements that return rows: {sql[:60]}")
        keys = unique_names([d[0] for d in cursor.description])
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def table(self, name: str) -> Any:
        """sqlite-utils' Table on this connection (insert_all, delete and the like)."""
        if self._utils is None:
            import sqlite_utils

            # recursive_triggers is already on (open_database); the plugins load here.
            self._utils = sqlite_utils.Database(self.conn, recursive_triggers=False)
        return self._utils.table(name)


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique the way sqlite-utils makes them (a later "id" becomes "id_2",
    skipping a suffix another column already has), so a join's columns never overwrite."""
    if len(set(names)) == len(names):
        return names
    taken, seen, result = set(names), set(), []
    for name in names:
        if name in seen:
            n = 2
            while f"{name}_{n}" in taken:
                n += 1
            name = f"{name}_{n}"
            taken.add(name)
        seen.add(name)
        result.append(name)
    return result


def _ours(exc: sqlite3.Error, cursor: sqlite3.Cursor) -> BaseException:
    conn = cursor.connection
    path = getattr(conn, "library_path", Path())
    translated = translate_error(exc, path)
    if translated is None:
        return exc
    if isinstance(translated, DatabaseDamaged) and isinstance(conn, CheckedConnection):
        conn.damage = conn.damage or translated
    return translated


# ---------------------------------------------------------------------- checks before writing
def refuse_unreadable_file(path: Path) -> None:
    """An SQLite header, and a file as long as the header says (unless a WAL holds the rest)."""
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise damaged(path, "not an SQLite file: damaged, or not a reviewapp database at all")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size_is_valid = header[24:28] == header[92:96] and pages > 0
    wal = path.with_name(path.name + "-wal")
    wal_has_frames = wal.exists() and wal.stat().st_size > 0
    actual = path.stat().st_size
    if size_is_valid and not wal_has_frames and pages * page_size > actual:
        raise damaged(path, f"the file is cut short: {actual} of {pages * page_size} bytes")


def quick_check(conn: sqlite3.Connection, path: Path, budget: float | None = None) -> None:
    """PRAGMA quick_check; DatabaseDamaged when it finds damage.

    With a budget (seconds) it stops when the time is up, and the connection is marked as not
    yet checked: the store then finishes the check before its first write.
    """
    if budget is not None and budget <= 0:
        return
    deadline = time.monotonic() + (budget or 0.0)
    if budget is not None:
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        log.info("quick_check of %s stopped after its %.1f s budget", path, budget)
        return
    finally:
        conn.set_progress_handler(None, 0)
    if isinstance(conn, CheckedConnection):
        conn.checked = rows == ["ok"]
    if rows != ["ok"]:
        raise damaged(path, "; ".join(check_findings(rows)[:2]))


def check_findings(rows: list[str]) -> list[str]:
    """The lines of an integrity or quick check, without SQLite's '*** in database' banners."""
    lines = (line.strip() for row in rows for line in row.splitlines())
    return [line for line in lines if line and not line.startswith("***")]


def _existing_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an existing file, refusing newer, foreign or damaged ones."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > LATEST:
        raise DatabaseError(
            f"{path} was written by a newer reviewapp (schema {version}, this app knows "
            f"{LATEST}); upgrade reviewapp to open it"
        )
    tables = {
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    }
    if (version == 0 and tables) or (version > 0 and not tables >= OUR_TABLES):
        raise DatabaseError(
            f"{path} is an SQLite database but not a reviewapp library; "
            "give another file with --db (nothing was written to it)"
        )
    _check_unless_unchanged(conn, path)
    return version


# ---------------------------------------------------------------------- the last good check
def _check_stamp_file(path: Path) -> Path:
    """Where the state of path at its last whole quick_check is kept (the user's cache)."""
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "checked" / key[:32]


def _file_state(path: Path) -> str:
    """Size, modification time and inode: any write to the file changes one of them."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return ""  # pages in a WAL are not in the state: never call it unchanged
    info = path.stat()
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ino}"


def _check_unless_unchanged(conn: sqlite3.Connection, path: Path) -> None:
    """quick_check, skipped when the file has not changed since it last checked out whole.

    Measured on 10,000 reviews: quick_check costs ~25 ms (18 MB) to ~150 ms (260 MB) per open;
    a run of reading commands on an unchanged library pays it once.
    """
    state = _file_state(path)
    stamp = _check_stamp_file(path)
    try:
        if state and stamp.read_text(encoding="ascii") == state:
            conn.checked = True  # type: ignore[attr-defined]
            return
    except (OSError, UnicodeDecodeError):
        pass  # no record (or an unreadable one): check
    quick_check(conn, path, QUICK_CHECK_BUDGET)
    if state and getattr(conn, "checked", False):
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(state, encoding="ascii")
        except OSError as exc:  # only costs the next open a check
            log.info("could not record the check of %s: %s", path, exc)


# ---------------------------------------------------------------------- backup and migration
def _unchanged_since(backup: Path, path: Path) -> bool:
    """True when the file (with no WAL frames) was last written before backup was made."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    return backup.stat().st_mtime_ns >= path.stat().st_mtime_ns


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database aside (a consistent snapshot, WAL included) before a migration.

    A migration that failed leaves the file as it was: the copy made then is reused, so a
    launch that fails again and again does not fill the folder with copies.
    """
    same_version = [b for b in backups_of(path) if b.name.startswith(f"{path.name}.v{version}-")]
    if same_version and _unchanged_since(same_version[-1], path):
        log.info("%s is unchanged since %s: no new copy", path, same_version[-1])
        return same_version[-1]
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


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def open_database(path: Path | str, *, reader: bool = False) -> Database:
    """Open (creating or migrating as needed) the library at path.

    A database that is damaged, foreign or written by a newer reviewapp is refused before
    anything is written to it.

    reader: a second, read-only connection to a library this process has already opened (and
    so checked and migrated), for a background thread that only reads (the GUI's loader and
    search). It skips the checks and never writes (``query_only``), so it opens in about a
    millisecond instead of paying a quick_check on every open while a WAL is in use.
    """
    path = Path(path)
    if reader:
        return _open_reader(path)
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        refuse_unreadable_file(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path)
    try:
        version = _existing_version(conn, path) if exists else 0
        conn.checked = conn.checked or not exists
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        # As sqlite-utils sets it: a REPLACE's implicit delete fires the delete triggers too.
        conn.execute("PRAGMA recursive_triggers = ON")
        if version < LATEST:
            if exists and _has_tables(conn):
                _backup(conn, path, version)
            _migrate(conn, version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return Database(conn)


def _connect(path: Path) -> CheckedConnection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits behind our back.
    conn = sqlite3.connect(
        path,
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT,
        factory=CheckedConnection,
    )
    conn.library_path = path
    return conn


def _open_reader(path: Path) -> Database:
    if not path.is_file():
        raise DatabaseError(f"cannot read {path}: no such library")
    conn = _connect(path)
    conn.checked = True  # the writing connection of this process checked it
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"cannot read {path}: {exc}") from exc
    return Database(conn)
