"""The trust set: only the editor puts keys in it; imports never do; attacks name the real key."""

from __future__ import annotations

import base64
import re
import sqlite3
from pathlib import Path

import pytest

from reviewapp.secrets import SERVICE, MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.signing.allowed_signers import signer_line
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import import_bundle
from reviewapp.workflows.signoff import sign_off
from tests.conftest import file_digest
from tests.rawdb import undo_stable_ids
from tests.test_bundle_import_support import bundle_bytes, tampered
from tests.test_signoff_fixtures import ready_review

A_NAME, A_EMAIL = "Editor A", "a@example.org"
B_NAME, B_EMAIL = "Editor B", "b@example.org"


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


@pytest.fixture
def a_library(tmp_path, secrets) -> Path:
    """Editor A's library: A signed a review off here."""
    path = tmp_path / "a.db"
    with ReviewStore(path) as store:
        sign_off(store, ready_review(store), A_NAME, A_EMAIL, secrets=secrets)
    return path


def _b_bundle(tmp_path, secrets) -> bytes:
    with ReviewStore(tmp_path / "b.db") as store:
        review_id = ready_review(store, title="B's review")
        sign_off(store, review_id, B_NAME, B_EMAIL, secrets=secrets)
        return bundle_bytes(store, review_id)


def _key(secrets: MemorySecretStore, email: str) -> sshsig.Ed25519PrivateKey:
    pem = secrets.get(SERVICE, email)
    assert pem is not None
    return sshsig.private_key_from_text(pem)


def _line(key: sshsig.Ed25519PrivateKey, principal: str) -> str:
    return signer_line(principal, sshsig.public_key_line(key.public_key()))


def _fp(key: sshsig.Ed25519PrivateKey) -> str:
    return sshsig.fingerprint(key.public_key())


def _trust(cli, library, what, name: str, fingerprint: str):
    """`reviewapp key trust WHAT --name NAME --fingerprint FINGERPRINT` on the library."""
    return cli("key", "trust", what, "--name", name, "--fingerprint", fingerprint, db=library)


# ---------------------------------------------------------------------- key trust / untrust / list
def test_key_trust_without_a_fingerprint_shows_it_and_writes_nothing(
    cli, a_library, secrets, tmp_path
):
    _b_bundle(tmp_path, secrets)
    b_key = _key(secrets, B_EMAIL)
    before = file_digest(a_library)
    result = cli("key", "trust", _line(b_key, B_EMAIL), "--name", B_NAME, db=a_library)
    assert result.code == 2
    assert result.out == f"{B_EMAIL}  key {_fp(b_key)}\n"
    assert "compare the fingerprint with its owner" in result.err
    assert file_digest(a_library) == before


def test_key_trust_with_the_fingerprint_trusts_it_and_key_list_says_how_each_came(
    cli, a_library, secrets, tmp_path
):
    _b_bundle(tmp_path, secrets)
    b_key = _key(secrets, B_EMAIL)
    allowed = tmp_path / "b.allowed_signers"
    allowed.write_text(_line(b_key, B_EMAIL) + "\n")
    wrong = _trust(cli, a_library, allowed, B_NAME, "SHA256:nope")
    assert wrong.code == 2 and "nothing was trusted" in wrong.err
    result = _trust(cli, a_library, allowed, B_NAME, _fp(b_key))
    assert result.code == 0, result.err
    listed = cli("key", "list", db=a_library).out.splitlines()
    assert len(listed) == 2
    assert f"{A_NAME} <{A_EMAIL}>  · own key (signed here)" in listed[0]
    assert listed[1].startswith(f"{_fp(b_key)}  {B_NAME} <{B_EMAIL}>  · trusted by the editor")
    with ReviewStore(a_library) as store:
        assert [e["action"] for e in store.events(None)][-1] == "key-trust"
    assert _line(b_key, B_EMAIL) in cli("key", "export", db=a_library).out

    untrust = cli("key", "untrust", _fp(b_key), db=a_library)
    assert untrust.code == 0 and len(cli("key", "list", db=a_library).out.splitlines()) == 1
    own = ReviewStore(a_library).trusted_keys()[0]
    refused = cli("key", "untrust", own.fingerprint, db=a_library)
    assert refused.code == 2 and "own key" in refused.err


