"""A damaged library is recognised, named with its last backup, and never written to."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reviewapp.core.errors import DatabaseDamaged, DatabaseError
from reviewapp.store import ReviewStore, database
from tests.conftest import ROOT, SAMPLE, file_digest

PAGE = 4096
QUOTE = "has committed $4 billion"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real library: the sample draft twice, with claims, a source and a takeaway."""
    from reviewapp.ingest import load_source

    path = tmp_path_factory.mktemp("pristine") / "library.db"
    draft = load_source(str(SAMPLE))
    with ReviewStore(path) as store:
        for _ in range(2):
            rid = store.add_article(draft)
            claim = store.add_claim_by_quote(rid, QUOTE, note="check the filing")
            store.add_claim_by_quote(rid, "99.9% reliability")
            store.add_source(rid, [claim.id], url="https://example.org/filing", title="Filing")
            store.add_takeaway(rid, "the figures need sources")
    return path


def _root_page(path: Path, name: str) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        return int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
        )
    finally:
        conn.close()


def _garbage(path: Path, offset: int, length: int) -> None:
    rng = random.Random(offset)
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(bytes(rng.randrange(256) for _ in range(length)))


def _page(path: Path, name: str) -> None:
    _garbage(path, (_root_page(path, name) - 1) * PAGE, PAGE)


DAMAGE = {
    "header": lambda p: _garbage(p, 0, 100),
    "schema": lambda p: _garbage(p, 100, PAGE - 100),
    "reviews table": lambda p: _page(p, "reviews"),
    "claims table": lambda p: _page(p, "claims"),
    "claims index": lambda p: _page(p, "claims_review"),
    "search index": lambda p: _page(p, "search_index_data"),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
}
COMMANDS = {
    "list": ["list"],
    "show": ["show", "1"],
    "search": ["search", "billion"],
    "export": ["export", "1"],
    "claim add": ["claim", "add", "1", "--quote", "personally intervened"],
    "import": ["import", str(SAMPLE)],
}


@pytest.fixture
def damaged_copy(pristine: Path, tmp_path: Path):
    """A copy of the library damaged one way, with an older backup copy beside it."""

    def make(how: str) -> tuple[Path, Path]:
        path = tmp_path / "library.db"
        shutil.copyfile(pristine, path)
        backup = tmp_path / "library.db.v1-20261201T090000Z.bak"
        shutil.copyfile(pristine, backup)
        DAMAGE[how](path)
        return path, backup

    return make


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_on_a_damaged_library_exits_3_naming_the_backup_and_writes_nothing(
    damaged_copy, cli, how, command
):
    path, backup = damaged_copy(how)
    before = file_digest(path)
    result = cli(*COMMANDS[command], db=path)
    assert result.code == 3, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "is damaged" in lines[0] and str(backup) in lines[0]
    assert "nothing was written" in lines[0]
    assert file_digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, backup.name])


@pytest.mark.parametrize("how", ["claims table", "claims index", "search index"])
def test_damage_the_open_check_did_not_reach_is_caught_when_a_command_meets_it(
    damaged_copy, cli, monkeypatch, how
):
    monkeypatch.setattr(database, "QUICK_CHECK_BUDGET", 0.0)  # as if the library were huge
    path, backup = damaged_copy(how)
    before = file_digest(path)
    codes = {name: cli(*args, db=path) for name, args in COMMANDS.items()}
    assert {r.code for r in codes.values()} <= {0, 3}  # a read that missed the damage is fine
    for write in ("claim add", "import"):  # a write first finishes the check
        assert codes[write].code == 3, codes[write]
        assert str(backup) in codes[write].err
    assert file_digest(path) == before


def test_a_damaged_library_opened_as_a_subprocess_prints_one_line_and_no_traceback(
    damaged_copy,
):
    path, _ = damaged_copy("claims table")
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--db", str(path), "show", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(path.parent)},
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_a_backup_the_message_says_none_was_found(pristine, tmp_path, cli):
    path = tmp_path / "alone.db"
    shutil.copyfile(pristine, path)
    _page(path, "claims")
    result = cli("list", db=path)
    assert result.code == 3
    assert "no backup of it was found" in result.err


def test_the_store_refuses_a_damaged_file_before_writing(damaged_copy):
    path, _ = damaged_copy("reviews table")
    before = file_digest(path)
    with pytest.raises(DatabaseDamaged, match="is damaged"):
        ReviewStore(path)
    assert file_digest(path) == before


def test_after_meeting_damage_the_store_refuses_every_write(damaged_copy, monkeypatch):
    monkeypatch.setattr(database, "QUICK_CHECK_BUDGET", 0.0)
    path, _ = damaged_copy("claims table")
    before = file_digest(path)
    with ReviewStore(path) as store:
        with pytest.raises(DatabaseDamaged):
            store.claims(1)
        assert store.damage is not None
        with pytest.raises(DatabaseDamaged):
            store.add_takeaway(1, "never written")
    assert file_digest(path) == before


# ---------------------------------------------------------------------- db check / db recover
def test_db_check_says_ok_for_a_whole_library(pristine, tmp_path, cli):
    path = tmp_path / "whole.db"
    shutil.copyfile(pristine, path)
    result = cli("db", "check", db=path)
    assert (result.code, result.out.strip()) == (0, "ok")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["whole.db"]


