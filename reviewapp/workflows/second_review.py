"""A second reviewer: request, blind assessment, signed return, comparison, settlement, co-sign.

The first editor writes a request file (export/second_review.py: the text and the claims'
passages only) and records that they asked. The colleague imports it as a review of the
"second" kind, assesses the same claims in the ordinary way, and signs their assessment with
their own key; the file goes back. The first editor imports it only when its signature is good,
by a key they trust, of the same review uid, revision and claims; then each claim compares, and
the first editor settles those not agreed. The sign-off Markdown then carries a "Second review"
section naming the colleague's key, and the colleague co-signs that very file (NAME.md.second.sig).
The GUI and the CLI both call these functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core import scales
from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.model import ImportedDraft, ReviewData, utc_now
from reviewapp.core.second_review import Agreement, ComparedClaim, Role, SecondClaim
from reviewapp.core.states import ClaimStatus, ReviewStatus
from reviewapp.core.userfiles import read_user_file
from reviewapp.export import second_review as files
from reviewapp.export.files import write_atomic
from reviewapp.secrets import SecretStore, default_secret_store
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.signing.sshsig import VerifiedSignature
from reviewapp.store import ReviewStore
from reviewapp.workflows.archive_files import local_uid
from reviewapp.workflows.cosignatures import import_cosignature as import_cosignature
from reviewapp.workflows.cosignatures import who_of
from reviewapp.workflows.keys import load_or_create_key

IMPORTER = "second-review request"


# ---------------------------------------------------------------------- first editor: request
def build_request(
    store: ReviewStore, review_id: int, requested_by: str = ""
) -> files.SecondRequest:
    """The blind request for a review as it stands; BadInput when it cannot be asked yet."""
    data = store.load_review(review_id)
    if data.second_review is not None and data.second_review.role is Role.SECOND:
        raise BadInput(f"review {review_id} is itself a second review; it cannot ask for one")
    if data.review.status == ReviewStatus.SIGNED_OFF:
        raise BadInput(f"review {review_id} is signed off; reopen it to ask for a second review")
    if not data.claims:
        raise BadInput(f"review {review_id} has no claims for a second reviewer to assess")
    loose = [c.number for c in data.claims if not c.anchor_state.firm or c.start is None]
    if loose:
        raise BadInput(
            f"claims {', '.join(map(str, loose))} of review {review_id} are not firmly anchored;"
            " confirm them before asking for a second review"
        )
    check_one_line(requested_by, "requester's name")
    return files.SecondRequest(
        review_uid=local_uid(store, data),
        requested_by=(requested_by or data.review.reviewer).strip(),
        requested_by_email="",
        requested_at=utc_now(),
        meta=data.revision.meta,
        document=_document(data),
        claims=tuple(
            files.RequestedClaim(c.stable_id, c.number, c.quote, c.start or 0, c.end or 0)
            for c in data.claims
        ),
    )


def _document(data: ReviewData) -> files.Document:
    return files.Document(data.revision.text, data.revision.blocks)


def write_request(
    store: ReviewStore, review_id: int, path: Path, requested_by: str = ""
) -> files.SecondRequest:
    """Write the request file, then record that the review asked (a new request replaces an
    earlier one, its assessment and settlements)."""
    request = build_request(store, review_id, requested_by)
    write_atomic(Path(path), files.request_json(request))
    record_request(store, review_id, request)
    return request


def record_request(store: ReviewStore, review_id: int, request: files.SecondRequest) -> None:
    """Record that the review asked (once the request is written or pushed)."""
    store.record_second_request(
        review_id,
        Role.FIRST,
        request.review_uid,
        request.content_hash,
        [c.claim_id for c in request.claims],
        request.requested_by,
        requested_at=request.requested_at,
    )


# ---------------------------------------------------------------------- second editor
def import_request(store: ReviewStore, path: Path, reviewer: str = "") -> int:
    """Make the colleague's review of the second kind from a request file; its id."""
    content = read_user_file(Path(path), "second-review request")
    return import_request_content(store, content, Path(path).name, reviewer)


def import_request_content(
    store: ReviewStore, content: bytes, name: str, reviewer: str = ""
) -> int:
    """import_request of a request's bytes (name: where they came from, for the record)."""
    check_one_line(reviewer, "reviewer's name")
    request = files.read_request(content)
    existing = store.second_copy_of(request.review_uid)
    if existing is not None:
        raise BadInput(
            f"this request (review uid {request.review_uid}) is already imported as review "
            f"{existing}"
        )
    draft = ImportedDraft(
        request.document,
        request.meta,
        request.document.text.encode("utf-8"),
        "text/plain",
        IMPORTER,
        name,
    )
    with store.transaction():
        review_id = store.add_article(draft, reviewer=reviewer.strip())
        claim_map = {}
        for claim in request.claims:
            mine = store.add_claim_at(review_id, claim.start, claim.end)
            claim_map[mine.stable_id] = claim.claim_id
        store.record_second_request(
            review_id,
            Role.SECOND,
            request.review_uid,
            request.content_hash,
            [c.claim_id for c in request.claims],
            request.requested_by,
            claim_map=claim_map,
            requested_at=request.requested_at,
        )
    return review_id


