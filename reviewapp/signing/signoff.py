"""The sign-off workflow: gate, key, render, sign, record; reopen; verify an exported file.

The GUI and the CLI both call these functions; nothing here knows about either.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from pathlib import Path

from reviewapp.core import scales
from reviewapp.core.errors import BadInput, GateFailed, VerificationFailed
from reviewapp.core.gate import gate_problems
from reviewapp.core.model import Signoff, utc_now
from reviewapp.core.userfiles import read_user_file
from reviewapp.secrets import SecretStore, default_secret_store
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.signing.keys import load_or_create_key
from reviewapp.signing.sshsig import VerifiedSignature
from reviewapp.store.reviews import ReviewStore, check_one_line
from reviewapp.store.signoffs import (
    insert_signoff,
    save_reviewer_key,
    signoff_for_markdown,
    supersede_current,
    trusted_key,
)

_ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def sign_off(
    store: ReviewStore,
    review_id: int,
    reviewer: str = "",
    email: str = "",
    secrets: SecretStore | None = None,
    now: str | None = None,
    new_key: bool = False,
) -> Signoff:
    """Sign the review off as reviewer; returns the stored, immutable sign-off record.

    Order matters: the gate and the key (keyring) come first and the signature is made before
    the database is touched, so a refusal at any step leaves the database unchanged. The
    record, the reviewer's public key and the status change are then written in one
    transaction, which also checks that nobody changed the review meanwhile.
    """
    from reviewapp.export import export_filename
    from reviewapp.export.markdown import SignoffBlock, render_markdown

    data = store.load_review(review_id)
    if data.review.status == "signed-off":
        current = data.current_signoff
        by = f" by {current.reviewer} at {current.signed_at}" if current else ""
        raise BadInput(f"review {review_id} is already signed off{by}; reopen it to sign again")
    check_one_line(reviewer, "reviewer's name")  # refused before any key is made
    check_one_line(email, "reviewer's email")
    reviewer = (reviewer or data.review.reviewer).strip()
    problems = gate_problems(data, reviewer)
    if problems:
        raise GateFailed(problems)
    signed_at = now or utc_now()
    if not _ISO_UTC.fullmatch(signed_at):
        raise BadInput(f"the sign-off time must look like 2026-11-27T19:03:10Z, not {signed_at!r}")
    key = load_or_create_key(store, secrets or default_secret_store(), reviewer, email, new_key)

    signed_review = dataclasses.replace(data.review, status="signed-off", reviewer=key.name)
    block = SignoffBlock(
        reviewer=key.name,
        email=key.email,
        signed_at=signed_at,
        fingerprint=key.fingerprint,
        export_name=export_filename(data, "md"),
    )
    markdown = render_markdown(dataclasses.replace(data, review=signed_review), block).encode()
    signature = sshsig.sign(markdown, key.private_key)

    with store.transaction():
        if store.load_review(review_id) != data:
            raise BadInput(f"review {review_id} changed while it was being signed; sign off again")
        if key.is_new:
            save_reviewer_key(store, key.name, key.email, key.public_key_line, key.fingerprint)
        if data.review.reviewer != key.name:  # the record and the review name the same person
            store.set_review(review_id, reviewer=key.name)
        signoff_id = insert_signoff(
            store,
            review_id=review_id,
            revision_id=data.revision.id,
            reviewer=key.name,
            email=key.email,
            fingerprint=key.fingerprint,
            public_key=key.public_key_line,
            markdown=markdown,
            signature=signature,
            signed_at=signed_at,
        )
        store.set_status(review_id, "signed-off", actor=key.name)
        store.log_event(
            review_id, "signoff", key.name, signoff_id=signoff_id, fingerprint=key.fingerprint,
            markdown_sha256=hashlib.sha256(markdown).hexdigest(),
        )  # fmt: skip
    return next(s for s in store.signoffs(review_id) if s.id == signoff_id)


def reopen(
    store: ReviewStore, review_id: int, reason: str = "", actor: str = "", now: str | None = None
) -> Signoff | None:
    """Return a signed-off review to in-review; its sign-off stays in the history, superseded."""
    at = now or utc_now()
    with store.transaction():
        review = store.review(review_id)
        if review.status != "signed-off":
            label = scales.REVIEW_STATUSES.get(review.status, review.status).lower()
            raise BadInput(f"review {review_id} is {label}, not signed off; nothing to reopen")
        superseded = supersede_current(store, review_id, at)
        store.set_status(review_id, "in-review", actor=actor)
        store.log_event(review_id, "reopen", actor, reason=reason.strip(),
                        signoff_id=superseded.id if superseded else None)  # fmt: skip
    return superseded


# ---------------------------------------------------------------------- verification


def verify_file(
    md_path: Path,
    sig_path: Path | None = None,
    allowed_signers_path: Path | None = None,
    store: ReviewStore | None = None,
) -> VerifiedSignature:
    """Check an exported review against its signature (NAME.md.sig unless sig_path is given).

    The signer is the owner of the key that made the signature, as the verifier trusts it:
    the principals of the allowed-signers lines for that key, or the database's trust set (the
    editor's own keys and the keys they trusted; never a key that only came with an import).
    The reviewer the file names (front matter and sign-off section, which must agree) must be
    that owner. Raises VerificationFailed (exit 1) when the file is not intact, not signed by a
    trusted key, or names someone else; BadInput when the question cannot be asked (missing
    file, unreadable allowed-signers file).
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
    return _with_record(result, fields, store, markdown)


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
    return VerifiedSignature(principal=principal, fingerprint=sig.fingerprint,
                             reviewer=name, email=email)  # fmt: skip


