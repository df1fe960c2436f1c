"""Hostile bundles (tests/hostile/bundle_cases.py) are each refused by `reviewapp import-bundle`
with exit 2 and one line saying what is wrong, never a traceback, and the database is left
byte-for-byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.store import ReviewStore
from tests.conftest import file_digest, make_draft
from tests.hostile import HostileCase
from tests.hostile.bundle_cases import CASES, exported_bundle


@pytest.fixture
def library(db_path: Path) -> Path:
    """A database that already holds a review, closed so its file is settled."""
    with ReviewStore(db_path) as store:
        store.add_article(make_draft(["A review that was here before the import."]))
    return db_path


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_bundle_is_refused_in_one_line_and_writes_nothing(
    cli, library: Path, tmp_path: Path, case: HostileCase
):
    before = file_digest(library)
    result = cli(*case.build(tmp_path))
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert case.expect in result.err
    assert result.out == ""
    assert file_digest(library) == before


def test_the_cases_are_damaged_copies_of_a_bundle_that_imports(cli, library: Path, tmp_path):
    # Otherwise a case could be refused for a reason other than its damage.
    path = tmp_path / "intact.json"
    path.write_bytes(exported_bundle())
    result = cli("import-bundle", path)
    assert result.code == 0, result.err
    assert "imported" in result.out


def test_there_are_many_distinct_cases():
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names) >= 15
