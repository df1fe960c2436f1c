"""Whether a sign-off's signer is verified here: its key in this editor's trust set, bound to
the reviewer the record names. Computed when shown, so trusting a key later needs no rewrite."""

from __future__ import annotations

from dataclasses import dataclass

from reviewapp.core.model import Signoff
from reviewapp.store import ReviewStore


@dataclass(frozen=True)
class SignerTrust:
    """Whether a sign-off's signer is verified here; reason says why not, in a few words."""

    verified: bool
    fingerprint: str
    reason: str = ""  # e.g. "key SHA256:... is not trusted here"


def signer_trust(store: ReviewStore, signoff: Signoff) -> SignerTrust:
    """Whether this sign-off's key is trusted here for the reviewer the record names."""
    key = store.trusted_key(signoff.fingerprint)
    if key is None:
        return SignerTrust(
            False, signoff.fingerprint, f"key {signoff.fingerprint} is not trusted here"
        )
    if not key.belongs_to(signoff.reviewer, signoff.email):
        return SignerTrust(
            False, signoff.fingerprint, f"key {signoff.fingerprint} belongs to {key.who} here"
        )
    return SignerTrust(True, signoff.fingerprint)


def unverified_signoffs(store: ReviewStore, review_ids: list[int]) -> dict[int, SignerTrust]:
    """For each of these reviews whose current sign-off is not verified here: why not."""
    found: dict[int, SignerTrust] = {}
    for review_id in review_ids:
        live = [s for s in store.signoffs(review_id) if not s.superseded_at]
        if live:
            trust = signer_trust(store, live[-1])
            if not trust.verified:
                found[review_id] = trust
    return found
