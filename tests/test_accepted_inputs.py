"""One list of accepted files (ingest.settings.INPUT_KINDS): the file dialogs' filter, the CLI's
help, drag-and-drop and the refusal of any other file are all derived from it, and every file
ending it lists really imports."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from reviewapp.cli import build_parser
from reviewapp.ingest import load_source
from reviewapp.ingest import settings as ingest_settings
from reviewapp.ingest.settings import (
    INPUT_KINDS,
    InputKind,
    accepted_extensions,
    file_dialog_filter,
    is_accepted_file,
    reader_for_name,
    source_help,
    unsupported_file_message,
)
from tests.conftest import ROOT, SAMPLE, file_digest

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Mine reopens after two years", level=1)
    document.add_paragraph("The copper mine near Elvdal reopened on Monday with 140 workers.")
    document.save(str(path))


# One small draft per reader, written under whatever name the test gives it.
DRAFTS: dict[str, tuple[Callable[[Path], object], str]] = {
    "html": (
        lambda p: shutil.copyfile(FIXTURES / "article_with_comments.html", p),
        "Riverside council approves rooftop solar plan",
    ),
    "text": (lambda p: shutil.copyfile(SAMPLE, p), "Amazon CEO reportedly raised Anthropic"),
    "markdown": (lambda p: shutil.copyfile(FIXTURES / "draft.md", p), "Port authority"),
    "docx": (_docx, "Mine reopens after two years"),
}


def _import_help() -> str:
    """The CLI's `import --help`, its lines joined again (argparse wraps them)."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return " ".join(sub.choices["import"].format_help().split())


@pytest.fixture
def one_more_ending(monkeypatch: pytest.MonkeyPatch) -> str:
    """The list with '.mdown' added to Markdown, as someone adding a kind of file would."""
    kinds = tuple(
        InputKind(k.label, k.reader, (*k.extensions, ".mdown")) if k.reader == "markdown" else k
        for k in INPUT_KINDS
    )
    monkeypatch.setattr(ingest_settings, "INPUT_KINDS", kinds)
    return ".mdown"


def test_the_list_holds_every_reader_and_no_ending_twice():
    assert {k.reader for k in INPUT_KINDS} == set(DRAFTS) == set(ingest_settings.RAW_TYPES)
    endings = accepted_extensions()
    assert len(endings) == len(set(endings))
    assert all(re.fullmatch(r"\.[a-z0-9]+", e) for e in endings)
    # What drifted before: .xhtml and .text were read but not named, .markdown not in the help.
    assert {".xhtml", ".text", ".markdown"} <= set(endings)


def test_the_file_dialog_filter_names_every_ending_and_each_kind():
    entries = file_dialog_filter().split(";;")
    assert entries[0] == "Drafts (" + " ".join(f"*{e}" for e in accepted_extensions()) + ")"
    assert entries[-1] == "All files (*)"
    assert entries[1:-1] == [
        "HTML (*.html *.htm *.xhtml)",
        "Plain text (*.txt *.text)",
        "Markdown (*.md *.markdown)",
        "Word (*.docx)",
    ]


def test_the_cli_help_and_the_refusal_name_every_ending():
    help_text = _import_help()
    refusal = unsupported_file_message("draft.pdf")
    assert source_help() in help_text
    for kind in INPUT_KINDS:
        named = f"{kind.label} ({' '.join(kind.extensions)})"
        assert named in help_text and named in refusal
    assert refusal.startswith("cannot import draft.pdf: accepted are http(s) addresses and HTML")


def test_an_ending_added_to_the_list_shows_up_in_every_consumer(one_more_ending, tmp_path):
    assert f"*{one_more_ending}" in file_dialog_filter().split(";;")[0]
    assert f"*{one_more_ending})" in file_dialog_filter().split(";;")[3]  # Markdown's entry
    assert one_more_ending in _import_help()
    assert one_more_ending in unsupported_file_message("draft.pdf")
    assert is_accepted_file(f"notes{one_more_ending.upper()}")
    assert reader_for_name(f"notes{one_more_ending}") == "markdown"
    path = tmp_path / f"notes{one_more_ending}"
    path.write_text("# Notes on the council vote\n\nThe vote was 7 to 2.\n", encoding="utf-8")
    draft = load_source(str(path))
    assert draft.importer == "markdown" and draft.meta.title == "Notes on the council vote"


@pytest.mark.parametrize("ending", accepted_extensions())
def test_every_listed_ending_imports_through_the_cli(cli, tmp_path: Path, ending: str):
    reader = reader_for_name(f"x{ending}")
    assert reader is not None
    write, title = DRAFTS[reader]
    path = tmp_path / f"draft{ending.upper() if ending == '.htm' else ending}"
    write(path)
    result = cli("import", path)
    assert result.code == 0, result.err
    shown = json.loads(cli("show", result.out.strip(), "--json").out)
    assert shown["article"]["title"].startswith(title)
    assert shown["article"]["blocks"] >= 1


@pytest.mark.parametrize("name", ["draft.pdf", "draft.rtf", "draft.html.bak", "draft.mdown"])
def test_an_unlisted_ending_is_refused_naming_the_accepted_ones(
    cli, db_path: Path, tmp_path: Path, name: str
):
    path = tmp_path / name
    path.write_text("Title\n\nBody of the draft.\n", encoding="utf-8")
    before = file_digest(db_path)
    result = cli("import", path)
    assert result.code == 2
    assert result.err.strip() == f"reviewapp: {unsupported_file_message(name)}"
    for ending in accepted_extensions():
        assert f"{ending} " in result.err or f"{ending})" in result.err
    assert file_digest(db_path) == before
    assert not is_accepted_file(name)
