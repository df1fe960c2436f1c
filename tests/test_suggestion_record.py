"""Suggestions on the signed record (issue 16): the gate refuses while a check-worthy sentence
is unexamined, the signed Markdown carries the coverage figures, whether coverage was enforced
and every dismissal (what the machine proposed, what the person decided); the JSON bundle
carries the decisions and import restores them; reviews signed before keep verifying."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput, GateFailed
from reviewapp.core.gate import GateRule
from reviewapp.export.bundle import read_bundle, review_from_bundle
from reviewapp.export.frontmatter import front_matter_fields
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import check_bundle, import_bundle
from reviewapp.workflows.exporting import export_review
from reviewapp.workflows.signoff import sign_off
from reviewapp.workflows.suggestions import (
    Decision,
    accept_suggestion,
    coverage_for,
    dismiss_suggestion,
    set_coverage_enforced,
)
from tests.conftest import file_digest, make_draft, record_accountability
from tests.test_bundle_import_support import bundle_bytes, other_library, tampered
from tests.test_signoff_fixtures import (
    EMAIL,
    REVIEWER,
    SIGNED_AT,
    SignedFiles,
    needs_ssh_keygen,
    ssh_keygen_verify,
)

PARAS = [
    "Amazon has committed $4 billion to the startup.",
    "Anthropic suspended global access to two specific model versions.",
    "The cloud demands 99.9% reliability, the company said.",
    "Sales of the device rose 40% last year, according to the company.",
]
QUOTED = "quoted only, not asserted by the article"


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


def _review(store: ReviewStore, paragraphs: list[str] = PARAS, title: str = "A draft") -> int:
    """A review that passes every rule of the gate but coverage: a verdict, a reviewer, the
    accountability answers; claims marked opinion (no source needed)."""
    review_id = store.add_article(make_draft(paragraphs, title=title))
    store.set_review(review_id, reviewer=REVIEWER, verdict="publish")
    record_accountability(store, review_id)
    return review_id


def _decide(store: ReviewStore, review_id: int) -> list[str]:
    """Claim the first sentence from its suggestion, the second by the editor's own claim,
    dismiss the third; the fourth stays open. The suggestions' keys, in order."""
    keys = [s.key for s in coverage_for(store, review_id).suggestions]
    assert len(keys) == 4, keys
    number = accept_suggestion(store, review_id, keys[0], reviewer=REVIEWER)
    store.update_claim(store.claim(review_id, number).id, status="opinion")
    store.add_claim_by_quote(review_id, "two specific model versions", status="opinion")
    dismiss_suggestion(store, review_id, keys[2], QUOTED, reviewer=REVIEWER)
    return keys


def _signed_markdown(store: ReviewStore, review_id: int) -> str:
    signoff = store.load_review(review_id).current_signoff
    assert signoff is not None
    return signoff.markdown.decode("utf-8")


def _rows(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute(f"SELECT * FROM {t}").fetchall()
            for t in ("reviews", "claims", "signoffs", "suggestion_decisions", "events")
        ]
    finally:
        conn.close()


def test_the_gate_refuses_while_a_sentence_is_unexamined_and_writes_nothing(
    store, db_path, secrets
):
    review_id = _review(store)
    _decide(store, review_id)
    before = _rows(db_path)
    with pytest.raises(GateFailed) as info:
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets)
    (problem,) = info.value.problems
    assert problem.kind is GateRule.SUGGESTIONS
    assert str(problem) == (
        "1 of 4 check-worthy sentences is not examined yet (neither claimed nor dismissed with "
        "a reason)"
    )
    assert _rows(db_path) == before


