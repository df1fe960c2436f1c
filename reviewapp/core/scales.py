"""The published scales: labels, order and ratings of the states in core/states.py.

Every table is keyed by enum members, which are also their stored spellings, so a lookup by
the plain string works too. The GUI's colours and shortcuts are in ui/scale_style.py."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from reviewapp.core.states import (
    AiAssisted,
    AiRole,
    AnchorState,
    ClaimStatus,
    Credibility,
    ReviewStatus,
    SourceKind,
    Stance,
    TakeawayKind,
    Verdict,
)


@dataclass(frozen=True)
class ClaimStatusScale:
    """One step of the claim-status scale as it is published (colours and keys are the GUI's)."""

    key: ClaimStatus
    label: str
    complete: bool
    rating: int | None  # ClaimReview ratingValue on a 1..5 scale
    rating_name: str | None  # ClaimReview alternateName; None: not exported as ClaimReview


CLAIM_STATUSES: tuple[ClaimStatusScale, ...] = (
    ClaimStatusScale(ClaimStatus.UNCHECKED, "Unchecked", False, None, None),
    ClaimStatusScale(ClaimStatus.VERIFIED, "Verified", True, 5, "True"),
    ClaimStatusScale(ClaimStatus.PARTLY_TRUE, "Partly true", True, 3, "Half true"),
    ClaimStatusScale(ClaimStatus.FALSE, "False", True, 1, "False"),
    ClaimStatusScale(ClaimStatus.UNVERIFIABLE, "Unverifiable", True, None, "Unverifiable"),
    ClaimStatusScale(ClaimStatus.OPINION, "Opinion", True, None, None),
)
CLAIM_STATUS: dict[str, ClaimStatusScale] = {s.key: s for s in CLAIM_STATUSES}
CLAIM_STATUS_KEYS = tuple(CLAIM_STATUS)
# Statuses that assert something about the facts and so need evidence before sign-off.
NEEDS_SOURCE = (ClaimStatus.VERIFIED, ClaimStatus.PARTLY_TRUE, ClaimStatus.FALSE)
CLAIMREVIEW_BEST, CLAIMREVIEW_WORST = 5, 1

CREDIBILITY: dict[str, str] = {
    Credibility.UNDETERMINED: "Undetermined",
    Credibility.CREDIBLE: "Credible",
    Credibility.UNCERTAIN: "Uncertain",
    Credibility.NOT_CREDIBLE: "Not credible",
}

SOURCE_KINDS: dict[str, str] = {
    SourceKind.PRIMARY: "Primary document",
    SourceKind.NEWS: "News report",
    SourceKind.OFFICIAL: "Official statement",
    SourceKind.DATA: "Data set",
    SourceKind.EXPERT: "Expert",
    SourceKind.OTHER: "Other",
}

# What a source says about a claim, as a name ("Refutes") and as the words before a claim's
# number wherever a link is shown or exported ("Refutes claim 4", "Context for: Claim 4").
STANCES: dict[str, str] = {
    Stance.SUPPORTS: "Supports",
    Stance.REFUTES: "Refutes",
    Stance.CONTEXT: "Context for",
}

REVIEW_STATUSES: dict[str, str] = {
    ReviewStatus.DRAFT: "Draft",
    ReviewStatus.IN_REVIEW: "In review",
    ReviewStatus.SIGNED_OFF: "Signed off",
}

VERDICTS: dict[str, str] = {
    Verdict.PUBLISH: "Publish",
    Verdict.PUBLISH_WITH_CORRECTIONS: "Publish with corrections",
    Verdict.DO_NOT_PUBLISH: "Do not publish",
}

TAKEAWAY_KINDS: dict[str, str] = {
    TakeawayKind.SUMMARY: "Summary",
    TakeawayKind.CONCERN: "Concern",
    TakeawayKind.FOLLOW_UP: "Follow-up",
}

ANCHOR_STATES: dict[str, str] = {
    AnchorState.ANCHORED: "Anchored",
    AnchorState.MOVED: "Moved",
    AnchorState.NEEDS_CONFIRMATION: "Needs confirmation",
    AnchorState.AMBIGUOUS: "Ambiguous",
    AnchorState.ORPHANED: "Orphaned",
}
FIRM_ANCHOR_STATES = tuple(s for s in AnchorState if s.firm)

# Whether AI helped write the draft, and what it did, as the editor reads them.
AI_ASSISTED: dict[str, str] = {
    AiAssisted.YES: "Yes, AI helped write it",
    AiAssisted.NO: "No, written without AI",
    AiAssisted.UNKNOWN: "Unknown",
}
AI_ROLES: dict[str, str] = {
    AiRole.DRAFTED: "Drafted the text",
    AiRole.REWROTE: "Rewrote or edited it",
    AiRole.TRANSLATED: "Translated it",
    AiRole.SUMMARISED: "Summarised other texts",
    AiRole.HEADLINES: "Suggested headlines",
    AiRole.OTHER: "Other",
}
# The review scope the editor attests to (core/model.py ReviewScope), by field.
REVIEW_SCOPE: dict[str, str] = {
    "claims_checked": "Every factual claim was checked against sources",
    "sources_assessed": "The sources were checked for reliability",
    "corrections_requested": "Corrections were requested from the writer",
}


def check_choice(value: str, choices: Collection[str], what: str) -> str:
    """Return value if it is one of choices, else raise BadInput naming the valid ones."""
    from reviewapp.core.errors import BadInput

    if value not in choices:
        raise BadInput(f"unknown {what} {value!r}; choose one of: {', '.join(choices)}")
    return value


# Source fields as the editor reads them, in messages, undo labels and command help: never the
# column names ("archive url" says nothing to an editor).
SOURCE_FIELD_NAMES: dict[str, str] = {
    "url": "address",
    "title": "title",
    "publisher": "publisher",
    "author": "author",
    "published": "publication date",
    "accessed_at": "date you read it",
    "archive_url": "archived copy address",
    "archive_date": "archive date",
    "kind": "kind",
    "credibility": "credibility",
    "note": "note",
}
