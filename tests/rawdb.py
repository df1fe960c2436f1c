"""A connection of a test's own to a library file, for what no user can do through the store:
reading raw rows, forging or damaging them, checkpointing the WAL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path


@contextmanager
def raw_db(path: Path) -> Iterator[sqlite3.Connection]:
    """Autocommit (every statement is its own transaction, so no lock outlives it)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def undo_stable_ids(conn: sqlite3.Connection) -> None:
    """Take schema 3's stable ids out of a library this app wrote: the tables as older
    schemas had them (the caller sets user_version)."""
    for table in ("claims", "sources", "takeaways"):
        conn.execute(f"DROP INDEX {table}_stable_id")
        conn.execute(f"ALTER TABLE {table} DROP COLUMN stable_id")
    undo_attestations(conn)  # the schema after them


def undo_attestations(conn: sqlite3.Connection) -> None:
    """Take the sign-offs' attestation and supersession reason out (ATTESTATION_SCHEMA)."""
    undo_accountability(conn)  # the schema after them
    conn.execute("DROP TRIGGER signoffs_attestation_immutable")
    conn.execute("ALTER TABLE signoffs DROP COLUMN attestation")
    conn.execute("ALTER TABLE signoffs DROP COLUMN superseded_reason")


ACCOUNTABILITY_COLUMNS = (
    "accountability_recorded",
    "ai_assisted",
    "ai_unknown_reason",
    "ai_tools",
    "ai_roles",
    "ai_role_other",
    "ai_source_type",
    "ai_disclosure",
    "ai_disclosure_start",
    "ai_disclosure_end",
    "responsible_holder",
    "responsible_role",
    "responsible_contact",
    "scope_claims_checked",
    "scope_sources_assessed",
    "scope_corrections_requested",
)


def undo_accountability(conn: sqlite3.Connection) -> None:
    """Take schema 6 (AI involvement, responsibility, scope) out of a library this app wrote:
    the tables as schema 5 had them (the caller sets user_version)."""
    undo_claim_memory(conn)  # the schema after it
    for column in ACCOUNTABILITY_COLUMNS:
        conn.execute(f"ALTER TABLE reviews DROP COLUMN {column}")
    conn.execute("DROP TABLE library_settings")


def undo_claim_memory(conn: sqlite3.Connection) -> None:
    """Take CLAIM_MEMORY_SCHEMA (the claim_memory index, the reuse columns) out of a library
    this app wrote (the caller sets user_version)."""
    undo_suggestions(conn)  # the schema after it
    for trigger in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER claims_memory_{trigger}")
    conn.execute("DROP TABLE claim_memory_vocab")
    conn.execute("DROP TABLE claim_memory")
    for column in (
        "reused_from_review",
        "reused_from_claim",
        "reused_from_id",
        "reused_from_title",
    ):
        conn.execute(f"ALTER TABLE claims DROP COLUMN {column}")


def _drop_column(conn: sqlite3.Connection, table: str, column: str) -> None:
    if column in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def undo_suggestions(conn: sqlite3.Connection) -> None:
    """Take SUGGESTIONS_SCHEMA (dismissals, a claim's suggestion key, coverage_signed) out of a
    library this app wrote (the caller sets user_version)."""
    undo_captures(conn)  # the schema after it
    conn.execute("DROP TABLE IF EXISTS suggestion_decisions")
    for table, column in (("claims", "suggestion_key"), ("reviews", "coverage_signed")):
        _drop_column(conn, table, column)


def undo_captures(conn: sqlite3.Connection) -> None:
    """Take CAPTURES_SCHEMA (the captures table, its index and trigger) out of a library this
    app wrote (the caller sets user_version)."""
    undo_second_review(conn)  # the schema after it
    conn.execute("DROP TABLE IF EXISTS captures")  # with its index and triggers


def undo_second_review(conn: sqlite3.Connection) -> None:
    """Take SECOND_REVIEW_SCHEMA (second reviews, settlements, the per-review flag) out of a
    library this app wrote (the caller sets user_version)."""
    undo_claim_author_and_capture_guard(conn)  # the schema after it
    conn.execute("DROP TABLE IF EXISTS second_review_settlements")
    conn.execute("DROP TABLE IF EXISTS second_reviews")
    conn.execute("DROP TABLE IF EXISTS second_review_flags")


def undo_claim_author_and_capture_guard(conn: sqlite3.Connection) -> None:
    """Take CLAIM_AUTHOR_AND_CAPTURE_GUARD_SCHEMA (claims.author, the trigger that keeps the
    captures a sign-off stands on) out of a library this app wrote (the caller sets
    user_version)."""
    undo_cosignatures(conn)  # the schema after it
    conn.execute("DROP TRIGGER IF EXISTS captures_kept_when_signed")
    _drop_column(conn, "claims", "author")


def undo_cosignatures(conn: sqlite3.Connection) -> None:
    """Take COSIGNATURE_SCHEMA (the second reviewer's co-signatures of sign-offs) out of a
    library this app wrote (the caller sets user_version)."""
    conn.execute("DROP TRIGGER IF EXISTS signoff_cosignatures_immutable")
    conn.execute("DROP TABLE IF EXISTS signoff_cosignatures")
