"""Reviewers' public keys, the keys this editor trusts, and sign-off records (functions over a
ReviewStore).

The trust set (table trusted_keys) is what decides whether a signature names its signer: the
editor's own keys (made by a sign-off here) and keys the editor trusted explicitly. Imported
sign-off rows carry their signer's key, but that never makes the key trusted; whether a sign-off
is verified is computed when it is shown, so trusting a key later needs no rewrite.

The writers here join the caller's transaction; the sign-off workflow wraps them in one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.model import Signoff, utc_now
from reviewapp.store.reviews import ReviewStore


@dataclass(frozen=True)
class ReviewerKey:
    """A reviewer as the database knows them: name, email and public key (never the private)."""

    id: int
    name: str
    email: str
    public_key: str  # "ssh-ed25519 AAAA..."
    fingerprint: str  # "SHA256:..."
    created_at: str

    @property
    def principal(self) -> str:
        """The signer identity in allowed_signers files: the email, or the name without one."""
        return self.email or self.name


@dataclass(frozen=True)
class TrustedKey:
    """A key this editor trusts, and the one person it belongs to."""

    id: int
    fingerprint: str
    public_key: str  # "ssh-ed25519 AAAA..."
    name: str
    email: str
    added_at: str
    origin: str  # "own" (made by a sign-off here) or "editor" (reviewapp key trust)

    @property
    def principal(self) -> str:
        """The signer identity in allowed_signers files: the email, or the name without one."""
        return self.email or self.name

    @property
    def who(self) -> str:
        return self.name + (f" <{self.email}>" if self.email else "")

    def belongs_to(self, name: str, email: str) -> bool:
        """Whether a file or record naming this reviewer names the key's owner."""
        return self.principal == (email.strip() or name.strip()) and self.name == name.strip()


@dataclass(frozen=True)
class SignerTrust:
    """Whether a sign-off's signer is verified here; reason says why not, in a few words."""

    verified: bool
    fingerprint: str
    reason: str = ""  # e.g. "key SHA256:... is not trusted here"


def _reviewer(row: dict[str, Any] | None) -> ReviewerKey | None:
    return None if row is None else ReviewerKey(**row)


_REVIEWER_COLUMNS = "id, name, email, public_key, fingerprint, created_at"


def reviewer_by_name(store: ReviewStore, name: str) -> ReviewerKey | None:
    return _reviewer(
        store._one(f"SELECT {_REVIEWER_COLUMNS} FROM reviewers WHERE name = ?", [name.strip()])
    )


def reviewer_by_email(store: ReviewStore, email: str) -> ReviewerKey | None:
    return _reviewer(
        store._one(
            f"SELECT {_REVIEWER_COLUMNS} FROM reviewers WHERE email = ? AND email != '' "
            "ORDER BY id LIMIT 1",
            [email.strip()],
        )
    )


def reviewers(store: ReviewStore) -> list[ReviewerKey]:
    rows = store.db.query(f"SELECT {_REVIEWER_COLUMNS} FROM reviewers ORDER BY name")
    return [ReviewerKey(**r) for r in rows]


def save_reviewer_key(
    store: ReviewStore, name: str, email: str, public_key: str, fingerprint: str
) -> ReviewerKey:
    """Record a reviewer's public key (inserting the reviewer if new)."""
    with store.transaction():
        existing = reviewer_by_name(store, name)
        values = {"email": email, "public_key": public_key, "fingerprint": fingerprint}
        if existing is None:
            store._insert("reviewers", {"name": name.strip(), **values, "created_at": utc_now()})
        else:
            store._update("reviewers", existing.id, values)
        if trusted_key(store, fingerprint) is None:  # made here: trusted as the editor's own
            _add_trusted(store, "own", name, email, public_key, fingerprint)
        store.log_event(None, "reviewer-key", name, fingerprint=fingerprint, email=email)
    found = reviewer_by_name(store, name)
    assert found is not None  # just written in this transaction
    return found


def insert_signoff(
    store: ReviewStore,
    *,
    review_id: int,
    revision_id: int,
    reviewer: str,
    email: str,
    fingerprint: str,
    public_key: str,
    markdown: bytes,
    signature: str,
    signed_at: str,
) -> int:
    """Store an immutable sign-off record (the trigger refuses later edits of its evidence)."""
    with store.transaction():
        return store._insert(
            "signoffs",
            {
                "review_id": review_id, "revision_id": revision_id, "reviewer": reviewer,
                "email": email, "fingerprint": fingerprint, "public_key": public_key,
                "markdown": markdown, "signature": signature, "signed_at": signed_at,
            },
        )  # fmt: skip


