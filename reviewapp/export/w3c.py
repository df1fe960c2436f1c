"""W3C Web Annotation JSON-LD: the review as an AnnotationCollection with one page.

Claims are "assessing" annotations on their passage (TextQuoteSelector + TextPositionSelector,
code-point offsets into the canonical text); each linked source is a "linking" SpecificResource
whose TimeState points at the archived copy; takeaways and the verdict target the whole article.

A claim's or takeaway's annotation id, and the IRI of a source without an address, are made from
its stable id (``urn:reviewapp:claim:c-7k3m9q2a``), so they stay the same when a claim is added
before it, when the review moves to another library and when its article gets a new revision.

The model has no word for what a linked source says about the claim, so each source body carries
it as one extension property, ``reviewapp:stance`` ("supports", "refutes" or "context"), named
in the collection's ``@context`` after the Web Annotation context (the vocabulary's way of
extending the model: consumers that do not know the term ignore it and still read the link).

The model has no terms for AI involvement, editorial responsibility or the review's scope
either. They travel as one "describing" annotation on the whole article whose body states them
in words (any annotation client shows it) and whose extension properties ``reviewapp:ai``,
``reviewapp:editorialResponsibility`` and ``reviewapp:reviewScope`` hold them as data, the
digital source type as its IPTC URI. The writer's disclosure line, when the editor recorded
it, is what the model can say natively: an "identifying" annotation on its passage.
"""

from __future__ import annotations

import json
from typing import Any

from reviewapp import __version__
from reviewapp.core import scales
from reviewapp.core.anchoring import CONTEXT as CONTEXT_CHARS
from reviewapp.core.model import (
    AiInvolvement,
    Claim,
    EditorialResponsibility,
    ReviewData,
    ReviewScope,
    Source,
    Takeaway,
)
from reviewapp.core.stableids import IdKind
from reviewapp.core.states import TakeawayKind
from reviewapp.export.accountability import SECTION_TITLE, accountability_json, accountability_text
from reviewapp.export.common import (
    archive_datetime,
    article_iri,
    article_title,
    claim_sources,
    generator,
    reviewer_name,
    xsd_datetime,
)
from reviewapp.export.mdtext import safe_url

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
VOCABULARY = "urn:reviewapp:vocab#"  # the namespace of reviewapp's extension terms
STANCE = "reviewapp:stance"
TAKEAWAY_MOTIVATION = {
    TakeawayKind.SUMMARY: "describing",
    TakeawayKind.CONCERN: "commenting",
    TakeawayKind.FOLLOW_UP: "commenting",
}


def collection_id(data: ReviewData) -> str:
    """A stable IRI for the review: the article's content hash and the review's id."""
    return f"urn:reviewapp:review:{data.revision.content_hash}:{data.review.id}"


def item_iri(kind: IdKind, stable_id: str) -> str:
    """The IRI of a claim, source or takeaway: its stable id as a URN."""
    return f"urn:reviewapp:{kind.noun}:{stable_id}"


def _text_body(value: str, purpose: str, language: str = "") -> dict[str, Any]:
    body = {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}
    if language:
        body["language"] = language
    return body


def _source_body(data: ReviewData, claim: Claim, source: Source) -> dict[str, Any]:
    # A source without a URL still needs an IRI: its stable id as a URN.
    iri = safe_url(source.url) or item_iri(IdKind.SOURCE, source.stable_id)
    body: dict[str, Any] = {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": iri,
        STANCE: claim.stance_of(source.id),
    }
    cached = safe_url(source.archive_url)
    when = archive_datetime(source) if cached else None
    # A TimeState must carry a sourceDate; with no date at all the archive is not claimable.
    if cached and when:
        body["state"] = {"type": "TimeState", "cached": cached, "sourceDate": when}
    return body


def _selectors(claim: Claim) -> list[dict[str, Any]]:
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": claim.quote,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
        },
    ]
    if claim.start is not None and claim.end is not None:
        selectors.append({"type": "TextPositionSelector", "start": claim.start, "end": claim.end})
    return selectors


def _stamps(created: str, modified: str) -> dict[str, str]:
    stamps = {}
    for key, value in (("created", created), ("modified", modified)):
        stamp = xsd_datetime(value)
        if stamp:
            stamps[key] = stamp
    return stamps


