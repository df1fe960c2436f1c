"""The sign-off workflow through the same functions the GUI calls: gate, key, sign, record."""

from __future__ import annotations

import json
import sqlite3

import pytest

from reviewapp.core.errors import BadInput, GateFailed, SigningUnavailable
from reviewapp.export.files import export_review
from reviewapp.secrets import SERVICE, MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows.signoff import reopen, sign_off
from reviewapp.workflows.verify import verify_file
from tests.conftest import file_digest, make_draft
from tests.rawdb import raw_db
from tests.test_signoff_fixtures import EMAIL, PARAS, REVIEWER, SIGNED_AT, ready_review


class BrokenSecretStore:
    """A keyring that cannot be used, as when no Secret Service is running."""

    def get(self, service: str, account: str) -> str | None:
        raise SigningUnavailable("no system keyring is available (keyring backend: fail.Keyring)")

    set = delete = get  # type: ignore[assignment]


@pytest.fixture
def secrets():
    return MemorySecretStore()


@pytest.fixture
def review_id(store):
    return ready_review(store)


def _snapshot(store: ReviewStore) -> dict[str, list]:
    """Every row of every table: 'nothing was written' means this does not change."""
    with raw_db(store.path) as conn:
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE ? "
            "AND name NOT LIKE 'claim_memory%'"
        )
        tables = [r[0] for r in conn.execute(query, ["search_index%"])]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def test_signing_off_records_signed_markdown_and_locks_the_review(store, review_id, secrets):
    record = sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    data = store.load_review(review_id)
    assert data.review.status == "signed-off"
    assert data.current_signoff == record
    assert (record.reviewer, record.email, record.signed_at) == (REVIEWER, EMAIL, SIGNED_AT)
    text = record.markdown.decode()
    # The sign-off block: reviewer, UTC time, key fingerprint, content hash, verify commands.
    openssh = f"ssh-keygen -Y verify -f allowed_signers -I {EMAIL} -n reviewapp"
    content_hash = data.revision.content_hash
    for expected in (
        REVIEWER,
        EMAIL,
        SIGNED_AT,
        record.fingerprint,
        content_hash,
        "reviewapp verify THIS-FILE.md",
        openssh,
    ):
        assert expected in text
    assert 'status: "signed-off"' in text
    key = store.reviewer_by_name(REVIEWER)
    assert key is not None and key.fingerprint == record.fingerprint
    result = sshsig.verify(record.markdown, record.signature, [(EMAIL, key.public_key)])
    assert result.fingerprint == record.fingerprint
    actions = [e["action"] for e in store.events(review_id)]
    assert actions[-2:] == ["status", "signoff"]


def test_the_first_signoff_makes_a_key_that_lives_only_in_the_keyring(store, review_id, secrets):
    record = sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    pem = secrets.get(SERVICE, EMAIL)
    assert pem is not None and pem.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    private = sshsig.private_key_from_text(pem)
    assert sshsig.fingerprint(private.public_key()) == record.fingerprint
    assert store.reviewer_by_name(REVIEWER).public_key == sshsig.public_key_line(
        private.public_key()
    )


def test_later_signoffs_reuse_the_reviewers_key(store, review_id, secrets):
    first = sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    other = ready_review(store, title="Second draft")
    # The email is remembered: the reviewer's name is enough the next time.
    second = sign_off(store, other, REVIEWER, secrets=secrets)
    assert (second.fingerprint, second.email) == (first.fingerprint, EMAIL)
    assert [(k.fingerprint, k.origin) for k in store.trusted_keys()] == [(first.fingerprint, "own")]


def test_a_failed_gate_lists_every_problem_and_writes_nothing(store, secrets):
    review_id = store.add_article(make_draft(PARAS))
    store.add_claim_by_quote(review_id, "99.9% reliability")
    before = _snapshot(store)
    with pytest.raises(GateFailed) as info:
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    assert [p.kind for p in info.value.problems] == [
        "unchecked",
        "suggestions",
        "verdict",
        "ai-involvement",
        "responsibility",
    ]
    assert info.value.problems[0].claim_numbers == (1,)
    assert "claim 1 is still unchecked" in str(info.value)
    assert _snapshot(store) == before
    assert secrets.get(SERVICE, EMAIL) is None  # no key is made for a refused sign-off


