"""Verifying an exported review: its signature, its signer as this editor trusts them, and that
the file names that signer consistently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from pathlib import Path

from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.userfiles import read_user_file
from reviewapp.export.attestation import PAYLOAD_TYPE, attestation_name, read_statement
from reviewapp.export.frontmatter import front_matter_fields
from reviewapp.signing import allowed_signers, dsse, sshsig
from reviewapp.signing.sshsig import VerifiedSignature
from reviewapp.store import ReviewStore


def verify_file(
    md_path: Path,
    sig_path: Path | None = None,
    allowed_signers_path: Path | None = None,
    store: ReviewStore | None = None,
    attestation_path: Path | None = None,
) -> VerifiedSignature:
    """Check an exported review against its signature (NAME.md.sig unless sig_path is given)
    and its attestation (NAME.intoto.json when it is there, or attestation_path).

    The signer is the owner of the key that made the signature, as the verifier trusts it:
    the principals of the allowed-signers lines for that key, or the database's trust set (the
    editor's own keys and the keys they trusted; never a key that only came with an import).
    The reviewer the file names (front matter and sign-off section, which must agree) must be
    that owner. Raises VerificationFailed (exit 1) when the file is not intact, not signed by a
    trusted key, or names someone else, or when the attestation is not signed by that same key
    or speaks of another file or another text; BadInput when the question cannot be asked
    (missing file, unreadable allowed-signers file).
    """
    md_path = Path(md_path)
    sig_path = Path(sig_path) if sig_path else md_path.with_name(md_path.name + ".sig")
    markdown = read_user_file(md_path, "review file")
    if not sig_path.exists():
        raise VerificationFailed(f"{md_path.name} has no signature file ({sig_path} is missing)")
    signature = read_user_file(sig_path, "signature file")
    if allowed_signers_path is None and store is None:
        raise BadInput("nothing to trust: give an allowed signers file or a database")
    entries = (
        allowed_signers.read_file(Path(allowed_signers_path))
        if allowed_signers_path is not None
        else []
    )

    sig = sshsig.verify_intact(markdown, signature)
    fields = front_matter_fields(markdown)
    claimed_key = fields.get("key_fingerprint", "")
    if claimed_key and claimed_key != sig.fingerprint:
        raise VerificationFailed(
            f"the file says it was signed with key {claimed_key}, but its signature is by "
            f"{sig.fingerprint}"
        )
    name, email = fields.get("reviewer", "").strip(), fields.get("reviewer_email", "").strip()
    if allowed_signers_path is not None:
        result = _signer_from_allowed(entries, sig, name, email, str(allowed_signers_path))
    else:
        assert store is not None
        result = _signer_from_store(store, sig, name, email)
    _check_signoff_section(markdown, name, email, fields.get("signed_at", ""))
    given = attestation_path is not None
    attestation = Path(attestation_path) if attestation_path else _attestation_beside(md_path)
    if given or attestation.exists():
        _check_attestation(attestation, markdown, sig, fields)
        result = dataclasses.replace(result, attestation=str(attestation))
    return _with_record(result, fields, store, markdown)


def _attestation_beside(md_path: Path) -> Path:
    return md_path.with_name(attestation_name(md_path.name))


def _check_attestation(
    path: Path, markdown: bytes, sig: sshsig.SshSignature, fields: dict[str, str]
) -> None:
    """The attestation must be signed by the key that signed the Markdown (already found
    trusted), name this Markdown file by its digest, and the text the Markdown was signed on."""
    if not path.exists():
        raise VerificationFailed(f"there is no attestation at {path}")
    # one byte over the limit is enough for dsse.read to say the file is too large
    content = read_user_file(path, "signed attestation", dsse.MAX_ENVELOPE_BYTES + 1)
    try:
        key = sshsig.public_key_from_blob(sig.public_key)
    except ValueError as exc:  # verify_intact has parsed it already; kept for clarity
        raise VerificationFailed(f"the signing key cannot be read: {exc}") from exc
    statement = read_statement(dsse.verify(content, key, PAYLOAD_TYPE))
    digest = hashlib.sha256(markdown).hexdigest()
    if statement.record_sha256 != digest:
        raise VerificationFailed(
            f"{path.name} attests another Markdown file (SHA-256 {statement.record_sha256}, "
            f"this one is {digest})"
        )
    content_sha256 = fields.get("content_sha256", "")
    article = statement.predicate.get("article")
    said = article.get("contentSha256") if isinstance(article, dict) else None
    if statement.text_sha256 != content_sha256 or said != content_sha256:
        raise VerificationFailed(
            f"{path.name} attests article text {statement.text_sha256}, but the signed review "
            f"covers {content_sha256 or 'no text'}"
        )


def _named(name: str, email: str) -> str:
    return (name or email) + (f" <{email}>" if name and email else "")


def _not_theirs(name: str, email: str, fingerprint: str, owner: str) -> VerificationFailed:
    if not (name or email):
        return VerificationFailed(
            f"the file names no reviewer, but it was signed by key {fingerprint}, which "
            f"belongs to {owner}"
        )
    return VerificationFailed(
        f"the file names {_named(name, email)} as reviewer, but it was signed by key "
        f"{fingerprint}, which belongs to {owner}"
    )


def _signer_from_allowed(
    entries: list[allowed_signers.AllowedSigner],
    sig: sshsig.SshSignature,
    name: str,
    email: str,
    origin: str,
) -> VerifiedSignature:
    """The file's principal must be matched by a line that holds the signing key, as in
    ``ssh-keygen -Y verify -I PRINCIPAL``."""
    lines = [e for e in allowed_signers.usable_entries(entries) if e.key_blob == sig.public_key]
    if not lines:
        raise VerificationFailed(
            f"the file is intact, but it was signed with key {sig.fingerprint}, which is not "
            f'among the known signers (no line of {origin} allows it for namespace "'
            f'{sshsig.NAMESPACE}")'
        )
    principal = email or name
    if not principal or not any(line.names(principal) for line in lines):
        owner = ", ".join(dict.fromkeys(line.principals for line in lines))
        raise _not_theirs(name, email, sig.fingerprint, owner)
    return VerifiedSignature(
        principal=principal, fingerprint=sig.fingerprint, reviewer=name, email=email
    )


def _signer_from_store(
    store: ReviewStore, sig: sshsig.SshSignature, name: str, email: str
) -> VerifiedSignature:
    """The key must be in the trust set, bound to exactly the reviewer the file names."""
    key = store.trusted_key(sig.fingerprint)
    if key is None:
        raise VerificationFailed(
            f"the file is intact, but it was signed with key {sig.fingerprint}, which is not "
            "among the known signers (not trusted here; if its owner confirms that "
            "fingerprint, trust it with `reviewapp key trust`)"
        )
    if not key.belongs_to(name, email):
        raise _not_theirs(name, email, sig.fingerprint, key.who)
    return VerifiedSignature(
        principal=key.principal, fingerprint=sig.fingerprint, reviewer=key.name, email=key.email
    )


_SIGNOFF_HEADING = "## Sign-off"
_SIGNED_BY = re.compile(r"Signed off by (.*) on (.*), who takes editorial responsibility for")
_REVIEWER_FIELD = "- **Reviewer:** "
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _md_text(escaped: str) -> str:
    """Inline Markdown text as a reader sees it: entities and backslash escapes undone."""
    return " ".join(_MD_ESCAPE.sub(r"\1", html.unescape(escaped)).split())


def _check_signoff_section(markdown: bytes, name: str, email: str, signed_at: str) -> None:
    """The sign-off section must name the same reviewer (and time) as the front matter."""
    lines = markdown.decode("utf-8", errors="replace").split("\n")
    if _SIGNOFF_HEADING not in lines:
        raise VerificationFailed("the file has no sign-off section naming its reviewer")
    section = lines[len(lines) - 1 - lines[::-1].index(_SIGNOFF_HEADING) :]
    expected = " ".join((f"{name} ({email})" if email else name).split())
    said = [m for m in map(_SIGNED_BY.match, section) if m]
    listed = [
        _md_text(line[len(_REVIEWER_FIELD) :])
        for line in section
        if line.startswith(_REVIEWER_FIELD)
    ]
    names = [_md_text(m.group(1)) for m in said] + listed
    times = [_md_text(m.group(2)) for m in said]
    if len(said) != 1 or len(listed) != 1 or set(names) != {expected} or times != [signed_at]:
        shown = " and ".join(dict.fromkeys(names)) or "no reviewer"
        raise VerificationFailed(
            f"the sign-off section names {shown}, but the front matter names "
            f"{_named(name, email) or 'no reviewer'} (signed {signed_at or 'at no time'}): the "
            "file is inconsistent"
        )


def _with_record(
    result: VerifiedSignature, fields: dict[str, str], store: ReviewStore | None, markdown: bytes
) -> VerifiedSignature:
    """Add when it was signed (and whether it was superseded) from signed content only."""
    record = store.signoff_for_markdown(markdown) if store is not None else None
    if record is not None:
        return dataclasses.replace(
            result,
            signed_at=record.signed_at,
            superseded_at=record.superseded_at,
            superseded_reason=record.superseded_reason,
        )
    return dataclasses.replace(result, signed_at=fields.get("signed_at", ""))


def verify_warc(md_path: Path, warc_path: Path) -> str:
    """Check a WARC file against the captures an exported review lists (call verify_file
    first: the list is only evidence once the Markdown's signature holds). Every response
    record must be intact (its own digests) and its body's SHA-256 listed; every listed
    SHA-256 must have its record. Raises VerificationFailed naming the record; returns one
    line saying what was checked. The file is streamed: no record is held whole."""
    from reviewapp.export.markdown import capture_hashes
    from reviewapp.ingest.capture import response_digests

    md_name, warc_name = Path(md_path).name, Path(warc_path).name
    markdown = read_user_file(Path(md_path), "review file").decode("utf-8", "replace")
    listed = capture_hashes(markdown)
    if not listed:
        raise VerificationFailed(f"{md_name} lists no captures to check a WARC against")
    found: set[str] = set()
    try:
        with open(warc_path, "rb") as handle:
            for number, headers, digest in response_digests(handle):
                if digest not in listed:
                    raise VerificationFailed(
                        f"{warc_name}: record {number} {headers.get('WARC-Record-ID', '')} "
                        f"({headers.get('WARC-Target-URI', '')}) holds a body with SHA-256 "
                        f"{digest}, which {md_name} does not list"
                    )
                found.add(digest)
    except FileNotFoundError as exc:
        raise BadInput(f"there is no WARC file at {warc_path}") from exc
    except BadInput as exc:
        raise VerificationFailed(f"{warc_name}: {exc}") from exc
    missing = [h for h in listed if h not in found]
    if missing:
        raise VerificationFailed(
            f"{warc_name} has no record of the capture with SHA-256 {missing[0]} "
            f"that {md_name} lists"
        )
    return (
        f"Good WARC {warc_name}: {len(found)} captured response(s), each intact and "
        "listed by SHA-256 in the signed review"
    )
