"""Fetching a page over http(s) with hard limits: deadline, size cap, redirects, cancel.

Standard library only. Redirects are followed here (not by a library) so each hop is
counted and its scheme checked. A watchdog thread shuts the socket down when the deadline
passes or the caller cancels, so no blocking read can outlive either.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from reviewapp.core.errors import FetchError
from reviewapp.core.urls import without_credentials
from reviewapp.ingest.settings import DEFAULT_SETTINGS, MEDIA_TYPES, IngestSettings, human_size

_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.5"
_POLL = 0.05  # how often the watchdog looks at the cancel event, seconds
_T = TypeVar("_T")
_KINDS = {"application/pdf": "a PDF document", "application/zip": "a zip archive"}


class FetchCancelled(FetchError):
    """The caller cancelled the fetch."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # the address asked for
    final_url: str  # the address after redirects
    status: int
    content_type: str  # the Content-Type header as sent, parameters included
    body: bytes


@dataclass(frozen=True)
class FetchedResponse:
    """A response kept as evidence: what the HTTP client received, and what was asked.

    "As received" means the entity body after the transfer coding is undone (http.client
    removes chunking) but with its content coding kept: a gzip-encoded page stays gzip bytes
    in ``body``, exactly what the server sent, and ``decoded`` holds it inflated for reading.
    ``headers`` are the response headers in the order sent; a Transfer-Encoding header, which
    no longer describes ``body``, is kept under ``X-Archive-Orig-Transfer-Encoding`` (as web
    archives do) so a replay tool does not de-chunk the body a second time.
    """

    url: str  # the address asked for
    final_url: str  # the address after redirects
    status: int
    reason: str
    http_version: str  # "HTTP/1.1"
    headers: tuple[tuple[str, str], ...]
    body: bytes  # as received (content coding kept)
    decoded: bytes  # content coding undone
    request_headers: tuple[tuple[str, str], ...]  # what this app sent for the final hop
    request_target: str  # the path and query asked for on the final hop

    @property
    def content_type(self) -> str:
        return self.header("Content-Type")

    def header(self, name: str) -> str:
        """The first header of this name (any case), or ""."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), "")


def fetch(
    url: str, settings: IngestSettings = DEFAULT_SETTINGS, cancel: threading.Event | None = None
) -> FetchedPage:
    """GET url within settings' limits; raises FetchError with a one-line message."""
    return _follow(url, settings, cancel, lambda exchange, asked: exchange.page(asked))


def fetch_response(
    url: str, settings: IngestSettings = DEFAULT_SETTINGS, cancel: threading.Event | None = None
) -> FetchedResponse:
    """GET url within the same limits as fetch, for keeping: any media type (a PDF too), the
    body as received with its headers (see FetchedResponse). A 4xx or 5xx answer, or any
    other status that is not 2xx, raises FetchError like fetch does."""
    return _follow(url, settings, cancel, lambda exchange, asked: exchange.response_kept(asked))


def _follow(
    url: str,
    settings: IngestSettings,
    cancel: threading.Event | None,
    answer: Callable[[_Exchange, str], _T],
) -> _T:
    """Follow redirects from url (each hop counted and its scheme checked), then answer."""
    deadline = time.monotonic() + settings.timeout
    # A user:password@ in the address is neither sent nor kept, nor shown in a message.
    url = current = without_credentials(url.strip())
    _check_scheme(current, current)
    seen = {current}
    with _Watchdog(deadline, cancel) as guard:
        for _hop in range(settings.max_redirects + 1):
            with _Exchange(current, settings, guard) as exchange:
                status = exchange.response.status
                if status in _REDIRECTS:
                    current = _next_hop(current, exchange.response, seen)
                    continue
                return answer(exchange, url)
    raise FetchError(f"{url} redirects too many times (more than {settings.max_redirects})")


