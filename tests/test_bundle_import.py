"""`reviewapp import-bundle`: a review moved to another database is the same review, field for
field; bad bundles are refused with one line and leave the database byte-for-byte unchanged;
importing the same review twice is reported and writes nothing."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.export import FORMATS, render
from reviewapp.export.bundle import BUNDLE_VERSION
from reviewapp.export.files import export_content
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import check_bundle, import_bundle, import_bundles
from tests.conftest import file_digest, make_draft
from tests.test_bundle_import_support import (
    add_second_revision,
    bundle_bytes,
    normalised,
    other_library,
    table_counts,
    tampered,
    write_bundle,
)
from tests.test_export_support import build_hostile_review


@pytest.fixture
def source_review(store: ReviewStore) -> int:
    """Library A: the hostile review (every field awkward) with a second revision."""
    review_id = build_hostile_review(store).review_id
    add_second_revision(store, review_id, "A paragraph the second draft added.")
    return review_id


@pytest.fixture
def bundle_file(store: ReviewStore, source_review: int, tmp_path: Path) -> Path:
    return write_bundle(store, source_review, tmp_path / "review.json")


def _imported_id(result) -> int:
    match = re.search(r"as review (\d+)", result.out)
    assert match, result.out + result.err
    return int(match.group(1))


# ---------------------------------------------------------------------- the round trip
def test_round_trip_into_an_empty_database_gives_identical_exports(
    cli, store, source_review, bundle_file, tmp_path
):
    target = tmp_path / "b.db"
    result = cli("import-bundle", bundle_file, db=target)
    assert result.code == 0, result.err
    new_id = _imported_id(result)
    assert new_id == source_review  # free here, so the review keeps its number
    with ReviewStore(target) as b:
        # Every id was free here, so even the ids are the same: the same bytes in every format.
        assert bundle_bytes(b, new_id) == bundle_file.read_bytes()
        a_data, b_data = store.load_review(source_review), b.load_review(new_id)
        for fmt in set(FORMATS) - {"json"}:  # (the bundle bytes were compared just above)
            assert render(b_data, fmt) == render(a_data, fmt), fmt


def test_round_trip_into_a_busy_database_keeps_every_field_under_new_ids(
    cli, store, source_review, bundle_file, tmp_path
):
    target = tmp_path / "b.db"
    other_library(target).close()
    result = cli("import-bundle", bundle_file, db=target)
    assert result.code == 0, result.err
    new_id = _imported_id(result)
    assert new_id != source_review
    with ReviewStore(target) as b:
        again = bundle_bytes(b, new_id)
        assert normalised(again) == normalised(bundle_file.read_bytes())
        # Spot checks a reader would notice, beyond the normalised comparison above.
        a_data, b_data = store.load_review(source_review), b.load_review(new_id)
        assert [r.number for r in b.revisions(b_data.review.article_id)] == [1, 2]
        for a_rev, b_rev in zip(
            store.revisions(a_data.review.article_id),
            b.revisions(b_data.review.article_id),
            strict=True,
        ):
            assert b.raw_source(b_rev.id) == store.raw_source(a_rev.id)
            assert (b_rev.text, b_rev.blocks, b_rev.meta, b_rev.imported_at) == (
                a_rev.text,
                a_rev.blocks,
                a_rev.meta,
                a_rev.imported_at,
            )
        assert b_data.review.created_at == a_data.review.created_at
        assert b_data.review.updated_at == a_data.review.updated_at
        assert [c.anchor_state for c in b_data.claims] == [c.anchor_state for c in a_data.claims]
        assert b_data.claims[0].previous_quote == "an earlier wording"
        assert [t.text for t in b_data.takeaways] == [t.text for t in a_data.takeaways]
        # The Markdown differs only in the review number it states.
        md_a = export_content(a_data, "md").content.decode()
        md_b = export_content(b_data, "md").content.decode()
        assert md_b == md_a.replace(f"review_id: {source_review}\n", f"review_id: {new_id}\n")


def test_the_imported_review_is_listed_and_searchable(cli, bundle_file, tmp_path):
    target = tmp_path / "b.db"
    new_id = _imported_id(cli("import-bundle", bundle_file, db=target))
    listed = json.loads(cli("list", "--json", db=target).out)
    assert [row["id"] for row in listed] == [new_id]
    assert listed[0]["status"] == "in-review"
    hits = cli("search", "billion", db=target)
    assert hits.code == 0 and str(new_id) in hits.out


def test_the_import_is_one_event_in_the_history(cli, bundle_file, tmp_path):
    target = tmp_path / "b.db"
    new_id = _imported_id(cli("import-bundle", bundle_file, db=target))
    with ReviewStore(target) as b:
        (event,) = b.events(new_id)
        assert event["action"] == "import-bundle"
        assert json.loads(event["detail"])["source"] == str(bundle_file)


def test_a_bundle_rendered_without_the_store_imports_with_empty_raw_bytes(store, tmp_path):
    review_id = store.add_article(make_draft(["Plain text."], title="Plain"))
    content = render(store.load_review(review_id), "json")
    with ReviewStore(tmp_path / "b.db") as b:
        result = import_bundle(b, content, "plain.json")
        assert b.raw_source(b.review(result.review_id).revision_id)[0] == b""
        assert b.load_review(result.review_id).revision.text == "Plain\n\nPlain text."


# ---------------------------------------------------------------------- duplicates
def test_importing_the_same_bundle_twice_skips_it_and_writes_nothing(cli, bundle_file, tmp_path):
    target = tmp_path / "b.db"
    new_id = _imported_id(cli("import-bundle", bundle_file, db=target))
    before = file_digest(target)
    again = cli("import-bundle", bundle_file, db=target)
    assert again.code == 0, again.err
    assert f"skipped {bundle_file}: review {new_id} here is already that review" in again.out
    assert "nothing was written" in again.out
    assert file_digest(target) == before


def test_a_later_export_of_the_same_review_is_the_same_review(
    cli, store, source_review, bundle_file, tmp_path
):
    target = tmp_path / "b.db"
    new_id = _imported_id(cli("import-bundle", bundle_file, db=target))
    store.add_takeaway(source_review, "Added after the first export")
    later = write_bundle(store, source_review, tmp_path / "later.json")
    with ReviewStore(target) as b:
        counts = table_counts(b)
        result = import_bundle(b, later.read_bytes(), "later.json")
        assert (result.skipped, result.review_id) == (True, new_id)
        assert table_counts(b) == counts


def test_a_bundle_without_the_other_revisions_is_still_recognised(
    cli, store, source_review, bundle_file, tmp_path
):
    target = tmp_path / "b.db"
    new_id = _imported_id(cli("import-bundle", bundle_file, db=target))
    data = store.load_review(source_review)
    partial = render(data, "json", revisions=[store.revision(c.revision_id) for c in data.claims])
    with ReviewStore(target) as b:
        assert import_bundle(b, partial, "partial.json").review_id == new_id


def test_a_new_and_a_known_bundle_together_import_one_and_report_both(
    cli, store, bundle_file, tmp_path
):
    target = tmp_path / "b.db"
    cli("import-bundle", bundle_file, db=target)
    fresh_id = store.add_article(make_draft(["Another draft entirely."], title="Fresh"))
    fresh = write_bundle(store, fresh_id, tmp_path / "fresh.json")
    result = cli("import-bundle", bundle_file, fresh, db=target)
    assert result.code == 0, result.err
    assert f"skipped {bundle_file}" in result.out
    assert f"imported {fresh} as review" in result.out
    assert result.out.rstrip().endswith("1 imported, 1 skipped as already here")


def test_the_same_review_twice_in_one_command_is_imported_once(cli, bundle_file, tmp_path):
    target = tmp_path / "b.db"
    result = cli("import-bundle", bundle_file, bundle_file, db=target)
    assert result.code == 0, result.err
    assert "1 imported, 1 skipped" in result.out
    assert len(json.loads(cli("list", "--json", db=target).out)) == 1


def test_two_reviews_of_the_same_text_are_not_duplicates(store, tmp_path):
    first = store.add_article(make_draft(["Same words."], title="Same"))
    bundle = bundle_bytes(store, first)
    other = tampered(bundle, lambda b: b["review"].update(created_at="2020-01-01T00:00:00Z"))
    with ReviewStore(tmp_path / "b.db") as b:
        results = import_bundles(b, [check_bundle(bundle), check_bundle(other)])
        assert [r.skipped for r in results] == [False, False]


# ---------------------------------------------------------------------- bad bundles
def _newer(content: bytes) -> bytes:
    return tampered(content, lambda b: b.update(version=BUNDLE_VERSION + 1))


def _damaged(content: bytes) -> bytes:
    return tampered(content, lambda b: b["revisions"][0].update(text="changed"))


def _wrong_format(content: bytes) -> bytes:
    return tampered(content, lambda b: b.update(format="w3c"))


def _dangling_link(content: bytes) -> bytes:
    def change(bundle: dict) -> None:
        bundle["links"].append({"claim_id": "c-99999999", "source_id": bundle["sources"][0]["id"]})

    return tampered(content, change)


def _repeated_claim(content: bytes) -> bytes:
    return tampered(content, lambda b: b["claims"].append(dict(b["claims"][0])))


def _bad_timestamp(content: bytes) -> bytes:
    return tampered(content, lambda b: b["review"].update(created_at=None))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda c: b"this is not json", "not a valid reviewapp bundle: it is not JSON"),
        (lambda c: b"\x89PNG\r\n\x1a\n\x00\x00", "it is not UTF-8 text"),
        (lambda c: b"", "it is not JSON"),
        (_wrong_format, "the format field is not 'reviewapp-bundle'"),
        (_newer, f"this bundle is version {BUNDLE_VERSION + 1}; .* update reviewapp"),
        (_damaged, "the text does not match its content hash"),
        (_dangling_link, "names a claim or source that is not in the bundle"),
        (_repeated_claim, "its claim ids repeat"),
        (_bad_timestamp, "review.created_at must be text"),
    ],
)
def test_a_bad_bundle_exits_2_with_one_line_and_changes_nothing(
    cli, bundle_file, tmp_path, make, message
):
    target = tmp_path / "b.db"
    other_library(target).close()
    before = file_digest(target)
    bad = tmp_path / "bad.json"
    bad.write_bytes(make(bundle_file.read_bytes()))
    result = cli("import-bundle", bad, db=target)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert re.search(message, result.err), result.err
    assert result.err.startswith(f"reviewapp: {bad}: ")
    assert file_digest(target) == before


def test_a_bad_bundle_does_not_even_create_the_database(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    target = tmp_path / "new.db"
    assert cli("import-bundle", bad, db=target).code == 2
    assert not target.exists()


def test_one_bad_file_among_good_ones_imports_none_of_them(cli, bundle_file, tmp_path):
    target = tmp_path / "b.db"
    other_library(target).close()
    before = file_digest(target)
    bad = tmp_path / "bad.json"
    bad.write_bytes(_damaged(bundle_file.read_bytes()))
    result = cli("import-bundle", bundle_file, bad, db=target)
    assert result.code == 2 and str(bad) in result.err
    assert file_digest(target) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.json", "no bundle at"), (".", "is a folder, not a bundle")],
)
def test_a_missing_file_or_a_folder_is_bad_usage(cli, tmp_path, name, message):
    result = cli("import-bundle", tmp_path / name, db=tmp_path / "b.db")
    assert result.code == 2 and message in result.err
    assert not (tmp_path / "b.db").exists()


def test_a_failure_while_writing_rolls_everything_back(store, source_review, tmp_path, monkeypatch):
    import reviewapp.store.rows as rows

    content = bundle_bytes(store, source_review)
    with ReviewStore(tmp_path / "b.db") as b:
        counts = table_counts(b)

        def broken(*args, **kwargs):
            raise BadInput("the disk is full (simulated)")

        # Fails at the first claim: the article, its revisions and the review are written.
        monkeypatch.setattr(rows, "claim_row", broken)
        with pytest.raises(BadInput, match="simulated"):
            import_bundle(b, content, "x.json")
        assert table_counts(b) == counts


def test_check_bundle_names_the_file_in_its_message():
    with pytest.raises(BadInput, match=r"^exports/x\.json: not a valid reviewapp bundle"):
        check_bundle(b"[]", "exports/x.json")


def test_the_json_export_of_a_busy_library_moves_every_review(cli, store, tmp_path):
    ids = [
        store.add_article(make_draft([f"Draft {n} text."], title=f"Draft {n}")) for n in range(3)
    ]
    store.add_claim_by_quote(ids[1], "text", status="opinion")
    out = tmp_path / "out"
    assert cli("export", "--all", "--format", "json", "-o", out).code == 0
    files = sorted(out.glob("*.json"))
    assert len(files) == 3
    target = tmp_path / "b.db"
    result = cli("import-bundle", *files, db=target)
    assert result.code == 0, result.err
    assert "3 imported, 0 skipped" in result.out
    with ReviewStore(target) as b:
        assert [len(b.claims(i)) for i in ids] == [0, 1, 0]


def test_a_review_in_the_bin_is_still_that_review_and_the_message_says_where(
    cli, bundle_file, tmp_path
):
    target = tmp_path / "b.db"
    new_id = _imported_id(cli("import-bundle", bundle_file, db=target))
    with ReviewStore(target) as b:
        b.delete_review(new_id)
    before = file_digest(target)
    result = cli("import-bundle", bundle_file, db=target)
    assert result.code == 0, result.err
    assert f"review {new_id} here is already that review" in result.out
    assert "(in the bin: restore it there)" in result.out
    assert file_digest(target) == before


# ---------------------------------------------------------------------- the size limit
def _bundle_with_raw_bytes(bundle_file: Path, size: int, name: str) -> Path:
    """The bundle with size bytes of raw source: valid, and about that much larger."""
    raw = base64.b64encode(b"<p>page</p>" * (size // 11)).decode()
    bigger = bundle_file.with_name(name)
    bigger.write_bytes(
        tampered(bundle_file.read_bytes(), lambda b: b["revisions"][0].update(raw_base64=raw))
    )
    return bigger


def test_max_size_refuses_a_larger_bundle_and_the_default_takes_it(cli, bundle_file, tmp_path):
    bigger = _bundle_with_raw_bytes(bundle_file, 1_300_000, "bigger.json")
    target = tmp_path / "b.db"
    other_library(target).close()
    before = file_digest(target)
    refused = cli("import-bundle", "--max-size", "1", bigger, db=target)
    assert refused.code == 2
    assert (
        refused.err.strip() == f"reviewapp: {bigger} is larger than 1.0 MB: too large for a bundle"
    )
    assert file_digest(target) == before
    assert cli("import-bundle", bigger, db=target).code == 0


@pytest.mark.parametrize("value", ["0", "abc", "1.5", "²", "1025", "99999999999999999999"])
def test_max_size_must_be_a_whole_number_of_megabytes(cli, bundle_file, tmp_path, value):
    result = cli("import-bundle", "--max-size", value, bundle_file, db=tmp_path / "b.db")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "whole number of megabytes from 1 to 1024" in result.err
    assert not (tmp_path / "b.db").exists()


def test_max_size_bounds_all_the_files_of_one_import_together(cli, bundle_file, tmp_path):
    # Every checked bundle stays in memory until the import writes them all.
    halves = [_bundle_with_raw_bytes(bundle_file, 450_000, f"half{n}.json") for n in (1, 2)]
    target = tmp_path / "b.db"
    other_library(target).close()
    before = file_digest(target)
    result = cli("import-bundle", "--max-size", "1", *halves, db=target)
    assert result.code == 2
    assert result.err.strip() == (
        "reviewapp: these 2 bundles are larger than 1.0 MB together: import them a few at a time"
    )
    assert file_digest(target) == before
    assert cli("import-bundle", "--max-size", "1", halves[0], db=target).code == 0
