"""The shared archive: a git repository of signed reviews that editors push to and pull from.

One archive per library. Its local working copy is the folder ``<database name>-archive``
beside the database file; its ``origin`` is the shared repository (a path or any URL git
understands). The local branch ``main`` is always the last commit that was verified here, so
``archive pull`` verifies exactly the commits that arrived since (``archive_commits``) and the
reviews they touched (``archive_files.check_review``) before importing anything.

Commits are SSH-signed by git itself (``gpg.format=ssh``) through a wrapper script in the
working copy's ``.git`` folder that runs ``reviewapp.cli.gitsign``: the private key stays in the
keyring. ``archive push`` first does what ``archive pull`` does (its commit sits on top of the
others' and vouches for them), writes the signed-off reviews that are not there yet, commits
and pushes; when git refuses the push because someone pushed meanwhile, it drops its commit,
pulls again and redoes it on top, so two editors never have to resolve anything by hand, and a
review both of them hold is written once.
"""

from __future__ import annotations

import shlex
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reviewapp.core.errors import BadInput, SigningUnavailable, VerificationFailed
from reviewapp.export.files import write_atomic
from reviewapp.export.frontmatter import front_matter_fields
from reviewapp.secrets import SERVICE, SecretStore
from reviewapp.signing import allowed_signers, sshsig
from reviewapp.store import ReviewStore
from reviewapp.store.signoffs import ReviewerKey
from reviewapp.workflows import archive_files as files
from reviewapp.workflows.archive_commits import (
    SIGNERS_FILE,
    new_commits,
    signed_commit_object,
    verify_commits,
)
from reviewapp.workflows.archive_place import archive_path
from reviewapp.workflows.archive_second import SECOND, pull_second, request_path
from reviewapp.workflows.bundles import BundleImport, CheckedBundle, import_bundles
from reviewapp.workflows.cosignatures import import_archived_cosignature
from reviewapp.workflows.gitrepo import (
    LOCAL_TIMEOUT,
    NETWORK_TIMEOUT,
    GitCancelled,
    GitFailed,
    GitResult,
    first_line,
    git_program,
    read_objects,
    run_git,
)

BRANCH = "main"
REMOTE_TIP = f"refs/remotes/origin/{BRANCH}"
SIGNER_NAMESPACES = "git,reviewapp"  # commits and reviews, one line per editor
PUSH_ATTEMPTS = 5
WRAPPER = "reviewapp-sign"  # in .git/: the gpg.ssh.program of the working copy

Progress = Callable[[int, str], None]

README = """# Signed reviews

Each folder under `reviews/YYYY/MM/` holds one review signed off with reviewapp:
`review.md` (the signed review), `review.md.sig` (its SSH signature), `review.json` (the
complete review as a JSON bundle) and, where there is one, `review.intoto.json` (a signed
in-toto attestation). `allowed_signers` lists the editors whose keys may sign commits
(namespace git) and reviews (namespace reviewapp).

Check a review without reviewapp:

    ssh-keygen -Y verify -f allowed_signers -I EDITOR-EMAIL -n reviewapp \\
        -s reviews/YYYY/MM/NAME/review.md.sig < reviews/YYYY/MM/NAME/review.md

A second reviewer's co-signature of `review.md`, once made, is `review.md.second.sig` (check it
the same way with their email). `second/<review uid>/` holds second reviews asked for through
the archive: the blind request and the colleague's signed assessment.

Check the history (every commit is SSH-signed):

    git -c gpg.ssh.allowedSignersFile=allowed_signers log --show-signature
"""


# ---------------------------------------------------------------------- the working copy
@dataclass(frozen=True)
class WorkingCopy:
    path: Path

    def git(
        self,
        *args: str,
        timeout: float = LOCAL_TIMEOUT,
        cancel: threading.Event | None = None,
        check: bool = True,
        input: bytes | None = None,
    ) -> GitResult:
        return run_git(
            list(args), self.path, input=input, timeout=timeout, cancel=cancel, check=check
        )

    def config(self, name: str) -> str:
        return self.git("config", "--get", name, check=False).text.strip()

    def rev(self, name: str) -> str | None:
        """The commit name points at, or None (an unborn branch, a missing ref)."""
        out = self.git("rev-parse", "--verify", "-q", f"{name}^{{commit}}", check=False)
        return (out.text.strip() or None) if out.returncode == 0 else None

    @property
    def url(self) -> str:
        return self.config("remote.origin.url")

    @property
    def signing_fingerprint(self) -> str:
        """The fingerprint of the key this working copy signs commits with ('' if none)."""
        key = self.config("user.signingKey").removeprefix("key::")
        return sshsig.fingerprint(sshsig.parse_public_key(key)) if key else ""


def open_archive(db_path: Path) -> WorkingCopy:
    git_program()  # no git: say so before anything else
    path = archive_path(db_path)
    if not (path / ".git").is_dir():
        raise BadInput(
            f"this database has no shared archive yet (no working copy at {path}); set one "
            "up with `reviewapp archive init PATH_OR_URL` or `reviewapp archive clone URL`"
        )
    return WorkingCopy(path)


