"""Importing JSON bundles into a library: checked, verified, de-duplicated, one transaction.

A bundle (``reviewapp.export.bundle``) is a lossless copy of one review. Importing it makes a
new article with every bundled revision (text, blocks, metadata, raw bytes) and the review with
its claims, sources, links, takeaways and sign-offs, field for field. Rows keep their ids when
this library has none of them yet (per table: the review, its revisions, claims, sources,
takeaways, sign-offs), so that "review 7", the ``review_id`` in its Markdown and the claim and
source IRIs of its W3C export stay the same on both machines; otherwise they get new ids.

Identity: a review is the same review in two libraries when it was created at the same second
(``created_at``) on an article that shares a revision text (content hash) with the bundle. The
bundle format has no id that survives moving, and these two facts never change after a review
is created, so importing the same bundle twice, or a later export of the same review, skips it.

Signed bundles are verified before anything is written (see ``verify_signoffs``). Importing is
a workflow over three layers, the bundle reader (export), the SSHSIG check (signing) and the
tables (store); it lives here because writing the tables is the part that must be atomic.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewapp import __version__
from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.model import (
    ArticleMeta,
    Claim,
    Review,
    ReviewData,
    Revision,
    Signoff,
    Source,
    Takeaway,
    utc_now,
)
from reviewapp.core.text import document_from_json
from reviewapp.export.bundle import read_bundle
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.store.reviews import ReviewStore
from reviewapp.store.signoffs import TrustedKey, trusted_keys


@dataclass
class CheckedBundle:
    """A bundle that passed every check and may be written; label names it in messages."""

    label: str
    bundle: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # what the checks could not settle

    @property
    def title(self) -> str:
        return str(_review_revision(self.bundle)["meta"]["title"])


@dataclass
class BundleImport:
    """What importing one bundle did."""

    label: str
    title: str
    original_id: int  # the review's id in the library the bundle came from
    review_id: int  # its id here (the one already here when skipped)
    skipped: bool  # the review was already here: nothing was written
    signoffs: int
    in_bin: bool = False  # skipped, and the review that is here was deleted (it can be restored)
    unknown_keys: list[str] = field(default_factory=list)  # signer keys not trusted here
    untrusted: list[str] = field(default_factory=list)  # one line per sign-off left unverified
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What happened, in one line, for the CLI and the GUI alike."""
        title = self.title.strip() or "untitled"
        if self.skipped:
            where = " (in the bin: restore it there)" if self.in_bin else ""
            return (
                f"skipped {self.label}: review {self.review_id} here is already that review "
                f"(“{title}”){where}; nothing was written"
            )
        signed = ""
        if self.signoffs:
            trusted = self.signoffs - len(self.untrusted)
            signed = f"; {self.signoffs} sign-off(s) intact, {trusted} by a key trusted here"
            if self.untrusted:
                signed += f", {len(self.untrusted)} UNVERIFIED"
        return f"imported {self.label} as review {self.review_id} (“{title}”{signed})"

    def warnings(self) -> list[str]:
        """What the editor should check before trusting an imported review."""
        if self.skipped:
            return []
        return self.untrusted + self.notes


# ---------------------------------------------------------------------- checking
def check_bundle(content: bytes, label: str = "bundle") -> CheckedBundle:
    """Parse, check and verify one bundle without touching any database.

    BadInput (exit 2) for anything that is not a usable bundle; VerificationFailed (exit 1)
    when a signed part was changed after signing.
    """
    try:
        bundle = read_bundle(content)
    except BadInput as exc:
        raise BadInput(f"{label}: {exc}") from exc
    checked = CheckedBundle(label, bundle)
    try:
        verify_signoffs(checked)
    except VerificationFailed as exc:
        raise VerificationFailed(f"{label}: {exc}; nothing was imported") from exc
    except BadInput as exc:
        raise BadInput(f"{label}: {exc}") from exc
    return checked


