"""`reviewapp review ID` and its AI involvement, responsibility and scope options: what they
record, the disclosure line it suggests, and bad values refused with one line, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reviewapp.store import ReviewStore
from tests.conftest import ROOT, SAMPLE, examine_suggestions, file_digest

DISCLOSURE = (
    "This article is original editorial commentary written with AI assistance, based on "
    "publicly available reporting by TechCrunch AI."
)


@pytest.fixture
def review(cli) -> str:
    imported = cli("import", SAMPLE)
    assert imported.code == 0, imported.err
    return imported.out.strip()


def test_with_no_option_it_shows_the_record_and_suggests_the_disclosure_line(cli, review):
    shown = cli("review", review)
    assert shown.code == 0, shown.err
    assert "  assisted: Unknown (no reason given)" in shown.out
    assert f"suggested disclosure 1, found in the draft at 241-370: {DISCLOSURE}" in shown.out
    assert f"reviewapp review {review} --accept-disclosure 1" in shown.out
    assert "  holder: (nobody named)" in shown.out
    assert "  [ ] Every factual claim was checked against sources" in shown.out


def test_the_options_record_everything_and_the_accepted_line_keeps_its_place(cli, review, db_path):
    done = cli(
        "review",
        review,
        "--ai-assisted",
        "yes",
        "--ai-tool",
        "Gemini 1.5 Pro",
        "--ai-tool",
        "DeepL",
        "--ai-role",
        "drafted",
        "--ai-role",
        "translated",
        "--accept-disclosure",
        "--responsible",
        "The Daily Example",
        "--responsible-role",
        "Managing editor",
        "--responsible-contact",
        "desk@example.org",
        "--scope",
        "claims,corrections",
    )
    assert done.code == 0, done.err
    assert "digital source type: trainedAlgorithmicMedia (Created by AI)" in done.err
    with ReviewStore(db_path) as store:
        data = store.load_review(int(review))
    ai = data.ai
    assert (ai.assisted, ai.tools, ai.roles) == (
        "yes",
        "Gemini 1.5 Pro; DeepL",
        ("drafted", "translated"),
    )
    assert ai.source_type == "trainedAlgorithmicMedia"
    assert (ai.disclosure, ai.disclosure_start, ai.disclosure_end) == (DISCLOSURE, 241, 370)
    assert data.revision.text[241:370] == DISCLOSURE
    assert data.responsibility.holder == "The Daily Example"
    assert (data.scope.claims_checked, data.scope.sources_assessed) == (True, False)
    assert data.scope.corrections_requested
    shown = cli("review", review).out
    assert "suggested disclosure" not in shown  # recorded now
    assert f"  disclosure: {DISCLOSURE}" in shown
    # The editor's own source type, and clearing.
    assert cli("review", review, "--ai-source-type", "compositeSynthetic").code == 0
    assert cli("review", review, "--ai-role", "none", "--scope", "none").code == 0
    with ReviewStore(db_path) as store:
        data = store.load_review(int(review))
    assert data.ai.source_type == "compositeSynthetic" and data.ai.roles == ()
    assert not data.scope.claims_checked


def test_unknown_with_a_reason_and_a_holder_lets_the_cli_sign_off(cli, review, db_path):
    for args in (
        ("claim", "add", review, "--quote", "has committed $4 billion", "--status", "opinion"),
        ("review", review, "--reviewer", "Ada Editor", "--verdict", "publish"),
        ("review", review, "--ai-assisted", "unknown", "--ai-unknown-reason", "No answer"),
        ("review", review, "--responsible", "The Daily Example"),
    ):
        result = cli(*args)
        assert result.code == 0, result.err
    with ReviewStore(db_path) as store:
        from reviewapp.core.gate import gate_problems

        examine_suggestions(store, int(review))  # the gate's other rule
        assert gate_problems(store.load_review(int(review))) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (("--ai-assisted", "maybe"), "argument --ai-assisted: invalid choice: 'maybe'"),
        (("--ai-role", "ghostwrote"), "argument --ai-role: invalid choice: 'ghostwrote'"),
        (("--ai-source-type", "deepfake"), "argument --ai-source-type: invalid choice"),
        (("--scope", "claims,vibes"), "--scope takes claims, sources, corrections"),
        (("--ai-tool", "Claude\nOpus"), "AI tools holds a line break"),
        (("--responsible", "A\u2028B"), "holds a line break or another control character"),
        (("--ai-role-other", "pull quotes"), "needs the role 'other'"),
        (("--accept-disclosure", "2"), "the draft has 1 disclosure line(s)"),
        (("--ai-role", "none", "--ai-role", "drafted"), "give it alone"),
        # A good option beside a bad one writes nothing either.
        (("--verdict", "publish", "--scope", "everything"), "--scope takes"),
    ],
)
def test_a_bad_value_is_one_line_exit_2_and_nothing_written(cli, review, db_path, args, message):
    before = file_digest(db_path)
    result = cli("review", review, *args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) <= 3  # argparse adds its usage line
    assert "Traceback" not in result.err
    assert file_digest(db_path) == before


def test_the_help_and_the_readme_document_every_option():
    shown = subprocess.run(
        [sys.executable, "-m", "reviewapp", "review", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    help_text = shown.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for option in (
        "--ai-assisted",
        "--ai-unknown-reason",
        "--ai-tool",
        "--ai-role",
        "--ai-role-other",
        "--ai-source-type",
        "--ai-disclosure",
        "--accept-disclosure",
        "--responsible",
        "--responsible-role",
        "--responsible-contact",
        "--scope",
    ):
        assert option in help_text, option
        assert f"[{option} " in readme or f"[{option}]" in readme, option


def test_show_names_the_record_in_one_line_and_its_json_carries_it(cli, review):
    cli("review", review, "--ai-assisted", "no", "--responsible", "The Daily Example")
    shown = cli("show", review)
    assert (
        "  AI: No, written without AI (Written by a person) · responsible: The Daily Example"
        in (shown.out)
    )
    record = json.loads(cli("show", review, "--json").out)["accountability"]
    assert record["ai_involvement"]["assisted"] == "no"
    assert record["editorial_responsibility"]["holder"] == "The Daily Example"