def _check_scheme(url: str, asked: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise FetchError(f"{url} is not a valid address ({error})") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        where = "" if url == asked else f" (redirected from {asked})"
        got = f"{scheme}:" if scheme else "no scheme"
        raise FetchError(f"cannot fetch {url}{where}: only http and https addresses, not {got}")
    if not parts.hostname:
        raise FetchError(f"{url} has no host name")
    if parts.port == 0:
        raise FetchError(f"{url} is not a valid address (port 0)")
    ascii_host(url, parts.hostname)
    return parts


def ascii_host(url: str, host: str) -> str:
    """The host as sent on the wire (IDNA for non-ASCII names); FetchError if it cannot be one."""
    if host.startswith("[") or ":" in host:  # an IPv6 literal; urlsplit checked its brackets
        return host
    if any(ch.isspace() or not ch.isprintable() or ch in '<>"\\^`{|}%' for ch in host):
        raise FetchError(
            f"{url} is not a valid address (the host name has a character it cannot have)"
        )
    try:
        encoded = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise FetchError(f"{url} is not a valid address (bad host name: {error})") from error
    if not encoded or any(not label for label in encoded.rstrip(".").split(".")):
        raise FetchError(f"{url} is not a valid address (the host name has an empty part)")
    return encoded


def _next_hop(current: str, response: http.client.HTTPResponse, seen: set[str]) -> str:
    location = (response.getheader("Location") or "").strip()
    if not location:
        raise FetchError(f"{current} answered HTTP {response.status} without a Location")
    target = urljoin(current, location)
    _check_scheme(target, current)
    if target in seen:
        raise FetchError(f"{current} redirects in a loop (back to {target})")
    seen.add(target)
    return target


def _describe(media_type: str) -> str:
    if media_type in _KINDS:
        return _KINDS[media_type]
    for prefix, kind in (("image/", "an image"), ("video/", "a video"), ("audio/", "audio")):
        if media_type.startswith(prefix):
            return kind
    return "a file"


class _Watchdog:
    """Shuts the current socket down at the deadline or on cancel, waking any blocked read."""

    def __init__(self, deadline: float, cancel: threading.Event | None):
        self.deadline = deadline
        self.cancel = cancel
        self.reason = ""  # "timeout" or "cancelled" once tripped
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, name="fetch-watchdog", daemon=True)

    def __enter__(self) -> _Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        """Trip now if the deadline passed or cancel is set (the thread may not have yet)."""
        if self.cancel is not None and self.cancel.is_set():
            self._trip("cancelled")
        elif self.remaining() <= 0:
            self._trip("timeout")

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
        if self.reason:
            self._shutdown()

    def _run(self) -> None:
        while not self._done.is_set():
            self.check()
            if self.reason:
                return
            step = self.remaining() if self.cancel is None else min(_POLL, self.remaining())
            self._done.wait(max(step, 0.0))

    def _trip(self, reason: str) -> None:
        if not self.reason:
            self.reason = reason
        self._shutdown()

    def _shutdown(self) -> None:
        with self._lock:
            sock = self._sock
        if sock is None:
            return
        # An OSError here means the socket is already closed: nothing is left to wake.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _Exchange:
    """One request and its response on a fresh connection, with errors made readable."""

    def __init__(self, url: str, settings: IngestSettings, guard: _Watchdog):
        self.url = url
        self.settings = settings
        self.guard = guard
        self.parts = urlsplit(url)
        self.conn: http.client.HTTPConnection | None = None
        self.response: http.client.HTTPResponse
        self.target = "/"
        self.sent: tuple[tuple[str, str], ...] = ()

    def __enter__(self) -> _Exchange:
        try:
            with self._errors():
                self.response = self._send()
        except BaseException:
            self.close()  # __exit__ does not run when __enter__ fails
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.guard.watch(None)
        if self.conn is not None:
            self.conn.close()

    def _send(self) -> http.client.HTTPResponse:
        parts, guard = self.parts, self.guard
        host = ascii_host(self.url, parts.hostname or "")
        https = parts.scheme.lower() == "https"
        port = parts.port or (443 if https else 80)
        addresses = _resolve(host, port, guard)
        timeout = max(guard.remaining(), 0.001)
        conn: http.client.HTTPConnection
        if https:
            conn = http.client.HTTPSConnection(host, port, timeout=timeout)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        # Connect to the addresses resolved under the deadline, not to a second lookup.
        conn._create_connection = lambda _a, t, _s=None: _connect(addresses, t)  # type: ignore[attr-defined]
        self.conn = conn
        target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        if parts.query:
            target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        conn.putrequest("GET", target, skip_accept_encoding=True)
        self.target = target
        self.sent = (
            ("Host", host if port == (443 if https else 80) else f"{host}:{port}"),
            ("User-Agent", self.settings.user_agent),
            ("Accept", _ACCEPT),
            ("Accept-Encoding", "gzip, deflate"),
            ("Connection", "close"),
        )
        for name, value in self.sent[1:]:  # http.client sends Host itself
            conn.putheader(name, value)
        conn.endheaders()
        guard.watch(conn.sock)
        guard.check()
        conn.sock.settimeout(max(guard.remaining(), 0.001))
        return conn.getresponse()

    def _check_status(self) -> None:
        response, url = self.response, self.url
        if response.status >= 400:
            reason = f" {response.reason}" if response.reason else ""
            raise FetchError(f"{url} answered HTTP {response.status}{reason}")
        if not 200 <= response.status < 300:
            raise FetchError(f"{url} answered HTTP {response.status}, which is not a page")

    def _check_length(self) -> None:
        length = _declared_length(self.response)
        if length is not None and length > self.settings.max_bytes:
            raise FetchError(f"{self.url} is {human_size(length)}, over the {self._limit()} limit")

    def response_kept(self, asked: str) -> FetchedResponse:
        """Check status and size, then read the body under the deadline, keeping it as
        received beside its decoded form."""
        response = self.response
        self._check_status()
        self._check_length()
        with self._errors():
            received, decoded = self._read_both()
        headers = tuple(
            ("X-Archive-Orig-Transfer-Encoding", value)
            if name.lower() == "transfer-encoding"
            else (name, value)
            for name, value in response.getheaders()
        )
        version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(response.version, "HTTP/1.1")
        return FetchedResponse(
            url=asked,
            final_url=self.url,
            status=response.status,
            reason=response.reason or "",
            http_version=version,
            headers=headers,
            body=received,
            decoded=decoded,
            request_headers=self.sent,
            request_target=self.target,
        )

    def page(self, asked: str) -> FetchedPage:
        """Check status, type and size, then read the body under the deadline."""
        response, url = self.response, self.url
        self._check_status()
        content_type = response.getheader("Content-Type") or ""
        media_type = content_type.split(";")[0].strip().lower()
        if media_type and media_type not in MEDIA_TYPES:
            raise FetchError(
                f"{url} is {_describe(media_type)} ({media_type}), not a web page or text draft"
            )
        self._check_length()
        with self._errors():
            body = self._read_body()
        return FetchedPage(asked, url, response.status, content_type, body)

    def _read_body(self) -> bytes:
        return self._read_both(keep_received=False)[1]

    def _read_both(self, keep_received: bool = True) -> tuple[bytes, bytes]:
        """The body as received (b"" unless keep_received) and decoded; both within the cap."""
        response, guard, cap = self.response, self.guard, self.settings.max_bytes
        encoding = (response.getheader("Content-Encoding") or "").strip().lower()
        inflater = _inflater(encoding)
        declared = _declared_length(response)
        chunks: list[bytes] = []
        raw: list[bytes] = []
        size = received = 0
        while True:
            guard.check()
            if guard.reason:
                raise TimeoutError
            if self.conn is not None and self.conn.sock is not None:
                self.conn.sock.settimeout(max(guard.remaining(), 0.001))
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if keep_received:
                if received > cap:
                    raise FetchError(f"{self.url} is larger than the {self._limit()} limit")
                raw.append(chunk)
            if inflater is not None:
                # Inflate at most one byte past the cap: a small gzip bomb stays small.
                chunk = inflater.decompress(chunk, cap - size + 1)
            size += len(chunk)
            if size > cap:
                raise FetchError(f"{self.url} is larger than the {self._limit()} limit")
            chunks.append(chunk)
        if guard.reason:  # a shutdown socket reads as a clean end of the body
            raise TimeoutError
        if declared is not None and received < declared:
            raise FetchError(
                f"{self.url} is truncated: the server announced {declared:,} bytes and sent "
                f"{received:,}; try again later"
            )
        if inflater is not None:
            chunks.append(inflater.flush())
            if sum(map(len, chunks)) > cap:
                raise FetchError(f"{self.url} is larger than the {self._limit()} limit")
            if not inflater.eof:
                raise FetchError(
                    f"{self.url} sent a compressed ({encoding}) body that is cut short or "
                    "corrupt; try again later"
                )
        decoded = b"".join(chunks)
        if not keep_received:
            return b"", decoded
        return (b"".join(raw) if inflater is not None else decoded), decoded

    def _limit(self) -> str:
        return human_size(self.settings.max_bytes)

    def _errors(self) -> _ErrorMap:
        return _ErrorMap(self)


