"""The importer's entry points: a URL or file path, bytes with a name, or pasted text."""

from __future__ import annotations

import dataclasses
import stat
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document
from reviewapp.core.urls import without_credentials
from reviewapp.ingest.bounds import run_within
from reviewapp.ingest.decoding import (
    charset_of_content_type,
    check_encoding,
    decode_text,
    is_binary,
)
from reviewapp.ingest.extract import extract_html
from reviewapp.ingest.fetch import FetchedPage, fetch
from reviewapp.ingest.markdown import markdown_parts
from reviewapp.ingest.plaintext import text_parts
from reviewapp.ingest.settings import (
    DEFAULT_SETTINGS,
    MEDIA_TYPES,
    RAW_TYPES,
    IngestSettings,
    human_size,
    reader_for_name,
    unsupported_file_message,
)
from reviewapp.ingest.wordfile import docx_parts

_ZIP_MAGIC = b"PK\x03\x04"


def load_source(
    source: str,
    settings: IngestSettings = DEFAULT_SETTINGS,
    cancel: threading.Event | None = None,
) -> ImportedDraft:
    """Import an http(s) URL or a file of one of the settings' INPUT_KINDS."""
    source = source.strip()
    if not source:
        raise BadInput("no source given: name a file or an http(s) address")
    scheme = _scheme(source)
    # Anything with a scheme goes to fetch, which refuses all but http(s) with a clear
    # message; but one letter before ':' is a Windows drive (C:\draft.txt), and a file
    # whose name holds a colon is still a file.
    if scheme in ("http", "https") or (len(scheme) > 1 and not _is_file(source)):
        return _load_url(source, settings, cancel)
    return load_file(Path(source), settings)


def _scheme(source: str) -> str:
    """The scheme of an address, or '' for text that is no address at all (http://[::1)."""
    scheme, colon, _rest = source.partition(":")
    if not colon or not scheme.isascii() or not scheme[:1].isalpha():
        return ""
    if not all(ch.isalnum() or ch in "+-." for ch in scheme):
        return ""
    return scheme.lower()


def _is_file(source: str) -> bool:
    try:
        return Path(source).exists()
    except (OSError, ValueError):  # a name too long, or one with a NUL: no such file
        return False


def _load_url(url: str, settings: IngestSettings, cancel: threading.Event | None) -> ImportedDraft:
    """Fetch, then read within what is left of the same deadline; no password is kept."""
    deadline = time.monotonic() + settings.timeout
    page = fetch(url, settings, cancel)
    return read_fetched(url, page, settings, deadline - time.monotonic())


def read_fetched(
    url: str, page: FetchedPage, settings: IngestSettings, seconds_left: float
) -> ImportedDraft:
    """Read a page fetched from url within SECONDS_LEFT of the fetch's deadline (and
    settings.max_seconds); no password is kept. The window runs it in a worker process."""
    budget = min(settings.max_seconds, max(seconds_left, 0.001))
    return load_bytes(
        page.body,
        without_credentials(url),
        page.content_type,
        without_credentials(page.final_url),
        dataclasses.replace(settings, max_seconds=budget),
    )


def _without_credentials(draft: ImportedDraft) -> ImportedDraft:
    """No address the draft keeps carries a password, the page's own rel=canonical included."""
    meta = draft.meta
    clean = dataclasses.replace(
        meta,
        url=without_credentials(meta.url),
        canonical_url=without_credentials(meta.canonical_url),
    )
    return dataclasses.replace(
        draft, meta=clean, source_name=without_credentials(draft.source_name)
    )