def test_without_a_keyring_signoff_is_refused_and_nothing_is_written(store, review_id, db_path):
    before = _snapshot(store)
    with pytest.raises(SigningUnavailable, match="no system keyring"):
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=BrokenSecretStore())
    assert _snapshot(store) == before
    store.close()
    digest = file_digest(db_path)
    with ReviewStore(db_path) as again, pytest.raises(SigningUnavailable):
        sign_off(again, review_id, REVIEWER, EMAIL, secrets=BrokenSecretStore())
    assert file_digest(db_path) == digest


def test_a_signed_off_review_cannot_be_signed_again(store, review_id, secrets):
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    with pytest.raises(BadInput, match=f"already signed off by {REVIEWER} at {SIGNED_AT}; reopen"):
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)


def test_the_signed_record_is_immutable_evidence(store, review_id, secrets):
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    with raw_db(store.path) as conn:
        for column, value in (("markdown", b"# forged"), ("signature", "x"), ("reviewer", "Eve")):
            with pytest.raises(sqlite3.IntegrityError, match="immutable"):
                conn.execute(f"UPDATE signoffs SET {column} = ?", [value])


def test_export_writes_the_signed_bytes_identically_every_time(store, review_id, secrets, tmp_path):
    record = sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    export_review(store.load_review(review_id), "md", first)
    export_review(store.load_review(review_id), "md", second)
    assert first.read_bytes() == second.read_bytes() == record.markdown
    assert (tmp_path / "a.md.sig").read_text() == (tmp_path / "b.md.sig").read_text()
    assert (tmp_path / "a.md.sig").read_text() == record.signature
    assert verify_file(first, store=store).principal == EMAIL


def test_reopen_keeps_the_old_signoff_as_superseded_history(store, review_id, secrets):
    old = sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    superseded = reopen(store, review_id, reason="a reader found a typo", actor=REVIEWER)
    assert superseded is not None and superseded.id == old.id
    data = store.load_review(review_id)
    assert data.review.status == "in-review"
    assert data.current_signoff is None
    assert [s.id for s in data.signoffs] == [old.id]
    assert data.signoffs[0].superseded_at and data.signoffs[0].markdown == old.markdown
    event = store.events(review_id)[-1]
    assert event["action"] == "reopen"
    assert json.loads(event["detail"])["reason"] == "a reader found a typo"
    store.add_takeaway(review_id, "Edits work again after reopening")
    with pytest.raises(BadInput, match="not signed off; nothing to reopen"):
        reopen(store, review_id)


def test_a_second_signoff_after_reopen_is_live_and_both_verify(store, review_id, secrets, tmp_path):
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    export_review(store.load_review(review_id), "md", tmp_path / "first.md")
    reopen(store, review_id, reason="new source")
    store.add_takeaway(review_id, "A second look")
    second = sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    data = store.load_review(review_id)
    assert data.current_signoff == second and len(data.signoffs) == 2
    export_review(data, "md", tmp_path / "second.md")
    assert b"A second look" in (tmp_path / "second.md").read_bytes()
    assert verify_file(tmp_path / "second.md", store=store).superseded_at == ""
    old = verify_file(tmp_path / "first.md", store=store)
    assert old.signed_at == SIGNED_AT and old.superseded_at  # still genuine, but superseded


def test_a_review_changed_during_signing_is_not_signed(store, review_id, secrets, monkeypatch):
    real_sign = sshsig.sign

    def sign_while_someone_edits(data: bytes, key, namespace: str = "reviewapp") -> str:
        with ReviewStore(store.path) as other:  # another window or process writes meanwhile
            other.add_takeaway(review_id, "Added during signing")
        return real_sign(data, key, namespace)

    monkeypatch.setattr("reviewapp.workflows.signoff.sshsig.sign", sign_while_someone_edits)
    with pytest.raises(BadInput, match="changed while it was being signed"):
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    data = store.load_review(review_id)
    assert data.review.status == "in-review" and data.signoffs == []


