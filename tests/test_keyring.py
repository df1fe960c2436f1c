"""Private keys live only in a real keyring: unusable or plaintext backends refuse signing."""

from __future__ import annotations

import uuid

import keyring.errors
import pytest

from reviewapp.core.errors import BadInput, SigningUnavailable
from reviewapp.secrets import (
    SERVICE,
    KeyringSecretStore,
    MemorySecretStore,
    default_secret_store,
)
from reviewapp.secrets.keyring_store import resolve_backend
from tests.conftest import file_digest
from tests.test_signoff_fixtures import EMAIL, REVIEWER, ready_review, secret_service  # noqa: F401

FAIL = "keyring.backends.fail.Keyring"
WHAT_TO_INSTALL = "install and unlock a Secret Service: GNOME Keyring"


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch):
    """No desktop named: the advice lists every Secret Service (see test_keyring_advice)."""
    monkeypatch.delenv("XDG_CURRENT_DESKTOP", raising=False)


class PlaintextKeyring:
    """Stands in for keyrings.alt's file backend (which this project never installs)."""

    __module__ = "keyrings.alt.file"

    def __init__(self) -> None:
        self.writes: list[str] = []

    def get_password(self, service: str, account: str) -> str | None:
        return None

    def set_password(self, service: str, account: str, secret: str) -> None:
        self.writes.append(secret)

    def delete_password(self, service: str, account: str) -> None:
        pass


def _secret_service_with(**methods) -> object:
    """A real Secret Service backend object whose calls are replaced (no D-Bus is touched)."""
    from keyring.backends.SecretService import Keyring

    backend = Keyring()
    for name, method in methods.items():
        setattr(backend, name, method)
    return backend


def FailingBackend(error: Exception) -> object:
    """A Secret Service whose transport fails, like one without a D-Bus session."""

    def fail(*_args: object) -> None:
        raise error

    return _secret_service_with(get_password=fail, set_password=fail, delete_password=fail)


def ForgetfulBackend() -> object:
    """A Secret Service that accepts every write and keeps nothing."""
    return _secret_service_with(
        get_password=lambda *_: None, set_password=lambda *_: None, delete_password=lambda *_: None
    )


class Vault:
    """A hand-made backend with an innocent name and module that writes secrets to a file."""

    __module__ = "mykeyring"
    priority = 10

    def __init__(self, folder) -> None:
        self.file_path = str(folder / "vault.txt")

    def get_password(self, service: str, account: str) -> str | None:
        return None

    def set_password(self, service: str, account: str, secret: str) -> None:
        with open(self.file_path, "a") as f:
            f.write(secret)

    def delete_password(self, service: str, account: str) -> None:
        pass


class LookalikeKeyring:
    """Borrows the Secret Service backend's names but is not that class (a dict holds secrets)."""

    __module__ = "keyring.backends.SecretService"
    __qualname__ = "Keyring"

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, account: str) -> str | None:
        return self.secrets.get((service, account))

    def set_password(self, service: str, account: str, secret: str) -> None:
        self.secrets[(service, account)] = secret

    def delete_password(self, service: str, account: str) -> None:
        pass


@pytest.fixture
def no_memory_store(monkeypatch):
    monkeypatch.delenv("REVIEWAPP_SECRET_STORE", raising=False)


def test_the_fail_backend_means_no_keyring_and_says_what_to_install(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL)
    store = KeyringSecretStore()  # creating it never fails: only signing needs the keyring
    with pytest.raises(SigningUnavailable) as info:
        store.get(SERVICE, EMAIL)
    message = str(info.value)
    assert message.startswith("no system keyring is available (keyring backend: fail.Keyring)")
    assert WHAT_TO_INSTALL in message and "PYTHON_KEYRING_BACKEND" in message


