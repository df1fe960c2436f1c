"""The W3C Web Annotation export obeys the data model's MUSTs and says what the review says."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from reviewapp.export import render
from reviewapp.export.w3c import CONTEXT, VOCABULARY, annotation_collection
from reviewapp.store import ReviewStore
from tests.test_export_support import MULTILINE_NOTE, build_hostile_review

MOTIVATIONS = {
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
}
XSD_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")
IRI = re.compile(r"[a-z][a-z0-9+.-]*:\S+")


@pytest.fixture
def hostile(store: ReviewStore):
    built = build_hostile_review(store)
    data = store.load_review(built.review_id)
    return data, json.loads(render(data, "w3c"))


def _items(collection: dict[str, Any]) -> list[dict[str, Any]]:
    return collection["first"]["items"]


def _bodies(annotation: dict[str, Any]) -> list[Any]:
    body = annotation.get("body", [])
    return body if isinstance(body, list) else [body]


def test_collection_has_context_first_id_type_total_and_a_first_page(hostile):
    data, collection = hostile
    assert next(iter(collection)) == "@context"
    assert collection["@context"] == [CONTEXT, {"reviewapp": VOCABULARY}]
    assert IRI.fullmatch(collection["id"])
    assert collection["type"] == "AnnotationCollection"
    assert collection["label"].startswith('Review of “A "title"')
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and IRI.fullmatch(page["id"])
    assert page["startIndex"] == 0
    assert collection["total"] == len(page["items"]) == len(data.claims) + 3 + 1
    assert collection["last"] == page["id"]


def test_every_annotation_meets_the_model_musts(hostile):
    _, collection = hostile
    ids = [a["id"] for a in _items(collection)]
    assert len(set(ids)) == len(ids)
    for annotation in _items(collection):
        assert IRI.fullmatch(annotation["id"])
        assert annotation["type"] == "Annotation"
        assert annotation["motivation"] in MOTIVATIONS
        assert annotation["target"], "an annotation must have a target"
        assert annotation["generator"]["type"] == "Software"
        reviewer = "Ada <ada@example.org> | *Editor*"
        assert annotation["creator"] == {"type": "Person", "name": reviewer}
        for key in ("created", "modified"):
            if key in annotation:
                assert XSD_DATETIME.fullmatch(annotation[key]), annotation[key]
        for body in _bodies(annotation):
            assert body["purpose"] in MOTIVATIONS
            if body["type"] == "TextualBody":
                assert isinstance(body["value"], str) and body["value"]
            else:
                assert body["type"] == "SpecificResource"
                assert IRI.fullmatch(body["source"])
                state = body.get("state")
                if state:
                    assert state["type"] == "TimeState"
                    assert XSD_DATETIME.fullmatch(state["sourceDate"])
                    assert state["cached"].startswith("https://")


def test_claims_are_assessing_annotations_whose_selectors_find_the_quote(hostile):
    data, collection = hostile
    text = data.revision.text
    claims = [a for a in _items(collection) if ":claim:" in a["id"]]
    assert len(claims) == len(data.claims)
    for claim, annotation in zip(data.claims, claims, strict=True):
        assert annotation["motivation"] == "assessing"
        target = annotation["target"]
        assert target["source"].startswith("urn:sha256:")  # the article URL is javascript:
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and quote["exact"] == claim.quote
        assert position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])


def test_claim_bodies_carry_status_note_correction_and_linked_sources(hostile):
    _, collection = hostile
    first = next(a for a in _items(collection) if a["label"] == "Claim 1")
    bodies = _bodies(first)
    assert bodies[0] == {
        "type": "TextualBody",
        "purpose": "assessing",
        "value": "False",
        "format": "text/plain",
        "language": "en",
    }
    assert {"purpose": "commenting", "value": MULTILINE_NOTE}.items() <= bodies[1].items()
    assert {"purpose": "editing", "value": "has invested $8 billion"}.items() <= bodies[2].items()
    assert bodies[3] == {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": "https://example.org/report?a=1&b=(2)",
        "reviewapp:stance": "supports",
        "state": {
            "type": "TimeState",
            "cached": "https://web.archive.org/web/20260101120000/https://example.org/report",
            "sourceDate": "2026-01-01T00:00:00Z",
        },
    }
    second = next(a for a in _items(collection) if a["label"] == "Claim 2")
    (source_body,) = [b for b in _bodies(second) if b["type"] == "SpecificResource"]
    assert source_body["source"].startswith(collection["id"] + ":source:")  # no URL: a URN


def test_takeaways_and_verdict_target_the_whole_article(hostile):
    _, collection = hostile
    article = [a for a in _items(collection) if isinstance(a["target"], str)]
    assert [(a["motivation"], a["body"]["value"]) for a in article] == [
        ("describing", MULTILINE_NOTE),
        ("commenting", "--- concern"),
        ("commenting", "<!-- follow up -->"),
        ("assessing", "Publish with corrections"),
    ]
    assert all(a["target"].startswith("urn:sha256:") for a in article)


def test_article_url_is_the_target_when_it_is_http(store, draft_factory):
    review_id = store.add_article(
        draft_factory(["The draft says 42."], url="https://news.example/a")
    )
    store.add_claim_by_quote(review_id, "42")
    collection = annotation_collection(store.load_review(review_id))
    assert _items(collection)[0]["target"]["source"] == "https://news.example/a"
    assert "creator" not in _items(collection)[0]  # no reviewer named: no creator invented


def test_ids_and_bytes_are_stable_across_renders_and_reopening(hostile, db_path):
    data, collection = hostile
    with ReviewStore(db_path) as reopened:
        again = render(reopened.load_review(data.review.id), "w3c")
    assert again == render(data, "w3c")
    assert json.loads(again)["id"] == collection["id"]


def test_empty_review_is_an_empty_collection_without_pages(store, draft_factory):
    review_id = store.add_article(draft_factory(["Nothing yet."]))
    collection = json.loads(render(store.load_review(review_id), "w3c"))
    assert collection["total"] == 0
    assert "first" not in collection
