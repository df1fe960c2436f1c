"""The shared archive: signed commits plain git verifies, and pull refusing what is not trusted.

Two editors with their own homes, databases and keyrings (tests/archive_editors.py) share one
local bare repository. Tampering is done the way an attacker or a careless colleague would:
plain git commits, unsigned, signed by a key of their own, or signed by a trusted editor over
files that were changed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from reviewapp.store import ReviewStore
from reviewapp.workflows import archive_files
from tests.archive_editors import Editor, start_editor

pytestmark = [pytest.mark.secret_service, pytest.mark.slow]


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    return tmp_path / "shared.git"


def _verify_commit(editor: Editor, rev: str) -> subprocess.CompletedProcess[str]:
    """Plain git with plain ssh-keygen, trusting the archive's allowed_signers."""
    return subprocess.run(
        [
            "git",
            "-c",
            "gpg.ssh.program=ssh-keygen",
            "-c",
            f"gpg.ssh.allowedSignersFile={editor.archive / 'allowed_signers'}",
            "verify-commit",
            rev,
        ],
        cwd=editor.archive,
        env={**editor.env, "LC_ALL": "C"},
        capture_output=True,
        text=True,
    )


def _titles(editor: Editor) -> list[str]:
    store = ReviewStore(editor.db)
    try:
        return sorted(r.title for r in store.list_reviews())
    finally:
        store.close()


def _started(ada: Editor, shared: Path) -> None:
    """Ada has signed a review off, started the archive and pushed it."""
    ada.signed_review("First review")
    ada.ok("archive", "init", shared)
    ada.ok("archive", "push")


# ---------------------------------------------------------------------- signed commits
def test_every_commit_is_signed_and_plain_git_verifies_it(ada, shared):
    _started(ada, shared)
    log = ada.git("-c", "gpg.ssh.program=ssh-keygen", "log", "--show-signature")
    good = f'Good "git" signature for {ada.email} with ED25519 key {ada.fingerprint()}'
    assert log.count(good) == 2  # the first commit (allowed_signers) and the review
    for rev in ("HEAD", "HEAD~1"):
        checked = _verify_commit(ada, rev)
        assert checked.returncode == 0, checked.stderr
        assert good in checked.stderr
    # the bare repository holds the same signed history
    bare = subprocess.run(
        ["git", "log", "--format=%G? %s"], cwd=shared, capture_output=True, text=True
    )
    assert bare.stdout.count("\n") == 2


def test_the_archive_layout_holds_the_signed_files_and_allowed_signers(ada, shared):
    _started(ada, shared)
    folders = list((ada.archive / "reviews").glob("*/*/*"))
    assert len(folders) == 1
    folder = folders[0]
    assert folder.name.startswith("first-review-")
    assert sorted(p.name for p in folder.iterdir()) == [
        "review.intoto.json",
        "review.json",
        "review.md",
        "review.md.sig",
    ]
    signers = (ada.archive / "allowed_signers").read_text()
    assert signers.startswith(f'{ada.email} namespaces="git,reviewapp" ssh-ed25519 ')
    # the Markdown verifies with plain ssh-keygen against the archive's allowed_signers
    with open(folder / "review.md", "rb") as md:
        verified = subprocess.run(
            [
                *("ssh-keygen", "-Y", "verify", "-f", str(ada.archive / "allowed_signers")),
                *("-I", ada.email, "-n", "reviewapp", "-s", str(folder / "review.md.sig")),
            ],
            stdin=md,
            capture_output=True,
        )
    assert verified.returncode == 0, verified.stderr


def test_clone_verifies_and_imports_and_a_second_pull_has_nothing_new(ada, bea, shared):
    _started(ada, shared)
    cloned = bea.ok("archive", "clone", shared, "--fingerprint", ada.fingerprint())
    assert "2 new commit(s) verified; 1 review(s) imported" in cloned.out
    assert _titles(bea) == ["First review"]
    again = bea.ok("archive", "pull")
    assert "the archive has nothing new" in again.out
    assert _titles(bea) == ["First review"]


def test_clone_refuses_an_archive_started_by_another_key_than_the_one_given(ada, bea, shared):
    _started(ada, shared)
    bea.signed_review("Bea's own")  # makes Bea's key, which is not the archive's first
    refused = bea.run("archive", "clone", shared, "--fingerprint", bea.fingerprint())
    assert refused.code == 1
    assert "not by " + bea.fingerprint() in refused.err
    assert _titles(bea) == ["Bea's own"]
    assert not bea.archive.exists()


