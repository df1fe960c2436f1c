"""Word (.docx) drafts with python-docx: paragraph styles become block kinds."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any

from reviewapp.core.errors import BadInput
from reviewapp.core.text import normalize_inline
from reviewapp.ingest.settings import IngestSettings, human_size

Part = tuple[str, str, int]

_HEADING = re.compile(r"^heading\s*(\d)$", re.I)
_CHUNK = 1024 * 1024
_MAX_MEMBERS = 10_000  # files inside one .docx (a real one has 10 to a few hundred)
# The start tag of a paragraph, <w:p> or <w:p .../>, whatever the namespace prefix.
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,32}:)?p[\s/>]")
_TAG_SPAN = 64  # longer than any paragraph start tag the pattern matches
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)


def docx_parts(data: bytes, name: str, settings: IngestSettings) -> tuple[list[Part], str]:
    """Blocks and title of a .docx; raises BadInput for a file that is not a valid .docx.

    The archive is inflated once under caps (bytes actually inflated, paragraphs) before
    python-docx reads it, so python-docx only ever sees what fits in memory.
    """
    import docx  # python-docx; imported here because only .docx imports need it
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    _check_archive(data, name, settings)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, LxmlError, *_BROKEN_ZIP) as error:
        raise BadInput(f"{name} is not a valid .docx file ({error})") from error
    styles = _style_names(document)
    parts: list[Part] = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            parts.extend(_table_parts(item))
        else:
            parts.append(_paragraph_part(item, styles))
    parts = [p for p in parts if normalize_inline(p[1])]
    title = normalize_inline(document.core_properties.title or "")
    if not title:
        headings = [p for p in parts if p[0] == "heading"]
        first = headings[0] if headings else (parts[0] if parts else ("", "", 0))
        title = normalize_inline(first[1])
    return parts, title


def _check_archive(data: bytes, name: str, settings: IngestSettings) -> None:
    """Inflate every member under the caps; the sizes the zip headers declare are never trusted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise BadInput(f"{name} is not a valid .docx file (it is not a zip archive)") from error
    with archive:
        members = archive.infolist()
        if len(members) > _MAX_MEMBERS:
            raise BadInput(f"{name} holds {len(members):,} files; a .docx holds far fewer")
        budget = _Budget(name, settings)
        try:
            for info in members:
                _inflate(archive, info, budget)
        except _BROKEN_ZIP as error:
            raise BadInput(f"{name} is not a valid .docx file ({error})") from error


class _Budget:
    """What the archive has used so far of the unpacked-size and paragraph caps."""

    def __init__(self, name: str, settings: IngestSettings):
        self.name = name
        self.settings = settings
        self.unpacked = 0
        self.paragraphs = 0

    def left(self) -> int:
        return self.settings.max_unpacked - self.unpacked

    def spend(self, inflated: int, paragraphs: int) -> None:
        self.unpacked += inflated
        self.paragraphs += paragraphs
        if self.unpacked > self.settings.max_unpacked:
            limit = human_size(self.settings.max_unpacked)
            raise BadInput(f"{self.name} unpacks to more than {limit}; too large to import")
        if self.paragraphs > self.settings.max_paragraphs:
            raise BadInput(
                f"{self.name} has more than {self.settings.max_paragraphs:,} paragraphs; "
                "too many to import"
            )


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    """Read one member to its end, at most one byte past the budget, counting paragraphs."""
    xml = info.filename.lower().endswith(".xml")
    carry = b""
    with archive.open(info) as member:
        while chunk := member.read(min(_CHUNK, budget.left() + 1)):
            if not xml:
                budget.spend(len(chunk), 0)
                continue
            # Paragraph tags may straddle two chunks: the last few bytes are counted next time.
            text = carry + chunk
            cut = max(len(text) - _TAG_SPAN, 0)
            budget.spend(len(chunk), _count_tags(text, 0, cut))
            carry = text[cut:]
    budget.spend(0, _count_tags(carry, 0, len(carry)))


def _count_tags(text: bytes, start: int, end: int) -> int:
    """Paragraph start tags that begin in text[start:end]."""
    return sum(1 for match in _PARAGRAPH_TAG.finditer(text, start) if match.start() < end)


def _style_names(document: Any) -> dict[str | None, str]:
    """Style id to name, looked up once: python-docx searches all styles on every access."""
    from docx.enum.style import WD_STYLE_TYPE

    names: dict[str | None, str] = {}
    for style in document.styles:
        if style.style_id is not None and style.style_id not in names:
            names[style.style_id] = style.name or ""
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names[None] = (default.name or "") if default is not None else ""
    return names


def _paragraph_part(paragraph: Any, styles: dict[str | None, str]) -> Part:
    style_id = paragraph._p.style  # the pStyle value; None for the default style
    style = styles.get(style_id, styles[None])
    text = paragraph.text
    if match := _HEADING.match(style):
        return ("heading", text, min(max(int(match.group(1)), 1), 6))
    if style.lower() == "title":
        return ("heading", text, 1)
    lowered = style.lower()
    if "quote" in lowered:  # Quote, Intense Quote
        return ("quote", text, 0)
    if lowered.startswith("list") or _numbered(paragraph):
        return ("list-item", text, 0)
    return ("paragraph", text, 0)


def _numbered(paragraph: Any) -> bool:
    """True for a paragraph with direct list numbering (bullets set without a List style)."""
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _table_parts(table: Any) -> list[Part]:
    """Each row becomes a paragraph of its cells joined by ' | ' (merged cells once)."""
    parts: list[Part] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = normalize_inline(cell.text)
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            parts.append(("paragraph", " | ".join(cells), 0))
    return parts
