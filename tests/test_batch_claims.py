"""A large batch of claims (`claim add ID --from FILE`): every quote is looked up in one pass over
the text, and each claim lands where `claim add --quote` would put it, or the batch is refused
naming the line, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewapp.core.anchoring import INDEX_FROM_QUOTES, locate_quote, locate_quotes
from reviewapp.core.errors import AnchorError
from reviewapp.core.stableids import IdKind, is_stable_id, new_stable_ids
from reviewapp.store import ReviewStore
from tests.conftest import file_digest, make_draft

# Numbered sentences (each quote of one is unique), a repeated sentence, and runs of one letter
# (overlapping occurrences: "aaa" occurs twice in "aaaa").
SENTENCES = [f"Sentence {i} reports {i * 7} million users in region {i % 13}." for i in range(700)]
PARAS = [" ".join(SENTENCES[i : i + 10]) for i in range(0, len(SENTENCES), 10)] + [
    "The same line again.",
    "The same line again.",
    "aaaa bbbb aaaa",
]


def _quotes() -> list[tuple[str, int | None]]:
    """A batch as large as the index wants, with every kind of answer in it."""
    quotes: list[tuple[str, int | None]] = [(s, None) for s in SENTENCES]
    quotes += [
        ("The same line again.", None),  # twice: ambiguous
        ("The same line again.", 2),
        ("The same line again.", 3),  # out of range
        ("aaa", 3),  # overlapping: four occurrences in all
        ("aaa", 4),
        ("aa", None),  # shorter than the index's key: scanned for
        ("region 5.  Sentence   6 reports", None),  # whitespace collapsed as the article's
        ("not in the article", None),
        ("   ", None),  # empty once collapsed
        ("users in region 1.", None),  # a suffix of many sentences, with different endings
    ]
    return quotes


def _answer(text: str, quote: str, occurrence: int | None) -> object:
    try:
        return locate_quote(text, quote, occurrence)
    except AnchorError as exc:
        return str(exc)


def test_a_large_batch_finds_each_quote_where_locate_quote_does():
    text = make_draft(PARAS).document.text
    quotes = _quotes()
    assert len(quotes) >= INDEX_FROM_QUOTES  # the one-pass index is what answers here
    found = locate_quotes(text, quotes)
    answers = [str(f) if isinstance(f, AnchorError) else f for f in found]
    assert answers == [_answer(text, q, k) for q, k in quotes]
    # and the answers are the real ones, not merely the same
    assert text[found[0].start : found[0].end] == SENTENCES[0]  # type: ignore[union-attr]
    assert "occurs 2 times" in answers[len(SENTENCES)]
    assert [a.start for a in found[len(SENTENCES) + 3 : len(SENTENCES) + 5]] == [  # type: ignore[union-attr]
        text.rindex("aaaa"),
        text.rindex("aaaa") + 1,
    ]
    # a small batch scans for each quote, with the same answers
    few = quotes[-10:]
    assert [str(f) if isinstance(f, AnchorError) else f for f in locate_quotes(text, few)] == [
        _answer(text, q, k) for q, k in few
    ]


def _jsonl(path: Path, quotes: list[str]) -> Path:
    """One claim a line; the last one's note is a word the article does not have."""
    lines = [{"quote": q} for q in quotes]
    lines[-1]["note"] = "zebrafinch"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_file_of_700_claims_is_added_in_text_order_each_on_its_sentence(cli, db_path, tmp_path):
    with ReviewStore(db_path) as store:
        rid = store.add_article(make_draft(PARAS))
    # in reverse: the numbers still follow the text
    claims = _jsonl(tmp_path / "claims.jsonl", SENTENCES[::-1])
    result = cli("claim", "add", rid, "--from", claims)
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == len(SENTENCES)
    shown = json.loads(cli("show", rid, "--json").out)["claims"]
    assert [c["quote"] for c in shown] == SENTENCES
    with ReviewStore(db_path) as store:
        events = [e for e in store.events(rid) if e["action"] == "claim-add"]
        assert len(events) == len(SENTENCES)
        first = json.loads(events[-1]["detail"])  # the events follow the file's order
        text = make_draft(PARAS).document.text
        assert first["quote"] == SENTENCES[0] and first["start"] == text.index(SENTENCES[0])
        # the search index has the claims' notes (the FTS triggers ran for the batch)
        assert [r.id for r in store.list_reviews(query="zebrafinch")] == [rid]


def test_one_ambiguous_line_among_700_refuses_the_file_naming_it(cli, db_path, tmp_path):
    with ReviewStore(db_path) as store:
        rid = store.add_article(make_draft(PARAS))
    quotes = [*SENTENCES[:600], "The same line again.", *SENTENCES[600:]]
    claims = _jsonl(tmp_path / "claims.jsonl", quotes)
    before = file_digest(db_path)
    result = cli("claim", "add", rid, "--from", claims)
    assert result.code == 2 and result.out == ""
    assert f"{claims} line 601: the quote 'The same line again.' occurs 2 times" in result.err
    assert "no claim was added" in result.err
    assert file_digest(db_path) == before


@pytest.mark.parametrize("kind", list(IdKind))
def test_a_batch_of_stable_ids_are_well_formed_and_of_their_kind(kind):
    ids = new_stable_ids(kind, 3000)
    assert all(is_stable_id(i, kind) for i in ids)
    assert len(set(ids)) > 2990  # 40 random bits each: a repeat among 3,000 is rare
