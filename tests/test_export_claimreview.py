"""The schema.org ClaimReview export: one per rated claim, on the published scale."""

from __future__ import annotations

import json

import pytest

from reviewapp.core import scales
from reviewapp.core.model import Signoff
from reviewapp.export import render
from reviewapp.export.claimreview import claim_url, shorten
from reviewapp.store import ReviewStore

LONG_CLAIM = (
    "Amazon has committed four billion dollars to the startup and suspended global access "
    "to two specific model versions last week"
)


@pytest.fixture
def review(store: ReviewStore, draft_factory):
    paragraphs = [
        LONG_CLAIM + ".",
        "It offers 99.9% reliability.",
        "Critics call it reckless.",
        "Sales rose by half.",
        "Nobody can say how many users it has.",
        "The board has not met.",
    ]
    draft = draft_factory(paragraphs, title="AI deal", url="https://news.example/story#top")
    review_id = store.add_article(draft, reviewer="Ada Editor")
    store.add_claim_by_quote(review_id, LONG_CLAIM, status="false")
    store.add_claim_by_quote(review_id, "99.9% reliability", status="verified")
    store.add_claim_by_quote(review_id, "reckless", status="opinion")
    store.add_claim_by_quote(review_id, "Sales rose by half", status="partly-true")
    store.add_claim_by_quote(review_id, "how many users", status="unverifiable")
    store.add_claim_by_quote(review_id, "has not met", status="unchecked")
    return store.load_review(review_id)


def test_one_claimreview_per_rated_claim_skipping_opinion_and_unchecked(review):
    items = json.loads(render(review, "claimreview"))
    assert [item["url"] for item in items] == [
        "https://news.example/story#claim-1",
        "https://news.example/story#claim-2",
        "https://news.example/story#claim-4",
        "https://news.example/story#claim-5",
    ]
    for item in items:
        assert item["@context"] == "https://schema.org" and item["@type"] == "ClaimReview"
        assert item["author"] == {"@type": "Person", "name": "Ada Editor"}
        assert item["datePublished"] == review.review.updated_at[:10]
        assert item["itemReviewed"] == {
            "@type": "Claim",
            "appearance": {
                "@type": "Article",
                "headline": "AI deal",
                "url": "https://news.example/story#top",
            },
        }


def test_ratings_follow_the_published_scale(review):
    ratings = [item["reviewRating"] for item in json.loads(render(review, "claimreview"))]
    assert ratings == [
        {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
        },
        {
            "@type": "Rating",
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "True",
        },
        {
            "@type": "Rating",
            "ratingValue": 3,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Half true",
        },
        {"@type": "Rating", "alternateName": "Unverifiable"},
    ]
    assert scales.CLAIM_STATUS["opinion"].rating_name is None


def test_claim_reviewed_is_cut_at_a_word_boundary_within_75_characters(review):
    first = json.loads(render(review, "claimreview"))[0]["claimReviewed"]
    assert len(first) <= 75 and first.endswith("…")
    assert LONG_CLAIM.startswith(first[:-1])
    assert LONG_CLAIM[len(first) - 1] == " ", "cut between words"
    assert json.loads(render(review, "claimreview"))[1]["claimReviewed"] == "99.9% reliability"


def test_shorten_handles_one_huge_word_and_exact_fits():
    assert shorten("x" * 200) == "x" * 74 + "…"
    assert shorten("y" * 75) == "y" * 75
    assert shorten("word " * 30).endswith("word…")


def test_claim_url_needs_an_http_article_url():
    assert claim_url("javascript:alert(1)", 3) is None
    assert claim_url("https://a.example/p?q=1#old", 3) == "https://a.example/p?q=1#claim-3"


def test_date_published_is_the_signoff_date_when_signed(store: ReviewStore, review):
    record = Signoff(
        id=0,
        review_id=review.review.id,
        revision_id=review.revision.id,
        reviewer="Bo Signer",
        email="",
        fingerprint="SHA256:x",
        markdown=b"x",
        signature="sig",
        signed_at="2027-01-02T03:04:05Z",
    )
    store.insert_signoff(record, public_key="k")
    items = json.loads(render(store.load_review(review.review.id), "claimreview"))
    assert {i["datePublished"] for i in items} == {"2027-01-02"}
    assert {i["author"]["name"] for i in items} == {"Bo Signer"}


def test_article_without_url_has_no_claim_urls(store: ReviewStore, draft_factory):
    review_id = store.add_article(draft_factory(["It is 42."], title="No URL"))
    store.add_claim_by_quote(review_id, "42", status="verified")
    (item,) = json.loads(render(store.load_review(review_id), "claimreview"))
    assert "url" not in item and "url" not in item["itemReviewed"]["appearance"]