def test_status_says_what_is_ahead_and_behind(ada, bea, shared):
    _started(ada, shared)
    bea.ok("archive", "clone", shared)
    ada.signed_review("Second review")
    status = ada.ok("archive", "status").out
    assert "ahead: 1 signed-off review(s) here to push" in status
    assert "Second review" in status
    ada.ok("archive", "push")
    status = bea.ok("archive", "status").out
    assert "behind: 1 commit(s) to pull" in status
    bea.ok("archive", "pull")
    assert "behind: 0 commit(s)" in bea.ok("archive", "status").out


# ---------------------------------------------------------------------- refusals
def _tamper_copy(editor: Editor, shared: Path, name: str) -> Path:
    """A plain git clone of the shared repository, as an attacker's or a colleague's."""
    path = editor.home / name
    subprocess.run(["git", "clone", "-q", str(shared), str(path)], check=True, env=editor.env)
    editor.git("config", "user.name", "Mallory", cwd=path)
    editor.git("config", "user.email", "mallory@example.org", cwd=path)
    return path


def _mallory_key(editor: Editor) -> Path:
    """An attacker's SSH key (on disk: it is a test attacker's, not an editor's)."""
    (editor.home / "keys").mkdir(exist_ok=True)
    key = editor.home / "keys" / "mallory"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(key)], check=True
    )
    return key


def _review_folder(editor: Editor, review_id: int, into: Path) -> str:
    """Write the signed review's archive files into a working tree; returns the folder."""
    store = ReviewStore(editor.db)
    try:
        data = store.load_review(review_id)
        folder = archive_files.review_folder(store, data)
        archive_files.write_review(store, data, into / folder)
    finally:
        store.close()
    return folder


def _commit(editor: Editor, path: Path, message: str, *options: str) -> str:
    editor.git(*options, "add", "-A", cwd=path)
    editor.git(*options, "commit", "-q", "-m", message, cwd=path)
    editor.git("push", "-q", "origin", "HEAD:main", cwd=path)
    return editor.git("rev-parse", "HEAD", cwd=path).strip()


def _refused(bea: Editor, commit: str, file: str) -> str:
    before = _titles(bea)
    result = bea.run("archive", "pull")
    assert result.code == 1, result.out + result.err
    assert commit[:12] in result.err
    assert file in result.err
    assert _titles(bea) == before  # nothing of it was imported
    return result.err


@pytest.fixture
def cloned(ada, bea, shared) -> None:
    _started(ada, shared)
    bea.ok("archive", "clone", shared)


def test_an_unsigned_commit_is_refused(ada, bea, shared, cloned):
    review = ada.signed_review("Unsigned arrival")
    copy = _tamper_copy(ada, shared, "plain")
    folder = _review_folder(ada, review, copy)
    commit = _commit(ada, copy, "add a review, unsigned", "-c", "commit.gpgsign=false")
    err = _refused(bea, commit, folder)
    assert "is not signed" in err
    assert _verify_commit(ada, commit).returncode != 0  # plain git agrees


def test_a_commit_signed_by_an_untrusted_key_is_refused(ada, bea, shared, cloned):
    review = ada.signed_review("Forged arrival")
    key = _mallory_key(ada)
    copy = _tamper_copy(ada, shared, "mallory")
    folder = _review_folder(ada, review, copy)
    signed = ("-c", "gpg.format=ssh", "-c", f"user.signingKey={key}", "-c", "commit.gpgsign=true")
    commit = _commit(ada, copy, "add a review", *signed)
    err = _refused(bea, commit, folder)
    assert "does not trust" in err


def test_a_key_added_by_an_untrusted_commit_stays_untrusted(ada, bea, shared, cloned):
    review = ada.signed_review("Self-trusted arrival")
    key = _mallory_key(ada)
    copy = _tamper_copy(ada, shared, "mallory")
    line = f'mallory@example.org namespaces="git,reviewapp" {key.with_suffix(".pub").read_text()}'
    with open(copy / "allowed_signers", "a") as signers:
        signers.write(line)
    signed = ("-c", "gpg.format=ssh", "-c", f"user.signingKey={key}", "-c", "commit.gpgsign=true")
    adds_key = _commit(ada, copy, "trust mallory", *signed)
    _review_folder(ada, review, copy)
    _commit(ada, copy, "add a review", *signed)  # would pass if the key had been trusted
    err = _refused(bea, adds_key, "allowed_signers")
    assert "does not trust" in err


