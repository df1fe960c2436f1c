"""The second reviewer's co-signature of a sign-off (NAME.md.second.sig): checking one, and
keeping it in the first editor's library, from a file or from the shared archive.

A co-signature is good when it is an intact SSH signature (namespace reviewapp) over the very
bytes of a sign-off whose "Second review" section names the key that made it; it is accepted
when that key is trusted for the person the section names: by this editor's trust set
(``reviewapp key trust``) for a file, by the archive's allowed_signers for the archive (as the
reviews there are). Nothing is written unless every check passes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.model import Cosignature, Signoff, utc_now
from reviewapp.core.userfiles import read_user_file
from reviewapp.export import second_review as files
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.store import ReviewStore

MAX_SIGNATURE_BYTES = 64 * 1024
_WHO = re.compile(r"(.*) \((.*)\)")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def who_of(text: str) -> tuple[str, str]:
    """(name, email) from the section's "Name (email)" as Markdown wrote it."""
    plain = " ".join(_MD_ESCAPE.sub(r"\1", html.unescape(text)).split())
    found = _WHO.fullmatch(plain)
    return (found.group(1), found.group(2)) if found else (plain, "")


@dataclass(frozen=True)
class CheckedCosignature:
    name: str  # the second reviewer the signed Markdown names
    email: str
    fingerprint: str  # the key that made the co-signature, the one the Markdown names
    public_key: bytes  # its blob


def check_cosignature(
    markdown: bytes, signature: str, label: str = "the co-signature"
) -> CheckedCosignature:
    """The co-signature is intact over markdown and made by the key its "Second review" section
    names; VerificationFailed (naming label) otherwise. Trust is the caller's to decide."""
    named = files.cosigner_named(markdown)
    if named is None:
        raise VerificationFailed(
            f"{label}: the signed Markdown names no second reviewer, so nobody can co-sign it"
        )
    who, fingerprint = named
    name, email = who_of(who)
    try:
        sig = sshsig.verify_intact(markdown, signature)
    except VerificationFailed as exc:
        raise VerificationFailed(
            f"{label} does not verify over the signed Markdown: {exc}"
        ) from exc
    found = sshsig.fingerprint(sig.public_key)
    if found != fingerprint:
        raise VerificationFailed(
            f"{label} is by key {found}, but the signed Markdown names {fingerprint} for the "
            f"second reviewer {name}"
        )
    return CheckedCosignature(name, email, found, sig.public_key)


def import_cosignature(store: ReviewStore, sig_path: Path, md_path: Path | None = None) -> int:
    """Keep the second reviewer's co-signature of a review's latest sign-off; the review's id.

    md_path is the signed Markdown it goes with (default: the file beside it without
    ``.second.sig``; when there is none, the sign-off is found by the key that signed). Refused,
    with nothing written, unless it verifies over that sign-off's stored bytes, by the key the
    "Second review" section names, trusted here as that person's, and the sign-off is the
    review's current one."""
    sig_path = Path(sig_path)
    text = read_user_file(sig_path, "co-signature", MAX_SIGNATURE_BYTES).decode(
        "ascii", errors="replace"
    )
    try:
        fingerprint = sshsig.fingerprint(sshsig.read_signature(text).public_key)
    except (ValueError, VerificationFailed, BadInput) as exc:
        raise BadInput(f"{sig_path.name} is not an SSH signature file: {exc}") from exc
    if md_path is None and sig_path.name.endswith(files.COSIGNATURE_SUFFIX):
        beside = sig_path.with_name(sig_path.name.removesuffix(files.COSIGNATURE_SUFFIX))
        md_path = beside if beside.is_file() else None
    if md_path is not None:
        markdown = read_user_file(Path(md_path), "review file")
        signoff = store.signoff_for_markdown(markdown)
        if signoff is None:
            raise BadInput(
                f"{Path(md_path).name} is not the signed record of any review in this library; "
                "nothing was imported"
            )
    else:
        signoff = _signoff_naming(store, fingerprint, text, sig_path.name)
    checked = check_cosignature(signoff.markdown, text, sig_path.name)
    if signoff.superseded_at:
        raise BadInput(
            f"{sig_path.name} co-signs a sign-off of review {signoff.review_id} that was "
            f"superseded on {signoff.superseded_at}; only the current sign-off takes one"
        )
    trusted = store.trusted_key(checked.fingerprint)
    if trusted is None:
        raise VerificationFailed(
            f"{sig_path.name} is by key {checked.fingerprint}, which is not trusted here; compare "
            f"that fingerprint with {checked.name} and trust it with `reviewapp key trust`"
        )
    if not trusted.belongs_to(checked.name, checked.email):
        raise VerificationFailed(
            f"the review names {checked.name} as second reviewer, but key {checked.fingerprint} "
            f"belongs to {trusted.who}"
        )
    store.record_cosignature(
        signoff.id,
        Cosignature(text, checked.fingerprint, trusted.name, trusted.email, utc_now()),
    )
    return signoff.review_id


def check_archived_cosignature(
    markdown: bytes, signature: str, signers_text: str, label: str
) -> CheckedCosignature:
    """check_cosignature, and the key is allowed for the reviewer the Markdown names (namespace
    reviewapp) by the archive's allowed_signers text."""
    checked = check_cosignature(markdown, signature, label)
    try:
        entries = allowed_signers.parse(signers_text, origin="allowed_signers")
    except BadInput as exc:
        raise VerificationFailed(f"{label} cannot be checked: {exc}") from exc
    principal = checked.email or checked.name
    lines = [e for e in allowed_signers.usable_entries(entries) if e.key_blob == checked.public_key]
    if not any(line.names(principal) for line in lines):
        raise VerificationFailed(
            f"{label} is by key {checked.fingerprint}, which the archive's allowed_signers does "
            f"not allow for {principal}"
        )
    return checked


def import_archived_cosignature(
    store: ReviewStore, markdown: bytes, signature: str, signers_text: str, label: str
) -> int | None:
    """Keep a co-signature found in the shared archive beside a review's Markdown: the review's
    id, or None when this library does not hold that sign-off (or holds it co-signed already).
    The key must be allowed for the named reviewer (namespace reviewapp) by the archive's
    allowed_signers at the verified commit."""
    checked = check_archived_cosignature(markdown, signature, signers_text, label)
    signoff = store.signoff_for_markdown(markdown)
    if signoff is None or signoff.superseded_at:
        return None
    cosignature = Cosignature(
        signature, checked.fingerprint, checked.name, checked.email, utc_now()
    )
    if not store.record_cosignature(signoff.id, cosignature):
        return None
    return signoff.review_id


def _signoff_naming(store: ReviewStore, fingerprint: str, signature: str, label: str) -> Signoff:
    """The current sign-off, second-reviewed by the key that made the co-signature, that the
    co-signature verifies over."""
    for review_id in store.reviews_assessed_by(fingerprint):
        for signoff in store.signoffs(review_id):
            if signoff.superseded_at:
                continue
            try:
                sshsig.verify_intact(signoff.markdown, signature)
            except VerificationFailed:
                continue
            return signoff
    raise BadInput(
        f"{label}: no signed-off review in this library, second-reviewed by key {fingerprint}, "
        "is what it signs; nothing was imported (give the signed Markdown: --markdown FILE.md)"
    )
