"""A second review through the shared archive: the request, the signed assessment and the
co-signature travel as signed commits, and each editor's pull takes what is theirs.

Two editors with their own homes, databases and keyrings (the fixtures ada and bea of
tests/archive_editors.py) and one local bare repository. Ada asks, Bea assesses; tampering is
done by a trusted editor committing with plain git, so only the files' own signatures can catch
it.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from reviewapp.core.second_review import Role
from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from tests.archive_editors import PARAS, Editor
from tests.conftest import examine_suggestions, make_draft, record_accountability

pytestmark = [pytest.mark.secret_service, pytest.mark.slow]

ADA_NOTES = ("Ada-private: the filing says eight", "Ada-private: their own opinion")
ADA_SOURCE = "https://example.org/ada-private-source"


def _store(editor: Editor) -> ReviewStore:
    return ReviewStore(editor.db)


def _ready(editor: Editor, title: str) -> int:
    """A review that passes the gate once its second review is settled, with private notes."""
    store = _store(editor)
    try:
        review_id = store.add_article(make_draft(PARAS, title=title))
        money = store.add_claim_by_quote(
            review_id, "has committed $4 billion", status="false", note=ADA_NOTES[0]
        )
        store.add_source(review_id, [money.id], {money.id: "refutes"}, url=ADA_SOURCE)
        store.add_claim_by_quote(
            review_id, "two specific model versions", status="opinion", note=ADA_NOTES[1]
        )
        store.set_review(review_id, reviewer=editor.name, verdict="publish-with-corrections")
        record_accountability(store, review_id)
        examine_suggestions(store, review_id)
    finally:
        store.close()
    return review_id


def _trust_each_other(ada: Editor, bea: Editor) -> None:
    for truster, owner in ((ada, bea), (bea, ada)):
        truster.ok(
            "key", "trust", owner.key_line(), "--name", owner.name,
            "--fingerprint", owner.fingerprint(),
        )  # fmt: skip


@pytest.fixture
def desks(ada: Editor, bea: Editor, tmp_path: Path) -> Path:
    """Ada started the archive; Bea joined it and may sign there; each trusts the other's key."""
    shared = tmp_path / "shared.git"
    ada.signed_review("Ada's first review")
    ada.ok("archive", "init", shared)
    ada.ok("archive", "push")
    bea.signed_review("Bea's first review")  # Bea's key
    bea.ok("archive", "clone", shared)
    ada.ok("archive", "trust", bea.key_line(), "--fingerprint", bea.fingerprint())
    _trust_each_other(ada, bea)
    return shared


def _tree_text(repo: Path) -> str:
    """Every file at the tip of a repository, as text."""
    names = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "main"],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return "\n".join(
        subprocess.run(
            ["git", "show", f"main:{name}"], cwd=repo, capture_output=True, check=True
        ).stdout.decode("utf-8", errors="replace")
        for name in names
    )


def _asked(ada: Editor, bea: Editor, shared: Path) -> tuple[int, int]:
    """Ada asks Bea through the archive; Bea's pull makes the review to assess. (Ada's review
    id, Bea's.)"""
    review = _ready(ada, "Needs a second look")
    sent = ada.ok("second", "request", review, "--archive", "--to", bea.email)
    assert "none of your statuses, notes or sources" in sent.out
    assert "waits for the assessment it asked for (through the archive" in (
        ada.ok("archive", "status").out
    )
    pulled = bea.ok("archive", "pull")
    found = re.search(r"second-review request from Ada Editor imported as review (\d+)", pulled.out)
    assert found, pulled.out
    return review, int(found.group(1))


def _assessed(ada: Editor, bea: Editor, shared: Path) -> tuple[int, int, str]:
    review, theirs = _asked(ada, bea, shared)
    bea.ok("claim", "set", theirs, 1, "--status", "false", "--note", "Bea: the filing")
    bea.ok("claim", "set", theirs, 2, "--status", "verified", "--note", "Bea: checked it")
    signed = bea.ok("second", "sign", theirs, "--archive", "--email", bea.email)
    path = re.search(r"pushed (second/\S+\.json)", signed.out)
    assert path, signed.out
    return review, theirs, path.group(1)


