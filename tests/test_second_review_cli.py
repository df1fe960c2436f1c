"""The second-review commands, run as two editors would: two databases, their own keys (the
test-only in-process key store), real ssh-keygen for the final record's two signatures."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from reviewapp.store import ReviewStore
from tests.conftest import examine_suggestions, file_digest
from tests.test_signoff_fixtures import needs_ssh_keygen, ready_review

ADA, ADA_EMAIL = "Ada Editor", "ada@example.org"
BOB, BOB_EMAIL = "Bob Second", "bob@example.org"


@pytest.fixture(autouse=True)
def _memory_keys(monkeypatch):
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "memory")


@pytest.fixture
def desks(tmp_path: Path) -> tuple[Path, Path]:
    ada, bob = tmp_path / "ada.db", tmp_path / "bob.db"
    with ReviewStore(ada) as store:
        review_id = ready_review(store)
        examine_suggestions(store, review_id)
    ReviewStore(bob).close()
    return ada, bob


def _trust(cli, truster: Path, owner: Path, name: str) -> None:
    with ReviewStore(owner) as store:
        key = store.reviewer_by_name(name)
        assert key is not None
    line = cli("key", "export", "--reviewer", name, db=owner).out.strip()
    done = cli("key", "trust", line, "--name", name, "--fingerprint", key.fingerprint, db=truster)
    assert done.code == 0, done.err


def _assessed(cli, desks, tmp_path: Path) -> None:
    ada, bob = desks
    request = tmp_path / "request.json"
    made = cli("second", "request", "1", "-o", request, db=ada)
    assert made.code == 0, made.err
    assert "none of your statuses, notes or sources" in made.out
    got = cli("second", "import", request, "--reviewer", BOB, db=bob)
    assert got.code == 0, got.err and "Imported the request as review 1" in got.out
    for n, status, note in (
        (1, "false", "The filing says $8 billion"),
        (2, "false", "Only one version was suspended"),
        (3, "unverifiable", "Cannot tell"),
    ):
        assert (
            cli("claim", "set", "1", str(n), "--status", status, "--note", note, db=bob).code == 0
        )
    signed = cli("second", "sign", "1", "-o", tmp_path / "back.json", "--email", BOB_EMAIL, db=bob)
    assert signed.code == 0, signed.err
    _trust(cli, ada, bob, BOB)
    back = cli("second", "import", tmp_path / "back.json", db=ada)
    assert back.code == 0, back.err
    assert f"Imported the signed assessment of {BOB}" in back.out


def test_compare_shows_each_claim_both_statuses_and_both_notes(cli, desks, tmp_path):
    _assessed(cli, desks, tmp_path)
    out = cli("second", "compare", "1", db=desks[0]).out
    assert "1. agree: you False, second reviewer False" in out
    assert "2. disagree: you Verified, second reviewer False; to settle" in out
    assert "3. unsure: you Opinion, second reviewer Unverifiable; to settle" in out
    assert "your note: Company statement" in out
    assert "their note: Only one version was suspended" in out
    assert "2 to settle" in out


def test_signoff_waits_for_settlements_then_both_sign_the_same_file(cli, desks, tmp_path):
    ada, bob = desks
    _assessed(cli, desks, tmp_path)
    refused = cli("signoff", "1", "--email", ADA_EMAIL, db=ada)
    assert refused.code != 0
    assert "claims 2, 3: the two reviewers disagree or one of them is unsure" in refused.err
    assert "reviewapp second settle 1 N --status S --note TEXT" in refused.err
    assert (
        cli(
            "second", "settle", "1", "2", "--status", "partly-true", "--note", "One of two", db=ada
        ).code
        == 0
    )
    assert (
        cli(
            "second", "settle", "1", "3", "--status", "opinion", "--note", "Their claim", db=ada
        ).code
        == 0
    )
    signed = cli("signoff", "1", "--email", ADA_EMAIL, db=ada)
    assert signed.code == 0, signed.err
    out = tmp_path / "out"
    out.mkdir()
    md = out / "review.md"
    assert cli("export", "1", "-o", md, db=ada).code == 0
    _trust(cli, bob, ada, ADA)
    cosigned = cli("second", "cosign", md, db=bob)
    assert cosigned.code == 0, cosigned.err
    assert f"Good signature by {ADA} <{ADA_EMAIL}>" in cosigned.out
    assert "## Second review" in cosigned.out and "Co-signed" in cosigned.out
    assert (out / "review.md.second.sig").exists()
    verified = cli("verify", md, db=ada)
    assert verified.code == 0, verified.err
    assert f"Good signature by {ADA} <{ADA_EMAIL}>" in verified.out
    assert f"Good co-signature by {BOB} <{BOB_EMAIL}> (second reviewer)" in verified.out


@needs_ssh_keygen
def test_plain_ssh_keygen_verifies_both_signatures(cli, desks, tmp_path):
    ada, bob = desks
    _assessed(cli, desks, tmp_path)
    for n, status in ((2, "partly-true"), (3, "opinion")):
        cli("second", "settle", "1", str(n), "--status", status, "--note", "Settled", db=ada)
    assert cli("signoff", "1", "--email", ADA_EMAIL, db=ada).code == 0
    md = tmp_path / "review.md"
    cli("export", "1", "-o", md, db=ada)
    _trust(cli, bob, ada, ADA)
    assert cli("second", "cosign", md, db=bob).code == 0
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(
        cli("key", "export", "--reviewer", ADA, db=ada).out
        + cli("key", "export", "--reviewer", BOB, db=bob).out
    )
    for principal, sig in ((ADA_EMAIL, "review.md.sig"), (BOB_EMAIL, "review.md.second.sig")):
        with md.open("rb") as stdin:
            done = subprocess.run(
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
                    str(tmp_path / sig),
                ],
                stdin=stdin,
                capture_output=True,
            )
        assert done.returncode == 0, done.stderr
    # reviewapp verify with the same allowed_signers file reports both signers.
    verified = cli("verify", md, "--allowed-signers", allowed, db=ada)
    assert verified.code == 0 and "Good co-signature by" in verified.out
    (tmp_path / "review.md.second.sig").unlink()
    missing = cli("verify", md, db=ada)
    assert missing.code == 1 and "co-signature (review.md.second.sig) is missing" in missing.err


def test_require_second_blocks_signoff_with_a_plain_line(cli, desks):
    ada, _ = desks
    assert cli("review", "1", "--require-second", "yes", db=ada).code == 0
    assert "Second review: required" in cli("review", "1", db=ada).out
    refused = cli("signoff", "1", "--email", ADA_EMAIL, db=ada)
    assert refused.code != 0
    assert "a second review is required" in refused.err
    assert cli("review", "1", "--require-second", "no", db=ada).code == 0
    assert cli("signoff", "1", "--email", ADA_EMAIL, db=ada).code == 0


def test_library_default_requires_it_for_reviews_without_their_own_flag(cli, desks):
    ada, _ = desks
    assert "require a second review" in cli("second", "default", "yes", db=ada).out
    assert "Second review: required" in cli("review", "1", db=ada).out
    assert cli("signoff", "1", "--email", ADA_EMAIL, db=ada).code != 0


def _one_line_refusal(result, code: int, words: str) -> None:
    assert result.code == code
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert words in result.err


def test_bad_input_is_one_line_and_leaves_the_database_unchanged(cli, desks, tmp_path):
    ada, bob = desks
    junk = tmp_path / "junk.json"
    junk.write_text('{"format": "something else"}')
    before = file_digest(bob)
    _one_line_refusal(cli("second", "import", junk, db=bob), 2, "not a second-review request")
    _one_line_refusal(
        cli("second", "import", tmp_path / "none.json", db=bob), 2, "no second-review file"
    )
    assert file_digest(bob) == before
    before = file_digest(ada)
    _one_line_refusal(cli("second", "compare", "1", db=ada), 2, "no second reviewer's assessment")
    _one_line_refusal(cli("second", "cosign", tmp_path / "none.md", db=ada), 2, "no review file")
    assert file_digest(ada) == before
    _assessed(cli, desks, tmp_path)
    before = file_digest(ada)
    _one_line_refusal(
        cli("second", "settle", "1", "9", "--status", "false", "--note", "x", db=ada),
        2,
        "no claim 9",
    )
    _one_line_refusal(
        cli("second", "settle", "1", "2", "--status", "false", "--note", " ", db=ada), 2, "note"
    )
    _one_line_refusal(
        cli("second", "settle", "1", "1", "--status", "false", "--note", "x", db=ada),
        2,
        "both reviewers agree",
    )
    # A tampered assessment: a status changed after Bob signed.
    back = tmp_path / "back.json"
    data = json.loads(back.read_text())
    data["markdown"] = data["markdown"].replace("Cannot tell", "Certainly true")
    back.write_text(json.dumps(data))
    _one_line_refusal(cli("second", "import", back, db=ada), 1, "")
    assert file_digest(ada) == before


def _request_data(cli, ada: Path, tmp_path: Path) -> dict:
    request = tmp_path / "request.json"
    assert cli("second", "request", "1", "-o", request, db=ada).code == 0
    return json.loads(request.read_text())


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (lambda d: d.update(format="reviewapp-bundle"), "not a second-review request"),
        (lambda d: d.update(version=9), "has version 9"),
        (lambda d: d["revision"].update(text=d["revision"]["text"] + "!"), "blocks do not make"),
        (lambda d: d["revision"].update(blocks=["a", "b"]), "blocks do not make"),
        (lambda d: d["revision"].update(content_hash="0" * 64), "does not match its content hash"),
        (lambda d: d["claims"][0].update(start=-5), "not a passage of its text"),
        (lambda d: d["claims"][1].update(id=d["claims"][0]["id"]), "names a claim twice"),
        (lambda d: d["claims"].append("claim"), "is incomplete"),
        (lambda d: d.update(review_uid="../../x"), "no review uid"),
    ],
)
def test_a_spoiled_request_is_refused_in_one_line(cli, desks, tmp_path, spoil, words):
    ada, bob = desks
    data = _request_data(cli, ada, tmp_path)
    spoil(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    before = file_digest(bob)
    _one_line_refusal(cli("second", "import", bad, db=bob), 2, words)
    assert file_digest(bob) == before


def test_a_json_bomb_is_refused_without_a_traceback(cli, desks, tmp_path):
    _, bob = desks
    bomb = tmp_path / "bomb.json"
    bomb.write_text(
        '{"format": "reviewapp-second-review-request", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    )
    before = file_digest(bob)
    _one_line_refusal(cli("second", "import", bomb, db=bob), 2, "not a second-review file")
    assert file_digest(bob) == before


def test_second_record_shows_the_comparison_and_cosign_writes_where_asked(cli, desks, tmp_path):
    ada, bob = desks
    _assessed(cli, desks, tmp_path)
    for n, status in ((2, "partly-true"), (3, "opinion")):
        cli("second", "settle", "1", str(n), "--status", status, "--note", f"Settled {n}", db=ada)
    assert cli("signoff", "1", "--email", ADA_EMAIL, db=ada).code == 0
    md = tmp_path / "review.md"
    cli("export", "1", "-o", md, db=ada)
    _trust(cli, bob, ada, ADA)
    shown = cli("second", "record", md, db=bob)
    assert shown.code == 0, shown.err
    assert f"Good signature by {ADA}" in shown.out
    assert (
        "2. disagree: first editor Partly true, you False; settled as Partly true: Settled 2"
        in (shown.out)
    )
    assert "your note: Only one version was suspended" in shown.out
    # Bob's library cannot change his signed assessment now.
    locked = cli("claim", "set", "1", "1", "--status", "verified", db=bob)
    _one_line_refusal(locked, locked.code, "second assessment you signed")
    sig = tmp_path / "bob.sig"
    cosigned = cli("second", "cosign", md, "-o", sig, db=bob)
    assert cosigned.code == 0, cosigned.err
    assert sig.exists() and not (tmp_path / "review.md.second.sig").exists()
    # In Ada's library the record is not Bob's to read as second reviewer: one line, exit 2.
    before = file_digest(ada)
    _one_line_refusal(cli("second", "record", md, db=ada), 2, "that key is not yours")
    assert file_digest(ada) == before
