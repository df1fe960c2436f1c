"""Word (.docx) drafts with python-docx: paragraph styles become block kinds."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from reviewapp.core.errors import BadInput
from reviewapp.core.text import normalize_inline

Part = tuple[str, str, int]

_HEADING = re.compile(r"^heading\s*(\d)$", re.I)
# A .docx inflates to many times its size; refuse archives that would inflate past this
# multiple of the size cap rather than let python-docx read them into memory.
_INFLATION_LIMIT = 10


def docx_parts(data: bytes, name: str, max_bytes: int) -> tuple[list[Part], str]:
    """Blocks and title of a .docx; raises BadInput for a file that is not a valid .docx."""
    import docx  # python-docx; imported here because only .docx imports need it
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    _check_archive(data, name, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, LxmlError, zipfile.BadZipFile) as error:
        raise BadInput(f"{name} is not a valid .docx file ({error})") from error
    parts: list[Part] = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            parts.extend(_table_parts(item))
        else:
            parts.append(_paragraph_part(item))
    parts = [p for p in parts if normalize_inline(p[1])]
    title = normalize_inline(document.core_properties.title or "")
    if not title:
        headings = [p for p in parts if p[0] == "heading"]
        first = headings[0] if headings else (parts[0] if parts else ("", "", 0))
        title = normalize_inline(first[1])
    return parts, title


def _check_archive(data: bytes, name: str, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise BadInput(f"{name} is not a valid .docx file (it is not a zip archive)") from error
    if inflated > _INFLATION_LIMIT * max_bytes:
        raise BadInput(f"{name} is too large once unpacked ({inflated // 2**20} MB)")


def _paragraph_part(paragraph: Any) -> Part:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
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
