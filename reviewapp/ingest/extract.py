"""HTML to an ImportedDraft: trafilatura finds the article, its XML body becomes blocks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document, normalize_inline
from reviewapp.ingest.bounds import check_html_elements
from reviewapp.ingest.decoding import charset_of_content_type, decode_html
from reviewapp.ingest.settings import DEFAULT_SETTINGS, IngestSettings, human_size

if TYPE_CHECKING:
    from lxml.etree import _Element

Part = tuple[str, str, int]

# Tags of trafilatura's XML body that run inside a block, not as blocks of their own.
_INLINE = {"hi", "ref", "del", "span", "b", "i", "em", "strong", "a", "sub", "sup"}
_SKIPPED = {"graphic", "img", "image", "figure"}
_TITLE_LENGTH = 120  # a title made from the first words of an untitled page


def importer_name() -> str:
    import trafilatura

    return f"trafilatura {trafilatura.__version__}"


def extract_html(
    html: bytes | str,
    url: str = "",
    settings: IngestSettings = DEFAULT_SETTINGS,
    *,
    content_type: str = "",
    source_name: str = "",
) -> ImportedDraft:
    """Extract the article of an HTML page; the raw bytes are kept for re-extraction.

    content_type is the HTTP Content-Type (its charset wins over the page's own <meta>).
    """
    # Imported here, not at module level: trafilatura takes ~0.2 s to import and most
    # commands never extract anything.
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    name = source_name or url or "the pasted page"
    if len(html) > settings.max_bytes:
        size, limit = human_size(len(html)), human_size(settings.max_bytes)
        raise BadInput(f"{name} is {size}, over the {limit} limit")
    if isinstance(html, str):
        raw, raw_type, text = html.encode("utf-8"), "text/html; charset=utf-8", html
    else:
        raw, text = html, decode_html(html, name, content_type)
        charset = charset_of_content_type(content_type)
        raw_type = f"text/html; charset={charset}" if charset else "text/html"
    if not text.strip():
        raise BadInput(f"{name} is empty")
    check_html_elements(text, name, settings.max_elements)
    tree = load_html(text)
    if tree is None:
        raise BadInput(f"{name} is not an HTML page")
    canonical = canonical_url(tree, url)
    # bare_extraction works on a copy of the tree it is given, so reading it first is safe.
    found = bare_extraction(tree, url=url or None, **settings.trafilatura_options())
    body = getattr(found, "body", None)
    parts = list(body_parts(body)) if body is not None else []
    if not parts:
        raise BadInput(f"no article text found in {name}")
    title = normalize_inline(getattr(found, "title", None) or "")
    parts, title = with_title(parts, title)
    page_url = url or canonical
    meta = ArticleMeta(
        title=title,
        authors=split_authors(getattr(found, "author", None) or ""),
        site=normalize_inline(getattr(found, "sitename", None) or "") or _host(page_url),
        url=page_url,
        canonical_url=canonical,
        published=getattr(found, "date", None) or "",
        description=normalize_inline(getattr(found, "description", None) or ""),
    )
    return ImportedDraft(
        document=build_document(parts),
        meta=meta,
        raw=raw,
        raw_type=raw_type,
        importer=importer_name(),
        source_name=source_name or url or "paste",
    )


def canonical_url(tree: Any, base: str = "") -> str:
    """The page's own address: <link rel=canonical>, else og:url; '' if absent or not http(s)."""
    links = tree.xpath("//link[@href][@rel]")
    hrefs = [
        link.get("href", "") for link in links if "canonical" in link.get("rel").lower().split()
    ]
    hrefs += [m.get("content", "") for m in tree.xpath("//meta[@property='og:url'][@content]")]
    for href in hrefs:
        href = href.strip()
        if not href:
            continue
        absolute = urljoin(base, href) if base else href
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return ""


def split_authors(author: str) -> list[str]:
    """trafilatura joins several authors with '; '."""
    return [a for a in (normalize_inline(p) for p in author.split(";")) if a]


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def with_title(parts: list[Part], title: str) -> tuple[list[Part], str]:
    """Make the title the first block (a level-1 heading), as for text and Markdown files."""
    if not title:
        headings = [p for p in parts if p[0] == "heading"]
        first = headings[0] if headings else parts[0]
        title = _shorten(normalize_inline(first[1]))
        if first[0] != "heading":
            return parts, title
    if normalize_inline(parts[0][1]).casefold() == title.casefold():
        return [("heading", parts[0][1], 1), *parts[1:]], title
    return [("heading", title, 1), *parts], title


def _shorten(text: str) -> str:
    if len(text) <= _TITLE_LENGTH:
        return text
    return text[:_TITLE_LENGTH].rsplit(" ", 1)[0] + "…"


def body_parts(body: _Element) -> Iterator[Part]:
    """Blocks of trafilatura's XML body: head, p, list/item, quote, table/row/cell, code."""
    yield from _walk(body, "paragraph", 0)


def _walk(element: _Element, kind: str, level: int) -> Iterator[Part]:
    """Inline content of element makes blocks of kind; block children make their own."""
    run: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE or tag == "lb" or tag in _SKIPPED:
            if tag not in _SKIPPED:
                run.append(" " if tag == "lb" else flat_text(child))
            run.append(child.tail or "")
            continue
        if "".join(run).strip():
            yield (kind, "".join(run), level)
        run = [child.tail or ""]
        if tag == "head":
            yield from _walk(child, "heading", _heading_level(child))
        elif tag == "list":
            for item in child:
                yield from _walk(item, "list-item", 0)
                if item.tail and item.tail.strip():
                    yield ("list-item", item.tail, 0)
        elif tag == "item":
            yield from _walk(child, "list-item", 0)
        elif tag == "quote":
            yield from _walk(child, "quote", 0)
        elif tag == "table":
            yield from _table_rows(child)
        else:  # p, code, div and anything unknown: a paragraph, or more of a quote or item
            inner = kind if kind in ("quote", "list-item") else "paragraph"
            yield from _walk(child, inner, 0)
    if "".join(run).strip():
        yield (kind, "".join(run), level)


def _table_rows(table: _Element) -> Iterator[Part]:
    """Each table row becomes one paragraph, its cells separated by ' | '."""
    for row in table.iter("row"):
        cells = [normalize_inline(flat_text(cell)) for cell in row if cell.tag == "cell"]
        text = " | ".join(c for c in cells if c)
        if text:
            yield ("paragraph", text, 0)


def flat_text(element: _Element) -> str:
    """All text inside element (not its tail), a line break read as a space."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            pieces.append(" ")
        elif child.tag not in _SKIPPED:
            pieces.append(flat_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _heading_level(head: _Element) -> int:
    rend = (head.get("rend") or "").strip().lower()
    if len(rend) == 2 and rend[0] == "h" and rend[1].isdigit():
        return min(max(int(rend[1]), 1), 6)
    return 2