def _new_working_copy(db_path: Path, url: str) -> WorkingCopy:
    path = archive_path(db_path)
    if path.exists():
        raise BadInput(
            f"this database already has a shared archive at {path} (remove that folder to "
            "start again)"
        )
    run_git(["init", "-q", "-b", BRANCH, str(path)])
    copy = WorkingCopy(path)
    copy.git("remote", "add", "origin", url)
    copy.git("config", "pull.ff", "only")
    # A symbolic link in the archive is checked out as a plain file: a folder that is a link
    # could otherwise send the files push writes anywhere on this computer.
    copy.git("config", "core.symlinks", "false")
    return copy


def _looks_local(url: str) -> bool:
    """A path rather than a URL (ssh://, https://, host:path)."""
    if "://" in url:
        return False
    head = url.split("/", 1)[0]
    return ":" not in head or len(head) == 2  # C:\... stays a path


# ---------------------------------------------------------------------- the editor
@dataclass(frozen=True)
class ArchiveEditor:
    """Who signs this computer's archive commits: a reviewer whose key is in the keyring."""

    name: str
    email: str
    public_key: str  # "ssh-ed25519 AAAA..."
    fingerprint: str

    @property
    def account(self) -> str:
        return self.email or self.name

    @property
    def signer_line(self) -> str:
        return allowed_signers.signer_line(self.account, self.public_key, SIGNER_NAMESPACES)


def archive_editor(store: ReviewStore, secrets: SecretStore, name: str) -> ArchiveEditor:
    """The reviewer named (or the only one with a key) with their keyring key checked."""
    known = [r for r in store.reviewers() if r.public_key]
    chosen: ReviewerKey | None
    if name:
        chosen = next((r for r in known if r.name == name.strip()), None)
        if chosen is None:
            raise BadInput(
                f"reviewer {name!r} has no key in this database yet; sign off a review as "
                "them first (that makes their key)"
            )
    elif len(known) == 1:
        chosen = known[0]
    else:
        raise BadInput(
            "no reviewer has a key in this database yet; sign off a review first"
            if not known
            else "several reviewers have keys here; say which one signs: --reviewer NAME"
        )
    account = chosen.email or chosen.name
    stored = secrets.get(SERVICE, account)
    if stored is None:
        raise SigningUnavailable(
            f"the system keyring holds no private key for {chosen.name} (account {account}); "
            "archive commits are signed with it: use the computer that holds it"
        )
    try:
        have = sshsig.fingerprint(sshsig.private_key_from_text(stored).public_key())
    except ValueError as exc:
        raise SigningUnavailable(f"the keyring entry for {account} is not a key: {exc}") from exc
    if have != chosen.fingerprint:
        raise SigningUnavailable(
            f"the keyring key for {account} ({have}) is not {chosen.name}'s key in this "
            f"database ({chosen.fingerprint})"
        )
    return ArchiveEditor(chosen.name, chosen.email, chosen.public_key, chosen.fingerprint)


def _signing_program(account: str) -> str:
    """The wrapper git runs as gpg.ssh.program: reviewapp's signer, reached the short way.

    A frozen app answers ``--git-sign`` in its launcher; otherwise this interpreter runs the
    signer module with -P, so the working copy git runs it in (files from the archive) is never
    on the import path."""
    if getattr(sys, "frozen", False):
        command = f"{shlex.quote(sys.executable)} --git-sign"
    else:
        code = "import sys; from reviewapp.workflows.gitsign import main; sys.exit(main())"
        command = f"{shlex.quote(sys.executable)} -P -c {shlex.quote(code)}"
    return (
        "#!/bin/sh\n"
        "# Written by reviewapp: signs archive commits with the editor's key from the system\n"
        "# keyring (the private key is never written to disk).\n"
        f'exec {command} --account {shlex.quote(account)} "$@"\n'
    )


