"""Reviewer keys: the private half in the SecretStore only, the public half in the database."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reviewapp.core.errors import BadInput, SigningUnavailable
from reviewapp.secrets import SERVICE, SecretStore
from reviewapp.signing import sshsig
from reviewapp.store.reviews import ReviewStore, check_one_line
from reviewapp.store.signoffs import ReviewerKey, reviewer_by_email, reviewer_by_name


@dataclass
class SigningKey:
    """A reviewer's key pair ready to sign; `is_new` when its public half is not stored yet."""

    name: str
    email: str
    private_key: Ed25519PrivateKey
    is_new: bool

    @property
    def public_key_line(self) -> str:
        return sshsig.public_key_line(self.private_key.public_key())

    @property
    def fingerprint(self) -> str:
        return sshsig.fingerprint(self.private_key.public_key())

    def __repr__(self) -> str:  # never print the private key
        return f"<SigningKey {self.name} <{self.email}> {self.fingerprint}>"


def check_identity(name: str, email: str) -> None:
    """The reviewer's name and email must be usable as an SSH signer identity."""
    check_one_line(name, "reviewer's name")
    check_one_line(email, "reviewer's email")
    if not name.strip():
        raise BadInput("the reviewer's name is empty")
    if email and (any(ch.isspace() for ch in email) or "@" not in email or set(email) & set('",')):
        raise BadInput(f"{email!r} is not an email address like ada@example.org")
    if not email and set(name) & set('",'):
        raise BadInput(
            f"the name {name!r} cannot identify a signer (it holds a comma or a quote); "
            "give an email address too"
        )


def account_for(name: str, email: str) -> str:
    """The keyring account: the email, or the name when there is none."""
    return email.strip() or name.strip()


def resolve_identity(
    store: ReviewStore, name: str, email: str
) -> tuple[str, str, ReviewerKey | None]:
    """The (name, email) to sign as, and what the database knows about that reviewer."""
    check_one_line(name, "reviewer's name")  # before stripping: "Ada\n" is refused too
    check_one_line(email, "reviewer's email")
    name, email = name.strip(), email.strip()
    known = reviewer_by_name(store, name)
    if known is not None and known.public_key:
        if email and known.email and email != known.email:
            raise BadInput(
                f"reviewer {name!r} signs as {known.email}; sign with that email or under "
                "another name"
            )
        email = email or known.email
    if email:
        other = reviewer_by_email(store, email)
        if other is not None and other.name != name:
            raise BadInput(f"{email} already belongs to reviewer {other.name!r}")
    check_identity(name, email)
    return name, email, known


def load_or_create_key(
    store: ReviewStore, secrets: SecretStore, name: str, email: str, new_key: bool = False
) -> SigningKey:
    """The reviewer's signing key: from the secret store, or made now (first sign-off).

    A new private key goes into the secret store at once; its public half is the caller's to
    record, in the same transaction as the sign-off. Raises SigningUnavailable when the secret
    store cannot be used or does not hold the key the database expects.
    """
    name, email, known = resolve_identity(store, name, email)
    account = account_for(name, email)
    stored = None if new_key else secrets.get(SERVICE, account)
    if stored is not None:
        try:
            private_key = sshsig.private_key_from_text(stored)
        except ValueError as exc:
            raise SigningUnavailable(
                f"the keyring entry (service {SERVICE}, account {account}) is not a reviewapp "
                "key; remove it, or sign with a new key (--new-key)"
            ) from exc
        fingerprint = sshsig.fingerprint(private_key.public_key())
        if known is not None and known.fingerprint and known.fingerprint != fingerprint:
            raise SigningUnavailable(
                f"the keyring key for {account} ({fingerprint}) is not the key the database "
                f"records for {name} ({known.fingerprint}); sign with a new key (--new-key)"
            )
        is_new = known is None or known.fingerprint != fingerprint
        return SigningKey(name, email, private_key, is_new=is_new)
    if known is not None and known.public_key and not new_key:
        raise SigningUnavailable(
            f"the system keyring holds no private key for {name} (account {account}; the "
            f"database records key {known.fingerprint}); sign on the computer that holds it, "
            "or make a new key with --new-key (earlier sign-offs stay verifiable)"
        )
    private_key = sshsig.new_private_key()
    secrets.set(SERVICE, account, sshsig.private_key_to_text(private_key))
    return SigningKey(name, email, private_key, is_new=True)
