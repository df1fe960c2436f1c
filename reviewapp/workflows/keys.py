"""Reviewer keys: the private half in the SecretStore only, the public half in the database."""

from __future__ import annotations

from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput, SigningUnavailable
from reviewapp.secrets import SERVICE, SecretStore
from reviewapp.signing import sshsig
from reviewapp.signing.keys import SigningKey, account_for, check_identity
from reviewapp.store import ReviewStore
from reviewapp.store.signoffs import ReviewerKey


def resolve_identity(
    store: ReviewStore, name: str, email: str
) -> tuple[str, str, ReviewerKey | None]:
    """The (name, email) to sign as, and what the database knows about that reviewer."""
    check_one_line(name, "reviewer's name")  # before stripping: "Ada\n" is refused too
    check_one_line(email, "reviewer's email")
    name, email = name.strip(), email.strip()
    known = store.reviewer_by_name(name)
    if known is not None and known.public_key:
        if email and known.email and email != known.email:
            raise BadInput(
                f"reviewer {name!r} signs as {known.email}; sign with that email or under "
                "another name"
            )
        email = email or known.email
    if email:
        other = store.reviewer_by_email(email)
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
