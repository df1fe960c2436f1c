"""`reviewapp suggest ID [--json]`: the check-worthy sentences of a review's current revision,
read-only."""

from __future__ import annotations

import json

from tests.conftest import file_digest


def test_suggest_lists_the_sample_drafts_claims_with_number_score_reasons_and_sentence(
    cli, sample_path, db_path
):
    review = int(cli("import", sample_path).out)
    before = file_digest(db_path)
    r = cli("suggest", review)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith(f"Review {review}, revision 1: ")
    assert "check-worthy sentences examined" in lines[0]
    assert any("has committed $4 billion" in line for line in lines)
    numbered = [line for line in lines if line.startswith("  1. ")]
    assert numbered and "figure" in r.out and "attribution" in r.out
    assert file_digest(db_path) == before  # read-only: nothing stored


def test_suggest_json_gives_each_suggestion_its_key_score_and_reasons(cli, sample_path):
    review = int(cli("import", sample_path).out)
    r = cli("suggest", review, "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["english"] is True and data["revision"] == 1
    shown = json.loads(cli("show", review, "--json").out)
    assert data["suggestions"], data
    texts = [s["text"] for s in data["suggestions"]]
    for claim in (
        "has committed $4 billion",
        "suspended global access to two specific model versions",
        "99.9% reliability",
    ):
        assert any(claim in t for t in texts), claim
    first = data["suggestions"][0]
    assert first["k"] == 1 and 0 <= first["score"] <= 1 and first["reasons"]
    assert len(first["hash"]) == 16 and first["end"] > first["start"]
    assert [s["k"] for s in data["suggestions"]] == list(range(1, len(texts) + 1))
    assert shown["id"] == review


def test_suggest_on_a_text_in_another_language_says_suggestions_are_english_only(cli, tmp_path):
    draft = tmp_path / "artikel.txt"
    draft.write_text(
        "Neuer Plan der Regierung\n\nDie Regierung hat am Dienstag einen neuen Plan "
        "vorgestellt, der die Steuern für Familien senken soll. Der Minister sagte, das sei "
        "nicht mit der Opposition abgestimmt, und die Kritik ist groß.\n",
        encoding="utf-8",
    )
    review = int(cli("import", draft).out)
    r = cli("suggest", review)
    assert r.code == 0, r.err
    assert "English-only" in r.out
    data = json.loads(cli("suggest", review, "--json").out)
    assert data["english"] is False and data["suggestions"] == []


def test_suggest_for_a_review_that_does_not_exist_fails_in_one_line(cli, sample_path, db_path):
    cli("import", sample_path)
    before = file_digest(db_path)
    r = cli("suggest", 99)
    assert r.code == 2
    assert r.err.strip().count("\n") == 0 and "99" in r.err
    assert file_digest(db_path) == before
