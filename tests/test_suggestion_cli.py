"""`reviewapp suggest ID --accept K` and `--dismiss K --reason TEXT` (issue 16): each decision
stored, the listing and --json show it with the coverage line; bad input is one line, exit 2,
and the database unchanged."""

from __future__ import annotations

import json

import pytest

from reviewapp.store import ReviewStore
from tests.conftest import file_digest


@pytest.fixture
def review(cli, sample_path) -> int:
    return int(cli("import", sample_path, "--reviewer", "Ada Editor").out)


def _listing(cli, review) -> dict:
    r = cli("suggest", review, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_accept_by_number_makes_a_claim_on_the_sentence(cli, review, db_path):
    before = _listing(cli, review)
    assert before["examined"] == 0 and before["enforced"] is True
    money = next(s for s in before["suggestions"] if "$4 billion" in s["text"])
    r = cli("suggest", review, "--accept", str(money["k"]))
    assert r.code == 0, r.err
    assert r.out.strip() == "1"  # the claim's number
    after = _listing(cli, review)
    entry = after["suggestions"][money["k"] - 1]
    assert (entry["decision"], entry["claims"]) == ("claimed", [1])
    assert after["examined"] == 1
    with ReviewStore(db_path) as store:
        claim = store.claim(review, 1)
    assert claim.quote == money["text"] and claim.suggestion_key == money["key"]
    listing = cli("suggest", review).out
    assert listing.splitlines()[0].startswith(f"Review {review}, revision 1: 1 of ")
    assert "[claimed by Ada Editor (claim 1)]" in listing  # who decided, as for a dismissal


def test_accept_a_selection_by_key_with_start_and_end(cli, review, db_path):
    money = next(s for s in _listing(cli, review)["suggestions"] if "$4 billion" in s["text"])
    start = money["start"] + money["text"].index("$4 billion")
    r = cli("suggest", review, "--accept", money["key"], "--start", start, "--end", start + 10)
    assert r.code == 0, r.err
    with ReviewStore(db_path) as store:
        assert store.claim(review, 1).quote == "$4 billion"


def test_dismiss_records_the_reason_and_the_listing_shows_it(cli, review):
    first = _listing(cli, review)["suggestions"][0]
    r = cli("suggest", review, "--dismiss", "1", "--reason", "a headline, not a claim")
    assert r.code == 0, r.err
    entry = _listing(cli, review)["suggestions"][0]
    assert entry["key"] == first["key"]
    assert (entry["decision"], entry["reason"], entry["decided_by"]) == (
        "dismissed",
        "a headline, not a claim",
        "Ada Editor",
    )
    assert "[dismissed by Ada Editor " in cli("suggest", review).out
    again = cli(
        "suggest", review, "--dismiss", "1", "--reason", "headline", "--reviewer", "Bo Desk"
    )
    assert again.code == 0, again.err
    entry = _listing(cli, review)["suggestions"][0]
    assert (entry["reason"], entry["decided_by"]) == ("headline", "Bo Desk")


@pytest.mark.parametrize(
    "args, message",
    [
        (("--dismiss", "1"), "--dismiss K needs --reason TEXT"),
        (("--dismiss", "1", "--reason", "   "), "--dismiss K needs --reason TEXT"),
        (("--dismiss", "999", "--reason", "x"), "has no suggestion 999"),
        (("--accept", "0-5-0123456789abcdef"), "is not a suggestion of review"),
        (("--accept", "nonsense"), "is not a suggestion of review"),
        (("--accept", "1", "--start", "0"), "give both --start and --end"),
        (("--accept", "2", "--start", "0", "--end", "5"), "is not inside suggestion"),
        (("--reason", "why"), "--reason goes with --dismiss"),
        (("--accept", "1", "--dismiss", "2"), "not allowed with argument"),
        (("--accept", "1", "--json"), "--json lists the suggestions"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_changes(cli, review, db_path, args, message):
    before = file_digest(db_path)
    r = cli("suggest", review, *args)
    assert r.code == 2
    assert message in r.err
    assert r.out == ""
    assert file_digest(db_path) == before


def test_an_unknown_review_is_one_line(cli, review, db_path):
    before = file_digest(db_path)
    r = cli("suggest", 99, "--dismiss", "1", "--reason", "x")
    assert r.code == 2 and "no review 99" in r.err and len(r.err.splitlines()) == 1
    assert file_digest(db_path) == before


def test_a_signed_off_review_refuses_decisions(cli, review, db_path):
    with ReviewStore(db_path) as store:
        store.set_status(review, "signed-off")
    before = file_digest(db_path)
    for args in (("--accept", "1"), ("--dismiss", "1", "--reason", "common knowledge")):
        r = cli("suggest", review, *args)
        assert r.code == 2 and "signed off; reopen it" in r.err
    assert file_digest(db_path) == before
    assert cli("suggest", review).code == 0  # the listing still reads


def test_a_claimed_sentence_cannot_be_dismissed(cli, review, db_path):
    assert cli("suggest", review, "--accept", "1").code == 0
    before = file_digest(db_path)
    r = cli("suggest", review, "--dismiss", "1", "--reason", "x")
    assert r.code == 2 and "already claimed (claim 1)" in r.err
    assert file_digest(db_path) == before


def test_the_listing_says_when_the_library_does_not_enforce_coverage(cli, review, db_path):
    with ReviewStore(db_path) as store:
        store.set_coverage_enforced(False)
    first = cli("suggest", review).out.splitlines()[0]
    assert "this library does not require them all examined before sign-off" in first
    assert _listing(cli, review)["enforced"] is False
