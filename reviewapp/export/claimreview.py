"""schema.org ClaimReview JSON-LD: one review per claim that has a rating on the published scale.

Of the review's AI involvement only the digital source type has a schema.org property:
``digitalSourceType`` on the reviewed article (``itemReviewed.appearance``), as the
IPTCDigitalSourceEnumeration member (none for a type schema.org lacks). Tools, roles, the
disclosure line, the scope and who holds editorial responsibility have no ClaimReview term (the
nearest, ``accountablePerson``, must be a Person, and the holder is often an organisation); the
Markdown, the bundle and the W3C export carry them (docs/exports.md)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from reviewapp.core import scales
from reviewapp.core.model import Claim, ReviewData
from reviewapp.core.sourcetypes import SOURCE_TYPE
from reviewapp.export.common import article_title, article_url, reviewer_name, signoff_date
from reviewapp.export.mdtext import safe_url

SCHEMA = "https://schema.org"
CLAIM_LIMIT = 75
ELLIPSIS = "…"


def shorten(text: str, limit: int = CLAIM_LIMIT) -> str:
    """text in at most limit characters, cut at a word boundary and marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]
    cut = room.rfind(" ")
    # One very long word: cut inside it rather than return nothing.
    head = room[:cut] if cut > 0 else room[: limit - len(ELLIPSIS)]
    return head.rstrip(" ,;:.-–—") + ELLIPSIS


def claim_url(base: str, number: int) -> str | None:
    """The article URL pointing at the claim's anchor, or None when there is no safe URL."""
    url = safe_url(base)
    if url is None:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, f"claim-{number}"))


def rating(status_key: str) -> dict[str, Any] | None:
    """The schema.org Rating for a claim status; None when the status is not published."""
    status = scales.CLAIM_STATUS.get(status_key)
    if status is None or status.rating_name is None:
        return None
    if status.rating is None:
        return {"@type": "Rating", "alternateName": status.rating_name}
    return {
        "@type": "Rating",
        "ratingValue": status.rating,
        "bestRating": scales.CLAIMREVIEW_BEST,
        "worstRating": scales.CLAIMREVIEW_WORST,
        "alternateName": status.rating_name,
    }


def _date(value: str) -> str:
    return value[:10]


def claim_review(data: ReviewData, claim: Claim) -> dict[str, Any] | None:
    """One ClaimReview, or None for a claim whose status is not exported (opinion, unchecked)."""
    review_rating = rating(claim.status)
    if review_rating is None:
        return None
    base = article_url(data)
    appearance: dict[str, Any] = {"@type": "Article", "headline": article_title(data)}
    if safe_url(base):
        appearance["url"] = safe_url(base)
    meta = data.revision.meta
    if meta.authors:
        appearance["author"] = [{"@type": "Person", "name": a} for a in meta.authors]
    if meta.published:
        appearance["datePublished"] = meta.published
    if meta.site:
        appearance["publisher"] = {"@type": "Organization", "name": meta.site}
    kind = SOURCE_TYPE.get(data.ai.source_type)
    if data.accountability_recorded and kind is not None and kind.schema_org:
        appearance["digitalSourceType"] = kind.schema_org
    item: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "ClaimReview",
    }
    url = claim_url(base, claim.number)
    if url:
        item["url"] = url
    item.update(
        {
            "claimReviewed": shorten(claim.quote),
            "itemReviewed": {"@type": "Claim", "appearance": appearance},
            "reviewRating": review_rating,
            "author": {"@type": "Person", "name": reviewer_name(data) or "Unnamed reviewer"},
            "datePublished": _date(signoff_date(data)),
        }
    )
    return item


def claim_reviews(data: ReviewData) -> list[dict[str, Any]]:
    return [cr for claim in data.claims if (cr := claim_review(data, claim)) is not None]


def render_claimreview(data: ReviewData) -> bytes:
    """A JSON array of ClaimReview objects, in claim order."""
    text = json.dumps(claim_reviews(data), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