def verify_signoffs(checked: CheckedBundle) -> None:
    """Every sign-off verifies, and the review's current one signs exactly the bundled review.

    For each sign-off: its Markdown bytes verify against its SSH signature (namespace
    reviewapp) made by the key it names, and what the signed front matter says (content hash,
    reviewer, time, key) matches the record and the revision it points at. For the live
    sign-off of a signed-off review, the bundled claims, sources and takeaways are rendered
    again and must give the signed bytes, so nothing the signature covers can be altered in the
    database copy either (skipped, with a note, when another reviewapp version signed it,
    because the Markdown layout may differ between versions).
    """
    from reviewapp.signing.signoff import front_matter_fields

    bundle = checked.bundle
    hashes = {rev["id"]: rev["content_hash"] for rev in bundle["revisions"]}
    for n, record in enumerate(bundle["signoffs"], start=1):
        where = f"sign-off {n} ({_one_line(record['reviewer'])}, {_one_line(record['signed_at'])})"
        key = _signing_key(record, where)
        try:
            sshsig.verify(record["markdown"], record["signature"], [(record["reviewer"], key)])
        except VerificationFailed as exc:
            raise VerificationFailed(f"{where}: {exc}") from exc
        signed = front_matter_fields(record["markdown"])
        if signed.get("content_sha256") != hashes[record["revision_id"]]:
            raise VerificationFailed(
                f"{where}: the signed Markdown is about another text than the bundled revision"
            )
        claimed = {
            "reviewer": record["reviewer"],
            "reviewer_email": record["email"],
            "signed_at": record["signed_at"],
            "key_fingerprint": record["fingerprint"],
        }
        for name, value in claimed.items():
            if signed.get(name, "") != value:
                raise VerificationFailed(
                    f"{where}: the record says {name} {value!r}, the signed Markdown says "
                    f"{signed.get(name, '')!r}"
                )
    _check_live_signoff(checked)


