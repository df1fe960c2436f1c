"""Claim memory: "Checked before" finds earlier claims by their wording, and reuse carries an
earlier check over (sources, quoted note, where it came from) without touching the earlier
review."""

from __future__ import annotations

import pytest

from reviewapp.core.errors import BadInput, NotFound, ReviewLocked
from reviewapp.core.similarity import Candidate, Strength, numbers_in, rank
from reviewapp.core.states import ReviewStatus
from reviewapp.store import ReviewStore
from reviewapp.workflows.memory import checked_before, reuse_check, similar_to, undo_reuse
from tests.memory_library import (
    AMAZON_4,
    AMAZON_8,
    EARLIER_NOTE,
    SEC_URL,
    build_memory_library,
    review_rows,
    rows_of,
)


@pytest.fixture
def lib(store: ReviewStore):
    return build_memory_library(store)


# ---------------------------------------------------------------------- ranking (core)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amazon has invested $4 billion in Anthropic", ("4000000000",)),
        ("a $4bn deal", ("4000000000",)),
        ("4,000,000,000 dollars", ("4000000000",)),
        ("four billion dollars", ("4000000000",)),
        ("up 40% or 40 percent", ("40%", "40%")),
        ("3.50 and 1,200", ("1200", "3.5")),
        ("no figures at all", ()),
    ],
)
def test_figures_are_compared_by_value_not_by_spelling(text, expected):
    assert numbers_in(text) == expected


def test_the_exact_claim_ranks_first_and_a_changed_figure_is_only_related():
    candidates = [
        Candidate(1, "Amazon has invested $8 billion in Anthropic"),
        Candidate(2, "Amazon has invested $4 billion in Anthropic"),
        Candidate(3, "The river flooded the old mill twice last spring"),
        Candidate(4, "Amazon invested $4bn in Anthropic"),
    ]
    ranked = rank(AMAZON_4, candidates)
    assert [(r.claim_id, r.strength) for r in ranked] == [
        (2, Strength.SAME),
        (4, Strength.SAME),
        (1, Strength.RELATED),
    ]
    assert ranked[0].score == 100


def test_a_match_only_in_a_note_is_related_never_the_same_claim():
    ranked = rank(AMAZON_4, [Candidate(5, "Big tech money", note=f"Earlier: {AMAZON_4}.")])
    assert [(r.claim_id, r.strength) for r in ranked] == [(5, Strength.RELATED)]


# ---------------------------------------------------------------------- checked before (store)
def test_checked_before_lists_the_same_claim_first_then_the_related_one(store, lib):
    found = checked_before(store, lib.same)
    assert [(f.earlier.claim.id, f.strength) for f in found] == [(lib.earlier_claim, Strength.SAME)]
    changed = checked_before(store, lib.changed)
    assert [(f.earlier.claim.id, f.strength) for f in changed] == [
        (lib.earlier_claim, Strength.RELATED)
    ]


def test_each_result_carries_its_check_and_its_review(store, lib):
    (found,) = checked_before(store, lib.same)
    earlier = found.earlier
    assert earlier.claim.status == "verified"
    assert earlier.claim.note == EARLIER_NOTE
    assert earlier.claim.correction == "say “up to”"
    assert earlier.claim.number == 1
    assert [s.url for s in earlier.sources] == [SEC_URL]
    assert earlier.review_title == "Cloud deals in March"
    assert earlier.claim.review_id == lib.earlier_review
    assert earlier.signed_off and earlier.review_status == ReviewStatus.SIGNED_OFF


def test_an_unrelated_claim_is_not_listed(store, lib):
    assert checked_before(store, lib.unrelated) == []
    listed = {f.earlier.claim.id for f in checked_before(store, lib.same)}
    assert lib.river_claim not in listed


def test_claims_nobody_checked_and_reviews_in_the_bin_are_not_memory(store, lib):
    # The new review's own Amazon claims are unchecked: no memory of each other.
    assert lib.changed not in {f.earlier.claim.id for f in checked_before(store, lib.same)}
    store.update_claim(lib.changed, status="false", note="the filing says $4 billion")
    assert lib.changed in {f.earlier.claim.id for f in checked_before(store, lib.same)}
    store.set_status(lib.earlier_review, "in-review")
    store.delete_review(lib.earlier_review)
    assert lib.earlier_claim not in {f.earlier.claim.id for f in checked_before(store, lib.same)}


def test_an_edited_claim_is_found_by_its_new_words(store, lib):
    store.update_claim(lib.unrelated, status="opinion", note=f"compare {AMAZON_8}")
    found = similar_to(store, AMAZON_8)
    assert lib.unrelated in {f.earlier.claim.id for f in found}
    store.update_claim(lib.unrelated, note="nothing about money")
    assert lib.unrelated not in {f.earlier.claim.id for f in similar_to(store, AMAZON_8)}


