"""A newer draft imported after sign-off: the signed record stays exactly as signed (and its
exported files still verify), the review is in review again on the new text, and the record
says the exemption it evidenced needs a new review."""

from __future__ import annotations

import json

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document
from reviewapp.secrets import MemorySecretStore
from reviewapp.workflows.exporting import export_review
from reviewapp.workflows.revisions import import_revision
from reviewapp.workflows.signoff import reopen, sign_off
from tests.conftest import make_draft
from tests.test_signoff_fixtures import EMAIL, PARAS, REVIEWER, SIGNED_AT, ready_review


@pytest.fixture
def signed_off(store, tmp_path):
    review_id = ready_review(store)
    sign_off(store, review_id, REVIEWER, EMAIL, MemorySecretStore(), now=SIGNED_AT)
    md = tmp_path / "review.md"
    export_review(store, review_id, "md", md)
    record = store.load_review(review_id).current_signoff
    return review_id, md, record


def _newer() -> ImportedDraft:
    changed = [PARAS[0].replace("$4 billion", "$8 billion"), *PARAS[1:]]
    return make_draft(changed, title="Amazon and Anthropic")


def test_the_import_reopens_the_review_and_keeps_the_signed_record(store, signed_off):
    review_id, _, record = signed_off
    report = import_revision(store, review_id, _newer())
    data = store.load_review(review_id)
    assert data.review.status == "in-review" and data.revision.number == 2
    assert data.current_signoff is None
    [kept] = data.signoffs
    # byte for byte the record that was signed, only marked superseded, saying why
    assert (kept.markdown, kept.signature, kept.attestation) == (
        record.markdown,
        record.signature,
        record.attestation,
    )
    assert kept.revision_id == record.revision_id and kept.superseded_at
    assert "needs a new review" in kept.superseded_reason
    assert "covers revision 1 only" in kept.superseded_reason
    assert report.reopened is not None and report.reopened.id == record.id
    assert any("signed record is kept" in line for line in report.summary_lines())
    events = [e for e in store.events(review_id) if e["action"] == "reopen"]
    assert events and "needs a new review" in json.loads(events[-1]["detail"])["reason"]


def test_a_refused_import_leaves_the_signed_off_review_as_it_was(store, signed_off):
    review_id, _, record = signed_off
    empty = ImportedDraft(build_document([]), ArticleMeta(), b"", "text/plain", "test", "e.txt")
    with pytest.raises(BadInput, match="no text"):
        import_revision(store, review_id, empty)
    data = store.load_review(review_id)
    assert data.review.status == "signed-off" and data.current_signoff == record


def test_cli_import_after_signoff_says_so_and_the_old_files_still_verify(cli, store, signed_off):
    review_id, md, _ = signed_off
    newer = md.parent / "newer.txt"
    newer.write_text("Amazon and Anthropic\n\n" + "\n\n".join(PARAS).replace("$4", "$8"))
    store.close()
    result = cli("import", newer, "--revision-of", review_id)
    assert result.code == 0, result.err
    assert "signed record is kept as it is" in result.err
    assert "needs a new review" in result.err
    shown = json.loads(cli("show", review_id, "--json").out)
    assert shown["status"] == "in-review"
    assert "needs a new review" in shown["signoffs"][0]["superseded_reason"]
    checked = cli("verify", md)
    assert checked.code == 0, checked.err  # the signed files are still good evidence
    assert "Good attestation" in checked.out
    assert "superseded" in checked.out and "needs a new review" in checked.out


def test_a_reopen_keeps_its_reason_in_the_record(store, signed_off):
    review_id, _, _ = signed_off
    reopen(store, review_id, reason="The headline changed")
    [kept] = store.load_review(review_id).signoffs
    assert kept.superseded_reason == "The headline changed"


def test_a_same_text_import_after_signoff_reopens_too(store, signed_off):
    review_id, _, _ = signed_off
    report = import_revision(store, review_id, make_draft(PARAS, title="Amazon and Anthropic"))
    assert report.same_text and report.reopened is not None
    assert store.review(review_id).status == "in-review"
