"""`reviewapp verify` and `ssh-keygen -Y verify` agree on every file, signer and trust list.

Two editors, A and B, each sign off a review on their own machine (a real sign-off, keys in a
memory secret store). An attacker who holds one of the keys re-renders the other's file (names,
fingerprint) and signs it again. For every (who signed) x (whom the file names) x (allowed
signers file), and for every (who signed) x (whom the file names) x (database), both verifiers
must give the same answer, and a success must name the owner of the key as the verifier trusts it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewapp.export.bundle import store_bundle
from reviewapp.secrets import SERVICE, MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.signing.allowed_signers import signer_line
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import import_bundle
from reviewapp.workflows.signoff import sign_off
from tests.test_signoff_fixtures import needs_ssh_keygen, ready_review

pytestmark = needs_ssh_keygen


@dataclass(frozen=True)
class Editor:
    name: str
    email: str


A = Editor("Editor A", "a@example.org")
B = Editor("Editor B", "b@example.org")
SIGNERS = {"A": A, "B": B}
# Whom the file names: a person (name and email), nobody, or a person by name only.
NAMED = ["A", "B", "nobody", "A by name only"]


def run_cli(*args: object, db: Path) -> tuple[int, str, str]:
    from reviewapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--db", str(db), *map(str, args)])
    return code, out.getvalue(), err.getvalue()


def ssh_keygen(allowed: Path, principal: str, md: Path) -> int:
    with open(md, "rb") as stdin:
        return subprocess.run(
            [
                "ssh-keygen",
                "-Y",
                "verify",
                "-f",
                str(allowed),
                "-I",
                principal,
                "-n",
                "reviewapp",
                "-s",
                f"{md}.sig",
            ],
            stdin=stdin,
            capture_output=True,
            env={**os.environ, "LC_ALL": "C"},
        ).returncode


@dataclass
class World:
    folder: Path
    keys: dict[str, sshsig.Ed25519PrivateKey]
    lines: dict[str, str]  # "A" -> "ssh-ed25519 AAAA..."
    markdown: dict[str, bytes]  # each editor's genuine signed Markdown
    libraries: dict[str, Path]
    bundles: dict[str, bytes]

    def fingerprint(self, who: str) -> str:
        return sshsig.fingerprint(self.keys[who].public_key())


def _library(folder: Path, editor: Editor, secrets: MemorySecretStore) -> tuple[Path, bytes, bytes]:
    path = folder / f"{editor.name[-1].lower()}.db"
    with ReviewStore(path) as store:
        review_id = ready_review(store)
        record = sign_off(store, review_id, editor.name, editor.email, secrets=secrets)
        bundle = store_bundle(store, store.load_review(review_id))
    return path, record.markdown, bundle


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("matrix")
    secrets = MemorySecretStore()
    libraries, markdown, bundles, keys = {}, {}, {}, {}
    for who, editor in SIGNERS.items():
        libraries[who], markdown[who], bundles[who] = _library(folder, editor, secrets)
        pem = secrets.get(SERVICE, editor.email)
        assert pem is not None
        keys[who] = sshsig.private_key_from_text(pem)
    lines = {who: sshsig.public_key_line(key.public_key()) for who, key in keys.items()}
    return World(folder, keys, lines, markdown, libraries, bundles)


def _rename(markdown: bytes, frm: Editor, to: Editor) -> bytes:
    return markdown.replace(frm.name.encode(), to.name.encode()).replace(
        frm.email.encode(), to.email.encode()
    )


def make_file(world: World, signer: str, named: str, folder: Path) -> tuple[Path, str]:
    """The file as the attacker (or the honest signer) makes it; returns it and the principal
    the reader asks ssh-keygen about (the front matter's email, else its name)."""
    # Start from the genuine file of whoever the file names (A for the variants of A).
    base = "B" if named == "B" else "A"
    markdown = world.markdown[base]
    if base != signer:  # re-rendered under the signer's own key, as an attacker would
        markdown = markdown.replace(
            world.fingerprint(base).encode(), world.fingerprint(signer).encode()
        )
    editor = SIGNERS[base]
    principal = editor.email
    if named == "nobody":
        markdown = markdown.replace(f'reviewer: "{editor.name}"'.encode(), b'reviewer: ""').replace(
            f'reviewer_email: "{editor.email}"'.encode(), b'reviewer_email: ""'
        )
        principal = ""
    elif named == "A by name only":
        markdown = markdown.replace(
            f'reviewer_email: "{editor.email}"'.encode(), b'reviewer_email: ""'
        ).replace(f" ({editor.email})".encode(), b"")
        principal = editor.name
    md = folder / f"signed-by-{signer}-names-{named.replace(' ', '-')}.md"
    md.write_bytes(markdown)
    Path(f"{md}.sig").write_text(sshsig.sign(markdown, world.keys[signer]))
    return md, principal


# ---------------------------------------------------------------------- allowed-signers files
def _allowed_files(world: World) -> dict[str, str]:
    a, b = world.lines["A"], world.lines["B"]
    a_line = f'a@example.org namespaces="reviewapp" {a}\n'
    b_line = f'b@example.org namespaces="reviewapp" {b}\n'
    return {
        "A only": a_line,
        "B only": b_line,
        "both": a_line + b_line,
        "A's key bound to B's email": f'b@example.org namespaces="reviewapp" {a}\n',
        "wildcard for A's key": f'*@example.org namespaces="reviewapp" {a}\n',
        "wildcard except B for A's key": f'*@example.org,!b@* namespaces="reviewapp" {a}\n',
        "A by name": f'"Editor A" namespaces="reviewapp" {a}\n',
        'namespaces="git" only': (a_line + b_line).replace('"reviewapp"', '"git"'),
        'namespaces="review*"': f'a@example.org namespaces="review*" {a}\n',
        "A expired (valid-before 2020)": f'a@example.org valid-before="20200101Z" {a}\n',
        "A not yet valid (valid-after 2999)": f'a@example.org valid-after="29990101" {a}\n',
        "A valid since 2020": f'a@example.org valid-after="20200101",namespaces="reviewapp" {a}\n',
        "empty": "",
    }


ALLOWED = [
    "A only",
    "B only",
    "both",
    "A's key bound to B's email",
    "wildcard for A's key",
    "wildcard except B for A's key",
    "A by name",
    'namespaces="git" only',
    'namespaces="review*"',
    "A expired (valid-before 2020)",
    "A not yet valid (valid-after 2999)",
    "A valid since 2020",
    "empty",
]


@pytest.mark.parametrize("allowed_name", ALLOWED)
@pytest.mark.parametrize("named", NAMED)
@pytest.mark.parametrize("signer", ["A", "B"])
def test_reviewapp_and_ssh_keygen_agree_with_an_allowed_signers_file(
    world, tmp_path, signer, named, allowed_name
):
    md, principal = make_file(world, signer, named, tmp_path)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(_allowed_files(world)[allowed_name])
    code, out, err = run_cli("verify", md, "--allowed-signers", allowed, db=tmp_path / "none.db")
    openssh = ssh_keygen(allowed, principal, md)
    assert (code == 0) == (openssh == 0), (code, out, err, openssh)
    if code == 0:  # the reported signer is the principal the trusted line vouches for
        assert out.startswith(f"Good signature by {principal}")
        assert out.rstrip().endswith(f"key {world.fingerprint(signer)}")
    else:
        assert code == 1, err
        assert world.fingerprint(signer) in err or "signature" in err


# ---------------------------------------------------------------------- databases
def _database(world: World, name: str, folder: Path) -> Path:
    """A's library as it is, or after the editor trusted or imported something."""
    owner = "B" if name == "B's library" else "A"
    db = folder / "library.db"
    shutil.copy(world.libraries[owner], db)
    if name == "A's library, B trusted":
        line = signer_line(B.email, world.lines["B"])
        code, _, err = run_cli(
            "key", "trust", line, "--name", B.name, "--fingerprint", world.fingerprint("B"), db=db
        )
        assert code == 0, err
    elif name == "A's library, B's key trusted for Editor A":
        line = signer_line(A.email, world.lines["B"])
        code, _, err = run_cli(
            "key", "trust", line, "--name", A.name, "--fingerprint", world.fingerprint("B"), db=db
        )
        assert code == 0, err
    elif name == "A's library, B's bundle imported":
        with ReviewStore(db) as store:
            import_bundle(store, world.bundles["B"], "b.json")
    return db


DATABASES = [
    "A's library",
    "B's library",
    "A's library, B trusted",
    "A's library, B's key trusted for Editor A",
    "A's library, B's bundle imported",
]


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("named", NAMED)
@pytest.mark.parametrize("signer", ["A", "B"])
def test_reviewapp_with_a_database_agrees_with_ssh_keygen_and_its_key_export(
    world, tmp_path, signer, named, database
):
    md, principal = make_file(world, signer, named, tmp_path)
    db = _database(world, database, tmp_path)
    export_code, exported, _ = run_cli("key", "export", db=db)
    assert export_code == 0
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(exported)
    code, out, err = run_cli("verify", md, db=db)
    openssh = ssh_keygen(allowed, principal, md)
    assert (code == 0) == (openssh == 0), (code, out, err, openssh)
    if code == 0:  # the name and email the database trusts the key for, which the file names
        named_editor = SIGNERS["B" if named == "B" else "A"]
        assert out.startswith(f"Good signature by {named_editor.name} <{named_editor.email}>")
        assert out.rstrip().endswith(f"key {world.fingerprint(signer)}")
    else:
        assert code == 1, err
        assert world.fingerprint(signer) in err
