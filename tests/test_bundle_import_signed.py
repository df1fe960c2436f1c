"""Signed reviews through a bundle: the sign-offs arrive intact and still verify, and a bundle
whose signed part was changed in any way is refused with exit 1, writing nothing."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from reviewapp.core.text import build_document
from reviewapp.secrets import MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import check_bundle, import_bundle
from reviewapp.workflows.signoff import reopen, sign_off
from tests.conftest import file_digest
from tests.test_bundle_import_support import (
    other_library,
    tampered,
    write_bundle,
)
from tests.test_signoff_fixtures import (
    EMAIL,
    REVIEWER,
    SIGNED_AT,
    SignedFiles,
    needs_ssh_keygen,
    ready_review,
    ssh_keygen_verify,
)


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


@pytest.fixture
def signed_id(store: ReviewStore, secrets) -> int:
    review_id = ready_review(store)
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    return review_id


@pytest.fixture
def signed_bundle(store, signed_id, tmp_path) -> Path:
    return write_bundle(store, signed_id, tmp_path / "signed.json")


@pytest.fixture
def library_b(tmp_path) -> Path:
    path = tmp_path / "b.db"
    other_library(path).close()
    return path


def _import(cli, bundle: Path, db: Path) -> int:
    result = cli("import-bundle", bundle, db=db)
    assert result.code == 0, result.err
    match = re.search(r"as review (\d+)", result.out)
    assert match, result.out
    return int(match.group(1))


def _trust_signer(cli, db: Path, fingerprint: str) -> None:
    """The editor of db trusts the signer's key, as the signer's `key export` line gives it."""
    line = cli("key", "export").out.strip()  # from the signer's own library
    result = cli("key", "trust", line, "--name", REVIEWER, "--fingerprint", fingerprint, db=db)
    assert result.code == 0, result.err


def _export(cli, review_id: int, folder: Path, db: Path | None = None) -> Path:
    folder.mkdir()
    target = folder / "review.md"
    result = cli("export", review_id, "-o", target, db=db)
    assert result.code == 0, result.err
    return target


# ---------------------------------------------------------------------- intact bundles
def test_the_signed_export_from_the_other_database_is_byte_identical_and_verifies_once_trusted(
    cli, store, signed_id, signed_bundle, library_b, tmp_path
):
    original = _export(cli, signed_id, tmp_path / "a")
    new_id = _import(cli, signed_bundle, library_b)
    assert new_id != signed_id
    moved = _export(cli, new_id, tmp_path / "b", db=library_b)
    assert moved.read_bytes() == original.read_bytes()
    assert Path(f"{moved}.sig").read_bytes() == Path(f"{original}.sig").read_bytes()
    fingerprint = store.signoffs(signed_id)[0].fingerprint
    untrusted = cli("verify", moved, db=library_b)  # the import alone trusts nothing
    assert untrusted.code == 1 and f"key {fingerprint}, which is not among" in untrusted.err
    _trust_signer(cli, library_b, fingerprint)
    result = cli("verify", moved, db=library_b)
    assert result.code == 0, result.err
    assert result.out.startswith(f"Good signature by {REVIEWER} <{EMAIL}>, signed {SIGNED_AT}")


@needs_ssh_keygen
def test_openssh_verifies_the_export_from_the_other_database(
    cli, signed_id, signed_bundle, library_b, tmp_path
):
    new_id = _import(cli, signed_bundle, library_b)
    moved = _export(cli, new_id, tmp_path / "b", db=library_b)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(cli("key", "export").out)  # the signer's line, from library A
    assert ssh_keygen_verify(SignedFiles(moved, Path(f"{moved}.sig"), allowed, EMAIL)) == 0


def test_the_import_says_the_signoff_is_intact_but_unverified_and_how_to_trust_it(
    cli, signed_bundle, library_b, store, signed_id
):
    result = cli("import-bundle", signed_bundle, db=library_b)
    assert result.code == 0, result.err
    assert "1 sign-off(s) intact, 0 by a key trusted here, 1 UNVERIFIED" in result.out
    fingerprint = store.signoffs(signed_id)[0].fingerprint
    (note,) = result.err.splitlines()
    assert note.startswith(
        f"  note: sign-off by {REVIEWER} <{EMAIL}> of {SIGNED_AT} is UNVERIFIED:"
    )
    assert f"key {fingerprint} is not trusted here" in note
    assert f'reviewapp key trust \'{EMAIL} namespaces="reviewapp" ssh-ed25519 ' in note
    assert note.endswith(f"--name 'Ada Editor' --fingerprint {fingerprint}")


def test_the_status_history_arrives_locked_signed_off(cli, signed_bundle, library_b):
    new_id = _import(cli, signed_bundle, library_b)
    result = cli("claim", "set", new_id, "1", "--status", "verified", db=library_b)
    assert result.code == 2 and "signed off" in result.err


def test_a_reopened_and_resigned_review_carries_both_signoffs(
    cli, store, signed_id, secrets, library_b, tmp_path
):
    first = _export(cli, signed_id, tmp_path / "first")
    reopen(store, signed_id, reason="typo", now="2026-11-28T08:00:00Z")
    sign_off(store, signed_id, REVIEWER, EMAIL, secrets=secrets, now="2026-11-28T09:00:00Z")
    bundle = write_bundle(store, signed_id, tmp_path / "resigned.json")
    new_id = _import(cli, bundle, library_b)
    with ReviewStore(library_b) as b:
        a_records, b_records = store.signoffs(signed_id), b.signoffs(new_id)
        assert [(s.markdown, s.signature, s.signed_at, s.superseded_at) for s in b_records] == [
            (s.markdown, s.signature, s.signed_at, s.superseded_at) for s in a_records
        ]
        assert b_records[0].superseded_at == "2026-11-28T08:00:00Z"
    # The first, superseded file still verifies in B (once B trusts the key): it was superseded.
    _trust_signer(cli, library_b, a_records[0].fingerprint)
    result = cli("verify", first, db=library_b)
    assert result.code == 0, result.err
    assert "superseded" in result.out


def test_a_signature_by_another_reviewapp_version_is_verified_with_a_note(
    store, signed_id, monkeypatch, tmp_path
):
    import reviewapp.workflows.bundles as bundles

    monkeypatch.setattr(bundles, "__version__", "99.0")
    content = write_bundle(store, signed_id, tmp_path / "x.json").read_bytes()
    with ReviewStore(tmp_path / "b.db") as b:
        result = import_bundle(b, content, "x.json")
    assert not result.skipped
    assert any("claims were not compared" in note for note in result.notes)


def test_a_known_reviewer_signing_with_an_unknown_key_is_pointed_out(
    store, signed_id, signed_bundle, tmp_path
):
    with ReviewStore(tmp_path / "b.db") as b:
        other = sshsig.new_private_key().public_key()
        b.save_reviewer_key(
            REVIEWER, EMAIL, sshsig.public_key_line(other), sshsig.fingerprint(other)
        )
        result = import_bundle(b, signed_bundle.read_bytes(), "signed.json")
    signer = store.signoffs(signed_id)[0].fingerprint
    (warning,) = result.notes
    assert warning.startswith(f"WARNING: {EMAIL} signs here with key {sshsig.fingerprint(other)}")
    assert f"is by key {signer}" in warning
    assert result.untrusted and "UNVERIFIED" in result.untrusted[0]


# ---------------------------------------------------------------------- changed bundles
def _markdown_edit(old: str, new: str):
    def change(bundle):
        record = bundle["signoffs"][0]
        text = base64.b64decode(record["markdown_base64"]).decode()
        assert old in text
        record["markdown_base64"] = base64.b64encode(text.replace(old, new, 1).encode()).decode()

    return change


def _stranger_signature(refingerprint: bool):
    def change(bundle):
        record = bundle["signoffs"][0]
        key = sshsig.new_private_key()
        record["signature"] = sshsig.sign(base64.b64decode(record["markdown_base64"]), key)
        if refingerprint:
            record["fingerprint"] = sshsig.fingerprint(key.public_key())

    return change


def _signature_byte(bundle):
    record = bundle["signoffs"][0]
    lines = record["signature"].split("\n")
    lines[3] = lines[3][:10] + ("A" if lines[3][10] != "A" else "B") + lines[3][11:]
    record["signature"] = "\n".join(lines)


def _longer_text(bundle):
    """The article text changed consistently (hash and blocks too), claims still in place."""
    rev = bundle["revisions"][0]
    blocks = rev["blocks"]
    blocks[-1]["text"] += " One more sentence."
    doc = build_document((b["kind"], b["text"], b.get("level", 0)) for b in blocks)
    rev.update(text=doc.text, content_hash=doc.content_hash)


def _claim(n: int, **values):
    return lambda bundle: bundle["claims"][n].update(values)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_markdown_edit("$8 billion", "$9 billion"), "the signature does not match"),
        (_markdown_edit("Ada Editor", "Bob Editor"), "the signature does not match"),
        (_signature_byte, "sign-off 1 .*: "),
        (
            lambda b: b["signoffs"][0].update(signature="not an ssh signature\n"),
            "sign-off 1 .*: the signature file is damaged or not an SSH signature",
        ),
        (_stranger_signature(False), "the record names key .* but the signature is by"),
        (_stranger_signature(True), "the signed Markdown says"),
        (
            lambda b: b["signoffs"][0].update(signed_at="2020-01-01T00:00:00Z"),
            "the record says signed_at '2020-01-01T00:00:00Z'",
        ),
        (lambda b: b["signoffs"][0].update(reviewer="Mallory"), "the record says reviewer"),
        (lambda b: b["signoffs"][0].update(reviewer="Two\nlines"), r"sign-off 1 \(Two lines, "),
        (_longer_text, "the signed Markdown is about another text"),
        (_claim(0, status="verified"), "differs from the review its reviewer signed"),
        (_claim(1, note="A different note"), "differs from the review its reviewer signed"),
        (_claim(0, correction=""), "differs from the review its reviewer signed"),
        (lambda b: b["review"].update(verdict="publish"), "differs from the review"),
        (lambda b: b["sources"][0].update(url="https://evil.example/"), "differs from the review"),
        (
            lambda b: b["takeaways"].append(
                {"id": 99, "text": "Sneaked in", "kind": "summary", "position": 0}
            ),
            "differs from the review",
        ),
        (lambda b: b.update(signoffs=[]), "marked signed off but carries no current signature"),
        (
            lambda b: b["signoffs"][0].update(superseded_at="2026-11-28T00:00:00Z"),
            "carries no current signature",
        ),
    ],
)
def test_a_changed_signed_bundle_exits_1_and_writes_nothing(
    cli, signed_bundle, library_b, tmp_path, change, message
):
    before = file_digest(library_b)
    bad = tmp_path / "changed.json"
    bad.write_bytes(tampered(signed_bundle.read_bytes(), change))
    result = cli("import-bundle", bad, db=library_b)
    assert result.code == 1, result.err
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert re.search(message, result.err), result.err
    assert result.err.rstrip().endswith("nothing was imported")
    assert file_digest(library_b) == before


def test_a_changed_superseded_signoff_is_refused_too(store, signed_id, secrets, tmp_path):
    from reviewapp.core.errors import VerificationFailed

    reopen(store, signed_id, now="2026-11-28T08:00:00Z")
    sign_off(store, signed_id, REVIEWER, EMAIL, secrets=secrets, now="2026-11-28T09:00:00Z")
    content = write_bundle(store, signed_id, tmp_path / "x.json").read_bytes()
    with pytest.raises(VerificationFailed, match=r"sign-off 1 .*the signature does not match"):
        check_bundle(tampered(content, _markdown_edit("$8 billion", "$9 billion")))


def test_a_current_signoff_on_a_review_that_is_not_signed_off_is_damaged(
    cli, signed_bundle, library_b, tmp_path
):
    bad = tmp_path / "bad.json"
    bad.write_bytes(
        tampered(signed_bundle.read_bytes(), lambda b: b["review"].update(status="in-review"))
    )
    result = cli("import-bundle", bad, db=library_b)
    assert result.code == 2 and "a sign-off is current but the review is in-review" in result.err


def test_a_review_resigned_by_a_stranger_imports_but_says_the_key_is_unknown(
    store, signed_id, tmp_path
):
    """A fully consistent forgery (new key, records to match) cannot be told from a genuine
    sign-off by a new key; what the import can do is say that nobody here knows that key."""
    content = write_bundle(store, signed_id, tmp_path / "x.json").read_bytes()
    key = sshsig.new_private_key()
    new_fp = sshsig.fingerprint(key.public_key())

    def resign(bundle):
        record = bundle["signoffs"][0]
        markdown = base64.b64decode(record["markdown_base64"]).replace(
            record["fingerprint"].encode(), new_fp.encode()
        )
        record.update(
            markdown_base64=base64.b64encode(markdown).decode(),
            fingerprint=new_fp,
            signature=sshsig.sign(markdown, key),
        )

    with ReviewStore(tmp_path / "b.db") as b:
        result = import_bundle(b, tampered(content, resign), "forged.json")
    assert not result.skipped and result.unknown_keys == [new_fp]