def load_file(path: Path, settings: IngestSettings = DEFAULT_SETTINGS) -> ImportedDraft:
    """Import a file; its size is checked before it is read."""
    reader = reader_for_name(path.name)
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise BadInput(f"{path} does not exist") from error
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror or error}") from error
    if stat.S_ISDIR(info.st_mode):
        raise BadInput(f"{path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(f"{path} is not a regular file")
    if reader is None:
        raise BadInput(unsupported_file_message(path.name))
    if info.st_size == 0:
        raise BadInput(f"{path} is empty")
    if info.st_size > settings.max_bytes:
        raise BadInput(
            f"{path} is {human_size(info.st_size)}, over the {human_size(settings.max_bytes)} limit"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror or error}") from error
    return load_bytes(data, path.name, RAW_TYPES[reader], "", settings)


def load_bytes(
    data: bytes,
    name: str,
    content_type: str = "",
    url: str = "",
    settings: IngestSettings = DEFAULT_SETTINGS,
) -> ImportedDraft:
    """Import bytes from paste, drag-and-drop or a download; the reader follows the type or name.

    Reading runs under settings.max_seconds (see ingest/bounds.py).
    """
    draft = run_within(
        settings.max_seconds, lambda: _read_bytes(data, name, content_type, url, settings), name
    )
    return _without_credentials(draft)


def _read_bytes(
    data: bytes, name: str, content_type: str, url: str, settings: IngestSettings
) -> ImportedDraft:
    if not data:
        raise BadInput(f"{name} is empty")
    if len(data) > settings.max_bytes:
        raise BadInput(
            f"{name} is {human_size(len(data))}, over the {human_size(settings.max_bytes)} limit"
        )
    reader = _reader_for(data, name, content_type)
    if reader == "html":
        if settings.encoding:  # the editor's choice outranks what the page declares
            content_type = f"text/html; charset={check_encoding(settings.encoding)}"
        return extract_html(data, url, settings, content_type=content_type, source_name=name)
    encoding = ""
    rivals: tuple[str, ...] = ()
    if reader == "docx":
        parts, title = docx_parts(data, name, settings)
        importer = f"python-docx {_docx_version()}"
    else:
        decoded = decode_text(data, name, charset_of_content_type(content_type), settings.encoding)
        text, encoding, rivals = decoded.text, decoded.encoding, decoded.rivals
        if decoded.guessed or settings.encoding:  # re-reading the raw bytes reads them alike
            content_type = f"{content_type.split(';')[0]}; charset={decoded.encoding}"
        if reader == "markdown":
            parts, title = markdown_parts(text)
            importer = "markdown"
        else:
            parts, title = text_parts(text, name)
            importer = "text"
    document = build_document(parts)
    if not document.text:
        raise BadInput(f"{name} has no text")
    return ImportedDraft(
        document=document,
        meta=ArticleMeta(title=title, url=url),
        raw=data,
        raw_type=_raw_type(reader, content_type),
        importer=importer,
        source_name=name,
        encoding=encoding,
        encoding_rivals=rivals,
    )


def load_pasted_text(
    text: str, html: str = "", settings: IngestSettings = DEFAULT_SETTINGS
) -> ImportedDraft:
    """Import a paste: its HTML if given and it holds an article, else its plain text."""
    size = max(len(text), len(html))  # characters: a cheap lower bound of the bytes
    if size > settings.max_bytes:
        raise BadInput(
            f"the paste is {human_size(size)} or more, "
            f"over the {human_size(settings.max_bytes)} limit"
        )
    if "\x00" in text or "\x00" in html:
        raise BadInput("the paste is not text: it contains binary data (a NUL character)")
    draft = run_within(settings.max_seconds, lambda: _read_paste(text, html, settings), "the paste")
    return _without_credentials(draft)


def _read_paste(text: str, html: str, settings: IngestSettings) -> ImportedDraft:
    if html.strip():
        # Clipboard HTML is often a bare fragment; trafilatura wants a whole page.
        page = (
            html
            if "<body" in html.lower()
            else f"<html><body><article>{html}</article></body></html>"
        )
        try:
            draft = extract_html(page, settings=settings, source_name="paste")
            return dataclasses.replace(draft, raw=html.encode("utf-8"))
        except BadInput:
            if not text.strip():
                raise
            # A fragment with no article in it (one sentence, a table cell): the plain
            # text the same paste carries is the better source.
    if not text.strip():
        raise BadInput("the paste is empty")
    parts, title = text_parts(text, "the paste")
    return ImportedDraft(
        document=build_document(parts),
        meta=ArticleMeta(title=title),
        raw=text.encode("utf-8"),
        raw_type="text/plain; charset=utf-8",
        importer="text",
        source_name="paste",
    )


def _reader_for(data: bytes, name: str, content_type: str) -> str:
    """Which reader: the media type if it names one, else the file extension, else a sniff."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in MEDIA_TYPES:
        return MEDIA_TYPES[media_type]
    reader = reader_for_name(urlsplit(name).path)
    if reader is not None:
        return reader
    if data.startswith(_ZIP_MAGIC):
        return "docx"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta")):
        return "html"
    if media_type.startswith("text/") or (not media_type and not is_binary(data)):
        return "text"
    raise BadInput(unsupported_file_message(name))


def _raw_type(reader: str, content_type: str) -> str:
    """The raw bytes' media type, with the charset they were declared in (for re-import)."""
    charset = charset_of_content_type(content_type)
    if reader == "docx" or not charset:
        return RAW_TYPES[reader]
    return f"{RAW_TYPES[reader]}; charset={charset}"


def _docx_version() -> str:
    from importlib.metadata import version

    return version("python-docx")
