"""One mapping per table: a domain object to the row it is stored as, and a row back.

Every reader and writer of the store goes through these functions, so a column is named in
one place. A ``*_row`` function returns the columns without ``id`` (the caller adds it when an
id must be kept) and without the bookkeeping columns a write sets itself (``updated_at`` when
the write is an edit, ``deleted_at``). A claim, source or takeaway row carries its object's
``stable_id``; the store gives a fresh one to an object that has none ("") before it inserts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reviewapp.core.model import (
    META_FIELDS,
    SOURCE_FIELDS,
    AiInvolvement,
    ArticleMeta,
    Claim,
    EditorialResponsibility,
    ReuseOrigin,
    Review,
    ReviewScope,
    Revision,
    Signoff,
    Source,
    Takeaway,
)
from reviewapp.core.states import AnchorState, ClaimStatus, Stance
from reviewapp.core.text import document_from_json

Row = dict[str, Any]


# ---------------------------------------------------------------------- articles
def article_row(meta: ArticleMeta, created_at: str) -> Row:
    """An article is named by its first revision's title and addresses."""
    return {
        "title": meta.title,
        "url": meta.url,
        "canonical_url": meta.canonical_url,
        "created_at": created_at,
    }


# ---------------------------------------------------------------------- revisions
def revision_row(revision: Revision, raw: bytes) -> Row:
    meta = revision.meta
    return {
        "article_id": revision.article_id,
        "number": revision.number,
        "text": revision.text,
        "blocks": json.dumps([b.to_json() for b in revision.blocks], ensure_ascii=False),
        "raw": raw,
        "raw_type": revision.raw_type,
        "content_hash": revision.content_hash,
        **{k: getattr(meta, k) for k in META_FIELDS if k != "authors"},
        "authors": json.dumps(meta.authors, ensure_ascii=False),
        "source_name": revision.source_name,
        "imported_at": revision.imported_at,
        "importer": revision.importer,
    }


def revision_from_row(row: Row) -> Revision:
    document = document_from_json(row["text"], json.loads(row["blocks"]))
    meta = {k: row[k] for k in META_FIELDS if k != "authors"}
    return Revision(
        id=row["id"],
        article_id=row["article_id"],
        number=row["number"],
        text=row["text"],
        blocks=document.blocks,
        content_hash=row["content_hash"],
        meta=ArticleMeta(**meta, authors=json.loads(row["authors"])),
        imported_at=row["imported_at"],
        importer=row["importer"],
        source_name=row["source_name"],
        raw_type=row["raw_type"],
    )


# ---------------------------------------------------------------------- reviews
def review_row(review: Review) -> Row:
    return {
        "article_id": review.article_id,
        "revision_id": review.revision_id,
        "reviewer": review.reviewer,
        "status": review.status,
        "verdict": review.verdict,
        "created_at": review.created_at,
        "updated_at": review.updated_at,
    }