def test_the_null_backend_would_lose_the_key_and_is_refused(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    with pytest.raises(SigningUnavailable, match=r"keyring backend: null\.Keyring"):
        KeyringSecretStore().set(SERVICE, EMAIL, "secret")


def test_a_plaintext_backend_is_never_used():
    backend = PlaintextKeyring()
    store = KeyringSecretStore(backend)  # type: ignore[arg-type]
    with pytest.raises(SigningUnavailable, match="not a system keyring reviewapp knows") as info:
        store.set(SERVICE, EMAIL, "-----BEGIN OPENSSH PRIVATE KEY-----")
    assert "keyrings.alt.file.PlaintextKeyring" in str(info.value)
    assert backend.writes == []


def test_a_file_backed_keyring_under_an_innocent_name_is_refused_and_writes_nothing(tmp_path):
    backend = Vault(tmp_path)
    store = KeyringSecretStore(backend)  # type: ignore[arg-type]
    with pytest.raises(SigningUnavailable, match="keeps secrets in a plain file") as info:
        store.set(SERVICE, EMAIL, "-----BEGIN OPENSSH PRIVATE KEY-----")
    assert "mykeyring.Vault" in str(info.value) and WHAT_TO_INSTALL in str(info.value)
    assert not (tmp_path / "vault.txt").exists()


def test_a_backend_that_borrows_a_secure_backends_names_is_refused():
    backend = LookalikeKeyring()
    with pytest.raises(SigningUnavailable, match="not a system keyring reviewapp knows"):
        KeyringSecretStore(backend).set(SERVICE, EMAIL, "secret")  # type: ignore[arg-type]
    assert backend.secrets == {}


def test_the_real_secret_service_backend_class_is_accepted():
    from reviewapp.secrets.keyring_store import _refused_reason

    assert _refused_reason(_secret_service_with()) is None


def test_secret_service_without_a_session_bus_is_reported_not_fatal(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with pytest.raises(SigningUnavailable, match="DBUS_SESSION_BUS_ADDRESS") as info:
        KeyringSecretStore().get(SERVICE, EMAIL)
    assert WHAT_TO_INSTALL in str(info.value)


def test_a_misnamed_backend_in_the_environment_is_reported(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.nonexistent.Keyring")
    with pytest.raises(SigningUnavailable, match="names no keyring backend"):
        resolve_backend()


def test_a_chain_of_backends_never_falls_through_to_an_unsafe_one(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.chainer.ChainerBackend")
    try:
        backend = resolve_backend()
    except SigningUnavailable as exc:  # no secure backend on this machine: refused, not degraded
        assert WHAT_TO_INSTALL in str(exc)
    else:  # narrowed to one secure member, so a failure cannot fall through
        assert type(backend).__module__.startswith("keyring.backends.")
        assert "chainer" not in type(backend).__module__ and "fail" not in type(backend).__module__


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown"), "failed to read a key"),
        (keyring.errors.InitError("Failed to create the collection"), "failed to read a key"),
        (keyring.errors.KeyringLocked("Failed to unlock the collection!"), "is locked"),
    ],
)
def test_keyring_transport_errors_become_signing_unavailable(error, expected):
    store = KeyringSecretStore(FailingBackend(error))  # type: ignore[arg-type]
    with pytest.raises(SigningUnavailable, match=expected) as info:
        store.get(SERVICE, EMAIL)
    assert info.value.__cause__ is error


def test_a_backend_that_keeps_nothing_is_caught_at_once():
    store = KeyringSecretStore(ForgetfulBackend())  # type: ignore[arg-type]
    with pytest.raises(SigningUnavailable, match="did not keep the key"):
        store.set(SERVICE, EMAIL, "secret")


def test_the_memory_store_keeps_secrets_per_service_and_account():
    store = MemorySecretStore()
    store.set(SERVICE, EMAIL, "one")
    store.set("other", EMAIL, "two")
    assert (store.get(SERVICE, EMAIL), store.get("other", EMAIL)) == ("one", "two")
    store.delete(SERVICE, EMAIL)
    store.delete(SERVICE, EMAIL)  # deleting what is gone is fine
    assert store.get(SERVICE, EMAIL) is None
    assert "one" not in repr(store) and "two" not in repr(store)


def test_the_secret_store_is_chosen_by_environment(monkeypatch):
    monkeypatch.delenv("REVIEWAPP_SECRET_STORE", raising=False)
    assert isinstance(default_secret_store(), KeyringSecretStore)
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "memory")
    assert default_secret_store() is default_secret_store()  # one per process
    assert isinstance(default_secret_store(), MemorySecretStore)
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "plaintext-file")
    with pytest.raises(BadInput, match="is not known"):
        default_secret_store()


def test_cli_signoff_without_a_keyring_is_refused_and_the_rest_keeps_working(
    cli, store, db_path, monkeypatch, no_memory_store, tmp_path
):
    review_id = ready_review(store)
    store.close()
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL)
    wal = db_path.with_name(db_path.name + "-wal")
    before = (file_digest(db_path), file_digest(wal))
    result = cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    assert result.code == 2
    assert result.err.startswith(
        "reviewapp: no system keyring is available (keyring backend: "
        "fail.Keyring); install and unlock a Secret Service: GNOME Keyring"
    )
    assert result.out == ""
    assert (file_digest(db_path), file_digest(wal)) == before
    # Everything that needs no key still works.
    assert cli("list").code == 0
    assert "In review" in cli("show", review_id).out
    assert cli("export", review_id, "-o", tmp_path / "unsigned.md").code == 0
    assert b"NOT signed off yet" in (tmp_path / "unsigned.md").read_bytes()
    assert not (tmp_path / "unsigned.md.sig").exists()
    assert cli("claim", "set", review_id, "3", "--note", "still editable").code == 0


# ---------------------------------------------------------------------- a real Secret Service
@pytest.mark.secret_service
def test_a_real_secret_service_stores_reads_and_deletes_a_key(secret_service):  # noqa: F811
    store = KeyringSecretStore()
    account = f"test-{uuid.uuid4()}@example.org"
    try:
        assert store.get(SERVICE, account) is None
        store.set(SERVICE, account, "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n")
        assert KeyringSecretStore().get(SERVICE, account) == (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n"
        )
        assert "SecretService" in repr(store)
    finally:
        store.delete(SERVICE, account)
    assert store.get(SERVICE, account) is None


@pytest.mark.secret_service
def test_a_full_cli_signoff_with_the_real_keyring(cli, store, tmp_path, secret_service):  # noqa: F811
    email = f"ada-{uuid.uuid4().hex[:8]}@example.org"
    review_id = ready_review(store)
    try:
        result = cli("signoff", review_id, "--reviewer", REVIEWER, "--email", email)
        assert result.code == 0, result.err
        pem = KeyringSecretStore().get(SERVICE, email)
        assert pem is not None and pem.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
        out = tmp_path / "review.md"
        assert cli("export", review_id, "-o", out).code == 0
        verified = cli("verify", out)
        assert verified.code == 0 and f"Good signature by {REVIEWER} <{email}>" in verified.out
        # A second sign-off after reopening reuses the key from the keyring.
        assert cli("reopen", review_id, "--reason", "recheck").code == 0
        again = cli("signoff", review_id, "--reviewer", REVIEWER)
        assert again.code == 0, again.err
        assert "a new Ed25519 key was made" not in again.out
    finally:
        KeyringSecretStore().delete(SERVICE, email)
