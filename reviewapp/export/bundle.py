"""The JSON bundle: a lossless copy of one review, for moving it to another database.

Holds the article revision(s) (text, blocks, metadata, raw source bytes in base64), the review,
claims with their selectors and anchor states, sources, claim-source links, takeaways and
sign-offs (the signed Markdown bytes in base64 and the SSH signature). ``read_bundle`` checks a
bundle's shape and internal consistency before anything is imported.

Version 2 names claims, sources and takeaways by their stable ids (``c-7k3m9q2a``; see
core/stableids.py), and its links join those; takeaways carry their times. Version 1 named
them by the row ids of the library they came from (which a busy library cannot keep); it is
still read, and its items get new stable ids when imported.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any, Protocol

from reviewapp import __version__
from reviewapp.core import scales
from reviewapp.core.captures import Capture, is_sha256
from reviewapp.core.checks import check_one_line
from reviewapp.core.coverage import parse_key
from reviewapp.core.errors import BadInput
from reviewapp.core.model import (
    META_FIELDS,
    SOURCE_FIELDS,
    ArticleMeta,
    Claim,
    Cosignature,
    ReuseOrigin,
    Review,
    ReviewData,
    Revision,
    Signoff,
    Source,
    Takeaway,
)
from reviewapp.core.stableids import IdKind, example_id, is_stable_id
from reviewapp.core.states import Stance
from reviewapp.core.text import BLOCK_KINDS, content_hash, document_from_json
from reviewapp.core.userfiles import human_size, read_user_file
from reviewapp.export import second_review
from reviewapp.export.accountability import accountability_from_json, accountability_json
from reviewapp.export.boundedjson import MAX_VALUES, load_bounded
from reviewapp.export.common import generator
from reviewapp.export.coverage import suggestions_from_json, suggestions_json

BUNDLE_FORMAT = "reviewapp-bundle"
BUNDLE_VERSION = 5
# Version 1: claims, sources and takeaways named by row ids (takeaways without times).
ROW_ID_VERSION = 1
# Version 3 added review.accountability (AI involvement, editorial responsibility, scope); a
# review from an older bundle has them "not recorded".
ACCOUNTABILITY_VERSION = 3
# Version 4 added review.suggestions (whether coverage of check-worthy sentences was enforced,
# the threshold, the editor's dismissals; null for a review signed before the record carried
# them) and each claim's suggestion_key; older bundles have neither.
SUGGESTIONS_VERSION = 4
# Version 5 added "captures": each source's captures with their WARC bytes (base64). The key is
# optional when reading, so older bundles (and newer ones with no captures) read as before.
CAPTURES_VERSION = 5


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
        "id": claim.stable_id,
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
        "stance_override": claim.stance_override,
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        **_reused_from(claim.reused_from),
        "suggestion_key": claim.suggestion_key,
        # Only when known, so that bundles of claims made before authors were kept are as
        # they were; older bundles have none.
        **({"author": claim.author} if claim.author else {}),
    }


def _reused_from(origin: ReuseOrigin | None) -> dict[str, Any]:
    """The earlier check a claim reused ("Checked before"); no key at all for none, so the
    bundles of reviews that reused nothing are as they were."""
    if origin is None:
        return {}
    return {
        "reused_from": {
            "review_id": origin.review_id,
            "claim_number": origin.claim_number,
            "claim_id": origin.claim_stable_id,
            "review_title": origin.review_title,
        }
    }


def _reuse_origin_from(entry: dict[str, Any]) -> ReuseOrigin | None:
    value = entry.get("reused_from")
    if value is None:
        return None
    return ReuseOrigin(
        value["review_id"], value["claim_number"], value["claim_id"], value["review_title"]
    )


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.stable_id,
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


def _takeaway(takeaway: Takeaway) -> dict[str, Any]:
    return {
        "id": takeaway.stable_id,
        "text": takeaway.text,
        "kind": takeaway.kind,
        "position": takeaway.position,
        "created_at": takeaway.created_at,
        "updated_at": takeaway.updated_at,
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
        # only once the second reviewer's co-signature came back: other bundles stay as they were
        **({"cosignature": _cosignature(signoff.cosignature)} if signoff.cosignature else {}),
    }


def _cosignature(cosignature: Cosignature) -> dict[str, str]:
    return {
        "signature": cosignature.signature,
        "fingerprint": cosignature.fingerprint,
        "signer": cosignature.signer,
        "email": cosignature.email,
        "imported_at": cosignature.imported_at,
    }


def bundle_dict(
    data: ReviewData,
    revisions: Sequence[Revision] | None = None,
    raw: Mapping[int, bytes] | None = None,
    app_version: str = __version__,
    captures: Mapping[int, bytes] | None = None,
) -> dict[str, Any]:
    """The bundle as a dict. revisions: every revision of the article (default: the review's
    own); raw: revision id -> the raw source bytes (missing ones are stored as null);
    captures: capture id -> its WARC bytes (a capture without them is left out)."""
    raw = raw or {}
    captures = captures or {}
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
            "accountability": accountability_json(data),
            "suggestions": suggestions_json(data.suggestions),
            # only when the review has a second review: other bundles stay as they were
            **(
                {"second_review": second_review.record_json(data.second_review)}
                if data.second_review is not None
                else {}
            ),
        },
        "claims": [_claim(c) for c in data.claims],
        "sources": [_source(s) for s in data.sources],
        "links": _links(data),
        "takeaways": [_takeaway(t) for t in data.takeaways],
        "signoffs": [_signoff(s) for s in data.signoffs],
        "captures": [_capture(c, data, captures[c.id]) for c in data.captures if c.id in captures],
    }


def _capture(capture: Capture, data: ReviewData, warc: bytes) -> dict[str, Any]:
    return {
        "source_id": data.source_by_id()[capture.source_id].stable_id,
        "url": capture.url,
        "final_url": capture.final_url,
        "status": capture.status,
        "content_type": capture.content_type,
        "captured_at": capture.captured_at,
        "sha256": capture.sha256,
        "size": capture.size,
        "thin": capture.thin,
        "record_id": capture.record_id,
        "warc_base64": _b64(warc),
    }


def _links(data: ReviewData) -> list[dict[str, str]]:
    """Claim-source links by stable ids, with their stances, in claim order, then source order."""
    sources = {s.id: s for s in data.sources}
    order = {s.id: n for n, s in enumerate(data.sources)}
    return [
        {
            "claim_id": claim.stable_id,
            "source_id": sources[source_id].stable_id,
            "stance": claim.stance_of(source_id),
        }
        for claim in data.claims
        for source_id in sorted(claim.source_ids, key=order.__getitem__)
        if source_id in sources
    ]


def render_bundle(
    data: ReviewData,
    revisions: Sequence[Revision] | None = None,
    raw: Mapping[int, bytes] | None = None,
    app_version: str = __version__,
    captures: Mapping[int, bytes] | None = None,
) -> bytes:
    """The bundle as UTF-8 JSON (see bundle_dict for the arguments)."""
    bundle = bundle_dict(data, revisions, raw, app_version, captures)
    text = json.dumps(bundle, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


class RevisionArchive(Protocol):
    """What the bundle needs beyond ReviewData (ReviewStore has both methods)."""

    def revisions(self, article_id: int) -> list[Revision]: ...

    def raw_source(self, revision_id: int) -> tuple[bytes, str]: ...

    def capture_records(self, review_id: int) -> dict[int, bytes]: ...


def store_bundle(archive: RevisionArchive, data: ReviewData) -> bytes:
    """The complete bundle: every revision of the article, each with its raw source bytes,
    and every capture of its sources with its WARC bytes."""
    revisions = archive.revisions(data.review.article_id)
    raw = {r.id: archive.raw_source(r.id)[0] for r in revisions}
    captures = archive.capture_records(data.review.id) if data.captures else {}
    return render_bundle(data, revisions=revisions, raw=raw, captures=captures)


# ---------------------------------------------------------------------- reading
@dataclass(frozen=True)
class BundledReview:
    """A checked bundle as domain objects, with the ids of the library it came from."""

    data: ReviewData
    revisions: list[Revision]  # every revision in the bundle, oldest first
    raw: dict[int, bytes | None]  # revision id -> raw source bytes (None: not in the bundle)
    # capture id (as in data.captures) -> its WARC bytes; the source is named by stable id
    capture_records: dict[int, bytes] = dataclasses.field(default_factory=dict)


def review_from_bundle(bundle: dict[str, Any]) -> BundledReview:
    """The review of a bundle that read_bundle passed (the inverse of bundle_dict).

    Claims, sources and takeaways get ids 1, 2, 3... in bundle order: whatever named them in
    the library they came from is not kept (the importer gives new row ids). Their stable ids
    are those of a version 2 bundle; from a version 1 bundle they are "" and the importer gives
    new ones. A link without a stance (older bundles) supports its claim: read_bundle fills it
    in.
    """
    review = bundle["review"]
    revisions = sorted((_revision_from(rev) for rev in bundle["revisions"]), key=lambda r: r.number)
    claim_key = {entry["id"]: n for n, entry in enumerate(bundle["claims"], start=1)}
    source_key = {entry["id"]: n for n, entry in enumerate(bundle["sources"], start=1)}
    stances = {
        (claim_key[link["claim_id"]], source_key[link["source_id"]]): link["stance"]
        for link in bundle["links"]
    }
    links = sorted(stances.items())  # claim id (its number) order, then source id order
    claims = [
        _claim_from(entry, number, review["id"], {s: x for (c, s), x in links if c == number})
        for number, entry in enumerate(bundle["claims"], start=1)
    ]
    sources = [
        _source_from(entry, n, review["id"], {c: x for (c, s), x in links if s == n})
        for n, entry in enumerate(bundle["sources"], start=1)
    ]
    takeaways = [
        Takeaway(
            id=n,
            review_id=review["id"],
            text=t["text"],
            kind=t["kind"],
            position=t["position"],
            created_at=t.get("created_at", ""),
            updated_at=t.get("updated_at", ""),
            stable_id=_stable_id_from(t),
        )
        for n, t in enumerate(bundle["takeaways"], start=1)
    ]
    signoffs = [
        Signoff(
            id=s["id"],
            review_id=review["id"],
            revision_id=s["revision_id"],
            reviewer=s["reviewer"],
            email=s["email"],
            fingerprint=s["fingerprint"],
            markdown=s["markdown"],
            signature=s["signature"],
            signed_at=s["signed_at"],
            superseded_at=s["superseded_at"],
            cosignature=Cosignature(**s["cosignature"]) if "cosignature" in s else None,
        )
        for s in bundle["signoffs"]
    ]
    data = ReviewData(
        review=Review(
            id=review["id"],
            article_id=0,
            revision_id=review["revision_id"],
            reviewer=review["reviewer"],
            status=review["status"],
            verdict=review["verdict"],
            created_at=review["created_at"],
            updated_at=review["updated_at"],
        ),
        revision=next(r for r in revisions if r.id == review["revision_id"]),
        claims=claims,
        sources=sources,
        takeaways=takeaways,
        signoffs=signoffs,
    )
    if "accountability" in review:  # read_bundle checked it (version 3 on)
        record = accountability_from_json(review["accountability"])
        data.ai, data.responsibility = record.ai, record.responsibility
        data.scope, data.accountability_recorded = record.scope, record.recorded
    else:
        data.accountability_recorded = False
    data.suggestions = suggestions_from_json(review.get("suggestions"))  # read_bundle checked it
    data.second_review = second_review.record_from_json(review.get("second_review"))
    raw = {rev["id"]: rev["raw"] for rev in bundle["revisions"]}
    records: dict[int, bytes] = {}
    for n, entry in enumerate(bundle.get("captures", []), start=1):
        data.captures.append(_capture_from(entry, n, review["id"], source_key[entry["source_id"]]))
        records[n] = entry["warc"]
    return BundledReview(data, revisions, raw, records)


def _capture_from(entry: dict[str, Any], n: int, review_id: int, source_id: int) -> Capture:
    return Capture(
        id=n,
        review_id=review_id,
        source_id=source_id,
        url=entry["url"],
        final_url=entry["final_url"],
        status=entry["status"],
        content_type=entry["content_type"],
        captured_at=entry["captured_at"],
        sha256=entry["sha256"],
        size=entry["size"],
        thin=entry["thin"],
        record_id=entry["record_id"],
    )


def _revision_from(rev: dict[str, Any]) -> Revision:
    meta = rev["meta"]
    return Revision(
        id=rev["id"],
        article_id=0,
        number=rev["number"],
        text=rev["text"],
        blocks=document_from_json(rev["text"], rev["blocks"]).blocks,
        content_hash=rev["content_hash"],
        meta=ArticleMeta(**{k: meta[k] for k in META_FIELDS}),
        imported_at=rev["imported_at"],
        importer=rev["importer"],
        source_name=rev["source_name"],
        raw_type=rev["raw_type"],
    )


# The fields of a bundled source that must be strings: all but the two scales, and its times.
_SOURCE_STRINGS = (
    *(name for name in SOURCE_FIELDS if name not in ("kind", "credibility")),
    "created_at",
    "updated_at",
)


def _stable_id_from(entry: dict[str, Any]) -> str:
    """A version 2 item's stable id; "" for a version 1 item (a row id, or no id at all)."""
    value = entry.get("id")
    return value if isinstance(value, str) else ""


