"""The sign-off commands: signoff, reopen, key show, key export; a signed-off review is locked."""

from __future__ import annotations

import json
import re

import pytest

from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from tests.conftest import file_digest, make_draft
from tests.test_signoff_fixtures import EMAIL, PARAS, REVIEWER, ready_review


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch):
    """Test-only: keys in process memory, never on disk."""
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "memory")


@pytest.fixture
def review_id(store):
    rid = ready_review(store)
    store.close()
    return rid


def test_signoff_prints_what_it_signed_and_where_to_export(cli, review_id):
    result = cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith(f"Signed off review {review_id} as {REVIEWER} <{EMAIL}> at 20")
    assert "key SHA256:" in lines[1] and "bytes of Markdown" in lines[1]
    assert "a new Ed25519 key was made" in result.out
    assert (
        f"reviewapp export {review_id} -o review-{review_id}-amazon-and-anthropic.md" in result.out
    )
    assert f"reviewapp verify review-{review_id}-amazon-and-anthropic.md" in result.out
    shown = json.loads(cli("show", review_id, "--json").out)
    assert shown["status"] == "signed-off"
    assert shown["signoffs"][0]["fingerprint"] in lines[1]


def test_signoff_uses_the_reviews_reviewer_when_none_is_given(cli, review_id):
    result = cli("signoff", review_id, "--email", EMAIL)
    assert result.code == 0, result.err
    assert f"as {REVIEWER} <{EMAIL}>" in result.out


def test_a_failing_gate_prints_every_problem_exits_2_and_writes_nothing(cli, store, db_path):
    rid = store.add_article(make_draft(PARAS))
    store.add_claim_by_quote(rid, "has committed $4 billion", status="verified")
    store.add_claim_by_quote(rid, "99.9% reliability")
    store.close()
    before = file_digest(db_path)
    result = cli("signoff", rid)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == f"reviewapp: review {rid} cannot be signed off yet; what is missing:"
    assert [re.split("[:(]", line)[0].rstrip() for line in lines[1:]] == [
        "  - claim 2 is still unchecked",
        "  - claim 1 has no source",
        "  - 1 of 3 check-worthy sentences is not examined yet",
        "  - no verdict is set",
        "  - no reviewer is named",
        "  - whether AI helped write the draft is not recorded",
        "  - nobody is named as holding editorial responsibility for the publication",
    ]
    assert file_digest(db_path) == before


@pytest.mark.parametrize(
    "edit",
    [
        ("claim", "add", "{id}", "--quote", "Anthropic suspended"),
        ("claim", "set", "{id}", "1", "--note", "late change"),
        ("claim", "rm", "{id}", "1"),
        ("source", "add", "{id}", "--url", "https://example.org/late"),
        ("takeaway", "add", "{id}", "A late thought"),
        ("review", "{id}", "--verdict", "publish"),
    ],
    ids=["claim-add", "claim-set", "claim-rm", "source-add", "takeaway-add", "review-set"],
)
def test_a_signed_off_review_refuses_every_edit_until_reopened(cli, review_id, db_path, edit):
    assert cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL).code == 0
    args = [a.format(id=review_id) for a in edit]
    before = file_digest(db_path)
    refused = cli(*args)
    assert refused.code == 2
    assert (
        refused.err
        == f"reviewapp: review {review_id} is signed off; reopen it before changing anything\n"
    )
    assert file_digest(db_path) == before
    assert cli("reopen", review_id, "--reason", "late change").code == 0
    assert cli(*args).code == 0


def test_reopen_keeps_the_old_signoff_marked_superseded(cli, review_id):
    cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    result = cli("reopen", review_id, "--reason", "new evidence")
    assert result.code == 0
    assert "kept, marked superseded" in result.out
    shown = json.loads(cli("show", review_id, "--json").out)
    assert shown["status"] == "in-review"
    assert len(shown["signoffs"]) == 1 and shown["signoffs"][0]["superseded_at"]
    again = cli("reopen", review_id)
    assert again.code == 2 and "not signed off; nothing to reopen" in again.err
    assert cli("signoff", review_id).code == 0
    shown = json.loads(cli("show", review_id, "--json").out)
    assert [bool(s["superseded_at"]) for s in shown["signoffs"]] == [True, False]


def test_signing_a_signed_review_again_is_refused(cli, review_id):
    cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    again = cli("signoff", review_id, "--reviewer", REVIEWER)
    assert again.code == 2 and "already signed off" in again.err and "reopen" in again.err


def test_key_show_and_export_print_the_public_key_in_openssh_forms(cli, review_id, tmp_path):
    assert cli("key", "show").code == 2  # no key before the first sign-off
    assert "a key is made at the first sign-off" in cli("key", "export").err
    cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    shown = cli("key", "show", "--reviewer", REVIEWER)
    assert shown.code == 0
    name_line, fp_line, key_line = shown.out.splitlines()
    assert name_line == f"{REVIEWER} <{EMAIL}>"
    public = sshsig.parse_public_key(key_line)
    assert fp_line.strip() == f"fingerprint {sshsig.fingerprint(public)}"
    exported = cli("key", "export", "--reviewer", REVIEWER)
    assert exported.out == f'{EMAIL} namespaces="reviewapp" {key_line.strip()}\n'
    missing = cli("key", "show", "--reviewer", "Nobody")
    assert missing.code == 2 and "'Nobody' has no key yet" in missing.err


def test_key_export_lists_every_reviewer_as_an_allowed_signers_file(cli, db_path, review_id):
    with ReviewStore(db_path) as store:
        second = ready_review(store, title="Second")
    cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    cli("signoff", second, "--reviewer", "Bo Writer")
    lines = cli("key", "export").out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f'{EMAIL} namespaces="reviewapp" ssh-ed25519 AAAA')
    assert lines[1].startswith('"Bo Writer" namespaces="reviewapp" ssh-ed25519 AAAA')


def test_signoff_of_a_missing_review_is_a_clear_error(cli, db_path):
    result = cli("signoff", "42", "--reviewer", REVIEWER)
    assert result.code == 2 and "no review 42" in result.err