def review_from_row(row: Row) -> Review:
    return Review(
        id=row["id"],
        article_id=row["article_id"],
        revision_id=row["revision_id"],
        reviewer=row["reviewer"],
        status=row["status"],
        verdict=row["verdict"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


# ---------------------------------------------------------------------- accountability
def accountability_row(
    ai: AiInvolvement, responsibility: EditorialResponsibility, scope: ReviewScope
) -> Row:
    """The review's columns for AI involvement, editorial responsibility and scope; writing
    them marks the review's record as kept."""
    return {
        "accountability_recorded": 1,
        "ai_assisted": ai.assisted,
        "ai_unknown_reason": ai.unknown_reason,
        "ai_tools": ai.tools,
        "ai_roles": json.dumps(list(ai.roles)),
        "ai_role_other": ai.role_other,
        "ai_source_type": ai.source_type,
        "ai_disclosure": ai.disclosure,
        "ai_disclosure_start": ai.disclosure_start,
        "ai_disclosure_end": ai.disclosure_end,
        "responsible_holder": responsibility.holder,
        "responsible_role": responsibility.role,
        "responsible_contact": responsibility.contact,
        "scope_claims_checked": int(scope.claims_checked),
        "scope_sources_assessed": int(scope.sources_assessed),
        "scope_corrections_requested": int(scope.corrections_requested),
    }


def accountability_from_row(
    row: Row,
) -> tuple[bool, AiInvolvement, EditorialResponsibility, ReviewScope]:
    """(recorded, AI involvement, responsibility, scope) of a review row."""
    ai = AiInvolvement(
        assisted=row["ai_assisted"],
        unknown_reason=row["ai_unknown_reason"],
        tools=row["ai_tools"],
        roles=tuple(json.loads(row["ai_roles"])),
        role_other=row["ai_role_other"],
        source_type=row["ai_source_type"],
        disclosure=row["ai_disclosure"],
        disclosure_start=row["ai_disclosure_start"],
        disclosure_end=row["ai_disclosure_end"],
    )
    responsibility = EditorialResponsibility(
        row["responsible_holder"], row["responsible_role"], row["responsible_contact"]
    )
    scope = ReviewScope(
        bool(row["scope_claims_checked"]),
        bool(row["scope_sources_assessed"]),
        bool(row["scope_corrections_requested"]),
    )
    return bool(row["accountability_recorded"]), ai, responsibility, scope


# ---------------------------------------------------------------------- claims
@dataclass(frozen=True)
class ClaimPlace:
    """Where a claim sits: its words, their context and position (None: no place), and how
    firmly; the columns re-anchoring, confirming and re-attaching write."""

    quote: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    anchor_state: str
    anchor_score: float | None
    previous_quote: str = ""


def place_row(place: ClaimPlace) -> Row:
    return {
        "quote": place.quote,
        "prefix": place.prefix,
        "suffix": place.suffix,
        "start": place.start,
        "end": place.end,
        "anchor_state": place.anchor_state,
        "anchor_score": place.anchor_score,
        "previous_quote": place.previous_quote,
    }


def claim_row(claim: Claim, anchor_score: float | None = None) -> Row:
    """The claim's columns; the domain object has no anchor score, so the caller says it."""
    return {
        "review_id": claim.review_id,
        "revision_id": claim.revision_id,
        "quote": claim.quote,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "start": claim.start,
        "end": claim.end,
        "status": claim.status,
        "note": claim.note,
        "correction": claim.correction,
        "anchor_state": claim.anchor_state,
        "anchor_score": anchor_score,
        "previous_quote": claim.previous_quote,
        "source_override": claim.source_override,
        "stance_override": claim.stance_override,
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        "stable_id": claim.stable_id,
        **reuse_row(claim.reused_from),
        "suggestion_key": claim.suggestion_key,
        "author": claim.author,
    }


def reuse_row(origin: ReuseOrigin | None) -> Row:
    """The claim's columns naming the earlier check it reused (all empty for none)."""
    return {
        "reused_from_review": origin.review_id if origin else None,
        "reused_from_claim": origin.claim_number if origin else None,
        "reused_from_id": origin.claim_stable_id if origin else "",
        "reused_from_title": origin.review_title if origin else "",
    }


def reuse_from_row(row: Row) -> ReuseOrigin | None:
    if row.get("reused_from_review") is None:
        return None
    return ReuseOrigin(
        int(row["reused_from_review"]),
        int(row["reused_from_claim"] or 0),
        str(row["reused_from_id"] or ""),
        str(row["reused_from_title"] or ""),
    )


def claim_from_row(
    row: Row, number: int, source_ids: list[int], stances: dict[int, str] | None = None
) -> Claim:
    """stances: source id -> the stance of its link (claim_sources.stance)."""
    return Claim(
        id=row["id"],
        review_id=row["review_id"],
        number=number,
        quote=row["quote"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["start"],
        end=row["end"],
        revision_id=row["revision_id"],
        status=row["status"],
        note=row["note"],
        correction=row["correction"],
        anchor_state=row["anchor_state"],
        source_ids=source_ids,
        source_override=row["source_override"],
        previous_quote=row["previous_quote"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        source_stances=_stances(stances),
        stance_override=row["stance_override"],
        stable_id=row["stable_id"],
        reused_from=reuse_from_row(row),
        suggestion_key=row.get("suggestion_key", ""),
        author=row.get("author", ""),
    )


# The columns claims_from_rows reads, in the order it unpacks them.
CLAIM_COLUMNS = (
    'id, review_id, revision_id, quote, prefix, suffix, start, "end", status, note, correction, '
    "anchor_state, previous_quote, source_override, stance_override, created_at, updated_at, "
    "stable_id, reused_from_review, reused_from_claim, reused_from_id, reused_from_title, "
    "suggestion_key, author"
)


def claims_from_rows(
    rows: Iterable[tuple[Any, ...]], links: dict[int, dict[int, Stance]]
) -> list[Claim]:
    """A review's claims from its CLAIM_COLUMNS tuples in text order, numbered 1, 2, 3...;
    links: claim id -> {source id: stance}, stances already parsed.

    The whole-review read (10,000 claims when a big review opens): the same Claims as
    claim_from_row gives, at a third of the cost, because this path is trusted: columns by
    position instead of a dict per row, states through a dict built once, and each Claim made
    without __post_init__ re-parsing what was parsed here. Reading holds the GIL the GUI thread
    needs, so every microsecond per claim is a stall of the window."""
    statuses, anchors = ClaimStatus.spellings(), AnchorState.spellings()
    new = object.__new__
    claims: list[Claim] = []
    append = claims.append
    for number, (
        id_,
        review_id,
        revision_id,
        quote,
        prefix,
        suffix,
        start,
        end,
        status,
        note,
        correction,
        anchor_state,
        previous_quote,
        source_override,
        stance_override,
        created_at,
        updated_at,
        stable_id,
        reused_review,
        reused_claim,
        reused_id,
        reused_title,
        suggestion_key,
        author,
    ) in enumerate(rows, start=1):
        stances = links.get(id_)
        claim = new(Claim)
        # every field of Claim, as its generated __init__ would set them
        claim.__dict__ = {
            "id": id_,
            "review_id": review_id,
            "number": number,
            "quote": quote,
            "prefix": prefix,
            "suffix": suffix,
            "start": start,
            "end": end,
            "revision_id": revision_id,
            "status": statuses.get(status) or ClaimStatus.parse(status),
            "note": note,
            "correction": correction,
            "anchor_state": anchors.get(anchor_state) or AnchorState.parse(anchor_state),
            "source_ids": list(stances) if stances else [],
            "source_override": source_override,
            "previous_quote": previous_quote,
            "created_at": created_at,
            "updated_at": updated_at,
            "source_stances": dict(stances) if stances else {},
            "stance_override": stance_override,
            "stable_id": stable_id,
            "reused_from": None
            if reused_review is None
            else ReuseOrigin(
                int(reused_review),
                int(reused_claim or 0),
                str(reused_id or ""),
                str(reused_title or ""),
            ),
            "suggestion_key": suggestion_key,
            "author": author,
        }
        append(claim)
    return claims


# ---------------------------------------------------------------------- sources
def source_row(source: Source) -> Row:
    return {
        "review_id": source.review_id,
        **{f: getattr(source, f) for f in SOURCE_FIELDS},
        "created_at": source.created_at,
        "updated_at": source.updated_at,
        "stable_id": source.stable_id,
    }


def source_from_row(
    row: Row, claim_ids: list[int], stances: dict[int, str] | None = None
) -> Source:
    """stances: claim id -> the stance of its link (claim_sources.stance)."""
    return Source(
        id=row["id"],
        review_id=row["review_id"],
        **{f: row[f] for f in SOURCE_FIELDS},
        claim_ids=claim_ids,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        claim_stances=_stances(stances),
        stable_id=row["stable_id"],
    )


# ---------------------------------------------------------------------- claim-source links
def _stances(stances: dict[int, str] | None) -> dict[int, Stance]:
    return {other: Stance.parse(stance) for other, stance in (stances or {}).items()}


def link_row(claim_id: int, source_id: int, stance: str) -> Row:
    return {"claim_id": claim_id, "source_id": source_id, "stance": stance}


# ---------------------------------------------------------------------- takeaways
TAKEAWAY_COLUMNS = "id, review_id, text, kind, position, created_at, updated_at, stable_id"


def takeaway_row(takeaway: Takeaway) -> Row:
    return {
        "review_id": takeaway.review_id,
        "text": takeaway.text,
        "kind": takeaway.kind,
        "position": takeaway.position,
        "created_at": takeaway.created_at,
        "updated_at": takeaway.updated_at,
        "stable_id": takeaway.stable_id,
    }


def takeaway_from_row(row: Row) -> Takeaway:
    return Takeaway(
        id=row["id"],
        review_id=row["review_id"],
        text=row["text"],
        kind=row["kind"],
        position=row["position"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        stable_id=row["stable_id"],
    )


# ---------------------------------------------------------------------- sign-offs
SIGNOFF_COLUMNS = (
    "id, review_id, revision_id, reviewer, email, fingerprint, markdown, signature, signed_at, "
    "superseded_at, attestation, superseded_reason"
)


def signoff_row(signoff: Signoff, public_key: str) -> Row:
    """The immutable record; the domain object leaves out the public key, the row keeps it."""
    return {
        "review_id": signoff.review_id,
        "revision_id": signoff.revision_id,
        "reviewer": signoff.reviewer,
        "email": signoff.email,
        "fingerprint": signoff.fingerprint,
        "public_key": public_key,
        "markdown": signoff.markdown,
        "signature": signoff.signature,
        "signed_at": signoff.signed_at,
        "superseded_at": signoff.superseded_at,
        "attestation": signoff.attestation,
        "superseded_reason": signoff.superseded_reason,
    }


def signoff_from_row(row: Row) -> Signoff:
    return Signoff(
        id=row["id"],
        review_id=row["review_id"],
        revision_id=row["revision_id"],
        reviewer=row["reviewer"],
        email=row["email"],
        fingerprint=row["fingerprint"],
        markdown=bytes(row["markdown"]),
        signature=row["signature"],
        signed_at=row["signed_at"],
        superseded_at=row["superseded_at"],
        attestation=bytes(row["attestation"]),
        superseded_reason=row["superseded_reason"],
    )
