"""Fetching over http with hard limits, against a local server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewapp.core.errors import FetchError
from reviewapp.ingest import FetchCancelled, IngestSettings, fetch, load_source

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ARTICLE = (FIXTURES / "article_with_comments.html").read_bytes()
CP1252_PAGE = (FIXTURES / "cp1252.html").read_bytes()
FAST = IngestSettings(timeout=1.0)


class _Handler(http.server.BaseHTTPRequestHandler):
    """Routes for every behaviour a real site can show; see Site.url for the paths."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean; failures are reported by the assertions

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, b"", Location=location)

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE)
        elif path == "/user-agent":
            self._send(200, self.headers.get("User-Agent", "").encode(), "text/plain")
        elif path == "/cp1252-by-header":
            # The header says windows-1252; the page's own <meta> is replaced by a wrong one.
            body = CP1252_PAGE.replace(b"charset=windows-1252", b"charset=utf-8")
            self._send(200, body, "text/html; charset=windows-1252")
        elif path == "/gzip":
            self._send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
        elif path == "/text":
            self._send(200, b"A plain draft\n\nIts only paragraph.\n", "text/plain; charset=utf-8")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect("/article" if left <= 1 else f"/hop/{left - 1}")
        elif path == "/loop-a":
            self._redirect("/loop-b", 301)
        elif path == "/loop-b":
            self._redirect("/loop-a", 307)
        elif path == "/to-ftp":
            self._redirect("ftp://127.0.0.1/draft.html")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/missing":
            self._send(404, b"<h1>Not here</h1>")
        elif path == "/broken":
            self._send(500, b"<h1>Oops</h1>")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(10 * 1024 * 1024))
            self.end_headers()
            self._drip(b"<p>" + b"x" * 1024, pause=0.05)
        elif path == "/big-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self._drip(b"<p>" + b"x" * 16 * 1024, pause=0.0)
        elif path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            self._drip(b"z", pause=0.1)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self._drip(b"<", pause=0.1)
        else:
            self._send(404, b"no such route")

    def _drip(self, chunk: bytes, pause: float) -> None:
        """Write chunk after chunk until the client hangs up or the test ends."""
        while not self.server.stopping.is_set():
            try:
                self.wfile.write(chunk)
                self.wfile.flush()
            except OSError:
                return
            self.server.sent += len(chunk)
            if pause:
                self.server.stopping.wait(pause)
        self.close_connection = True


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.requests: list[str] = []
        self.sent = 0


@dataclass
class Site:
    server: _Server

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def site() -> Iterator[Site]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield Site(server)
    server.stopping.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel completes them) and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def _timed_error(url: str, settings: IngestSettings = FAST, **kwargs: object) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(url, settings, **kwargs)  # type: ignore[arg-type]
    return str(caught.value), time.monotonic() - start


def test_a_page_that_answers_is_fetched_whole(site: Site):
    page = fetch(site.url("/article"), FAST)
    assert page.status == 200
    assert page.body == ARTICLE
    assert page.content_type.startswith("text/html")
    assert page.final_url == page.url == site.url("/article")


def test_the_user_agent_names_reviewapp(site: Site):
    page = fetch(site.url("/user-agent"), FAST)
    assert page.body.decode().startswith("reviewapp/")


def test_load_source_on_a_url_imports_the_article_with_its_metadata(site: Site):
    draft = load_source(site.url("/hop/2"), FAST)
    assert draft.meta.title == "Riverside council approves rooftop solar plan"
    assert draft.meta.url == site.url("/article")  # where the redirects ended
    assert draft.source_name == site.url("/hop/2")  # what the user asked for
    assert draft.meta.canonical_url == "https://courier.example/news/2024/03/rooftop-solar-plan"
    assert "READER COMMENT" not in draft.document.text
    assert draft.raw == ARTICLE


def test_the_http_charset_wins_over_a_wrong_meta_charset(site: Site):
    draft = load_source(site.url("/cp1252-by-header"), FAST)
    assert "Le café du port" in draft.document.text
    assert "2,50 €" in draft.document.text
    assert "“Nous avons tout essayé”" in draft.document.text


def test_a_gzip_body_is_decompressed(site: Site):
    page = fetch(site.url("/gzip"), FAST)
    assert page.body == ARTICLE


def test_a_plain_text_url_is_read_as_text(site: Site):
    draft = load_source(site.url("/text"), FAST)
    assert draft.meta.title == "A plain draft"
    assert draft.document.blocks[1].text == "Its only paragraph."


def test_a_server_that_never_answers_fails_at_the_deadline(silent_port: int):
    message, elapsed = _timed_error(f"http://127.0.0.1:{silent_port}/article")
    assert "within 1 s" in message and f"127.0.0.1:{silent_port}" in message
    assert 0.9 <= elapsed < 2.0


def test_a_slow_drip_body_fails_at_the_deadline(site: Site):
    message, elapsed = _timed_error(site.url("/drip"))
    assert "within 1 s" in message and "/drip" in message
    assert 0.9 <= elapsed < 2.0


def test_headers_that_drip_fail_at_the_deadline(site: Site):
    message, elapsed = _timed_error(site.url("/drip-headers"))
    assert "within 1 s" in message
    assert 0.9 <= elapsed < 2.0


