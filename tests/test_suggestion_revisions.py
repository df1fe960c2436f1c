"""New drafts (issue 16): suggestions are recomputed on the new text; a dismissal carries over
when its sentence is unchanged (in place or moved) and is asked again when it changed; a claim
accepted from a suggestion keeps its mark. Through a real revision import."""

from __future__ import annotations

import pytest

from reviewapp.core.states import ReviewStatus
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.revisions import import_revision
from reviewapp.workflows.signoff import sign_off
from reviewapp.workflows.suggestions import (
    Decision,
    accept_suggestion,
    coverage_for,
    dismiss_suggestion,
)
from tests.conftest import make_draft, record_accountability

MONEY = "Amazon has committed $4 billion to the startup."
MODELS = "Anthropic suspended global access to two specific model versions."
CLOUD = "The cloud demands 99.9% reliability, the company said."
SALES = "Sales of the device rose 40% last year, according to the company."
PRICES = "Prices fell 10% in March, the statistics agency said."


@pytest.fixture
def review(store: ReviewStore) -> int:
    """Money claimed from its suggestion, cloud and sales dismissed, models open."""
    review_id = store.add_article(make_draft([MONEY, MODELS, CLOUD, SALES]), reviewer="Ada")
    by_text = {s.text: s.key for s in coverage_for(store, review_id).suggestions}
    accept_suggestion(store, review_id, by_text[MONEY], reviewer="Ada")
    dismiss_suggestion(store, review_id, by_text[CLOUD], "quoted only", reviewer="Ada")
    dismiss_suggestion(store, review_id, by_text[SALES], "common knowledge", reviewer="Bo")
    return review_id


def _decisions(store: ReviewStore, review_id: int) -> dict[str, tuple[Decision, str, str]]:
    return {
        s.text: (s.decision, s.dismissal_reason, s.decided_by)
        for s in coverage_for(store, review_id).suggestions
    }


def test_an_unchanged_sentence_keeps_its_dismissal_a_changed_one_is_asked_again(store, review):
    old_revision = store.review(review).revision_id
    before = {d.key: d for d in store.dismissals(review)}
    cloud_before = next(d for d in before.values() if d.sentence == CLOUD)
    changed = SALES.replace("40%", "45%")
    # The cloud paragraph moves to the top, unchanged; the sales figure changes; a new one.
    report = import_revision(store, review, make_draft([CLOUD, PRICES, MONEY, MODELS, changed]))
    assert (report.dismissals_kept, report.dismissals_dropped) == (1, (SALES,))
    assert any(
        line == "dismissed suggestions: 1 carried over (sentence unchanged), 1 to examine again "
        "(sentence changed)"
        for line in report.summary_lines()
    )
    decisions = _decisions(store, review)
    assert decisions[CLOUD] == (Decision.DISMISSED, "quoted only", "Ada")
    assert decisions[changed] == (Decision.OPEN, "", "")  # asked again
    assert decisions[PRICES] == (Decision.OPEN, "", "")  # a new sentence
    assert decisions[MONEY][0] is Decision.CLAIMED
    assert decisions[MODELS][0] is Decision.OPEN
    # The carried dismissal is keyed where its sentence is now, with its time and author.
    (cloud,) = [d for d in store.dismissals(review) if d.sentence == CLOUD]
    text = store.revision(store.review(review).revision_id).text
    start, end, _ = (int(x) if x.isdigit() else x for x in cloud.key.split("-"))
    assert text[start:end] == CLOUD and cloud.key != cloud_before.key
    assert cloud.decided_at == cloud_before.decided_at
    # The claim accepted from a suggestion followed its claim.
    (claim,) = store.claims(review)
    assert claim.suggestion_key and claim.quote == MONEY
    # The old revision's decisions stay as they were (undoing the import finds them).
    assert {d.key for d in store.dismissals(review, old_revision)} == set(before)
    assert store.events(review)[-1]["action"] == "suggestion-carry"


def test_a_draft_that_only_grows_keeps_every_dismissal_in_place(store, review):
    keys = {d.key for d in store.dismissals(review)}
    report = import_revision(store, review, make_draft([MONEY, MODELS, CLOUD, SALES, PRICES]))
    assert (report.dismissals_kept, report.dismissals_dropped) == (2, ())
    assert {d.key for d in store.dismissals(review)} == keys
    cov = coverage_for(store, review)
    assert (cov.examined, cov.total) == (3, 5)


def test_a_signed_off_review_reopened_by_a_new_draft_carries_its_dismissals(store, review):
    models = next(s for s in coverage_for(store, review).suggestions if s.text == MODELS)
    dismiss_suggestion(store, review, models.key, "covered by another claim", reviewer="Ada")
    store.update_claim(store.claim(review, 1).id, status="opinion")
    store.set_review(review, verdict="publish")
    record_accountability(store, review)
    sign_off(store, review, "Ada", "ada@example.org", secrets=MemorySecretStore())
    report = import_revision(store, review, make_draft([MONEY, MODELS, CLOUD, SALES, PRICES]))
    assert report.reopened is not None
    assert store.review(review).status == ReviewStatus.IN_REVIEW
    data = store.load_review(review)
    assert data.suggestions is not None and data.suggestions.enforced
    assert _decisions(store, review)[MODELS] == (
        Decision.DISMISSED,
        "covered by another claim",
        "Ada",
    )
    assert _decisions(store, review)[PRICES][0] is Decision.OPEN
