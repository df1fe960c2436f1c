"""Captures on the record: the signed Markdown lists each capture's time and SHA-256, the
bundle carries them (and refuses ones that do not hold what they claim), the WARC export
reads back with warcio, and verify --warc checks it against the signed Markdown."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.export.bundle import BundleLimits, read_bundle, store_bundle
from reviewapp.export.markdown import capture_hashes, render_markdown
from reviewapp.ingest import IngestSettings
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import check_bundle, import_bundle
from reviewapp.workflows.captures import capture_source
from reviewapp.workflows.signoff import sign_off
from tests.capture_site import ARTICLE
from tests.conftest import file_digest
from tests.test_signoff_fixtures import EMAIL, REVIEWER, SIGNED_AT, ready_review

FAST = IngestSettings(timeout=1.0)


@pytest.fixture
def captured(store: ReviewStore, capture_site: str) -> int:
    """A review ready for sign-off whose source has two captures: the page and a login wall."""
    review_id = ready_review(store)
    source = store.sources(review_id)[0]
    store.update_source(source.id, url=f"{capture_site}/article")
    capture_source(store, source.id, FAST)
    store.update_source(source.id, url=f"{capture_site}/login")
    capture_source(store, source.id, FAST)
    return review_id


@pytest.fixture
def signed(store: ReviewStore, captured: int) -> int:
    sign_off(store, captured, REVIEWER, EMAIL, secrets=MemorySecretStore(), now=SIGNED_AT)
    return captured


def test_the_markdown_lists_each_capture_with_its_time_and_sha256(store, captured):
    data = store.load_review(captured)
    markdown = render_markdown(data)
    assert capture_hashes(markdown) == [c.sha256 for c in data.captures]
    assert data.captures[0].sha256 == hashlib.sha256(ARTICLE).hexdigest()
    for capture in data.captures:
        assert f"**Captured at (UTC):** {capture.captured_at}" in markdown
    assert markdown.count("thin: almost no text") == 1  # the login wall, not the article
    section = markdown.split("## Captures", 1)[1].split("\n## ", 1)[0]
    assert "[Source 1](#source-1)" in section


def test_a_review_without_captures_has_no_captures_section(store):
    review_id = ready_review(store)
    assert "## Captures" not in render_markdown(store.load_review(review_id))


def test_the_signed_markdown_holds_the_hashes(store, signed):
    signoff = store.load_review(signed).current_signoff
    hashes = capture_hashes(signoff.markdown.decode())
    assert hashes == [c.sha256 for c in store.captures(signed)]


def test_a_capture_cannot_be_added_once_signed_off(store, signed, capture_site):
    from reviewapp.core.errors import ReviewLocked

    with pytest.raises(ReviewLocked):
        capture_source(store, store.sources(signed)[0].id, FAST)
    assert len(store.captures(signed)) == 2


# ---------------------------------------------------------------------- the WARC file
def test_export_warc_reads_back_with_warcio_and_every_digest_matches(
    cli, store, captured, tmp_path
):
    from warcio.archiveiterator import ArchiveIterator

    target = tmp_path / "review.warc.gz"
    result = cli("export", captured, "--format", "warc", "-o", target)
    assert result.code == 0, result.err
    types, hashes = [], []
    with target.open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            payload = record.raw_stream.read()  # warcio raises on a digest that does not match
            types.append(record.rec_type)
            if record.rec_type == "response":
                hashes.append(hashlib.sha256(payload).hexdigest())
                digest = record.rec_headers.get_header("WARC-Payload-Digest")
                algo, value = digest.split(":")
                assert algo == "sha256"
                assert base64.b32decode(value) == hashlib.sha256(payload).digest()
    assert types == ["warcinfo", "response", "request", "response", "request"]
    assert hashes == [c.sha256 for c in store.captures(captured)]


def test_export_warc_uncompressed_when_the_name_says_warc(cli, captured, tmp_path):
    target = tmp_path / "review.warc"
    assert cli("export", captured, "--format", "warc", "-o", target).code == 0
    content = target.read_bytes()
    assert content.startswith(b"WARC/1.1\r\n") and content.count(b"WARC-Type: response") == 2


def test_export_warc_of_a_review_without_captures_is_refused(cli, store, tmp_path):
    review_id = ready_review(store)
    result = cli("export", review_id, "--format", "warc", "-o", tmp_path / "x.warc.gz")
    assert result.code == 2 and "has no captures to export" in result.err
    assert not (tmp_path / "x.warc.gz").exists()


def _export_signed(cli, review_id: int, folder: Path) -> tuple[Path, Path]:
    md, warc = folder / "review.md", folder / "review.warc.gz"
    assert cli("export", review_id, "-o", md).code == 0
    assert cli("export", review_id, "--format", "warc", "-o", warc).code == 0
    return md, warc


def test_verify_warc_accepts_the_exported_captures(cli, signed, tmp_path):
    md, warc = _export_signed(cli, signed, tmp_path)
    result = cli("verify", md, "--warc", warc)
    assert result.code == 0, result.err
    assert "Good WARC review.warc.gz: 2 captured response(s)" in result.out


def test_verify_warc_with_a_tampered_body_fails_naming_the_record(cli, signed, tmp_path):
    md, warc = _export_signed(cli, signed, tmp_path)
    plain = gzip.decompress(warc.read_bytes())
    tampered = tmp_path / "tampered.warc"
    tampered.write_bytes(plain.replace(b"four billion", b"nine billion", 1))
    result = cli("verify", md, "--warc", tampered)
    assert result.code == 1
    assert re.search(r"record \d+ <urn:uuid:[0-9a-f-]+> .*do not match its digest", result.err)


def test_verify_warc_with_a_reforged_record_fails_naming_it(cli, store, signed, tmp_path):
    """A record rebuilt with digests that fit the forged body is still not what was signed."""
    from reviewapp.export.warc import warcinfo_record
    from reviewapp.ingest.capture import build_capture
    from reviewapp.ingest.fetch import FetchedResponse

    md, _warc = _export_signed(cli, signed, tmp_path)
    body = ARTICLE.replace(b"four billion", b"nine billion")
    forged = build_capture(
        FetchedResponse(
            "http://x/a",
            "http://x/a",
            200,
            "OK",
            "HTTP/1.1",
            (("Content-Type", "text/html"),),
            body,
            body,
            (),
            "/a",
        ),
        SIGNED_AT,
        thin=False,
    )
    path = tmp_path / "forged.warc.gz"
    path.write_bytes(warcinfo_record(store.load_review(signed), "forged", True) + forged.warc)
    result = cli("verify", md, "--warc", path)
    assert result.code == 1
    assert f"record 2 {forged.capture.record_id} (http://x/a)" in result.err
    assert "does not list" in result.err


def test_verify_warc_with_a_capture_missing_fails(cli, store, signed, tmp_path):
    md, _warc = _export_signed(cli, signed, tmp_path)
    data = store.load_review(signed)
    from reviewapp.export.warc import render_warc

    first = data.captures[0].id
    only_one = tmp_path / "one.warc.gz"
    only_one.write_bytes(render_warc(data, {first: store.capture_record(first)}))
    result = cli("verify", md, "--warc", only_one)
    assert result.code == 1 and "has no record of the capture with SHA-256" in result.err


# ---------------------------------------------------------------------- the bundle
def _bundle(store: ReviewStore, review_id: int) -> dict:
    return json.loads(store_bundle(store, store.load_review(review_id)))


def test_the_bundle_carries_the_captures_and_an_import_restores_them(store, signed, tmp_path):
    content = store_bundle(store, store.load_review(signed))
    other = ReviewStore(tmp_path / "other.db")
    try:
        result = import_bundle(other, content)
        mine, theirs = store.captures(signed), other.captures(result.review_id)
        fields = lambda c: (c.url, c.final_url, c.status, c.captured_at, c.sha256, c.thin)  # noqa: E731
        assert [fields(c) for c in theirs] == [fields(c) for c in mine]
        for a, b in zip(mine, theirs, strict=True):
            assert other.capture_record(b.id) == store.capture_record(a.id)
        # the signed Markdown re-rendered from the imported review is the signed one
        data = other.load_review(result.review_id)
        assert capture_hashes(data.current_signoff.markdown.decode()) == [c.sha256 for c in theirs]
    finally:
        other.close()


def test_a_bundle_whose_warc_does_not_hold_the_named_body_is_refused(store, captured, tmp_path):
    bundle = _bundle(store, captured)
    bundle["captures"][0]["sha256"] = "0" * 64
    with pytest.raises(BadInput, match=r"captures\[0\] holds a body with SHA-256"):
        check_bundle(json.dumps(bundle).encode())


def test_a_bundle_capture_larger_than_the_limit_is_refused_before_decoding(store, captured):
    content = json.dumps(_bundle(store, captured)).encode()
    with pytest.raises(BadInput, match="more than a capture may have"):
        read_bundle(content, BundleLimits(capture_bytes=100))


def test_a_bundle_capture_naming_no_source_is_refused(store, captured):
    bundle = _bundle(store, captured)
    bundle["captures"][0]["source_id"] = "s-zzzzzzzz"
    with pytest.raises(BadInput, match="names no source"):
        read_bundle(json.dumps(bundle).encode())


def test_an_older_bundle_without_captures_still_reads(store, captured):
    bundle = _bundle(store, captured)
    bundle["version"] = 3
    del bundle["captures"]
    assert "captures" not in read_bundle(json.dumps(bundle).encode())
    bundle["captures"] = []
    bundle["version"] = 3
    read_bundle(json.dumps(bundle).encode())  # an empty list is no capture at all


# ---------------------------------------------------------------------- the CLI
def test_source_capture_prints_what_was_kept(cli, store, capture_site):
    review_id = ready_review(store)
    store.update_source(store.sources(review_id)[0].id, url=f"{capture_site}/article")
    result = cli("source", "capture", review_id, "1", "--timeout", "2")
    assert result.code == 0, result.err
    sha = hashlib.sha256(ARTICLE).hexdigest()
    assert result.out.startswith(f"captured {capture_site}/article at ")
    assert f"HTTP 200, text/html, {len(ARTICLE):,} bytes, SHA-256 {sha}" in result.out
    as_json = json.loads(cli("source", "capture", review_id, "1", "--json").out)
    assert as_json["sha256"] == sha and as_json["thin"] is False


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["9", "1"], "review 9 has no source 1"),
        (["{id}", "7"], "has no source 7"),
        (["{id}", "1", "--timeout", "0"], "must be greater than 0"),
        (["{id}", "2"], "has no URL to capture"),
        (["{id}", "3"], "answered HTTP 404"),
    ],
)
def test_source_capture_bad_input_exits_2_and_leaves_the_database_unchanged(
    cli, store, db_path, capture_site, args, says
):
    review_id = ready_review(store)
    store.update_source(store.sources(review_id)[0].id, url=f"{capture_site}/article")
    store.add_source(review_id, title="A phone call")
    store.add_source(review_id, url=f"{capture_site}/missing")
    store.close()
    before = file_digest(db_path)
    result = cli("source", "capture", *(a.format(id=review_id) for a in args))
    assert result.code == 2 and says in result.err and result.err.count("\n") == 1
    assert file_digest(db_path) == before


def test_verify_warc_of_a_file_that_is_not_a_warc_fails(cli, signed, tmp_path):
    md, _warc = _export_signed(cli, signed, tmp_path)
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"not a WARC at all\r\n\r\n"))
    result = cli("verify", md, "--warc", junk)
    assert result.code == 1 and "junk.warc.gz: not a readable WARC file" in result.err


def test_a_bundle_capture_that_inflates_past_the_limit_is_refused(store, captured):
    """A small gzip bomb under the decoded-size limit is stopped while it inflates."""
    bundle = _bundle(store, captured)
    bomb = gzip.compress(b"\0" * (30 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    bundle["captures"][0]["warc_base64"] = base64.b64encode(bomb).decode()
    with pytest.raises(BadInput, match="inflates to more than"):
        check_bundle(json.dumps(bundle).encode())