def _claim_from(
    entry: dict[str, Any], number: int, review_id: int, stances: dict[int, str]
) -> Claim:
    """stances: source id -> the stance of its link, in source id order."""
    quote, position = entry["selectors"]["quote"], entry["selectors"]["position"]
    return Claim(
        id=number,
        stable_id=_stable_id_from(entry),
        review_id=review_id,
        number=number,
        quote=quote["exact"],
        prefix=quote["prefix"],
        suffix=quote["suffix"],
        start=position["start"],
        end=position["end"],
        revision_id=entry["revision_id"],
        status=entry["status"],
        note=entry["note"],
        correction=entry["correction"],
        anchor_state=entry["anchor_state"],
        source_ids=list(stances),
        source_override=entry["source_override"],
        previous_quote=entry["previous_quote"],
        created_at=entry["created_at"],
        updated_at=entry["updated_at"],
        source_stances={source_id: Stance(stance) for source_id, stance in stances.items()},
        stance_override=entry["stance_override"],
        reused_from=_reuse_origin_from(entry),
        suggestion_key=entry.get("suggestion_key", ""),
        author=entry.get("author", ""),
    )


def _source_from(
    entry: dict[str, Any], source_id: int, review_id: int, stances: dict[int, str]
) -> Source:
    """stances: claim id -> the stance of its link, in claim number order."""
    return Source(
        id=source_id,
        stable_id=_stable_id_from(entry),
        review_id=review_id,
        **{f: entry[f] for f in SOURCE_FIELDS},
        claim_ids=list(stances),
        created_at=entry["created_at"],
        updated_at=entry["updated_at"],
        claim_stances={claim_id: Stance(stance) for claim_id, stance in stances.items()},
    )


