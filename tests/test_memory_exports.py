"""Where a reused check came from is on the record: the signed Markdown names it on the claim's
line, and the JSON bundle carries it to another library (whose sign-off check renders the
signed Markdown again and must get the same bytes)."""

from __future__ import annotations

import json

import pytest

from reviewapp.export import render
from reviewapp.export.bundle import read_bundle, store_bundle
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import import_bundle
from reviewapp.workflows.memory import reuse_check
from reviewapp.workflows.signoff import sign_off
from tests.conftest import examine_suggestions, record_accountability
from tests.memory_library import build_memory_library


@pytest.fixture
def reused(store: ReviewStore):
    """The new review with its first claim reused from the earlier one, ready to sign."""
    lib = build_memory_library(store)
    reuse_check(store, lib.same, lib.earlier_claim)
    for claim_id in (lib.same, lib.changed, lib.unrelated):
        store.update_claim(claim_id, status="opinion", source_override="not a checkable fact")
    store.update_claim(lib.same, status="verified")
    store.set_review(lib.review, reviewer="Ada", verdict="publish")
    record_accountability(store, lib.review)
    examine_suggestions(store, lib.review)  # the gate's coverage rule (issue 16)
    return lib


def test_the_signed_markdown_names_where_the_check_came_from(store, reused):
    stable_id = store.claim_by_id(reused.earlier_claim).stable_id
    record = sign_off(store, reused.review, "Ada", "ada@example.org", secrets=MemorySecretStore())
    text = record.markdown.decode()
    line = (
        f"- **Reused from:** review {reused.earlier_review} claim 1 ({stable_id}), "
        "“Cloud deals in March”"
    )
    claim_1 = text.split('### <a id="claim-1"></a>Claim 1', 1)[1].split("### ", 1)[0]
    assert line in claim_1
    # Only the claim that reused a check says so.
    assert text.count("**Reused from:**") == 1


def test_a_review_that_reused_nothing_renders_as_before(store):
    lib = build_memory_library(store, sign_earlier=False)
    text = render(store.load_review(lib.review), "md").decode()
    assert "Reused from" not in text


def test_the_bundle_carries_the_origin_to_another_library(store, reused, tmp_path):
    sign_off(store, reused.review, "Ada", "ada@example.org", secrets=MemorySecretStore())
    content = store_bundle(store, store.load_review(reused.review))
    entry = read_bundle(content)["claims"][0]
    earlier = store.claim_by_id(reused.earlier_claim)
    assert entry["reused_from"] == {
        "review_id": reused.earlier_review,
        "claim_number": 1,
        "claim_id": earlier.stable_id,
        "review_title": "Cloud deals in March",
    }
    # The other library renders the signed Markdown again on import: it matches only if the
    # origin came through whole.
    with ReviewStore(tmp_path / "other.db") as other:
        result = import_bundle(other, content, "bundle.json")
        claim = other.claims(result.review_id)[0]
        assert claim.reused_from == store.claim_by_id(reused.same).reused_from


def test_a_bundle_with_a_broken_origin_is_refused(store, reused):
    from reviewapp.core.errors import BadInput

    bundle = json.loads(store_bundle(store, store.load_review(reused.review)))
    bundle["claims"][0]["reused_from"]["claim_number"] = "one"
    with pytest.raises(BadInput, match=r"claims\[0\]\.reused_from\.claim_number"):
        read_bundle(json.dumps(bundle).encode())
