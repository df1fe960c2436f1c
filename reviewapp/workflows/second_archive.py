"""Sending a second review's files through the shared archive instead of by hand: the request,
the colleague's signed assessment, and the co-signature of the signed-off review.

Each is the same file the bundle way writes, committed (signed) and pushed with
``archive.publish_files``; the colleague's or the first editor's ``archive pull`` brings it in
(``archive_second.pull_second``, and co-signatures with the review they sign). The CLI and the
GUI both call these.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput
from reviewapp.export import second_review as files
from reviewapp.secrets import SecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows import archive_files, second_review
from reviewapp.workflows.archive import (
    Published,
    archive_path,
    open_archive,
    publish_files,
    pull_archive,
)
from reviewapp.workflows.archive_second import addressed_path, assessment_path, request_path
from reviewapp.workflows.second_record import cosign_record


@dataclass(frozen=True)
class SentRequest:
    request: files.SecondRequest
    published: Published
    path: str  # where the request is in the archive


def request_through_archive(
    store: ReviewStore,
    secrets: SecretStore,
    db_path: Path,
    review_id: int,
    to: list[str] | None = None,
    requested_by: str = "",
    cancel: threading.Event | None = None,
) -> SentRequest:
    """Push the blind request to second/<review uid>/ (addressed to the emails in to, or to
    anyone), then record that the review asked. Nothing is recorded when the push fails."""
    addressees = [email.strip() for email in (to or []) if email.strip()]
    for email in addressees:
        check_one_line(email, "the colleague's email")
        if "@" not in email or any(c.isspace() for c in email):
            raise BadInput(f"--to needs an email address, not {email!r}")
    open_archive(db_path)  # no archive: say so before anything else
    request = second_review.build_request(store, review_id, requested_by)
    uid = request.review_uid
    contents = {
        request_path(uid): files.request_json(request),
        addressed_path(uid): "".join(f"{email}\n" for email in addressees).encode(),
    }
    for_whom = f" for {', '.join(addressees)}" if addressees else ""
    published = publish_files(
        store,
        secrets,
        db_path,
        contents,
        f"Ask for a second review of {uid}{for_whom}",
        cancel=cancel,
    )
    second_review.record_request(store, review_id, request)
    return SentRequest(request, published, request_path(uid))


@dataclass(frozen=True)
class SentAssessment:
    signed: second_review.SignedAssessment
    published: Published
    path: str


def sign_through_archive(
    store: ReviewStore,
    secrets: SecretStore,
    db_path: Path,
    review_id: int,
    reviewer: str = "",
    email: str = "",
    cancel: threading.Event | None = None,
) -> SentAssessment:
    """Sign the assessment (as ``second sign``) and push it to
    second/<review uid>/assessment-<key>.json."""
    open_archive(db_path)
    signed = second_review.sign_assessment(store, review_id, reviewer, email, secrets)
    a = signed.assessment
    path = assessment_path(a.review_uid, a.fingerprint)
    published = publish_files(
        store,
        secrets,
        db_path,
        {path: signed.content},
        f"Second assessment of {a.review_uid} by {a.assessor_email or a.assessor}",
        reviewer=a.assessor,
        cancel=cancel,
    )
    return SentAssessment(signed, published, path)


@dataclass(frozen=True)
class SentCosignature:
    cosigned: second_review.Cosigned
    published: Published
    path: str


def cosign_through_archive(
    store: ReviewStore,
    secrets: SecretStore,
    db_path: Path,
    md_path: Path,
    cancel: threading.Event | None = None,
    output: Path | None = None,
) -> SentCosignature:
    """Co-sign (as ``second cosign``: the record checked, FILE.md.second.sig or output written)
    and push the co-signature beside the review's Markdown in the archive, which must be these
    very bytes."""
    copy = open_archive(db_path)
    done = cosign_record(store, md_path, secrets, output)
    uid = files.review_uid_named(done.markdown)
    pulled = pull_archive(store, db_path, cancel)
    if pulled.refused:
        raise BadInput(
            f"co-signed {done.path.name}, but not pushed: the archive holds files that failed "
            f"verification; first: {pulled.refused[0]}"
        )
    folder = next(
        (
            p.relative_to(copy.path).as_posix()
            for p in sorted((copy.path / archive_files.REVIEWS).glob("*/*/*"))
            if archive_files.uid_of_folder(p.name) == uid and p.is_dir()
        ),
        None,
    )
    if folder is None:
        raise BadInput(
            f"co-signed {done.path.name}, but the archive at {archive_path(db_path)} holds no "
            f"review with uid {uid} yet: ask the first editor to push it (reviewapp archive "
            f"push), or send {done.path.name} by hand"
        )
    archived = copy.path / folder / archive_files.MARKDOWN
    if archived.read_bytes() != done.markdown:
        raise BadInput(
            f"co-signed {done.path.name}, but {folder}/{archive_files.MARKDOWN} in the archive "
            "is another sign-off of that review; not pushed"
        )
    path = f"{folder}/{archive_files.COSIGNATURE}"
    name = next((r.name for r in store.reviewers() if r.fingerprint == done.fingerprint), "")
    published = publish_files(
        store,
        secrets,
        db_path,
        {path: done.path.read_bytes()},
        f"Co-sign {folder.rsplit('/', 1)[-1]} as second reviewer",
        reviewer=name,
        cancel=cancel,
    )
    return SentCosignature(done, published, path)