def test_a_trusted_key_cannot_be_rebound_to_another_person(cli, a_library, secrets, tmp_path):
    _b_bundle(tmp_path, secrets)
    b_key = _key(secrets, B_EMAIL)
    assert _trust(cli, a_library, _line(b_key, B_EMAIL), B_NAME, _fp(b_key)).code == 0
    before = file_digest(a_library)
    rebound = _trust(cli, a_library, _line(b_key, "mallory@example.org"), "Mallory", _fp(b_key))
    assert rebound.code == 2
    assert f"already trusted as {B_NAME} <{B_EMAIL}>" in rebound.err and "untrust" in rebound.err
    stranger = sshsig.new_private_key()
    claims_a = _trust(cli, a_library, _line(stranger, A_EMAIL), "Not A", _fp(stranger))
    assert claims_a.code == 2 and f"{A_EMAIL} is trusted here as {A_NAME}" in claims_a.err
    assert file_digest(a_library) == before


@pytest.mark.parametrize(
    "line",
    [
        '*@example.org namespaces="reviewapp" KEY',
        'a@example.org,b@example.org namespaces="reviewapp" KEY',
        'a@example.org namespaces="git" KEY',
        'a@example.org valid-before="20300101" KEY',
    ],
)
def test_only_a_plain_line_for_one_person_can_be_trusted(cli, a_library, line):
    key = sshsig.public_key_line(sshsig.new_private_key().public_key())
    result = cli("key", "trust", line.replace("KEY", key), db=a_library)
    assert result.code == 2 and result.out == ""


# ---------------------------------------------------------------------- migration
def _schema_1_library(path: Path, secrets: MemorySecretStore, bundle: bytes) -> None:
    """A library as schema 1 kept it: an own sign-off and an imported one. Schema 2 only added
    trusted_keys, the stance schema two columns and the stable-id schema one column per table,
    so a library without them at user_version 1 is exactly one."""
    with ReviewStore(path) as store:
        sign_off(store, ready_review(store), A_NAME, A_EMAIL, secrets=secrets)
        import_bundle(store, bundle, "b.json")
    conn = sqlite3.connect(path)
    undo_stable_ids(conn)
    conn.executescript(
        "DROP TABLE trusted_keys; ALTER TABLE claim_sources DROP COLUMN stance; "
        "ALTER TABLE claims DROP COLUMN stance_override; PRAGMA user_version = 1;"
    )
    conn.close()


def test_migration_keeps_own_keys_trusted_and_untrusts_keys_that_only_came_in_bundles(
    tmp_path, secrets
):
    bundle = _b_bundle(tmp_path, secrets)
    path = tmp_path / "old.db"
    _schema_1_library(path, secrets, bundle)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 2
    conn.close()
    with ReviewStore(path) as store:
        keys = [(k.fingerprint, k.name, k.email, k.origin) for k in store.trusted_keys()]
    assert keys == [(_fp(_key(secrets, A_EMAIL)), A_NAME, A_EMAIL, "own")]
    assert list(tmp_path.glob("old.db.v1-*.bak"))  # copied aside before migrating


# ---------------------------------------------------------------------- attacks
def _forged_as_a(bundle: bytes, key: sshsig.Ed25519PrivateKey) -> bytes:
    """B's bundle re-rendered as Editor A and signed with key, fingerprint set to match."""
    fingerprint = _fp(key)

    def change(data):
        record = data["signoffs"][0]
        markdown = base64.b64decode(record["markdown_base64"])
        markdown = markdown.replace(record["fingerprint"].encode(), fingerprint.encode())
        markdown = markdown.replace(B_NAME.encode(), A_NAME.encode()).replace(
            B_EMAIL.encode(), A_EMAIL.encode()
        )
        record.update(
            markdown_base64=base64.b64encode(markdown).decode(),
            reviewer=A_NAME,
            email=A_EMAIL,
            fingerprint=fingerprint,
            signature=sshsig.sign(markdown, key),
        )
        data["review"]["reviewer"] = A_NAME

    return tampered(bundle, change)


def _export_signed(cli, db: Path, review_id: int, folder: Path) -> Path:
    folder.mkdir()
    target = folder / "review.md"
    assert cli("export", review_id, "-o", target, db=db).code == 0
    return target


def _verify_names_the_real_key(cli, db: Path, md: Path, fingerprint: str) -> None:
    result = cli("verify", md, db=db)
    assert result.code == 1, result.out
    assert fingerprint in result.err


def test_a_bundle_re_rendered_as_editor_a_with_a_fresh_key_stays_unverified(
    cli, a_library, secrets, tmp_path
):
    attacker = sshsig.new_private_key()
    forged = tmp_path / "forged.json"
    forged.write_bytes(_forged_as_a(_b_bundle(tmp_path, secrets), attacker))
    result = cli("import-bundle", forged, db=a_library)
    assert result.code == 0, result.err
    assert "1 UNVERIFIED" in result.out
    assert f"WARNING: {A_EMAIL} signs here with key {_fp(_key(secrets, A_EMAIL))}" in result.err
    assert f"is by key {_fp(attacker)}" in result.err
    review_id = int(re.search(r"as review (\d+)", result.out).group(1))
    shown = cli("show", review_id, db=a_library).out
    assert f"UNVERIFIED, key {_fp(attacker)} is not trusted here" in shown
    assert "UNVERIFIED signer" in cli("list", db=a_library).out
    md = _export_signed(cli, a_library, review_id, tmp_path / "out")
    _verify_names_the_real_key(cli, a_library, md, _fp(attacker))
    assert [k.origin for k in ReviewStore(a_library).trusted_keys()] == ["own"]


