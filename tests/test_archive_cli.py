"""The archive commands' bad-input answers, and git's signing program on its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput, SigningUnavailable
from reviewapp.secrets import SERVICE, MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.workflows import archive_commits
from reviewapp.workflows.gitsign import parse_sign_request, sign_file
from tests.conftest import file_digest
from tests.test_signoff_fixtures import needs_ssh_keygen

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def test_without_git_every_archive_command_says_so_in_one_line(cli, db_path, tmp_path, monkeypatch):
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for args in (("init", tmp_path / "shared.git"), ("clone", "x"), ("pull",), ("status",)):
        result = cli("archive", *args)
        assert result.code == 2, args
        lines = result.err.strip().splitlines()
        assert len(lines) == 1
        assert "git is not installed" in lines[0] and "apt-get install git" in lines[0]
    assert not (tmp_path / "shared.git").exists()
    assert not db_path.exists()  # nothing was written, not even an empty library


def test_commands_on_a_database_without_an_archive_say_how_to_start_one(cli, db_path):
    for action in ("pull", "push", "status"):
        result = cli("archive", action)
        assert result.code == 2
        assert "has no shared archive yet" in result.err
        assert "reviewapp archive init" in result.err


def test_init_needs_a_reviewer_with_a_key(cli, db_path, store, tmp_path):
    before = file_digest(db_path)
    result = cli("archive", "init", tmp_path / "shared.git")
    assert file_digest(db_path) == before
    assert result.code == 2
    assert "sign off a review first" in result.err
    assert not (tmp_path / "shared.git").exists()


# ---------------------------------------------------------------------- the signing program
def _request(tmp_path: Path, public_line: str, data: bytes) -> tuple[Path, Path]:
    key_file = tmp_path / ".git_signing_key_tmp"
    key_file.write_text(public_line + "\n")
    buffer = tmp_path / ".git_signing_buffer_tmp"
    buffer.write_bytes(data)
    return key_file, buffer


def test_git_sign_requests_are_read_as_git_2_39_makes_them():
    request = parse_sign_request(["-Y", "sign", "-n", "git", "-f", "/tmp/k", "/tmp/buf"])
    assert request is not None
    assert (request.namespace, str(request.key_file), str(request.data_file)) == (
        "git",
        "/tmp/k",
        "/tmp/buf",
    )
    assert parse_sign_request(["-Y", "verify", "-n", "git"]) is None  # handed to ssh-keygen
    with pytest.raises(BadInput):
        parse_sign_request(["-Y", "sign", "-n", "git", "/tmp/buf"])  # no key named


@needs_ssh_keygen
def test_the_signature_written_for_git_verifies_with_ssh_keygen(tmp_path):
    secrets = MemorySecretStore()
    key = sshsig.new_private_key()
    secrets.set(SERVICE, "ada@example.org", sshsig.private_key_to_text(key))
    line = sshsig.public_key_line(key.public_key())
    key_file, buffer = _request(tmp_path, line, b"tree 4b825dc6\n\ncommit message\n")
    request = parse_sign_request(["-Y", "sign", "-n", "git", "-f", str(key_file), str(buffer)])
    assert request is not None
    sig = sign_file(request, secrets, "ada@example.org")
    assert sig == buffer.with_name(buffer.name + ".sig")
    signers = tmp_path / "allowed_signers"
    signers.write_text(f'ada@example.org namespaces="git" {line}\n')
    with open(buffer, "rb") as data:
        checked = subprocess.run(
            [
                *("ssh-keygen", "-Y", "verify", "-f", str(signers)),
                *("-I", "ada@example.org", "-n", "git", "-s", str(sig)),
            ],
            stdin=data,
            capture_output=True,
        )
    assert checked.returncode == 0, checked.stderr


def test_signing_refuses_when_the_keyring_key_is_not_the_one_git_asks_for(tmp_path):
    secrets = MemorySecretStore()
    secrets.set(SERVICE, "ada@example.org", sshsig.private_key_to_text(sshsig.new_private_key()))
    other = sshsig.public_key_line(sshsig.new_private_key().public_key())
    key_file, buffer = _request(tmp_path, other, b"commit")
    request = parse_sign_request(["-Y", "sign", "-n", "git", "-f", str(key_file), str(buffer)])
    assert request is not None
    with pytest.raises(SigningUnavailable, match="is not the archive's signing key"):
        sign_file(request, secrets, "ada@example.org")
    assert not buffer.with_name(buffer.name + ".sig").exists()
    with pytest.raises(SigningUnavailable, match="holds no reviewapp key"):
        sign_file(request, MemorySecretStore(), "bea@example.org")


def test_the_module_entry_point_reports_a_failure_as_one_line_and_exit_1(tmp_path):
    key_file, buffer = _request(tmp_path, "not a key", b"commit")
    env = {**os.environ, "REVIEWAPP_SECRET_STORE": "memory"}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "reviewapp.cli.gitsign", "--account", "ada@example.org"),
            *("-Y", "sign", "-n", "git", "-f", str(key_file), str(buffer)),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("reviewapp (git signing): cannot read the public key")
    assert len(done.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------- commit objects
@needs_git
def test_a_commit_signed_by_plain_ssh_keygen_is_read_and_checked_like_git(tmp_path):
    """Our reading of a signed commit agrees with git: same payload, same signer."""
    key = tmp_path / "k"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    repo = tmp_path / "r"
    env = {**os.environ, "LC_ALL": "C"}

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
        ).stdout

    repo.mkdir()
    git("init", "-q", "-b", "main")
    for name, value in {
        "user.name": "Ada",
        "user.email": "ada@example.org",
        "gpg.format": "ssh",
        "user.signingKey": str(key),
        "commit.gpgSign": "true",
    }.items():
        git("config", name, value)
    public = key.with_suffix(".pub").read_text().strip()
    (repo / "allowed_signers").write_text(f'ada@example.org namespaces="git" {public}\n')
    git("add", "allowed_signers")
    git("commit", "-q", "-m", "first")
    (repo / "x").write_text("x")
    git("add", "x")
    git("commit", "-q", "-m", "second\n\nwith a body")
    shas = archive_commits.new_commits(repo, None, "HEAD")
    signers = archive_commits.verify_commits(repo, shas)
    assert [s.principal for s in signers] == ["ada@example.org"] * 2
    git("-c", "commit.gpgSign=false", "commit", "-q", "--allow-empty", "-m", "unsigned")
    with pytest.raises(Exception, match="is not signed"):
        archive_commits.verify_commits(repo, archive_commits.new_commits(repo, shas[-1], "HEAD"))
