"""The sign-off workflow: gate, key, render, sign, record; reopen; verify an exported file.

The GUI and the CLI both call these functions; nothing here knows about either.
"""

from __future__ import annotations

import dataclasses
import hashlib
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
from reviewapp.store.reviews import ReviewStore
from reviewapp.store.signoffs import (
    insert_signoff,
    known_signers,
    save_reviewer_key,
    signoff_for_markdown,
    supersede_current,
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

    Trusted keys come from the allowed-signers file if one is given, else from the database
    (current reviewer keys and the keys of every recorded sign-off). Raises VerificationFailed
    (exit 1) when the file is not intact or not signed by a trusted key, BadInput when the
    question cannot be asked (missing file, no keys to trust).
    """
    md_path = Path(md_path)
    sig_path = Path(sig_path) if sig_path else md_path.with_name(md_path.name + ".sig")
    markdown = read_user_file(md_path, "review file")
    if not sig_path.exists():
        raise VerificationFailed(f"{md_path.name} has no signature file ({sig_path} is missing)")
    signature = read_user_file(sig_path, "signature file")

    if allowed_signers_path is not None:
        allowed = allowed_signers.usable_keys(allowed_signers.read_file(Path(allowed_signers_path)))
        if not allowed:
            raise BadInput(
                f"{allowed_signers_path} lists no Ed25519 key allowed for namespace "
                f'"{sshsig.NAMESPACE}"'
            )
    elif store is not None:
        allowed = [(s.principal, s.public_key) for s in known_signers(store)]
        if not allowed:
            raise BadInput(
                "this database knows no reviewer keys; give --allowed-signers FILE "
                "(the signer's `reviewapp key export` line)"
            )
    else:
        raise BadInput("nothing to trust: give an allowed signers file or a database")

    result = sshsig.verify(markdown, signature, allowed)
    return _describe(result, markdown, store)


def _describe(
    result: VerifiedSignature, markdown: bytes, store: ReviewStore | None
) -> VerifiedSignature:
    """Add who signed and when, from signed content only (the file, or its stored record)."""
    fields = front_matter_fields(markdown)
    claimed = fields.get("key_fingerprint", "")
    if claimed and claimed != result.fingerprint:
        raise VerificationFailed(
            f"the file says it was signed with key {claimed}, but its signature is by "
            f"{result.fingerprint}"
        )
    record = signoff_for_markdown(store, markdown) if store is not None else None
    if record is not None:
        return dataclasses.replace(
            result,
            reviewer=record.reviewer,
            email=record.email,
            signed_at=record.signed_at,
            superseded_at=record.superseded_at,
        )
    return dataclasses.replace(
        result,
        reviewer=fields.get("reviewer", "") or result.principal,
        email=fields.get("reviewer_email", ""),
        signed_at=fields.get("signed_at", ""),
    )


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