def test_a_bundle_by_a_trusted_editor_naming_another_editor_does_not_rebind_the_key(
    cli, a_library, secrets, tmp_path
):
    """B (trusted here as B) signs a bundle that names Editor A: B's key stays B's."""
    b_bundle = _b_bundle(tmp_path, secrets)
    b_key = _key(secrets, B_EMAIL)
    assert _trust(cli, a_library, _line(b_key, B_EMAIL), B_NAME, _fp(b_key)).code == 0
    forged = tmp_path / "rebind.json"
    forged.write_bytes(_forged_as_a(b_bundle, b_key))
    result = cli("import-bundle", forged, db=a_library)
    assert result.code == 0, result.err
    assert f"its key {_fp(b_key)} belongs to {B_NAME} <{B_EMAIL}> here" in result.err
    review_id = int(re.search(r"as review (\d+)", result.out).group(1))
    import json

    shown = json.loads(cli("show", review_id, "--json", db=a_library).out)["signoffs"][0]
    assert shown["signer_verified"] is False
    assert "belongs to Editor B" in shown["signer_unverified_reason"]
    md = _export_signed(cli, a_library, review_id, tmp_path / "out")
    _verify_names_the_real_key(cli, a_library, md, _fp(b_key))
    assert "which belongs to Editor B <b@example.org>" in cli("verify", md, db=a_library).err
    with ReviewStore(a_library) as store:
        assert {(k.name, k.email) for k in store.trusted_keys()} == {
            (A_NAME, A_EMAIL),
            (B_NAME, B_EMAIL),
        }


def test_a_signature_swapped_in_from_another_bundle_is_refused(cli, a_library, secrets, tmp_path):
    b_bundle = _b_bundle(tmp_path, secrets)
    with ReviewStore(a_library) as store:
        a_bundle = bundle_bytes(store, 1)
    import json

    a_record = json.loads(a_bundle)["signoffs"][0]

    def swap(data):
        data["signoffs"][0].update(
            signature=a_record["signature"], fingerprint=a_record["fingerprint"]
        )

    swapped = tmp_path / "swapped.json"
    swapped.write_bytes(tampered(b_bundle, swap))
    before = file_digest(a_library)
    result = cli("import-bundle", swapped, db=a_library)
    assert result.code == 1 and "nothing was imported" in result.err
    assert file_digest(a_library) == before


def test_trusting_the_key_later_makes_the_imported_review_verified_without_a_rewrite(
    cli, a_library, secrets, tmp_path
):
    bundle = tmp_path / "b.json"
    bundle.write_bytes(_b_bundle(tmp_path, secrets))
    result = cli("import-bundle", bundle, db=a_library)
    review_id = int(re.search(r"as review (\d+)", result.out).group(1))
    md = _export_signed(cli, a_library, review_id, tmp_path / "out")
    b_key = _key(secrets, B_EMAIL)
    _verify_names_the_real_key(cli, a_library, md, _fp(b_key))
    assert _trust(cli, a_library, _line(b_key, B_EMAIL), B_NAME, _fp(b_key)).code == 0
    assert f"verified, key {_fp(b_key)}" in cli("show", review_id, db=a_library).out
    assert "UNVERIFIED" not in cli("list", db=a_library).out
    verified = cli("verify", md, db=a_library)
    assert verified.code == 0 and verified.out.startswith(f"Good signature by {B_NAME} <{B_EMAIL}>")


# ---------------------------------------------------------------------- names on one line
@pytest.mark.parametrize("bad", ["Ada\nEditor", "Ada\rEditor", "Ada\x1b[31mEditor", "Ada\u2028"])
def test_a_reviewer_name_with_a_control_character_is_refused_and_nothing_changes(
    cli, store, db_path, bad
):
    review_id = ready_review(store)
    store.close()
    before = file_digest(db_path)
    result = cli("review", review_id, "--reviewer", bad)
    assert result.code == 2 and "control character" in result.err
    signoff = cli("signoff", review_id, "--reviewer", bad, "--email", A_EMAIL)
    assert signoff.code == 2 and "control character" in signoff.err
    email = cli("signoff", review_id, "--reviewer", A_NAME, "--email", "a@example.org\n")
    assert email.code == 2 and "control character" in email.err
    assert file_digest(db_path) == before