def test_the_signed_markdown_carries_the_coverage_the_dismissals_and_the_origins(
    store, secrets, tmp_path
):
    review_id = _review(store)
    keys = _decide(store, review_id)
    dismiss_suggestion(store, review_id, keys[3], "common knowledge", reviewer="Bo Desk")
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    markdown = _signed_markdown(store, review_id)
    front = front_matter_fields(markdown.encode())
    assert {k: v for k, v in front.items() if k.startswith("checkworthy_")} == {
        "checkworthy_suggestions": "made",
        "checkworthy_examined": "4",
        "checkworthy_total": "4",
        "checkworthy_dismissed": "2",
        "checkworthy_threshold": "0.4",
        "checkworthy_coverage_enforced": "yes",
    }
    section = markdown.split("## Check-worthy sentences", 1)[1].split("\n## ", 1)[0]
    assert "**4 of 4 check-worthy sentences examined.**" in section
    assert "Sign-off required every one of them to be examined" in section
    assert "- **Coverage enforced at sign-off:** yes" in section
    assert "- **Threshold:** 0.4" in section
    assert "### Dismissed sentences" in section
    assert "What the machine proposed, and what the person decided:" in section
    dismissed = section.split("### Dismissed sentences", 1)[1]
    assert "1. “The cloud demands 99.9% reliability, the company said.”" in dismissed
    assert f"- **Dismissed because:** {QUOTED}" in dismissed
    assert "- **Proposed because:** a figure" in dismissed
    decided = store.load_review(review_id).suggestions.dismissals[0].decided_at
    assert f"- **By:** {REVIEWER}, {decided}" in dismissed
    assert "- **Dismissed because:** common knowledge" in dismissed
    assert "- **By:** Bo Desk, " in dismissed
    assert "### Not examined" not in section
    # The claim accepted from a suggestion says so; the editor's own claim does not.
    details = markdown.split("## Claim details", 1)[1].split("\n## ", 1)[0]
    claim_1, claim_2 = details.split("### ")[1:3]
    assert "- **Origin:** suggested as check-worthy by reviewapp" in claim_1
    assert "Origin" not in claim_2


@needs_ssh_keygen
def test_the_signed_record_still_verifies_with_openssh(store, secrets, tmp_path, cli):
    review_id = _review(store)
    keys = _decide(store, review_id)
    dismiss_suggestion(store, review_id, keys[3], "common knowledge", reviewer=REVIEWER)
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    target = tmp_path / "review.md"
    export_review(store, review_id, "md", target)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(
        f'{EMAIL} namespaces="reviewapp" {store.reviewer_by_email(EMAIL).public_key}\n'
    )
    files = SignedFiles(target, Path(f"{target}.sig"), allowed, EMAIL)
    assert ssh_keygen_verify(files) == 0
    assert "4 of 4 check-worthy sentences examined" in target.read_text()


def test_not_enforced_the_gate_passes_and_the_record_says_coverage_was_not_enforced(
    store, db_path, secrets, tmp_path
):
    review_id = _review(store)
    _decide(store, review_id)  # one sentence stays open
    set_coverage_enforced(store, False)
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    markdown = _signed_markdown(store, review_id)
    assert "**3 of 4 check-worthy sentences examined.**" in markdown
    assert (
        "Coverage was not enforced: this library lets a review be signed off with check-worthy "
        "sentences unexamined." in markdown
    )
    assert "- **Coverage enforced at sign-off:** no" in markdown
    assert "### Not examined\n\n1. “Sales of the device rose 40% last year" in markdown
    assert front_matter_fields(markdown.encode())["checkworthy_coverage_enforced"] == "no"
    # Switching the rule on again later changes nothing of what was signed.
    set_coverage_enforced(store, True)
    data = store.load_review(review_id)
    assert data.suggestions is not None and not data.suggestions.enforced
    target = tmp_path / "review.md"
    export_review(store, review_id, "md", target)
    assert target.read_text() == markdown
    assert check_bundle(bundle_bytes(store, review_id)).notes == []  # re-renders byte for byte


def test_a_text_not_in_english_passes_the_gate_and_the_record_says_why(store, secrets):
    review_id = _review(
        store,
        [
            "Die Regierung hat am Montag beschlossen, dass die Steuern um 5 Prozent steigen.",
            "Der Minister sagte, dass die Entscheidung nicht leicht gewesen sei und er sie "
            "trotzdem für richtig halte.",
        ],
        title="Die Steuern steigen",
    )
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    markdown = _signed_markdown(store, review_id)
    assert (
        "Check-worthiness suggestions are English-only, and this text does not read as "
        "English: none were made, and coverage was not measured." in markdown
    )
    assert front_matter_fields(markdown.encode())["checkworthy_suggestions"] == "english-only"