def _claim_annotation(data: ReviewData, claim: Claim, agents: dict[str, Any]) -> dict[str, Any]:
    status = scales.CLAIM_STATUS.get(claim.status)
    body = [_text_body(status.label if status else claim.status, "assessing", "en")]
    if claim.note.strip():
        body.append(_text_body(claim.note, "commenting"))
    if claim.correction.strip():
        body.append(_text_body(claim.correction, "editing"))
    body += [_source_body(data, claim, source) for _, source in claim_sources(data, claim)]
    return {
        "id": item_iri(IdKind.CLAIM, claim.stable_id),
        "type": "Annotation",
        "motivation": "assessing",
        "label": f"Claim {claim.number}",
        **_stamps(claim.created_at, claim.updated_at),
        **agents,
        "body": body,
        "target": {"source": article_iri(data), "selector": _selectors(claim)},
    }


def _takeaway_annotation(
    data: ReviewData, takeaway: Takeaway, agents: dict[str, Any]
) -> dict[str, Any]:
    motivation = TAKEAWAY_MOTIVATION.get(takeaway.kind, "commenting")
    return {
        "id": item_iri(IdKind.TAKEAWAY, takeaway.stable_id),
        "type": "Annotation",
        "motivation": motivation,
        **_stamps(takeaway.created_at, takeaway.updated_at),
        **agents,
        "body": _text_body(takeaway.text, motivation),
        "target": article_iri(data),
    }


def _verdict_annotation(data: ReviewData, agents: dict[str, Any]) -> dict[str, Any]:
    verdict = scales.VERDICTS.get(data.review.verdict, data.review.verdict)
    return {
        "id": f"{collection_id(data)}:verdict",
        "type": "Annotation",
        "motivation": "assessing",
        **_stamps(data.review.created_at, data.review.updated_at),
        **agents,
        "body": _text_body(verdict, "assessing", "en"),
        "target": article_iri(data),
    }


def _accountability_annotation(data: ReviewData, agents: dict[str, Any]) -> dict[str, Any]:
    annotation: dict[str, Any] = {
        "id": f"{collection_id(data)}:accountability",
        "type": "Annotation",
        "motivation": "describing",
        "label": SECTION_TITLE,
        **agents,
        "body": _text_body(accountability_text(data), "describing", "en"),
        "target": article_iri(data),
    }
    if data.accountability_recorded:
        record = accountability_json(data)
        annotation["reviewapp:ai"] = record["ai_involvement"]
        annotation["reviewapp:editorialResponsibility"] = record["editorial_responsibility"]
        annotation["reviewapp:reviewScope"] = record["review_scope"]
    return annotation


def _disclosure_annotation(data: ReviewData, agents: dict[str, Any]) -> dict[str, Any] | None:
    """The writer's own disclosure line, on its passage, when recorded and still in the text."""
    ai = data.ai
    span = ai.disclosure_span(data.revision.text) if data.accountability_recorded else None
    if span is None:
        return None
    start, end = span
    text = data.revision.text
    quote = {
        "type": "TextQuoteSelector",
        "exact": ai.disclosure,
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }
    return {
        "id": f"{collection_id(data)}:disclosure",
        "type": "Annotation",
        "motivation": "identifying",
        **agents,
        "body": _text_body("The writer's AI disclosure", "identifying", "en"),
        "target": {
            "source": article_iri(data),
            "selector": [quote, {"type": "TextPositionSelector", "start": start, "end": end}],
        },
    }


def annotation_collection(data: ReviewData, app_version: str = __version__) -> dict[str, Any]:
    """The whole review as a JSON-LD AnnotationCollection (a plain dict)."""
    agents: dict[str, Any] = {"generator": {"type": "Software", "name": generator(app_version)}}
    reviewer = reviewer_name(data)
    if reviewer:
        agents = {"creator": {"type": "Person", "name": reviewer}, **agents}
    items = [_claim_annotation(data, claim, agents) for claim in data.claims]
    items += [_takeaway_annotation(data, t, agents) for t in data.takeaways]
    if data.review.verdict:
        items.append(_verdict_annotation(data, agents))
    # Said whenever there is something to say: an answer given, or a record that predates them.
    if not data.accountability_recorded or (
        data.ai,
        data.responsibility,
        data.scope,
    ) != (AiInvolvement(), EditorialResponsibility(), ReviewScope()):
        items.append(_accountability_annotation(data, agents))
    disclosure = _disclosure_annotation(data, agents)
    if disclosure is not None:
        items.append(disclosure)
    base = collection_id(data)
    collection: dict[str, Any] = {
        "@context": [CONTEXT, {"reviewapp": VOCABULARY}],
        "id": base,
        "type": "AnnotationCollection",
        "label": f"Review of “{article_title(data)}”",
        "total": len(items),
    }
    if items:
        page = f"{base}:page:1"
        collection["first"] = {
            "id": page,
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
        collection["last"] = page
    return collection


def render_w3c(data: ReviewData, app_version: str = __version__) -> bytes:
    text = json.dumps(annotation_collection(data, app_version), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