def _signer_from_store(
    store: ReviewStore, sig: sshsig.SshSignature, name: str, email: str
) -> VerifiedSignature:
    """The key must be in the trust set, bound to exactly the reviewer the file names."""
    key = trusted_key(store, sig.fingerprint)
    if key is None:
        raise VerificationFailed(
            f"the file is intact, but it was signed with key {sig.fingerprint}, which is not "
            "among the known signers (not trusted here; if its owner confirms that "
            "fingerprint, trust it with `reviewapp key trust`)"
        )
    if not key.belongs_to(name, email):
        raise _not_theirs(name, email, sig.fingerprint, key.who)
    return VerifiedSignature(principal=key.principal, fingerprint=sig.fingerprint,
                             reviewer=key.name, email=key.email)  # fmt: skip


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
    listed = [_md_text(line[len(_REVIEWER_FIELD) :]) for line in section
              if line.startswith(_REVIEWER_FIELD)]  # fmt: skip
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
    record = signoff_for_markdown(store, markdown) if store is not None else None
    if record is not None:
        return dataclasses.replace(
            result, signed_at=record.signed_at, superseded_at=record.superseded_at
        )
    return dataclasses.replace(result, signed_at=fields.get("signed_at", ""))


_YAML_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "0": "\0", "/": "/"}
_YAML_ESCAPE_RE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def _yaml_unquote(value: str) -> str:
    value = value.strip()
    if len(value) < 2 or not (value[0] == value[-1] == '"'):
        return value

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "xuU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _YAML_ESCAPES.get(code, code)

    return _YAML_ESCAPE_RE.sub(unescape, value[1:-1])


def front_matter_fields(markdown: bytes) -> dict[str, str]:
    """The ``key: "value"`` lines of the leading ``---`` block (as our exports write them)."""
    lines = markdown.decode("utf-8", errors="replace").split("\n")
    if not lines or lines[0] != "---":
        return {}
    fields: dict[str, str] = {}
    for line in lines[1:]:
        if line == "---":
            break
        key, sep, value = line.partition(":")
        if sep and re.fullmatch(r"[a-z][a-z0-9_]*", key):
            fields[key] = _yaml_unquote(value)
    return fields