@pytest.mark.parametrize("how", ["header", "claims table", "search index", "truncated"])
def test_db_check_names_the_damage_and_exits_3(damaged_copy, cli, how):
    path, _ = damaged_copy(how)
    before = file_digest(path)
    result = cli("db", "check", db=path)
    assert result.code == 3
    assert result.out.strip()
    assert "is damaged" in result.err
    assert file_digest(path) == before


@pytest.mark.parametrize(
    ("how", "reviews", "claims"),
    [("header", 2, 4), ("claims table", 2, 0), ("search index", 2, 4), ("truncated", 0, 0)],
)
def test_db_recover_salvages_what_is_readable_into_a_new_library(
    damaged_copy, cli, tmp_path, how, reviews, claims
):
    path, _ = damaged_copy(how)
    before = file_digest(path)
    target = tmp_path / "saved" / "new.db"
    target.parent.mkdir()
    result = cli("db", "recover", "-o", target, db=path)
    assert result.code == 0, result
    assert f"recovered {reviews} reviews and {claims} claims" in result.out
    assert file_digest(path) == before
    with ReviewStore(target) as store:
        assert len(store.list_reviews()) == reviews
        if reviews:
            assert store.search("billion")  # the search index is whole again
    assert cli("db", "check", db=target).code == 0


def test_db_recover_never_overwrites_an_existing_file(damaged_copy, cli, tmp_path):
    path, _ = damaged_copy("claims table")
    target = tmp_path / "taken.db"
    target.write_text("mine")
    result = cli("db", "recover", "-o", target, db=path)
    assert result.code == 2
    assert "already exists" in result.err
    assert target.read_text() == "mine"


def test_db_check_of_a_missing_file_creates_nothing(cli, tmp_path):
    path = tmp_path / "nothing.db"
    result = cli("db", "check", db=path)
    assert result.code == 2
    assert not path.exists()


# ---------------------------------------------------------------------- foreign files
def test_a_foreign_sqlite_file_is_refused_without_writing_anything(tmp_path, cli):
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (name TEXT)")
    conn.execute("INSERT INTO photos VALUES ('beach.jpg')")
    conn.commit()
    conn.close()
    before = file_digest(path)
    result = cli("list", db=path)
    assert result.code == 2
    assert "is an SQLite database but not a reviewapp library" in result.err
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.db"]  # no WAL, no backup


def test_a_file_with_our_version_but_not_our_tables_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (x)")
    conn.execute(f"PRAGMA user_version = {database.LATEST}")
    conn.commit()
    conn.close()
    before = file_digest(path)
    with pytest.raises(DatabaseError, match="not a reviewapp library"):
        ReviewStore(path)
    assert file_digest(path) == before


def test_a_migration_that_keeps_failing_makes_one_backup_not_one_per_launch(
    pristine, tmp_path, monkeypatch, cli
):
    path = tmp_path / "library.db"
    shutil.copyfile(pristine, path)
    broken = "CREATE TABLE reviews (x);"  # exists already: the migration fails every time
    failing = database.LATEST + 1
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, broken])
    monkeypatch.setattr(database, "LATEST", failing)
    for _ in range(3):
        result = cli("list", db=path)
        assert result.code == 2 and f"migration {failing} failed" in result.err
    assert len(list(tmp_path.glob(f"library.db.v{failing - 1}-*.bak"))) == 1


def test_an_unchanged_library_is_checked_once_and_a_changed_one_again(
    pristine, tmp_path, monkeypatch
):
    path = tmp_path / "library.db"
    shutil.copyfile(pristine, path)
    checks: list[Path] = []
    real = database.quick_check
    monkeypatch.setattr(
        database, "quick_check", lambda conn, p, *a: (checks.append(p), real(conn, p, *a))
    )
    for _ in range(3):
        ReviewStore(path).close()  # reading only: the file is not changed
    assert checks == [path]
    _page(path, "claims")  # another program damages it: the file changed
    # ... some time later (file times move in clock ticks of a few milliseconds)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    with pytest.raises(DatabaseDamaged):
        ReviewStore(path)
    assert checks == [path, path]


def test_db_recover_keeps_the_rows_of_every_table_not_only_the_first_ones(
    pristine, tmp_path, monkeypatch
):
    """Settings, trusted keys and suggestion decisions came with later migrations: a recovered
    library must still have them (the row-by-row salvage and the .recover path both rebuild)."""
    from reviewapp.store.recovery import recover
    from reviewapp.workflows.suggestions import (
        coverage_for,
        dismiss_suggestion,
        set_coverage_enforced,
    )

    path = tmp_path / "library.db"
    shutil.copyfile(pristine, path)
    with ReviewStore(path) as store:
        review_id = store.list_reviews()[0].id
        set_coverage_enforced(store, False)
        first = next(s for s in coverage_for(store, review_id).suggestions if not s.claim_numbers)
        dismiss_suggestion(store, review_id, first.key, "Opinion", reviewer="Ada")

    def counts(db: Path) -> dict[str, int]:
        conn = sqlite3.connect(db)
        try:
            tables = [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%' "
                    "AND name NOT LIKE 'search_index_%' AND name NOT LIKE 'claim_memory_%'"
                )
            ]
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            conn.close()

    for tool in (True, False):  # with SQLite's .recover, and with the row-by-row fallback
        if not tool:
            monkeypatch.setattr(shutil, "which", lambda name: None)
        target = tmp_path / f"recovered-{tool}.db"
        recover(path, target)
        assert counts(target) == counts(path)
        with ReviewStore(target) as store:
            coverage = coverage_for(store, review_id)
            assert not coverage.enforced
            assert coverage.by_key(first.key).dismissal_reason == "Opinion"
