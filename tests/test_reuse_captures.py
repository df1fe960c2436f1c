"""Undoing a reuse takes back the captures it copied (no hidden rows left behind), redo copies
them again, and nothing deletes a capture that a sign-off stands on: the store's one deleting
path refuses it and so does the database (trigger captures_kept_when_signed)."""

from __future__ import annotations

import sqlite3

import pytest

from reviewapp.core.errors import ReviewLocked
from reviewapp.ingest.capture import build_capture
from reviewapp.ingest.fetch import FetchedResponse
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.memory import reuse_check, undo_reuse
from reviewapp.workflows.signoff import reopen, sign_off
from tests.memory_library import SEC_URL, build_memory_library
from tests.rawdb import raw_db
from tests.test_signoff_fixtures import EMAIL, REVIEWER, SIGNED_AT, ready_review

PAGES = (b"<p>The filing lists $4 billion.</p>", b"<p>The filing, amended: $4 billion.</p>")


def _capture(store: ReviewStore, source_id: int, body: bytes) -> str:
    """Keep body as a capture of the source (built as a fetch would build it); its SHA-256."""
    response = FetchedResponse(
        SEC_URL, SEC_URL, 200, "OK", "HTTP/1.1", (("Content-Type", "text/html"),), body, body,
        (), "/sec-filing",
    )  # fmt: skip
    record = build_capture(response, "2026-03-02T10:00:00Z", thin=False)
    return store.add_capture(source_id, record.capture, record.warc).sha256


@pytest.fixture
def lib(store: ReviewStore):
    """The memory library, its earlier (signed-off) source holding two captures."""
    lib = build_memory_library(store, sign_earlier=False)
    for body in PAGES:
        _capture(store, lib.earlier_source, body)
    store.set_status(lib.earlier_review, "signed-off")
    return lib


def _capture_rows(store: ReviewStore, review_id: int) -> list[tuple]:
    """Every capture row of the review, shown or hidden (what the library file holds)."""
    with raw_db(store.path) as conn:
        return conn.execute(
            "SELECT source_stable_id, sha256, record_id FROM captures WHERE review_id = ? "
            "ORDER BY id",
            [review_id],
        ).fetchall()


def test_undo_of_a_reuse_leaves_no_capture_rows_and_redo_brings_them_back(store, lib):
    earlier = _capture_rows(store, lib.earlier_review)
    result = reuse_check(store, lib.same, lib.earlier_claim)
    assert len(result.copied_captures) == 2
    copied = _capture_rows(store, lib.review)
    assert [row[1:] for row in copied] == [row[1:] for row in earlier]
    undo_reuse(store, result)
    assert _capture_rows(store, lib.review) == []  # not hidden: gone
    assert store.captures(lib.review) == []
    assert _capture_rows(store, lib.earlier_review) == earlier  # the signed one is untouched
    redone = reuse_check(store, lib.same, lib.earlier_claim)  # what redo runs
    again = _capture_rows(store, lib.review)
    assert [row[1:] for row in again] == [row[1:] for row in earlier]
    (source_id,) = redone.added_sources
    assert [c.sha256 for c in store.source_captures(source_id)] == [r[1] for r in earlier]


def test_undo_keeps_a_capture_the_editor_took_of_the_copied_source(store, lib):
    result = reuse_check(store, lib.same, lib.earlier_claim)
    (source_id,) = result.added_sources
    own = _capture(store, source_id, b"<p>Fetched again today: $4 billion.</p>")
    undo_reuse(store, result)
    # Only the copies go; the editor's own capture stays with the source, as a deleted source's
    # captures always do (undoing that deletion would show it again).
    assert [row[1] for row in _capture_rows(store, lib.review)] == [own]


def test_a_signed_off_reviews_captures_cannot_be_deleted_even_by_hand(store, lib):
    with raw_db(store.path) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="capture of a signed-off review"):
            conn.execute("DELETE FROM captures WHERE review_id = ?", [lib.earlier_review])
        assert conn.execute("SELECT count(*) FROM captures").fetchone() == (2,)
    ids = [c.id for c in store.captures(lib.earlier_review)]
    with pytest.raises(ReviewLocked):
        store.discard_capture_copies(ids)
    assert len(_capture_rows(store, lib.earlier_review)) == 2


def test_a_copy_a_sign_off_lists_survives_the_undo_after_a_reopen(store):
    lib = build_memory_library(store, sign_earlier=False)
    shas = [_capture(store, lib.earlier_source, body) for body in PAGES]
    review_id = ready_review(store)
    money = store.claim(review_id, 1)
    result = reuse_check(store, money.id, lib.earlier_claim)
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=MemorySecretStore(), now=SIGNED_AT)
    signed = store.load_review(review_id).current_signoff.markdown.decode()
    assert all(sha in signed for sha in shas)
    reopen(store, review_id, "a late correction")
    undo_reuse(store, result)
    # The copied source is gone from view, but what the sign-off lists stays in the file.
    assert store.captures(review_id) == []
    assert [row[1] for row in _capture_rows(store, review_id)] == shas
    with raw_db(store.path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM captures WHERE review_id = ?", [review_id])


def test_removing_a_review_row_still_takes_its_captures(store, lib):
    """The guard stops deletions of single captures, not the review's own cascade."""
    reuse_check(store, lib.same, lib.earlier_claim)
    with raw_db(store.path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        for review_id in (lib.earlier_review, lib.review):
            conn.execute("DELETE FROM reviews WHERE id = ?", [review_id])
        assert conn.execute("SELECT count(*) FROM captures").fetchone() == (0,)