def _configure_signing(copy: WorkingCopy, editor: ArchiveEditor) -> None:
    """Set the working copy up so that every commit git makes is signed by editor."""
    wrapper = copy.path / ".git" / WRAPPER
    wrapper.write_text(_signing_program(editor.account), encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    settings = {
        "user.name": editor.name,
        "user.email": editor.email or editor.name,
        "gpg.format": "ssh",
        "user.signingKey": f"key::{editor.public_key}",
        "gpg.ssh.program": str(wrapper),
        "gpg.ssh.allowedSignersFile": str(copy.path / SIGNERS_FILE),
        "commit.gpgSign": "true",
        "reviewapp.reviewer": editor.name,
    }
    current = dict(
        line.split("\n", 1)
        for line in copy.git("config", "--local", "--list", "-z").text.split("\0")
        if "\n" in line
    )
    for name, value in settings.items():
        if current.get(name.lower()) != value:  # git lists names in lower case
            copy.git("config", name, value)


# ---------------------------------------------------------------------- results
@dataclass
class PullResult:
    commits: int = 0  # new commits verified
    imported: list[BundleImport] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one line per review not imported
    newer: list[str] = field(default_factory=list)  # re-signed there, older sign-off here
    second: list[str] = field(default_factory=list)  # second-review requests, assessments,
    # co-signatures imported
    tip: str = ""

    def lines(self) -> list[str]:
        out = [r.summary() for r in self.imported]
        out += [f"not imported: {line}" for line in self.newer]
        out += self.second
        if not self.commits:
            out.append("the archive has nothing new")
        else:
            fresh = sum(not r.skipped for r in self.imported)
            out.append(
                f"{self.commits} new commit(s) verified; {fresh} review(s) imported, "
                f"{len(self.imported) - fresh} already here"
            )
        return out


@dataclass
class PushResult:
    pulled: PullResult
    written: list[str] = field(default_factory=list)  # review folders added
    resigned: list[str] = field(default_factory=list)  # folders given a newer sign-off
    cosigned: list[str] = field(default_factory=list)  # folders given their co-signature
    already: int = 0  # signed-off reviews here that the archive already has
    not_allowed: list[str] = field(default_factory=list)  # signer not in allowed_signers
    attempts: int = 0
    commit: str = ""

    def lines(self) -> list[str]:
        out = [f"added {folder}" for folder in self.written]
        out += [
            f"re-signed {folder} (its newer sign-off replaces the files)"
            for folder in self.resigned
        ]
        out += [f"co-signature added to {folder}" for folder in self.cosigned]
        out += [f"not pushed: {line}" for line in self.not_allowed]
        if self.written or self.resigned or self.cosigned:
            again = f" (after {self.attempts - 1} retry/retries)" if self.attempts > 1 else ""
            resigned = f" and {len(self.resigned)} re-signed" if self.resigned else ""
            if self.cosigned:
                resigned += f" and {len(self.cosigned)} co-signature(s)"
            out.append(
                f"pushed {len(self.written)} review(s){resigned} in commit "
                f"{self.commit[:12]}{again}; {self.already} already in the archive"
            )
        else:
            out.append(
                f"nothing to push; {self.already} signed-off review(s) already in the archive"
            )
        return out


@dataclass
class ArchiveStatus:
    path: Path
    url: str
    reviewer: str
    verified: str  # the last verified commit here ('' when none)
    tip: str  # the archive's tip as last fetched
    behind: int  # commits in the archive not verified and imported here yet
    ahead: list[str]  # titles of signed-off reviews here that the archive lacks
    in_archive: int  # review folders at the verified commit
    second: list[str] = field(default_factory=list)  # second reviews waiting, one line each

    def lines(self) -> list[str]:
        return [
            f"archive: {self.url}",
            f"working copy: {self.path}",
            f"signing as: {self.reviewer or '(nobody yet: push sets it)'}",
            f"verified up to: {self.verified[:12] or '(nothing yet)'}; the archive is at "
            f"{self.tip[:12] or '(empty)'}",
            f"behind: {self.behind} commit(s) to pull",
            f"ahead: {len(self.ahead)} signed-off review(s) here to push",
            *(f"  {title}" for title in self.ahead),
            f"{self.in_archive} review(s) in the archive",
            *self.second,
        ]


# ---------------------------------------------------------------------- init and clone
def init_archive(
    store: ReviewStore,
    secrets: SecretStore,
    db_path: Path,
    url: str,
    reviewer: str = "",
    cancel: threading.Event | None = None,
) -> WorkingCopy:
    """Start a shared archive at url (a new bare repository when url is a path that does not
    exist yet): its first commit holds allowed_signers with the editor's key, signed by it."""
    git_program()
    editor = archive_editor(store, secrets, reviewer)
    if _looks_local(url):
        target = Path(url).expanduser().absolute()
        if not target.exists():
            run_git(["init", "-q", "--bare", "-b", BRANCH, str(target)])
        url = str(target)
    copy = _new_working_copy(db_path, url)
    try:
        heads = copy.git("ls-remote", "--heads", "origin", timeout=NETWORK_TIMEOUT, cancel=cancel)
        if heads.text.strip():
            raise BadInput(
                f"the repository at {url} already has history; join it with `reviewapp "
                "archive clone URL` instead"
            )
        _configure_signing(copy, editor)
        (copy.path / SIGNERS_FILE).write_text(editor.signer_line + "\n", encoding="utf-8")
        (copy.path / "README.md").write_text(README, encoding="utf-8")
        copy.git("add", SIGNERS_FILE, "README.md")
        copy.git(
            "commit",
            "-q",
            "-m",
            f"Start the review archive, trusting {editor.account} ({editor.fingerprint})",
        )
        copy.git("push", "-q", "origin", BRANCH, timeout=NETWORK_TIMEOUT, cancel=cancel)
    except BaseException:
        shutil.rmtree(copy.path, ignore_errors=True)
        raise
    return copy


def clone_archive(
    store: ReviewStore,
    db_path: Path,
    url: str,
    fingerprint: str = "",
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> PullResult:
    """Join an archive: an empty working copy, then a pull that verifies the whole history
    (from the first commit, optionally checked against the fingerprint the editor was given)."""
    git_program()
    if _looks_local(url):
        url = str(Path(url).expanduser().absolute())
    copy = _new_working_copy(db_path, url)
    try:
        return _pull(store, copy, cancel, progress, root_fingerprint=fingerprint.strip())
    except BaseException:
        shutil.rmtree(copy.path, ignore_errors=True)
        raise


# ---------------------------------------------------------------------- pull
def pull_archive(
    store: ReviewStore,
    db_path: Path,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> PullResult:
    """Fetch, verify every new commit and every review they touched, import the good ones.

    Raises VerificationFailed when a commit fails (nothing is imported). A review that fails
    is listed in ``refused`` and not imported; the others are, and the working copy stays at
    the last verified commit so the next pull reports the refusal again.
    """
    return _pull(store, open_archive(db_path), cancel, progress)


def _fetch(copy: WorkingCopy, cancel: threading.Event | None) -> str | None:
    copy.git("fetch", "-q", "origin", timeout=NETWORK_TIMEOUT, cancel=cancel)
    return copy.rev(REMOTE_TIP)


def _pull(
    store: ReviewStore,
    copy: WorkingCopy,
    cancel: threading.Event | None,
    progress: Progress | None,
    root_fingerprint: str = "",
) -> PullResult:
    report = progress or (lambda percent, text: None)
    report(5, "fetching")
    tip = _fetch(copy, cancel)
    if tip is None:
        raise BadInput(f"the archive at {copy.url} has no branch {BRANCH} yet")
    local = copy.rev("HEAD")
    result = PullResult(tip=tip)
    if local == tip:
        return result
    if (
        local is not None
        and copy.git("merge-base", "--is-ancestor", local, tip, check=False).returncode
    ):
        raise VerificationFailed(
            f"the archive's history was rewritten: commit {local[:12]}, verified here, is no "
            "longer in it; nothing was imported (ask who force-pushed)"
        )
    report(20, "verifying commits")
    shas = new_commits(copy.path, local, tip)
    verify_commits(copy.path, shas, root_fingerprint if local is None else "")
    result.commits = len(shas)
    _check_cancel(cancel)
    report(50, "verifying reviews")
    checked, cosigned = _check_reviews(copy, local, tip, result, cancel)
    report(80, "importing")
    result.imported = import_bundles(store, checked) if checked else []
    result.newer = _newer_signoffs(store, checked, result.imported)
    _import_cosignatures(store, cosigned, result)
    arrived = pull_second(store, copy, local, tip)
    result.second += arrived.lines
    result.refused += arrived.refused
    if not result.refused:
        copy.git("merge", "-q", "--ff-only", tip)
    report(100, "done")
    return result


def _newer_signoffs(
    store: ReviewStore, checked: list[CheckedBundle], imported: list[BundleImport]
) -> list[str]:
    """Reviews here that the archive holds a later sign-off of (re-signed elsewhere). Bundle
    import keeps a review it already holds as it is, so these are said, not imported."""
    if not any(done.skipped for done in imported):
        return []
    current = store.current_signatures()
    lines = []
    for bundle, done in zip(checked, imported, strict=True):
        if not done.skipped:
            continue
        live = [s for s in bundle.bundle["signoffs"] if not s["superseded_at"]]
        here, here_at = current.get(done.review_id, ("", ""))
        if live and live[0]["signature"].strip() != here.strip() and live[0]["signed_at"] > here_at:
            lines.append(
                f"{bundle.label} holds a newer sign-off ({live[0]['signed_at']}, by "
                f"{live[0]['reviewer']}) of review {done.review_id} here (“{done.title}”); "
                "reviewapp does not replace a review it already holds (as bundle import), so "
                "the one here stays as it is; the verified files are in the working copy"
            )
    return lines


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise GitCancelled("cancelled; nothing was imported")


def _changed_folders(copy: WorkingCopy, local: str | None, tip: str) -> list[str]:
    """Review folders that the new commits touched and that exist at tip."""
    if local is None:
        out = copy.git("ls-tree", "-r", "--name-only", "-z", tip, "--", files.REVIEWS).stdout
    else:
        out = copy.git("diff", "--name-only", "-z", local, tip, "--", files.REVIEWS).stdout
    folders: dict[str, None] = {}
    for raw in out.split(b"\0"):
        parts = raw.decode("utf-8", errors="replace").split("/")
        if len(parts) >= 4:  # reviews/YYYY/MM/NAME/FILE
            folders["/".join(parts[:4])] = None
    return list(folders)


def _last_commits(copy: WorkingCopy, local: str | None, tip: str) -> dict[str, str]:
    """Review folder -> the newest of the new commits that changed it (for messages), from one
    git log rather than one per folder."""
    span = f"{local}..{tip}" if local else tip
    out = copy.git("log", "--format=commit %H", "--name-only", span, "--", files.REVIEWS).text
    newest: dict[str, str] = {}
    commit = tip
    for line in out.splitlines():
        if line.startswith("commit "):
            commit = line[len("commit ") :].strip()
        elif line:
            newest.setdefault("/".join(line.split("/")[:4]), commit)
    return newest


def _read_folders(
    copy: WorkingCopy, tip: str, folders: list[str]
) -> tuple[list[bytes | None], bytes]:
    """The content of each folder's files (files.FILES order, None where missing) at tip, and
    allowed_signers there: one ls-tree, one cat-file.

    Objects are asked for by name, not by path: git resolves "TIP:path" by walking the trees
    for every path, and a month's tree of thousands of reviews made that take minutes."""
    wanted = set(folders)
    blobs: dict[str, str] = {}
    listing = copy.git("ls-tree", "-r", "-z", tip, "--", files.REVIEWS).stdout
    for entry in listing.split(b"\0"):
        meta, _, raw_path = entry.partition(b"\t")  # "MODE blob SHA\tPATH"
        path = raw_path.decode("utf-8", errors="replace")
        folder, _, leaf = path.rpartition("/")
        kind, _, sha = meta.partition(b" ")[2].partition(b" ")
        if folder in wanted and leaf in files.FILES and kind == b"blob":
            blobs[path] = sha.decode("ascii")
    shas = [blobs.get(f"{folder}/{name}") for folder in folders for name in files.FILES]
    present = [sha for sha in shas if sha]
    read = read_objects(copy.path, [*present, f"{tip}:{SIGNERS_FILE}"])
    by_sha = dict(zip(present, read[:-1], strict=True))
    return [by_sha[sha] if sha else None for sha in shas], read[-1] or b""


def _check_reviews(
    copy: WorkingCopy,
    local: str | None,
    tip: str,
    result: PullResult,
    cancel: threading.Event | None,
) -> tuple[list[CheckedBundle], list[_Cosigned]]:
    """The reviews that verified, and the co-signatures among them (checked with them)."""
    folders = []
    for folder in _changed_folders(copy, local, tip):
        if files.FOLDER.fullmatch(folder):
            folders.append(folder)
        else:  # its name cannot even be asked for safely; never imported
            result.refused.append(
                f"{folder!r} is not a review folder of the archive's layout "
                "(reviews/YYYY/MM/<slug>-<uid>); nothing in it was imported"
            )
    contents, signers = _read_folders(copy, tip, folders)
    last_commit = _last_commits(copy, local, tip)
    checked = []
    cosigned = []
    for i, folder in enumerate(folders):
        _check_cancel(cancel)
        found = dict(
            zip(
                files.FILES,
                contents[i * len(files.FILES) : (i + 1) * len(files.FILES)],
                strict=True,
            )
        )
        if all(content is None for content in found.values()):
            continue  # removed from the archive: nothing to import
        commit = last_commit.get(folder, tip)
        try:
            checked.append(files.check_review(files.ReviewFiles(folder, commit, found), signers))
        except VerificationFailed as exc:
            result.refused.append(str(exc))
            continue
        cosignature = found.get(files.COSIGNATURE)
        if cosignature is not None:
            cosigned.append(
                _Cosigned(
                    f"{folder}/{files.COSIGNATURE}",
                    found[files.MARKDOWN] or b"",
                    cosignature.decode("ascii", errors="replace"),
                    signers.decode("utf-8", errors="replace"),
                )
            )
    return checked, cosigned


@dataclass(frozen=True)
class _Cosigned:
    """A co-signature found beside a review that verified (check_review checked it too)."""

    label: str
    markdown: bytes
    signature: str
    signers: str


def _import_cosignatures(store: ReviewStore, cosigned: list[_Cosigned], result: PullResult) -> None:
    """Keep each co-signature of a sign-off this library holds (once), saying so."""
    for found in cosigned:
        try:
            review_id = import_archived_cosignature(
                store, found.markdown, found.signature, found.signers, found.label
            )
        except (BadInput, VerificationFailed) as exc:
            result.refused.append(f"{found.label}: {exc}; it was not kept")
            continue
        if review_id is not None:
            signoff = store.load_review(review_id).current_signoff
            who = signoff.cosignature.signer if signoff and signoff.cosignature else ""
            result.second.append(
                f"co-signature of the second reviewer {who} kept with review {review_id} "
                f"(from {found.label})"
            )


# ---------------------------------------------------------------------- push
def push_archive(
    store: ReviewStore,
    secrets: SecretStore,
    db_path: Path,
    reviewer: str = "",
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
    on_committed: Callable[[], None] | None = None,
) -> PushResult:
    """Pull, write every signed-off review the archive lacks, commit (signed), push; redo on
    top when someone pushed meanwhile. on_committed runs between the commit and the push (tests
    push from another computer there)."""
    copy = open_archive(db_path)
    editor = archive_editor(store, secrets, reviewer or copy.config("reviewapp.reviewer"))
    report = progress or (lambda percent, text: None)
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        pulled = _pull(store, copy, cancel, None)
        if pulled.refused:
            raise VerificationFailed(
                "not pushed: the archive holds reviews that failed verification (run `reviewapp "
                f"archive pull` for the list); first: {pulled.refused[0]}"
            )
        report(40, "writing reviews")
        _configure_signing(copy, editor)
        _check_editor_trusted(copy, editor)
        result = PushResult(pulled=pulled, attempts=attempt)
        _write_reviews(store, copy, result)
        if not result.written and not result.resigned and not result.cosigned:
            return result
        before = copy.rev("HEAD")
        # Only the folders written: git then looks at those, not at every file in the archive.
        copy.git("add", "-A", "--", *result.written, *result.resigned, *result.cosigned)
        result.commit = _commit_signed(copy, editor, secrets, before, _push_message(result))
        if on_committed is not None:
            on_committed()
        report(80, "pushing")
        try:
            if _push(copy, cancel):
                report(100, "done")
                return result
        except BaseException:
            _undo_commit(copy, before)
            raise
        _undo_commit(copy, before)  # someone pushed first: redo on top of theirs
    raise BadInput(
        f"the archive changed {PUSH_ATTEMPTS} times while pushing; nothing was pushed, try again"
    )


@dataclass
class Published:
    """What publish_files did: the commit pushed ('' when the archive held the files already)."""

    pulled: PullResult
    commit: str = ""
    attempts: int = 0


def publish_files(
    store: ReviewStore,
    secrets: SecretStore,
    db_path: Path,
    contents: dict[str, bytes],
    message: str,
    reviewer: str = "",
    cancel: threading.Event | None = None,
) -> Published:
    """Pull, write these files (paths relative to the archive's root) into the working copy,
    commit them signed and push; redo on top when someone pushed meanwhile (as push does).
    Nothing is committed when the archive holds exactly these bytes already."""
    copy = open_archive(db_path)
    editor = archive_editor(store, secrets, reviewer or copy.config("reviewapp.reviewer"))
    paths = list(contents)
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        pulled = _pull(store, copy, cancel, None)
        if pulled.refused:
            raise VerificationFailed(
                "not pushed: the archive holds files that failed verification (run `reviewapp "
                f"archive pull` for the list); first: {pulled.refused[0]}"
            )
        _configure_signing(copy, editor)
        _check_editor_trusted(copy, editor)
        changed = False
        for relative, content in contents.items():
            target = copy.path / relative
            if target.is_file() and target.read_bytes() == content:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, content)
            changed = True
        done = Published(pulled, attempts=attempt)
        tracked = copy.git("ls-files", "--", *paths).text.split("\n")
        if not changed and all(p in tracked for p in paths):
            return done
        before = copy.rev("HEAD")
        copy.git("add", "-A", "--", *paths)
        done.commit = _commit_signed(copy, editor, secrets, before, message)
        try:
            if _push(copy, cancel):
                return done
        except BaseException:
            _undo_commit(copy, before)
            raise
        _undo_commit(copy, before)  # someone pushed first: redo on top of theirs
    raise BadInput(
        f"the archive changed {PUSH_ATTEMPTS} times while pushing; nothing was pushed, try again"
    )


def _push_message(result: PushResult) -> str:
    """ "Add 2 review(s): a, b" / "Re-sign 1 review(s): c" / both, joined by "; "."""

    def part(verb: str, folders: list[str]) -> str:
        names = ", ".join(folder.rsplit("/", 1)[-1] for folder in folders[:3])
        more = f" and {len(folders) - 3} more" if len(folders) > 3 else ""
        return f"{verb} {len(folders)} review(s): {names}{more}"

    parts = [part("Add", result.written)] if result.written else []
    if result.resigned:
        parts.append(part("Re-sign", result.resigned))
    if result.cosigned:
        parts.append(part("Add the co-signature of", result.cosigned))
    return "; ".join(parts)


def _commit_signed(
    copy: WorkingCopy,
    editor: ArchiveEditor,
    secrets: SecretStore,
    parent: str | None,
    message: str,
) -> str:
    """Commit the index, signed here with the editor's keyring key: the object `git commit -S`
    would make through .git/reviewapp-sign, without starting git's signing program (a second
    interpreter and keyring connection per push)."""
    stored = secrets.get(SERVICE, editor.account)
    if stored is None:
        raise SigningUnavailable(f"the system keyring no longer holds {editor.account}'s key")
    key = sshsig.private_key_from_text(stored)
    tree = copy.git("write-tree").text.strip()
    raw = signed_commit_object(
        editor.name, editor.email or editor.name, key, tree, parent, int(time.time()), message
    )
    sha = copy.git("hash-object", "-t", "commit", "-w", "--stdin", input=raw).text.strip()
    copy.git("update-ref", "-m", f"commit: {message}", "HEAD", sha, parent or "")
    return sha


def _push(copy: WorkingCopy, cancel: threading.Event | None) -> bool:
    """True when pushed; False when git refused it as not a fast-forward."""
    out = copy.git(
        "push",
        "-q",
        "--porcelain",
        "origin",
        f"HEAD:refs/heads/{BRANCH}",
        timeout=NETWORK_TIMEOUT,
        cancel=cancel,
        check=False,
    )
    if out.returncode == 0:
        return True
    said = out.text + out.stderr
    if "[rejected]" in said or "non-fast-forward" in said or "fetch first" in said:
        return False
    raise GitFailed(f"git push failed: {first_line(out.stderr)}", out.stderr)


def _undo_commit(copy: WorkingCopy, before: str | None) -> None:
    if before is not None:
        copy.git("reset", "-q", "--hard", before)
        copy.git("clean", "-q", "-fd", "--", files.REVIEWS, SECOND)


def _check_editor_trusted(copy: WorkingCopy, editor: ArchiveEditor) -> None:
    text = (copy.path / SIGNERS_FILE).read_text(encoding="utf-8", errors="replace")
    if not files.signer_allowed(text, editor.fingerprint, "git"):
        raise BadInput(
            f"your key ({editor.account}, {editor.fingerprint}) is not in the archive's "
            f"{SIGNERS_FILE}, so nobody would accept your commits; send a trusted editor your "
            f"line (reviewapp key export --reviewer {shlex.quote(editor.name)}) and ask them to "
            "run `reviewapp archive trust LINE --fingerprint FINGERPRINT`"
        )


def _archived_folders(copy: WorkingCopy) -> dict[str, str]:
    """uid -> the review's folder (relative, reviews/YYYY/MM/NAME) in the working copy."""
    root = copy.path / files.REVIEWS
    if not root.is_dir():
        return {}
    found = {}
    for path in root.glob("*/*/*"):
        uid = files.uid_of_folder(path.name)
        if uid and path.is_dir():
            found[uid] = path.relative_to(copy.path).as_posix()
    return found


def _archived_uids(copy: WorkingCopy) -> set[str]:
    return set(_archived_folders(copy))


def _archived_signature(copy: WorkingCopy, folder: str) -> str:
    try:
        return (copy.path / folder / files.SIGNATURE).read_text("ascii", errors="replace")
    except OSError:
        return ""


def _archived_signed_at(copy: WorkingCopy, folder: str) -> str:
    try:
        markdown = (copy.path / folder / files.MARKDOWN).read_bytes()
    except OSError:
        return ""
    return front_matter_fields(markdown).get("signed_at", "")


@dataclass
class _Pending:
    missing: list[int]  # signed-off reviews the archive lacks
    resigned: dict[int, str]  # review id -> its folder: signed off again here since
    already: int  # the archive holds their current sign-off
    # review id -> its folder: the archive holds this sign-off but not the co-signature that
    # came here since (by file, `second import-cosignature`)
    cosigned: dict[int, str] = field(default_factory=dict)


def _pending_reviews(store: ReviewStore, copy: WorkingCopy) -> _Pending:
    """What a push would write: new reviews, and reviews re-signed here after the sign-off the
    archive holds (an older or equal one there stays; a newer one there is not overwritten)."""
    archived = _archived_folders(copy)
    current = store.current_signatures() if archived else {}
    cosigned = store.cosigned_reviews() if archived else set()
    pending = _Pending([], {}, 0)
    for review_id, created_at, first_hash in store.signed_off_identities():
        folder = archived.get(files.review_uid(created_at, first_hash))
        if folder is None:
            pending.missing.append(review_id)
            continue
        signature, signed_at = current.get(review_id, ("", ""))
        if signature.strip() != _archived_signature(copy, folder).strip() and (
            signed_at > _archived_signed_at(copy, folder)
        ):
            pending.resigned[review_id] = folder
        elif review_id in cosigned and not (copy.path / folder / files.COSIGNATURE).exists():
            pending.cosigned[review_id] = folder
        else:
            pending.already += 1
    return pending


def _missing_reviews(store: ReviewStore, copy: WorkingCopy) -> tuple[list[int], int]:
    """The ids of signed-off reviews the archive lacks (or holds an older sign-off of), and
    how many it has already."""
    pending = _pending_reviews(store, copy)
    return [*pending.missing, *pending.resigned, *pending.cosigned], pending.already


def _write_reviews(store: ReviewStore, copy: WorkingCopy, result: PushResult) -> None:
    pending = _pending_reviews(store, copy)
    result.already = pending.already
    signers = (copy.path / SIGNERS_FILE).read_text(encoding="utf-8", errors="replace")
    for review_id in [*pending.missing, *pending.resigned, *pending.cosigned]:
        data = store.load_review(review_id)
        signoff = data.current_signoff
        if signoff is None:
            continue
        if not files.signer_allowed(signers, signoff.fingerprint, "reviewapp"):
            result.not_allowed.append(
                f"review {review_id} (“{data.revision.meta.title}”) is signed by "
                f"{signoff.reviewer}'s key {signoff.fingerprint}, which the archive's "
                f"{SIGNERS_FILE} does not list"
            )
            continue
        # A re-signed review keeps its folder (its name in every library); the files change.
        kept = pending.resigned.get(review_id) or pending.cosigned.get(review_id)
        folder = kept or files.review_folder(store, data)
        files.write_review(store, data, copy.path / folder)
        if review_id in pending.resigned:
            result.resigned.append(folder)
        elif review_id in pending.cosigned:  # the same files, and the co-signature beside them
            result.cosigned.append(folder)
        else:
            result.written.append(folder)


# ---------------------------------------------------------------------- trust
def trust_in_archive(
    store: ReviewStore,
    secrets: SecretStore,
    db_path: Path,
    source: str,
    fingerprint: str,
    reviewer: str = "",
    cancel: threading.Event | None = None,
) -> str:
    """Add another editor's key to the archive's allowed_signers in a commit signed by this
    editor (who must be trusted there already); returns the line added."""
    candidates = allowed_signers.trust_candidates(source)
    chosen = [c for c in candidates if c.fingerprint == fingerprint.strip()]
    if not chosen:
        shown = "; ".join(f"{c.principal} {c.fingerprint}" for c in candidates)
        raise BadInput(
            f"no key with fingerprint {fingerprint!r} in what was given ({shown}); compare the "
            "fingerprint with the key's owner and give it with --fingerprint"
        )
    line = allowed_signers.signer_line(chosen[0].principal, chosen[0].key_line, SIGNER_NAMESPACES)
    copy = open_archive(db_path)
    editor = archive_editor(store, secrets, reviewer or copy.config("reviewapp.reviewer"))
    for _attempt in range(PUSH_ATTEMPTS):
        pulled = _pull(store, copy, cancel, None)
        if pulled.refused:
            raise VerificationFailed(f"not changed: {pulled.refused[0]}")
        _configure_signing(copy, editor)
        _check_editor_trusted(copy, editor)
        path = copy.path / SIGNERS_FILE
        text = path.read_text(encoding="utf-8")
        if files.signer_allowed(text, chosen[0].fingerprint, "git"):
            return line
        path.write_text(
            text + ("" if text.endswith("\n") or not text else "\n") + line + "\n", encoding="utf-8"
        )
        before = copy.rev("HEAD")
        copy.git("add", SIGNERS_FILE)
        copy.git("commit", "-q", "-m", f"Trust {chosen[0].principal} ({chosen[0].fingerprint})")
        try:
            if _push(copy, cancel):
                return line
        except BaseException:
            _undo_commit(copy, before)
            raise
        _undo_commit(copy, before)
    raise BadInput(f"the archive changed {PUSH_ATTEMPTS} times meanwhile; try again")


# ---------------------------------------------------------------------- status
def archive_status(
    store: ReviewStore, db_path: Path, fetch: bool = True, cancel: threading.Event | None = None
) -> ArchiveStatus:
    """What the archive has that this library lacks, and the reverse."""
    copy = open_archive(db_path)
    tip = (_fetch(copy, cancel) if fetch else copy.rev(REMOTE_TIP)) or ""
    local = copy.rev("HEAD") or ""
    behind = 0
    if tip and tip != local:
        behind = len(new_commits(copy.path, local or None, tip))
    missing, _already = _missing_reviews(store, copy)
    ahead = [f"review {rid}: {store.load_review(rid).revision.meta.title}" for rid in missing]
    return ArchiveStatus(
        path=copy.path,
        url=copy.url,
        reviewer=copy.config("reviewapp.reviewer"),
        verified=local,
        tip=tip,
        behind=behind,
        ahead=ahead,
        in_archive=len(_archived_uids(copy)),
        second=_second_pending(store, copy),
    )


def _second_pending(store: ReviewStore, copy: WorkingCopy) -> list[str]:
    """Second reviews waiting on someone: requests of ours without an assessment (and whether
    the archive carries the request), requests here not assessed yet, and sign-offs whose
    second reviewer has not co-signed."""
    waiting, to_assess = store.second_reviews_pending()
    lines = []
    for review_id in waiting:
        record = store.load_review(review_id).second_review
        assert record is not None
        sent = (copy.path / request_path(record.review_uid)).is_file()
        how = "through the archive" if sent else "as a file"
        lines.append(
            f"second review: review {review_id} waits for the assessment it asked for ({how}, "
            f"{record.requested_at})"
        )
    lines += [
        f"second review: review {review_id} is a colleague's request to assess; then "
        f"reviewapp second sign {review_id} --archive"
        for review_id in to_assess
    ]
    lines += [
        f"second review: review {review_id} is signed off; its second reviewer has not co-signed "
        "it yet (pull brings the co-signature)"
        for review_id in store.signed_off_without_cosignature()
    ]
    return lines


__all__ = [
    "ArchiveStatus",
    "Published",
    "PullResult",
    "PushResult",
    "archive_path",
    "archive_status",
    "clone_archive",
    "init_archive",
    "publish_files",
    "pull_archive",
    "push_archive",
    "trust_in_archive",
]
