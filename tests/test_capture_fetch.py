"""Capturing a source through a local server: what is kept on success, and each failure says
why in one line and keeps nothing."""

from __future__ import annotations

import gzip
import hashlib
import io
import threading

import pytest

from reviewapp.core.errors import BadInput, FetchError, ReviewLocked
from reviewapp.ingest import IngestSettings
from reviewapp.ingest.capture import read_capture, read_records
from reviewapp.workflows.captures import capture_source, read_capture_text
from tests.capture_site import ARTICLE, LOGIN_WALL, NON_ASCII_HEADERS, PDF
from tests.conftest import make_draft

FAST = IngestSettings(timeout=1.0)


def _source(store, url: str) -> int:
    review_id = store.add_article(make_draft(["A paragraph that cites a filing."]))
    return store.add_source(review_id, url=url, title="The filing").id


def _stored_count(store) -> int:
    return store._conn.execute("SELECT count(*) FROM captures").fetchone()[0]


def test_a_page_is_kept_with_status_headers_final_address_time_and_sha256(store, capture_site):
    source_id = _source(store, f"{capture_site}/moved")
    capture = capture_source(store, source_id, FAST)
    assert capture.url == f"{capture_site}/moved"
    assert capture.final_url == f"{capture_site}/article"  # after the redirect
    assert capture.status == 200 and capture.content_type == "text/html; charset=utf-8"
    assert capture.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert capture.size == len(ARTICLE) and not capture.thin
    assert capture.captured_at.endswith("Z") and capture.record_id.startswith("<urn:uuid:")
    stored = read_capture(store.capture_record(capture.id), 10**8)
    assert stored.body == ARTICLE and stored.status == 200
    assert stored.target_uri == capture.final_url and stored.date == capture.captured_at
    assert stored.header("X-Served-By") == "test-site"  # every header, as sent
    assert store.load_review(store.source(source_id).review_id).captures == [capture]


def test_the_warc_records_read_back_with_warcio_and_their_digests_match(store, capture_site):
    from warcio.archiveiterator import ArchiveIterator

    capture = capture_source(store, _source(store, f"{capture_site}/article"), FAST)
    kinds = []
    for record in ArchiveIterator(
        io.BytesIO(store.capture_record(capture.id)), check_digests="raise"
    ):
        payload = record.raw_stream.read()  # raises if a digest does not match
        kinds.append(record.rec_type)
        if record.rec_type == "response":
            assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha256:")
            assert hashlib.sha256(payload).hexdigest() == capture.sha256
        else:  # the request this app sent
            assert record.http_headers.get_header("User-Agent").startswith("reviewapp/")
            assert record.rec_headers.get_header("WARC-Concurrent-To") == capture.record_id
    assert kinds == ["response", "request"]


def test_header_bytes_over_0x7f_are_kept_as_the_server_sent_them(
    store, capture_site, cli, tmp_path
):
    capture = capture_source(store, _source(store, f"{capture_site}/header-bytes"), FAST)
    stored = store.capture_record(capture.id)
    response_record = gzip.decompress(stored).split(b"WARC/1.1\r\n")[1]
    for line in NON_ASCII_HEADERS:  # the very bytes: not %-encoded, not re-encoded as UTF-8
        assert line in response_record
    # The records still read back with their digests, in the library and in an exported WARC.
    back = read_capture(stored, 10**8)
    assert back.header("X-Latin-Name") == "Caf\xe9 Ren\xe9"  # not UTF-8: read as ISO-8859-1
    assert back.header("Content-Disposition") == 'attachment; filename="r\xe9sum\xe9.html"'
    assert back.body == ARTICLE
    target = tmp_path / "headers.warc"
    assert cli("export", capture.review_id, "--format", "warc", "-o", target).code == 0
    assert all(line in target.read_bytes() for line in NON_ASCII_HEADERS)