def test_the_bundle_carries_the_decisions_and_import_restores_them(store, secrets, tmp_path):
    review_id = _review(store)
    keys = _decide(store, review_id)
    dismiss_suggestion(store, review_id, keys[3], "common knowledge", reviewer="Bo Desk")
    sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    content = bundle_bytes(store, review_id)
    bundle = json.loads(content)
    assert bundle["version"] >= 4  # version 4 added the suggestions
    record = bundle["review"]["suggestions"]
    assert record["enforced"] is True and record["threshold"] == 0.4
    assert [(d["key"], d["reason"], d["reviewer"]) for d in record["dismissals"]] == [
        (keys[2], QUOTED, REVIEWER),
        (keys[3], "common knowledge", "Bo Desk"),
    ]
    assert [c["suggestion_key"] for c in bundle["claims"]] == [keys[0], ""]
    assert check_bundle(content).notes == []  # the live sign-off re-renders byte for byte
    with other_library(tmp_path / "b.db") as other:
        new_id = import_bundle(other, content).review_id
        here, there = coverage_for(store, review_id), coverage_for(other, new_id)
        assert [
            (s.key, s.decision, s.dismissal_reason, s.decided_by) for s in there.suggestions
        ] == [(s.key, s.decision, s.dismissal_reason, s.decided_by) for s in here.suggestions]
        assert there.suggestions[2].decision is Decision.DISMISSED
        assert other.claim(new_id, 1).suggestion_key == keys[0]
        other.set_coverage_enforced(False)  # that library's rule does not rewrite the record
        data = other.load_review(new_id)
        assert data.suggestions is not None and data.suggestions.enforced
        assert data.current_signoff is not None
        assert (
            data.current_signoff.markdown == store.load_review(review_id).current_signoff.markdown
        )


def test_a_version_3_bundle_is_still_read(store):
    review_id = _review(store)
    _decide(store, review_id)

    def as_version_3(bundle):
        bundle["version"] = 3
        del bundle["review"]["suggestions"]
        for claim in bundle["claims"]:
            del claim["suggestion_key"]

    content = tampered(bundle_bytes(store, review_id), as_version_3)
    data = review_from_bundle(read_bundle(content)).data
    assert data.suggestions is None
    assert all(c.suggestion_key == "" for c in data.claims)


def test_a_review_signed_before_the_record_carried_coverage_keeps_verifying(
    store, secrets, monkeypatch, db_path
):
    review_id = _review(store)
    _decide(store, review_id)
    # Signed as reviewapp signed before issue 16: no suggestions in the record.
    with monkeypatch.context() as patch:
        patch.setattr(ReviewStore, "suggestion_record", lambda self, rid: None)
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    markdown = _signed_markdown(store, review_id)
    assert "Check-worthy" not in markdown and "checkworthy_" not in markdown
    assert store.load_review(review_id).suggestions is None  # not re-rendered with coverage
    content = bundle_bytes(store, review_id)
    assert json.loads(content)["review"]["suggestions"] is None
    assert check_bundle(content).notes == []  # re-rendered exactly as signed


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda r: r["dismissals"][0].update(reason="  "), "has no reason"),
        (lambda r: r["dismissals"][0].update(key="12-x"), "is not a suggestion key"),
        (lambda r: r["dismissals"][0].update(reason="a\nb"), "line break"),
        (lambda r: r.update(enforced="yes"), "enforced is not true or false"),
        (lambda r: r.update(threshold=7), "between 0 and 1"),
        (lambda r: r["dismissals"].append(dict(r["dismissals"][0])), "names a sentence twice"),
    ],
)
def test_a_bundle_with_a_bad_suggestion_record_is_refused(store, tmp_path, change, message):
    review_id = _review(store)
    _decide(store, review_id)
    content = tampered(bundle_bytes(store, review_id), lambda b: change(b["review"]["suggestions"]))
    path = tmp_path / "b.db"
    other_library(path).close()
    before = file_digest(path)
    with ReviewStore(path) as other, pytest.raises(BadInput, match=message):
        import_bundle(other, content)
    assert file_digest(path) == before
