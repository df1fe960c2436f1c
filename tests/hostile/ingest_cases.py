"""Hostile drafts, files and addresses for `reviewapp import` (see tests/hostile/__init__.py).

Files are generated at run time. Address cases that need a web site use one local server on
127.0.0.1, started on first use in the process that runs the cases (never the internet).
"""

from __future__ import annotations

import gzip
import http.server
import io
import threading
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.hostile import Build, HostileCase

MB = 1024 * 1024
PAGE = (
    "<html><head><title>Council approves the budget</title></head><body><article>"
    "<h1>Council approves the budget</h1>"
    + "<p>The council approved the budget on Monday after a long debate in the chamber.</p>" * 8
    + "</article></body></html>"
).encode()


# ---------------------------------------------------------------------- writers
def _file(name: str, content: Callable[[], bytes], *options: str) -> Build:
    def build(directory: Path) -> list[str]:
        path = directory / name
        path.write_bytes(content())
        return ["import", *options, str(path)]

    return build


def _html(body: str) -> bytes:
    return (
        f"<html><head><title>T</title></head><body><article>{body}</article></body></html>".encode()
    )


def _docx(document_xml: Callable[[zipfile.ZipFile], None]) -> bytes:
    """A minimal .docx whose word/document.xml the caller writes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        document_xml(archive)
    return buffer.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraphs_docx(paragraphs: int, text: str = "") -> Callable[[], bytes]:
    def content() -> bytes:
        paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" if text else "<w:p/>"

        def write(archive: zipfile.ZipFile) -> None:
            with archive.open("word/document.xml", "w") as part:
                part.write(f'<?xml version="1.0"?><w:document {_W}><w:body>'.encode())
                part.write(f"<w:p><w:r><w:t>Title</w:t></w:r></w:p>{paragraph * 1000}".encode())
                for _ in range(paragraphs // 1000):
                    part.write((paragraph * 1000).encode())
                part.write(b"</w:body></w:document>")

        return _docx(write)

    return content


def _bomb_docx(inflated: int, lie: bool) -> Callable[[], bytes]:
    """document.xml inflating to `inflated` bytes; with lie, the headers claim 1,000 bytes."""

    def content() -> bytes:
        def write(archive: zipfile.ZipFile) -> None:
            with archive.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(f'<?xml version="1.0"?><w:document {_W}><w:body>'.encode())
                spaces = b" " * MB
                for _ in range(inflated // MB):
                    part.write(spaces)
                part.write(b"</w:body></w:document>")

        data = bytearray(_docx(write))
        if lie:
            _understate(data, b"word/document.xml")
        return bytes(data)

    return content


def _understate(data: bytearray, name: str | bytes) -> None:
    """Rewrite every size field of one member (local header, zip64 extra, central directory)."""
    name = name if isinstance(name, bytes) else name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            start = at + 4
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] != name:
                continue
            if data[at + offset : at + offset + 4] != b"\xff\xff\xff\xff":
                data[at + offset : at + offset + 4] = (1000).to_bytes(4, "little")
            zip64 = data.find(b"\x01\x00", name_at + len(name))
            if 0 <= zip64 - name_at - len(name) < 4:  # the zip64 extra: uncompressed size first
                data[zip64 + 4 : zip64 + 12] = (1000).to_bytes(8, "little")


def _many_members_docx(members: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(members):
            archive.writestr(f"m/{i}", b"")
    return buffer.getvalue()


def _corrupt_docx() -> bytes:
    data = bytearray(_paragraphs_docx(1000, "Some words in a paragraph")())
    at = data.find(b"word/document.xml") + len("word/document.xml") + 20
    data[at : at + 200] = bytes(range(200))
    return bytes(data)


# ---------------------------------------------------------------------- site
class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _head(self, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def do_GET(self) -> None:
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404)
            return
        route(self)
        self.close_connection = True


def _truncated(h: _Handler) -> None:
    h._head(Content_Length="100000")
    h.wfile.write(PAGE[:500])


def _gzip_garbage(h: _Handler) -> None:
    body = b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4
    h._head(Content_Length=str(len(body)), Content_Encoding="gzip")
    h.wfile.write(body)


def _gzip_cut(h: _Handler) -> None:
    body = gzip.compress(PAGE * 20)
    body = body[: len(body) // 2]
    h._head(Content_Length=str(len(body)), Content_Encoding="gzip")
    h.wfile.write(body)


def _chunked_cut(h: _Handler) -> None:
    h._head(Transfer_Encoding="chunked")
    h.wfile.write(b"%x\r\n%s\r\n" % (len(PAGE), PAGE))  # no last (zero-length) chunk


_BOMB: list[bytes] = []


def _gzip_bomb(h: _Handler) -> None:
    if not _BOMB:  # 1 GB of spaces, about 1 MB compressed
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        chunk = b" " * MB
        _BOMB.append(b"".join(packer.compress(chunk) for _ in range(1024)) + packer.flush())
    h._head(Content_Length=str(len(_BOMB[0])), Content_Encoding="gzip")
    h.wfile.write(_BOMB[0])


def _many_paragraphs(h: _Handler) -> None:
    body = _html("<p>a</p>" * (19 * MB // 8))
    h._head(Content_Length=str(len(body)))
    h.wfile.write(body)


def _page(h: _Handler) -> None:
    h._head(Content_Length=str(len(PAGE)))
    h.wfile.write(PAGE)


def _to_bad_host(h: _Handler) -> None:
    h.send_response(302)
    h.send_header("Location", "http://a..b.example/")
    h.send_header("Content-Length", "0")
    h.end_headers()


ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/truncated": _truncated,
    "/gzip-garbage": _gzip_garbage,
    "/gzip-cut": _gzip_cut,
    "/chunked-cut": _chunked_cut,
    "/gzip-bomb": _gzip_bomb,
    "/many-paragraphs": _many_paragraphs,
    "/page": _page,
    "/to-bad-host": _to_bad_host,
}
_SITE: list[http.server.ThreadingHTTPServer] = []
_LOCK = threading.Lock()


def site_url(path: str, userinfo: str = "") -> str:
    """The address of path on the local site, started on first use."""
    with _LOCK:
        if not _SITE:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
            _SITE.append(server)
    return f"http://{userinfo}127.0.0.1:{_SITE[0].server_address[1]}{path}"


def _url(path: str, *options: str, userinfo: str = "") -> Build:
    return lambda _directory: ["import", *options, site_url(path, userinfo)]


def _address(address: str) -> Build:
    return lambda _directory: ["import", address]


# ---------------------------------------------------------------------- cases
_DEEP = "<div>" * 100_000 + "<p>Deep text here.</p>" + "</div>" * 100_000
_LINKS = "<p>" + '<a href="/x">a</a> b ' * 20_000 + "</p>"
_GRID = ("<p>" + '<a href="/x">a</a> b ' * 90 + "</p>") * 325
_UNCLOSED = "# A draft\n\n" + "**a " * (128 * 1024 // 4)

CASES: list[HostileCase] = [
    # HTML files
    HostileCase(
        "html: 19 MB of short paragraphs",
        _file("many.html", lambda: _html("<p>a</p>" * (19 * MB // 8))),
        "HTML elements",
        _file("many.html", lambda: _html("<p>a</p>" * 3000), "--max-elements", "1000"),
    ),
    HostileCase(
        "html: 20,000 links in one paragraph (trafilatura is quadratic)",
        _file("links.html", lambda: _html(_LINKS)),
        "HTML elements",
        _file("links.html", lambda: _html(_LINKS[:20_000]), "--max-elements", "10000"),
    ),
    HostileCase(
        "html: 325 paragraphs of 90 links (just under both caps)",
        _file("grid.html", lambda: _html(_GRID)),
        "",
        _file("grid.html", lambda: _html(_GRID[: len(_GRID) // 10])),
    ),
    HostileCase(
        "html: nested 100,000 deep", _file("deep.html", lambda: _html(_DEEP)), "HTML elements"
    ),
    HostileCase(
        "html: one 15 MB paragraph (trafilatura discards it)",
        _file("long.html", lambda: _html("<p>" + "word " * (3 * MB) + "</p>")),
        "no article text",
    ),
    HostileCase(
        "html: a NUL byte after the first 8 KB",
        _file("nul.html", lambda: PAGE + b" " * 9000 + b"\x00"),
        "binary",
    ),
    HostileCase(
        "html: over the size limit",
        _file("big.html", lambda: PAGE + b" " * (21 * MB)),
        "over the",
        _file("big.html", lambda: PAGE + b" " * 5000, "--max-bytes", "4096"),
    ),
    HostileCase(
        "html: 15 MB comment and no article",
        _file("comment.html", lambda: _html("<!--" + "x" * (15 * MB) + "-->")),
        "no article text",
    ),
    # Markdown and text files
    HostileCase(
        "md: unclosed emphasis run, 128 KB", _file("em.md", lambda: _UNCLOSED.encode()), ""
    ),
    HostileCase(
        "md: unclosed comments, links, code and brackets",
        _file(
            "mixed.md",
            lambda: (
                "# T\n\n"
                + "<!-- a [b]( `` c [[ ~~d _e " * 20_000
                + "".join("`" * k + " x " for k in range(1, 400))
            ).encode(),
        ),
        "",
    ),
    HostileCase(
        "md: a heading line of 1 MB of spaces",
        _file("atx.md", lambda: ("# " + " " * MB + "x #\n\nText.\n").encode()),
        "",
    ),
    HostileCase(
        "md: a table rule of 1 MB of spaces",
        _file("table.md", lambda: ("# T\n\na | b\n" + " " * MB + "x\n").encode()),
        "",
    ),
    HostileCase(
        "md: a NUL byte at the end", _file("nul.md", lambda: _UNCLOSED.encode() + b"\x00"), "binary"
    ),
    HostileCase(
        "txt: a NUL byte after 1 MB",
        _file("nul.txt", lambda: b"Title\n\n" + b"words " * (MB // 6) + b"\x00"),
        "binary",
    ),
    HostileCase(
        "txt: UTF-16 with a NUL character",
        _file("nul16.txt", lambda: "Title\n\nText\x00more".encode("utf-16")),
        "binary",
    ),
    HostileCase(
        "txt: one line of 15 MB",
        _file("line.txt", lambda: b"Title\n\n" + b"word " * (3 * MB)),
        "",
        _file("line.txt", lambda: b"Title\n\n" + b"word " * 20_000),
    ),
    HostileCase("txt: empty", _file("empty.txt", lambda: b""), "is empty"),
    HostileCase(
        "file: an unknown type", _file("draft.pdf", lambda: b"%PDF-1.7\n"), "cannot import"
    ),
    # Word files
    HostileCase(
        "docx: 2.5 million empty paragraphs",
        _file("empty-paragraphs.docx", _paragraphs_docx(2_500_000)),
        "paragraphs",
        _file("empty-paragraphs.docx", _paragraphs_docx(5000), "--max-paragraphs", "1000"),
    ),
    HostileCase(
        "docx: 40,000 paragraphs of text (under the cap)",
        _file("long.docx", _paragraphs_docx(40_000, "A sentence of a long report.")),
        "",
        _file("long.docx", _paragraphs_docx(2000, "A sentence of a long report.")),
    ),
    HostileCase(
        "docx: zip bomb whose headers understate its size",
        _file("liar.docx", _bomb_docx(1024 * MB, lie=True)),
        "docx",
        _file("liar.docx", _bomb_docx(4 * MB, lie=True), "--max-unpacked", "1000000"),
    ),
    HostileCase(
        "docx: zip bomb that declares its size",
        _file("bomb.docx", _bomb_docx(1024 * MB, lie=False)),
        "unpacks to more than",
        _file("bomb.docx", _bomb_docx(4 * MB, lie=False), "--max-unpacked", "1000000"),
    ),
    HostileCase(
        "docx: 20,000 files inside",
        _file("members.docx", lambda: _many_members_docx(20_000)),
        "files",
    ),
    HostileCase("docx: corrupt deflate data", _file("corrupt.docx", _corrupt_docx), "not a valid"),
    # Addresses that crashed or could
    *(
        HostileCase(f"url: {label}", _address(address), expect)
        for label, address, expect in (
            ("an empty label", "http://a..b.example/", "not a valid address"),
            ("a label of 70 non-ASCII letters", f"http://{'é' * 70}.example/", "not a valid"),
            ("an unclosed IPv6 bracket", "http://[::1", "not a valid address"),
            ("a bad IPv6 literal", "http://[zz::1]/", "not a valid address"),
            ("port out of range", "http://h.example:99999/", "not a valid address"),
            ("port not a number", "http://h.example:x/", "not a valid address"),
            ("port 0", "http://h.example:0/", "not a valid address"),
            ("no host", "http:///draft", "no host name"),
            ("a space in the host", "http://exa mple.example/", "not a valid address"),
            ("a control character in the host", "http://exa\x01mple.example/", "not a valid"),
            ("a host of 300 letters", f"http://{'a' * 300}.example/", "not a valid address"),
            ("another scheme", "gopher://h.example/", "only http and https"),
        )
    ),
    # A site that misbehaves
    HostileCase("url: a redirect to a bad host", _url("/to-bad-host"), "not a valid address"),
    HostileCase("url: body shorter than Content-Length", _url("/truncated"), "truncated"),
    HostileCase("url: gzip garbage", _url("/gzip-garbage"), "decompress"),
    HostileCase("url: gzip cut in half", _url("/gzip-cut"), "cut short or corrupt"),
    HostileCase("url: chunked body cut before its last chunk", _url("/chunked-cut"), "truncated"),
    HostileCase(
        "url: gzip bomb, 1 GB of spaces",
        _url("/gzip-bomb"),
        "larger than the",
        _url("/gzip-bomb", "--max-bytes", "2000000"),
    ),
    HostileCase(
        "url: 19 MB of short paragraphs",
        _url("/many-paragraphs"),
        "HTML elements",
        _url("/many-paragraphs", "--max-elements", "1000"),
    ),
    HostileCase("url: credentials in the address", _url("/page", userinfo="alice:secret@"), ""),
]
