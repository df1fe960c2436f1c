"""tests/rawdb.py takes migrations back out of a library, for tests of what an older library
meets when it is opened. Each undo must leave exactly the schema of a library that never had
those migrations, or such a test tests a library no user has: checked here against the
migrations themselves, run on an empty file up to that point."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from reviewapp.store import ReviewStore, migrations
from tests import rawdb
from tests.rawdb import raw_db

# Each undo of tests/rawdb.py and the migration it takes out (with every one after it).
UNDOS = [
    (rawdb.undo_stable_ids, migrations.STABLE_ID_SCHEMA),
    (rawdb.undo_attestations, migrations.ATTESTATION_SCHEMA),
    (rawdb.undo_accountability, migrations.ACCOUNTABILITY_SCHEMA),
    (rawdb.undo_claim_memory, migrations.CLAIM_MEMORY_SCHEMA),
    (rawdb.undo_suggestions, migrations.SUGGESTIONS_SCHEMA),
    (rawdb.undo_captures, migrations.CAPTURES_SCHEMA),
    (rawdb.undo_second_review, migrations.SECOND_REVIEW_SCHEMA),
    (
        rawdb.undo_claim_author_and_capture_guard,
        migrations.CLAIM_AUTHOR_AND_CAPTURE_GUARD_SCHEMA,
    ),
    (rawdb.undo_cosignatures, migrations.COSIGNATURE_SCHEMA),
]


def shape(conn: sqlite3.Connection) -> dict[str, tuple]:
    """Every table's columns (name, type, not null, default, key), every index, trigger and
    view as written: what a schema is, apart from how ALTER TABLE re-spells CREATE TABLE."""
    found = {}
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall():
        if kind == "table":
            columns = conn.execute(f"PRAGMA table_xinfo('{name}')").fetchall()
            found[name] = (kind, table, tuple(columns))
        else:
            found[name] = (kind, table, sql)
    return found


def migrated_to(path: Path, version: int) -> dict[str, tuple]:
    """The schema of a new library made by the first VERSION migrations only."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for number, script in enumerate(migrations.MIGRATIONS[:version], start=1):
            conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        return shape(conn)


def test_every_migration_from_the_stable_ids_on_has_an_undo():
    taken_out = [schema for _undo, schema in UNDOS]
    first = migrations.MIGRATIONS.index(migrations.STABLE_ID_SCHEMA)
    assert taken_out == migrations.MIGRATIONS[first:]  # a new migration needs its undo here


@pytest.mark.parametrize(("undo", "schema"), UNDOS, ids=[u.__name__ for u, _ in UNDOS])
def test_an_undo_leaves_the_schema_of_the_library_before_it(undo, schema, tmp_path):
    version = migrations.MIGRATIONS.index(schema)  # the migrations before it
    db = tmp_path / "library.db"
    ReviewStore(db).close()
    with raw_db(db) as conn:
        undo(conn)
        conn.execute(f"PRAGMA user_version = {version}")
        undone = shape(conn)
    assert undone == migrated_to(tmp_path / "reference.db", version)
    # Opened again, the library runs the migrations once more and is as a new one.
    ReviewStore(db).close()
    fresh = tmp_path / "fresh.db"
    ReviewStore(fresh).close()
    with raw_db(db) as again, raw_db(fresh) as new:
        assert shape(again) == shape(new)
        assert again.execute("PRAGMA user_version").fetchone() == (migrations.LATEST,)