def test_cancel_stops_a_fetch_that_is_reading(site: Site):
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    start = time.monotonic()
    with pytest.raises(FetchCancelled, match="cancelled"):
        fetch(site.url("/drip"), IngestSettings(timeout=10), cancel)
    assert time.monotonic() - start < 1.5


def test_cancel_before_the_answer_stops_a_silent_server(silent_port: int):
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    start = time.monotonic()
    with pytest.raises(FetchCancelled):
        fetch(f"http://127.0.0.1:{silent_port}/", IngestSettings(timeout=10), cancel)
    assert time.monotonic() - start < 1.5


def test_a_declared_length_over_the_cap_is_refused_before_reading(site: Site):
    settings = IngestSettings(timeout=5, max_bytes=1024 * 1024)
    message, elapsed = _timed_error(site.url("/big-declared"), settings)
    assert "10.0 MB, over the 1.0 MB limit" in message
    assert elapsed < 1.0


def test_a_streamed_body_over_the_cap_is_refused_as_it_passes(site: Site):
    settings = IngestSettings(timeout=5, max_bytes=256 * 1024)
    message, _elapsed = _timed_error(site.url("/big-streamed"), settings)
    assert "larger than the 256 KB limit" in message
    # The client stopped reading soon after the cap, not at the end of a huge body.
    assert site.server.sent < 8 * 1024 * 1024


def test_up_to_max_redirects_are_followed(site: Site):
    page = fetch(site.url("/hop/5"), FAST)
    assert page.final_url == site.url("/article")
    assert page.body == ARTICLE


def test_one_redirect_too_many_is_refused(site: Site):
    message, _ = _timed_error(site.url("/hop/6"))
    assert "redirects too many times (more than 5)" in message
    assert "/article" not in site.server.requests  # the 7th address was never asked for


def test_fewer_redirects_allowed_by_settings(site: Site):
    message, _ = _timed_error(site.url("/hop/2"), IngestSettings(timeout=1, max_redirects=1))
    assert "more than 1" in message


def test_a_redirect_loop_is_named(site: Site):
    message, _ = _timed_error(site.url("/loop-a"))
    assert "redirects in a loop" in message and "/loop-a" in message


@pytest.mark.parametrize("path, scheme", [("/to-ftp", "ftp:"), ("/to-file", "file:")])
def test_a_redirect_to_another_scheme_is_refused(site: Site, path: str, scheme: str):
    message, _ = _timed_error(site.url(path))
    assert f"not {scheme}" in message and "redirected from" in message


@pytest.mark.parametrize(
    "path, expected",
    [("/missing", "HTTP 404 Not Found"), ("/broken", "HTTP 500 Internal Server Error")],
)
def test_http_errors_say_the_status(site: Site, path: str, expected: str):
    message, _ = _timed_error(site.url(path))
    assert expected in message and path in message


@pytest.mark.parametrize(
    "path, expected",
    [("/pdf", "a PDF document (application/pdf)"), ("/image", "an image (image/png)")],
)
def test_content_that_is_not_a_page_is_refused_with_what_it_is(site: Site, path: str, expected):
    message, _ = _timed_error(site.url(path))
    assert expected in message and "not a web page" in message


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/draft.html", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_schemes_other_than_http_are_refused(url: str):
    message, elapsed = _timed_error(url)
    assert "only http and https" in message and url in message
    assert elapsed < 0.1


def test_load_source_refuses_a_file_url_as_a_fetch_error():
    with pytest.raises(FetchError, match="only http and https"):
        load_source("file:///etc/hostname")


def test_a_refused_connection_is_reported():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    message, _ = _timed_error(f"http://127.0.0.1:{port}/")
    assert "refused the connection" in message


def test_an_unknown_host_is_reported(monkeypatch: pytest.MonkeyPatch):
    # Stand in for the resolver so the test never sends a DNS query off the machine.
    def no_such_host(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    message, _ = _timed_error("http://news.invalid/story")
    assert "cannot find the server news.invalid" in message


def test_a_url_with_a_bad_port_is_refused():
    message, _ = _timed_error("http://127.0.0.1:notaport/")
    assert "not a valid address" in message


# ---------------------------------------------------------------------- https
def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 and its key, as PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "reviewapp test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[Site, Path]]:
    import ssl

    cert_path, key_path = _self_signed(tmp_path)
    server = _Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield Site(server), cert_path
    server.stopping.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def _https(site: Site, path: str) -> str:
    return site.url(path).replace("http://", "https://")


def test_an_untrusted_certificate_is_refused(tls_site: tuple[Site, Path]):
    site, _cert = tls_site
    message, _ = _timed_error(_https(site, "/article"))
    assert "TLS certificate of 127.0.0.1 is not valid" in message


def test_https_with_a_trusted_certificate_is_fetched(
    tls_site: tuple[Site, Path], monkeypatch: pytest.MonkeyPatch
):
    site, cert = tls_site
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # OpenSSL reads it for the default context
    page = fetch(_https(site, "/article"), FAST)
    assert page.body == ARTICLE


def test_settings_refuse_limits_that_cannot_work():
    from reviewapp.core.errors import BadInput

    for bad in ({"timeout": 0}, {"max_bytes": 0}, {"max_redirects": -1}):
        with pytest.raises(BadInput):
            IngestSettings(**bad)  # type: ignore[arg-type]