def check_assessment(store: ReviewStore, review_id: int) -> tuple[ReviewData, dict[str, str]]:
    """The colleague's copy, ready to sign, and its claim map (this library's stable id -> the
    first editor's); BadInput naming what is missing (the claims with no status) otherwise."""
    data = store.load_review(review_id)
    record = data.second_review
    if record is None or record.role is not Role.SECOND:
        raise BadInput(f"review {review_id} is not a second review (import a request first)")
    if record.assessed:
        raise BadInput(
            f"the assessment of review {review_id} is already signed ({record.assessed_at}); "
            "reopen it to change it and sign again"
        )
    row = store.second_review_row(review_id)
    assert row is not None
    claim_map: dict[str, str] = json.loads(row["claim_map"])
    mine = {c.stable_id: c for c in data.claims}
    if set(mine) != set(claim_map) or data.revision.content_hash != record.content_hash:
        raise BadInput(
            f"review {review_id} no longer holds exactly the requested claims on the requested "
            "text; the assessment must be of those"
        )
    unchecked = [c.number for c in data.claims if c.status == ClaimStatus.UNCHECKED]
    if unchecked:
        which = ", ".join(map(str, unchecked))
        raise BadInput(
            f"{'claims' if len(unchecked) > 1 else 'claim'} {which} of review {review_id} "
            f"{'have' if len(unchecked) > 1 else 'has'} no status yet (choose unverifiable when "
            "you cannot decide)"
        )
    return data, claim_map


@dataclass(frozen=True)
class SignedAssessment:
    assessment: files.Assessment
    markdown: bytes
    signature: str
    content: bytes  # the file to send back


def sign_assessment(
    store: ReviewStore,
    review_id: int,
    reviewer: str = "",
    email: str = "",
    secrets: SecretStore | None = None,
    now: str | None = None,
    output: Path | None = None,
) -> SignedAssessment:
    """Sign the colleague's assessment of the requested claims; the file to send back (written
    to output, when given, before anything is recorded)."""
    data, claim_map = check_assessment(store, review_id)
    record = data.second_review
    assert record is not None
    check_one_line(reviewer, "reviewer's name")
    check_one_line(email, "reviewer's email")
    reviewer = (reviewer or data.review.reviewer).strip()
    if not reviewer:
        raise BadInput("name the person signing the assessment (--reviewer NAME)")
    key = load_or_create_key(store, secrets or default_secret_store(), reviewer, email)
    sources = data.source_by_id()
    by_request = {claim_map[c.stable_id]: c for c in data.claims}
    assessment = files.Assessment(
        review_uid=record.review_uid,
        content_hash=record.content_hash,
        title=data.revision.meta.title,
        assessor=key.name,
        assessor_email=key.email,
        fingerprint=key.fingerprint,
        assessed_at=now or utc_now(),
        claims=tuple(
            SecondClaim(
                claim_id,
                by_request[claim_id].quote,
                by_request[claim_id].status,
                by_request[claim_id].note,
                tuple(
                    sources[s].url or sources[s].title
                    for s in by_request[claim_id].source_ids
                    if s in sources
                ),
            )
            for claim_id in record.claim_ids
        ),
    )
    markdown = files.render_assessment(assessment)
    signature = sshsig.sign(markdown, key.private_key)
    content = files.assessment_file(markdown, signature)
    if output is not None:
        write_atomic(Path(output), content)
    with store.transaction():
        if key.is_new:
            store.save_reviewer_key(key.name, key.email, key.public_key_line, key.fingerprint)
        store.record_second_assessment(
            review_id,
            key.name,
            key.email,
            key.fingerprint,
            markdown,
            signature,
            files.sha256(markdown),
            assessment.assessed_at,
            assessment.claims,
        )
    return SignedAssessment(assessment, markdown, signature, content)


# ---------------------------------------------------------------------- first editor: import
def import_assessment(store: ReviewStore, path: Path) -> int:
    """Import the colleague's signed assessment into the review that asked; its id.

    Refused (nothing written) unless the signature is good and by a key this editor trusts
    that belongs to the assessor named, and the assessment is of the same review uid,
    revision content hash and claims as the request (and the review is still on that text).
    """
    content = read_user_file(Path(path), "second assessment", files.MAX_FILE_BYTES)
    return import_assessment_content(store, content)


