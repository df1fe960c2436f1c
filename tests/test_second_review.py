"""A second reviewer, with two editors: two libraries, two keyrings, real signatures.

Ada (first editor) asks Bob (second editor) for a blind second review of her review; Bob
assesses the same claims on the same text and signs; Ada imports, compares, settles, signs off;
Bob co-signs the same Markdown; both signatures verify with reviewapp and with ssh-keygen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput, GateFailed, VerificationFailed
from reviewapp.core.gate import GateRule, gate_problems
from reviewapp.core.second_review import Agreement
from reviewapp.export.files import export_review
from reviewapp.secrets import MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows import second_review as second
from reviewapp.workflows.signoff import sign_off
from reviewapp.workflows.verify import verify_file
from tests.conftest import examine_suggestions, file_digest
from tests.test_signoff_fixtures import needs_ssh_keygen, openssh_verify, ready_review

ADA, ADA_EMAIL = "Ada Editor", "ada@example.org"
BOB, BOB_EMAIL = "Bob Second", "bob@example.org"
ADA_NOTE = "Company statement of 3 March"
FILING = "https://example.org/filing"


@dataclass
class Desk:
    """One editor: their library and their keyring."""

    store: ReviewStore
    secrets: MemorySecretStore


@pytest.fixture
def ada(tmp_path: Path):
    store = ReviewStore(tmp_path / "ada.db")
    yield Desk(store, MemorySecretStore())
    store.close()


@pytest.fixture
def bob(tmp_path: Path):
    store = ReviewStore(tmp_path / "bob.db")
    yield Desk(store, MemorySecretStore())
    store.close()


def _public_line(desk: Desk, name: str) -> tuple[str, str, str]:
    key = desk.store.reviewer_by_name(name)
    assert key is not None
    return key.email, key.public_key, key.fingerprint


def _trust(truster: Desk, owner: Desk, name: str) -> None:
    email, public_key, fingerprint = _public_line(owner, name)
    truster.store.trust_key(name, email, public_key, fingerprint)


def _bob_assesses(bob: Desk, request: Path) -> int:
    """Bob imports the request and gives statuses: claim 1 agrees (false), claim 2 disagrees
    (false, where Ada says verified), claim 3 unsure (unverifiable, Ada: opinion)."""
    review_id = second.import_request(bob.store, request, reviewer=BOB)
    claims = bob.store.claims(review_id)
    bob.store.update_claim(claims[0].id, status="false", note="The filing says $8 billion")
    bob.store.update_claim(claims[1].id, status="false", note="Only one version was suspended")
    bob.store.update_claim(claims[2].id, status="unverifiable", note="Cannot tell")
    bob.store.add_source(bob_id := review_id, [claims[0].id], url="https://example.net/bob")
    assert bob_id == review_id
    return review_id


def _round_trip(ada: Desk, bob: Desk, tmp_path: Path) -> tuple[int, int]:
    review_id = ready_review(ada.store)
    request = tmp_path / "request.json"
    second.write_request(ada.store, review_id, request, requested_by=ADA)
    bob_review = _bob_assesses(bob, request)
    signed = second.sign_assessment(bob.store, bob_review, BOB, BOB_EMAIL, secrets=bob.secrets)
    (tmp_path / "assessment.json").write_bytes(signed.content)
    _trust(ada, bob, BOB)
    assert second.import_assessment(ada.store, tmp_path / "assessment.json") == review_id
    return review_id, bob_review


def test_the_request_is_blind_it_holds_the_text_and_passages_only(ada, bob, tmp_path):
    review_id = ready_review(ada.store)
    request = tmp_path / "request.json"
    second.write_request(ada.store, review_id, request, requested_by=ADA)
    content = request.read_text(encoding="utf-8")
    # Ada's notes, correction, source, statuses and verdict are not in the file at all.
    for secret in (ADA_NOTE[:7], "Company statement", "$8 billion", FILING, "SEC filing"):
        assert secret not in content
    for word in ('"status"', '"note"', "verified", "opinion", "publish-with-corrections"):
        assert word not in content
    data = json.loads(content)
    assert [c["quote"] for c in data["claims"]] == [
        "has committed $4 billion",
        "two specific model versions",
        "99.9% reliability",
    ]
    # Bob's copy: the same text (same content hash), the same passages, nothing assessed.
    bob_review = second.import_request(bob.store, request, reviewer=BOB)
    theirs = bob.store.load_review(bob_review)
    assert theirs.revision.content_hash == ada.store.load_review(review_id).revision.content_hash
    assert [c.quote for c in theirs.claims] == [c["quote"] for c in data["claims"]]
    assert {c.status for c in theirs.claims} == {"unchecked"}
    assert not theirs.sources and not theirs.claims[0].note
    assert theirs.second_review is not None and theirs.second_review.role == "second"


def test_importing_the_same_request_twice_is_refused(ada, bob, tmp_path):
    review_id = ready_review(ada.store)
    request = tmp_path / "request.json"
    second.write_request(ada.store, review_id, request, requested_by=ADA)
    first = second.import_request(bob.store, request, reviewer=BOB)
    before = file_digest(bob.store.path)
    with pytest.raises(BadInput, match=f"already imported as review {first}"):
        second.import_request(bob.store, request, reviewer=BOB)
    assert file_digest(bob.store.path) == before


def test_round_trip_compares_each_claim_with_both_notes(ada, bob, tmp_path):
    review_id, _ = _round_trip(ada, bob, tmp_path)
    rows = second.comparison(ada.store, review_id)
    assert [r.agreement for r in rows] == [Agreement.AGREE, Agreement.DISAGREE, Agreement.UNSURE]
    assert rows[1].first_note == "Company statement"
    assert rows[1].second_note == "Only one version was suspended"
    assert rows[0].second_sources == ("https://example.net/bob",)
    record = ada.store.load_review(review_id).second_review
    assert record is not None and record.assessor == BOB and record.assessor_email == BOB_EMAIL


def test_gate_asks_to_settle_disagreements_and_settling_records_them(ada, bob, tmp_path):
    review_id, _ = _round_trip(ada, bob, tmp_path)
    examine_suggestions(ada.store, review_id)
    problems = gate_problems(ada.store.load_review(review_id))
    assert [(p.kind, p.claim_numbers) for p in problems] == [(GateRule.SECOND_REVIEW, (2, 3))]
    assert "not settled" in str(problems[0])
    with pytest.raises(BadInput, match="both reviewers agree"):
        second.settle(ada.store, review_id, 1, "false", "fine", ADA)
    before = file_digest(ada.store.path)
    with pytest.raises(BadInput, match="note"):
        second.settle(ada.store, review_id, 2, "partly-true", "  ", ADA)
    assert file_digest(ada.store.path) == before
    row = second.settle(ada.store, review_id, 2, "partly-true", "One of two versions", ADA)
    assert row.settled and row.first_status == "partly-true"
    assert ada.store.claim(review_id, 2).status == "partly-true"
    second.settle(ada.store, review_id, 3, "opinion", "It is the company's claim", ADA)
    assert gate_problems(ada.store.load_review(review_id)) == []
    # Changing a settled claim's status again opens it again.
    ada.store.update_claim(ada.store.claim(review_id, 3).id, status="verified")
    assert [p.kind for p in gate_problems(ada.store.load_review(review_id))][-1:] == [
        GateRule.SECOND_REVIEW
    ]


def test_required_second_review_blocks_signoff_until_it_is_in(ada, bob, tmp_path):
    review_id = ready_review(ada.store)
    examine_suggestions(ada.store, review_id)
    ada.store.set_second_review_default(True)  # the library's setting: required
    with pytest.raises(GateFailed) as failed:
        sign_off(ada.store, review_id, ADA, ADA_EMAIL, secrets=ada.secrets)
    assert [str(p) for p in failed.value.problems] == [
        "a second review is required, and no second reviewer's signed assessment is in"
    ]
    ada.store.set_second_review_required(review_id, False)  # this review's own flag wins
    assert gate_problems(ada.store.load_review(review_id)) == []


def _tampered(content: bytes, change) -> bytes:
    data = json.loads(content)
    data["markdown"] = change(data["markdown"])
    return json.dumps(data).encode()


def test_a_tampered_or_foreign_assessment_is_refused_and_nothing_is_written(ada, bob, tmp_path):
    review_id = ready_review(ada.store)
    request = tmp_path / "request.json"
    second.write_request(ada.store, review_id, request, requested_by=ADA)
    bob_review = _bob_assesses(bob, request)
    signed = second.sign_assessment(bob.store, bob_review, BOB, BOB_EMAIL, secrets=bob.secrets)
    target = tmp_path / "assessment.json"
    before = file_digest(ada.store.path)
    # Not trusted yet: refused, naming the key to compare.
    target.write_bytes(signed.content)
    with pytest.raises(VerificationFailed, match="not trusted here"):
        second.import_assessment(ada.store, target)
    _trust(ada, bob, BOB)
    before = file_digest(ada.store.path)
    # A status changed after signing: the signature no longer holds.
    target.write_bytes(_tampered(signed.content, lambda m: m.replace('"false"', '"verified"')))
    with pytest.raises(VerificationFailed):
        second.import_assessment(ada.store, target)
    # Re-signed by Bob for another claim set (a claim dropped): refused by the claim set.
    key = sshsig.private_key_from_text(next(iter(bob.secrets._secrets.values())))
    assessment = second.files.read_assessment(signed.markdown)
    fewer = second.files.render_assessment(
        second.files.Assessment(**{**assessment.__dict__, "claims": assessment.claims[:2]})
    )
    target.write_bytes(second.files.assessment_file(fewer, sshsig.sign(fewer, key)))
    with pytest.raises(BadInput, match="other claims"):
        second.import_assessment(ada.store, target)
    # Of another review uid: refused.
    other = second.files.render_assessment(
        second.files.Assessment(**{**assessment.__dict__, "review_uid": "0" * 16})
    )
    target.write_bytes(second.files.assessment_file(other, sshsig.sign(other, key)))
    with pytest.raises(BadInput, match="no review in this library asked"):
        second.import_assessment(ada.store, target)
    assert file_digest(ada.store.path) == before


@needs_ssh_keygen
def test_final_record_carries_both_signatures_over_the_same_markdown(ada, bob, tmp_path):
    review_id, _ = _round_trip(ada, bob, tmp_path)
    examine_suggestions(ada.store, review_id)
    second.settle(ada.store, review_id, 2, "partly-true", "One of two versions", ADA)
    second.settle(ada.store, review_id, 3, "opinion", "It is the company's claim", ADA)
    record = sign_off(ada.store, review_id, ADA, ADA_EMAIL, secrets=ada.secrets)
    text = record.markdown.decode()
    assert "## Second review" in text and "Bob Second (bob@example.org)" in text
    assert "One of two versions" in text and "Only one version was suspended" in text
    # Ada exports the signed file; Bob (who trusts Ada's key) co-signs the same bytes.
    out = tmp_path / "out"
    out.mkdir()
    md = out / "review.md"
    export_review(ada.store.load_review(review_id), "md", md)
    _trust(bob, ada, ADA)
    done = second.cosign(bob.store, md, secrets=bob.secrets)
    assert done.path == out / "review.md.second.sig" and done.first.reviewer == ADA
    # reviewapp verify: both, from Ada's library.
    assert verify_file(md, store=ada.store).reviewer == ADA
    cosigner = second.verify_cosignature(md, store=ada.store)
    assert cosigner is not None and cosigner.reviewer == BOB
    # Plain OpenSSH: both signatures, each for its own signer.
    allowed = out / "allowed_signers"
    allowed.write_text(
        "".join(
            f'{email} namespaces="reviewapp" {key}\n'
            for email, key, _ in (_public_line(ada, ADA), _public_line(bob, BOB))
        )
    )
    assert openssh_verify(allowed, ADA_EMAIL, md, out / "review.md.sig") == 0
    assert openssh_verify(allowed, BOB_EMAIL, md, out / "review.md.second.sig") == 0
    assert openssh_verify(allowed, ADA_EMAIL, md, out / "review.md.second.sig") != 0
    assert second.verify_cosignature(md, allowed_signers_path=allowed) is not None
    # One changed byte and the co-signature fails too.
    md.write_bytes(md.read_bytes().replace(b"One of two", b"One of six"))
    with pytest.raises(VerificationFailed):
        second.verify_cosignature(md, store=ada.store)


def test_a_bundle_of_the_signed_review_carries_the_second_review_and_verifies(ada, bob, tmp_path):
    """The signed Markdown must re-render from the bundle (archive push/pull and bundle import
    compare them): the bundle carries the second review, and the copy shows the same."""
    from reviewapp.workflows.bundles import import_bundle

    review_id, _ = _round_trip(ada, bob, tmp_path)
    examine_suggestions(ada.store, review_id)
    second.settle(ada.store, review_id, 2, "partly-true", "One of two versions", ADA)
    second.settle(ada.store, review_id, 3, "opinion", "It is the company's claim", ADA)
    record = sign_off(ada.store, review_id, ADA, ADA_EMAIL, secrets=ada.secrets)
    bundle = tmp_path / "review.json"
    export_review(ada.store.load_review(review_id), "json", bundle)
    assert json.loads(bundle.read_text())["review"]["second_review"]["assessor"] == BOB
    with ReviewStore(tmp_path / "carol.db") as carol:
        done = import_bundle(carol, bundle.read_bytes())
        copy = carol.load_review(done.review_id)
        assert copy.current_signoff is not None
        assert copy.current_signoff.markdown == record.markdown
        assert copy.second_review is not None and copy.second_review.assessor == BOB
        assert sorted(s.note for s in copy.second_review.settlements) == [
            "It is the company's claim",
            "One of two versions",
        ]
