"""The machine-readable record of a sign-off: an in-toto Statement v1 about the reviewed text and
the signed Markdown, with our review predicate (docs/attestation.md describes every field).

This module only builds and reads the statement (JSON bytes); signing/dsse.py wraps it in a
signed envelope and workflows/ ties the two.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from reviewapp import __version__
from reviewapp.core.errors import VerificationFailed
from reviewapp.core.model import ReviewData
from reviewapp.core.states import ClaimStatus
from reviewapp.export.accountability import accountability_json
from reviewapp.export.common import article_title, article_url, generator

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://reviewapp.dev/attestation/review/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"  # the DSSE payloadType of an in-toto statement
ATTESTATION_SUFFIX = ".intoto.json"

# What each subject is, in annotations["role"]: a consumer finds them by role, not by position.
ROLE_TEXT = "reviewed-text"
ROLE_RECORD = "signed-review"
TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"
RECORD_MEDIA_TYPE = "text/markdown; charset=utf-8"
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SignerFacts:
    """Who signed and when: the same facts as the signed Markdown's sign-off section."""

    name: str
    email: str
    fingerprint: str
    signed_at: str


def attestation_name(markdown_name: str) -> str:
    """NAME.intoto.json for NAME.md (any other name gets the suffix added)."""
    stem = markdown_name[:-3] if markdown_name.endswith(".md") else markdown_name
    return stem + ATTESTATION_SUFFIX


def _record_fields(data: ReviewData) -> dict[str, Any]:
    """The AI Act record of the review, for the predicate (docs/attestation.md): whether it was
    recorded at all (reviews made before schema 6 were not), then aiInvolvement,
    editorialResponsibility and reviewScope in the bundle's shape, camelCased."""
    if not data.accountability_recorded:
        return {"accountabilityRecorded": False}
    record = accountability_json(data)
    return {
        "accountabilityRecorded": True,
        "aiInvolvement": _camel(record["ai_involvement"]),
        "editorialResponsibility": _camel(record["editorial_responsibility"]),
        "reviewScope": _camel(record["review_scope"]),
    }


def _camel(value: Any) -> Any:
    """snake_case keys as the camelCase the in-toto world writes; values as JSON holds them."""
    if isinstance(value, dict):
        return {
            re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), str(k)): _camel(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_camel(v) for v in value]
    return value


def claim_counts(data: ReviewData) -> dict[str, int]:
    """How many claims have each status, every status named (0 when none)."""
    counts = Counter(claim.status for claim in data.claims)
    return {str(status): counts.get(status, 0) for status in ClaimStatus}


def review_statement(
    data: ReviewData, markdown: bytes, signer: SignerFacts, markdown_name: str
) -> bytes:
    """The statement as JSON bytes: subjects the reviewed text and the signed Markdown.

    data is the review as it was signed (the revision the sign-off covers); markdown the exact
    signed bytes; markdown_name the name the record is exported under by default.
    """
    revision = data.revision
    subject_text: dict[str, Any] = {
        "name": "article-text",
        "digest": {"sha256": revision.content_hash},
        "mediaType": TEXT_MEDIA_TYPE,
        "annotations": {"role": ROLE_TEXT},
    }
    if article_url(data):
        subject_text["uri"] = article_url(data)
    record_sha256 = hashlib.sha256(markdown).hexdigest()
    subject_record: dict[str, Any] = {
        "name": markdown_name,
        "digest": {"sha256": record_sha256},
        "mediaType": RECORD_MEDIA_TYPE,
        "annotations": {"role": ROLE_RECORD},
    }
    predicate: dict[str, Any] = {
        "reviewId": data.review.id,
        "article": {
            "title": article_title(data),
            "url": article_url(data),
            "revision": revision.number,
            "importedAt": revision.imported_at,
            "contentSha256": revision.content_hash,
        },
        "verdict": str(data.review.verdict),
        "claims": {"total": len(data.claims), "byStatus": claim_counts(data)},
        "reviewer": {
            "name": signer.name,
            "email": signer.email,
            "keyFingerprint": signer.fingerprint,
        },
        "signedAt": signer.signed_at,
        "signedRecord": {
            "sha256": record_sha256,
            "signatureFormat": "sshsig",
            "signatureNamespace": "reviewapp",
        },
        "generator": generator(__version__),
        **_record_fields(data),
    }
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [subject_text, subject_record],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }
    return (json.dumps(statement, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class ReadStatement:
    """What a verifier needs from a statement: the two digests and the predicate."""

    text_sha256: str
    record_sha256: str
    predicate: dict[str, Any]


def read_statement(payload: bytes) -> ReadStatement:
    """Parse a statement of ours; VerificationFailed with a one-line reason otherwise."""
    try:
        statement = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise VerificationFailed(f"the attestation's statement is not JSON ({exc})") from exc
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        raise VerificationFailed(f"the attestation is not an in-toto statement ({STATEMENT_TYPE})")
    if statement.get("predicateType") != PREDICATE_TYPE:
        raise VerificationFailed(
            f"the attestation's predicate is {statement.get('predicateType')!r}, not a "
            f"reviewapp review ({PREDICATE_TYPE})"
        )
    predicate, subjects = statement.get("predicate"), statement.get("subject")
    if not isinstance(predicate, dict) or not isinstance(subjects, list):
        raise VerificationFailed("the attestation's statement has no subject list or predicate")
    return ReadStatement(
        text_sha256=_subject_digest(subjects, ROLE_TEXT),
        record_sha256=_subject_digest(subjects, ROLE_RECORD),
        predicate=predicate,
    )


def _subject_digest(subjects: list[Any], role: str) -> str:
    """The sha256 of the one subject with this role."""
    found = [
        s
        for s in subjects
        if isinstance(s, dict)
        and isinstance(s.get("annotations"), dict)
        and s["annotations"].get("role") == role
    ]
    if len(found) != 1:
        raise VerificationFailed(f"the attestation must name exactly one {role} subject")
    digest = found[0].get("digest")
    value = digest.get("sha256") if isinstance(digest, dict) else None
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise VerificationFailed(f"the attestation's {role} subject has no SHA-256 digest")
    return value