def test_a_lost_keyring_key_is_reported_and_a_new_key_can_replace_it(store, review_id, tmp_path):
    first_keyring, second_keyring = MemorySecretStore(), MemorySecretStore()
    old = sign_off(store, review_id, REVIEWER, EMAIL, secrets=first_keyring)
    export_review(store.load_review(review_id), "md", tmp_path / "old.md")
    reopen(store, review_id)
    with pytest.raises(SigningUnavailable, match="holds no private key for Ada Editor") as info:
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=second_keyring)
    assert old.fingerprint in str(info.value) and "--new-key" in str(info.value)
    new = sign_off(store, review_id, REVIEWER, EMAIL, secrets=second_keyring, new_key=True)
    assert new.fingerprint != old.fingerprint
    assert store.reviewer_by_name(REVIEWER).fingerprint == new.fingerprint
    # The earlier file stays verifiable: its key is kept with its sign-off record.
    assert verify_file(tmp_path / "old.md", store=store).fingerprint == old.fingerprint


def test_a_keyring_key_that_does_not_match_the_database_is_refused(store, review_id, secrets):
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    reopen(store, review_id)
    secrets.set(SERVICE, EMAIL, sshsig.private_key_to_text(sshsig.new_private_key()))
    with pytest.raises(SigningUnavailable, match="is not the key the database records"):
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    secrets.set(SERVICE, EMAIL, "garbage")
    with pytest.raises(SigningUnavailable, match="is not a reviewapp key"):
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)


def test_signer_identities_are_checked(store, review_id, secrets):
    other = ready_review(store, title="Other")
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    before = _snapshot(store)
    with pytest.raises(BadInput, match=f"signs as {EMAIL}"):
        sign_off(store, other, REVIEWER, "ada@elsewhere.org", secrets=secrets)
    with pytest.raises(BadInput, match="already belongs to reviewer 'Ada Editor'"):
        sign_off(store, other, "Bo Writer", EMAIL, secrets=secrets)
    with pytest.raises(BadInput, match="not an email address"):
        sign_off(store, other, "Bo Writer", "bo at example", secrets=secrets)
    with pytest.raises(BadInput, match="give an email address"):
        sign_off(store, other, "Writer, Bo", "", secrets=secrets)
    with pytest.raises(BadInput, match="must look like 2026-11-27T19:03:10Z"):
        sign_off(store, other, "Bo Writer", "", secrets=secrets, now="yesterday")
    assert _snapshot(store) == before


def test_a_reviewer_without_email_signs_under_their_name(store, review_id, secrets, tmp_path):
    record = sign_off(store, review_id, "Bo Writer", secrets=secrets)
    assert secrets.get(SERVICE, "Bo Writer") is not None
    assert store.load_review(review_id).review.reviewer == "Bo Writer"
    assert "-I 'Bo Writer'" in record.markdown.decode()
    export_review(store.load_review(review_id), "md", tmp_path / "r.md")
    assert verify_file(tmp_path / "r.md", store=store).principal == "Bo Writer"


def test_a_file_that_names_another_key_than_the_one_that_signed_it_fails(tmp_path):
    from reviewapp.core.errors import VerificationFailed

    key = sshsig.new_private_key()
    md = tmp_path / "forged.md"
    md.write_bytes(b'---\nkey_fingerprint: "SHA256:someone-else"\n---\n\n# Review\n')
    md.with_name("forged.md.sig").write_text(sshsig.sign(md.read_bytes(), key))
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(
        f'{EMAIL} namespaces="reviewapp" {sshsig.public_key_line(key.public_key())}\n'
    )
    with pytest.raises(VerificationFailed, match="says it was signed with key SHA256:someone-else"):
        verify_file(md, allowed_signers_path=allowed)