class _ErrorMap:
    """Turns socket, TLS and HTTP exceptions into FetchError messages naming the URL."""

    def __init__(self, exchange: _Exchange):
        self.exchange = exchange

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if error is None or isinstance(error, FetchError) or not isinstance(error, Exception):
            return
        ex = self.exchange
        url, host = ex.url, ex.parts.hostname
        if ex.guard.reason == "cancelled":
            raise FetchCancelled(f"fetching {url} was cancelled") from error
        if ex.guard.reason == "timeout" or isinstance(error, TimeoutError):
            raise FetchError(
                f"no complete answer from {url} within {ex.settings.timeout:g} s"
            ) from error
        if isinstance(error, socket.gaierror):
            raise FetchError(
                f"cannot find the server {host} (DNS lookup failed) for {url}"
            ) from error
        if isinstance(error, ConnectionRefusedError):
            raise FetchError(f"{host} refused the connection to {url}") from error
        if isinstance(error, ssl.SSLCertVerificationError):
            raise FetchError(
                f"the TLS certificate of {host} is not valid ({error.verify_message}) for {url}"
            ) from error
        if isinstance(error, ssl.SSLError):
            raise FetchError(f"TLS error with {host} for {url}: {error.reason}") from error
        if isinstance(error, http.client.IncompleteRead):
            raise FetchError(
                f"{url} is truncated: the connection closed before the whole page arrived; "
                "try again later"
            ) from error
        if isinstance(error, http.client.HTTPException):
            raise FetchError(f"{url} sent a broken HTTP answer ({type(error).__name__})") from error
        if isinstance(error, zlib.error):
            raise FetchError(f"{url} sent a body that does not decompress ({error})") from error
        if isinstance(error, OSError):
            raise FetchError(f"cannot fetch {url}: {error.strerror or error}") from error


