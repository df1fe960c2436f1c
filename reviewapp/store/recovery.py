"""Checking a library file, and salvaging what can still be read from a damaged one.

Neither ever writes to the file it reads: the check opens it read-only, and the salvage works
on a copy. The salvage tries SQLite's ``.recover`` (the sqlite3 command-line tool) first; when
that is missing or fails (Debian 12's sqlite3 3.40.1 lacks the sqlite_dbpage table it needs),
it reads each table row by row and steps over the rows it cannot read. Either way the rows go
into a fresh library, so the schema, the search index and its triggers are whole again.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reviewapp.core.errors import BadInput, ReviewAppError
from reviewapp.store.database import (
    SQLITE_MAGIC,
    check_findings,
    damaged,
    open_database,
    refuse_unreadable_file,
)

log = logging.getLogger(__name__)

# Parents before children, so a row whose parent was lost is refused by its foreign key.
# Parents before children; tables added by later migrations follow in the order they were made
# (_tables_to_copy), so a new table is never left behind by a rebuild.
TABLE_ORDER = (
    "articles",
    "revisions",
    "reviews",
    "claims",
    "sources",
    "claim_sources",
    "takeaways",
    "reviewers",
    "signoffs",
    "events",
)
RECOVER_TIMEOUT = 300  # seconds for the sqlite3 tool's .recover


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, and leaves no -wal or -shm file behind."""
    wal = path.with_name(path.name + "-wal")
    # immutable: no locks, no shared memory file; right only when no WAL holds newer pages.
    mode = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)


def check_file(path: Path, full: bool = True) -> list[str]:
    """What SQLite finds wrong with the file (integrity_check, or quick_check); [] when whole."""
    if not path.is_file():
        raise BadInput(f"no database at {path}")
    try:
        refuse_unreadable_file(path)
    except ReviewAppError as exc:
        return [str(exc).split(" is damaged (", 1)[-1].split("); nothing", 1)[0]]
    conn = _read_only(path)
    try:
        pragma = "integrity_check(20)" if full else "quick_check(20)"
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else check_findings(rows)


@dataclass
class Salvage:
    """What a recovery brought over into the new library."""

    method: str
    rows: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    reviews: int = 0
    claims: int = 0


def recover(source: Path, target: Path) -> Salvage:
    """Salvage source into a new library at target; source is only ever read (from a copy)."""
    if not source.is_file():
        raise BadInput(f"no database at {source}")
    if target.exists() or target.with_name(target.name + "-wal").exists():
        raise BadInput(f"{target} already exists; give a new file name with -o")
    if target.resolve() == source.resolve():
        raise BadInput("give the recovered library a new file name, not the damaged one's")
    with tempfile.TemporaryDirectory(prefix="reviewapp-recover-") as folder:
        copy = Path(folder) / "damaged.db"
        _copy_with_wal(source, copy)
        _restore_header(copy)
        recovered = Path(folder) / "recovered.db"
        method = "sqlite3 .recover" if _sqlite_recover(copy, recovered) else "row-by-row salvage"
        salvage = Salvage(method)
        try:
            _rebuild(recovered if recovered.exists() else copy, target, salvage)
        except BaseException:
            for suffix in ("", "-wal", "-shm"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            raise
    return salvage


def _copy_with_wal(source: Path, copy: Path) -> None:
    shutil.copyfile(source, copy)
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))


def _restore_header(copy: Path) -> None:
    """Give a copy whose first 100 bytes are garbage a plausible header, so its pages can be read.

    The schema (sqlite_master) starts right after the header on page 1: with a header back, the
    tables are found again. The page size is guessed as SQLite's default, 4096.
    """
    with copy.open("rb") as f:
        if f.read(16) == SQLITE_MAGIC:
            return
    template = sqlite3.connect(":memory:")
    try:
        template.execute("PRAGMA page_size = 4096")
        template.execute("CREATE TABLE t (x)")
        blank = copy.with_name("blank.db")
        dest = sqlite3.connect(blank)
        template.backup(dest)
        dest.close()
    finally:
        template.close()
    header = bytearray(blank.read_bytes()[:100])
    blank.unlink()
    pages = copy.stat().st_size // 4096
    header[18:20] = b"\x01\x01"  # a rollback journal: the copy has no WAL of its own
    header[24:28] = header[92:96] = (1).to_bytes(4, "big")
    header[28:32] = pages.to_bytes(4, "big")
    header[32:40] = bytes(8)  # no freelist: its pages are not trusted
    with copy.open("r+b") as f:
        f.write(header)
    log.info("restored a header for %s (%d pages of 4096 bytes)", copy, pages)


