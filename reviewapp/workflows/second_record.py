"""The second reviewer's side after the first editor signed off: read the first editor's signed
record, see it beside their own assessment, and co-sign it.

The record is shown only when its signature verifies against this editor's trust, its Second
review section names this editor's own key and the very assessment they signed here (by its
SHA-256), and that section, rendered again from what it says and the assessment, is the text
in the file: so the comparison shown is the one the first editor signed. The GUI's
Review › Open First Editor's Record… and `reviewapp second record` both call this.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.second_review import (
    Agreement,
    ComparedClaim,
    SecondReviewRecord,
    agreement,
)
from reviewapp.core.userfiles import read_user_file
from reviewapp.export import mdtext as md
from reviewapp.export.second_review import section_text
from reviewapp.export.second_section import SignedSection, read_section, unescape
from reviewapp.secrets import SecretStore
from reviewapp.signing.sshsig import VerifiedSignature
from reviewapp.store import ReviewStore
from reviewapp.workflows.second_review import Cosigned, cosign


@dataclass(frozen=True)
class FirstRecord:
    """The first editor's signed record as the second reviewer sees it."""

    path: Path
    first: VerifiedSignature  # the first editor's signature, verified against this library
    review_id: int  # this library's copy, where the assessment was signed
    section: SignedSection
    # Per claim of the record: first_* is the first editor's (as signed), second_* this
    # editor's own (as they signed it), and the first editor's settlement.
    rows: tuple[ComparedClaim, ...]

    @property
    def to_settle(self) -> int:
        return sum(1 for r in self.rows if not r.settled)


def read_first_record(store: ReviewStore, md_path: Path) -> FirstRecord:
    """The first editor's signed Markdown, checked as above. VerificationFailed when its
    signature or its section does not hold; BadInput when it is not a record for this editor."""
    from reviewapp.workflows.verify import verify_file

    md_path = Path(md_path)
    first = verify_file(md_path, store=store)
    section = read_section(read_user_file(md_path, "review file"))
    name = md_path.name
    if not any(r.fingerprint == section.fingerprint for r in store.reviewers()):
        raise BadInput(
            f"{name} names {section.assessor} (key {section.fingerprint}) as second reviewer; "
            "that key is not yours in this library"
        )
    review_id = store.second_copy_of(section.review_uid)
    if review_id is None:
        raise BadInput(
            f"{name} is the record of review uid {section.review_uid}, which no second review in "
            "this library assessed; open it in the library where you signed your assessment"
        )
    record = store.second_review(review_id)
    assert record is not None
    if not record.assessed:
        raise BadInput(
            f"your assessment of review {review_id} is not signed (or was reopened); {name} "
            "cannot be compared with it"
        )
    if section.assessment_sha256 != record.assessment_sha256:
        raise VerificationFailed(
            f"{name} names another assessment (SHA-256 {section.assessment_sha256[:12]}…) than "
            f"the one you signed in review {review_id} ({record.assessment_sha256[:12]}…)"
        )
    if section.fingerprint != record.assessor_fingerprint:
        raise VerificationFailed(
            f"{name} names key {section.fingerprint}, but you signed your assessment with "
            f"{record.assessor_fingerprint}"
        )
    rows = tuple(_rows(section, record, name))
    stated = SecondReviewRecord(
        review_uid=section.review_uid,
        assessor=section.assessor,
        assessor_email=section.assessor_email,
        assessor_fingerprint=section.fingerprint,
        assessment_sha256=section.assessment_sha256,
        assessed_at=section.assessed_at,
    )
    if section_text(stated, list(rows)) != section.text:
        raise VerificationFailed(
            f"the Second review section of {name} does not state your assessment as you signed "
            "it (a status, a note or a comparison differs)"
        )
    return FirstRecord(md_path, first, review_id, section, rows)


def _rows(section: SignedSection, record: SecondReviewRecord, name: str) -> list[ComparedClaim]:
    """Each claim of the section paired with this editor's assessed claim (by its quote, in
    order: the first editor may have added or removed claims after asking)."""
    mine = list(record.claims)
    rows = []
    for row in section.rows:
        quote_cell = section.quote_cells.get(row.number, "")
        if not row.assessed:
            rows.append(
                ComparedClaim(
                    row.number,
                    "",
                    unescape(quote_cell),
                    row.first_status,
                    row.first_note,
                    None,
                    "",
                    (),
                    Agreement.NOT_ASSESSED,
                    row.settlement,
                )
            )
            continue
        while mine and md.cell(mine[0].quote) != quote_cell:
            mine.pop(0)  # a claim the first editor removed after asking
        if not mine:
            raise VerificationFailed(
                f"claim {row.number} of {name} is not one of the claims you assessed"
            )
        claim = mine.pop(0)
        settlement = row.settlement
        if settlement is not None:
            settlement = dataclasses.replace(settlement, claim_id=claim.claim_id)
        rows.append(
            ComparedClaim(
                row.number,
                claim.claim_id,
                claim.quote,
                row.first_status,
                row.first_note,
                claim.status,
                claim.note,
                claim.sources,
                agreement(row.first_status, claim.status),
                settlement,
            )
        )
    return rows


def cosign_record(
    store: ReviewStore,
    md_path: Path,
    secrets: SecretStore | None = None,
    output: Path | None = None,
) -> Cosigned:
    """Check the record as `read_first_record` does, then co-sign that very file."""
    read_first_record(store, md_path)
    return cosign(store, md_path, secrets, output)
