"""The sign-off gate says exactly what is missing, naming claim numbers, one line each."""

from __future__ import annotations

import re

import pytest

from reviewapp.core.gate import gate_checklist, gate_problems
from tests.conftest import make_draft
from tests.test_signoff_fixtures import PARAS, ready_review


@pytest.fixture
def review_id(store):
    return ready_review(store)


def test_a_complete_review_passes_every_check(store, review_id):
    data = store.load_review(review_id)
    assert gate_problems(data) == []
    assert all(check.ok for check in gate_checklist(data))
    assert [c.key for c in gate_checklist(data)] == [
        "unchecked", "anchoring", "sources", "verdict", "reviewer",
    ]  # fmt: skip


def test_unchecked_claims_are_named_by_number(store, review_id):
    for number in (1, 3):
        store.update_claim(store.claim(review_id, number).id, status="unchecked")
    problems = gate_problems(store.load_review(review_id))
    assert len(problems) == 1
    assert problems[0].startswith("claims 1, 3 are still unchecked")
    assert f"reviewapp claim set {review_id}" in problems[0]


def test_a_claim_that_is_not_firmly_anchored_blocks_signoff(store, review_id):
    store.set_anchor_state(store.claim(review_id, 2).id, "needs-confirmation")
    store.set_anchor_state(store.claim(review_id, 3).id, "orphaned")
    (problem,) = gate_problems(store.load_review(review_id))
    assert problem.startswith("claims 2, 3 are not firmly anchored (needs confirmation, orphaned)")
    # "moved" is firm: re-anchoring found the exact quote elsewhere.
    store.set_anchor_state(store.claim(review_id, 2).id, "moved")
    store.set_anchor_state(store.claim(review_id, 3).id, "anchored")
    assert gate_problems(store.load_review(review_id)) == []


@pytest.mark.parametrize("status", ["verified", "partly-true", "false"])
def test_a_factual_verdict_needs_a_source_or_a_written_override(store, review_id, status):
    claim = store.add_claim_by_quote(review_id, "Anthropic suspended", status=status)
    number = store.claim_by_id(claim.id).number
    (problem,) = gate_problems(store.load_review(review_id))
    assert problem.startswith(f"claim {number} has no source")
    assert "--source-override" in problem
    store.update_claim(claim.id, source_override="   ")  # blank is no reason
    assert gate_problems(store.load_review(review_id)) == [problem]
    store.update_claim(claim.id, source_override="Seen the signed contract myself")
    assert gate_problems(store.load_review(review_id)) == []


@pytest.mark.parametrize("status", ["unverifiable", "opinion"])
def test_statuses_that_assert_no_fact_need_no_source(store, review_id, status):
    store.add_claim_by_quote(review_id, "Anthropic suspended", status=status)
    assert gate_problems(store.load_review(review_id)) == []


def test_verdict_and_reviewer_are_required(store):
    review_id = store.add_article(make_draft(PARAS))
    store.add_claim_by_quote(review_id, "99.9% reliability", status="opinion")
    problems = gate_problems(store.load_review(review_id))
    assert [re.split("[:(]", p)[0].strip() for p in problems] == [
        "no verdict is set",
        "no reviewer is named",
    ]
    # The person signing can supply the name the review lacks.
    assert len(gate_problems(store.load_review(review_id), reviewer="Ada")) == 1


def test_a_review_with_no_claims_may_be_signed_only_with_a_verdict(store):
    review_id = store.add_article(make_draft(PARAS))
    store.set_review(review_id, reviewer="Ada")
    (problem,) = gate_problems(store.load_review(review_id))
    assert "no verdict is set" in problem and "no claims" in problem
    store.set_review(review_id, verdict="publish")
    assert gate_problems(store.load_review(review_id)) == []


def test_every_problem_at_once_one_line_each(store):
    review_id = store.add_article(make_draft(PARAS))
    store.add_claim_by_quote(review_id, "has committed $4 billion")
    c2 = store.add_claim_by_quote(review_id, "99.9% reliability", status="verified")
    store.set_anchor_state(c2.id, "ambiguous")
    problems = gate_problems(store.load_review(review_id))
    assert len(problems) == 5
    assert all("\n" not in p for p in problems)
    assert problems[0].startswith("claim 1 is still unchecked")
    assert problems[1].startswith("claim 2 is not firmly anchored (ambiguous)")
    assert problems[2].startswith("claim 2 has no source")


def test_the_gui_wording_names_no_command_and_the_cli_wording_says_which_to_run(store):
    review_id = store.add_article(make_draft(PARAS))
    store.add_claim_by_quote(review_id, "99.9% reliability", status="verified")
    data = store.load_review(review_id)
    plain = gate_problems(data, commands=False)
    for_terminal = gate_problems(data)
    assert len(plain) == len(for_terminal) == 3
    assert not any("reviewapp " in p for p in plain)
    assert all("reviewapp " in p for p in for_terminal[:2])
    assert all(check.problem in plain for check in gate_checklist(data) if not check.ok)
