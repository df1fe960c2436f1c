"""KeyringSecretStore: secrets in the system keyring (Secret Service, KWallet, macOS, Windows).

Only the backends the keyring package ships for real system keyrings are used, recognised by
their class objects (not by names, which any class can borrow): Secret Service, libsecret,
KWallet, the macOS Keychain and the Windows Credential Locker. Everything else is refused: a
backend that would keep a private key in a plain file (keyrings.alt or any class with a file
behind it, whatever it is called), one that loses it (null) or cannot work (fail). Signing is
refused rather than silently degraded.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from functools import cache
from typing import TypeVar

import keyring
import keyring.backend
import keyring.core
import keyring.errors

from reviewapp.core.errors import SigningUnavailable
from reviewapp.core.system_packages import keyring_advice, this_distro

T = TypeVar("T")

ENV_BACKEND = "PYTHON_KEYRING_BACKEND"


def _what_to_do() -> str:
    """What to install for this desktop on this distribution (the first sign-off on a new
    machine meets this, so it names packages and commands, not just keyring's jargon)."""
    advice = keyring_advice(os.environ.get("XDG_CURRENT_DESKTOP", ""), this_distro())
    return f"{advice}; or set {ENV_BACKEND} to a secure backend"


# The system keyrings: (module, class) as the keyring package ships them.
_SECURE = (
    ("keyring.backends.SecretService", "Keyring"),
    ("keyring.backends.libsecret", "Keyring"),
    ("keyring.backends.kwallet", "DBusKeyring"),
    ("keyring.backends.kwallet", "DBusKeyringKWallet4"),
    ("keyring.backends.macOS", "Keyring"),
    ("keyring.backends.Windows", "WinVaultKeyring"),
)
_NO_KEYRING = (("keyring.backends.fail", "Keyring"), ("keyring.backends.null", "Keyring"))
_CHAINER = "keyring.backends.chainer"


def _classes(names: tuple[tuple[str, str], ...]) -> frozenset[type]:
    """The class objects themselves (a module that cannot load on this system is skipped)."""
    found = set()
    for module, name in names:
        try:
            cls = getattr(importlib.import_module(module), name, None)
        except ImportError:  # that platform's backend cannot load here: it cannot be in use
            continue
        if isinstance(cls, type):
            found.add(cls)
    return frozenset(found)


@cache
def _secure_classes() -> frozenset[type]:
    return _classes(_SECURE)


@cache
def _no_keyring_classes() -> frozenset[type]:
    return _classes(_NO_KEYRING)


def _file_backed(backend: object) -> bool:
    """Whether the backend keeps its secrets in a file of its own (keyrings.alt's way)."""
    if hasattr(backend, "file_path") or hasattr(backend, "filename"):
        return True
    try:
        from keyrings.alt.file_base import FileBacked
    except ImportError:
        return False
    return isinstance(backend, FileBacked)


def backend_name(backend: object) -> str:
    """A short readable name, e.g. 'fail.Keyring' or 'SecretService.Keyring'."""
    cls = type(backend)
    name = f"{cls.__module__}.{cls.__qualname__}"
    return name.removeprefix("keyring.backends.")


def _refused_reason(backend: object) -> str | None:
    """Why this backend may not hold a private key, or None when it may (decided by the
    backend's class object and what it holds, never by its name)."""
    name = backend_name(backend)
    if _file_backed(backend):
        return (
            f"the keyring backend {name} keeps secrets in a plain file, which reviewapp refuses; "
            + _what_to_do()
        )
    if type(backend) in _no_keyring_classes():
        return f"no system keyring is available (keyring backend: {name}); " + _what_to_do()
    if type(backend) not in _secure_classes():
        return (
            f"the keyring backend {name} is not a system keyring reviewapp knows to be safe "
            "(Secret Service, libsecret, KWallet, macOS Keychain, Windows Credential Locker); "
            + _what_to_do()
        )
    return None


def _backend_errors() -> tuple[type[BaseException], ...]:
    """Exceptions a keyring call raises when the keyring cannot be used right now."""
    errors: list[type[BaseException]] = [keyring.errors.KeyringError, RuntimeError, OSError]
    try:  # the Secret Service backend can let its transport's errors through
        from secretstorage.exceptions import SecretStorageException

        errors.append(SecretStorageException)
    except ImportError:
        pass
    try:
        from jeepney.wrappers import DBusErrorResponse

        errors.append(DBusErrorResponse)
    except ImportError:
        pass
    return tuple(errors)


def resolve_backend() -> keyring.backend.KeyringBackend:
    """The one backend that will hold our secrets; SigningUnavailable if there is none usable.

    PYTHON_KEYRING_BACKEND is read on every call (keyring itself caches its first choice).
    A chain of backends is narrowed to its best secure member, so that a failing keyring can
    never fall through to a plaintext one.
    """
    try:
        if os.environ.get(ENV_BACKEND):
            backend = keyring.core.load_keyring(os.environ[ENV_BACKEND])
        else:
            backend = keyring.get_keyring()
    except (ImportError, AttributeError, ValueError) as exc:
        raise SigningUnavailable(
            f"{ENV_BACKEND}={os.environ.get(ENV_BACKEND)!r} names no keyring backend ({exc}); "
            + _what_to_do()
        ) from exc
    except _backend_errors() as exc:
        raise SigningUnavailable(
            f"no system keyring is available ({exc or type(exc).__name__}); " + _what_to_do()
        ) from exc
    if type(backend).__module__ == _CHAINER:
        chained = [b for b in backend.backends if _refused_reason(b) is None]  # type: ignore[attr-defined]
        if not chained:
            names = ", ".join(backend_name(b) for b in backend.backends) or "none"  # type: ignore[attr-defined]
            raise SigningUnavailable(
                f"no system keyring is available (keyring backends: {names}); " + _what_to_do()
            )
        backend = chained[0]
    reason = _refused_reason(backend)
    if reason:
        raise SigningUnavailable(reason)
    return backend


class KeyringSecretStore:
    """SecretStore over the `keyring` package; every failure becomes SigningUnavailable."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None):
        # Resolved on first use, so that creating the store never fails: the commands that
        # need no key keep working without a keyring.
        self._backend = backend

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        if self._backend is None:
            self._backend = resolve_backend()
        else:
            reason = _refused_reason(self._backend)
            if reason:
                raise SigningUnavailable(reason)
        return self._backend

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except keyring.errors.KeyringLocked as exc:
            raise SigningUnavailable(
                f"the system keyring is locked and could not be unlocked ({exc}); unlock it "
                "(e.g. log in to the desktop session) and try again"
            ) from exc
        except _backend_errors() as exc:
            raise SigningUnavailable(
                f"the system keyring failed to {what} ({backend_name(self.backend)}: "
                f"{exc or type(exc).__name__}); " + _what_to_do()
            ) from exc

    def get(self, service: str, account: str) -> str | None:
        backend = self.backend
        return self._call("read a key", lambda: backend.get_password(service, account))

    def set(self, service: str, account: str, secret: str) -> None:
        backend = self.backend
        self._call("store a key", lambda: backend.set_password(service, account, secret))
        # Some backends accept a write and keep nothing; a key we cannot read back is lost.
        if self.get(service, account) != secret:
            raise SigningUnavailable(
                f"the system keyring ({backend_name(backend)}) did not keep the key; "
                + _what_to_do()
            )

    def delete(self, service: str, account: str) -> None:
        backend = self.backend
        if self.get(service, account) is None:
            return
        self._call("delete a key", lambda: backend.delete_password(service, account))

    def __repr__(self) -> str:
        name = backend_name(self._backend) if self._backend is not None else "not chosen yet"
        return f"<KeyringSecretStore {name}>"