def _signed_off(ada: Editor, bea: Editor, shared: Path) -> int:
    """Through Ada's pull of the assessment, her settlement, sign-off and push."""
    review, _theirs, _path = _assessed(ada, bea, shared)
    pulled = ada.ok("archive", "pull")
    assert f"signed assessment of {bea.name}" in pulled.out
    assert f"into review {review}" in pulled.out
    compared = ada.ok("second", "compare", review).out
    assert "2. disagree: you Opinion, second reviewer Verified; to settle" in compared
    assert "their note: Bea: checked it" in compared
    ada.ok("second", "settle", review, 2, "--status", "opinion", "--note", "Their own view")
    ada.ok("signoff", review, "--reviewer", ada.name, "--email", ada.email)
    ada.ok("archive", "push")
    return review


def _archived_markdown(editor: Editor, title_slug: str) -> Path:
    found = list((editor.archive / "reviews").glob(f"*/*/{title_slug}-*/review.md"))
    assert len(found) == 1, found
    return found[0]


def _cosignature_in(editor: Editor, review_id: int):
    store = _store(editor)
    try:
        signoff = store.load_review(review_id).current_signoff
        assert signoff is not None
        return signoff.cosignature
    finally:
        store.close()


# ---------------------------------------------------------------------- the whole round
def test_a_second_review_goes_round_the_archive_and_both_signatures_come_home(
    ada, bea, desks, tmp_path
):
    shared = desks
    review = _signed_off(ada, bea, shared)
    assert "has not co-signed it yet" in ada.ok("archive", "status").out
    # Bea pulls Ada's signed review and co-signs the archive's copy of it
    bea.ok("archive", "pull")
    md = _archived_markdown(bea, "needs-a-second-look")
    cosigned = bea.ok("second", "cosign", md, "--archive")
    assert "Pushed reviews/" in cosigned.out and "review.md.second.sig" in cosigned.out
    # Ada's pull keeps it with her sign-off
    pulled = ada.ok("archive", "pull")
    assert f"co-signature of the second reviewer {bea.name} kept with review {review}" in (
        pulled.out
    )
    cosignature = _cosignature_in(ada, review)
    assert cosignature is not None and cosignature.email == bea.email
    assert "has not co-signed" not in ada.ok("archive", "status").out
    # the export carries both signatures; reviewapp and plain ssh-keygen verify both
    out = tmp_path / "out"
    out.mkdir()
    exported = out / "review.md"
    ada.ok("export", review, "-o", exported)
    assert (out / "review.md.second.sig").read_text() == cosignature.signature
    verified = ada.ok("verify", exported)
    assert f"Good co-signature by {bea.name} <{bea.email}> (second reviewer)" in verified.out
    signers = ada.archive / "allowed_signers"
    for principal, sig in ((ada.email, "review.md.sig"), (bea.email, "review.md.second.sig")):
        with exported.open("rb") as stdin:
            done = subprocess.run(
                [
                    *("ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", principal),
                    *("-n", "reviewapp", "-s", str(out / sig)),
                ],
                stdin=stdin,
                capture_output=True,
            )
        assert done.returncode == 0, done.stderr
    # every commit of the round is signed, and plain git says so
    log = ada.git("-c", "gpg.ssh.program=ssh-keygen", "log", "--show-signature", "-5")
    assert log.count('Good "git" signature for bea@example.org') == 2  # assessment, co-sign
    assert "Ask for a second review" in log and "Co-sign needs-a-second-look-" in log


def test_a_co_signature_that_came_by_file_is_pushed_beside_the_review_already_archived(
    ada, bea, desks, tmp_path
):
    review = _signed_off(ada, bea, desks)
    # Bea co-signs a copy Ada mailed her, not the archive's; the file comes back by hand
    bea.ok("archive", "pull")
    mailed = tmp_path / "mailed.md"
    archived = _archived_markdown(bea, "needs-a-second-look")
    mailed.write_bytes(archived.read_bytes())
    (tmp_path / "mailed.md.sig").write_bytes(archived.with_name("review.md.sig").read_bytes())
    bea.ok("second", "cosign", mailed)
    sig = tmp_path / "mailed.md.second.sig"
    ada.ok("second", "import-cosignature", sig, "--markdown", mailed)
    folder = _archived_markdown(ada, "needs-a-second-look").parent
    assert not (folder / "review.md.second.sig").exists()
    pushed = ada.ok("archive", "push")
    assert "co-signature added to reviews/" in pushed.out
    assert (folder / "review.md.second.sig").read_text() == sig.read_text()
    log = ada.git("-c", "gpg.ssh.program=ssh-keygen", "log", "--show-signature", "-1")
    assert "Add the co-signature of 1 review(s): needs-a-second-look-" in log
    assert 'Good "git" signature for ada@example.org' in log
    # the colleague's pull finds it verified, and a second push has nothing to add
    assert "refused" not in bea.ok("archive", "pull").out
    assert "nothing to push" in ada.ok("archive", "push").out
    assert _cosignature_in(ada, review) is not None


