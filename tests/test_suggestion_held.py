"""A decision made with what the caller holds (workflows.suggestions.Held: the revision's text,
its claims, the suggestion) writes the same claim and the same dismissal as one that reads
everything from the store (the CLI's way), reads neither the revision nor the claims while
the held revision is current, and reads them again when the review moved to another draft."""

from __future__ import annotations

import sqlite3

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.store import ReviewStore
from reviewapp.workflows.revisions import import_revision
from reviewapp.workflows.suggestions import (
    Held,
    Suggestion,
    accepted_claim,
    coverage_for,
    dismiss_suggestion,
)
from tests.conftest import make_draft

PARAGRAPHS = [
    "Amazon has committed $4 billion to the company, according to a filing.",
    "I think this is a lovely day.",
    "The firm reportedly suspended access to two model versions last week.",
]


def _twins(tmp_path) -> list[tuple[ReviewStore, int]]:
    """Two libraries with the same review in each: one decided with Held, one without."""
    out = []
    for name in ("held", "read"):
        store = ReviewStore(tmp_path / f"{name}.db")
        out.append((store, store.add_article(make_draft(PARAGRAPHS), reviewer="Ada")))
    return out


def _held(store: ReviewStore, review_id: int, suggestion: Suggestion) -> Held:
    revision = store.revision(store.review(review_id).revision_id)
    return Held(revision.id, revision.text, store.claims(review_id), suggestion)


def _no_big_reads(store: ReviewStore, monkeypatch) -> list[str]:
    """Record every read of a whole revision or of every claim (none should happen)."""
    calls: list[str] = []
    for name in ("revision", "claims", "_current_text"):
        real = getattr(store, name)

        def spy(*args, _name=name, _real=real, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(store, name, spy)
    return calls


def _rows(path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_accepting_with_held_makes_the_same_claim_without_reading_the_text(tmp_path, monkeypatch):
    (held_store, a), (read_store, b) = _twins(tmp_path)
    first = coverage_for(held_store, a).suggestions[0]
    start = first.start + first.text.index("$4 billion")
    held = _held(held_store, a, first)
    calls = _no_big_reads(held_store, monkeypatch)
    claim = accepted_claim(
        held_store, a, first.key, start=start, end=start + 10, reviewer="Ada", held=held
    )
    assert calls == []
    plain = accepted_claim(read_store, b, first.key, start=start, end=start + 10, reviewer="Ada")
    assert claim.quote == plain.quote == "$4 billion"
    assert (claim.number, claim.start, claim.end, claim.suggestion_key) == (
        plain.number,
        plain.start,
        plain.end,
        plain.suggestion_key,
    )
    sql = 'SELECT quote, prefix, suffix, start, "end", suggestion_key FROM claims'
    assert _rows(tmp_path / "held.db", sql) == _rows(tmp_path / "read.db", sql)
    events = [[e["action"] for e in s.events(r)] for s, r in ((held_store, a), (read_store, b))]
    assert events[0] == events[1] and events[0][-1] == "suggestion-accept"


def test_dismissing_with_held_stores_the_same_dismissal_without_reading(tmp_path, monkeypatch):
    (held_store, a), (read_store, b) = _twins(tmp_path)
    second = coverage_for(held_store, a).suggestions[1]
    held = _held(held_store, a, second)
    calls = _no_big_reads(held_store, monkeypatch)
    dismiss_suggestion(held_store, a, second.key, "common knowledge", reviewer="Ada", held=held)
    assert calls == []
    dismiss_suggestion(read_store, b, second.key, "common knowledge", reviewer="Ada")
    sql = (
        'SELECT suggestion_key, sentence_hash, start, "end", sentence, score, reasons, '
        "decision, reason, reviewer FROM suggestion_decisions"
    )
    assert _rows(tmp_path / "held.db", sql) == _rows(tmp_path / "read.db", sql)
    assert len(_rows(tmp_path / "held.db", sql)) == 1
    assert [e["action"] for e in held_store.events(a)][-1] == "suggestion-dismiss"


def test_a_held_claim_on_the_sentence_still_refuses_the_dismissal(store):
    review = store.add_article(make_draft(PARAGRAPHS), reviewer="Ada")
    store.add_claim_by_quote(review, "two model versions")
    second = coverage_for(store, review).suggestions[1]
    with pytest.raises(BadInput, match="already claimed"):
        dismiss_suggestion(
            store, review, second.key, "x", reviewer="Ada", held=_held(store, review, second)
        )
    assert store.dismissals(review) == []


def test_a_held_revision_the_review_left_is_not_trusted(store):
    review = store.add_article(make_draft(PARAGRAPHS), reviewer="Ada")
    first = coverage_for(store, review).suggestions[0]
    old = _held(store, review, first)
    # A new draft with the first sentence moved: the old offsets name no suggestion now.
    import_revision(store, review, make_draft(["A new opening line.", *PARAGRAPHS]))
    assert store.review(review).revision_id != old.revision_id
    with pytest.raises(BadInput, match="is not a suggestion"):
        accepted_claim(store, review, first.key, reviewer="Ada", held=old)
    assert store.claims(review) == []
