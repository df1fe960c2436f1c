"""Whether a sign-off's signer is verified here: its key in this editor's trust set, bound to
the reviewer the record names. Computed when shown, so trusting a key later needs no rewrite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewapp.store import ReviewStore
from reviewapp.store.signoffs import TrustedKey

if TYPE_CHECKING:  # the records come with the first review read (core/summary.py)
    from reviewapp.core.model import Signoff


@dataclass(frozen=True)
class SignerTrust:
    """Whether a sign-off's signer is verified here; reason says why not, in a few words."""

    verified: bool
    fingerprint: str
    reason: str = ""  # e.g. "key SHA256:... is not trusted here"


def signer_trust(store: ReviewStore, signoff: Signoff) -> SignerTrust:
    """Whether this sign-off's key is trusted here for the reviewer the record names."""
    key = store.trusted_key(signoff.fingerprint)
    return _judged(signoff.fingerprint, signoff.reviewer, signoff.email, key)


def _judged(fingerprint: str, reviewer: str, email: str, key: TrustedKey | None) -> SignerTrust:
    """Whether key (the trusted key of this fingerprint, None if none) names this reviewer."""
    if key is None:
        return SignerTrust(False, fingerprint, f"key {fingerprint} is not trusted here")
    if not key.belongs_to(reviewer, email):
        return SignerTrust(False, fingerprint, f"key {fingerprint} belongs to {key.who} here")
    return SignerTrust(True, fingerprint)


def unverified_signoffs(store: ReviewStore, review_ids: list[int]) -> dict[int, SignerTrust]:
    """For each of these reviews whose current sign-off is not verified here: why not.

    One query for them all (a library page asks for 200 rows; one query per row cost ~1.5 ms
    a page on the GUI thread)."""
    found: dict[int, SignerTrust] = {}
    for review_id, signer in store.current_signers(review_ids).items():
        trust = _judged(signer.fingerprint, signer.reviewer, signer.email, signer.key)
        if not trust.verified:
            found[review_id] = trust
    return found
