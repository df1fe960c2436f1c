"""Where private keys live: the system keyring, behind a small SecretStore interface.

``REVIEWAPP_SECRET_STORE=memory`` makes the CLI keep keys in process memory only. It exists for
tests (nothing is written to disk, and keys vanish when the process ends); never use it for
real sign-offs.
"""

from __future__ import annotations

import os

from reviewapp.core.errors import BadInput
from reviewapp.secrets.keyring_store import KeyringSecretStore
from reviewapp.secrets.store import SERVICE, MemorySecretStore, SecretStore

__all__ = [
    "ENV_SECRET_STORE",
    "SERVICE",
    "KeyringSecretStore",
    "MemorySecretStore",
    "SecretStore",
    "default_secret_store",
]

ENV_SECRET_STORE = "REVIEWAPP_SECRET_STORE"
# One memory store per process, so that several commands run in one test process share keys.
_PROCESS_MEMORY_STORE = MemorySecretStore()


def default_secret_store() -> SecretStore:
    """The system keyring, unless REVIEWAPP_SECRET_STORE=memory (test-only) says otherwise."""
    choice = os.environ.get(ENV_SECRET_STORE, "").strip().lower()
    if choice in ("", "keyring"):
        return KeyringSecretStore()
    if choice == "memory":
        return _PROCESS_MEMORY_STORE
    raise BadInput(
        f"{ENV_SECRET_STORE}={choice!r} is not known; use 'keyring' (or 'memory' in tests)"
    )