def import_assessment_content(store: ReviewStore, content: bytes) -> int:
    """import_assessment of an assessment file's bytes."""
    markdown, signature = files.read_assessment_file(content)
    sig = sshsig.verify_intact(markdown, signature)
    assessment = files.read_assessment(markdown)
    if assessment.fingerprint != sig.fingerprint:
        raise VerificationFailed(
            f"the assessment says it was signed with key {assessment.fingerprint}, but its "
            f"signature is by {sig.fingerprint}"
        )
    review_id = _asking_review(store, assessment.review_uid)
    if any(r.fingerprint == sig.fingerprint for r in store.reviewers()):
        raise BadInput("the assessment is signed with your own key; a second review is another")
    trusted = store.trusted_key(sig.fingerprint)
    if trusted is None:
        raise VerificationFailed(
            f"the assessment is signed with key {sig.fingerprint}, which is not trusted here; "
            f"compare that fingerprint with {assessment.assessor} and trust it with "
            "`reviewapp key trust`"
        )
    if not trusted.belongs_to(assessment.assessor, assessment.assessor_email):
        raise VerificationFailed(
            f"the assessment names {assessment.assessor}, but key {sig.fingerprint} belongs to "
            f"{trusted.who}"
        )
    data = store.load_review(review_id)
    record = data.second_review
    assert record is not None
    if assessment.content_hash != record.content_hash:
        raise BadInput(
            f"the assessment is of another text (content hash {assessment.content_hash[:12]}…)"
            f" than the one review {review_id} asked about ({record.content_hash[:12]}…)"
        )
    if data.revision.content_hash != record.content_hash:
        raise BadInput(
            f"review {review_id} is on a newer revision than the one the second reviewer "
            "assessed; ask for a second review again"
        )
    if assessment.claim_ids != record.claim_ids:
        raise BadInput(
            f"the assessment covers other claims ({len(assessment.claim_ids)}) than review "
            f"{review_id} asked about ({len(record.claim_ids)})"
        )
    store.record_second_assessment(
        review_id,
        trusted.name,
        trusted.email,
        sig.fingerprint,
        markdown,
        signature,
        files.sha256(markdown),
        assessment.assessed_at,
        assessment.claims,
    )
    return review_id


def _asking_review(store: ReviewStore, review_uid: str) -> int:
    review_id = store.second_copy_of(review_uid, Role.FIRST)
    if review_id is None:
        raise BadInput(
            f"no review in this library asked for a second review with uid {review_uid}; "
            "nothing was imported"
        )
    return review_id


def import_file(store: ReviewStore, path: Path, reviewer: str = "") -> tuple[str, int]:
    """Import whichever second-review file path is: ("request", the new review's id) or
    ("assessment", the id of the review that asked)."""
    content = read_user_file(Path(path), "second-review file", files.MAX_FILE_BYTES)
    fmt, _ = files.file_format(content)
    if fmt == files.ASSESSMENT_FORMAT:
        return "assessment", import_assessment(store, path)
    if fmt == files.REQUEST_FORMAT:
        return "request", import_request(store, path, reviewer)
    raise BadInput(
        f"{Path(path).name} is not a second-review request or assessment (its format is "
        f"{fmt[:40]!r})"
    )


# ---------------------------------------------------------------------- comparison, settling
def comparison(store: ReviewStore, review_id: int) -> list[ComparedClaim]:
    """Each claim, both statuses and notes, and how they compare; BadInput before it is in."""
    data = store.load_review(review_id)
    record = data.second_review
    if record is None or record.role is not Role.FIRST or not record.assessed:
        raise BadInput(f"review {review_id} has no second reviewer's assessment imported yet")
    return files.comparison(data)


def settle(
    store: ReviewStore, review_id: int, number: int, status: str, note: str, actor: str = ""
) -> ComparedClaim:
    """The first editor's decision on a claim not agreed: its status, with a note why."""
    rows = {r.number: r for r in comparison(store, review_id)}
    if number not in rows:
        raise BadInput(f"review {review_id} has no claim {number}")
    if rows[number].agreement is Agreement.AGREE:
        raise BadInput(f"claim {number}: both reviewers agree; there is nothing to settle")
    scales.check_choice(status, scales.CLAIM_STATUS_KEYS, "claim status")
    if status == ClaimStatus.UNCHECKED:
        raise BadInput("a settlement must choose a status, not unchecked")
    if not note.strip():
        raise BadInput("say why in a note (--note TEXT): the settlement goes on the record")
    claim = store.claim(review_id, number)
    with store.transaction():
        if claim.status != status:
            store.update_claim(claim.id, status=status)
        store.settle_second_review(review_id, claim.id, note.strip(), actor)
    return {r.number: r for r in comparison(store, review_id)}[number]