SQLITE_MAX_INT = 2**63 - 1
# Measured (peak memory of import-bundle): a 63 MB bundle of raw HTML 237 MB; 63 MB of text
# with one astral character (Python then stores the text at 4 bytes a character) 517 MB; a
# million empty objects beside 54 MB of such text 600 MB. So 64 MB stays well under the 1 GB
# any import may take. Callers read at most this many bytes (the CLI's --max-size).
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
# No import keeps more raw bytes than ingest reads (IngestSettings.max_bytes; a test keeps the two
# equal: export may not import ingest), nor extracts a longer text than that.
MAX_RAW_BYTES = 20 * 1024 * 1024
# A capture's WARC records: a body of at most MAX_RAW_BYTES as received, its headers and the
# request, gzip-compressed (which can grow incompressible bytes by a fraction of a per cent).
MAX_CAPTURE_BYTES = MAX_RAW_BYTES + 1024 * 1024
MAX_TEXT_CHARS = 20 * 1024 * 1024
# No real review has 5,000 claims. Verifying a signed bundle takes time that grows with
# claims x sources (the Markdown is rendered again): measured 10.3 s for 5,000 of each.
MAX_ITEMS = 5_000
MAX_BLOCKS = 200_000  # paragraphs of a 20 MB text, at 100 characters each
MAX_HEADING_LEVEL = 6  # h1-h6, Markdown's # to ######, Word's Heading 1-6 (capped at 6)

_TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "an object"}


@dataclass(frozen=True)
class BundleLimits:
    """How much one bundle may hold; the defaults are far beyond any real review."""

    raw_bytes: int = MAX_RAW_BYTES  # each revision's decoded raw source
    text_chars: int = MAX_TEXT_CHARS  # each revision's text, in code points
    items: int = MAX_ITEMS  # each list: revisions, claims, sources, links, takeaways, sign-offs
    blocks: int = MAX_BLOCKS  # each revision's blocks
    values: int = MAX_VALUES  # JSON values in the whole file (see boundedjson)
    capture_bytes: int = MAX_CAPTURE_BYTES  # each capture's decoded WARC bytes


def _fail(message: str) -> BadInput:
    return BadInput(f"not a valid reviewapp bundle: {message}")


def _get(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict):
        raise _fail(f"{where} is not an object")
    if key not in obj:
        raise _fail(f"{where} has no {key!r}")
    value = obj[key]
    # bool is an int in Python; a JSON true is never a valid id or offset here.
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _fail(f"{where}.{key} must be {_type_names(kind)}")
    return value


def _type_names(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_TYPE_NAMES.get(k, "null") for k in kinds)


def _whole(obj: Any, key: str, where: str, low: int = 1) -> int:
    """An int field from low (an id: 1) to SQLite's largest integer."""
    value: int = _get(obj, key, int, where)
    if not low <= value <= SQLITE_MAX_INT:
        raise _fail(f"{where}.{key} is {value}, not a whole number from {low} to 2**63-1")
    return value


