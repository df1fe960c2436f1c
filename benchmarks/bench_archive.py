"""Benchmark: pulling and verifying new reviews from a large shared archive, against a floor.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_archive.py [--quick]

An archive of ARCHIVED signed reviews by 20 editors (10,000; --quick 200) in commits of 50,
each commit SSH-signed by its editor. A library that has verified the archive so far then pulls
NEW reviews (1,000; --quick 40) that the 20 editors pushed meanwhile, one commit each: `archive
pull` verifies every new commit against its parent's allowed_signers and every review (Markdown
signature and signer, attestation, bundle against the signed Markdown) and imports them. The
floor, measured on the same files in the same run: `git verify-commit` of each new commit plus
`ssh-keygen -Y verify` of each new review's Markdown. Goal: within 2x of the floor and under
60 s. Then a push of one review into that archive (its commit signed through the keyring, in a
private gnome-keyring; skipped when there is none): goal under 2 s.

Building is not measured against anything, but it must not take an hour: every review is a
real sign-off in a scratch library (its files are exactly what `archive push` writes), and the
archive is written straight into a bare repository: one `git fast-import` lays out the trees,
then each commit is rebuilt on its tree with its editor's SSH signature made in-process (the
`gpgsig` header git itself writes) and stored with one `git hash-object`. `git verify-commit`
(the floor) checks those signatures with ssh-keygen, so they are what git would have made.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewapp.core.model import (  # noqa: E402
    AiInvolvement,
    ArticleMeta,
    EditorialResponsibility,
    ImportedDraft,
)
from reviewapp.core.text import build_document  # noqa: E402
from reviewapp.secrets import SERVICE, MemorySecretStore  # noqa: E402
from reviewapp.signing import sshsig  # noqa: E402
from reviewapp.store import ReviewStore  # noqa: E402
from reviewapp.workflows import archive_files  # noqa: E402
from reviewapp.workflows.archive import (  # noqa: E402
    README,
    SIGNER_NAMESPACES,
    archive_path,
    pull_archive,
)
from reviewapp.workflows.archive_commits import (  # noqa: E402
    SIGNERS_FILE,
    signed_commit_object,
)
from reviewapp.workflows.signoff import sign_off  # noqa: E402

EDITORS = 20
BATCH = 50
GOAL_RATIO, GOAL_SECONDS, GOAL_PUSH = 2.0, 60.0, 2.0
ENV = {**os.environ, "LC_ALL": "C"}
EPOCH = 1_767_225_600  # commit times: 2026-01-01, one second apart


def git(*args: str, cwd: Path, input: bytes | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=ENV, input=input, capture_output=True, check=True
    ).stdout.decode()


class Editor:
    def __init__(self, n: int):
        self.name, self.email = f"Editor {n:02d}", f"editor{n:02d}@example.org"
        self.key = sshsig.new_private_key()
        self.public = sshsig.public_key_line(self.key.public_key())


def signed_reviews(store: ReviewStore, editors: list[Editor], count: int, start: int) -> list[int]:
    """count reviews, each on its own short article, signed off by the editors in turn."""
    secrets = MemorySecretStore()
    for editor in editors:
        secrets.set(SERVICE, editor.email, sshsig.private_key_to_text(editor.key))
    ids = []
    for n in range(start, start + count):
        paragraphs = [
            f"The council approved {n} new homes on Tuesday.",
            f"Officials said the plan would cost {n * 3} million euros.",
        ]
        document = build_document(
            [("heading", f"Housing plan {n}", 1), *(("paragraph", p) for p in paragraphs)]
        )
        meta = ArticleMeta(title=f"Housing plan {n}")
        draft = ImportedDraft(document, meta, b"raw", "text/plain", "bench", "d.txt")
        editor = editors[n % len(editors)]
        with store.transaction():
            review_id = store.add_article(draft)
            # Both sentences are check-worthy: the gate wants each claimed (or dismissed).
            store.add_claim_by_quote(review_id, "approved", status="opinion")
            store.add_claim_by_quote(review_id, "would cost", status="opinion")
            store.set_review(review_id, reviewer=editor.name, verdict="publish")
            store.set_accountability(
                review_id,
                ai=AiInvolvement("yes", tools="ExampleWriter 2"),
                responsibility=EditorialResponsibility("The Daily Example"),
            )
        sign_off(store, review_id, editor.name, editor.email, secrets=secrets)
        ids.append(review_id)
    return ids


@dataclass
class Review:
    folder: str
    email: str  # who signed it
    files: dict[str, bytes]


def review_files(store: ReviewStore, ids: list[int], editors: list[Editor]) -> list[Review]:
    """What `archive push` would write for each review: its folder and files."""
    by_name = {e.name: e.email for e in editors}
    out = []
    for review_id in ids:
        data = store.load_review(review_id)
        assert data.current_signoff is not None
        out.append(
            Review(
                archive_files.review_folder(store, data),
                by_name[data.current_signoff.reviewer],
                archive_files.review_contents(store, data),
            )
        )
    return out


@dataclass
class Batch:
    editor: Editor
    message: str
    files: dict[str, bytes]  # path in the archive -> content


def build_commits(repo: Path, parent: str | None, batches: list[Batch], when: int) -> list[str]:
    """Append one signed commit per batch to the bare repo's main (after parent); their names."""
    # The trees: fast-import writes every blob and tree from one stream, on a scratch branch.
    scratch = "refs/bench/trees"
    stream = bytearray()
    for i, batch in enumerate(batches):
        msg = batch.message.encode()
        stream += f"commit {scratch}\ncommitter Bench <bench@example.org> {when} +0000\n".encode()
        stream += b"data %d\n%s\n" % (len(msg), msg)
        if i == 0 and parent:
            stream += f"from {parent}\n".encode()
        for path, content in batch.files.items():
            stream += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content)
        stream += b"\n"
    git("fast-import", "--quiet", "--force", cwd=repo, input=bytes(stream))
    span = f"{parent}..{scratch}" if parent else scratch
    trees = git("log", "--reverse", "--format=%T", span, cwd=repo).split()
    git("update-ref", "-d", scratch, cwd=repo)
    assert len(trees) == len(batches)
    # The commits: each rebuilt on its tree, signed by its editor, stored by hash-object.
    shas, objects = [], []
    for n, (batch, tree) in enumerate(zip(batches, trees, strict=True)):
        editor = batch.editor
        raw = signed_commit_object(
            editor.name, editor.email, editor.key, tree, parent, when + n, batch.message
        )
        parent = hashlib.sha1(b"commit %d\0" % len(raw) + raw).hexdigest()
        shas.append(parent)
        objects.append(raw)
    with tempfile.TemporaryDirectory(prefix="bench-commits-") as tmp:
        paths = []
        for n, raw in enumerate(objects):
            path = Path(tmp) / f"{n}"
            path.write_bytes(raw)
            paths.append(str(path))
        stored = git(
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--stdin-paths",
            cwd=repo,
            input="\n".join(paths).encode() + b"\n",
        ).split()
    assert stored == shas, "git names the commits otherwise: the bench builds them wrong"
    git("update-ref", "refs/heads/main", shas[-1], cwd=repo)
    return shas


