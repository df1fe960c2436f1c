"""The SecretStore interface and an in-memory implementation for tests."""

from __future__ import annotations

from typing import Protocol

SERVICE = "reviewapp"


class SecretStore(Protocol):
    """Secrets by (service, account). Implementations raise SigningUnavailable when unusable."""

    def get(self, service: str, account: str) -> str | None:
        """The secret, or None when there is none."""
        ...

    def set(self, service: str, account: str, secret: str) -> None: ...

    def delete(self, service: str, account: str) -> None:
        """Remove the secret; removing one that does not exist is not an error."""
        ...


class MemorySecretStore:
    """Secrets in a dict: nothing reaches the disk, everything is gone when the process ends."""

    def __init__(self) -> None:
        self._secrets: dict[tuple[str, str], str] = {}

    def get(self, service: str, account: str) -> str | None:
        return self._secrets.get((service, account))

    def set(self, service: str, account: str, secret: str) -> None:
        self._secrets[(service, account)] = secret

    def delete(self, service: str, account: str) -> None:
        self._secrets.pop((service, account), None)

    def __repr__(self) -> str:  # never show the secrets themselves
        return f"<MemorySecretStore with {len(self._secrets)} secret(s)>"
