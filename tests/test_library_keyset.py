"""The library pages by keyset (the batch after the last row's change time and id): walking page
after page gives every review exactly once, newest change first, however many share a time."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reviewapp.store import ReviewStore
from tests.conftest import make_draft


def _same_time(db_path: Path, stamp: str, ids: list[int]) -> None:
    """Give reviews one change time (a batch import does, within a second)."""
    with sqlite3.connect(db_path) as db:
        db.executemany("UPDATE reviews SET updated_at = ? WHERE id = ?", [(stamp, i) for i in ids])


def _walk(store: ReviewStore, size: int, **filters: str) -> list[list[int]]:
    pages = [store.list_reviews(limit=size, **filters)]
    while len(pages[-1]) == size:
        last = pages[-1][-1]
        pages.append(store.list_reviews(limit=size, after=(last.updated_at, last.id), **filters))
    return [[r.id for r in page] for page in pages]


def test_keyset_pages_give_every_review_once_in_order_across_ties(store, db_path):
    with store.transaction():
        ids = [store.add_article(make_draft([f"Harbour note {n}."])) for n in range(23)]
    _same_time(db_path, "2026-01-02T00:00:00Z", ids[3:17])  # a tie across page borders
    _same_time(db_path, "2026-01-01T00:00:00Z", ids[:3])
    store.delete_review(ids[20])

    everything = [r.id for r in store.list_reviews()]
    assert len(everything) == 22 and ids[20] not in everything
    pages = _walk(store, 4)
    assert [i for page in pages for i in page] == everything
    assert all(len(page) == 4 for page in pages[:-1])
    # The tied reviews come newest id first; the oldest time closes the list.
    assert everything[-3:] == [ids[2], ids[1], ids[0]]
    tied = [i for i in everything if i in ids[3:17]]
    assert tied == sorted(ids[3:17], reverse=True)

    # A search and a status page the same way.
    store.add_claim_by_quote(ids[5], "Harbour")  # ids[5] is in review now, and newest
    matching = [r.id for r in store.list_reviews(query="harbour", status="draft")]
    assert ids[5] not in matching and len(matching) == 21
    pages = _walk(store, 5, query="harbour", status="draft")
    assert [i for page in pages for i in page] == matching


def test_a_review_edited_between_pages_hides_no_other_review(store, db_path):
    with store.transaction():
        ids = [store.add_article(make_draft([f"Paragraph {n}."])) for n in range(10)]
    _same_time(db_path, "2026-01-01T00:00:00Z", ids)  # older than the edit below
    before = [r.id for r in store.list_reviews()]
    first = store.list_reviews(limit=4)
    moved = before[6]
    store.add_claim_by_quote(moved, "Paragraph")  # it moves to the top of the list
    last = first[-1]
    rest = store.list_reviews(after=(last.updated_at, last.id))
    # With OFFSET the edit would shift the second page down by one: a review shown twice.
    assert [r.id for r in rest] == [i for i in before[4:] if i != moved]
    assert sorted(ids) == sorted(before)
