"""How the GUI shows the claim-status scale: a highlight colour and a Ctrl+digit shortcut for
each status (the scale itself, its order and labels, is core's: core/scales.py); and the
colour of each review status (the library's dot, the review header's badge)."""

from __future__ import annotations

from reviewapp.core.states import ClaimStatus, ReviewStatus, Stance

# Highlight colours, readable under black text in light and dark themes.
CLAIM_STATUS_COLOURS: dict[str, str] = {
    ClaimStatus.UNCHECKED: "#c9ced6",
    ClaimStatus.VERIFIED: "#7fd49a",
    ClaimStatus.PARTLY_TRUE: "#f5d36b",
    ClaimStatus.FALSE: "#f08c8c",
    ClaimStatus.UNVERIFIABLE: "#b9a6e8",
    ClaimStatus.OPINION: "#8fc3ec",
}
# The colour of a status this version does not know (never in a loaded review).
UNKNOWN_STATUS_COLOUR = CLAIM_STATUS_COLOURS[ClaimStatus.UNCHECKED]

# Ctrl+digit sets the current claim's status.
CLAIM_STATUS_SHORTCUTS: dict[str, str] = {
    ClaimStatus.UNCHECKED: "Ctrl+0",
    ClaimStatus.VERIFIED: "Ctrl+1",
    ClaimStatus.PARTLY_TRUE: "Ctrl+2",
    ClaimStatus.FALSE: "Ctrl+3",
    ClaimStatus.UNVERIFIABLE: "Ctrl+4",
    ClaimStatus.OPINION: "Ctrl+5",
}

# The stance of a claim-source link as a colour swatch beside its wording (never colour alone:
# the words say it too). Green and red as the verified and false highlights, grey for context.
STANCE_COLOURS: dict[str, str] = {
    Stance.SUPPORTS: CLAIM_STATUS_COLOURS[ClaimStatus.VERIFIED],
    Stance.REFUTES: CLAIM_STATUS_COLOURS[ClaimStatus.FALSE],
    Stance.CONTEXT: CLAIM_STATUS_COLOURS[ClaimStatus.UNCHECKED],
}

# A review's status as the library's dot and the review header's badge show it. Kept here, not
# in the header: the library list draws them in the window's first frame, before the header.
REVIEW_STATUS_COLOURS: dict[str, str] = {
    ReviewStatus.DRAFT: "#dfe3e8",
    ReviewStatus.IN_REVIEW: "#f5d36b",
    ReviewStatus.SIGNED_OFF: "#7fd49a",
}