def batches_of(reviews: list[Review], editors: list[Editor], size: int) -> list[Batch]:
    out = []
    for n in range(0, len(reviews), size):
        chunk = reviews[n : n + size]
        files = {f"{r.folder}/{name}": content for r in chunk for name, content in r.files.items()}
        out.append(Batch(editors[len(out) % len(editors)], f"Add {len(chunk)} reviews", files))
    return out


def floor_seconds(
    repo: Path, folder: Path, signers: bytes, commits: list[str], reviews: list[Review]
) -> float:
    """git verify-commit of each new commit, ssh-keygen -Y verify of each new review."""
    folder.mkdir()
    signers_file = folder / "allowed_signers"
    signers_file.write_bytes(signers)
    for n, review in enumerate(reviews):  # the same files, on disk for ssh-keygen
        (folder / f"{n}.md").write_bytes(review.files[archive_files.MARKDOWN])
        (folder / f"{n}.md.sig").write_bytes(review.files[archive_files.SIGNATURE])
    start = time.perf_counter()
    for sha in commits:
        git(
            *("-c", f"gpg.ssh.allowedSignersFile={signers_file}"),
            *("-c", "gpg.ssh.program=ssh-keygen", "verify-commit", sha),
            cwd=repo,
        )
    for n, review in enumerate(reviews):
        with open(folder / f"{n}.md", "rb") as stdin:
            subprocess.run(
                [
                    *("ssh-keygen", "-Y", "verify", "-f", str(signers_file), "-I", review.email),
                    *("-n", "reviewapp", "-s", str(folder / f"{n}.md.sig")),
                ],
                stdin=stdin,
                capture_output=True,
                check=True,
            )
    return time.perf_counter() - start


def private_keyring(folder: Path) -> list[subprocess.Popen[bytes]] | None:
    """A D-Bus session bus and an unlocked gnome-keyring of this run's own, in os.environ."""
    if not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")):
        return None
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, parents=True)
    os.environ.update(HOME=str(folder), XDG_RUNTIME_DIR=str(runtime))
    os.environ.update(XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "cfg"))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "REVIEWAPP_SECRET_STORE", "PYTHON_KEYRING_BACKEND"):
        os.environ.pop(name, None)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert bus.stdout is not None
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
    keyring = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert keyring.stdin is not None
    keyring.stdin.write(b"bench-keyring")
    keyring.stdin.close()
    query = [
        *("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus"),
        *("/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner"),
        "string:org.freedesktop.secrets",
    ]
    for _ in range(400):
        if b"boolean true" in subprocess.run(query, capture_output=True).stdout:
            return [bus, keyring]
        time.sleep(0.05)
    for process in (keyring, bus):
        process.kill()
        process.wait()
    return None


