"""A second reviewer's independent assessment of a review, and how it compares with the first.

The first editor asks a colleague for a second review of the same claims on the same revision;
the colleague assesses them blind (they never see the first editor's statuses, notes, corrections
or sources) and signs their assessment. Per claim the two then agree, disagree, or one of them is
unsure; the first editor settles every claim that is not agreed by choosing a status with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reviewapp.core import scales
from reviewapp.core.states import ClaimStatus


class Agreement(StrEnum):
    """How the two editors' statuses of one claim compare."""

    AGREE = "agree"
    DISAGREE = "disagree"
    UNSURE = "unsure"  # one of them (or both) could not decide: unchecked or unverifiable
    NOT_ASSESSED = "not assessed"  # the claim was added after the request


# Statuses that say "I could not decide": they neither agree nor disagree with a verdict.
UNSURE_STATUSES = frozenset({ClaimStatus.UNCHECKED, ClaimStatus.UNVERIFIABLE})


class Role(StrEnum):
    """Which side of a second review a library's review is on."""

    FIRST = "first"  # the editor who asked for it (their own review)
    SECOND = "second"  # the colleague's copy, made by importing a request


@dataclass(frozen=True)
class SecondClaim:
    """The second editor's assessment of one claim, named by the first editor's stable id."""

    claim_id: str  # the first editor's stable id of the claim (c-...)
    quote: str
    status: ClaimStatus
    note: str = ""
    sources: tuple[str, ...] = ()  # the second editor's sources, by URL or title

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", ClaimStatus.parse(self.status))


@dataclass(frozen=True)
class Settlement:
    """The first editor's decision on a claim the two did not agree on."""

    claim_id: str  # stable id
    status: ClaimStatus
    note: str
    settled_by: str
    settled_at: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", ClaimStatus.parse(self.status))


@dataclass(frozen=True)
class SecondReviewRecord:
    """What a review's record holds about its second review, on either side."""

    role: Role = Role.FIRST
    required: bool = False  # the sign-off gate asks for an imported second assessment
    review_uid: str = ""  # the first editor's review, across libraries
    content_hash: str = ""  # the revision asked about
    claim_ids: tuple[str, ...] = ()  # the first editor's claims asked about, in text order
    requested_at: str = ""
    requested_by: str = ""
    assessor: str = ""  # the second editor, once their signed assessment is imported
    assessor_email: str = ""
    assessor_fingerprint: str = ""
    assessment_sha256: str = ""  # of the signed assessment Markdown
    assessed_at: str = ""
    claims: tuple[SecondClaim, ...] = ()
    settlements: tuple[Settlement, ...] = ()

    @property
    def requested(self) -> bool:
        return bool(self.review_uid)

    @property
    def assessed(self) -> bool:
        return bool(self.assessment_sha256)

    @property
    def signed_copy(self) -> bool:
        """The second reviewer's copy, its assessment signed: nothing of it may change (the
        signed file went back as it is) until the colleague reopens it."""
        return self.role is Role.SECOND and self.assessed


def agreement(first: ClaimStatus, second: ClaimStatus) -> Agreement:
    """Agree when the statuses are equal, unsure when either could not decide, else disagree."""
    if first == second:
        return Agreement.AGREE
    if first in UNSURE_STATUSES or second in UNSURE_STATUSES:
        return Agreement.UNSURE
    return Agreement.DISAGREE


@dataclass(frozen=True)
class ComparedClaim:
    """One row of the comparison: both editors' status and note, and any settlement."""

    number: int
    claim_id: str
    quote: str
    first_status: ClaimStatus
    first_note: str
    second_status: ClaimStatus | None
    second_note: str
    second_sources: tuple[str, ...]
    agreement: Agreement
    settlement: Settlement | None

    @property
    def settled(self) -> bool:
        """Agreed, or settled by the first editor with the status the claim still has."""
        if self.agreement is Agreement.AGREE:
            return True
        return self.settlement is not None and self.settlement.status == self.first_status


@dataclass(frozen=True)
class ClaimFacts:
    """What the comparison needs of one of the first editor's claims."""

    number: int
    claim_id: str
    quote: str
    status: ClaimStatus
    note: str


def compare(claims: list[ClaimFacts], record: SecondReviewRecord) -> list[ComparedClaim]:
    """The comparison of the first editor's claims (as they are now) with the assessment."""
    theirs = {c.claim_id: c for c in record.claims}
    settled = {s.claim_id: s for s in record.settlements}
    rows = []
    for claim in claims:
        second = theirs.get(claim.claim_id)
        rows.append(
            ComparedClaim(
                number=claim.number,
                claim_id=claim.claim_id,
                quote=claim.quote,
                first_status=claim.status,
                first_note=claim.note,
                second_status=second.status if second else None,
                second_note=second.note if second else "",
                second_sources=second.sources if second else (),
                agreement=agreement(claim.status, second.status)
                if second
                else Agreement.NOT_ASSESSED,
                settlement=settled.get(claim.claim_id),
            )
        )
    return rows


def status_label(status: str | None) -> str:
    """A status as the record words it ("Verified"); a dash for none."""
    if status is None:
        return "—"
    scale = scales.CLAIM_STATUS.get(status)
    return scale.label if scale else str(status)
