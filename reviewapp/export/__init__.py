"""Rendering reviews for other people and tools: Markdown, JSON bundle, W3C, ClaimReview, CSV."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ReviewData
from reviewapp.export.bundle import render_bundle
from reviewapp.export.claimreview import render_claimreview
from reviewapp.export.csv_export import render_csv
from reviewapp.export.markdown import render_markdown
from reviewapp.export.w3c import render_w3c

Renderer = Callable[..., bytes]


def _markdown_bytes(data: ReviewData, **options: Any) -> bytes:
    return render_markdown(data, **options).encode("utf-8")


# name -> (file extension, renderer). The extensions differ so that every format of one
# review can sit in the same folder.
FORMATS: dict[str, tuple[str, Renderer]] = {
    "md": ("md", _markdown_bytes),
    "json": ("json", render_bundle),
    "w3c": ("annotations.jsonld", render_w3c),
    "claimreview": ("claimreview.jsonld", render_claimreview),
    "csv": ("csv", render_csv),
}


def _check_format(fmt: str) -> tuple[str, Renderer]:
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return FORMATS[fmt]


def render(data: ReviewData, fmt: str, **options: Any) -> bytes:
    """The review in one format; options go to that format's renderer (e.g. the bundle's)."""
    _, renderer = _check_format(fmt)
    return renderer(data, **options)


_SLUG_CUT = 48


def slug(title: str) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary; may be empty."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > _SLUG_CUT:
            break
        out = candidate
    return out or (words[0][:_SLUG_CUT] if words else "")


def export_stem(data: ReviewData) -> str:
    """The name every export of the review starts with: "review-<id>-<title words>"."""
    words = slug(data.revision.meta.title)
    return f"review-{data.review.id}" + (f"-{words}" if words else "")


def export_filename(data: ReviewData, fmt: str) -> str:
    """A safe, stable file name: "review-<id>-<title words>.<ext>"."""
    extension, _ = _check_format(fmt)
    return f"{export_stem(data)}.{extension}"
