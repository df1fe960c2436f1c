"""The JSON bundle: a lossless copy of one review, for moving it to another database.

Holds the article revision(s) (text, blocks, metadata, raw source bytes in base64), the review,
claims with their selectors and anchor states, sources, claim-source links, takeaways and
sign-offs (the signed Markdown bytes in base64 and the SSH signature). ``read_bundle`` checks a
bundle's shape and internal consistency before anything is imported.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from reviewapp import __version__
from reviewapp.core import scales
from reviewapp.core.errors import BadInput
from reviewapp.core.model import Claim, ReviewData, Revision, Signoff, Source
from reviewapp.core.text import content_hash, document_from_json
from reviewapp.export.common import generator

BUNDLE_FORMAT = "reviewapp-bundle"
BUNDLE_VERSION = 1


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _revision(revision: Revision, raw: bytes | None) -> dict[str, Any]:
    meta = revision.meta
    return {
        "id": revision.id,
        "number": revision.number,
        "content_hash": revision.content_hash,
        "text": revision.text,
        "blocks": [block.to_json() for block in revision.blocks],
        "meta": {
            "title": meta.title,
            "authors": list(meta.authors),
            "site": meta.site,
            "url": meta.url,
            "canonical_url": meta.canonical_url,
            "published": meta.published,
            "description": meta.description,
        },
        "imported_at": revision.imported_at,
        "importer": revision.importer,
        "source_name": revision.source_name,
        "raw_type": revision.raw_type,
        "raw_base64": None if raw is None else _b64(raw),
    }


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "number": claim.number,
        "revision_id": claim.revision_id,
        "selectors": {
            "quote": {"exact": claim.quote, "prefix": claim.prefix, "suffix": claim.suffix},
            "position": {"start": claim.start, "end": claim.end},
        },
        "anchor_state": claim.anchor_state,
        "previous_quote": claim.previous_quote,
        "status": claim.status,
        "note": claim.note,
        "correction": claim.correction,
        "source_override": claim.source_override,
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "author": source.author,
        "published": source.published,
        "accessed_at": source.accessed_at,
        "archive_url": source.archive_url,
        "archive_date": source.archive_date,
        "kind": source.kind,
        "credibility": source.credibility,
        "note": source.note,
        "created_at": source.created_at,
        "updated_at": source.updated_at,
    }


def _signoff(signoff: Signoff) -> dict[str, Any]:
    return {
        "id": signoff.id,
        "revision_id": signoff.revision_id,
        "reviewer": signoff.reviewer,
        "email": signoff.email,
        "fingerprint": signoff.fingerprint,
        "signed_at": signoff.signed_at,
        "superseded_at": signoff.superseded_at,
        "markdown_base64": _b64(signoff.markdown),
        "signature": signoff.signature,
    }


def bundle_dict(
    data: ReviewData,
    revisions: Sequence[Revision] | None = None,
    raw: Mapping[int, bytes] | None = None,
    app_version: str = __version__,
) -> dict[str, Any]:
    """The bundle as a dict. revisions: every revision of the article (default: the review's
    own); raw: revision id -> the raw source bytes (missing ones are stored as null)."""
    raw = raw or {}
    chosen = {r.id: r for r in (revisions or ())}
    chosen.setdefault(data.revision.id, data.revision)
    # Revisions a claim or sign-off still points at must travel with the bundle.
    needed = {c.revision_id for c in data.claims} | {s.revision_id for s in data.signoffs}
    missing = needed - set(chosen)
    if missing:
        raise BadInput(
            f"the bundle needs revision(s) {', '.join(map(str, sorted(missing)))} of the article"
        )
    review = data.review
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "generator": generator(app_version),
        "revisions": [
            _revision(r, raw.get(r.id)) for r in sorted(chosen.values(), key=lambda r: r.number)
        ],
        "review": {
            "id": review.id,
            "revision_id": review.revision_id,
            "reviewer": review.reviewer,
            "status": review.status,
            "verdict": review.verdict,
            "created_at": review.created_at,
            "updated_at": review.updated_at,
        },
        "claims": [_claim(c) for c in data.claims],
        "sources": [_source(s) for s in data.sources],
        "links": [
            {"claim_id": c.id, "source_id": s} for c in data.claims for s in sorted(c.source_ids)
        ],
        "takeaways": [
            {"id": t.id, "text": t.text, "kind": t.kind, "position": t.position}
            for t in data.takeaways
        ],
        "signoffs": [_signoff(s) for s in data.signoffs],
    }


def render_bundle(
    data: ReviewData,
    revisions: Sequence[Revision] | None = None,
    raw: Mapping[int, bytes] | None = None,
    app_version: str = __version__,
) -> bytes:
    """The bundle as UTF-8 JSON (see bundle_dict for the arguments)."""
    text = json.dumps(bundle_dict(data, revisions, raw, app_version), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


class RevisionArchive(Protocol):
    """What the bundle needs beyond ReviewData (ReviewStore has both methods)."""

    def revisions(self, article_id: int) -> list[Revision]: ...

    def raw_source(self, revision_id: int) -> tuple[bytes, str]: ...


def store_bundle(archive: RevisionArchive, data: ReviewData) -> bytes:
    """The complete bundle: every revision of the article, each with its raw source bytes."""
    revisions = archive.revisions(data.review.article_id)
    raw = {r.id: archive.raw_source(r.id)[0] for r in revisions}
    return render_bundle(data, revisions=revisions, raw=raw)


# ---------------------------------------------------------------------- reading
def _fail(message: str) -> BadInput:
    return BadInput(f"not a valid reviewapp bundle: {message}")


def _get(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise _fail(f"{where} has no {key!r}")
    value = obj[key]
    # bool is an int in Python; a JSON true is never a valid id or offset here.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise _fail(f"{where}.{key} has the wrong type")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _decode(value: str, where: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _fail(f"{where} is not base64 ({exc})") from exc


def _check_revision(rev: Any, n: int) -> None:
    where = f"revisions[{n}]"
    for key in ("id", "number"):
        _get(rev, key, int, where)
    text = _get(rev, "text", str, where)
    if content_hash(text) != _get(rev, "content_hash", str, where):
        raise _fail(f"{where}: the text does not match its content hash")
    try:
        document_from_json(text, _get(rev, "blocks", list, where))
    except (ValueError, KeyError, TypeError) as exc:
        raise _fail(f"{where}: the blocks do not make the text ({exc})") from exc
    meta = _get(rev, "meta", dict, where)
    for key in ("title", "site", "url", "canonical_url", "published", "description"):
        _get(meta, key, str, f"{where}.meta")
    authors = _get(meta, "authors", list, f"{where}.meta")
    if not all(isinstance(a, str) for a in authors):
        raise _fail(f"{where}.meta.authors must be a list of strings")
    for key in ("imported_at", "importer", "source_name", "raw_type"):
        _get(rev, key, str, where)
    raw = _get(rev, "raw_base64", (str, type(None)), where)
    rev["raw"] = None if raw is None else _decode(raw, f"{where}.raw_base64")


def _check_claim(claim: Any, n: int, texts: dict[int, str]) -> None:
    where = f"claims[{n}]"
    _get(claim, "id", int, where)
    revision_id = _get(claim, "revision_id", int, where)
    if revision_id not in texts:
        raise _fail(f"{where} points at revision {revision_id}, which is not in the bundle")
    selectors = _get(claim, "selectors", dict, where)
    quote = _get(selectors, "quote", dict, f"{where}.selectors")
    exact = _get(quote, "exact", str, f"{where}.selectors.quote")
    for key in ("prefix", "suffix"):
        _get(quote, key, str, f"{where}.selectors.quote")
    position = _get(selectors, "position", dict, f"{where}.selectors")
    start = _get(position, "start", (int, type(None)), f"{where}.selectors.position")
    end = _get(position, "end", (int, type(None)), f"{where}.selectors.position")
    state = _get(claim, "anchor_state", str, where)
    _choice(state, scales.ANCHOR_STATES, f"{where}.anchor_state")
    _choice(_get(claim, "status", str, where), scales.CLAIM_STATUS_KEYS, f"{where}.status")
    firm = state in scales.FIRM_ANCHOR_STATES
    if firm and (start is None or end is None or texts[revision_id][start:end] != exact):
        raise _fail(f"{where}: the quote is not at its stored position in its revision")
    for key in ("note", "correction", "source_override", "previous_quote", "created_at",
                "updated_at"):  # fmt: skip
        _get(claim, key, str, where)


def _choice(value: str, choices: Any, where: str) -> None:
    if value not in choices:
        raise _fail(f"{where} is {value!r}, which is not one of {', '.join(choices)}")


def _check_source(source: Any, n: int) -> None:
    where = f"sources[{n}]"
    _get(source, "id", int, where)
    for key in ("url", "title", "publisher", "author", "published", "accessed_at",
                "archive_url", "archive_date", "note", "created_at", "updated_at"):  # fmt: skip
        _get(source, key, str, where)
    _choice(_get(source, "kind", str, where), scales.SOURCE_KINDS, f"{where}.kind")
    _choice(_get(source, "credibility", str, where), scales.CREDIBILITY, f"{where}.credibility")


def _check_signoff(signoff: Any, n: int, revision_ids: set[int]) -> None:
    where = f"signoffs[{n}]"
    _get(signoff, "id", int, where)
    if _get(signoff, "revision_id", int, where) not in revision_ids:
        raise _fail(f"{where} points at a revision that is not in the bundle")
    for key in ("reviewer", "email", "fingerprint", "signed_at", "superseded_at", "signature"):
        _get(signoff, key, str, where)
    signoff["markdown"] = _decode(_get(signoff, "markdown_base64", str, where), where)


def _unique(values: list[Any], what: str) -> None:
    if len(set(values)) != len(values):
        raise _fail(f"its {what} repeat")


def read_bundle(content: bytes) -> dict[str, Any]:
    """Parse and check a bundle; returns its dict with "raw" and "markdown" bytes decoded.

    Raises BadInput naming the first problem. Signatures are not verified here (signing/ does).
    """
    try:
        bundle = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _fail("it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise _fail(f"it is not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise _fail(f"the format field is not {BUNDLE_FORMAT!r}")
    version = _get(bundle, "version", int, "bundle")
    if version > BUNDLE_VERSION:
        raise BadInput(
            f"this bundle is version {version}; this reviewapp reads up to {BUNDLE_VERSION}: "
            "update reviewapp"
        )
    revisions = _get(bundle, "revisions", list, "bundle")
    if not revisions:
        raise _fail("it has no article revision")
    for n, rev in enumerate(revisions):
        _check_revision(rev, n)
    _unique([rev["id"] for rev in revisions], "revision ids")
    _unique([rev["number"] for rev in revisions], "revision numbers")
    texts = {rev["id"]: rev["text"] for rev in revisions}
    review = _get(bundle, "review", dict, "bundle")
    if _get(review, "revision_id", int, "review") not in texts:
        raise _fail("the review points at a revision that is not in the bundle")
    _choice(_get(review, "status", str, "review"), scales.REVIEW_STATUSES, "review.status")
    verdict = _get(review, "verdict", str, "review")
    if verdict:
        _choice(verdict, scales.VERDICTS, "review.verdict")
    _get(review, "reviewer", str, "review")
    _get(review, "id", int, "review")
    for key in ("created_at", "updated_at"):
        _get(review, key, str, "review")
    claims = _get(bundle, "claims", list, "bundle")
    for n, claim in enumerate(claims):
        _check_claim(claim, n, texts)
    sources = _get(bundle, "sources", list, "bundle")
    for n, source in enumerate(sources):
        _check_source(source, n)
    _unique([c["id"] for c in claims], "claim ids")
    _unique([s["id"] for s in sources], "source ids")
    claim_ids, source_ids = {c["id"] for c in claims}, {s["id"] for s in sources}
    for n, link in enumerate(_get(bundle, "links", list, "bundle")):
        if _get(link, "claim_id", int, f"links[{n}]") not in claim_ids or (
            _get(link, "source_id", int, f"links[{n}]") not in source_ids
        ):
            raise _fail(f"links[{n}] names a claim or source that is not in the bundle")
    for n, takeaway in enumerate(_get(bundle, "takeaways", list, "bundle")):
        _get(takeaway, "text", str, f"takeaways[{n}]")
        _get(takeaway, "position", int, f"takeaways[{n}]")
        _choice(_get(takeaway, "kind", str, f"takeaways[{n}]"), scales.TAKEAWAY_KINDS,
                f"takeaways[{n}].kind")  # fmt: skip
    for n, signoff in enumerate(_get(bundle, "signoffs", list, "bundle")):
        _check_signoff(signoff, n, set(texts))
    return bundle
