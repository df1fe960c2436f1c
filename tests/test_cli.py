"""The CLI contract: commands, --json output, exit codes, nothing written on bad input."""

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, file_digest


@pytest.fixture
def imported(cli, sample_path):
    result = cli("import", sample_path)
    assert result.code == 0, result.err
    return int(result.out.strip())


def test_import_prints_the_new_review_id_and_the_sample_keeps_its_title(cli, imported):
    assert imported == 1
    shown = json.loads(cli("show", imported, "--json").out)
    assert shown["article"]["title"].startswith("Amazon CEO reportedly raised Anthropic")
    assert shown["status"] == "draft"
    assert shown["article"]["blocks"] >= 10


def test_the_whole_annotation_loop_from_the_command_line(cli, imported):
    r = cli(
        "claim",
        "add",
        imported,
        "--quote",
        "has committed $4 billion",
        "--status",
        "false",
        "--note",
        "Reported figure is $8 billion",
        "--correction",
        "has committed $8 billion",
    )
    assert r.code == 0 and re.fullmatch(r"claim 1 \(c-[0-9a-z]{8}\)", r.out.strip())
    assert cli("claim", "add", imported, "--quote", "99.9% reliability").out.startswith("claim 2 ")
    # A claim earlier in the text takes number 1: numbers follow the text.
    r = cli(
        "claim",
        "add",
        imported,
        "--quote",
        "suspended global access to two specific model versions",
    )
    assert r.out.startswith("claim 1 ")
    assert cli("claim", "set", imported, "3", "--status", "unverifiable").code == 0
    r = cli(
        "source",
        "add",
        imported,
        "--url",
        "https://example.org/filing",
        "--title",
        "SEC filing",
        "--publisher",
        "SEC",
        "--author",
        "Amazon",
        "--published",
        "2024-03-27",
        "--accessed-at",
        "2026-11-27",
        "--archive-url",
        "https://archive.example/filing",
        "--archive-date",
        "2026-11-27",
        "--kind",
        "primary",
        "--credibility",
        "credible",
        "--note",
        "Form 8-K",
        "--claim",
        "2",
    )
    assert r.code == 0 and re.fullmatch(r"source 1 \(s-[0-9a-z]{8}\)", r.out.strip())
    assert cli("takeaway", "add", imported, "Figures need checking before publication").code == 0
    assert (
        cli(
            "review", imported, "--reviewer", "Ada Editor", "--verdict", "publish-with-corrections"
        ).code
        == 0
    )

    shown = json.loads(cli("show", imported, "--json").out)
    assert shown["reviewer"] == "Ada Editor" and shown["status"] == "in-review"
    assert [c["status"] for c in shown["claims"]] == ["unchecked", "false", "unverifiable"]
    claim = shown["claims"][1]
    assert claim["sources"] == [1] and claim["correction"] == "has committed $8 billion"
    assert claim["selectors"]["exact"] == "has committed $4 billion"
    assert claim["anchor_state"] == "anchored"
    source = shown["sources"][0]
    assert source["archive_url"] == "https://archive.example/filing" and source["claims"] == [2]
    assert source["kind"] == "primary" and source["credibility"] == "credible"

    assert cli("claim", "rm", imported, "1").code == 0
    assert [c["number"] for c in json.loads(cli("show", imported, "--json").out)["claims"]] == [
        1,
        2,
    ]


def test_list_search_and_show_print_for_people_and_json_for_programs(cli, imported):
    cli(
        "claim", "add", imported, "--quote", "Bedrock platform", "--note", "check distribution deal"
    )
    listed = json.loads(cli("list", "--json").out)
    assert [r["id"] for r in listed] == [imported] and listed[0]["claims"] == 1
    assert "Amazon CEO reportedly" in cli("list").out
    hits = json.loads(cli("search", "distribution deal", "--json").out)
    assert {h["kind"] for h in hits} >= {"claim"}
    assert "Nothing matches" in cli("search", "zeppelin").out
    text = cli("show", imported).out
    assert "Bedrock platform" in text and "check distribution deal" in text


def test_list_filters_by_status(cli, imported):
    assert json.loads(cli("list", "--status", "signed-off", "--json").out) == []
    assert len(json.loads(cli("list", "--status", "draft", "--json").out)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("claim", "add", "1", "--quote", "not in the article at all"), "does not occur"),
        (("claim", "add", "1", "--quote", "Anthropic"), "occurs"),
        (("claim", "add", "1", "--quote", "Anthropic", "--occurrence", "99"), "out of range"),
        (("claim", "add", "1", "--quote", "Bedrock", "--status", "maybe"), "invalid choice"),
        (("claim", "set", "1", "9", "--status", "verified"), "no claim 9"),
        (("claim", "set", "1", "1"), "nothing to change"),
        (("source", "add", "1", "--url", "javascript:alert(1)"), "http"),
        (("source", "add", "1", "--url", "https://x.org", "--claim", "5"), "no claim 5"),
        (("takeaway", "add", "1", "   "), "needs some text"),
        (("review", "1", "--verdict", "maybe"), "invalid choice"),
        (("show", "42"), "no review 42"),
        (("export", "1", "--format", "pdf"), "pdf"),
        (("claim",), "required"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_one_line_and_writes_nothing(cli, imported, db_path, args, message):
    cli("claim", "add", imported, "--quote", "Bedrock platform")
    before = file_digest(db_path)
    result = cli(*args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    assert file_digest(db_path) == before


def test_importing_a_missing_file_exits_2_and_creates_no_database(cli, db_path, tmp_path):
    result = cli("import", tmp_path / "nope.txt")
    assert result.code == 2 and "nope.txt" in result.err
    assert not db_path.exists()


def test_export_markdown_is_byte_identical_every_time(cli, imported, tmp_path):
    cli("claim", "add", imported, "--quote", "99.9% reliability", "--status", "unverifiable")
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert cli("export", imported, "--format", "md", "-o", a).code == 0
    assert cli("export", imported, "-o", b).code == 0
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "99.9% reliability" in text
    assert cli("export", imported).out == text  # standard output, same bytes


def test_the_database_can_be_chosen_by_environment_variable(tmp_path, sample_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("REVIEWAPP_DB", str(db))
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp", "import", str(sample_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1" and db.exists()


def test_version_and_help(cli):
    from reviewapp import __version__

    with pytest.raises(SystemExit):
        cli("--version")
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--version"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout.strip() == f"reviewapp {__version__}"
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    for command in (
        "import",
        "list",
        "search",
        "show",
        "claim",
        "source",
        "takeaway",
        "review",
        "export",
    ):
        assert command in result.stdout


def test_a_second_draft_of_the_same_page_is_pointed_at_its_earlier_review(cli):
    page = ROOT / "tests" / "fixtures" / "ingest" / "article_with_comments.html"
    first = cli("import", page)
    second = cli("import", page)
    assert (first.code, second.code) == (0, 0)
    assert "note:" not in first.err
    assert f"--revision-of {first.out.strip()}" in second.err
