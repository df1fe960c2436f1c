"""`reviewapp verify`: good files pass, any change fails; and the private key leaks nowhere."""

from __future__ import annotations

import base64
import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from reviewapp.secrets import SERVICE, KeyringSecretStore, default_secret_store
from reviewapp.signing import sshsig
from tests.test_signoff_fixtures import (  # noqa: F401
    EMAIL,
    REVIEWER,
    SignedFiles,
    needs_ssh_keygen,
    ready_review,
    secret_service,
    ssh_keygen_verify,
)


@pytest.fixture
def memory_keyring(monkeypatch):
    """Test-only: keys in process memory, never on disk."""
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "memory")


def _sign_and_export(cli, store, tmp_path: Path, email: str = EMAIL) -> SignedFiles:
    review_id = ready_review(store)
    store.close()
    result = cli("signoff", review_id, "--reviewer", REVIEWER, "--email", email)
    assert result.code == 0, result.err
    out = tmp_path / "export" / "review.md"
    out.parent.mkdir()
    assert cli("export", review_id, "-o", out).code == 0
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(cli("key", "export").out)
    return SignedFiles(out, out.with_name("review.md.sig"), allowed, email)


@pytest.fixture
def signed(cli, store, tmp_path, memory_keyring) -> SignedFiles:
    return _sign_and_export(cli, store, tmp_path)


def test_an_untouched_export_verifies_and_says_who_signed_when(cli, signed):
    result = cli("verify", signed.md)
    assert result.code == 0, result.err
    assert result.out.startswith(f"Good signature by {REVIEWER} <{EMAIL}>, signed 20")
    assert ", key SHA256:" in result.out


@needs_ssh_keygen
def test_the_same_pair_passes_openssh_with_the_exported_allowed_signers_line(signed):
    assert ssh_keygen_verify(signed) == 0


