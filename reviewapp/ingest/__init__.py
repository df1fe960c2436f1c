"""Getting drafts in: fetch (http with hard limits), extract (trafilatura), file readers.

Entry points, shared by the CLI and the GUI; each returns an ImportedDraft or raises
BadInput (FetchError for the network) with a one-line message:

- load_source(source, settings, cancel): an http(s) URL or a file path
- load_bytes(data, name, content_type, url, settings): drag-and-drop, downloads
- load_pasted_text(text, html): the clipboard
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from reviewapp.ingest.settings import INPUT_KINDS, IngestSettings

if TYPE_CHECKING:
    from reviewapp.ingest.extract import extract_html
    from reviewapp.ingest.fetch import FetchCancelled, FetchedPage, fetch
    from reviewapp.ingest.sources import (
        load_bytes,
        load_file,
        load_pasted_text,
        load_source,
        read_fetched,
    )

# Imported when first asked for: the window's first paint needs ingest.settings (file filters)
# but not the extractors, which pull in trafilatura, lxml and charset-normalizer, nor the
# fetcher, which pulls in http.client, ssl and email.
_HOME = {
    "extract_html": "extract",
    "FetchCancelled": "fetch",
    "FetchedPage": "fetch",
    "fetch": "fetch",
    "load_bytes": "sources",
    "load_file": "sources",
    "load_pasted_text": "sources",
    "load_source": "sources",
    "read_fetched": "sources",
}


class _Package(types.ModuleType):
    """The package's `fetch` is the function, though its submodule has the same name: Python
    binds a submodule to its package's attribute once imported, and this refuses that one."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "fetch" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "INPUT_KINDS",
    "FetchCancelled",
    "FetchedPage",
    "IngestSettings",
    "extract_html",
    "fetch",
    "load_bytes",
    "load_file",
    "load_pasted_text",
    "load_source",
    "read_fetched",
]
