"""The second reviewer's co-signature comes home: `second import-cosignature` keeps it with the
sign-off, exports write it beside the Markdown, the JSON bundle carries it, and plain ssh-keygen
verifies both signatures of the export. Two databases, the test-only in-process key store."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from tests import test_second_review_cli as two_desks
from tests.conftest import file_digest
from tests.test_second_review_cli import ADA, ADA_EMAIL, BOB, BOB_EMAIL, _assessed, _trust
from tests.test_signoff_fixtures import needs_ssh_keygen

# the two editors' databases and the in-process key store of the second-review CLI tests
desks = two_desks.desks
_memory_keys = two_desks._memory_keys


def _cosigned(cli, desks, tmp_path: Path) -> Path:
    """Ada settles, signs off and exports review.md; Bob co-signs it (review.md.second.sig)."""
    ada, bob = desks
    _assessed(cli, desks, tmp_path)
    for n, status in ((2, "partly-true"), (3, "opinion")):
        cli("second", "settle", "1", str(n), "--status", status, "--note", "Settled", db=ada)
    assert cli("signoff", "1", "--email", ADA_EMAIL, db=ada).code == 0
    sent = tmp_path / "sent"
    sent.mkdir()
    md = sent / "review.md"
    assert cli("export", "1", "-o", md, db=ada).code == 0
    _trust(cli, bob, ada, ADA)
    assert cli("second", "cosign", md, db=bob).code == 0
    return md


def _cosignature_here(db: Path, review_id: int = 1):
    with ReviewStore(db) as store:
        signoff = store.load_review(review_id).current_signoff
        assert signoff is not None
        return signoff.cosignature


def _ssh_keygen_verifies(cli, desks, md: Path, tmp_path: Path) -> None:
    ada, bob = desks
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(
        cli("key", "export", "--reviewer", ADA, db=ada).out
        + cli("key", "export", "--reviewer", BOB, db=bob).out
    )
    for principal, suffix in ((ADA_EMAIL, ".sig"), (BOB_EMAIL, ".second.sig")):
        with md.open("rb") as stdin:
            done = subprocess.run(
                [
                    *("ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", principal),
                    *("-n", "reviewapp", "-s", str(md.with_name(md.name + suffix))),
                ],
                stdin=stdin,
                capture_output=True,
            )
        assert done.returncode == 0, done.stderr


@needs_ssh_keygen
def test_the_co_signature_is_kept_and_every_export_writes_it_beside_the_markdown(
    cli, desks, tmp_path
):
    ada, _ = desks
    md = _cosigned(cli, desks, tmp_path)
    sent = md.with_name("review.md.second.sig")
    kept = cli("second", "import-cosignature", sent, db=ada)
    assert kept.code == 0, kept.err
    assert f"Kept the co-signature by {BOB} <{BOB_EMAIL}>" in kept.out
    cosignature = _cosignature_here(ada)
    assert cosignature is not None and cosignature.signature == sent.read_text()
    # a fresh export, elsewhere, writes both signatures; reviewapp and ssh-keygen verify both
    out = tmp_path / "out"
    out.mkdir()
    again = out / "amazon.md"
    assert cli("export", "1", "-o", again, db=ada).code == 0
    assert (out / "amazon.md.second.sig").read_bytes() == sent.read_bytes()
    verified = cli("verify", again, db=ada)
    assert verified.code == 0, verified.err
    assert f"Good co-signature by {BOB} <{BOB_EMAIL}> (second reviewer)" in verified.out
    _ssh_keygen_verifies(cli, desks, again, tmp_path)
    # importing it again changes nothing
    before = file_digest(ada)
    assert cli("second", "import-cosignature", sent, db=ada).code == 0
    assert file_digest(ada) == before


def test_second_import_recognises_a_co_signature_and_finds_its_review_by_key(cli, desks, tmp_path):
    ada, _ = desks
    md = _cosigned(cli, desks, tmp_path)
    alone = tmp_path / "from-bob.sig"  # sent without the Markdown: found by the signing key
    alone.write_bytes(md.with_name("review.md.second.sig").read_bytes())
    kept = cli("second", "import", alone, db=ada)
    assert kept.code == 0, kept.err
    assert "Kept the co-signature by" in kept.out
    assert _cosignature_here(ada) is not None


def test_the_json_bundle_carries_the_co_signature_into_another_library(cli, desks, tmp_path):
    ada, _ = desks
    md = _cosigned(cli, desks, tmp_path)
    assert (
        cli("second", "import-cosignature", md.with_name("review.md.second.sig"), db=ada).code == 0
    )
    bundle = tmp_path / "review.json"
    assert cli("export", "1", "--format", "json", "-o", bundle, db=ada).code == 0
    live = [s for s in json.loads(bundle.read_text())["signoffs"] if not s["superseded_at"]]
    assert live[0]["cosignature"]["fingerprint"] == _cosignature_here(ada).fingerprint
    carol = tmp_path / "carol.db"
    imported = cli("import-bundle", bundle, db=carol)
    assert imported.code == 0, imported.err
    assert _cosignature_here(carol).signature == _cosignature_here(ada).signature
    out = tmp_path / "carol.md"
    assert cli("export", "1", "-o", out, db=carol).code == 0
    assert out.with_name("carol.md.second.sig").exists()


def test_a_bundle_with_a_tampered_co_signature_is_refused(cli, desks, tmp_path):
    ada, _ = desks
    md = _cosigned(cli, desks, tmp_path)
    assert (
        cli("second", "import-cosignature", md.with_name("review.md.second.sig"), db=ada).code == 0
    )
    bundle = tmp_path / "review.json"
    assert cli("export", "1", "--format", "json", "-o", bundle, db=ada).code == 0
    data = json.loads(bundle.read_text())
    live = next(s for s in data["signoffs"] if not s["superseded_at"])
    other = sshsig.sign(base64.b64decode(live["markdown_base64"]), sshsig.new_private_key())
    live["cosignature"]["signature"] = other
    bundle.write_text(json.dumps(data))
    carol = tmp_path / "carol.db"
    refused = cli("import-bundle", bundle, db=carol)
    assert refused.code == 1
    assert "the co-signature is by key" in refused.err
    assert _titles(carol) == []


def _titles(db: Path) -> list[str]:
    if not db.exists():
        return []
    with ReviewStore(db) as store:
        return [r.title for r in store.list_reviews()]


def _flip(text: str) -> str:
    """The armoured signature with one base64 character of its body changed."""
    lines = text.splitlines()
    middle = lines[2]
    lines[2] = middle[:10] + ("A" if middle[10] != "A" else "B") + middle[11:]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("spoil", "code", "words"),
    [
        (_flip, 1, "does not verify"),
        (
            lambda text: "not a signature\n",
            2,
            "is not an SSH signature file",
        ),
    ],
)
def test_a_spoiled_co_signature_is_refused_in_one_line(cli, desks, tmp_path, spoil, code, words):
    ada, _ = desks
    md = _cosigned(cli, desks, tmp_path)
    sig = md.with_name("review.md.second.sig")
    sig.write_text(spoil(sig.read_text()))
    before = file_digest(ada)
    refused = cli("second", "import-cosignature", sig, db=ada)
    assert refused.code == code, refused.err
    assert len(refused.err.strip().splitlines()) == 1 and words in refused.err
    assert file_digest(ada) == before


def test_a_co_signature_by_another_key_than_the_one_named_is_refused(cli, desks, tmp_path):
    ada, _ = desks
    md = _cosigned(cli, desks, tmp_path)
    sig = md.with_name("review.md.second.sig")
    sig.write_text(sshsig.sign(md.read_bytes(), sshsig.new_private_key()))
    before = file_digest(ada)
    refused = cli("second", "import-cosignature", sig, db=ada)
    assert refused.code == 1
    assert "but the signed Markdown names" in refused.err
    assert file_digest(ada) == before


def test_a_co_signature_by_a_key_no_longer_trusted_is_refused(cli, desks, tmp_path):
    ada, bob = desks
    md = _cosigned(cli, desks, tmp_path)
    with ReviewStore(bob) as store:
        key = store.reviewer_by_name(BOB)
        assert key is not None
    assert cli("key", "untrust", key.fingerprint, db=ada).code == 0
    before = file_digest(ada)
    refused = cli("second", "import-cosignature", md.with_name("review.md.second.sig"), db=ada)
    assert refused.code == 1
    assert "not trusted here" in refused.err
    assert file_digest(ada) == before


def test_sending_needs_a_file_or_the_archive_and_says_so_in_one_line(cli, desks, tmp_path):
    ada, _ = desks
    before = file_digest(ada)
    _one_line(cli("second", "request", "1", db=ada), 2, "-o FILE, or --archive")
    _one_line(
        cli("second", "request", "1", "-o", tmp_path / "r.json", "--to", "b@x.org", db=ada),
        2,
        "--to goes with --archive",
    )
    _one_line(
        cli("second", "request", "1", "--archive", "--to", "b@x.org", db=ada),
        2,
        "has no shared archive yet",
    )
    _one_line(
        cli("second", "request", "1", "--archive", "--to", "not an email", db=ada),
        2,
        "needs an email address",
    )
    assert file_digest(ada) == before
    assert not (tmp_path / "r.json").exists()


def _one_line(result, code: int, words: str) -> None:
    assert result.code == code, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert words in result.err


def test_export_all_writes_the_co_signature_and_drops_a_stale_one(cli, desks, tmp_path):
    ada, _ = desks
    md = _cosigned(cli, desks, tmp_path)
    folder = tmp_path / "all"
    folder.mkdir()
    assert cli("export", "--all", "-o", folder, db=ada).code == 0
    [exported] = folder.glob("*.md")
    stale = exported.with_name(exported.name + ".second.sig")
    stale.write_text("an old co-signature of another text")
    assert cli("export", "--all", "-o", folder, db=ada).code == 0
    assert not stale.exists()  # not back yet: nothing beside the Markdown
    sent = md.with_name("review.md.second.sig")
    assert cli("second", "import-cosignature", sent, db=ada).code == 0
    assert cli("export", "--all", "-o", folder, db=ada).code == 0
    assert stale.read_bytes() == sent.read_bytes()
    assert "Good co-signature by" in cli("verify", exported, db=ada).out