def open_disagreements(store: ReviewStore, review_id: int) -> list[ComparedClaim]:
    return [r for r in comparison(store, review_id) if not r.settled]


# ---------------------------------------------------------------------- co-signing, verifying
def cosignature_path(md_path: Path) -> Path:
    return md_path.with_name(md_path.name + files.COSIGNATURE_SUFFIX)


@dataclass(frozen=True)
class Cosigned:
    path: Path
    first: VerifiedSignature
    markdown: bytes
    fingerprint: str


def cosign(
    store: ReviewStore,
    md_path: Path,
    secrets: SecretStore | None = None,
    output: Path | None = None,
) -> Cosigned:
    """The second editor co-signs a signed-off review's Markdown (the same bytes): its first
    signature must verify against this editor's trust, and its "Second review" section must
    name this editor's own key. The signature goes to output, by default FILE.md.second.sig
    beside the file (where `reviewapp verify` looks for it)."""
    from reviewapp.workflows.verify import verify_file

    md_path = Path(md_path)
    first = verify_file(md_path, store=store)
    markdown = read_user_file(md_path, "review file")
    named = files.cosigner_named(markdown)
    if named is None:
        raise BadInput(f"{md_path.name} names no second reviewer; there is nothing to co-sign")
    who, fingerprint = named
    mine = [r for r in store.reviewers() if r.fingerprint == fingerprint]
    if not mine:
        raise BadInput(
            f"{md_path.name} names {who_of(who)[0]} (key {fingerprint}) as second reviewer; "
            "that key is not yours in this library"
        )
    key = load_or_create_key(store, secrets or default_secret_store(), mine[0].name, mine[0].email)
    signature = sshsig.sign(markdown, key.private_key)
    target = Path(output) if output is not None else cosignature_path(md_path)
    write_atomic(target, signature.encode())
    store.log_event(None, "second-review-cosign", key.name, file=md_path.name)
    return Cosigned(target, first, markdown, key.fingerprint)


def verify_cosignature(
    md_path: Path,
    store: ReviewStore | None = None,
    allowed_signers_path: Path | None = None,
) -> VerifiedSignature | None:
    """Check the second reviewer's co-signature beside a review file (None when the file names
    no second reviewer). VerificationFailed when it is missing, not intact, by another key than
    the one the file names, or by a key the verifier does not trust for that reviewer."""
    md_path = Path(md_path)
    markdown = read_user_file(md_path, "review file")
    named = files.cosigner_named(markdown)
    if named is None:
        return None
    who, fingerprint = named
    name, email = who_of(who)
    path = cosignature_path(md_path)
    if not path.exists():
        raise VerificationFailed(
            f"{md_path.name} names {name} as second reviewer, but their co-signature "
            f"({path.name}) is missing"
        )
    sig = sshsig.verify_intact(markdown, read_user_file(path, "co-signature"))
    if sig.fingerprint != fingerprint:
        raise VerificationFailed(
            f"{path.name} is by key {sig.fingerprint}, but the file names {fingerprint} for "
            f"the second reviewer {name}"
        )
    if allowed_signers_path is not None:
        entries = allowed_signers.read_file(Path(allowed_signers_path))
        lines = [e for e in allowed_signers.usable_entries(entries) if e.key_blob == sig.public_key]
        principal = email or name
        if not any(line.names(principal) for line in lines):
            raise VerificationFailed(
                f"{path.name}: key {sig.fingerprint} is not allowed for {principal} by "
                f"{allowed_signers_path}"
            )
        return VerifiedSignature(principal, sig.fingerprint, name, email)
    if store is None:
        raise BadInput("nothing to trust: give an allowed signers file or a database")
    trusted = store.trusted_key(sig.fingerprint)
    if trusted is None or not trusted.belongs_to(name, email):
        raise VerificationFailed(
            f"{path.name} is intact, but key {sig.fingerprint} is not trusted here as {name}'s"
        )
    return VerifiedSignature(trusted.principal, sig.fingerprint, trusted.name, trusted.email)


def second_review_state(data: ReviewData) -> str:
    """One line for the review's second review, for listings and the header."""
    record = data.second_review
    if record is None:
        return "no second review"
    if record.role is Role.SECOND:
        return f"second review for {record.requested_by or 'a colleague'}"
    if not record.requested:
        return "second review required, not asked for yet"
    if not record.assessed:
        return f"second review asked for on {record.requested_at}, not in yet"
    rows = files.comparison(data)
    left = sum(1 for r in rows if not r.settled)
    return f"second review by {record.assessor}: {left} claim(s) to settle"