def _declared_length(response: http.client.HTTPResponse) -> int | None:
    """The Content-Length a plain (not chunked) body promises, or None."""
    if response.chunked:
        return None
    length = (response.getheader("Content-Length") or "").strip()
    # 18 digits: an exabyte, and far below int()'s limit on digits.
    if length.isascii() and length.isdigit() and len(length) <= 18:
        return int(length)
    return None


def _inflater(encoding: str) -> Any:
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    if encoding in ("", "identity"):
        return None
    raise FetchError(f"the server sent an unsupported Content-Encoding {encoding!r}")


def _resolve(host: str, port: int, guard: _Watchdog) -> list[tuple[Any, ...]]:
    """getaddrinfo cannot time out by itself: run it in a thread and wait under the deadline."""
    result: dict[str, Any] = {}

    def lookup() -> None:
        try:
            result["addresses"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:  # handed to the caller below, not swallowed
            result["error"] = error

    worker = threading.Thread(target=lookup, name="fetch-dns", daemon=True)
    worker.start()
    while worker.is_alive():
        guard.check()
        if guard.reason:
            raise TimeoutError
        worker.join(min(_POLL, max(guard.remaining(), 0.0)))
    if "error" in result:
        raise result["error"]
    return list(result["addresses"])


def _connect(addresses: list[tuple[Any, ...]], timeout: float | None) -> socket.socket:
    """Connect to the first address that answers, as socket.create_connection does."""
    last: OSError | None = None
    for family, kind, proto, _name, address in addresses:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(address)
            return sock
        except OSError as error:
            sock.close()
            last = error
    raise last or OSError("no address to connect to")
