"""Reading a draft for the window, as plain picklable values, so that the reading can run in a
worker process (workflows/workers.py): parsing a 1,000,000-word draft is a second of pure
Python, which on a thread of the window's process stalled its GUI thread by 150 ms.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ImportedDraft
from reviewapp.ingest.settings import IngestSettings
from reviewapp.store import ReviewStore

if TYPE_CHECKING:
    from reviewapp.ingest.fetch import FetchedPage


def is_web_address(text: str) -> bool:
    text = text.strip()
    return "\n" not in text and " " not in text and text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class DraftLoader:
    """Reads one draft: kind "file" (value is a path), "url" or "paste" (the text)."""

    kind: str
    value: str
    settings: IngestSettings

    @property
    def local(self) -> bool:
        """Read without the network (a worker process may read it; a fetch stays on a thread,
        where it can be cancelled and waits without the GIL)."""
        return self.kind in ("file", "paste")

    def __call__(self, control: Any = None) -> ImportedDraft:
        """The draft; control (a ui TaskControl, or None) may carry a cancel flag."""
        from reviewapp.ingest import load_pasted_text, load_source

        kind, value = self.kind, self.value
        if kind == "paste":
            if not value.strip():
                raise BadInput("paste the new draft's text first")
            return load_pasted_text(value, settings=self.settings)
        if not value:
            raise BadInput("choose the file of the new draft first")
        if kind == "url" and not is_web_address(value):
            raise BadInput(
                f"{value!r} is not a web address; it must start with http:// or https://"
            )
        cancel = getattr(control, "cancel", None) or threading.Event()
        return load_source(value, self.settings, cancel)

    def fetched(self, control: Any = None) -> DraftLoader | FetchedDraft:
        """What a worker process can read: this loader when it reads no network, else the
        page, fetched now (on the calling thread, where control's cancel flag stops it)."""
        from reviewapp.ingest import fetch

        if self.local:
            return self
        if not is_web_address(self.value):
            raise BadInput(
                f"{self.value!r} is not a web address; it must start with http:// or https://"
            )
        deadline = time.monotonic() + self.settings.timeout  # the fetch's and the reading's
        cancel = getattr(control, "cancel", None) or threading.Event()
        page = fetch(self.value, self.settings, cancel)
        return FetchedDraft(self.value, page, deadline - time.monotonic(), self.settings)


@dataclass(frozen=True)
class FetchedDraft:
    """A page fetched on a thread of the window, read where it is called (a worker process:
    extracting a long page is seconds of pure Python)."""

    url: str
    page: FetchedPage
    seconds_left: float  # of the fetch's deadline, for the reading
    settings: IngestSettings

    def __call__(self, control: Any = None) -> ImportedDraft:
        from reviewapp.ingest import read_fetched

        return read_fetched(self.url, self.page, self.settings, self.seconds_left)


def import_file(
    db_path: str, source: str, settings: IngestSettings, reviewer: str
) -> tuple[ImportedDraft, int]:
    """Read a local file and save it as a new review, on a connection of this process's own;
    (the draft, the review's id)."""
    from reviewapp.ingest import load_source

    return _saved(db_path, load_source(source, settings, threading.Event()), reviewer)


def import_fetched(db_path: str, page: FetchedDraft, reviewer: str) -> tuple[ImportedDraft, int]:
    """Read a fetched page and save it as a new review, as import_file."""
    return _saved(db_path, page(), reviewer)


def import_bytes(
    db_path: str, data: bytes, name: str, raw_type: str, settings: IngestSettings, reviewer: str
) -> tuple[ImportedDraft, int]:
    """Read a draft's stored bytes again (another encoding, say) and save the reading as a
    new review, as import_file."""
    from reviewapp.ingest import load_bytes

    return _saved(db_path, load_bytes(data, name, raw_type, "", settings), reviewer)


def import_paste(
    db_path: str, text: str, html: str, settings: IngestSettings, reviewer: str
) -> tuple[ImportedDraft, int]:
    """Read a paste (its HTML if it holds an article, else its text) and save it as a new
    review, as import_file."""
    from reviewapp.ingest import load_pasted_text

    return _saved(db_path, load_pasted_text(text, html, settings), reviewer)


def _saved(db_path: str, draft: ImportedDraft, reviewer: str) -> tuple[ImportedDraft, int]:
    with ReviewStore(db_path) as store:
        return draft, store.add_article(draft, reviewer)