def test_an_unknown_claim_is_not_found(store, lib):
    with pytest.raises(NotFound):
        checked_before(store, 999_999)


# ---------------------------------------------------------------------- reuse
def test_reuse_links_the_sources_quotes_the_note_and_records_where_from(store, lib):
    before = review_rows(store.path, lib.earlier_review)
    result = reuse_check(store, lib.same, lib.earlier_claim)
    claim = store.claim_by_id(lib.same)
    sources = store.sources(lib.review)
    assert [s.url for s in sources] == [SEC_URL]
    assert claim.source_ids == [sources[0].id] == result.added_sources
    assert sources[0].id != lib.earlier_source  # a copy in this review
    assert claim.reused_from is not None
    assert claim.reused_from.review_id == lib.earlier_review
    assert claim.reused_from.claim_number == 1
    assert claim.reused_from.review_title == "Cloud deals in March"
    assert f"> {EARLIER_NOTE}" in claim.note
    assert f"review {lib.earlier_review} claim 1" in claim.note
    assert claim.status == "unchecked"  # the verdict stays the editor's to give
    # The signed-off review it came from is exactly as it was.
    assert review_rows(store.path, lib.earlier_review) == before
    assert store.review(lib.earlier_review).status == ReviewStatus.SIGNED_OFF


def test_reuse_links_an_identical_source_already_in_the_review(store, lib):
    here = store.add_source(lib.review, url=SEC_URL, title="SEC filing")
    result = reuse_check(store, lib.changed, lib.earlier_claim)
    assert result.added_sources == [] and result.linked_sources == [here.id]
    assert [s.id for s in store.sources(lib.review)] == [here.id]
    assert store.claim_by_id(lib.changed).source_ids == [here.id]


def test_undo_of_reuse_puts_the_claim_and_the_review_back(store, lib):
    store.update_claim(lib.same, note="my own note")
    before = review_rows(store.path, lib.review)
    result = reuse_check(store, lib.same, lib.earlier_claim)
    undo_reuse(store, result)
    after = review_rows(store.path, lib.review)
    # Only the clocks moved.
    strip = _without_times
    assert strip(after["claims"]) == strip(before["claims"])
    assert after["sources"] == before["sources"] and after["links"] == before["links"]
    assert store.claim_by_id(lib.same).note == "my own note"
    assert store.claim_by_id(lib.same).reused_from is None


def _without_times(rows: list) -> list:
    return [tuple(v for v in row if not (isinstance(v, str) and v[:2] == "20")) for row in rows]


def test_reuse_into_a_signed_off_review_is_refused_and_nothing_changes(store, lib):
    store.update_claim(lib.same, status="verified")
    store.add_source(lib.review, [lib.same], url="https://example.org/other")
    store.set_status(lib.review, "signed-off")
    before = rows_of(store.path)
    with pytest.raises(ReviewLocked, match="reopen"):
        reuse_check(store, lib.same, lib.earlier_claim)
    assert rows_of(store.path) == before


@pytest.mark.parametrize(
    ("which", "error", "message"),
    [
        ("self", BadInput, "its own check"),
        ("missing", BadInput, "no earlier claim"),
        ("missing-target", NotFound, "no claim"),
    ],
)
def test_bad_reuse_says_why_and_changes_nothing(store, lib, which, error, message):
    target, earlier = {
        "self": (lib.same, lib.same),
        "missing": (lib.same, 999_999),
        "missing-target": (999_999, lib.earlier_claim),
    }[which]
    before = rows_of(store.path)
    with pytest.raises(error, match=message):
        reuse_check(store, target, earlier)
    assert rows_of(store.path) == before


def test_reusing_the_same_check_twice_is_refused(store, lib):
    reuse_check(store, lib.same, lib.earlier_claim)
    before = rows_of(store.path)
    with pytest.raises(BadInput, match="already reuses"):
        reuse_check(store, lib.same, lib.earlier_claim)
    assert rows_of(store.path) == before


def test_an_existing_library_gets_its_claims_into_the_memory(db_path):
    """The migration fills the index with the claims a library already had."""
    from reviewapp.store import migrations
    from tests.rawdb import raw_db, undo_claim_memory

    with ReviewStore(db_path) as store:
        lib = build_memory_library(store)
    with raw_db(db_path) as conn:
        undo_claim_memory(conn)
        version = migrations.MIGRATIONS.index(migrations.CLAIM_MEMORY_SCHEMA)
        conn.execute(f"PRAGMA user_version = {version}")
    with ReviewStore(db_path) as store:
        assert store.schema_version == migrations.LATEST
        found = checked_before(store, lib.same)
        assert [f.earlier.claim.id for f in found] == [lib.earlier_claim]
