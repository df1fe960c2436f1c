"""Benchmark: pulling and verifying new reviews from a large shared archive, against a floor.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_archive.py [--quick]

An archive of ARCHIVED signed reviews by 20 editors (10,000; --quick 200) in commits of 50,
each commit SSH-signed by its editor (the editors' throwaway keys are files here: git signs
with plain ssh-keygen). A library that has verified the archive so far then pulls NEW reviews
(1,000; --quick 40) that the 20 editors pushed meanwhile, one commit each: `archive pull`
verifies every new commit against its parent's allowed_signers and every review (Markdown
signature and signer, attestation, bundle against the signed Markdown) and imports them.
The floor, measured on the same files in the same run: `git verify-commit` of each new commit
plus `ssh-keygen -Y verify` of each new review's Markdown. Goal: within 2x of the floor and
under 60 s. Then a push of one review into that archive (its commit signed through the keyring,
in a private gnome-keyring; skipped when there is none): goal under 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402

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
from reviewapp.workflows.archive import SIGNER_NAMESPACES, archive_path, pull_archive  # noqa: E402
from reviewapp.workflows.signoff import sign_off  # noqa: E402

EDITORS = 20
BATCH = 50
GOAL_RATIO, GOAL_SECONDS, GOAL_PUSH = 2.0, 60.0, 2.0
ENV = {**os.environ, "LC_ALL": "C"}


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=ENV, capture_output=True, text=True, check=True
    ).stdout


class Editor:
    def __init__(self, n: int, folder: Path):
        self.name, self.email = f"Editor {n:02d}", f"editor{n:02d}@example.org"
        self.key = sshsig.new_private_key()
        self.key_file = folder / f"editor{n:02d}"
        self.key_file.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.OpenSSH,
                serialization.NoEncryption(),
            )
        )
        self.key_file.chmod(0o600)
        self.public = sshsig.public_key_line(self.key.public_key())

    def signing(self) -> list[str]:
        return [
            *("-c", "gpg.format=ssh", "-c", f"user.signingKey={self.key_file}"),
            *("-c", "gpg.ssh.program=ssh-keygen", "-c", "commit.gpgSign=true"),
            *("-c", f"user.name={self.name}", "-c", f"user.email={self.email}"),
        ]


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


def commit_reviews(
    store: ReviewStore, work: Path, editor: Editor, ids: list[int], folders: list[str]
) -> str:
    for review_id in ids:
        data = store.load_review(review_id)
        folder = archive_files.review_folder(store, data)
        archive_files.write_review(store, data, work / folder)
        folders.append(folder)
    git("add", "-A", cwd=work)
    git(*editor.signing(), "commit", "-q", "-m", f"Add {len(ids)} reviews", cwd=work)
    return git("rev-parse", "HEAD", cwd=work).strip()


def floor_seconds(
    work: Path, editors: list[Editor], commits: list[str], folders: list[str]
) -> float:
    """git verify-commit of each new commit, ssh-keygen -Y verify of each new review."""
    signers = work / "allowed_signers"
    by_email = {e.email for e in editors}
    start = time.perf_counter()
    for sha in commits:
        git(
            *("-c", f"gpg.ssh.allowedSignersFile={signers}", "-c", "gpg.ssh.program=ssh-keygen"),
            *("verify-commit", sha),
            cwd=work,
        )
    for folder in folders:
        md = work / folder / archive_files.MARKDOWN
        text = md.read_text(encoding="utf-8")
        principal = next(e for e in by_email if e in text)
        with open(md, "rb") as stdin:
            subprocess.run(
                [
                    *("ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", principal),
                    *("-n", "reviewapp", "-s", str(md.with_name(archive_files.SIGNATURE))),
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


def push_one(folder: Path, puller_db: Path, editor: Editor, number: int) -> float | None:
    from reviewapp.secrets import KeyringSecretStore
    from reviewapp.workflows.archive import push_archive

    processes = private_keyring(folder)
    if processes is None:
        return None
    try:
        secrets = KeyringSecretStore()
        secrets.set(SERVICE, editor.email, sshsig.private_key_to_text(editor.key))
        with ReviewStore(puller_db) as store:
            signed_reviews(store, [editor], 1, number)
            start = time.perf_counter()
            result = push_archive(store, secrets, puller_db, reviewer=editor.name)
            seconds = time.perf_counter() - start
        assert len(result.written) == 1, result.lines()
        return seconds
    finally:
        for process in reversed(processes):
            process.kill()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 archived, 40 new")
    args = parser.parse_args()
    archived, new = (200, 40) if args.quick else (10000, 1000)
    if shutil.which("git") is None:
        print("git is not installed: skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        folder = Path(tmp)
        (folder / "keys").mkdir()
        editors = [Editor(n, folder / "keys") for n in range(EDITORS)]
        bare, work = folder / "shared.git", folder / "work"
        git("init", "-q", "--bare", "-b", "main", str(bare), cwd=folder)
        git("clone", "-q", str(bare), str(work), cwd=folder)
        (work / "allowed_signers").write_text(
            "".join(f'{e.email} namespaces="{SIGNER_NAMESPACES}" {e.public}\n' for e in editors)
        )
        git("add", "allowed_signers", cwd=work)
        git(*editors[0].signing(), "commit", "-q", "-m", "Start", cwd=work)

        began = time.perf_counter()
        source = ReviewStore(folder / "newsroom.db")
        ids = signed_reviews(source, editors, archived + new, 0)
        made = time.perf_counter() - began
        old_folders: list[str] = []
        for n in range(0, archived, BATCH):
            editor = editors[(n // BATCH) % EDITORS]
            commit_reviews(source, work, editor, ids[n : n + BATCH], old_folders)
        git("push", "-q", "origin", "HEAD:main", cwd=work)
        built = time.perf_counter() - began

        # The puller has verified the archive up to here (its working copy is at this commit).
        puller_db = folder / "desk" / "reviews.db"
        puller_db.parent.mkdir()
        ReviewStore(puller_db).close()
        git("clone", "-q", "--branch", "main", str(bare), str(archive_path(puller_db)), cwd=folder)

        # Meanwhile every editor pushes a commit of new reviews.
        fresh = ids[archived:]
        per_editor = len(fresh) // EDITORS
        commits, new_folders = [], []
        for n, editor in enumerate(editors):
            chunk = fresh[n * per_editor : (n + 1) * per_editor]
            commits.append(commit_reviews(source, work, editor, chunk, new_folders))
        git("push", "-q", "origin", "HEAD:main", cwd=work)
        source.close()

        floor = floor_seconds(work, editors, commits, new_folders)
        with ReviewStore(puller_db) as store:
            start = time.perf_counter()
            result = pull_archive(store, puller_db)
            pulled = time.perf_counter() - start
        imported = sum(not r.skipped for r in result.imported)
        assert imported == len(new_folders) and not result.refused, result.lines()
        pushed = push_one(folder / "keyring", puller_db, editors[0], archived + new)

    ratio = pulled / floor
    print(f"archive: {archived} reviews by {EDITORS} editors in {archived // BATCH + 1} commits")
    print(f"  setup: {len(ids)} sign-offs in {made:.1f} s, archive built in {built:.1f} s")
    print(f"pull of {len(new_folders)} new reviews in {len(commits)} commits:")
    print(f"  floor (git verify-commit + ssh-keygen -Y verify each): {floor:.2f} s")
    print(
        f"  archive pull (verify + import): {pulled:.2f} s = {ratio:.2f}x the floor "
        f"(goal {GOAL_RATIO}x, under {GOAL_SECONDS:.0f} s): "
        f"{'met' if ratio <= GOAL_RATIO and pulled <= GOAL_SECONDS else 'NOT met'}"
    )
    if pushed is None:
        print("push of one review: skipped (no dbus-daemon/gnome-keyring-daemon for a keyring)")
    else:
        print(
            f"push of one review into the archive: {pushed:.2f} s (goal under {GOAL_PUSH:.0f} s):"
            f" {'met' if pushed <= GOAL_PUSH else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
