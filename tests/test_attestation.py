"""The signed attestation beside a signed review (NAME.intoto.json): an in-toto statement in a
DSSE envelope that an independent verifier accepts, and that `reviewapp verify` rejects when
anything in it, or the file it speaks of, was changed."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from securesystemslib.dsse import Envelope as SslibEnvelope
from securesystemslib.signer import SSlibKey

from reviewapp.core.errors import VerificationFailed
from reviewapp.secrets import MemorySecretStore
from reviewapp.signing import dsse, sshsig
from reviewapp.store import ReviewStore
from reviewapp.store.migrations import ATTESTATION_SCHEMA, LATEST, MIGRATIONS
from reviewapp.workflows.exporting import export_review
from reviewapp.workflows.keys import load_or_create_key
from reviewapp.workflows.signoff import reopen, sign_off
from reviewapp.workflows.verify import verify_file
from tests.test_signoff_fixtures import EMAIL, REVIEWER, SIGNED_AT, ready_review

STATEMENT = "https://in-toto.io/Statement/v1"
PREDICATE = "https://reviewapp.dev/attestation/review/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


class Signed:
    """A signed-off review exported to a folder, and the key that signed it."""

    def __init__(self, store: ReviewStore, folder: Path, secrets: MemorySecretStore, rid: int):
        self.store, self.review_id = store, rid
        self.md = folder / "review.md"
        export_review(store, rid, "md", self.md)
        self.sig = folder / "review.md.sig"
        self.attestation = folder / "review.intoto.json"
        self.key = load_or_create_key(store, secrets, REVIEWER, EMAIL).private_key

    def envelope(self) -> dict:
        return json.loads(self.attestation.read_bytes())

    def statement(self) -> dict:
        return json.loads(base64.b64decode(self.envelope()["payload"]))

    def verify(self) -> None:
        verify_file(self.md, store=self.store)


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


def _signed(store: ReviewStore, tmp_path: Path, secrets: MemorySecretStore, title: str = "A"):
    rid = ready_review(store, title=title)
    sign_off(store, rid, REVIEWER, EMAIL, secrets, now=SIGNED_AT)
    folder = tmp_path / f"out-{rid}"
    folder.mkdir()
    return Signed(store, folder, secrets, rid)


@pytest.fixture
def signed(store, tmp_path, secrets) -> Signed:
    return _signed(store, tmp_path, secrets)


def _resign(signed: Signed, statement: dict, key=None) -> None:
    """Write an attestation over statement, properly signed by key (default: the signer's)."""
    payload = json.dumps(statement, indent=2).encode()
    signed.attestation.write_bytes(dsse.sign(PAYLOAD_TYPE, payload, key or signed.key))


# ---------------------------------------------------------------------- what is written
def test_export_writes_the_attestation_beside_the_markdown_and_signature(signed):
    assert signed.attestation.exists() and signed.sig.exists()
    envelope = signed.envelope()
    assert envelope["payloadType"] == PAYLOAD_TYPE
    assert envelope["signatures"][0]["keyid"] == sshsig.fingerprint(signed.key.public_key())
    first = signed.attestation.read_bytes()
    export_review(signed.store, signed.review_id, "md", signed.md)  # a re-export is identical
    assert signed.attestation.read_bytes() == first


def test_the_statement_names_both_subjects_and_carries_the_review(signed):
    statement = signed.statement()
    data = signed.store.load_review(signed.review_id)
    assert statement["_type"] == STATEMENT and statement["predicateType"] == PREDICATE
    by_role = {s["annotations"]["role"]: s for s in statement["subject"]}
    assert by_role["reviewed-text"]["digest"] == {"sha256": data.revision.content_hash}
    md_digest = hashlib.sha256(signed.md.read_bytes()).hexdigest()
    assert by_role["signed-review"]["digest"] == {"sha256": md_digest}
    assert by_role["signed-review"]["name"].startswith(f"review-{signed.review_id}-")
    predicate = statement["predicate"]
    assert predicate["verdict"] == "publish-with-corrections"
    assert predicate["claims"]["total"] == 3
    assert predicate["claims"]["byStatus"]["false"] == 1
    assert predicate["claims"]["byStatus"]["verified"] == 1
    assert predicate["claims"]["byStatus"]["opinion"] == 1
    assert predicate["claims"]["byStatus"]["unchecked"] == 0
    assert predicate["reviewer"]["name"] == REVIEWER
    assert predicate["reviewer"]["email"] == EMAIL
    assert predicate["signedAt"] == SIGNED_AT
    assert predicate["article"]["revision"] == 1
    assert predicate["article"]["contentSha256"] == data.revision.content_hash
    assert predicate["signedRecord"]["sha256"] == md_digest


# ---------------------------------------------------------------------- independent verifiers
def _sslib_key(signed: Signed) -> SSlibKey:
    raw = signed.key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    keyid = sshsig.fingerprint(signed.key.public_key())
    return SSlibKey(keyid, "ed25519", "ed25519", {"public": raw.hex()})


def test_securesystemslib_accepts_the_envelope(signed):
    envelope = SslibEnvelope.from_dict(signed.envelope())
    accepted = envelope.verify([_sslib_key(signed)], 1)
    assert list(accepted) == [sshsig.fingerprint(signed.key.public_key())]
    assert json.loads(envelope.payload)["predicateType"] == PREDICATE


def test_securesystemslib_refuses_an_envelope_whose_payload_was_changed(signed):
    body = signed.envelope()
    statement = signed.statement()
    statement["predicate"]["verdict"] = "publish"
    body["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    from securesystemslib.exceptions import VerificationError

    with pytest.raises(VerificationError):
        SslibEnvelope.from_dict(body).verify([_sslib_key(signed)], 1)


def test_a_verifier_written_from_the_dsse_protocol_text_accepts_it(signed):
    # PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal
    body = signed.envelope()
    payload = base64.b64decode(body["payload"])
    kind = body["payloadType"].encode()
    pae = b" ".join([b"DSSEv1", str(len(kind)).encode(), kind, str(len(payload)).encode()])
    pae += b" " + payload
    signed.key.public_key().verify(base64.b64decode(body["signatures"][0]["sig"]), pae)


# ---------------------------------------------------------------------- our verify
def test_verify_checks_the_attestation_beside_the_markdown(signed, cli, store):
    store.close()
    result = cli("verify", signed.md)
    assert result.code == 0, result.err
    assert "Good attestation review.intoto.json" in result.out


def _positions(size: int, most: int = 6000) -> list[int]:
    step = max(1, size // most)
    return sorted(set(range(0, size, step)) | {size - 1})


def test_one_flipped_byte_anywhere_in_the_attestation_is_rejected(signed):
    good = signed.attestation.read_bytes()
    positions = _positions(len(good))
    assert len(positions) == len(good)  # an envelope this size: every byte, none sampled out
    accepted = []
    for n, pos in enumerate(positions):
        changed = bytearray(good)
        changed[pos] ^= (0x01, 0x20, 0x80)[n % 3]
        signed.attestation.write_bytes(bytes(changed))
        try:
            signed.verify()
        except VerificationFailed:
            continue
        accepted.append(pos)
    assert accepted == [], f"accepted with a byte flipped at {accepted[:10]}"
    signed.attestation.write_bytes(good)
    signed.verify()  # and the file itself still passes


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut short
        lambda b: b[:-1],  # the last newline gone
        lambda b: b + b" ",  # something after it
        lambda b: b"",
    ],
    ids=["half", "last-byte", "trailing", "empty"],
)
def test_a_truncated_or_padded_attestation_is_rejected(signed, damage):
    signed.attestation.write_bytes(damage(signed.attestation.read_bytes()))
    with pytest.raises(VerificationFailed):
        signed.verify()


def test_an_inflated_payload_is_rejected(signed):
    body = signed.envelope()
    payload = base64.b64decode(body["payload"]) + b" " * 10
    body["payload"] = base64.b64encode(payload).decode()
    signed.attestation.write_bytes(dsse.encode(_read_envelope(body)))
    with pytest.raises(VerificationFailed, match="does not match"):
        signed.verify()


def test_a_huge_attestation_is_refused_before_it_is_parsed(signed):
    signed.attestation.write_bytes(
        b"{" + b" " * (dsse.MAX_ENVELOPE_BYTES - 1) + b"}"
    )  # one byte too many
    with pytest.raises(VerificationFailed, match="more than an envelope can be"):
        signed.verify()


def _read_envelope(body: dict) -> dsse.Envelope:
    sig = body["signatures"][0]
    return dsse.Envelope(
        body["payloadType"],
        base64.b64decode(body["payload"]),
        sig["keyid"],
        base64.b64decode(sig["sig"]),
    )


def test_swapped_subjects_are_rejected_even_when_signed(signed):
    statement = signed.statement()
    text, record = statement["subject"]
    text["digest"], record["digest"] = record["digest"], text["digest"]
    _resign(signed, statement)
    with pytest.raises(VerificationFailed, match="attests another Markdown file"):
        signed.verify()


def test_an_attestation_of_another_text_is_rejected(signed):
    statement = signed.statement()
    statement["subject"][0]["digest"] = {"sha256": "0" * 64}
    _resign(signed, statement)
    with pytest.raises(VerificationFailed, match="attests article text"):
        signed.verify()


def test_the_attestation_of_another_review_is_rejected(signed, store, tmp_path, secrets):
    other = _signed(store, tmp_path, secrets, title="Another article")
    signed.attestation.write_bytes(other.attestation.read_bytes())
    with pytest.raises(VerificationFailed, match="another Markdown file"):
        signed.verify()


def test_an_attestation_signed_by_another_key_is_rejected(signed):
    stranger = sshsig.new_private_key()
    _resign(signed, signed.statement(), key=stranger)
    with pytest.raises(VerificationFailed, match="names key"):
        signed.verify()
    # the same, claiming the signer's key id: the signature itself fails
    body = signed.envelope()
    body["signatures"][0]["keyid"] = sshsig.fingerprint(signed.key.public_key())
    signed.attestation.write_bytes(dsse.encode(_read_envelope(body)))
    with pytest.raises(VerificationFailed, match="does not match"):
        signed.verify()


def test_cli_failure_is_one_line_with_exit_1(signed, cli, store):
    data = bytearray(signed.attestation.read_bytes())
    data[len(data) // 2] ^= 0x01
    signed.attestation.write_bytes(bytes(data))
    store.close()
    result = cli("verify", signed.md)
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and "attestation" in result.err


def test_an_attestation_given_explicitly_must_exist(signed, cli, store, tmp_path):
    moved = tmp_path / "elsewhere.json"
    signed.attestation.rename(moved)
    store.close()
    assert cli("verify", signed.md).code == 0  # none beside it: the signature alone is checked
    assert cli("verify", signed.md, "--attestation", moved).code == 0
    missing = cli("verify", signed.md, "--attestation", tmp_path / "nope.json")
    assert missing.code == 1 and "no attestation" in missing.err


def test_a_batch_export_after_reopening_leaves_no_stale_attestation(signed, store, tmp_path):
    from reviewapp.export.batch import export_all

    folder = tmp_path / "all"
    folder.mkdir()
    export_all(store, folder, "md")
    assert len(list(folder.glob("*.intoto.json"))) == 1
    reopen(store, signed.review_id)
    written = export_all(store, folder, "md")
    assert not any(p.name.endswith(".intoto.json") for p in written)
    assert not list(folder.glob("*.intoto.json")) and not list(folder.glob("*.sig"))


def test_batch_export_writes_the_attestation_of_signed_reviews(signed, store, tmp_path):
    from reviewapp.export.batch import export_all

    folder = tmp_path / "all"
    folder.mkdir()
    written = export_all(store, folder, "md")
    names = sorted(p.name for p in written)
    assert any(n.endswith(".intoto.json") for n in names)
    md = next(p for p in written if p.suffix == ".md")
    verify_file(md, store=store)


# ---------------------------------------------------------------------- the stored record
def test_the_attestation_is_as_immutable_as_the_signature(signed, db_path):
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        conn.execute("UPDATE signoffs SET attestation = x'00'")
    conn.close()


def test_a_library_from_before_attestations_opens_and_its_signoffs_have_none(tmp_path):
    path = tmp_path / "old.db"
    version = MIGRATIONS.index(ATTESTATION_SCHEMA)
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:version]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    with ReviewStore(path) as store:
        assert store.schema_version == LATEST
        rid = ready_review(store)
        assert store.load_review(rid).signoffs == []
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(signoffs)")]
    conn.close()
    assert "attestation" in columns


def test_the_predicate_carries_the_ai_act_record_as_signed(signed):
    """The attestation states what the signed Markdown states: AI involvement, the holder of
    editorial responsibility and the scope (the fixture records these before sign-off)."""
    predicate = signed.statement()["predicate"]
    markdown = signed.md.read_text(encoding="utf-8")
    assert predicate["accountabilityRecorded"] is True
    ai = predicate["aiInvolvement"]
    assert (ai["assisted"], ai["tools"], ai["roles"]) == ("yes", "ExampleWriter 2", ["drafted"])
    assert 'ai_tools: "ExampleWriter 2"' in markdown
    assert predicate["editorialResponsibility"] == {
        "holder": "The Daily Example",
        "role": "Managing editor",
        "contact": "desk@example.org",
    }
    assert 'responsibility_holder: "The Daily Example"' in markdown
    assert set(predicate["reviewScope"]) == {
        "claimsChecked",
        "sourcesAssessed",
        "correctionsRequested",
    }
