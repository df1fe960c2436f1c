"""Importing JSON bundles into a library: checked, verified, de-duplicated, one transaction.

A bundle (``reviewapp.export.bundle``) is a lossless copy of one review. Importing it makes a
new article with every bundled revision (text, blocks, metadata, raw bytes) and the review with
its claims, sources, links, takeaways and sign-offs, field for field. Rows keep their ids when
this library has none of them yet (per table: the review, its revisions, claims, sources,
sign-offs), so that "review 7" and the ``review_id`` in its Markdown stay the same on both
machines; otherwise they get new ids. Claims, sources and takeaways keep their stable ids
(``c-7k3m9q2a``: what scripts, the bundle's links and the W3C export name them by) unless this
library already uses one; that one gets a fresh id and the import says so. Items of a version 1
bundle, which had none, get fresh ones.

Identity: a review is the same review in two libraries when it was created at the same second
(``created_at``) on an article that shares a revision text (content hash) with the bundle. The
bundle has no id for the review itself that survives moving, and these two facts never change
after a review is created, so importing the same bundle twice, or a later export of the same
review, skips it.

Signed bundles are verified before anything is written (see ``verify_signoffs``). Importing is
a workflow over three layers: the bundle reader (export), the SSHSIG check (signing) and the
tables (store, ``ReviewStore.add_copy``), written in one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shlex
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewapp import __version__
from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.stableids import kind_of
from reviewapp.core.states import ReviewStatus
from reviewapp.export import export_filename
from reviewapp.export.bundle import read_bundle, review_from_bundle
from reviewapp.export.frontmatter import front_matter_fields
from reviewapp.export.markdown import SignoffBlock, render_markdown
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.store import ReviewStore
from reviewapp.store.copies import CopyWritten, ReviewCopy
from reviewapp.store.signoffs import TrustedKey
from reviewapp.workflows.cosignatures import check_cosignature


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
        _check_captures(bundle)
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


def _check_captures(bundle: dict[str, Any]) -> None:
    """Each capture's WARC bytes must be intact and hold the body its entry describes: the
    signed Markdown lists that SHA-256, so the bytes imported must be the ones it names."""
    from reviewapp.export.bundle import MAX_CAPTURE_BYTES
    from reviewapp.ingest.capture import read_capture

    for n, entry in enumerate(bundle.get("captures", [])):
        where = f"captures[{n}]"
        try:
            stored = read_capture(entry["warc"], MAX_CAPTURE_BYTES)
        except BadInput as exc:
            raise BadInput(f"not a valid reviewapp bundle: {where}: {exc}") from exc
        digest = hashlib.sha256(stored.body).hexdigest()
        if digest != entry["sha256"] or len(stored.body) != entry["size"]:
            raise BadInput(
                f"not a valid reviewapp bundle: {where} holds a body with SHA-256 {digest} "
                f"({len(stored.body):,} bytes), not the {entry['sha256']} it names"
            )


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
        if "cosignature" in record:  # the second reviewer's, over the same bytes
            cosigned = check_cosignature(
                record["markdown"], record["cosignature"]["signature"], f"{where}: the co-signature"
            )
            if cosigned.fingerprint != record["cosignature"]["fingerprint"]:
                raise VerificationFailed(
                    f"{where}: the co-signature is by key {cosigned.fingerprint}, the record "
                    f"says {record['cosignature']['fingerprint']}"
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
    bundle = checked.bundle
    review = bundle["review"]
    live = [s for s in bundle["signoffs"] if not s["superseded_at"]]
    if review["status"] != ReviewStatus.SIGNED_OFF:
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
    data = review_from_bundle(bundle).data
    block = SignoffBlock(
        reviewer=record["reviewer"],
        email=record["email"],
        signed_at=record["signed_at"],
        fingerprint=record["fingerprint"],
    )
    # Reviews signed before the verify commands said THIS-FILE.md named the default file.
    earlier = dataclasses.replace(block, export_name=export_filename(data, "md"))
    if all(
        render_markdown(data, b, signed_version).encode("utf-8") != record["markdown"]
        for b in (block, earlier)
    ):
        raise VerificationFailed(
            "the bundled review (claims, sources, takeaways or verdict) differs from the review "
            "its reviewer signed"
        )


def _review_revision(bundle: dict[str, Any]) -> dict[str, Any]:
    wanted = bundle["review"]["revision_id"]
    return next(rev for rev in bundle["revisions"] if rev["id"] == wanted)


# ---------------------------------------------------------------------- writing
def import_bundles(store: ReviewStore, bundles: Sequence[CheckedBundle]) -> list[BundleImport]:
    """Write every bundle that is not here yet, all in one transaction (all or nothing)."""
    trusted = {key.fingerprint: key for key in store.trusted_keys()}
    results: list[BundleImport] = []
    with store.transaction():
        for checked in bundles:
            bundle = checked.bundle
            signers = [s["fingerprint"] for s in bundle["signoffs"]]
            found = store.find_copy(
                bundle["review"]["created_at"], [rev["content_hash"] for rev in bundle["revisions"]]
            )
            existing, in_bin = found if found is not None else (None, False)
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
                    written = _write(store, checked)
                except sqlite3.IntegrityError as exc:
                    raise BadInput(f"{checked.label}: the bundle cannot be stored ({exc})") from exc
                result.review_id = written.review_id
                result.notes += _renamed_notes(written.renamed)
            results.append(result)
    return results


def _untrusted_signoffs(bundle: dict[str, Any], trusted: dict[str, TrustedKey]) -> list[str]:
    """One line per sign-off whose key is not trusted here for the reviewer it names."""
    lines = []
    for record in bundle["signoffs"]:
        who = _one_line(record["reviewer"]) + (
            f" <{_one_line(record['email'])}>" if record["email"] else ""
        )
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


def _renamed_notes(renamed: dict[str, str]) -> list[str]:
    """One line per stable id this library already used, so scripts that keep it know."""
    return [
        f"{kind_of(old).noun} {old} is {new} here: this library already had an item {old}"
        for old, new in renamed.items()
    ]


def _write(store: ReviewStore, checked: CheckedBundle) -> CopyWritten:
    """Insert the bundled review; runs inside import_bundles' transaction."""
    bundle = checked.bundle
    bundled = review_from_bundle(bundle)
    public_keys = {
        record["fingerprint"]: sshsig.public_key_line(_signature_key(record))
        for record in bundle["signoffs"]
    }
    copy = ReviewCopy(bundled.data, bundled.revisions, bundled.raw, public_keys)
    written = store.add_copy(copy)
    stable = {s.id: s.stable_id for s in bundled.data.sources}
    store.import_captures(
        written.review_id,
        (
            (
                capture,
                written.renamed.get(stable[capture.source_id], stable[capture.source_id]),
                bundled.capture_records[capture.id],
            )
            for capture in bundled.data.captures
        ),
    )
    store.log_event(
        written.review_id,
        "import-bundle",
        bundle["review"]["reviewer"],
        source=checked.label,
        original_id=bundle["review"]["id"],
        generator=str(bundle.get("generator", "")),
        content_hash=_review_revision(bundle)["content_hash"],
        renamed_ids=written.renamed,
    )
    return written


def _signature_key(record: dict[str, Any]) -> Any:
    """The public key inside a sign-off's signature (already checked by verify_signoffs)."""
    return sshsig.public_key_from_blob(sshsig.read_signature(record["signature"]).public_key)


__all__ = [
    "BundleImport",
    "CheckedBundle",
    "check_bundle",
    "import_bundle",
    "import_bundles",
    "verify_signoffs",
]
