"""What one review looks like in the shared archive, and how a review found there is checked.

Layout (see docs/archive.md)::

    allowed_signers                         who may sign commits (git) and reviews (reviewapp)
    README.md                               how to verify, for readers without reviewapp
    reviews/YYYY/MM/<slug>-<uid>/
        review.md                           the signed Markdown, byte for byte the sign-off
        review.md.sig                       its SSH signature (namespace reviewapp)
        review.json                         the JSON bundle (every revision, lossless)
        review.intoto.json                  the signed in-toto attestation, when there is one
        review.md.second.sig                the second reviewer's co-signature, once made

YYYY/MM is the month of the sign-off. ``uid`` names the review across libraries: a review is
the same review wherever it was copied when it was created at the same second on the same first
text (the identity bundle import uses), so the uid is a digest of those two facts.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.model import ReviewData
from reviewapp.export import slug
from reviewapp.export.files import export_content, write_atomic
from reviewapp.export.second_review import COSIGNATURE_SUFFIX
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import CheckedBundle, check_bundle
from reviewapp.workflows.cosignatures import check_archived_cosignature
from reviewapp.workflows.verify import verify_file

REVIEWS = "reviews"
MARKDOWN = "review.md"
SIGNATURE = "review.md.sig"
BUNDLE = "review.json"
ATTESTATION = "review.intoto.json"
COSIGNATURE = MARKDOWN + COSIGNATURE_SUFFIX  # the second reviewer's, over review.md
FILES = (MARKDOWN, SIGNATURE, BUNDLE, ATTESTATION, COSIGNATURE)
UID_LENGTH = 16
FOLDER = re.compile(r"reviews/[0-9]{4}/[0-9]{2}/[a-z0-9-]*[0-9a-f]{16}")


def review_uid(created_at: str, first_content_hash: str) -> str:
    """The review's name in every archive: 16 hex digits of SHA-256 over its identity."""
    digest = hashlib.sha256(f"{created_at}\n{first_content_hash}".encode()).hexdigest()
    return digest[:UID_LENGTH]


def uid_of_folder(name: str) -> str:
    """The uid at the end of a review folder's name ('' when the name has none)."""
    tail = name.rsplit("-", 1)[-1]
    return tail if len(tail) == UID_LENGTH and all(c in "0123456789abcdef" for c in tail) else ""


def local_uid(store: ReviewStore, data: ReviewData) -> str:
    first = store.revisions(data.review.article_id)[0]
    return review_uid(data.review.created_at, first.content_hash)


def review_folder(store: ReviewStore, data: ReviewData) -> str:
    """reviews/YYYY/MM/<slug>-<uid> for a signed-off review (the month of its sign-off)."""
    signoff = data.current_signoff
    assert signoff is not None  # only signed-off reviews are archived
    words = slug(data.revision.meta.title) or "review"
    month = f"{signoff.signed_at[:4]}/{signoff.signed_at[5:7]}"
    return f"{REVIEWS}/{month}/{words}-{local_uid(store, data)}"


def review_contents(store: ReviewStore, data: ReviewData) -> dict[str, bytes]:
    """The files of a signed review's folder, by name: what ``write_review`` writes."""
    signoff = data.current_signoff
    assert signoff is not None
    contents = {
        MARKDOWN: signoff.markdown,
        SIGNATURE: signoff.signature.encode("ascii"),
        BUNDLE: export_content(data, "json", store).content,
    }
    if signoff.attestation:
        contents[ATTESTATION] = signoff.attestation
    if signoff.cosignature is not None:
        contents[COSIGNATURE] = signoff.cosignature.signature.encode("ascii")
    return contents


def write_review(store: ReviewStore, data: ReviewData, folder: Path) -> list[Path]:
    """Write the signed review's files into folder (replacing an older sign-off's, the
    attestation included when the new one has none); returns the paths written."""
    contents = review_contents(store, data)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in contents.items():
        write_atomic(folder / name, content)
        written.append(folder / name)
    for name in FILES:
        if name not in contents:
            (folder / name).unlink(missing_ok=True)
    return written


def signer_allowed(signers_text: str, fingerprint: str, namespace: str) -> bool:
    """Whether an allowed_signers text lets the key with this fingerprint sign in namespace."""
    try:
        entries = allowed_signers.parse(signers_text)
    except BadInput:
        return False
    usable = allowed_signers.usable_entries(entries, namespace)
    return any(sshsig.fingerprint(e.key_blob) == fingerprint for e in usable)


@dataclass(frozen=True)
class ReviewFiles:
    """One review folder as a commit holds it."""

    folder: str
    commit: str  # the last commit that changed the folder, for messages
    files: dict[str, bytes | None]


def check_review(found: ReviewFiles, signers_text: bytes) -> CheckedBundle:
    """The review's Markdown verifies and its signer is in allowed_signers (as ``reviewapp
    verify --allowed-signers`` checks, attestation included), a co-signature beside it is by
    the second reviewer it names and allowed there too, and its bundle verifies and holds
    exactly that sign-off. VerificationFailed names the file and the commit."""

    def refuse(name: str, why: str) -> VerificationFailed:
        return VerificationFailed(
            f"{found.folder}/{name} (commit {found.commit[:12]}): {why}; nothing of this review "
            "was imported"
        )

    for name in (MARKDOWN, SIGNATURE, BUNDLE):
        if found.files.get(name) is None:
            raise refuse(name, "the file is missing")
    markdown = found.files[MARKDOWN] or b""
    signature = found.files[SIGNATURE] or b""
    with tempfile.TemporaryDirectory(prefix="reviewapp-archive-") as tmp:
        folder = Path(tmp)
        for name, content in found.files.items():
            if content is not None:
                (folder / name).write_bytes(content)
        (folder / "allowed_signers").write_bytes(signers_text)
        try:
            verify_file(folder / MARKDOWN, allowed_signers_path=folder / "allowed_signers")
        except (VerificationFailed, BadInput) as exc:
            failed = ATTESTATION if "attest" in str(exc) else MARKDOWN
            raise refuse(failed, str(exc)) from exc
    cosignature = found.files.get(COSIGNATURE)
    if cosignature is not None:
        try:
            check_archived_cosignature(
                markdown,
                cosignature.decode("ascii", errors="replace"),
                signers_text.decode("utf-8", errors="replace"),
                "the co-signature",
            )
        except VerificationFailed as exc:
            raise refuse(COSIGNATURE, str(exc)) from exc
    bundle = found.files[BUNDLE] or b""
    try:
        checked = check_bundle(bundle, "the bundle")
    except (VerificationFailed, BadInput) as exc:
        raise refuse(BUNDLE, str(exc)) from exc
    live = [s for s in checked.bundle["signoffs"] if not s["superseded_at"]]
    if (
        not live
        or live[0]["markdown"] != markdown
        or live[0]["signature"] != signature.decode("ascii", errors="replace")
    ):
        raise refuse(BUNDLE, f"the bundle's sign-off is not the signed {MARKDOWN} beside it")
    checked.label = found.folder  # what the import summary names
    return checked