def _trusted_change(ada: Editor, review: int, change) -> tuple[str, str]:
    """Ada (trusted) writes a review into her own working copy, lets change() alter it, and
    commits and pushes with plain git, signed by her keyring key."""
    folder = _review_folder(ada, review, ada.archive)
    change(ada.archive / folder)
    ada.git("add", "-A")
    ada.git("commit", "-q", "-m", "add a review")
    ada.git("push", "-q", "origin", "main")
    return folder, ada.git("rev-parse", "HEAD").strip()


def test_edited_markdown_is_refused_and_a_good_review_beside_it_is_imported(
    ada, bea, shared, cloned
):
    good = ada.signed_review("Good neighbour")
    bad = ada.signed_review("Edited after signing")
    _review_folder(ada, good, ada.archive)

    def edit(folder: Path) -> None:
        md = folder / "review.md"
        signed = md.read_bytes()
        md.write_bytes(signed.replace(b"$4 billion", b"$8 billion"))
        assert md.read_bytes() != signed

    folder, commit = _trusted_change(ada, bad, edit)
    assert _verify_commit(ada, commit).returncode == 0  # the commit itself is fine
    result = bea.run("archive", "pull")
    assert result.code == 1
    assert f"{folder}/review.md (commit {commit[:12]})" in result.err
    assert "does not match" in result.err
    assert _titles(bea) == ["First review", "Good neighbour"]
    # the working copy stays at the last verified commit: the next pull says it again
    assert bea.run("archive", "pull").code == 1


def test_a_swapped_signature_is_refused(ada, bea, shared, cloned):
    other = ada.signed_review("Other review")
    review = ada.signed_review("Swapped signature")
    other_sig = ReviewStore(ada.db)
    try:
        sig = other_sig.load_review(other).current_signoff.signature.encode()
    finally:
        other_sig.close()
    folder, commit = _trusted_change(
        ada, review, lambda folder: (folder / "review.md.sig").write_bytes(sig)
    )
    err = _refused(bea, commit, f"{folder}/review.md")
    assert "does not match" in err


def test_a_bundle_that_disagrees_with_its_signed_markdown_is_refused(ada, bea, shared, cloned):
    review = ada.signed_review("Bundle changed")

    def change_bundle(folder: Path) -> None:
        bundle = json.loads((folder / "review.json").read_text())
        bundle["claims"][0]["status"] = "verified"
        (folder / "review.json").write_text(json.dumps(bundle))

    folder, commit = _trusted_change(ada, review, change_bundle)
    err = _refused(bea, commit, f"{folder}/review.json")
    assert "differs from the review its reviewer signed" in err


def test_a_review_signed_by_someone_not_in_allowed_signers_is_refused(ada, bea, shared, tmp_path):
    _started(ada, shared)
    cat = start_editor(tmp_path, "Cat Outsider", "cat@example.org")
    try:
        review = cat.signed_review("Outsider's review")
        # Ada, trusted, commits Cat's signed review by hand (push itself would not)
        folder = _review_folder(cat, review, ada.archive)
        ada.git("add", "-A")
        ada.git("commit", "-q", "-m", "add cat's review")
        ada.git("push", "-q", "origin", "main")
        commit = ada.git("rev-parse", "HEAD").strip()
    finally:
        cat.stop()
    result = bea.run("archive", "clone", shared)
    assert result.code == 1
    assert f"{folder}/review.md (commit {commit[:12]})" in result.err
    assert "not among the known signers" in result.err
    assert _titles(bea) == ["First review"]


def test_a_rewritten_history_is_refused(ada, bea, shared, cloned):
    ada.signed_review("Second review")
    ada.ok("archive", "push")
    bea.ok("archive", "pull")
    # Ada (trusted, signing) rewrites the last commit and force-pushes it
    ada.git("commit", "-q", "--amend", "-m", "rewritten")
    ada.git("push", "-q", "--force", "origin", "main")
    result = bea.run("archive", "pull")
    assert result.code == 1
    assert "history was rewritten" in result.err
    bea.signed_review("Bea's review")
    pushed = bea.run("archive", "push")  # nothing is pushed on top of it either
    assert pushed.code == 1 and "history was rewritten" in pushed.err