def push_one(
    folder: Path, puller_db: Path, editor: Editor, number: int
) -> tuple[float, str] | None:
    """Seconds for `archive push` of one new review, and where they went (git's commands)."""
    from reviewapp.secrets import KeyringSecretStore
    from reviewapp.workflows import archive

    processes = private_keyring(folder)
    if processes is None:
        return None
    spent: list[tuple[str, float]] = []
    real_run_git = archive.run_git

    def timed_run_git(args, *rest, **options):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return real_run_git(args, *rest, **options)
        finally:
            spent.append((args[0], time.perf_counter() - start))

    try:
        secrets = KeyringSecretStore()
        secrets.set(SERVICE, editor.email, sshsig.private_key_to_text(editor.key))
        with ReviewStore(puller_db) as store:
            signed_reviews(store, [editor], 1, number)
            archive.run_git = timed_run_git
            start = time.perf_counter()
            result = archive.push_archive(store, secrets, puller_db, reviewer=editor.name)
            seconds = time.perf_counter() - start
        assert len(result.written) == 1, result.lines()
        in_git = sum(t for _, t in spent)
        steps = ", ".join(f"{name} {t:.2f}" for name, t in spent)
        return seconds, f"{len(spent)} git commands, {in_git:.2f} s in all (s): {steps}"
    finally:
        archive.run_git = real_run_git
        for process in reversed(processes):
            process.kill()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 archived, 40 new")
    parser.add_argument("--archived", type=int, help="reviews in the archive (default 10,000)")
    parser.add_argument("--new", type=int, help="new reviews to pull (default 1,000)")
    args = parser.parse_args()
    archived, new = (200, 40) if args.quick else (10000, 1000)
    archived, new = args.archived or archived, args.new or new
    if shutil.which("git") is None:
        print("git is not installed: skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        folder = Path(tmp)
        editors = [Editor(n) for n in range(EDITORS)]
        bare = folder / "shared.git"
        git("init", "-q", "--bare", "-b", "main", str(bare), cwd=folder)
        signers = "".join(
            f'{e.email} namespaces="{SIGNER_NAMESPACES}" {e.public}\n' for e in editors
        ).encode()
        start_files = {SIGNERS_FILE: signers, "README.md": README.encode()}
        (root,) = build_commits(bare, None, [Batch(editors[0], "Start", start_files)], EPOCH)

        began = time.perf_counter()
        source = ReviewStore(folder / "newsroom.db")
        # A scratch library: its durability does not matter, and fsync per sign-off would
        # make the 11,000 of them the slowest part of the run.
        source._conn.execute("PRAGMA synchronous = OFF")
        ids = signed_reviews(source, editors, archived + new, 0)
        reviews = review_files(source, ids, editors)
        source.close()
        made = time.perf_counter() - began
        began = time.perf_counter()
        old = batches_of(reviews[:archived], editors, BATCH)
        tip = build_commits(bare, root, old, EPOCH + 1)[-1]
        built = time.perf_counter() - began

        # The puller has verified the archive up to here (its working copy is at this commit).
        puller_db = folder / "desk" / "reviews.db"
        puller_db.parent.mkdir()
        ReviewStore(puller_db).close()
        git("clone", "-q", "--branch", "main", str(bare), str(archive_path(puller_db)), cwd=folder)

        # Meanwhile every editor pushes a commit of new reviews.
        fresh = reviews[archived:]
        commits = build_commits(
            bare, tip, batches_of(fresh, editors, len(fresh) // EDITORS), EPOCH + len(old) + 1
        )

        floor = floor_seconds(bare, folder / "floor", signers, commits, fresh)
        with ReviewStore(puller_db) as store:
            start = time.perf_counter()
            result = pull_archive(store, puller_db)
            pulled = time.perf_counter() - start
        imported = sum(not r.skipped for r in result.imported)
        assert imported == len(fresh) and not result.refused, result.lines()
        pushed = push_one(folder / "keyring", puller_db, editors[0], archived + new)

    ratio = pulled / floor
    print(f"archive: {archived} reviews by {EDITORS} editors in {len(old) + 1} commits")
    print(f"  setup: {len(ids)} sign-offs in {made:.1f} s, archive built in {built:.1f} s")
    print(f"pull of {len(fresh)} new reviews in {len(commits)} commits:")
    print(f"  floor (git verify-commit + ssh-keygen -Y verify each): {floor:.2f} s")
    print(
        f"  archive pull (verify + import): {pulled:.2f} s = {ratio:.2f}x the floor "
        f"(goal {GOAL_RATIO}x, under {GOAL_SECONDS:.0f} s): "
        f"{'met' if ratio <= GOAL_RATIO and pulled <= GOAL_SECONDS else 'NOT met'}"
    )
    if pushed is None:
        print("push of one review: skipped (no dbus-daemon/gnome-keyring-daemon for a keyring)")
    else:
        seconds, steps = pushed
        print(
            f"push of one review into the archive: {seconds:.2f} s (goal under {GOAL_PUSH:.0f} s):"
            f" {'met' if seconds <= GOAL_PUSH else 'NOT met'}"
        )
        print(f"  {steps}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