def _sqlite_recover(copy: Path, recovered: Path) -> bool:
    """SQLite's own .recover into recovered; False when the tool is missing or it fails."""
    tool = shutil.which("sqlite3")
    if tool is None:
        return False
    try:
        dump = subprocess.run(
            [tool, str(copy), ".recover"], capture_output=True, timeout=RECOVER_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("sqlite3 .recover did not run: %s", exc)
        return False
    if dump.returncode != 0 or b"INSERT" not in dump.stdout:
        log.info("sqlite3 .recover failed: %s", dump.stderr.decode(errors="replace").strip())
        return False
    conn = sqlite3.connect(recovered)
    try:
        conn.executescript(dump.stdout.decode("utf-8", errors="replace"))
    except sqlite3.Error as exc:
        log.info("the SQL from .recover did not load: %s", exc)
        conn.close()
        recovered.unlink(missing_ok=True)
        return False
    conn.close()
    return True


def _rebuild(readable: Path, target: Path, salvage: Salvage) -> None:
    """A fresh library at target with every row that can be read from readable."""
    source = sqlite3.connect(f"{readable.resolve().as_uri()}?mode=ro", uri=True)
    db = open_database(target)
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        for table in _tables_to_copy(conn):
            _copy_table(source, conn, table, salvage)
        conn.execute("COMMIT")
        salvage.reviews = int(
            conn.execute("SELECT count(*) FROM reviews WHERE deleted_at = ''").fetchone()[0]
        )
        salvage.claims = int(conn.execute("SELECT count(*) FROM claims").fetchone()[0])
    finally:
        source.close()
        conn.close()
    problems = check_file(target)
    if problems:
        raise damaged(target, "; ".join(problems[:2]))


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]
    except sqlite3.DatabaseError:
        return []


def _tables_to_copy(target: sqlite3.Connection) -> list[str]:
    """Every table of the fresh library that holds rows of its own: the full-text indexes are
    left out (their triggers fill them again as the rows are copied)."""
    rows = target.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
    ).fetchall()
    virtual = [
        str(name) for name, sql in rows if str(sql or "").upper().startswith("CREATE VIRTUAL")
    ]
    plain = [
        str(name)
        for name, _sql in rows
        if not str(name).startswith("sqlite_")
        and not any(str(name).startswith(f"{v}_") for v in virtual)
        and str(name) not in virtual
    ]
    return [t for t in TABLE_ORDER if t in plain] + [t for t in plain if t not in TABLE_ORDER]


def _copy_table(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str, salvage: Salvage
) -> None:
    wanted = set(_columns(target, table))
    columns = [c for c in _columns(source, table) if c in wanted]
    if not columns:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
    copied = lost = 0
    for row in _readable_rows(source, table, names, salvage):
        try:
            target.execute(insert, row)
            copied += 1
        except sqlite3.IntegrityError:  # its parent was lost, or the row is garbled
            lost += 1
    salvage.rows[table] = copied
    salvage.lost[table] = salvage.lost.get(table, 0) + lost


def _readable_rows(
    conn: sqlite3.Connection, table: str, names: str, salvage: Salvage
) -> Iterator[tuple[object, ...]]:
    """Every row of table that can be read, in rowid order, stepping over unreadable stretches."""
    query = f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid"
    last: int | None = 0
    while last is not None:
        try:
            for row in conn.execute(query, [last]):
                last = int(row[0])
                yield tuple(row[1:])
            return
        except sqlite3.DatabaseError as exc:
            log.info("%s: rows after rowid %s unreadable: %s", table, last, exc)
            salvage.lost[table] = salvage.lost.get(table, 0) + 1
            following = _next_readable(conn, table, last)
            # The next row may be found but not read: step over it, so this always ends.
            last = None if following is None else max(following, last + 1)


def _next_readable(conn: sqlite3.Connection, table: str, after: int) -> int | None:
    """A rowid just before the next row that can be read past after, or None when none can."""
    step = 1
    while after + step < 2**63:
        try:
            row = conn.execute(
                f"SELECT rowid FROM {table} WHERE rowid >= ? ORDER BY rowid LIMIT 1",
                [after + step],
            ).fetchone()
        except sqlite3.DatabaseError:
            step *= 2
            continue
        return None if row is None else int(row[0]) - 1
    return None
