"""A review of the sample draft in progress, for the README screenshot and the Xvfb test.

Everything goes through the ReviewStore, like an editor's own edits would.
"""

from __future__ import annotations

from reviewapp.core.states import (
    ClaimStatus,
    Credibility,
    SourceKind,
    Stance,
    TakeawayKind,
    Verdict,
)
from reviewapp.store import ReviewStore

CLAIMS = (
    (
        "has committed $4 billion",
        ClaimStatus.VERIFIED,
        "Amazon's own announcements: $1.25bn in Sept 2023, $2.75bn more in March 2024.",
        "",
    ),
    ("suspended global access to two specific model versions", ClaimStatus.UNCHECKED, "", ""),
    (
        "Amazon CEO Andy Jassy personally intervened",
        ClaimStatus.FALSE,
        "The report says Jassy raised concerns; nothing says he intervened personally.",
        "reportedly raised concerns about",
    ),
    (
        "99.9% reliability",
        ClaimStatus.UNVERIFIABLE,
        "No SLA figure is published for these models.",
        "",
    ),
    ("a narrowing gap between the strategic independence of AI labs", ClaimStatus.OPINION, "", ""),
)


def populate_demo(store: ReviewStore, review_id: int, reviewer: str = "Ada Editor") -> None:
    """Claims in several statuses, two sources, two takeaways, a reviewer and a verdict."""
    ids = {}
    for quote, status, note, correction in CLAIMS:
        claim = store.add_claim_by_quote(
            review_id, quote, status=status, note=note, correction=correction
        )
        ids[quote] = claim.id
    store.add_source(
        review_id,
        [ids["has committed $4 billion"]],
        url="https://www.aboutamazon.com/news/company-news/amazon-anthropic-ai-investment",
        title="Amazon and Anthropic deepen their shared commitment",
        publisher="Amazon",
        kind=SourceKind.OFFICIAL,
        credibility=Credibility.CREDIBLE,
        published="2024-03-27",
        accessed_at="2026-11-27",
    )
    intervened = ids["Amazon CEO Andy Jassy personally intervened"]
    store.add_source(
        review_id,
        [intervened],
        {intervened: Stance.REFUTES},  # it says Jassy raised concerns, not that he intervened
        url="https://techcrunch.com/",
        title="TechCrunch AI report (the draft's basis)",
        publisher="TechCrunch",
        kind=SourceKind.NEWS,
        credibility=Credibility.UNCERTAIN,
    )
    store.add_takeaway(
        review_id,
        "The $4 billion figure checks out; cite Amazon's announcements.",
        TakeawayKind.SUMMARY,
    )
    store.add_takeaway(
        review_id, "“Personally intervened” overstates the report: soften it.", TakeawayKind.CONCERN
    )
    store.set_review(review_id, reviewer=reviewer, verdict=Verdict.PUBLISH_WITH_CORRECTIONS)
