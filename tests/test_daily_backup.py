"""The daily copy of a library: made once a day it is opened in the window, whole, pruned to the
newest few, named by the damaged-library message, and never left half-written."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from reviewapp.core.errors import DatabaseDamaged
from reviewapp.store import ReviewStore, daily_backup
from reviewapp.store.daily_backup import KEEP, daily_backups, make_daily_backup
from tests.conftest import make_draft

DAY = 24 * 3600.0


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    with ReviewStore(path) as store:
        rid = store.add_article(make_draft(["Alpha beta gamma delta.", "Epsilon zeta eta."]))
        store.add_claim_by_quote(rid, "beta gamma", note="check it")
    return path


def test_the_copy_is_a_whole_library_with_the_same_reviews(library: Path):
    copy = make_daily_backup(library)
    assert copy is not None and copy.name.endswith(".daily.bak")
    assert copy.name.startswith("library.db.v")
    with ReviewStore(copy) as store:
        assert [c.quote for c in store.claims(1)] == ["beta gamma"]
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_one_copy_a_day_and_another_the_next_day(library: Path):
    first = make_daily_backup(library)
    assert first is not None
    assert make_daily_backup(library) is None  # the same day: nothing new
    second = make_daily_backup(library, now=time.time() + DAY)
    assert second is not None and second != first
    assert daily_backups(library) == [first, second]


def test_only_the_newest_copies_are_kept(library: Path):
    made = []
    for day in range(KEEP + 3):
        copy = make_daily_backup(library, now=time.time() + day * DAY)
        assert copy is not None
        made.append(copy)
    assert daily_backups(library) == made[-KEEP:]
    assert all(not old.exists() for old in made[:-KEEP])


def test_a_new_empty_library_is_not_copied(tmp_path: Path):
    path = tmp_path / "new.db"
    ReviewStore(path).close()
    assert make_daily_backup(path) is None
    assert daily_backups(path) == []


def test_the_damaged_library_message_names_the_daily_copy(library: Path):
    copy = make_daily_backup(library)
    with library.open("r+b") as f:  # the header's page size is zero: not a database any more
        f.seek(16)
        f.write(b"\x00\x00")
    with pytest.raises(DatabaseDamaged) as damaged:
        ReviewStore(library)
    assert f"the last backup is {copy}" in str(damaged.value)


def test_a_copy_that_fails_leaves_no_partial_file(library: Path, monkeypatch):
    def refused(src: Path, dst: Path) -> None:
        assert Path(src).stat().st_size > 0  # the copy was written, then could not be kept
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(daily_backup.os, "replace", refused)
    with pytest.raises(OSError, match="No space left"):
        make_daily_backup(library)
    assert sorted(p.name for p in library.parent.iterdir() if "bak" in p.name) == []
