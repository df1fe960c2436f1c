"""A local site on 127.0.0.1 for the capture tests (never the internet): a page for every case
a capture meets. The fixture ``capture_site`` yields its base address."""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from collections.abc import Iterator

import pytest

ARTICLE_TEXT = " ".join(
    f"Sentence {n} of the filing says that the company committed four billion dollars."
    for n in range(40)
)
ARTICLE = (
    "<html><head><title>The filing</title></head><body><article><h1>The filing</h1>"
    + "".join(f"<p>{ARTICLE_TEXT[i : i + 400]}</p>" for i in range(0, len(ARTICLE_TEXT), 400))
    + '<img src="http://127.0.0.1:9/tracker.png"></article></body></html>'
).encode()
LOGIN_WALL = b"<html><head><title>Sign in</title></head><body><p>Please log in.</p></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Header values as raw bytes: 0xE9 alone (ISO-8859-1 "é", not UTF-8) and "é" in UTF-8.
NON_ASCII_HEADERS = (
    b"X-Latin-Name: Caf\xe9 Ren\xe9\r\n",
    b'Content-Disposition: attachment; filename="r\xc3\xa9sum\xc3\xa9.html"\r\n',
)
BIG = b"<html><body>" + b"<p>x</p>" * 400 + b"</body></html>"  # 3,226 bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html", **extra: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE, "text/html; charset=utf-8", X_Served_By="test-site")
        elif path == "/gzip":
            self._send(
                200, gzip.compress(ARTICLE), "text/html; charset=utf-8", Content_Encoding="gzip"
            )
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(ARTICLE), 1000):
                piece = ARTICLE[start : start + 1000]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/header-bytes":
            # Written by hand: send_header would encode str values itself.
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                + b"".join(NON_ASCII_HEADERS)
                + f"Content-Length: {len(ARTICLE)}\r\n\r\n".encode()
                + ARTICLE
            )
        elif path == "/login":
            self._send(200, LOGIN_WALL)
        elif path == "/paper.pdf":
            self._send(200, PDF, "application/pdf")
        elif path == "/moved":
            self._send(301, b"", Location="/article")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._send(302, b"", Location="/article" if left <= 1 else f"/hop/{left - 1}")
        elif path == "/to-ftp":
            self._send(302, b"", Location="ftp://127.0.0.1/filing.html")
        elif path == "/missing":
            self._send(404, b"<h1>Not here</h1>")
        elif path == "/down":
            self._send(503, b"<h1>Try later</h1>")
        elif path == "/big":
            self._send(200, BIG)
        elif path == "/drip":
            # Headers at once, then one byte every 0.1 s: the body outlasts any short deadline.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:  # the client gave up, as it should
                return
        elif path == "/silent":
            time.sleep(3)  # accepts, never answers in time
        else:
            self._send(404, b"")


@pytest.fixture
def capture_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
