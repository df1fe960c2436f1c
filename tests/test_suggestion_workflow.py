"""Suggestions on the record (issue 16): coverage, accepting a suggestion as a claim, dismissing
one with a reason, the library setting; each write one transaction, in the event log."""

from __future__ import annotations

import sqlite3

import pytest

from reviewapp.core.errors import BadInput, NotFound, ReviewLocked
from reviewapp.core.states import ReviewStatus
from reviewapp.store import ReviewStore, migrations
from reviewapp.workflows.suggestions import (
    DISMISS_REASONS,
    Decision,
    accept_suggestion,
    coverage_for,
    dismiss_suggestion,
    set_coverage_enforced,
    undo_dismissal,
)
from tests.conftest import make_draft

PARAGRAPHS = [
    "Amazon has committed $4 billion to the company, according to a filing.",
    "I think this is a lovely day.",
    "The firm reportedly suspended access to two model versions last week.",
]


@pytest.fixture
def review(store: ReviewStore) -> int:
    return store.add_article(make_draft(PARAGRAPHS), reviewer="Ada")


def _table(db_path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_checkworthy_sentences_are_suggested_and_open_at_first(store, review):
    cov = coverage_for(store, review)
    texts = [s.text for s in cov.suggestions]
    assert texts == [PARAGRAPHS[0], PARAGRAPHS[2]]  # the opinion is not suggested
    assert (cov.examined, cov.total, cov.enforced, cov.english) == (0, 2, True, True)
    assert all(s.decision is Decision.OPEN for s in cov.suggestions)
    assert cov.summary() == "0 of 2 check-worthy sentences examined"
    text = store.revision(store.review(review).revision_id).text
    for s in cov.suggestions:
        assert text[s.start : s.end] == s.text
    assert DISMISS_REASONS and all(r.strip() for r in DISMISS_REASONS)


def test_accepting_makes_a_claim_that_remembers_the_suggestion(store, review, db_path):
    first = coverage_for(store, review).suggestions[0]
    number = accept_suggestion(store, review, first.key, reviewer="Ada")
    claim = store.claim(review, number)
    assert claim.quote == first.text
    assert claim.suggestion_key == first.key
    cov = coverage_for(store, review)
    assert cov.suggestions[0].decision is Decision.CLAIMED
    assert cov.suggestions[0].claim_numbers == (number,)
    assert (cov.examined, cov.total) == (1, 2)
    assert [e["action"] for e in store.events(review)][-2:] == ["claim-add", "suggestion-accept"]
    assert _table(db_path, "SELECT suggestion_key FROM claims") == [(first.key,)]


def test_accepting_a_selection_inside_the_sentence(store, review):
    first = coverage_for(store, review).suggestions[0]
    start = first.start + first.text.index("$4 billion")
    number = accept_suggestion(
        store, review, first.key, start=start, end=start + len("$4 billion"), reviewer="Ada"
    )
    assert store.claim(review, number).quote == "$4 billion"
    assert coverage_for(store, review).suggestions[0].decision is Decision.CLAIMED


def test_an_editors_own_claim_on_the_sentence_counts_as_examined(store, review):
    store.add_claim_by_quote(review, "two model versions")
    cov = coverage_for(store, review)
    assert [s.decision for s in cov.suggestions] == [Decision.OPEN, Decision.CLAIMED]


def test_dismissing_records_who_why_and_when(store, review, db_path):
    second = coverage_for(store, review).suggestions[1]
    dismiss_suggestion(store, review, second.key, "  common knowledge ", reviewer="Ada")
    s = coverage_for(store, review).suggestions[1]
    assert s.decision is Decision.DISMISSED
    assert (s.dismissal_reason, s.decided_by) == ("common knowledge", "Ada")
    assert s.decided_at.endswith("Z") or "+00:00" in s.decided_at
    event = store.events(review)[-1]
    assert event["action"] == "suggestion-dismiss" and event["actor"] == "Ada"
    rows = _table(db_path, "SELECT suggestion_key, reason, reviewer FROM suggestion_decisions")
    assert rows == [(second.key, "common knowledge", "Ada")]
    assert store.review(review).status == ReviewStatus.IN_REVIEW


def test_undoing_a_dismissal_opens_the_suggestion_again(store, review):
    second = coverage_for(store, review).suggestions[1]
    dismiss_suggestion(store, review, second.key, "not verifiable", reviewer="Ada")
    undo_dismissal(store, review, second.key)
    assert coverage_for(store, review).suggestions[1].decision is Decision.OPEN
    with pytest.raises(NotFound):
        undo_dismissal(store, review, second.key)


def test_accepting_a_dismissed_suggestion_replaces_the_dismissal(store, review, db_path):
    second = coverage_for(store, review).suggestions[1]
    dismiss_suggestion(store, review, second.key, "not verifiable", reviewer="Ada")
    accept_suggestion(store, review, second.key, reviewer="Ada")
    assert coverage_for(store, review).suggestions[1].decision is Decision.CLAIMED
    assert _table(db_path, "SELECT count(*) FROM suggestion_decisions") == [(0,)]


def _snapshot(db_path) -> list:
    return [
        _table(db_path, f"SELECT * FROM {t}")
        for t in ("claims", "suggestion_decisions", "events", "reviews")
    ]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s, r, k: dismiss_suggestion(s, r, k, "   ", reviewer="Ada"), "needs a reason"),
        (
            lambda s, r, k: dismiss_suggestion(s, r, "1-2-0123456789abcdef", "x", reviewer="A"),
            "not a suggestion",
        ),
        (lambda s, r, k: accept_suggestion(s, r, "nonsense", reviewer="Ada"), "not a suggestion"),
        (lambda s, r, k: accept_suggestion(s, r, k, start=0, end=3, reviewer="Ada"), "not inside"),
        (lambda s, r, k: dismiss_suggestion(s, r, k, "two\nlines", reviewer="Ada"), "one line"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(store, review, db_path, call, message):
    key = coverage_for(store, review).suggestions[1].key
    before = _snapshot(db_path)
    with pytest.raises(BadInput, match=message):
        call(store, review, key)
    assert _snapshot(db_path) == before


def test_a_sentence_below_the_threshold_is_not_a_suggestion(store, review):
    # the opinion sentence has a key of the same shape, but it is not suggested
    from reviewapp.core.checkworthy import assess
    from reviewapp.core.coverage import suggestion_key

    text = store.revision(store.review(review).revision_id).text
    opinion = next(s for s in assess(text).scored if s.sentence.text == PARAGRAPHS[1])
    with pytest.raises(BadInput, match="not a suggestion"):
        dismiss_suggestion(store, review, suggestion_key(opinion), "opinion", reviewer="Ada")


def test_a_claimed_sentence_cannot_be_dismissed(store, review, db_path):
    first = coverage_for(store, review).suggestions[0]
    accept_suggestion(store, review, first.key, reviewer="Ada")
    before = _snapshot(db_path)
    with pytest.raises(BadInput, match="already claimed"):
        dismiss_suggestion(store, review, first.key, "common knowledge", reviewer="Ada")
    assert _snapshot(db_path) == before


def test_a_signed_off_review_refuses_both(store, review, db_path):
    key = coverage_for(store, review).suggestions[0].key
    store.set_status(review, ReviewStatus.SIGNED_OFF)
    before = _snapshot(db_path)
    with pytest.raises(ReviewLocked):
        accept_suggestion(store, review, key, reviewer="Ada")
    with pytest.raises(ReviewLocked):
        dismiss_suggestion(store, review, key, "common knowledge", reviewer="Ada")
    assert _snapshot(db_path) == before


def test_the_library_setting_switches_enforcement_and_is_kept_in_the_file(store, review, db_path):
    assert coverage_for(store, review).enforced
    set_coverage_enforced(store, False)
    assert not coverage_for(store, review).enforced
    with ReviewStore(db_path) as other:  # another connection (the CLI) sees it
        assert not other.coverage_enforced()
    assert store.events(None)[-1]["action"] == "coverage-setting"
    set_coverage_enforced(store, True)
    assert coverage_for(store, review).enforced


def test_a_text_not_in_english_has_no_suggestions(store):
    review = store.add_article(
        make_draft(
            [
                "Die Regierung hat am Montag beschlossen, dass die Steuern um 5 Prozent steigen.",
                "Der Minister sagte, dass die Entscheidung nicht leicht gewesen sei und er sie "
                "trotzdem für richtig halte.",
            ],
            title="Die Steuern steigen",
        )
    )
    cov = coverage_for(store, review)
    assert (cov.english, cov.suggestions, cov.total) == (False, (), 0)
    assert "English-only" in cov.summary()
    with pytest.raises(BadInput, match="English-only"):
        dismiss_suggestion(store, review, "1-2-0123456789abcdef", "x", reviewer="Ada")


def test_coverage_reads_on_a_read_only_connection(store, review, db_path):
    key = coverage_for(store, review).suggestions[0].key
    dismiss_suggestion(store, review, key, "common knowledge", reviewer="Ada")
    reader = ReviewStore(db_path, reader=True)
    try:
        assert coverage_for(reader, review).examined == 1
    finally:
        reader.close()


def test_the_migration_adds_its_table_and_columns(db_path, store):
    assert store.schema_version == migrations.LATEST
    names = {r[1] for r in _table(db_path, "PRAGMA table_info(claims)")}
    assert "suggestion_key" in names
    assert _table(db_path, "SELECT name FROM sqlite_master WHERE name = 'suggestion_decisions'")