def test_the_archive_holds_nothing_of_the_first_editors_assessment_before_sign_off(ada, bea, desks):
    shared = desks
    review, theirs, path = _assessed(ada, bea, shared)
    tree = _tree_text(shared)
    assert (
        path
        in subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", "main"],
            cwd=shared,
            capture_output=True,
            text=True,
        ).stdout
    )
    for secret in (*ADA_NOTES, ADA_SOURCE, "ada-private"):
        assert secret not in tree
    assert "Needs a second look" in tree  # the request is there: the text and the claims
    # the request was addressed to Bea; Bea's copy holds no note of Ada's either
    store = _store(bea)
    try:
        data = store.load_review(theirs)
        assert data.second_review is not None and data.second_review.role is Role.SECOND
        assert [c.note for c in data.claims] == ["Bea: the filing", "Bea: checked it"]
        assert data.sources == []
    finally:
        store.close()
    assert review == 2  # Ada's setup review is 1


def test_a_request_for_someone_else_is_not_imported_and_one_for_anyone_is(ada, bea, desks):
    _ready(ada, "For Carol only")
    ada.ok("second", "request", 2, "--archive", "--to", "carol@example.org")
    _ready(ada, "For whoever pulls")
    ada.ok("second", "request", 3, "--archive")
    pulled = bea.ok("archive", "pull")
    assert pulled.out.count("second-review request from Ada Editor") == 1
    store = _store(bea)
    try:
        titles = [r.title for r in store.list_reviews()]
    finally:
        store.close()
    assert "For Carol only" not in titles and "For whoever pulls" in titles


# ---------------------------------------------------------------------- refusals
def _commit_as(editor: Editor, message: str) -> str:
    """A trusted editor commits and pushes their working copy with plain git (signed by the
    keyring key through reviewapp's signing program)."""
    editor.git("add", "-A")
    editor.git("commit", "-q", "-m", message)
    editor.git("push", "-q", "origin", "main")
    return editor.git("rev-parse", "HEAD").strip()


def _assessment_state(editor: Editor, review_id: int) -> bool:
    store = _store(editor)
    try:
        record = store.load_review(review_id).second_review
        return record is not None and record.assessed
    finally:
        store.close()


def test_a_tampered_assessment_is_refused_naming_the_file_and_the_commit(ada, bea, desks):
    shared = desks
    review, _theirs, path = _assessed(ada, bea, shared)
    target = bea.archive / path
    data = json.loads(target.read_text())
    data["markdown"] = data["markdown"].replace("Bea: checked it", "Bea: made it up")
    target.write_text(json.dumps(data))
    commit = _commit_as(bea, "a changed note")
    refused = ada.run("archive", "pull")
    assert refused.code == 1, refused.out + refused.err
    assert path in refused.err and commit[:12] in refused.err
    assert "nothing of it was imported" in refused.err
    assert not _assessment_state(ada, review)
    again = ada.run("archive", "pull")  # the working copy stayed: it says so again
    assert again.code == 1 and path in again.err


def test_a_co_signature_not_by_the_named_key_is_refused_naming_the_file_and_the_commit(
    ada, bea, desks
):
    shared = desks
    review = _signed_off(ada, bea, shared)
    bea.ok("archive", "pull")
    md = _archived_markdown(bea, "needs-a-second-look")
    sig = md.with_name("review.md.second.sig")
    # first a co-signature damaged on the way, then one made by another key
    good = sshsig.sign(md.read_bytes(), sshsig.new_private_key())
    lines = good.splitlines()
    lines[2] = lines[2][:10] + ("A" if lines[2][10] != "A" else "B") + lines[2][11:]
    for content, words in (
        ("\n".join(lines) + "\n", "does not verify"),
        (good, "but the signed Markdown names"),
    ):
        sig.write_text(content)
        commit = _commit_as(bea, "co-sign")
        refused = ada.run("archive", "pull")
        assert refused.code == 1, refused.out + refused.err
        assert "review.md.second.sig" in refused.err and commit[:12] in refused.err
        assert words in refused.err
        assert _cosignature_in(ada, review) is None