def _one_line(text: str, limit: int = 60) -> str:
    """Bundle text quoted in a message: one line, short (the message must stay one line)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _signing_key(record: dict[str, Any], where: str) -> Any:
    """The public key inside the signature, which must be the key the record names."""
    try:
        sig = sshsig.read_signature(record["signature"])
    except VerificationFailed as exc:
        raise VerificationFailed(f"{where}: {exc}") from exc
    if sig.fingerprint != record["fingerprint"]:
        raise VerificationFailed(
            f"{where}: the record names key {record['fingerprint']}, but the signature is by "
            f"{sig.fingerprint}"
        )
    try:
        return sshsig.public_key_from_blob(sig.public_key)
    except ValueError as exc:
        raise VerificationFailed(f"{where}: the signature's key cannot be read ({exc})") from exc


def _check_live_signoff(checked: CheckedBundle) -> None:
    from reviewapp.export import export_filename
    from reviewapp.export.markdown import SignoffBlock, render_markdown
    from reviewapp.signing.signoff import front_matter_fields

    bundle = checked.bundle
    review = bundle["review"]
    live = [s for s in bundle["signoffs"] if not s["superseded_at"]]
    if review["status"] != "signed-off":
        if live:
            raise BadInput(
                "not a valid reviewapp bundle: a sign-off is current but the review is "
                f"{review['status']}"
            )
        return
    if not live:
        raise VerificationFailed("the review is marked signed off but carries no current signature")
    if len(live) > 1:
        raise BadInput("not a valid reviewapp bundle: it has more than one current sign-off")
    record = live[0]
    if record["revision_id"] != review["revision_id"]:
        raise VerificationFailed("the current sign-off signed another revision than the review's")
    signed_version = front_matter_fields(record["markdown"]).get("app_version", "")
    if signed_version != __version__:
        checked.notes.append(
            f"signed with reviewapp {signed_version or '(unknown)'}: the signature and its "
            "text were verified; the claims were not compared with the signed Markdown"
        )
        return
    data = review_data(bundle)
    block = SignoffBlock(
        reviewer=record["reviewer"],
        email=record["email"],
        signed_at=record["signed_at"],
        fingerprint=record["fingerprint"],
        export_name=export_filename(data, "md"),
    )
    if render_markdown(data, block, signed_version).encode("utf-8") != record["markdown"]:
        raise VerificationFailed(
            "the bundled review (claims, sources, takeaways or verdict) differs from the review "
            "its reviewer signed"
        )


def review_data(bundle: dict[str, Any]) -> ReviewData:
    """The bundled review as the exports see it, with the ids of the library it came from."""
    review = bundle["review"]
    revision = _revision(_review_revision(bundle), article_id=0)
    links = [(link["claim_id"], link["source_id"]) for link in bundle["links"]]
    claims = [
        _claim(entry, number, review["id"], sorted(s for c, s in links if c == entry["id"]))
        for number, entry in enumerate(bundle["claims"], start=1)
    ]
    numbers = {c.id: c.number for c in claims}
    sources = [
        _source(entry, review["id"],
                sorted((c for c, s in links if s == entry["id"]), key=numbers.__getitem__))
        for entry in bundle["sources"]
    ]  # fmt: skip
    takeaways = [
        Takeaway(t.get("id", n), review["id"], t["text"], t["kind"], t["position"])
        for n, t in enumerate(bundle["takeaways"], start=1)
    ]
    signoffs = [
        Signoff(s["id"], review["id"], s["revision_id"], s["reviewer"], s["email"],
                s["fingerprint"], s["markdown"], s["signature"], s["signed_at"],
                s["superseded_at"])
        for s in bundle["signoffs"]
    ]  # fmt: skip
    return ReviewData(
        review=Review(review["id"], 0, review["revision_id"], review["reviewer"],
                      review["status"], review["verdict"], review["created_at"],
                      review["updated_at"]),
        revision=revision, claims=claims, sources=sources, takeaways=takeaways,
        signoffs=signoffs,
    )  # fmt: skip


def _review_revision(bundle: dict[str, Any]) -> dict[str, Any]:
    wanted = bundle["review"]["revision_id"]
    return next(rev for rev in bundle["revisions"] if rev["id"] == wanted)


def _revision(rev: dict[str, Any], article_id: int) -> Revision:
    meta = rev["meta"]
    return Revision(
        id=rev["id"],
        article_id=article_id,
        number=rev["number"],
        text=rev["text"],
        blocks=document_from_json(rev["text"], rev["blocks"]).blocks,
        content_hash=rev["content_hash"],
        meta=ArticleMeta(**{k: meta[k] for k in _META_FIELDS}),
        imported_at=rev["imported_at"],
        importer=rev["importer"],
        source_name=rev["source_name"],
        raw_type=rev["raw_type"],
    )


_META_FIELDS = ("title", "authors", "site", "url", "canonical_url", "published", "description")
_SOURCE_FIELDS = ("url", "title", "publisher", "author", "published", "accessed_at",
                  "archive_url", "archive_date", "kind", "credibility", "note")  # fmt: skip


def _claim(entry: dict[str, Any], number: int, review_id: int, source_ids: list[int]) -> Claim:
    quote, position = entry["selectors"]["quote"], entry["selectors"]["position"]
    return Claim(
        id=entry["id"], review_id=review_id, number=number, quote=quote["exact"],
        prefix=quote["prefix"], suffix=quote["suffix"], start=position["start"],
        end=position["end"], revision_id=entry["revision_id"], status=entry["status"],
        note=entry["note"], correction=entry["correction"], anchor_state=entry["anchor_state"],
        source_ids=source_ids, source_override=entry["source_override"],
        previous_quote=entry["previous_quote"], created_at=entry["created_at"],
        updated_at=entry["updated_at"],
    )  # fmt: skip


def _source(entry: dict[str, Any], review_id: int, claim_ids: list[int]) -> Source:
    return Source(
        id=entry["id"],
        review_id=review_id,
        **{f: entry[f] for f in _SOURCE_FIELDS},
        claim_ids=claim_ids,
        created_at=entry["created_at"],
        updated_at=entry["updated_at"],
    )


# ---------------------------------------------------------------------- writing
def find_duplicate(store: ReviewStore, bundle: dict[str, Any]) -> int | None:
    """The id of the review here that is the bundled review (see the module docstring)."""
    hashes = sorted({rev["content_hash"] for rev in bundle["revisions"]})
    marks = ", ".join("?" for _ in hashes)
    row = store._one(
        "SELECT rv.id FROM reviews rv WHERE rv.created_at = ? AND EXISTS (SELECT 1 FROM "
        f"revisions r WHERE r.article_id = rv.article_id AND r.content_hash IN ({marks})) "
        "ORDER BY rv.deleted_at != '', rv.id LIMIT 1",
        [bundle["review"]["created_at"], *hashes],
    )
    return None if row is None else int(row["id"])


def import_bundles(store: ReviewStore, bundles: Sequence[CheckedBundle]) -> list[BundleImport]:
    """Write every bundle that is not here yet, all in one transaction (all or nothing)."""
    trusted = {key.fingerprint: key for key in trusted_keys(store)}
    results: list[BundleImport] = []
    with store.transaction():
        for checked in bundles:
            bundle = checked.bundle
            signers = [s["fingerprint"] for s in bundle["signoffs"]]
            existing = find_duplicate(store, bundle)
            in_bin = (
                existing is not None
                and store._one(
                    "SELECT 1 FROM reviews WHERE id = ? AND deleted_at != ''", [existing]
                )
                is not None
            )
            result = BundleImport(
                label=checked.label,
                title=checked.title,
                original_id=bundle["review"]["id"],
                review_id=existing if existing is not None else 0,
                skipped=existing is not None,
                in_bin=in_bin,
                signoffs=len(signers),
                unknown_keys=list(dict.fromkeys(f for f in signers if f not in trusted)),
                untrusted=_untrusted_signoffs(bundle, trusted),
                notes=list(checked.notes) + _key_conflicts(bundle, trusted),
            )
            if existing is None:
                try:
                    result.review_id = _write(store, checked)
                except sqlite3.IntegrityError as exc:
                    raise BadInput(f"{checked.label}: the bundle cannot be stored ({exc})") from exc
            results.append(result)
    return results


def _untrusted_signoffs(bundle: dict[str, Any], trusted: dict[str, TrustedKey]) -> list[str]:
    """One line per sign-off whose key is not trusted here for the reviewer it names."""
    lines = []
    for record in bundle["signoffs"]:
        who = _one_line(record["reviewer"]) + (f" <{_one_line(record['email'])}>"
                                               if record["email"] else "")  # fmt: skip
        key = trusted.get(record["fingerprint"])
        if key is not None and key.belongs_to(record["reviewer"], record["email"]):
            continue
        if key is not None:
            lines.append(
                f"sign-off by {who} of {_one_line(record['signed_at'])} is UNVERIFIED: its key "
                f"{record['fingerprint']} belongs to {key.who} here"
            )
            continue
        public_key = sshsig.public_key_line(_signature_key(record))
        principal = (record["email"] or record["reviewer"]).strip()
        try:
            line = shlex.quote(allowed_signers.signer_line(principal, public_key))
        except BadInput:  # a name no allowed_signers line can hold: no command to offer
            line = "LINE"
        name = f" --name {shlex.quote(record['reviewer'])}" if record["email"] else ""
        lines.append(
            f"sign-off by {who} of {_one_line(record['signed_at'])} is UNVERIFIED: key "
            f"{record['fingerprint']} is not trusted here; after checking that fingerprint with "
            f"them: reviewapp key trust {line}{name} --fingerprint {record['fingerprint']}"
        )
    return lines


def _key_conflicts(bundle: dict[str, Any], trusted: dict[str, TrustedKey]) -> list[str]:
    """Sign-offs naming someone this library trusts, made with a key not trusted for them."""
    notes = []
    for record in bundle["signoffs"]:
        principal = (record["email"] or record["reviewer"]).strip()
        theirs = [k.fingerprint for k in trusted.values() if k.principal == principal]
        if theirs and record["fingerprint"] not in theirs:
            notes.append(
                f"WARNING: {_one_line(principal)} signs here with key {', '.join(theirs)}, but "
                f"the sign-off of {_one_line(record['signed_at'])} is by key "
                f"{record['fingerprint']}: ask them which is theirs before trusting it"
            )
    return notes


def import_bundle(store: ReviewStore, content: bytes, label: str = "bundle") -> BundleImport:
    """Check, verify and import one bundle (the GUI's and the CLI's entry point for one file)."""
    return import_bundles(store, [check_bundle(content, label)])[0]


def _write(store: ReviewStore, checked: CheckedBundle) -> int:
    """Insert the bundled review; runs inside import_bundles' transaction."""
    bundle = checked.bundle
    revisions = sorted(bundle["revisions"], key=lambda rev: rev["number"])
    first = revisions[0]
    article_id = store._insert(
        "articles",
        {
            "title": first["meta"]["title"],
            "url": first["meta"]["url"],
            "canonical_url": first["meta"]["canonical_url"],
            "created_at": first["imported_at"],
        },
    )
    keep = _free_tables(store, bundle)
    revision_ids = {
        rev["id"]: _insert_revision(store, article_id, rev, keep["revisions"]) for rev in revisions
    }
    review_id = _insert_review(store, article_id, revision_ids, bundle["review"])
    claim_ids = {
        entry["id"]: _insert_claim(store, review_id, revision_ids, entry, keep["claims"])
        for entry in bundle["claims"]
    }
    source_ids = {
        entry["id"]: store._insert("sources", {
            **_id(entry, keep["sources"]), "review_id": review_id,
            **{f: entry[f] for f in _SOURCE_FIELDS},
            "created_at": entry["created_at"], "updated_at": entry["updated_at"],
        })
        for entry in bundle["sources"]
    }  # fmt: skip
    store.conn.executemany(
        "INSERT INTO claim_sources (claim_id, source_id) VALUES (?, ?)",
        [(claim_ids[link["claim_id"]], source_ids[link["source_id"]]) for link in bundle["links"]],
    )
    now = utc_now()  # the bundle does not carry takeaway timestamps
    for takeaway in bundle["takeaways"]:
        store._insert("takeaways", {
            **_id(takeaway, keep["takeaways"]), "review_id": review_id,
            "text": takeaway["text"], "kind": takeaway["kind"],
            "position": takeaway["position"], "created_at": now, "updated_at": now,
        })  # fmt: skip
    for record in bundle["signoffs"]:
        key = _signature_key(record)
        store._insert("signoffs", {
            **_id(record, keep["signoffs"]), "review_id": review_id,
            "revision_id": revision_ids[record["revision_id"]],
            "reviewer": record["reviewer"], "email": record["email"],
            "fingerprint": record["fingerprint"], "public_key": sshsig.public_key_line(key),
            "markdown": record["markdown"], "signature": record["signature"],
            "signed_at": record["signed_at"], "superseded_at": record["superseded_at"],
        })  # fmt: skip
    store.log_event(
        review_id, "import-bundle", bundle["review"]["reviewer"], source=checked.label,
        original_id=bundle["review"]["id"], generator=str(bundle.get("generator", "")),
        content_hash=_review_revision(bundle)["content_hash"],
    )  # fmt: skip
    return review_id


