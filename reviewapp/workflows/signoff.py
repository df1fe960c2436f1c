"""Sign-off and reopen: gate, key, render, sign, record; and the way back to in-review.

The GUI and the CLI both call these functions; nothing here knows about either.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from reviewapp.core import scales
from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput, GateFailed
from reviewapp.core.gate import gate_problems
from reviewapp.core.model import ReviewData, Signoff, utc_now
from reviewapp.core.states import ReviewStatus
from reviewapp.export import export_filename
from reviewapp.export.attestation import PAYLOAD_TYPE, SignerFacts, review_statement
from reviewapp.export.markdown import SignoffBlock, render_markdown
from reviewapp.secrets import SecretStore, default_secret_store
from reviewapp.signing import dsse, sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows.keys import SigningKey, load_or_create_key

_ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def sign_off(
    store: ReviewStore,
    review_id: int,
    reviewer: str = "",
    email: str = "",
    secrets: SecretStore | None = None,
    now: str | None = None,
    new_key: bool = False,
) -> Signoff:
    """Sign the review off as reviewer; returns the stored, immutable sign-off record.

    Order matters: the gate and the key (keyring) come first and the signature is made before
    the database is touched, so a refusal at any step leaves the database unchanged. The
    record, the reviewer's public key and the status change are then written in one
    transaction, which also checks that nobody changed the review meanwhile.
    """
    data = store.load_review(review_id)
    reviewer, signed_at = _ready_to_sign(data, reviewer, email, now)
    key = load_or_create_key(store, secrets or default_secret_store(), reviewer, email, new_key)
    markdown = _signed_markdown(data, key, signed_at)
    signature = sshsig.sign(markdown, key.private_key)
    attestation = signed_attestation(data, key, markdown, signed_at)
    signoff_id = _record(store, data, key, markdown, signature, signed_at, attestation)
    return next(s for s in store.signoffs(review_id) if s.id == signoff_id)


def _ready_to_sign(data: ReviewData, reviewer: str, email: str, now: str | None) -> tuple[str, str]:
    """The reviewer's name and the sign-off time, once every refusal has been ruled out."""
    review_id = data.review.id
    if data.review.status == ReviewStatus.SIGNED_OFF:
        current = data.current_signoff
        by = f" by {current.reviewer} at {current.signed_at}" if current else ""
        raise BadInput(f"review {review_id} is already signed off{by}; reopen it to sign again")
    check_one_line(reviewer, "reviewer's name")  # refused before any key is made
    check_one_line(email, "reviewer's email")
    reviewer = (reviewer or data.review.reviewer).strip()
    problems = gate_problems(data, reviewer)
    if problems:
        raise GateFailed(problems)
    signed_at = now or utc_now()
    if not _ISO_UTC.fullmatch(signed_at):
        raise BadInput(f"the sign-off time must look like 2026-11-27T19:03:10Z, not {signed_at!r}")
    return reviewer, signed_at


def _signed_markdown(data: ReviewData, key: SigningKey, signed_at: str) -> bytes:
    """The exact bytes the signature covers: the review as signed off by the key's owner."""
    signed_review = dataclasses.replace(
        data.review, status=ReviewStatus.SIGNED_OFF, reviewer=key.name
    )
    block = SignoffBlock(
        reviewer=key.name,
        email=key.email,
        signed_at=signed_at,
        fingerprint=key.fingerprint,
    )
    return render_markdown(dataclasses.replace(data, review=signed_review), block).encode()


def signed_attestation(data: ReviewData, key: SigningKey, markdown: bytes, signed_at: str) -> bytes:
    """The DSSE envelope (NAME.intoto.json) of the in-toto statement about this sign-off,
    signed with the same key as the Markdown."""
    signed = dataclasses.replace(
        data,
        review=dataclasses.replace(data.review, status=ReviewStatus.SIGNED_OFF, reviewer=key.name),
    )
    signer = SignerFacts(key.name, key.email, key.fingerprint, signed_at)
    statement = review_statement(signed, markdown, signer, export_filename(signed, "md"))
    return dsse.sign(PAYLOAD_TYPE, statement, key.private_key)


def _record(
    store: ReviewStore,
    data: ReviewData,
    key: SigningKey,
    markdown: bytes,
    signature: str,
    signed_at: str,
    attestation: bytes,
) -> int:
    """Write the sign-off, the key and the status in one transaction; the sign-off's id."""
    review_id = data.review.id
    with store.transaction():
        if store.load_review(review_id) != data:
            raise BadInput(f"review {review_id} changed while it was being signed; sign off again")
        if key.is_new:
            store.save_reviewer_key(key.name, key.email, key.public_key_line, key.fingerprint)
        if data.review.reviewer != key.name:  # the record and the review name the same person
            store.set_review(review_id, reviewer=key.name)
        record = Signoff(
            id=0,
            review_id=review_id,
            revision_id=data.revision.id,
            reviewer=key.name,
            email=key.email,
            fingerprint=key.fingerprint,
            markdown=markdown,
            signature=signature,
            signed_at=signed_at,
            attestation=attestation,
        )
        signoff_id = store.insert_signoff(record, key.public_key_line)
        if data.suggestions is not None:  # the signed Markdown states it; kept to re-render
            store.record_coverage_signed(review_id, data.suggestions.enforced)
        store.set_status(review_id, ReviewStatus.SIGNED_OFF, actor=key.name)
        store.log_event(
            review_id,
            "signoff",
            key.name,
            signoff_id=signoff_id,
            fingerprint=key.fingerprint,
            markdown_sha256=hashlib.sha256(markdown).hexdigest(),
        )
    return signoff_id


def reopen(
    store: ReviewStore, review_id: int, reason: str = "", actor: str = "", now: str | None = None
) -> Signoff | None:
    """Return a signed-off review to in-review; its sign-off stays in the history, superseded."""
    at = now or utc_now()
    with store.transaction():
        review = store.review(review_id)
        if review.status != ReviewStatus.SIGNED_OFF:
            record = store.second_review(review_id)
            if record is not None and record.signed_copy:
                # A second reviewer's signed copy: its assessment is set aside, not a sign-off.
                store.withdraw_second_assessment(review_id, actor, reason.strip())
                return None
            label = scales.REVIEW_STATUSES.get(review.status, review.status).lower()
            raise BadInput(f"review {review_id} is {label}, not signed off; nothing to reopen")
        superseded = store.supersede_current(review_id, at, reason.strip())
        store.set_status(review_id, ReviewStatus.IN_REVIEW, actor=actor)
        store.log_event(
            review_id,
            "reopen",
            actor,
            reason=reason.strip(),
            signoff_id=superseded.id if superseded else None,
        )
    return superseded
