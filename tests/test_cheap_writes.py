"""Cheap writes: a batch of claims from a file (all or none), and a one-field edit that still
logs its event and keeps the search index in step."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviewapp.core.errors import ReviewLocked
from reviewapp.store import NewClaim, ReviewStore
from tests.conftest import file_digest, make_draft

PARAS = [
    "Amazon has committed $4 billion to the startup.",
    "The cloud demands 99.9% reliability.",
]


@pytest.fixture
def imported(cli, sample_path):
    result = cli("import", sample_path)
    assert result.code == 0, result.err
    return int(result.out.strip())


def _jsonl(path: Path, *items: object) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_claim_add_from_a_file_prints_what_claim_add_prints_for_each_line(cli, imported, tmp_path):
    claims = _jsonl(
        tmp_path / "claims.jsonl",
        {"quote": "99.9% reliability", "status": "false", "note": "no such figure"},
        {"quote": "suspended global access to two specific model versions"},
        {"quote": "Anthropic", "occurrence": 2, "correction": "Anthropic PBC"},
    )
    result = cli("claim", "add", imported, "--from", claims)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 3
    assert all(re.fullmatch(r"claim \d+ \(c-[0-9a-z]{8}\)", line) for line in lines)
    shown = json.loads(cli("show", imported, "--json").out)
    by_quote = {c["quote"]: c for c in shown["claims"]}
    assert by_quote["99.9% reliability"]["status"] == "false"
    assert by_quote["99.9% reliability"]["note"] == "no such figure"
    # Each printed line names the claim by the number `show` gives it and its stable id.
    for line in lines:
        number, ref = re.fullmatch(r"claim (\d+) \((\S+)\)", line).groups()
        assert shown["claims"][int(number) - 1]["id"] == ref
    as_json = cli(
        "claim",
        "add",
        imported,
        "--json",
        "--from",
        _jsonl(tmp_path / "more.jsonl", {"quote": "Bedrock platform"}),
    )
    assert json.loads(as_json.out)["id"].startswith("c-")


@pytest.mark.parametrize(
    ("bad_line", "says"),
    [
        ('{"quote": "not in the article at all"}', "does not occur"),
        ('{"quote": "Anthropic"}', "occurs"),
        ('{"quote": "99.9% reliability", "status": "maybe"}', "claim status"),
        ('{"quote": "99.9% reliability", "colour": "red"}', "unknown field colour"),
        ('{"quote": 7}', "quote must be text"),
        ("not json", "not JSON"),
        ('["a list"]', "not a JSON object"),
    ],
)
def test_a_bad_line_refuses_the_whole_file_naming_its_line(
    cli, imported, db_path, tmp_path, bad_line, says
):
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        '{"quote": "has committed $4 billion"}\n\n'
        + bad_line
        + '\n{"quote": "Bedrock platform"}\n',
        encoding="utf-8",
    )
    before = file_digest(db_path)
    result = cli("claim", "add", imported, "--from", claims)
    assert result.code == 2
    assert result.out == ""
    message = result.err.strip()
    assert "\n" not in message
    assert f"{claims} line 3:" in message and says in message
    assert "no claim was added" in message
    assert file_digest(db_path) == before
    assert json.loads(cli("show", imported, "--json").out)["claims"] == []


def test_claim_add_wants_a_quote_or_a_file(cli, imported, tmp_path):
    result = cli("claim", "add", imported)
    assert result.code == 2 and "--quote" in result.err and "--from" in result.err
    missing = cli("claim", "add", imported, "--from", tmp_path / "nowhere.jsonl")
    assert missing.code == 2 and "nowhere.jsonl" in missing.err


def test_a_batch_on_a_signed_off_review_is_refused(db_path):
    store = ReviewStore(db_path)
    rid = store.add_article(make_draft(PARAS))
    store.set_status(rid, "signed-off")
    with pytest.raises(ReviewLocked):
        store.add_claims(rid, [NewClaim("99.9% reliability")])
    assert store.claims(rid) == []


def test_a_note_edit_logs_its_event_and_search_finds_the_new_note(db_path):
    store = ReviewStore(db_path)
    rid = store.add_article(make_draft(PARAS))
    (claim,) = store.add_claims(rid, [NewClaim("99.9% reliability")])
    written = store.update_claim(claim.id, note="zanzibarian figure")
    assert written == store.claim_by_id(claim.id)
    last = store.events(rid)[-1]
    assert last["action"] == "claim-set"
    assert json.loads(last["detail"]) == {"claim_id": claim.id, "note": "zanzibarian figure"}
    hits = store.search("zanzibarian")
    assert [(h["review_id"], h["kind"]) for h in hits] == [(rid, "claim")]
    assert store.claim_by_id(claim.id).note == "zanzibarian figure"
    assert store.review(rid).status == "in-review"


def test_a_note_edit_on_a_signed_off_review_changes_nothing(db_path):
    store = ReviewStore(db_path)
    rid = store.add_article(make_draft(PARAS))
    (claim,) = store.add_claims(rid, [NewClaim("99.9% reliability")])
    store.set_status(rid, "signed-off")
    events = len(store.events(rid))
    with pytest.raises(ReviewLocked):
        store.update_claim(claim.id, note="late")
    assert store.claim_by_id(claim.id).note == ""
    assert len(store.events(rid)) == events


def test_an_edit_returns_the_claim_as_a_fresh_read_gives_it(db_path):
    store = ReviewStore(db_path)
    rid = store.add_article(make_draft(PARAS))
    claims = store.add_claims(
        rid, [NewClaim("99.9% reliability"), NewClaim("$4 billion"), NewClaim("The cloud")]
    )
    # A claim with no place (orphaned) is numbered last.
    store.move_claim(claims[0].id, {"start": None, "end": None}, action="claim-orphan")
    for claim in claims:
        assert store.update_claim(claim.id, status="verified") == store.claim_by_id(claim.id)