def _signature_key(record: dict[str, Any]) -> Any:
    """The public key inside a sign-off's signature (already checked by verify_signoffs)."""
    return sshsig.public_key_from_blob(sshsig.read_signature(record["signature"]).public_key)


def _free_tables(store: ReviewStore, bundle: dict[str, Any]) -> dict[str, bool]:
    """Per table: True when none of the bundle's ids for it are taken here, so all are kept."""
    wanted = {
        "revisions": [rev["id"] for rev in bundle["revisions"]],
        "claims": [c["id"] for c in bundle["claims"]],
        "sources": [s["id"] for s in bundle["sources"]],
        "takeaways": [t["id"] for t in bundle["takeaways"] if isinstance(t.get("id"), int)],
        "signoffs": [s["id"] for s in bundle["signoffs"]],
    }
    takeaway_ids = wanted["takeaways"]
    if len(set(takeaway_ids)) != len(bundle["takeaways"]) or any(
        isinstance(i, bool) for i in takeaway_ids
    ):
        wanted["takeaways"] = [0]  # missing or repeated ids (not checked by read_bundle): new ones
    free = {}
    for table, ids in wanted.items():
        (taken,) = store.conn.execute(
            f"SELECT count(*) FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)],
        ).fetchone()
        free[table] = taken == 0 and 0 not in ids
    return free