def supersede_current(store: ReviewStore, review_id: int, at: str) -> Signoff | None:
    """Mark the review's live sign-off superseded (it stays in the history); returns it."""
    with store.transaction():
        live = [s for s in store.signoffs(review_id) if not s.superseded_at]
        for signoff in live:
            store._update("signoffs", signoff.id, {"superseded_at": at})
    return live[-1] if live else None


_TRUSTED_COLUMNS = "id, fingerprint, public_key, name, email, added_at, origin"


def trusted_keys(store: ReviewStore) -> list[TrustedKey]:
    """The trust set: own keys first, then the ones the editor trusted, oldest first."""
    rows = store.db.query(
        f"SELECT {_TRUSTED_COLUMNS} FROM trusted_keys ORDER BY origin != 'own', id"
    )
    return [TrustedKey(**r) for r in rows]


def trusted_key(store: ReviewStore, fingerprint: str) -> TrustedKey | None:
    row = store._one(
        f"SELECT {_TRUSTED_COLUMNS} FROM trusted_keys WHERE fingerprint = ?", [fingerprint]
    )
    return None if row is None else TrustedKey(**row)


def _add_trusted(
    store: ReviewStore, origin: str, name: str, email: str, public_key: str, fingerprint: str
) -> None:
    store._insert("trusted_keys", {
        "fingerprint": fingerprint, "public_key": public_key, "name": name.strip(),
        "email": email.strip(), "added_at": utc_now(), "origin": origin,
    })  # fmt: skip


def _check_not_rebound(store: ReviewStore, fingerprint: str, name: str, email: str) -> None:
    """A trusted key, or a trusted email, stays bound to the one person it was trusted for."""
    known = trusted_key(store, fingerprint)
    if known is not None and not known.belongs_to(name, email):
        raise BadInput(
            f"key {fingerprint} is already trusted as {known.who}; it cannot be bound to "
            f"{name}{f' <{email}>' if email else ''} (untrust it first: reviewapp key untrust "
            f"{fingerprint})"
        )
    principal = email.strip() or name.strip()
    for other in trusted_keys(store):
        if other.principal == principal and other.name != name.strip():
            raise BadInput(
                f"{principal} is trusted here as {other.who}; trust this key under that name "
                f"(--name {other.name!r})"
            )


def trust_key(
    store: ReviewStore, name: str, email: str, public_key: str, fingerprint: str
) -> TrustedKey:
    """Trust a key for one person, as the editor asked (refused if it is bound to another)."""
    with store.transaction():
        _check_not_rebound(store, fingerprint, name, email)
        if trusted_key(store, fingerprint) is None:
            _add_trusted(store, "editor", name, email, public_key, fingerprint)
            store.log_event(None, "key-trust", name, fingerprint=fingerprint, email=email)
    found = trusted_key(store, fingerprint)
    assert found is not None  # just written, or already there for the same person
    return found


def untrust_key(store: ReviewStore, fingerprint: str) -> TrustedKey:
    """Remove a key the editor trusted; the editor's own keys stay (they signed here)."""
    with store.transaction():
        known = trusted_key(store, fingerprint)
        if known is None:
            raise NotFound(f"key {fingerprint} is not trusted here; `reviewapp key list` shows "
                           "the trusted keys")  # fmt: skip
        if known.origin == "own":
            raise BadInput(
                f"key {fingerprint} is {known.who}'s own key, made by a sign-off in this "
                "database; only keys trusted with `reviewapp key trust` can be untrusted"
            )
        store.conn.execute("DELETE FROM trusted_keys WHERE id = ?", [known.id])
        store.log_event(None, "key-untrust", known.name, fingerprint=fingerprint,
                        email=known.email)  # fmt: skip
    return known


def signer_trust(store: ReviewStore, signoff: Signoff) -> SignerTrust:
    """Whether this sign-off's key is trusted here for the reviewer the record names."""
    key = trusted_key(store, signoff.fingerprint)
    if key is None:
        return SignerTrust(False, signoff.fingerprint,
                           f"key {signoff.fingerprint} is not trusted here")  # fmt: skip
    if not key.belongs_to(signoff.reviewer, signoff.email):
        return SignerTrust(False, signoff.fingerprint,
                           f"key {signoff.fingerprint} belongs to {key.who} here")  # fmt: skip
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


def signoff_for_markdown(store: ReviewStore, markdown: bytes) -> Signoff | None:
    """The sign-off record whose signed bytes are exactly these, if any."""
    row = store._one("SELECT id, review_id FROM signoffs WHERE markdown = ? ORDER BY id DESC "
                     "LIMIT 1", [markdown])  # fmt: skip
    if row is None:
        return None
    return next(s for s in store.signoffs(row["review_id"]) if s.id == row["id"])
