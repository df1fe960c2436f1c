"""No input makes the command line print a traceback, leave files behind, or drive the terminal."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reviewapp.store import ReviewStore, database
from tests.conftest import ROOT, file_digest, make_draft

BAD_UTF8 = os.fsdecode(b"bad\xff")  # what Python makes of `printf 'bad\xff'` in argv


@pytest.fixture
def review_id(db_path: Path) -> int:
    with ReviewStore(db_path) as store:
        return store.add_article(make_draft(["Alpha beta gamma delta.", "Epsilon zeta eta."]))


# ---------------------------------------------------------------------- invalid UTF-8
@pytest.mark.parametrize(
    "args",
    [
        ["takeaway", "add", "1", BAD_UTF8],
        ["search", BAD_UTF8],
        ["claim", "add", "1", "--quote", "Alpha", "--note", BAD_UTF8],
        ["import", BAD_UTF8 + ".txt"],
    ],
)
def test_an_argument_that_is_not_utf8_is_refused_before_the_database_is_opened(
    cli, db_path, review_id, args
):
    before = file_digest(db_path)
    result = cli(*args)
    assert result.code == 2
    assert "is not valid UTF-8 (byte 0xff" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert file_digest(db_path) == before


def test_a_non_utf8_database_path_is_refused_and_not_created(cli, tmp_path):
    path = tmp_path / ("lib" + BAD_UTF8 + ".db")
    result = cli("list", db=path)
    assert result.code == 2 and "not valid UTF-8" in result.err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- numbers out of range
@pytest.mark.parametrize(
    "args",
    [
        ["show", "99999999999999999999"],
        ["claim", "set", "1", "-5", "--note", "x"],
        ["claim", "add", "1", "--quote", "Alpha", "--occurrence", str(2**63)],
        ["source", "add", "1", "--url", "https://example.org", "--claim", "-1"],
        ["export", "-1"],
    ],
)
def test_a_number_beyond_sqlites_range_is_refused_in_one_line(cli, db_path, review_id, args):
    before = file_digest(db_path)
    result = cli(*args)
    assert result.code == 2, result
    assert "out of range" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert file_digest(db_path) == before


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e999"])
def test_an_impossible_timeout_is_refused(cli, tmp_path, value):
    page = tmp_path / "page.txt"
    page.write_text("Title\n\nSome text.", encoding="utf-8")
    result = cli("import", str(page), "--timeout", value)
    assert result.code == 2 and "timeout" in result.err


def test_the_largest_id_sqlite_can_hold_is_simply_not_found(cli, review_id):
    result = cli("show", str(2**63 - 1))
    assert result.code == 2
    assert "no review" in result.err


# ---------------------------------------------------------------------- a busy database
def test_a_write_waits_for_the_busy_timeout_then_says_the_database_is_busy(
    cli, db_path, review_id, monkeypatch
):
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program is in the middle of a write
    holder.execute("INSERT INTO events (at, action) VALUES ('now', 'other program')")
    try:
        result = cli("takeaway", "add", str(review_id), "waits its turn")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 2, result
    assert result.err.strip() == (
        f"reviewapp: the database {db_path} is busy: another reviewapp (or program) is writing "
        "to it; try again"
    )
    with ReviewStore(db_path) as store:
        assert store.takeaways(review_id) == []
    assert cli("takeaway", "add", str(review_id), "now it goes in").code == 0


def test_reading_while_another_program_writes_still_works(cli, db_path, review_id, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli("list")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 0 and "A draft" in result.out


# ---------------------------------------------------------------------- no files left behind
@pytest.mark.parametrize(
    "args", [["show", "5"], ["claim", "add", "1", "--quote", "x"], ["export", "3"]]
)
def test_a_failing_command_on_a_new_path_leaves_no_database_behind(cli, tmp_path, args):
    path = tmp_path / "new" / "deeper" / "new.db"
    result = cli(*args, db=path)
    assert result.code == 2
    assert list(tmp_path.iterdir()) == []


def test_a_succeeding_command_on_a_new_path_keeps_its_new_library(cli, tmp_path):
    path = tmp_path / "new.db"
    assert cli("list", db=path).code == 0
    assert path.exists()


def test_a_failing_command_never_removes_an_existing_library(cli, db_path, review_id):
    assert cli("show", "999").code == 2
    assert db_path.exists()
    with ReviewStore(db_path) as store:
        assert store.review(review_id)


# ---------------------------------------------------------------------- the terminal
HOSTILE = "Head\x1b[2J\x07\x08\r\x9b31m\u202eevil\u2066 end"


@pytest.fixture
def hostile_review(db_path: Path) -> int:
    with ReviewStore(db_path) as store:
        rid = store.add_article(make_draft([f"Body {HOSTILE} tail."], title=f"T {HOSTILE}"))
        store.add_takeaway(rid, f"take {HOSTILE}\tafter a tab\nnext line")
        return rid


def _raw_controls(text: str) -> list[str]:
    allowed = {"\n", "\t"}
    return [
        c
        for c in text
        if c not in allowed
        and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u202e\u2066\u200f")
    ]


@pytest.mark.parametrize("args", [["show", "1"], ["list"], ["search", "evil"]])
def test_control_characters_from_the_article_are_shown_escaped_not_sent_to_the_terminal(
    cli, hostile_review, args
):
    result = cli(*args)
    assert result.code == 0, result
    assert _raw_controls(result.out) == []
    assert "\\x1b[2J" in result.out
    assert "\\u202eevil" in result.out


def test_show_keeps_newlines_and_tabs(cli, hostile_review):
    out = cli("show", "1").out
    assert "\tafter a tab" in out


@pytest.mark.parametrize("args", [["show", "1", "--json"], ["list", "--json"]])
def test_json_output_escapes_c1_and_bidi_controls_and_still_parses(cli, hostile_review, args):
    result = cli(*args)
    assert _raw_controls(result.out) == []
    assert "\\u202e" in result.out and "\\u009b" in result.out
    assert any(HOSTILE in text for text in _strings(json.loads(result.out)))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in _strings(item)] if isinstance(value, list) else []


# ---------------------------------------------------------------------- the unexpected
def test_an_unexpected_error_is_one_line_naming_the_log_which_has_the_traceback(
    cli, review_id, monkeypatch, tmp_path
):
    from reviewapp.logs import log_path

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(ReviewStore, "load_review", broken)
    result = cli("show", str(review_id))
    assert result.code == 4
    assert len(result.err.strip().splitlines()) == 1
    assert "unexpected error (ZeroDivisionError: a bug)" in result.err
    assert str(log_path()) in result.err
    logged = log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged and "ZeroDivisionError: a bug" in logged


def test_help_lists_the_exit_codes(cli):
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    text = " ".join(result.stdout.split())
    assert "3 the database is damaged" in text
    assert "2 bad usage or bad input" in text


def test_invalid_utf8_in_a_subprocess_gives_one_line_and_no_traceback(db_path, review_id):
    command = [sys.executable, "-m", "reviewapp", "--db", str(db_path), "takeaway", "add", "1"]
    result = subprocess.run(
        [*command, b"bad\xff"],  # the raw bytes, as a shell passes them
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert b"not valid UTF-8" in result.stderr


def test_diff_and_stderr_notes_show_control_characters_escaped(cli, tmp_path: Path):
    first, second = tmp_path / "draft.txt", tmp_path / "draft2.txt"
    first.write_text("A title\n\nThe council met on Monday.\n")
    second.write_text(f"A title\n\nThe council met on Monday. {HOSTILE}\n")
    assert cli("import", str(first)).code == 0
    imported = cli("import", str(second), "--revision-of", "1")
    assert imported.code == 0, imported.err
    result = cli("diff", "1")
    assert result.code == 0, result.err
    assert _raw_controls(result.out) == []
    assert "\\x1b[2J" in result.out and "\\u202eevil" in result.out
