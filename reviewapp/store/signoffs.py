"""Reviewers' public keys and sign-off records in the database (functions over a ReviewStore).

The writers here join the caller's transaction; the sign-off workflow wraps them in one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
class KnownSigner:
    """A key that signed or may sign: from the reviewers table or an earlier sign-off."""

    name: str
    email: str
    public_key: str
    fingerprint: str

    @property
    def principal(self) -> str:
        return self.email or self.name


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


def known_signers(store: ReviewStore) -> list[KnownSigner]:
    """Every key the database knows: current reviewer keys, then keys of past sign-offs."""
    seen: set[str] = set()
    signers: list[KnownSigner] = []
    rows = list(
        store.db.query(
            "SELECT name, email, public_key, fingerprint FROM reviewers WHERE public_key != '' "
            "ORDER BY id"
        )
    )
    rows += store.db.query(
        "SELECT reviewer AS name, email, public_key, fingerprint FROM signoffs ORDER BY id"
    )
    for row in rows:
        if row["fingerprint"] in seen:
            continue
        seen.add(row["fingerprint"])
        signers.append(KnownSigner(**row))
    return signers


def signoff_for_markdown(store: ReviewStore, markdown: bytes) -> Signoff | None:
    """The sign-off record whose signed bytes are exactly these, if any."""
    row = store._one("SELECT id, review_id FROM signoffs WHERE markdown = ? ORDER BY id DESC "
                     "LIMIT 1", [markdown])  # fmt: skip
    if row is None:
        return None
    return next(s for s in store.signoffs(row["review_id"]) if s.id == row["id"])
