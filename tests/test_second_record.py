"""The second reviewer's side after sign-off, as workflows: the blind copy locks once its
assessment is signed (reopen unlocks it), the first editor's signed record is read back beside
the assessment only when it is genuinely about it, and co-signing goes where asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput, ReviewLocked, VerificationFailed
from reviewapp.core.second_review import Agreement
from reviewapp.export.files import export_review
from reviewapp.secrets import MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows import second_record
from reviewapp.workflows import second_review as second
from reviewapp.workflows.signoff import reopen, sign_off
from tests.conftest import examine_suggestions, file_digest
from tests.test_second_review import ADA, ADA_EMAIL, BOB, BOB_EMAIL, Desk, _round_trip, _trust


@pytest.fixture(name="ada")
def ada_desk(tmp_path: Path):
    with ReviewStore(tmp_path / "ada.db") as store:
        yield Desk(store, MemorySecretStore())


@pytest.fixture(name="bob")
def bob_desk(tmp_path: Path):
    with ReviewStore(tmp_path / "bob.db") as store:
        yield Desk(store, MemorySecretStore())


def test_a_signed_assessment_locks_the_copy_until_it_is_reopened(ada, bob, tmp_path):
    _, bob_review = _round_trip(ada, bob, tmp_path)
    claim = bob.store.claims(bob_review)[0]
    assert bob.store.load_review(bob_review).locked
    before = file_digest(bob.store.path)
    with pytest.raises(ReviewLocked, match="second assessment you signed"):
        bob.store.update_claim(claim.id, status="verified")
    with pytest.raises(ReviewLocked):
        bob.store.update_claim(claim.id, note="changed my mind")
    with pytest.raises(BadInput, match="already signed"):
        second.sign_assessment(bob.store, bob_review, BOB, BOB_EMAIL, secrets=bob.secrets)
    assert file_digest(bob.store.path) == before
    # Reopen sets the assessment aside: the copy takes edits and can be signed again.
    assert reopen(bob.store, bob_review, "a second look", BOB) is None
    assert not bob.store.load_review(bob_review).locked
    bob.store.update_claim(claim.id, status="verified", note="On a second look")
    again = second.sign_assessment(bob.store, bob_review, BOB, BOB_EMAIL, secrets=bob.secrets)
    assert again.assessment.claims[0].status == "verified"
    events = [e["action"] for e in bob.store.events(bob_review)]
    assert "second-assessment-reopen" in events


def test_unchecked_claims_are_named_before_signing(ada, bob, tmp_path):
    review_id = _ready_request(ada, tmp_path)
    bob_review = second.import_request(bob.store, tmp_path / "request.json", reviewer=BOB)
    claims = bob.store.claims(bob_review)
    bob.store.update_claim(claims[1].id, status="false")
    with pytest.raises(BadInput, match=r"claims 1, 3 of review \d+ have no status yet"):
        second.check_assessment(bob.store, bob_review)
    bob.store.update_claim(claims[0].id, status="false")
    with pytest.raises(BadInput, match=r"claim 3 of review \d+ has no status yet"):
        second.check_assessment(bob.store, bob_review)
    assert review_id


def _ready_request(ada: Desk, tmp_path: Path) -> int:
    from tests.test_signoff_fixtures import ready_review

    review_id = ready_review(ada.store)
    second.write_request(ada.store, review_id, tmp_path / "request.json", requested_by=ADA)
    return review_id


def _signed_record(ada: Desk, bob: Desk, tmp_path: Path) -> Path:
    review_id, _ = _round_trip(ada, bob, tmp_path)
    examine_suggestions(ada.store, review_id)
    second.settle(ada.store, review_id, 2, "partly-true", "One of two versions | *really*", ADA)
    second.settle(ada.store, review_id, 3, "opinion", "It is the company's <claim>", ADA)
    sign_off(ada.store, review_id, ADA, ADA_EMAIL, secrets=ada.secrets)
    md = tmp_path / "review.md"
    export_review(ada.store.load_review(review_id), "md", md)
    _trust(bob, ada, ADA)
    return md


def test_the_record_reads_back_beside_the_assessment(ada, bob, tmp_path):
    md = _signed_record(ada, bob, tmp_path)
    record = second_record.read_first_record(bob.store, md)
    assert record.first.reviewer == ADA
    assert [r.agreement for r in record.rows] == [
        Agreement.AGREE,
        Agreement.DISAGREE,
        Agreement.UNSURE,
    ]
    row = record.rows[1]
    assert (row.first_status, row.second_status) == ("partly-true", "false")
    assert row.first_note == "Company statement"
    assert row.second_note == "Only one version was suspended"
    assert row.settlement is not None
    assert row.settlement.note == "One of two versions | *really*"  # escaping undone exactly
    assert record.rows[2].settlement.note == "It is the company's <claim>"
    assert record.rows[0].quote == "has committed $4 billion"
    assert record.to_settle == 0


def test_a_record_that_misstates_the_assessment_is_refused(ada, bob, tmp_path):
    md = _signed_record(ada, bob, tmp_path)
    # Ada's own key re-signs a file that reports Bob's note differently: the signature is good,
    # the section is not what Bob signed.
    ada_key = sshsig.private_key_from_text(next(iter(ada.secrets._secrets.values())))
    text = md.read_bytes().replace(b"Only one version was suspended", b"Bob agrees entirely")
    md.write_bytes(text)
    (tmp_path / "review.md.sig").write_text(sshsig.sign(text, ada_key))
    (tmp_path / "review.intoto.json").unlink()  # it would refuse the changed file first
    with pytest.raises(VerificationFailed, match="does not state your assessment"):
        second_record.read_first_record(bob.store, md)


def test_a_tampered_record_and_another_reviewers_record_are_refused(ada, bob, tmp_path):
    md = _signed_record(ada, bob, tmp_path)
    original = md.read_bytes()
    md.write_bytes(original.replace(b"One of two versions", b"One of six versions"))
    with pytest.raises(VerificationFailed):
        second_record.read_first_record(bob.store, md)
    md.write_bytes(original)
    # Carol's library does not hold the key the record names.
    with ReviewStore(tmp_path / "carol.db") as carol:
        carol_desk = Desk(carol, MemorySecretStore())
        _trust(carol_desk, ada, ADA)
        with pytest.raises(BadInput, match="that key is not yours"):
            second_record.read_first_record(carol, md)


def test_cosign_writes_where_asked(ada, bob, tmp_path):
    md = _signed_record(ada, bob, tmp_path)
    target = tmp_path / "elsewhere.sig"
    done = second_record.cosign_record(bob.store, md, bob.secrets, target)
    assert done.path == target and target.exists()
    assert not (tmp_path / "review.md.second.sig").exists()
    assert sshsig.verify_intact(md.read_bytes(), target.read_text()).fingerprint == (
        done.fingerprint
    )