def _item_id(obj: Any, key: str, kind: IdKind, version: int, where: str) -> int | str:
    """The id naming a claim, source or takeaway: a row id in version 1, a stable id after."""
    if version == ROW_ID_VERSION:
        return _whole(obj, key, where)
    value: str = _get(obj, key, str, where)
    if not is_stable_id(value, kind):
        raise _fail(
            f"{where}.{key} is {ascii(value)[:40]}, not a {kind.noun} id like {example_id(kind)}"
        )
    return value


def _strings(obj: Any, keys: Sequence[str], where: str) -> None:
    for key in keys:
        _get(obj, key, str, where)


def _items(obj: Any, key: str, limit: int, where: str = "bundle") -> list[Any]:
    """A list field of at most limit objects."""
    items: list[Any] = _get(obj, key, list, where)
    inside = "" if where == "bundle" else f"{where}."
    if len(items) > limit:
        holder = "it" if where == "bundle" else where
        raise _fail(f"{holder} has {len(items):,} {key}, more than the {limit:,} a bundle may hold")
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(f"{inside}{key}[{n}] is not an object")
    return items


def _choice(value: str, choices: Any, where: str) -> None:
    if value not in choices:
        raise _fail(f"{where} is {ascii(value)[:40]}, which is not one of {', '.join(choices)}")


def _unique(values: list[Any], what: str) -> None:
    if len(set(values)) != len(values):
        raise _fail(f"its {what} repeat")