def test_allowed_signers_alone_is_enough_without_any_database(cli, signed, tmp_path):
    nowhere = tmp_path / "no-such.db"
    result = cli("verify", signed.md, "--allowed-signers", signed.allowed_signers, db=nowhere)
    assert result.code == 0, result.err
    # The allowed-signers line vouches for the email; the name is only what the file says.
    assert f"Good signature by {EMAIL} (named {REVIEWER} in the file)" in result.out
    assert not nowhere.exists()  # verifying never creates a database
    refused = cli("verify", signed.md, db=nowhere)
    assert refused.code == 2 and "--allowed-signers" in refused.err
    assert not nowhere.exists()


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_any_change_to_the_markdown_fails_with_exit_1(cli, signed, where):
    data = bytearray(signed.md.read_bytes())
    pos = {"start": 0, "middle": len(data) // 2, "end": len(data) - 1}[where]
    data[pos] ^= 0x20
    signed.md.write_bytes(bytes(data))
    result = cli("verify", signed.md)
    assert result.code == 1
    assert result.err == (
        "reviewapp: the signature does not match: the file or its signature was changed "
        "after signing\n"
    )
    assert result.out == ""


def test_a_changed_or_missing_signature_fails_with_exit_1(cli, signed):
    sig = signed.sig.read_bytes()
    signed.sig.write_bytes(sig.replace(b"A", b"B", 1))
    assert cli("verify", signed.md).code == 1
    signed.sig.write_bytes(sig + b"\n")
    damaged = cli("verify", signed.md)
    assert damaged.code == 1 and "damaged or not an SSH signature" in damaged.err
    signed.sig.unlink()
    missing = cli("verify", signed.md)
    assert missing.code == 1 and "has no signature file" in missing.err


def test_a_signature_given_with_sig_is_used(cli, signed):
    moved = signed.sig.with_name("elsewhere.sig")
    signed.sig.rename(moved)
    assert cli("verify", signed.md).code == 1
    assert cli("verify", signed.md, "--sig", moved).code == 0


def test_a_key_the_verifier_does_not_trust_fails_with_exit_1(cli, signed, tmp_path):
    stranger = sshsig.public_key_line(sshsig.new_private_key().public_key())
    other = tmp_path / "other_signers"
    other.write_text(f'{EMAIL} namespaces="reviewapp" {stranger}\n')
    result = cli("verify", signed.md, "--allowed-signers", other)
    assert result.code == 1 and "not among the known signers" in result.err


def test_missing_or_unreadable_inputs_are_bad_usage(cli, signed, tmp_path):
    assert cli("verify", tmp_path / "nope.md").code == 2
    bad = tmp_path / "bad_signers"
    bad.write_text("this is not an allowed signers line at all\n")
    result = cli("verify", signed.md, "--allowed-signers", bad)
    assert result.code == 2 and "line 1" in result.err
    assert cli("verify", signed.md, "--allowed-signers", tmp_path / "none").code == 2


def test_a_reopened_and_resigned_review_verifies_and_the_old_file_says_superseded(
    cli, signed, tmp_path
):
    review_id = "1"
    assert cli("reopen", review_id, "--reason", "new source").code == 0
    assert cli("takeaway", "add", review_id, "Checked again").code == 0
    assert cli("signoff", review_id).code == 0
    new = tmp_path / "export" / "review-v2.md"
    assert cli("export", review_id, "-o", new).code == 0
    fresh = cli("verify", new)
    assert fresh.code == 0 and "superseded" not in fresh.out
    old = cli("verify", signed.md)
    assert old.code == 0 and "Note: this sign-off was superseded" in old.out


# ---------------------------------------------------------------------- the key leaks nowhere
def _needles(pem: str) -> dict[str, bytes]:
    """Every form in which the private key could be written down."""
    key = sshsig.private_key_from_text(pem)
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    body = "".join(pem.strip().splitlines()[1:-1])
    needles = {
        "raw 32 bytes": raw,
        "base64": base64.b64encode(raw),
        "unpadded base64": base64.b64encode(raw).rstrip(b"="),
        "url-safe base64": base64.urlsafe_b64encode(raw).rstrip(b"="),
        "hex": raw.hex().encode(),
        "PEM": pem.encode(),
        "PEM body": body.encode(),
        "OpenSSH key blob": base64.b64decode(body),
    }
    for i, line in enumerate(pem.strip().splitlines()[1:-1]):
        needles[f"PEM line {i + 1}"] = line.encode()
    return needles


def _files_under(*roots: Path) -> list[Path]:
    return sorted({p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()})


def _assert_key_leaks_nowhere(cli, store, tmp_path: Path, read_pem, email: str) -> None:
    db = store.path
    # Hold a connection open so the WAL survives the commands and is searched too.
    holder = sqlite3.connect(db)
    holder.execute("SELECT count(*) FROM reviews").fetchone()
    try:
        signed = _sign_and_export(cli, store, tmp_path, email=email)
        outputs = [cli("verify", signed.md), cli("key", "show"), cli("show", "1", "--json")]
        assert outputs[0].code == 0
        pem = read_pem(email)
        assert pem, "the key must be in the secret store"
        needles = _needles(pem)
        user_dirs = Path(os.environ["XDG_DATA_HOME"]).parent  # the app's data, config, cache
        files = _files_under(tmp_path, user_dirs)
        assert db in files and db.with_name(db.name + "-wal") in files
        assert signed.md in files and signed.sig in files
        for path in files:
            content = path.read_bytes()
            for what, needle in needles.items():
                assert needle not in content, f"the private key ({what}) is in {path}"
        for result in outputs:
            for what, needle in needles.items():
                assert needle.decode("latin-1") not in result.out + result.err, what
    finally:
        holder.close()


def test_the_private_key_is_in_no_file_the_app_writes(cli, store, tmp_path, memory_keyring):
    _assert_key_leaks_nowhere(
        cli, store, tmp_path, lambda email: default_secret_store().get(SERVICE, email), EMAIL
    )


@pytest.mark.secret_service
def test_the_private_key_is_in_no_file_with_the_real_keyring(
    cli,
    store,
    tmp_path,
    secret_service,  # noqa: F811
):
    email = f"leak-{uuid.uuid4().hex[:8]}@example.org"
    try:
        _assert_key_leaks_nowhere(
            cli, store, tmp_path, lambda e: KeyringSecretStore().get(SERVICE, e), email
        )
    finally:
        KeyringSecretStore().delete(SERVICE, email)
