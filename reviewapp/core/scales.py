"""The published scales: claim status, source credibility, review status and verdict."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClaimStatus:
    key: str
    label: str
    colour: str  # highlight colour, readable under black text in light and dark themes
    complete: bool
    rating: int | None  # ClaimReview ratingValue on a 1..5 scale
    rating_name: str | None  # ClaimReview alternateName; None: not exported as ClaimReview
    shortcut: str


CLAIM_STATUSES: tuple[ClaimStatus, ...] = (
    ClaimStatus("unchecked", "Unchecked", "#c9ced6", False, None, None, "0"),
    ClaimStatus("verified", "Verified", "#7fd49a", True, 5, "True", "1"),
    ClaimStatus("partly-true", "Partly true", "#f5d36b", True, 3, "Half true", "2"),
    ClaimStatus("false", "False", "#f08c8c", True, 1, "False", "3"),
    ClaimStatus("unverifiable", "Unverifiable", "#b9a6e8", True, None, "Unverifiable", "4"),
    ClaimStatus("opinion", "Opinion", "#8fc3ec", True, None, None, "5"),
)
CLAIM_STATUS = {s.key: s for s in CLAIM_STATUSES}
CLAIM_STATUS_KEYS = tuple(CLAIM_STATUS)
# Statuses that assert something about the facts and so need evidence before sign-off.
NEEDS_SOURCE = ("verified", "partly-true", "false")
CLAIMREVIEW_BEST, CLAIMREVIEW_WORST = 5, 1

CREDIBILITY: dict[str, str] = {
    "undetermined": "Undetermined",
    "credible": "Credible",
    "uncertain": "Uncertain",
    "not-credible": "Not credible",
}

SOURCE_KINDS: dict[str, str] = {
    "primary": "Primary document",
    "news": "News report",
    "official": "Official statement",
    "data": "Data set",
    "expert": "Expert",
    "other": "Other",
}

REVIEW_STATUSES: dict[str, str] = {
    "draft": "Draft",
    "in-review": "In review",
    "signed-off": "Signed off",
}

VERDICTS: dict[str, str] = {
    "publish": "Publish",
    "publish-with-corrections": "Publish with corrections",
    "do-not-publish": "Do not publish",
}

TAKEAWAY_KINDS: dict[str, str] = {
    "summary": "Summary",
    "concern": "Concern",
    "follow-up": "Follow-up",
}

ANCHOR_STATES: dict[str, str] = {
    "anchored": "Anchored",
    "moved": "Moved",
    "needs-confirmation": "Needs confirmation",
    "ambiguous": "Ambiguous",
    "orphaned": "Orphaned",
}
FIRM_ANCHOR_STATES = ("anchored", "moved")


def check_choice(value: str, choices: dict[str, str] | tuple[str, ...], what: str) -> str:
    """Return value if it is one of choices, else raise BadInput naming the valid ones."""
    from reviewapp.core.errors import BadInput

    if value not in choices:
        raise BadInput(f"unknown {what} {value!r}; choose one of: {', '.join(choices)}")
    return value
