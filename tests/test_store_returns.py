"""Writes return what they wrote, numbered as the review lists it (without reading the review
back); a reader connection sees the library as it is and cannot change it."""

from __future__ import annotations

import sqlite3

import pytest

from reviewapp.store import ReviewStore
from tests.conftest import file_digest, make_draft

PARAS = [f"Paragraph {n} with the figure {n * 7} and a remark." for n in range(40)]


@pytest.fixture
def review(store) -> int:
    review_id = store.add_article(make_draft(PARAS))
    for n in range(0, 40, 4):
        store.add_claim_by_quote(review_id, f"figure {n * 7} ")
    return review_id


def test_a_claim_added_in_the_middle_comes_back_numbered_as_the_review_lists_it(store, review):
    text = store.load_review(review).revision.text
    start = text.index("Paragraph 21 with")
    added = store.add_claim_at(review, start, start + 12, note="between two")
    listed = store.claims(review)
    assert listed[added.number - 1] == added
    assert added.number == 7 and listed[added.number].number == 8  # the ones after moved on
    assert added.stable_id.startswith("c-") and added.note == "between two"


def test_a_deleted_claim_comes_back_whole_with_its_links_and_its_number(store, review):
    claims = store.claims(review)
    target = claims[4]
    source = store.add_source(review, [target.id], {target.id: "refutes"}, title="Ledger")
    before = store.claims(review)[4]
    assert before.source_stances == {source.id: "refutes"}

    deleted = store.delete_claim(target.id)
    assert deleted == before  # the number, the links, every field as it was
    assert [c.id for c in store.claims(review)] == [c.id for c in claims if c.id != target.id]
    assert store.source(source.id).claim_ids == []

    restored = store.restore_claim(deleted)
    assert store.claims(review)[4] == restored
    assert restored.source_stances == {source.id: "refutes"} and restored.number == 5
    assert store.source(source.id).claim_ids == [target.id]
    assert [e["action"] for e in store.events(review)][-2:] == ["claim-rm", "claim-restore"]


def test_claim_by_id_numbers_a_claim_as_the_review_lists_it(store, review):
    for claim in store.claims(review):
        assert store.claim_by_id(claim.id) == claim


def test_a_reader_connection_reads_the_library_and_cannot_write_to_it(store, review, db_path):
    store.close()
    digest = file_digest(db_path)
    with ReviewStore(db_path, reader=True) as reader:
        assert len(reader.load_review(review).claims) == 10
        assert reader.list_reviews(query="figure")[0].id == review
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.set_review(review, verdict="publish")
    assert file_digest(db_path) == digest
    with ReviewStore(db_path) as again:
        assert again.review(review).verdict == ""
