"""`reviewapp export` in every format writes what the format promises, under the stable name."""

from __future__ import annotations

import csv
import io
import json

import pytest

from reviewapp.export import FORMATS, export_filename, render
from reviewapp.export.bundle import read_bundle, store_bundle
from tests.conftest import file_digest
from tests.test_export_support import build_hostile_review


@pytest.fixture
def review_id(store) -> int:
    return build_hostile_review(store).review_id


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cli_export_writes_the_same_bytes_as_render(cli, store, review_id, tmp_path, fmt):
    data = store.load_review(review_id)
    target = tmp_path / export_filename(data, fmt)
    result = cli("export", review_id, "--format", fmt, "-o", target)
    assert result.code == 0, result.err
    # The JSON bundle from the CLI also carries each revision's raw source, read from the store.
    expected = store_bundle(store, data) if fmt == "json" else render(data, fmt)
    assert target.read_bytes() == expected


def test_cli_exports_parse_in_their_own_formats(cli, review_id):
    outputs = {fmt: cli("export", review_id, "--format", fmt).out for fmt in FORMATS}
    assert outputs["md"].startswith("---\n")
    assert json.loads(outputs["w3c"])["type"] == "AnnotationCollection"
    assert all(item["@type"] == "ClaimReview" for item in json.loads(outputs["claimreview"]))
    assert read_bundle(outputs["json"].encode())["format"] == "reviewapp-bundle"
    assert next(csv.reader(io.StringIO(outputs["csv"])))[0] == "number"


def test_cli_refuses_an_unknown_format_and_writes_nothing(cli, review_id, db_path, tmp_path):
    before = file_digest(db_path)
    target = tmp_path / "out.pdf"
    result = cli("export", review_id, "--format", "pdf", "-o", target)
    assert result.code == 2
    assert "unknown export format 'pdf'; choose one of: md, json, w3c, claimreview, csv" in (
        result.err
    )
    assert not target.exists()
    assert file_digest(db_path) == before