def test_a_header_no_server_could_send_as_bytes_is_written_as_utf8():
    """Only text built in code (not read by http.client) can hold a character over U+00FF."""
    from reviewapp.ingest.capture import build_capture
    from reviewapp.ingest.fetch import FetchedResponse

    response = FetchedResponse(
        "http://x/a", "http://x/a", 200, "OK", "HTTP/1.1", (("X-Price", "5 \u20ac"),), b"x",
        b"x", (), "/a",
    )  # fmt: skip
    record = build_capture(response, "2026-01-01T00:00:00Z", thin=False)
    assert b"X-Price: 5 \xe2\x82\xac\r\n" in gzip.decompress(record.warc)
    assert read_capture(record.warc, 10**8).header("X-Price") == "5 \u20ac"


def test_a_gzip_encoded_page_is_kept_as_received_and_read_decoded(store, capture_site):
    capture = capture_source(store, _source(store, f"{capture_site}/gzip"), FAST)
    stored = read_capture(store.capture_record(capture.id), 10**8)
    assert stored.header("Content-Encoding") == "gzip"
    assert gzip.decompress(stored.body) == ARTICLE  # the compressed bytes, as sent
    assert capture.sha256 == hashlib.sha256(stored.body).hexdigest()
    reading = read_capture_text(capture, store.capture_record(capture.id))
    assert "committed four billion dollars" in reading.text and reading.body == ARTICLE


def test_a_chunked_page_is_kept_whole_and_its_transfer_coding_renamed(store, capture_site):
    capture = capture_source(store, _source(store, f"{capture_site}/chunked"), FAST)
    stored = read_capture(store.capture_record(capture.id), 10**8)
    assert stored.body == ARTICLE  # de-chunked: a replay tool must not de-chunk it again
    assert stored.header("Transfer-Encoding") == ""
    assert stored.header("X-Archive-Orig-Transfer-Encoding") == "chunked"


def test_a_login_wall_is_kept_but_flagged_thin(store, capture_site):
    capture = capture_source(store, _source(store, f"{capture_site}/login"), FAST)
    assert capture.thin and capture.sha256 == hashlib.sha256(LOGIN_WALL).hexdigest()
    assert _stored_count(store) == 1


def test_a_pdf_is_kept_and_opens_as_a_pdf_file(store, capture_site, tmp_path):
    from reviewapp.workflows.captures import write_capture_file

    capture = capture_source(store, _source(store, f"{capture_site}/paper.pdf"), FAST)
    assert capture.is_pdf and not capture.thin  # only web pages can be thin
    reading = read_capture_text(capture, store.capture_record(capture.id))
    assert reading.text == "" and reading.suffix == ".pdf"
    path = write_capture_file(reading, tmp_path)
    assert path.suffix == ".pdf" and path.read_bytes() == PDF


@pytest.mark.parametrize(
    ("path", "settings", "says"),
    [
        ("/missing", FAST, "answered HTTP 404"),
        ("/down", FAST, "answered HTTP 503"),
        ("/to-ftp", FAST, "only http and https addresses, not ftp:"),
        ("/hop/9", IngestSettings(timeout=2.0, max_redirects=3), "redirects too many times"),
        ("/big", IngestSettings(timeout=1.0, max_bytes=1000), "over the 1000 bytes limit"),
        ("/drip", IngestSettings(timeout=0.5), "no complete answer"),
        ("/silent", IngestSettings(timeout=0.5), "no complete answer"),
    ],
)
def test_a_failed_capture_says_why_in_one_line_and_keeps_nothing(
    store, capture_site, path, settings, says
):
    source_id = _source(store, f"{capture_site}{path}")
    with pytest.raises(FetchError) as failure:
        capture_source(store, source_id, settings)
    assert says in str(failure.value) and "\n" not in str(failure.value)
    assert _stored_count(store) == 0


def test_a_cancelled_capture_keeps_nothing(store, capture_site):
    from reviewapp.ingest.fetch import FetchCancelled

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(FetchCancelled):
        capture_source(store, _source(store, f"{capture_site}/drip"), FAST, cancel)
    assert _stored_count(store) == 0


