"""`reviewapp similar` and `reviewapp reuse`: what a script or a terminal user sees."""

from __future__ import annotations

import json

import pytest

from reviewapp.store import ReviewStore
from tests.memory_library import AMAZON_4, EARLIER_NOTE, SEC_URL, build_memory_library, rows_of


@pytest.fixture
def lib(db_path):
    with ReviewStore(db_path) as store:
        return build_memory_library(store)


def test_similar_lists_the_same_claim_with_its_check(cli, lib):
    result = cli("similar", lib.review, 1)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"Checked before, like claim 1 “{AMAZON_4}”:"
    assert lines[1].startswith(
        f"  1. same: review {lib.earlier_review} “Cloud deals in March” (signed off), claim 1 "
    )
    assert "Verified" in lines[1]
    assert f"note: {EARLIER_NOTE}" in result.out
    assert "correction: say “up to”" in result.out
    assert f"source (supports): SEC filing {SEC_URL}" in result.out


def test_similar_json_says_same_or_related(cli, lib):
    same = json.loads(cli("similar", lib.review, 1, "--json").out)
    changed = json.loads(cli("similar", lib.review, 2, "--json").out)
    assert [(r["strength"], r["claim"]["quote"]) for r in same] == [("same", AMAZON_4)]
    assert [r["strength"] for r in changed] == ["related"]
    first = same[0]
    assert first["review"] == {
        "id": lib.earlier_review,
        "title": "Cloud deals in March",
        "status": "signed-off",
        "signed_off": True,
    }
    assert first["claim"]["status"] == "verified" and first["claim"]["note"] == EARLIER_NOTE
    assert [(s["url"], s["stance"]) for s in first["sources"]] == [(SEC_URL, "supports")]


def test_similar_says_so_when_nothing_was_checked_before(cli, lib):
    result = cli("similar", lib.review, 3)
    assert result.code == 0
    assert result.out == "Nothing worded like claim 3 was checked before.\n"
    assert json.loads(cli("similar", lib.review, 3, "--json").out) == []


def test_reuse_by_review_and_number_links_and_records(cli, lib, db_path):
    result = cli("reuse", lib.review, 1, "--from", f"{lib.earlier_review}:1")
    assert result.code == 0, result.err
    assert result.out == (
        f"claim 1 reuses review {lib.earlier_review} claim 1 ("
        + result.out.split("(", 1)[1].split(")", 1)[0]
        + "): 1 source(s) copied, 0 linked, note quoted\n"
    )
    shown = cli("show", lib.review).out
    assert f"reused the check of review {lib.earlier_review} claim 1 (c-" in shown
    assert "SEC filing · " in shown  # the copied source is listed with the review's sources
    with ReviewStore(db_path) as store:
        claim = store.claim(lib.review, 1)
        assert claim.reused_from is not None
        assert claim.reused_from.review_id == lib.earlier_review
        assert [store.source(s).url for s in claim.source_ids] == [SEC_URL]


def test_reuse_by_the_earlier_claims_stable_id(cli, lib, db_path):
    with ReviewStore(db_path) as store:
        stable_id = store.claim_by_id(lib.earlier_claim).stable_id
    result = cli("reuse", lib.review, 2, "--from", stable_id)
    assert result.code == 0, result.err
    assert f"reuses review {lib.earlier_review} claim 1 ({stable_id})" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("similar", 999, 1), "no review 999"),
        (("similar", "{review}", 9), "has no claim 9"),
        (("reuse", "{review}", 1, "--from", "999:1"), "no review 999"),
        (("reuse", "{review}", 1, "--from", "{earlier}:7"), "has no claim 7"),
        (("reuse", "{review}", 1, "--from", "nonsense"), "give the earlier claim as R:N"),
        (("reuse", "{review}", 1, "--from", "c-2222222a"), "no claim has the id c-2222222a"),
        (("reuse", "{review}", 1, "--from", "{review}:1"), "its own check"),
        (("reuse", "{earlier}", 1, "--from", "{review}:1"), "signed off; reopen it"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_changes(cli, lib, db_path, args, message):
    names = {"review": lib.review, "earlier": lib.earlier_review}
    argv = [str(a).format(**names) for a in args]
    before = rows_of(db_path)
    result = cli(*argv)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert rows_of(db_path) == before
