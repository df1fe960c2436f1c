"""The library search pages by SQL (the newest changed reviews first, one page at a time): its
rows and counts are exactly the reviews whose article, claims, sources or takeaways match."""

from __future__ import annotations

from reviewapp.store import ReviewStore
from tests.conftest import make_draft


def library_with_matches(store: ReviewStore) -> dict[str, int]:
    """Reviews matching "harbour" in each place a match can be, and some that do not."""
    ids = {}
    for n in range(12):
        ids[f"plain {n}"] = store.add_article(make_draft([f"Paragraph {n} about roads."]))
    ids["article"] = store.add_article(make_draft(["The harbour closed in May."], "Ports"))
    claim_review = store.add_article(make_draft(["The mayor spoke at length."]))
    store.update_claim(store.add_claim_by_quote(claim_review, "mayor").id, note="harbour fees")
    ids["claim"] = claim_review
    ids["source"] = store.add_article(make_draft(["A council budget."]))
    store.add_source(ids["source"], title="Harbour authority report")
    ids["takeaway"] = store.add_article(make_draft(["Bus lanes were approved."]))
    store.add_takeaway(ids["takeaway"], "Ask about the harbour.", "summary")
    ids["deleted"] = store.add_article(make_draft(["The harbour again."]))
    store.delete_review(ids["deleted"])
    ids["wall"] = store.add_article(make_draft(["The old harbour wall."]))
    return ids


def test_search_pages_list_every_matching_review_newest_first_and_count_them(store):
    ids = library_with_matches(store)
    everything = [r.id for r in store.list_reviews()]  # newest change first
    matching = {ids[k] for k in ("article", "claim", "source", "takeaway", "wall")}
    expected = [i for i in everything if i in matching]

    pages = [store.list_reviews(query="harbour", limit=2, offset=o) for o in range(0, 8, 2)]
    assert [r.id for page in pages for r in page] == expected
    assert store.count_reviews(query="harbour") == 5
    drafts = [r.id for r in store.list_reviews(status="draft") if r.id in matching]
    assert ids["article"] in drafts and ids["claim"] not in drafts  # a claim starts the review
    assert [r.id for r in store.list_reviews(query="harbour", status="draft")] == drafts
    assert store.count_reviews(query="harbour", status="draft") == len(drafts)
    first = store.list_reviews(query="harbour", limit=1)[0]
    assert (first.id, first.status) == (expected[0], store.review(expected[0]).status)
    claim_row = next(r for r in store.list_reviews(query="fees"))
    assert (claim_row.id, claim_row.claims, claim_row.unchecked) == (ids["claim"], 1, 1)
    assert store.list_reviews(query="nowhere") == [] and store.count_reviews(query="nowhere") == 0
