"""Every hostile import of tests/hostile/ingest_cases.py ends as it should, through the real CLI:
refused with exit 2 and one line naming what is wrong (the database byte-identical), or imported.
Expensive cases run their small variant: a smaller input with small limits, the same refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, file_digest
from tests.hostile import HostileCase
from tests.hostile.ingest_cases import CASES, site_url


@pytest.fixture
def populated_db(cli, db_path: Path) -> Path:
    assert cli("import", str(SAMPLE)).code == 0
    return db_path


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_import_is_refused_in_one_line_or_imported(
    case: HostileCase, cli, populated_db: Path, tmp_path: Path
):
    before = file_digest(populated_db)
    result = cli(*case.test_build()(tmp_path))
    assert "Traceback" not in result.err
    if not case.expect:
        assert result.code == 0, result.err
        return
    assert result.code == 2, result.err
    assert case.expect in result.err
    assert result.err.count("\n") == 1 and result.err.endswith("\n")
    assert file_digest(populated_db) == before


def test_reading_that_passes_its_deadline_is_refused(cli, populated_db: Path, tmp_path: Path):
    path = tmp_path / "grid.html"
    grid = ("<p>" + '<a href="/x">a</a> b ' * 90 + "</p>") * 200
    path.write_text(f"<html><body><article>{grid}</article></body></html>")
    before = file_digest(populated_db)
    result = cli("import", "--max-seconds", "0.05", str(path))
    assert result.code == 2
    assert "took longer than 0.05 s to read" in result.err
    assert file_digest(populated_db) == before


def test_credentials_in_addresses_reach_no_output(cli, db_path: Path, tmp_path: Path):
    result = cli("import", site_url("/page", "alice:secret@"))
    assert result.code == 0, result.err
    review = result.out.strip()
    added = cli(
        "source",
        "add",
        review,
        "--url",
        "https://bob:secret@example.org/report",
        "--archive-url",
        "https://carol:secret@archive.example/r",
        "--title",
        "Report",
    )
    assert added.code == 0, added.err
    shown = cli("show", review, "--json")
    assert "secret" not in shown.out
    assert json.loads(shown.out)["article"]["url"].startswith("http://127.0.0.1:")
    for form in ("md", "json", "w3c", "claimreview", "csv"):
        out = tmp_path / f"export.{form}"
        exported = cli("export", review, "--format", form, "-o", str(out))
        assert exported.code == 0, exported.err
        assert "secret" not in out.read_text(encoding="utf-8")
    assert b"secret" not in db_path.read_bytes()


def test_a_paste_too_large_is_refused_before_it_is_read():
    from reviewapp.core.errors import BadInput
    from reviewapp.ingest import IngestSettings, load_pasted_text

    with pytest.raises(BadInput, match=r"the paste is .* over the 1 KB limit"):
        load_pasted_text("x" * 2048, settings=IngestSettings(max_bytes=1024))
