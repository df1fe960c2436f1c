"""The sign-off gate says exactly what is missing, as structured problems naming the claims;
the CLI phrases each as one line with the command that fixes it, the GUI with its controls."""

from __future__ import annotations

import re

import pytest

from reviewapp.cli.signing import gate_line
from reviewapp.core.gate import GateProblem, GateRule, gate_problems
from reviewapp.core.states import AnchorState, ClaimStatus
from tests.conftest import examine_suggestions, make_draft, record_accountability
from tests.test_signoff_fixtures import PARAS, ready_review


def _anchor(store, claim_id: int, state: str) -> None:
    """Leave the claim as re-anchoring would, in state."""
    store.move_claim(claim_id, {"anchor_state": state}, action="reanchor")


@pytest.fixture
def review_id(store):
    return ready_review(store)


def lines(store, review_id, reviewer=None) -> list[str]:
    """The gate's problems as the CLI prints them."""
    return [gate_line(p) for p in gate_problems(store.load_review(review_id), reviewer)]


def test_a_complete_review_passes_every_check(store, review_id):
    assert gate_problems(store.load_review(review_id)) == []
    assert list(GateRule) == [
        "unchecked",
        "anchoring",
        "sources",
        "stance",
        "suggestions",
        "verdict",
        "reviewer",
        "ai-involvement",
        "responsibility",
        "second-review",
    ]


def test_unchecked_claims_are_named_by_number(store, review_id):
    for number in (1, 3):
        store.update_claim(store.claim(review_id, number).id, status="unchecked")
    (problem,) = gate_problems(store.load_review(review_id))
    ids = tuple(store.claim(review_id, n).id for n in (1, 3))
    assert problem == GateProblem(GateRule.UNCHECKED, review_id, ids, (1, 3))
    (line,) = lines(store, review_id)
    assert line.startswith("claims 1, 3 are still unchecked")
    assert f"reviewapp claim set {review_id}" in line


def test_a_claim_that_is_not_firmly_anchored_blocks_signoff(store, review_id):
    _anchor(store, store.claim(review_id, 2).id, "needs-confirmation")
    _anchor(store, store.claim(review_id, 3).id, "orphaned")
    (problem,) = gate_problems(store.load_review(review_id))
    assert problem.kind is GateRule.ANCHORING and problem.claim_numbers == (2, 3)
    assert problem.anchor_states == (AnchorState.NEEDS_CONFIRMATION, AnchorState.ORPHANED)
    (line,) = lines(store, review_id)
    assert line.startswith("claims 2, 3 are not firmly anchored (needs confirmation, orphaned)")
    # "moved" is firm: re-anchoring found the exact quote elsewhere.
    _anchor(store, store.claim(review_id, 2).id, "moved")
    _anchor(store, store.claim(review_id, 3).id, "anchored")
    assert gate_problems(store.load_review(review_id)) == []


@pytest.mark.parametrize("status", ["verified", "partly-true", "false"])
def test_a_factual_verdict_needs_a_source_or_a_written_override(store, review_id, status):
    claim = store.add_claim_by_quote(review_id, "Anthropic suspended", status=status)
    number = store.claim_by_id(claim.id).number
    (problem,) = gate_problems(store.load_review(review_id))
    assert problem == GateProblem(GateRule.SOURCES, review_id, (claim.id,), (number,))
    (line,) = lines(store, review_id)
    assert line.startswith(f"claim {number} has no source")
    assert "--source-override" in line
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
    record_accountability(store, review_id)
    examine_suggestions(store, review_id)
    store.add_claim_by_quote(review_id, "99.9% reliability", status="opinion")
    problems = gate_problems(store.load_review(review_id))
    assert [p.kind for p in problems] == [GateRule.VERDICT, GateRule.REVIEWER]
    assert [re.split("[:(]", line)[0].strip() for line in lines(store, review_id)] == [
        "no verdict is set",
        "no reviewer is named",
    ]
    # The person signing can supply the name the review lacks.
    assert len(gate_problems(store.load_review(review_id), reviewer="Ada")) == 1


def test_a_review_with_no_claims_may_be_signed_only_with_a_verdict(store):
    review_id = store.add_article(make_draft(PARAS))
    record_accountability(store, review_id)
    examine_suggestions(store, review_id)
    store.set_review(review_id, reviewer="Ada")
    (problem,) = gate_problems(store.load_review(review_id))
    assert problem.kind is GateRule.VERDICT and problem.no_claims
    (line,) = lines(store, review_id)
    assert "no verdict is set" in line and "no claims" in line
    store.set_review(review_id, verdict="publish")
    assert gate_problems(store.load_review(review_id)) == []


def test_every_problem_at_once_one_line_each(store):
    review_id = store.add_article(make_draft(PARAS))
    store.add_claim_by_quote(review_id, "has committed $4 billion")
    c2 = store.add_claim_by_quote(review_id, "99.9% reliability", status="verified")
    _anchor(store, c2.id, "ambiguous")
    problems = lines(store, review_id)
    assert len(problems) == 8
    assert all("\n" not in p for p in problems)
    assert problems[0].startswith("claim 1 is still unchecked")
    assert problems[1].startswith("claim 2 is not firmly anchored (ambiguous)")
    assert problems[2].startswith("claim 2 has no source")
    assert problems[3].startswith("1 of 3 check-worthy sentences is not examined yet")
    assert problems[6].startswith("whether AI helped write the draft is not recorded")
    assert problems[7].startswith("nobody is named as holding editorial responsibility")


def test_a_problem_states_what_is_missing_and_the_cli_adds_the_fix_and_the_command(store):
    review_id = store.add_article(make_draft(PARAS))
    store.add_claim_by_quote(review_id, "99.9% reliability", status=ClaimStatus.VERIFIED)
    problems = gate_problems(store.load_review(review_id))
    assert [str(p) for p in problems] == [
        "claim 1 has no source",
        "2 of 3 check-worthy sentences are not examined yet (neither claimed nor dismissed "
        "with a reason)",
        "no verdict is set",
        "no reviewer is named",
        "whether AI helped write the draft is not recorded (yes, no, or unknown with the "
        "reason it cannot be known)",
        "nobody is named as holding editorial responsibility for the publication",
    ]
    assert not any("reviewapp " in str(p) for p in problems)
    assert [gate_line(p) for p in problems] == [
        "claim 1 has no source: link one or record why none is needed "
        f"(reviewapp source add {review_id} --url URL --claim 1, or "
        f"reviewapp claim set {review_id} 1 --source-override REASON)",
        "2 of 3 check-worthy sentences are not examined yet (neither claimed nor dismissed "
        "with a reason): accept each as a claim or dismiss it with a reason "
        f"(reviewapp suggest {review_id} lists them; reviewapp suggest {review_id} --accept K, "
        "or --dismiss K --reason TEXT)",
        f"no verdict is set (reviewapp review {review_id} --verdict "
        "publish|publish-with-corrections|do-not-publish)",
        "no reviewer is named: give the name of the person signing off",
        "whether AI helped write the draft is not recorded (yes, no, or unknown with the "
        "reason it cannot be known): say whether AI helped "
        f"(reviewapp review {review_id} --ai-assisted yes|no, or --ai-assisted unknown "
        "--ai-unknown-reason TEXT)",
        "nobody is named as holding editorial responsibility for the publication: name the "
        f"person or organisation (reviewapp review {review_id} --responsible NAME "
        "--responsible-contact CONTACT)",
    ]