def _id(entry: dict[str, Any], keep: bool) -> dict[str, Any]:
    return {"id": entry["id"]} if keep else {}


def _insert_revision(
    store: ReviewStore, article_id: int, rev: dict[str, Any], keep_id: bool
) -> int:
    meta = rev["meta"]
    return store._insert(
        "revisions",
        {
            **_id(rev, keep_id),
            "article_id": article_id,
            "number": rev["number"],
            "text": rev["text"],
            "blocks": json.dumps(rev["blocks"], ensure_ascii=False),
            # A bundle rendered without the store has no raw bytes; the column cannot be NULL.
            "raw": rev["raw"] if rev["raw"] is not None else b"",
            "raw_type": rev["raw_type"],
            "content_hash": rev["content_hash"],
            **{k: meta[k] for k in _META_FIELDS if k != "authors"},
            "authors": json.dumps(meta["authors"], ensure_ascii=False),
            "source_name": rev["source_name"],
            "imported_at": rev["imported_at"],
            "importer": rev["importer"],
        },
    )


def _insert_review(
    store: ReviewStore, article_id: int, revision_ids: dict[int, int], review: dict[str, Any]
) -> int:
    row: dict[str, Any] = {
        "article_id": article_id,
        "revision_id": revision_ids[review["revision_id"]],
        "reviewer": review["reviewer"],
        "status": review["status"],
        "verdict": review["verdict"],
        "created_at": review["created_at"],
        "updated_at": review["updated_at"],
    }
    if store._one("SELECT id FROM reviews WHERE id = ?", [review["id"]]) is None:
        row = {"id": review["id"], **row}  # keep its number (see the module docstring)
    return store._insert("reviews", row)


def _insert_claim(
    store: ReviewStore,
    review_id: int,
    revision_ids: dict[int, int],
    entry: dict[str, Any],
    keep_id: bool,
) -> int:
    quote, position = entry["selectors"]["quote"], entry["selectors"]["position"]
    return store._insert(
        "claims",
        {
            **_id(entry, keep_id),
            "review_id": review_id,
            "revision_id": revision_ids[entry["revision_id"]],
            "quote": quote["exact"],
            "prefix": quote["prefix"],
            "suffix": quote["suffix"],
            "start": position["start"],
            "end": position["end"],
            "status": entry["status"],
            "note": entry["note"],
            "correction": entry["correction"],
            "anchor_state": entry["anchor_state"],
            # The bundle has no anchor score; a firmly anchored claim scores 1.0 as when added.
            "anchor_score": 1.0 if entry["anchor_state"] == "anchored" else None,
            "previous_quote": entry["previous_quote"],
            "source_override": entry["source_override"],
            "created_at": entry["created_at"],
            "updated_at": entry["updated_at"],
        },
    )


__all__ = [
    "BundleImport",
    "CheckedBundle",
    "check_bundle",
    "find_duplicate",
    "import_bundle",
    "import_bundles",
    "review_data",
    "verify_signoffs",
]
