"""The files of a second review (core/second_review.py) and its section of the signed record.

- The request (``.second-request.json``): the article text and blocks of one revision, and the
  claims' passages by stable id. It is blind: none of the first editor's statuses, notes,
  corrections, sources, takeaways or verdict is in it, so the colleague cannot be swayed.
- The assessment: a Markdown document the second editor signs (like a sign-off) that ends in a
  fenced JSON record of the same facts; the importer re-renders the Markdown from that record
  and requires the very same bytes, so the readable part and the record cannot disagree. It
  travels with its signature in ``.second-assessment.json``.
- The "Second review" section of the first editor's sign-off Markdown, which names the second
  reviewer's key; the second editor co-signs that same file (NAME.md.second.sig).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from reviewapp.core.errors import BadInput
from reviewapp.core.model import META_FIELDS, ArticleMeta, ReviewData
from reviewapp.core.second_review import (
    Agreement,
    ClaimFacts,
    ComparedClaim,
    Role,
    SecondClaim,
    SecondReviewRecord,
    Settlement,
    compare,
    status_label,
)
from reviewapp.core.states import ClaimStatus, UnknownState
from reviewapp.core.text import Document, content_hash, document_from_json
from reviewapp.export import mdtext as md
from reviewapp.export.boundedjson import load_bounded
from reviewapp.export.frontmatter import front_matter

REQUEST_FORMAT = "reviewapp-second-review-request"
ASSESSMENT_FORMAT = "reviewapp-second-assessment"
VERSION = 1
COSIGNATURE_SUFFIX = ".second.sig"  # NAME.md.second.sig beside NAME.md and NAME.md.sig
MAX_FILE_BYTES = 64 * 1024 * 1024


# ---------------------------------------------------------------------- the request
@dataclass(frozen=True)
class RequestedClaim:
    claim_id: str  # the first editor's stable id
    number: int
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class SecondRequest:
    """A request for a second review, as sent: blind by construction (no field can hold a
    status, note, correction or source)."""

    review_uid: str
    requested_by: str
    requested_by_email: str
    requested_at: str
    meta: ArticleMeta
    document: Document
    claims: tuple[RequestedClaim, ...]

    @property
    def content_hash(self) -> str:
        return self.document.content_hash


def request_json(request: SecondRequest) -> bytes:
    """The request file's bytes."""
    data = {
        "format": REQUEST_FORMAT,
        "version": VERSION,
        "review_uid": request.review_uid,
        "requested_by": request.requested_by,
        "requested_by_email": request.requested_by_email,
        "requested_at": request.requested_at,
        "article": {name: getattr(request.meta, name) for name in META_FIELDS},
        "revision": {
            "content_hash": request.content_hash,
            "text": request.document.text,
            "blocks": request.document.blocks_json(),
        },
        "claims": [
            {"id": c.claim_id, "number": c.number, "quote": c.quote, "start": c.start, "end": c.end}
            for c in request.claims
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def file_format(content: bytes) -> tuple[str, dict[str, Any]]:
    """The format a second-review file names, and its JSON object (bounded: no depth or size
    bomb gets through); BadInput when it is not JSON or names no format."""
    data = load_bounded(
        content, lambda reason: BadInput(f"the file is not a second-review file: {reason}")
    )
    if not isinstance(data, dict) or not isinstance(data.get("format"), str):
        raise BadInput("the file is not a second-review file (it names no format)")
    return data["format"], data


def _loads(content: bytes, what: str, expected: str) -> dict[str, Any]:
    fmt, data = file_format(content)
    if fmt != expected:
        raise BadInput(f"the file is not a {what} (format {expected!r} expected)")
    if data.get("version") != VERSION:
        raise BadInput(f"the {what} has version {data.get('version')!r}; this reviewapp reads 1")
    return data


def _text(data: dict[str, Any], key: str, what: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise BadInput(f"the {what} has no text for {key!r}")
    return value


def read_request(content: bytes) -> SecondRequest:
    """Parse and check a request file; BadInput (one line) when it is not a sound one."""
    what = "second-review request"
    data = _loads(content, what, REQUEST_FORMAT)
    revision, article = data.get("revision"), data.get("article")
    if not isinstance(revision, dict) or not isinstance(article, dict):
        raise BadInput(f"the {what} has no article revision")
    text = _text(revision, "text", what)
    blocks = revision.get("blocks")
    if not isinstance(blocks, list):
        raise BadInput(f"the {what} has no text blocks")
    try:
        document = document_from_json(text, blocks)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadInput(f"the {what}'s text blocks do not make its text ({exc})") from exc
    if content_hash(text) != revision.get("content_hash"):
        raise BadInput(f"the {what}'s text does not match its content hash")
    authors = article.get("authors", [])
    fields: dict[str, Any] = {name: str(article.get(name, "")) for name in META_FIELDS}
    fields["authors"] = [str(a) for a in authors] if isinstance(authors, list) else []
    meta = ArticleMeta(**fields)
    claims = []
    raw_claims = data.get("claims")
    if not isinstance(raw_claims, list):
        raise BadInput(f"the {what} has no claims list")
    for n, c in enumerate(raw_claims, 1):
        try:
            claim = RequestedClaim(
                str(c["id"]), int(c["number"]), str(c["quote"]), int(c["start"]), int(c["end"])
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BadInput(f"claim {n} of the {what} is incomplete ({exc})") from exc
        if not (0 <= claim.start < claim.end <= len(text)) or (
            text[claim.start : claim.end] != claim.quote
        ):
            raise BadInput(f"claim {n} of the {what} is not a passage of its text")
        claims.append(claim)
    if len({c.claim_id for c in claims}) != len(claims):
        raise BadInput(f"the {what} names a claim twice")
    uid = _text(data, "review_uid", what)
    if not re.fullmatch(r"[0-9a-f]{16}", uid):
        raise BadInput(f"the {what} has no review uid")
    return SecondRequest(
        review_uid=uid,
        requested_by=_text(data, "requested_by", what),
        requested_by_email=str(data.get("requested_by_email", "")),
        requested_at=_text(data, "requested_at", what),
        meta=meta,
        document=document,
        claims=tuple(claims),
    )


# ---------------------------------------------------------------------- the assessment
@dataclass(frozen=True)
class Assessment:
    """The second editor's signed facts: what they assessed, how, and who they are."""

    review_uid: str
    content_hash: str
    title: str
    assessor: str
    assessor_email: str
    fingerprint: str
    assessed_at: str
    claims: tuple[SecondClaim, ...]

    @property
    def claim_ids(self) -> tuple[str, ...]:
        return tuple(c.claim_id for c in self.claims)


def _assessment_record(a: Assessment) -> str:
    record = {
        "format": ASSESSMENT_FORMAT,
        "version": VERSION,
        "review_uid": a.review_uid,
        "content_sha256": a.content_hash,
        "title": a.title,
        "assessor": a.assessor,
        "assessor_email": a.assessor_email,
        "key_fingerprint": a.fingerprint,
        "assessed_at": a.assessed_at,
        "claims": [
            {
                "id": c.claim_id,
                "quote": c.quote,
                "status": str(c.status),
                "note": c.note,
                "sources": list(c.sources),
            }
            for c in a.claims
        ],
    }
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True)


def render_assessment(a: Assessment) -> bytes:
    """The Markdown the second editor signs; the same assessment always gives the same bytes."""
    who = md.inline(a.assessor) + (f" ({md.inline(a.assessor_email)})" if a.assessor_email else "")
    parts = [
        front_matter(
            [
                ("second_assessment_of", a.review_uid),
                ("content_sha256", a.content_hash),
                ("reviewer", a.assessor),
                ("reviewer_email", a.assessor_email),
                ("key_fingerprint", a.fingerprint),
                ("signed_at", a.assessed_at),
            ]
        ),
        f"# Second review: {md.inline(a.title or 'Untitled')}",
        f"Assessed independently by {who} on {md.inline(a.assessed_at)}, without seeing the "
        "first editor's statuses, notes, corrections or sources.",
        "## Claims",
    ]
    for n, claim in enumerate(a.claims, 1):
        label = status_label(claim.status)
        lines = [
            f"### Claim {n} ({md.code_span(claim.claim_id)})",
            "\n".join(f"> {md.inline(line)}" for line in claim.quote.split("\n")),
            f"- **Status:** {md.inline(label)}",
        ]
        if claim.note.strip():
            lines.append(f"- **Note:** {md.inline(claim.note)}")
        for source in claim.sources:
            lines.append(f"- **Source:** {md.inline(source)}")
        parts.append("\n\n".join(lines))
    parts += ["## Record", md.fenced_block(_assessment_record(a), "json")]
    return ("\n\n".join(parts) + "\n").encode()


def assessment_file(markdown: bytes, signature: str) -> bytes:
    """The file sent back: the signed Markdown and its signature."""
    data = {
        "format": ASSESSMENT_FORMAT,
        "version": VERSION,
        "markdown": markdown.decode("utf-8"),
        "signature": signature,
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def read_assessment_file(content: bytes) -> tuple[bytes, str]:
    """The signed Markdown and its signature from an assessment file."""
    what = "second assessment"
    data = _loads(content, what, ASSESSMENT_FORMAT)
    return _text(data, "markdown", what).encode("utf-8"), _text(data, "signature", what)


_RECORD = re.compile(r"\n## Record\n\n```+json\n(.*)\n```+\n\Z", re.DOTALL)


def read_assessment(markdown: bytes) -> Assessment:
    """The assessment a signed Markdown states; BadInput unless the Markdown is exactly what
    its own record renders to."""
    what = "second assessment"
    found = _RECORD.search(markdown.decode("utf-8", errors="replace"))
    if found is None:
        raise BadInput(f"the {what} has no record")
    try:
        data = json.loads(found.group(1))
        claims = _claims(data["claims"])
        assessment = Assessment(
            review_uid=str(data["review_uid"]),
            content_hash=str(data["content_sha256"]),
            title=str(data["title"]),
            assessor=str(data["assessor"]),
            assessor_email=str(data["assessor_email"]),
            fingerprint=str(data["key_fingerprint"]),
            assessed_at=str(data["assessed_at"]),
            claims=claims,
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"the {what}'s record cannot be read ({exc})") from exc
    if render_assessment(assessment) != markdown:
        raise BadInput(f"the {what}'s text does not match its record")
    return assessment


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# ---------------------------------------------------------------------- the sign-off section
def comparison(data: ReviewData) -> list[ComparedClaim]:
    """The review's claims compared with its second review (empty when none is in)."""
    record = data.second_review
    if record is None or not record.assessed:
        return []
    facts = [ClaimFacts(c.number, c.stable_id, c.quote, c.status, c.note) for c in data.claims]
    return compare(facts, record)


SECOND_HEADING = "## Second review"
SECOND_REVIEWER_FIELD = "- **Second reviewer:** "
SECOND_KEY_FIELD = "- **Second reviewer's key:** "
REVIEW_UID_FIELD = "- **Review uid:** "


def markdown_section(data: ReviewData) -> list[str]:
    """The "Second review" section of the review's Markdown, when a second assessment is in."""
    record = data.second_review
    if record is None or not record.assessed:
        return []
    return _section(record, comparison(data))


def section_text(record: SecondReviewRecord, rows: list[ComparedClaim]) -> str:
    """The section as it stands in the Markdown (its parts joined as the document joins them)."""
    return "\n\n".join(_section(record, rows))


def _section(record: SecondReviewRecord, rows: list[ComparedClaim]) -> list[str]:
    who = md.inline(record.assessor) + (
        f" ({md.inline(record.assessor_email)})" if record.assessor_email else ""
    )
    facts = "\n".join(
        [
            f"{SECOND_REVIEWER_FIELD}{who}",
            f"{SECOND_KEY_FIELD}{md.code_span(record.assessor_fingerprint)}",
            f"- **Signed assessment (SHA-256):** {md.code_span(record.assessment_sha256)}",
            f"- **Assessed at (UTC):** {md.inline(record.assessed_at)}",
            f"{REVIEW_UID_FIELD}{md.code_span(record.review_uid)}",
        ]
    )
    table = ["| # | This review | Second reviewer | Comparison |", "| ---: | --- | --- | --- |"]
    details = []
    for row in rows:
        table.append(
            f"| {row.number} | {md.cell(status_label(row.first_status))} "
            f"| {md.cell(status_label(row.second_status))} | {md.cell(str(row.agreement))} |"
        )
        if row.agreement is Agreement.AGREE and not (row.first_note or row.second_note):
            continue
        lines = [f"- **Claim {row.number}:** {md.inline(str(row.agreement))}"]
        lines.append(f"  - This review's note: {md.inline(row.first_note or '(none)')}")
        lines.append(f"  - Second reviewer's note: {md.inline(row.second_note or '(none)')}")
        if row.settlement is not None:
            s = row.settlement
            lines.append(
                f"  - Settled as {md.inline(status_label(s.status))} by {md.inline(s.settled_by)} "
                f"on {md.inline(s.settled_at)}: {md.inline(s.note)}"
            )
        details.append("\n".join(lines))
    return [
        SECOND_HEADING,
        f"The claims of this review were assessed independently by {who}, who did not see "
        "this review's statuses, notes or sources and signed that assessment. Claims the two "
        "did not agree on were settled by the reviewer who signs this file.",
        facts,
        "\n".join(table),
        *(["\n\n".join(details)] if details else []),
        "The second reviewer co-signs this very file: their signature is the file of the same "
        f"name with {md.code_span(COSIGNATURE_SUFFIX.removeprefix('.'))} added in place of "
        "`sig`, verified like the first (`reviewapp verify` checks both).",
    ]


def cosigner_named(markdown: bytes) -> tuple[str, str] | None:
    """(who, key fingerprint) of the second reviewer a signed Markdown names, if any."""
    lines = markdown.decode("utf-8", errors="replace").split("\n")
    if SECOND_HEADING not in lines:
        return None
    section = lines[lines.index(SECOND_HEADING) :]
    who = [
        ln[len(SECOND_REVIEWER_FIELD) :] for ln in section if ln.startswith(SECOND_REVIEWER_FIELD)
    ]
    keys = [
        ln[len(SECOND_KEY_FIELD) :].strip("`") for ln in section if ln.startswith(SECOND_KEY_FIELD)
    ]
    if len(who) != 1 or len(keys) != 1:
        return None
    return who[0], keys[0]


def review_uid_named(markdown: bytes) -> str:
    """The review uid the "Second review" section of a signed Markdown names ('' if none)."""
    lines = markdown.decode("utf-8", errors="replace").split("\n")
    if SECOND_HEADING not in lines:
        return ""
    section = lines[lines.index(SECOND_HEADING) :]
    found = [
        ln[len(REVIEW_UID_FIELD) :].strip("`") for ln in section if ln.startswith(REVIEW_UID_FIELD)
    ]
    return found[0] if len(found) == 1 else ""


# ---------------------------------------------------------------------- in a review's bundle
def record_json(record: SecondReviewRecord | None) -> dict[str, Any] | None:
    """review.second_review of a bundle: what re-renders the signed section (None: no key)."""
    if record is None:
        return None
    return {
        "role": str(record.role),
        "required": record.required,
        "review_uid": record.review_uid,
        "content_hash": record.content_hash,
        "claim_ids": list(record.claim_ids),
        "requested_at": record.requested_at,
        "requested_by": record.requested_by,
        "assessor": record.assessor,
        "assessor_email": record.assessor_email,
        "assessor_fingerprint": record.assessor_fingerprint,
        "assessment_sha256": record.assessment_sha256,
        "assessed_at": record.assessed_at,
        "claims": [
            {
                "id": c.claim_id,
                "quote": c.quote,
                "status": str(c.status),
                "note": c.note,
                "sources": list(c.sources),
            }
            for c in record.claims
        ],
        "settlements": [
            {
                "id": s.claim_id,
                "status": str(s.status),
                "note": s.note,
                "settled_by": s.settled_by,
                "settled_at": s.settled_at,
            }
            for s in record.settlements
        ],
    }


def record_from_json(value: object) -> SecondReviewRecord | None:
    """The record a bundle's review.second_review holds; BadInput when it is malformed."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadInput("review.second_review is not an object")
    try:
        return SecondReviewRecord(
            role=Role(value["role"]),
            required=bool(value["required"]),
            review_uid=str(value["review_uid"]),
            content_hash=str(value["content_hash"]),
            claim_ids=tuple(str(c) for c in value["claim_ids"]),
            requested_at=str(value["requested_at"]),
            requested_by=str(value["requested_by"]),
            assessor=str(value["assessor"]),
            assessor_email=str(value["assessor_email"]),
            assessor_fingerprint=str(value["assessor_fingerprint"]),
            assessment_sha256=str(value["assessment_sha256"]),
            assessed_at=str(value["assessed_at"]),
            claims=_claims(value["claims"]),
            settlements=tuple(
                Settlement(
                    str(s["id"]),
                    ClaimStatus.parse(s["status"]),
                    str(s["note"]),
                    str(s["settled_by"]),
                    str(s["settled_at"]),
                )
                for s in value["settlements"]
            ),
        )
    except (KeyError, TypeError, ValueError, UnknownState) as exc:
        raise BadInput(f"review.second_review cannot be read ({exc})") from exc


def _claims(items: Any) -> tuple[SecondClaim, ...]:
    """The assessed claims of a record (KeyError, TypeError or ValueError when malformed)."""
    return tuple(
        SecondClaim(
            str(c["id"]),
            str(c["quote"]),
            ClaimStatus.parse(c["status"]),
            str(c["note"]),
            tuple(str(s) for s in c["sources"]),
        )
        for c in items
    )