def test_a_signed_off_review_or_a_source_without_address_is_refused_before_fetching(store):
    review_id = store.add_article(make_draft(["A paragraph."]))
    no_url = store.add_source(review_id, title="A phone call").id
    with pytest.raises(BadInput, match="has no URL to capture"):
        capture_source(store, no_url, FAST)
    store._conn.execute("UPDATE reviews SET status = 'signed-off' WHERE id = ?", [review_id])
    with_url = store._conn.execute(
        "INSERT INTO sources (review_id, url, stable_id, created_at, updated_at) "
        "VALUES (?, 'http://127.0.0.1:9/x', 's-aaaaaaaa', '', '')",
        [review_id],
    ).lastrowid
    with pytest.raises(ReviewLocked, match="reopen it before capturing"):
        capture_source(store, with_url, FAST)
    assert _stored_count(store) == 0


def test_a_tampered_record_is_named_when_read(store, capture_site):
    capture = capture_source(store, _source(store, f"{capture_site}/article"), FAST)
    plain = gzip.decompress(store.capture_record(capture.id))
    forged = plain.replace(b"four billion", b"nine billion", 1)
    with pytest.raises(BadInput, match="do not match its digest"):
        read_records(forged, 10**8)


def test_deleting_a_source_and_undoing_it_keeps_its_captures(store, capture_site):
    source_id = _source(store, f"{capture_site}/article")
    capture = capture_source(store, source_id, FAST)
    review_id = capture.review_id
    gone = store.delete_source(source_id)
    assert store.captures(review_id) == []
    store.restore_source(gone)
    assert store.captures(review_id) == [capture]


def test_copy_captures_gives_another_source_the_same_records(store, capture_site):
    source_id = _source(store, f"{capture_site}/article")
    capture = capture_source(store, source_id, FAST)
    other_review = store.add_article(make_draft(["Another draft cites the filing too."]))
    target = store.add_source(other_review, url=f"{capture_site}/article").id
    with store.transaction():
        assert len(store.copy_captures(source_id, target)) == 1
    (copied,) = store.source_captures(target)
    assert (copied.sha256, copied.captured_at, copied.record_id) == (
        capture.sha256,
        capture.captured_at,
        capture.record_id,
    )
    assert store.capture_record(copied.id) == store.capture_record(capture.id)


def test_thin_is_judged_by_text_not_by_size():
    from reviewapp.ingest.capture import thin_page

    # A block page built by scripts: 60 KB of code and styles, one line of text.
    wall = (
        b"<html><head><style>"
        + b".x{color:red}" * 2000
        + b"</style><script>"
        + b"var a = 1;" * 3000
        + b"</script></head><body><p>Please enable JavaScript.</p>"
        b"</body></html>"
    )
    assert len(wall) > 50_000 and thin_page(200, wall, "text/html", "http://x/")
    prose = b"<html><body><p>" + b"A sentence of the filing. " * 1000 + b"</p></body></html>"
    assert not thin_page(200, prose, "text/html", "http://x/")
    assert not thin_page(404, b"<p>Sign in.</p>", "text/html", "http://x/")


def test_reusing_an_earlier_check_carries_its_sources_captures(store, capture_site):
    from reviewapp.workflows.memory import reuse_check

    earlier_review = store.add_article(make_draft(["Amazon has committed $4 billion to it."]))
    earlier = store.add_claim_by_quote(earlier_review, "committed $4 billion", status="false")
    source = store.add_source(earlier_review, [earlier.id], url=f"{capture_site}/article")
    capture = capture_source(store, source.id, FAST)
    review_id = store.add_article(make_draft(["Again: Amazon has committed $4 billion to it."]))
    claim = store.add_claim_by_quote(review_id, "committed $4 billion")
    result = reuse_check(store, claim.id, earlier.id)
    (copied_source,) = result.added_sources
    (copied,) = store.source_captures(copied_source)
    assert (copied.sha256, copied.captured_at) == (capture.sha256, capture.captured_at)
    assert store.captures(earlier_review) == [capture]  # the earlier review is untouched
