"""Reviewer keys: a key pair ready to sign, and the identity (name, email) it signs as."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput
from reviewapp.signing import sshsig


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
