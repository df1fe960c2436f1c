"""Sign-off records, reviewers' public keys and the keys this editor trusts.

The trust set (table trusted_keys) is what decides whether a signature names its signer: the
editor's own keys (made by a sign-off here) and keys the editor trusted explicitly. Imported
sign-off rows carry their signer's key, but that never makes the key trusted; whether a sign-off
is verified is computed when it is shown, so trusting a key later needs no rewrite.

The writers here join the caller's transaction; the sign-off workflow wraps them in one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.summary import utc_now
from reviewapp.store.base import StoreBase

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import Cosignature, Signoff


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
class CurrentSigner:
    """Who signed a review's live sign-off, and the trusted key of that fingerprint (if any)."""

    review_id: int
    fingerprint: str
    reviewer: str
    email: str
    key: TrustedKey | None


_REVIEWER_COLUMNS = "id, name, email, public_key, fingerprint, created_at"
_TRUSTED_COLUMNS = "id, fingerprint, public_key, name, email, added_at, origin"


class SignoffStore(StoreBase):
    # ------------------------------------------------------------------ sign-off records
    def signoffs(self, review_id: int) -> list[Signoff]:
        """Every sign-off of a review, oldest first (superseded ones included)."""
        from reviewapp.store.rows import SIGNOFF_COLUMNS, signoff_from_row

        rows = self._db.query(
            f"SELECT {SIGNOFF_COLUMNS} FROM signoffs WHERE review_id = ? ORDER BY id", [review_id]
        )
        found = [signoff_from_row(r) for r in rows]
        cosigned = self._cosignatures(review_id) if found else {}
        return [dataclasses.replace(s, cosignature=cosigned.get(s.id)) for s in found]

    def _cosignatures(self, review_id: int) -> dict[int, Cosignature]:
        from reviewapp.core.model import Cosignature

        rows = self._db.query(
            "SELECT c.* FROM signoff_cosignatures c JOIN signoffs s ON s.id = c.signoff_id "
            "WHERE s.review_id = ?",
            [review_id],
        )
        return {
            int(r["signoff_id"]): Cosignature(
                r["signature"], r["fingerprint"], r["signer"], r["email"], r["imported_at"]
            )
            for r in rows
        }

    def record_cosignature(self, signoff_id: int, cosignature: Cosignature) -> bool:
        """Keep the second reviewer's co-signature of a sign-off; False when that very
        signature is already here. The caller verified it; a different one is refused."""
        with self.transaction():
            row = self._one(
                "SELECT signature FROM signoff_cosignatures WHERE signoff_id = ?", [signoff_id]
            )
            if row is not None:
                if row["signature"].strip() == cosignature.signature.strip():
                    return False
                raise BadInput(
                    f"sign-off {signoff_id} already holds another co-signature; it is kept"
                )
            self._conn.execute(
                "INSERT INTO signoff_cosignatures (signoff_id, signature, fingerprint, signer, "
                "email, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    signoff_id,
                    cosignature.signature,
                    cosignature.fingerprint,
                    cosignature.signer,
                    cosignature.email,
                    cosignature.imported_at or utc_now(),
                ],
            )
            review = self._one("SELECT review_id FROM signoffs WHERE id = ?", [signoff_id])
            self.log_event(
                review["review_id"] if review else None,
                "second-review-cosignature",
                cosignature.signer,
                fingerprint=cosignature.fingerprint,
            )
            return True

    def current_signers(self, review_ids: list[int]) -> dict[int, CurrentSigner]:
        """The signer of each of these reviews' live (newest unsuperseded) sign-off, with its
        trusted key, in one query per 500 reviews: a library page asks for 200 at once."""
        found: dict[int, CurrentSigner] = {}
        trusted = ", ".join(f"t.{c.strip()} AS t_{c.strip()}" for c in _TRUSTED_COLUMNS.split(","))
        for start in range(0, len(review_ids), 500):
            chunk = review_ids[start : start + 500]
            rows = self._db.query(
                f"SELECT s.review_id, s.fingerprint, s.reviewer, s.email, {trusted} "
                "FROM signoffs s LEFT JOIN trusted_keys t ON t.fingerprint = s.fingerprint "
                f"WHERE s.superseded_at = '' AND s.review_id IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY s.id",
                chunk,
            )
            for r in rows:  # oldest first, so the newest live one of a review stays
                key = None
                if r["t_id"] is not None:
                    key = TrustedKey(**{k[2:]: v for k, v in r.items() if k.startswith("t_")})
                found[r["review_id"]] = CurrentSigner(
                    r["review_id"], r["fingerprint"], r["reviewer"], r["email"], key
                )
        return found

    def signoff_for_markdown(self, markdown: bytes) -> Signoff | None:
        """The sign-off record whose signed bytes are exactly these, if any."""
        from reviewapp.store.rows import SIGNOFF_COLUMNS, signoff_from_row

        row = self._one(
            f"SELECT {SIGNOFF_COLUMNS} FROM signoffs WHERE markdown = ? ORDER BY id DESC LIMIT 1",
            [markdown],
        )
        return None if row is None else signoff_from_row(row)

    def insert_signoff(self, signoff: Signoff, public_key: str) -> int:
        """Store an immutable sign-off record (a trigger refuses later edits of its evidence);
        signoff.id is ignored; returns the new id."""
        from reviewapp.store.rows import signoff_row

        with self.transaction():
            return self._insert("signoffs", signoff_row(signoff, public_key))

    def supersede_current(self, review_id: int, at: str, reason: str = "") -> Signoff | None:
        """Mark the review's live sign-off superseded (it stays in the history, saying why);
        returns it as it was."""
        with self.transaction():
            live = [s for s in self.signoffs(review_id) if not s.superseded_at]
            for signoff in live:
                self._update(
                    "signoffs", signoff.id, {"superseded_at": at, "superseded_reason": reason}
                )
        return live[-1] if live else None

    def restore_superseded(self, signoff_id: int) -> None:
        """Take back supersede_current for one sign-off (undoing what superseded it)."""
        with self.transaction():
            self._update("signoffs", signoff_id, {"superseded_at": "", "superseded_reason": ""})

    # ------------------------------------------------------------------ reviewers' keys
    def reviewer_by_name(self, name: str) -> ReviewerKey | None:
        """The reviewer of this name and their public key, if the database knows them."""
        row = self._one(f"SELECT {_REVIEWER_COLUMNS} FROM reviewers WHERE name = ?", [name.strip()])
        return None if row is None else ReviewerKey(**row)

    def reviewer_by_email(self, email: str) -> ReviewerKey | None:
        """The (first) reviewer with this email, if any."""
        row = self._one(
            f"SELECT {_REVIEWER_COLUMNS} FROM reviewers WHERE email = ? AND email != '' "
            "ORDER BY id LIMIT 1",
            [email.strip()],
        )
        return None if row is None else ReviewerKey(**row)

    def reviewers(self) -> list[ReviewerKey]:
        """Every reviewer the database knows, by name."""
        rows = self._db.query(f"SELECT {_REVIEWER_COLUMNS} FROM reviewers ORDER BY name")
        return [ReviewerKey(**r) for r in rows]

    def save_reviewer_key(
        self, name: str, email: str, public_key: str, fingerprint: str
    ) -> ReviewerKey:
        """Record a reviewer's public key (inserting the reviewer if new); a key made here is
        trusted as the editor's own."""
        with self.transaction():
            existing = self.reviewer_by_name(name)
            values = {"email": email, "public_key": public_key, "fingerprint": fingerprint}
            if existing is None:
                self._insert("reviewers", {"name": name.strip(), **values, "created_at": utc_now()})
            else:
                self._update("reviewers", existing.id, values)
            if self.trusted_key(fingerprint) is None:
                self._add_trusted("own", name, email, public_key, fingerprint)
            self.log_event(None, "reviewer-key", name, fingerprint=fingerprint, email=email)
        found = self.reviewer_by_name(name)
        assert found is not None  # just written in this transaction
        return found

    # ------------------------------------------------------------------ the trust set
    def trusted_keys(self) -> list[TrustedKey]:
        """The trust set: own keys first, then the ones the editor trusted, oldest first."""
        rows = self._db.query(
            f"SELECT {_TRUSTED_COLUMNS} FROM trusted_keys ORDER BY origin != 'own', id"
        )
        return [TrustedKey(**r) for r in rows]

    def trusted_key(self, fingerprint: str) -> TrustedKey | None:
        """The trusted key with this fingerprint, if it is trusted here."""
        row = self._one(
            f"SELECT {_TRUSTED_COLUMNS} FROM trusted_keys WHERE fingerprint = ?", [fingerprint]
        )
        return None if row is None else TrustedKey(**row)

    def trust_key(self, name: str, email: str, public_key: str, fingerprint: str) -> TrustedKey:
        """Trust a key for one person, as the editor asked (refused if it is bound to another)."""
        with self.transaction():
            self._check_not_rebound(fingerprint, name, email)
            if self.trusted_key(fingerprint) is None:
                self._add_trusted("editor", name, email, public_key, fingerprint)
                self.log_event(None, "key-trust", name, fingerprint=fingerprint, email=email)
        found = self.trusted_key(fingerprint)
        assert found is not None  # just written, or already there for the same person
        return found

    def untrust_key(self, fingerprint: str) -> TrustedKey:
        """Remove a key the editor trusted; the editor's own keys stay (they signed here)."""
        with self.transaction():
            known = self.trusted_key(fingerprint)
            if known is None:
                raise NotFound(
                    f"key {fingerprint} is not trusted here; `reviewapp key list` "
                    "shows the trusted keys"
                )
            if known.origin == "own":
                raise BadInput(
                    f"key {fingerprint} is {known.who}'s own key, made by a sign-off in this "
                    "database; only keys trusted with `reviewapp key trust` can be untrusted"
                )
            self._db.table("trusted_keys").delete(known.id)
            self.log_event(
                None, "key-untrust", known.name, fingerprint=fingerprint, email=known.email
            )
        return known

    def _add_trusted(
        self, origin: str, name: str, email: str, public_key: str, fingerprint: str
    ) -> None:
        self._insert(
            "trusted_keys",
            {
                "fingerprint": fingerprint,
                "public_key": public_key,
                "name": name.strip(),
                "email": email.strip(),
                "added_at": utc_now(),
                "origin": origin,
            },
        )

    def _check_not_rebound(self, fingerprint: str, name: str, email: str) -> None:
        """A trusted key, or a trusted email, stays bound to the one person it was trusted for."""
        known = self.trusted_key(fingerprint)
        if known is not None and not known.belongs_to(name, email):
            raise BadInput(
                f"key {fingerprint} is already trusted as {known.who}; it cannot be bound to "
                f"{name}{f' <{email}>' if email else ''} (untrust it first: reviewapp key "
                f"untrust {fingerprint})"
            )
        principal = email.strip() or name.strip()
        for other in self.trusted_keys():
            if other.principal == principal and other.name != name.strip():
                raise BadInput(
                    f"{principal} is trusted here as {other.who}; trust this key under that "
                    f"name (--name {other.name!r})"
                )