def _decode(value: str, where: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _fail(f"{where} is not base64 ({exc})") from exc


def _decoded_size(value: str) -> int:
    """The bytes base64 text decodes to, without decoding it."""
    return len(value) // 4 * 3 - value[-2:].count("=")


def _check_revision(rev: dict[str, Any], n: int, limits: BundleLimits) -> None:
    where = f"revisions[{n}]"
    _whole(rev, "id", where)
    _whole(rev, "number", where)
    text: str = _get(rev, "text", str, where)
    if len(text) > limits.text_chars:
        raise _fail(
            f"{where}.text has {len(text):,} characters, more than the {limits.text_chars:,} "
            "an imported article may have"
        )
    if content_hash(text) != _get(rev, "content_hash", str, where):
        raise _fail(f"{where}: the text does not match its content hash")
    _check_blocks(text, _items(rev, "blocks", limits.blocks, where), where)
    meta = _get(rev, "meta", dict, where)
    _strings(
        meta, ("title", "site", "url", "canonical_url", "published", "description"), f"{where}.meta"
    )
    authors = _get(meta, "authors", list, f"{where}.meta")
    if not all(isinstance(a, str) for a in authors):
        raise _fail(f"{where}.meta.authors must be a list of strings")
    _strings(rev, ("imported_at", "importer", "source_name", "raw_type"), where)
    rev["raw"] = _raw(_get(rev, "raw_base64", (str, type(None)), where), where, limits)


def _raw(encoded: str | None, where: str, limits: BundleLimits) -> bytes | None:
    if encoded is None:
        return None
    size = _decoded_size(encoded)
    if size > limits.raw_bytes:
        raise _fail(
            f"{where}.raw_base64 decodes to {size:,} bytes, more than an imported file may have "
            f"({human_size(limits.raw_bytes)}, {limits.raw_bytes:,} bytes)"
        )
    return _decode(encoded, f"{where}.raw_base64")


def _check_blocks(text: str, blocks: list[dict[str, Any]], where: str) -> None:
    """Each block well formed, and together they make exactly the revision's text."""
    for n, block in enumerate(blocks):
        at = f"{where}.blocks[{n}]"
        _choice(_get(block, "kind", str, at), BLOCK_KINDS, f"{at}.kind")
        _get(block, "text", str, at)
        if "level" in block:
            _heading_level(block, at)
    try:
        document_from_json(text, blocks)
    except ValueError as exc:
        raise _fail(f"{where}: the blocks do not make the text ({exc})") from exc


def _heading_level(block: dict[str, Any], where: str) -> None:
    level = _get(block, "level", int, where)
    if not 0 <= level <= MAX_HEADING_LEVEL:
        raise _fail(f"{where}.level is {level}, not a heading level from 0 to {MAX_HEADING_LEVEL}")


def _check_review(review: dict[str, Any], texts: dict[int, str], version: int) -> None:
    _whole(review, "id", "review")
    revision_id = _whole(review, "revision_id", "review")
    if revision_id not in texts:
        raise _fail("the review points at a revision that is not in the bundle")
    if version >= ACCOUNTABILITY_VERSION:
        _check_accountability(_get(review, "accountability", dict, "review"), texts[revision_id])
    if version >= SUGGESTIONS_VERSION:
        if "suggestions" not in review:
            raise _fail("review.suggestions is missing")
        try:
            suggestions_from_json(review["suggestions"])
        except BadInput as exc:
            raise _fail(str(exc)) from exc
    else:
        review.pop("suggestions", None)  # an older version has none: nothing else is read
    if "second_review" in review:
        try:
            second_review.record_from_json(review["second_review"])
        except BadInput as exc:
            raise _fail(str(exc)) from exc
    _choice(_get(review, "status", str, "review"), scales.REVIEW_STATUSES, "review.status")
    verdict = _get(review, "verdict", str, "review")
    if verdict:
        _choice(verdict, scales.VERDICTS, "review.verdict")
    _strings(review, ("reviewer", "created_at", "updated_at"), "review")


def _check_accountability(obj: dict[str, Any], text: str) -> None:
    """The review's AI involvement, responsibility and scope: well formed, each text one line,
    the disclosure line where it says it is in the review's revision."""
    try:
        record = accountability_from_json(obj, "review.accountability")
        ai = record.ai
        texts = (ai.unknown_reason, ai.tools, ai.role_other, ai.disclosure)
        for value in (*astuple(record.responsibility), *texts):
            check_one_line(value, "review.accountability text")
    except BadInput as exc:
        raise _fail(str(exc)) from exc
    start, end = ai.disclosure_start, ai.disclosure_end
    if (start is None) != (end is None) or (
        start is not None and end is not None and text[start:end] != ai.disclosure
    ):
        raise _fail("review.accountability: the disclosure line is not where it says it is")


def _check_claim(claim: dict[str, Any], n: int, texts: dict[int, str], version: int) -> None:
    where = f"claims[{n}]"
    _item_id(claim, "id", IdKind.CLAIM, version, where)
    revision_id = _whole(claim, "revision_id", where)
    if revision_id not in texts:
        raise _fail(f"{where} points at revision {revision_id}, which is not in the bundle")
    state = _get(claim, "anchor_state", str, where)
    _choice(state, scales.ANCHOR_STATES, f"{where}.anchor_state")
    _choice(_get(claim, "status", str, where), scales.CLAIM_STATUS_KEYS, f"{where}.status")
    claim.setdefault("stance_override", "")  # bundles written before stances have none
    if version < SUGGESTIONS_VERSION:
        claim["suggestion_key"] = ""  # nor before suggestions
    claim.setdefault("author", "")  # nor claims made before authors were kept
    _strings(
        claim,
        (
            "note",
            "correction",
            "source_override",
            "stance_override",
            "previous_quote",
            "created_at",
            "updated_at",
            "suggestion_key",
            "author",
        ),
        where,
    )
    if claim.get("reused_from") is not None:
        origin = _get(claim, "reused_from", dict, where)
        _whole(origin, "review_id", f"{where}.reused_from")
        _whole(origin, "claim_number", f"{where}.reused_from")
        _strings(origin, ("claim_id", "review_title"), f"{where}.reused_from")
    if claim["suggestion_key"] and parse_key(claim["suggestion_key"]) is None:
        raise _fail(f"{where}.suggestion_key is not a suggestion key (START-END-HASH)")
    selectors = _get(claim, "selectors", dict, where)
    quote = _get(selectors, "quote", dict, f"{where}.selectors")
    _strings(quote, ("exact", "prefix", "suffix"), f"{where}.selectors.quote")
    position = _get(selectors, "position", dict, f"{where}.selectors")
    _check_position(position, quote, texts[revision_id], state in scales.FIRM_ANCHOR_STATES, where)


def _check_position(
    position: dict[str, Any], quote: dict[str, str], text: str, firm: bool, where: str
) -> None:
    """Start and end lie in the text; a firmly anchored quote is the text there, with its
    prefix and suffix around it (code points, as everywhere)."""
    at = f"{where}.selectors.position"
    start = _get(position, "start", (int, type(None)), at)
    end = _get(position, "end", (int, type(None)), at)
    if start is None or end is None:
        if firm or start != end:
            raise _fail(f"{at} needs a start and an end for an anchored claim")
        return
    if start > end:
        raise _fail(f"{at} starts at {start}, after its end {end}")
    if start < 0 or end > len(text):
        raise _fail(
            f"{at} ({start} to {end}) is outside its revision's text of {len(text):,} characters"
        )
    if not firm:
        return
    exact = quote["exact"]
    if end - start != len(exact) or not text.startswith(exact, start):
        raise _fail(f"{where}: the quote is not at its stored position in its revision")
    if not text.endswith(quote["prefix"], 0, start) or not text.startswith(quote["suffix"], end):
        raise _fail(f"{where}: the quote's prefix or suffix is not the text around it")


def _check_source(source: dict[str, Any], n: int, version: int) -> None:
    where = f"sources[{n}]"
    _item_id(source, "id", IdKind.SOURCE, version, where)
    _strings(source, _SOURCE_STRINGS, where)
    _choice(_get(source, "kind", str, where), scales.SOURCE_KINDS, f"{where}.kind")
    _choice(_get(source, "credibility", str, where), scales.CREDIBILITY, f"{where}.credibility")


def _check_links(
    links: list[dict[str, Any]], claim_ids: set[Any], source_ids: set[Any], version: int
) -> None:
    for n, link in enumerate(links):
        where = f"links[{n}]"
        claim = _item_id(link, "claim_id", IdKind.CLAIM, version, where)
        source = _item_id(link, "source_id", IdKind.SOURCE, version, where)
        if claim not in claim_ids or source not in source_ids:
            raise _fail(f"links[{n}] names a claim or source that is not in the bundle")
        # Bundles written before links had a stance: every link then meant "supports".
        link.setdefault("stance", Stance.SUPPORTS)
        _choice(_get(link, "stance", str, f"links[{n}]"), scales.STANCES, f"links[{n}].stance")
    _unique([(link["claim_id"], link["source_id"]) for link in links], "links")


def _check_takeaway(takeaway: dict[str, Any], n: int, version: int) -> None:
    where = f"takeaways[{n}]"
    if version > ROW_ID_VERSION:
        _item_id(takeaway, "id", IdKind.TAKEAWAY, version, where)
        _strings(takeaway, ("created_at", "updated_at"), where)
    elif "id" in takeaway:  # the oldest bundles have none; the importer gives new ones anyway
        _whole(takeaway, "id", where)
    _get(takeaway, "text", str, where)
    _whole(takeaway, "position", where, low=0)
    _choice(_get(takeaway, "kind", str, where), scales.TAKEAWAY_KINDS, f"{where}.kind")


def _check_signoff(signoff: dict[str, Any], n: int, revision_ids: set[int]) -> None:
    where = f"signoffs[{n}]"
    _whole(signoff, "id", where)
    if _whole(signoff, "revision_id", where) not in revision_ids:
        raise _fail(f"{where} points at a revision that is not in the bundle")
    _strings(
        signoff,
        ("reviewer", "email", "fingerprint", "signed_at", "superseded_at", "signature"),
        where,
    )
    signoff["markdown"] = _decode(_get(signoff, "markdown_base64", str, where), where)
    if "cosignature" in signoff:  # workflows.bundles verifies it against the Markdown
        cosignature = _get(signoff, "cosignature", dict, where)
        fields = ("signature", "fingerprint", "signer", "email", "imported_at")
        _strings(cosignature, fields, f"{where}.cosignature")
        signoff["cosignature"] = {name: cosignature[name] for name in fields}


def _check_header(bundle: Any) -> int:
    """The bundle's version, once its header is ours and not from a newer reviewapp."""
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise _fail(f"the format field is not {BUNDLE_FORMAT!r}")
    version = _whole(bundle, "version", "bundle")
    if version > BUNDLE_VERSION:
        raise BadInput(
            f"this bundle is version {version}; this reviewapp reads up to {BUNDLE_VERSION}: "
            "update reviewapp"
        )
    if "generator" in bundle:
        _get(bundle, "generator", str, "bundle")
    return version


def read_bundle_files(
    paths: Sequence[Path], max_bytes: int = MAX_BUNDLE_BYTES
) -> Iterator[tuple[Path, bytes]]:
    """Each file's bytes in turn, at most max_bytes for all of them together: one import keeps
    every checked bundle in memory until it writes them all."""
    total = 0
    for path in paths:
        content = read_user_file(path, "bundle", max_bytes)
        total += len(content)
        if total > max_bytes:
            raise BadInput(
                f"these {len(paths)} bundles are larger than {human_size(max_bytes)} together: "
                "import them a few at a time"
            )
        yield path, content


def read_bundle(content: bytes, limits: BundleLimits = BundleLimits()) -> dict[str, Any]:
    """Parse and check a bundle; returns its dict with "raw" and "markdown" bytes decoded.

    Raises BadInput naming the first problem; nothing in a bundle that passes can make a write
    fail. workflows.bundles.verify_signoffs checks signatures. The caller bounds len(content).
    """
    bundle = load_bounded(content, _fail, limits.values)
    version = _check_header(bundle)
    revisions = _items(bundle, "revisions", limits.items)
    if not revisions:
        raise _fail("it has no article revision")
    for n, rev in enumerate(revisions):
        _check_revision(rev, n, limits)
    _unique([rev["id"] for rev in revisions], "revision ids")
    _unique([rev["number"] for rev in revisions], "revision numbers")
    texts = {rev["id"]: rev["text"] for rev in revisions}
    _check_review(_get(bundle, "review", dict, "bundle"), texts, version)
    claims = _items(bundle, "claims", limits.items)
    for n, claim in enumerate(claims):
        _check_claim(claim, n, texts, version)
    sources = _items(bundle, "sources", limits.items)
    for n, source in enumerate(sources):
        _check_source(source, n, version)
    _unique([c["id"] for c in claims], "claim ids")
    _unique([s["id"] for s in sources], "source ids")
    links = _items(bundle, "links", limits.items)
    _check_links(links, {c["id"] for c in claims}, {s["id"] for s in sources}, version)
    takeaways = _items(bundle, "takeaways", limits.items)
    for n, takeaway in enumerate(takeaways):
        _check_takeaway(takeaway, n, version)
    if version > ROW_ID_VERSION:
        _unique([t["id"] for t in takeaways], "takeaway ids")
    signoffs = _items(bundle, "signoffs", limits.items)
    for n, signoff in enumerate(signoffs):
        _check_signoff(signoff, n, set(texts))
    _unique([s["id"] for s in signoffs], "sign-off ids")
    if "captures" in bundle:  # version 4 on; optional, so a bundle without any reads too
        source_ids = {s["id"] for s in sources}
        for n, capture in enumerate(_items(bundle, "captures", limits.items)):
            _check_capture(capture, n, source_ids, version, limits)
    return bundle


def _check_capture(
    capture: dict[str, Any], n: int, source_ids: set[Any], version: int, limits: BundleLimits
) -> None:
    """The facts of a capture; its WARC bytes are checked against them by the importer."""
    where = f"captures[{n}]"
    if version < CAPTURES_VERSION:
        raise _fail(f"a version {version} bundle cannot hold captures")
    if _get(capture, "source_id", str, where) not in source_ids:
        raise _fail(f"{where}.source_id names no source of the bundle")
    _strings(capture, ("url", "final_url", "content_type", "captured_at", "record_id"), where)
    for key in ("url", "final_url", "content_type", "captured_at", "record_id"):
        if len(capture[key]) > 4096 or any(not ch.isprintable() for ch in capture[key]):
            raise _fail(f"{where}.{key} is longer than 4,096 characters or not one line")
    status = _whole(capture, "status", where, low=100)
    if status > 599:
        raise _fail(f"{where}.status is {status}, not an HTTP status")
    _whole(capture, "size", where, low=0)
    if not is_sha256(_get(capture, "sha256", str, where)):
        raise _fail(f"{where}.sha256 is not 64 lower-case hex digits")
    if not isinstance(capture.get("thin"), bool):
        raise _fail(f"{where}.thin must be true or false")
    encoded: str = _get(capture, "warc_base64", str, where)
    size = _decoded_size(encoded)
    if size > limits.capture_bytes:
        raise _fail(
            f"{where}.warc_base64 decodes to {size:,} bytes, more than a capture may have "
            f"({human_size(limits.capture_bytes)})"
        )
    capture["warc"] = _decode(encoded, f"{where}.warc_base64")
