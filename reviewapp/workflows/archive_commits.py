"""The archive's trust rule for commits: each one signed by a key its parent trusted.

A commit is accepted when it carries an SSH signature (namespace ``git``, as ``git commit -S``
with ``gpg.format=ssh`` makes it) by a key that the ``allowed_signers`` file of its parent
commit allows for namespace ``git``. So an editor's key becomes trusted only through a commit
signed by a key that was trusted already; the first key is the one ``archive init`` wrote, in
the root commit, which must be signed by a key of its own ``allowed_signers``. The check is the
one ``git verify-commit`` makes (tests prove they agree), done here without a process per commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.workflows.gitrepo import read_objects, run_git

GIT_NAMESPACE = "git"
SIGNERS_FILE = "allowed_signers"


@dataclass(frozen=True)
class SignedCommit:
    sha: str
    parents: tuple[str, ...]
    payload: bytes  # the commit object without its signature: what was signed
    signature: bytes  # armoured, b"" when the commit is unsigned
    subject: str


@dataclass(frozen=True)
class CommitSigner:
    sha: str
    principal: str
    fingerprint: str


def parse_commit(sha: str, raw: bytes) -> SignedCommit:
    """Split a raw commit object into what was signed and the signature (the gpgsig header)."""
    head, sep, message = raw.partition(b"\n\n")
    kept: list[bytes] = []
    signature: list[bytes] = []
    parents: list[str] = []
    in_signature = False
    for line in head.split(b"\n"):
        if line.startswith(b" ") and in_signature:
            signature.append(line[1:])
            continue
        in_signature = line.startswith(b"gpgsig ")
        if in_signature:
            signature.append(line[len(b"gpgsig ") :])
            continue
        if line.startswith(b"parent "):
            parents.append(line[len(b"parent ") :].decode("ascii"))
        kept.append(line)
    payload = b"\n".join(kept) + sep + message
    armoured = b"\n".join(signature) + b"\n" if signature else b""
    subject = message.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    return SignedCommit(sha, tuple(parents), payload, armoured, subject)


def new_commits(repo: Path, since: str | None, tip: str) -> list[str]:
    """The commits reachable from tip but not from since, oldest first (parents first)."""
    span = [tip] if since is None else [f"{since}..{tip}"]
    out = run_git(["rev-list", "--reverse", "--topo-order", *span], repo).text
    return out.split()


def verify_commits(repo: Path, shas: list[str], root_fingerprint: str = "") -> list[CommitSigner]:
    """Check each commit against its parent's allowed_signers; VerificationFailed names the
    first commit that fails and the files it changed. root_fingerprint, when given, is the key
    the root commit must be signed by (what the editor was told when the archive was made)."""
    raws = read_objects(repo, shas)
    commits = [parse_commit(sha, raw or b"") for sha, raw in zip(shas, raws, strict=True)]
    parents = [c.parents[0] for c in commits if len(c.parents) == 1]
    trusted_text = dict(
        zip(parents, read_objects(repo, [f"{p}:{SIGNERS_FILE}" for p in parents]), strict=True)
    )
    roots = [c.sha for c in commits if not c.parents]
    trusted_text.update(
        zip(roots, read_objects(repo, [f"{r}:{SIGNERS_FILE}" for r in roots]), strict=True)
    )
    signers = []
    for commit in commits:
        if len(commit.parents) > 1:
            raise _refused(repo, commit, "is a merge commit; the archive's history is linear")
        base = commit.parents[0] if commit.parents else commit.sha
        signer = _check_commit(repo, commit, trusted_text.get(base))
        if not commit.parents and root_fingerprint and signer.fingerprint != root_fingerprint:
            raise _refused(
                repo,
                commit,
                f"is signed by key {signer.fingerprint}, not by {root_fingerprint} (the key "
                "this archive was said to start from)",
            )
        signers.append(signer)
    return signers


def _check_commit(repo: Path, commit: SignedCommit, signers_text: bytes | None) -> CommitSigner:
    if not commit.signature:
        raise _refused(repo, commit, "is not signed")
    try:
        sig = sshsig.verify_intact(commit.payload, commit.signature, GIT_NAMESPACE)
    except VerificationFailed as exc:
        raise _refused(repo, commit, f"has a bad signature ({exc})") from exc
    where = "the archive's first commit" if not commit.parents else "its parent commit"
    if signers_text is None:
        raise _refused(repo, commit, f"has no {SIGNERS_FILE} file in {where} to check it with")
    try:
        entries = allowed_signers.parse(
            signers_text.decode("utf-8", errors="replace"), origin=SIGNERS_FILE
        )
    except BadInput as exc:
        raise _refused(repo, commit, f"cannot be checked: {exc}") from exc
    usable = [
        e
        for e in allowed_signers.usable_entries(entries, GIT_NAMESPACE)
        if e.key_blob == sig.public_key
    ]
    if not usable:
        raise _refused(
            repo,
            commit,
            f"is signed by key {sig.fingerprint}, which the {SIGNERS_FILE} of {where} does not "
            "trust (a key is trusted only once a commit signed by a trusted key adds it)",
        )
    return CommitSigner(commit.sha, usable[0].principals, sig.fingerprint)


def changed_files(repo: Path, sha: str) -> list[str]:
    """The paths one commit changed (all of them for a root commit)."""
    out = run_git(
        ["diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "-z", sha], repo
    ).stdout
    return [p.decode("utf-8", errors="replace") for p in out.split(b"\0") if p]


def _refused(repo: Path, commit: SignedCommit, why: str) -> VerificationFailed:
    files = changed_files(repo, commit.sha)
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return VerificationFailed(
        f"commit {commit.sha[:12]} (“{commit.subject}”, changing {shown or 'no file'}) {why}; "
        "nothing was imported"
    )
