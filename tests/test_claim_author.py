"""Claims record who made them: the editor named for a dismissal is the author of a claim
accepted from a suggestion (so "decided by" is no longer empty), and of a claim added by hand
or in a batch; the bundle carries the author; the signed Markdown is unchanged by it."""

from __future__ import annotations

import json

import pytest

from reviewapp.core.coverage import Decision
from reviewapp.core.errors import BadInput
from reviewapp.export.bundle import read_bundle, review_from_bundle
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import check_bundle, import_bundle
from reviewapp.workflows.signoff import sign_off
from reviewapp.workflows.suggestions import accept_suggestion, coverage_for
from tests.conftest import make_draft, record_accountability
from tests.test_bundle_import_support import bundle_bytes, other_library, tampered
from tests.test_signoff_fixtures import EMAIL, REVIEWER, SIGNED_AT, ready_review

# Four check-worthy sentences (the suggestion record tests' draft).
PARAS = [
    "Amazon has committed $4 billion to the startup.",
    "Anthropic suspended global access to two specific model versions.",
    "The cloud demands 99.9% reliability, the company said.",
    "Sales of the device rose 40% last year, according to the company.",
]


@pytest.fixture
def review(cli, sample_path) -> int:
    return int(cli("import", sample_path, "--reviewer", "Ada Editor").out)


def _money(cli, review) -> dict:
    listing = json.loads(cli("suggest", review, "--json").out)
    return next(s for s in listing["suggestions"] if "$4 billion" in s["text"])


def test_a_claim_accepted_from_a_suggestion_is_decided_by_its_editor(cli, review, db_path):
    money = _money(cli, review)
    assert cli("suggest", review, "--accept", money["k"], "--reviewer", "Bea Desk").code == 0
    entry = _money(cli, review)
    assert (entry["decision"], entry["decided_by"]) == ("claimed", "Bea Desk")
    assert "[claimed by Bea Desk (claim 1)]" in cli("suggest", review).out
    with ReviewStore(db_path) as store:
        assert store.claim(review, 1).author == "Bea Desk"


def test_without_reviewer_the_reviews_reviewer_decides(cli, review, db_path):
    assert cli("suggest", review, "--accept", _money(cli, review)["k"]).code == 0
    assert _money(cli, review)["decided_by"] == "Ada Editor"


def test_claims_added_by_hand_or_in_a_batch_record_the_reviews_reviewer(
    cli, review, db_path, tmp_path
):
    assert cli("claim", "add", review, "--quote", "$4 billion").code == 0
    batch = tmp_path / "claims.jsonl"
    batch.write_text(json.dumps({"quote": "99.9% reliability"}) + "\n", encoding="utf-8")
    assert cli("claim", "add", review, "--from", batch).code == 0
    with ReviewStore(db_path) as store:
        assert [c.author for c in store.claims(review)] == ["Ada Editor", "Ada Editor"]


def test_a_claim_made_before_authors_were_kept_still_reads_as_decided_by_nobody(store):
    """Claims of older libraries have an empty author; coverage says so, as it did before."""
    review_id = ready_review(store)
    found = coverage_for(store, review_id)
    claimed = [s for s in found.suggestions if s.decision is Decision.CLAIMED]
    assert claimed and all(s.decided_by == "" for s in claimed)


def test_the_bundle_carries_the_author_and_the_signed_markdown_does_not_change(store, tmp_path):
    review_id = store.add_article(make_draft(PARAS, title="A draft"))
    store.set_review(review_id, reviewer=REVIEWER, verdict="publish")
    record_accountability(store, review_id)
    for s in coverage_for(store, review_id).suggestions:  # every sentence claimed by Bea
        number = accept_suggestion(store, review_id, s.key, reviewer="Bea Desk")
        store.update_claim(store.claim(review_id, number).id, status="opinion")
    store.add_claim_by_quote(review_id, "Amazon", status="opinion")  # a claim of no one's
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=MemorySecretStore(), now=SIGNED_AT)
    signed = store.load_review(review_id).current_signoff.markdown
    assert b"Bea Desk" not in signed  # the record's format is as it was
    content = bundle_bytes(store, review_id)
    claims = json.loads(content)["claims"]
    assert [c.get("author") for c in claims] == [None] + ["Bea Desk"] * 4  # in text order
    assert check_bundle(content).notes == []  # the sign-off re-renders byte for byte
    with other_library(tmp_path / "other.db") as other:
        new_id = import_bundle(other, content).review_id
        assert [c.author for c in other.claims(new_id)] == [""] + ["Bea Desk"] * 4
        assert other.load_review(new_id).current_signoff.markdown == signed


def test_a_bundle_author_that_is_not_text_is_refused(store):
    review_id = ready_review(store)

    def numbered_author(bundle):
        bundle["claims"][0]["author"] = 7

    content = tampered(bundle_bytes(store, review_id), numbered_author)
    with pytest.raises(BadInput, match=r"not a valid reviewapp bundle: claims\[0\]\.author"):
        review_from_bundle(read_bundle(content))
