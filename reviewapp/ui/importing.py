"""Getting drafts in from the GUI: file, URL, clipboard, drag-and-drop and the sample.

Reading, extraction and the store write of a new review run in a worker process
(workflows/workers.py: pure Python, which on a thread of this process held the GIL the GUI
thread needs), waited for on the thread pool (``run_task``), where a fetch runs too, with
progress; back on the GUI thread the saved review becomes an undoable ImportReview command.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Signal

from reviewapp.core.errors import ReviewAppError
from reviewapp.core.model import ImportedDraft
from reviewapp.ui import commands
from reviewapp.ui.preferences import Preferences
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.tasks import Task, TaskControl, TaskRunner
from reviewapp.workflows.drafts import DraftLoader, is_web_address
from reviewapp.workflows.workers import InProcess, Workers

__all__ = ["Importer", "error_message", "is_web_address", "sample_path"]

log = logging.getLogger(__name__)
SAMPLE_NAME = "amazon-anthropic-ai-assisted-draft.txt"


def sample_path() -> Path:
    """The sample draft shipped in seeds/."""
    try:
        from reviewapp.resources_path import seeds_path
    except ImportError:  # an older checkout without the resource helper
        return Path(__file__).resolve().parents[2] / "seeds" / SAMPLE_NAME
    return seeds_path(SAMPLE_NAME)


def error_message(exc: BaseException) -> str:
    """What the editor reads: our one-line messages as they are, anything else briefly."""
    if isinstance(exc, ReviewAppError):
        return str(exc)
    log.error("unexpected error", exc_info=exc)
    return f"Something went wrong: {exc.__class__.__name__}: {exc}"


class Importer(QObject):
    """Emits ``imported(review_id)`` or ``failed(message)`` for every import it runs."""

    imported = Signal(int)
    drafted = Signal(int, object)  # review id and the ImportedDraft it was made from
    failed = Signal(str)
    cancelled = Signal()
    progress = Signal(int, str)  # percent and what is being done, while an import runs
    # The pool thread wrote to the library on a connection of its own (an import, a new
    # revision): the change is the window's own, not another program's (LibraryWatcher).
    wroteOnPool = Signal()

    def __init__(
        self,
        session: ReviewSession,
        runner: TaskRunner,
        preferences: Callable[[], Preferences],
        parent: QObject | None = None,
        workers: Workers | None = None,
    ):
        """workers: where a draft is read and saved (the window's worker processes); by
        default the pool thread."""
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.preferences = preferences
        self.workers: Workers = workers if workers is not None else InProcess()

    def _run(
        self,
        work: Callable[[TaskControl], Any],
        save: Callable[[Any], bool],
        on_done: Callable[[], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
    ) -> Task:
        """Run work off the GUI thread (it writes to the library, on a connection of its
        own), then save(its result) on the GUI thread: shows it, as an undoable step."""
        task: Task | None = None

        def done(loaded: Any) -> None:
            self.wroteOnPool.emit()
            if save(loaded):
                if on_done:
                    on_done()
            elif on_failed:
                on_failed("the draft could not be saved")

        def failed(exc: BaseException) -> None:
            if task is not None and task.control.cancelled:
                self.cancelled.emit()
                if on_failed:
                    on_failed("cancelled")
                return
            message = error_message(exc)
            if on_failed:
                on_failed(message)
            else:
                self.failed.emit(message)

        task = self.runner.run_task(work, done, failed, progress=self.progress.emit)
        return task

    def _show_saved(self, saved: tuple[ImportedDraft, int]) -> bool:
        draft, review_id = saved
        reviewer = self.preferences().reviewer_name
        command = commands.ImportReview(self.session, draft, reviewer, saved_id=review_id)
        if not self.session.push(command):
            return False
        self.imported.emit(command.review_id)
        self.drafted.emit(command.review_id, draft)
        return True

    def load_draft(self, kind: str, value: str) -> DraftLoader:
        """The loader for kind "file" (a path), "url" or "paste" (text); on the pool thread,
        its fetched(control) is what a worker process can read (a page fetched first)."""
        settings = self.preferences().ingest_settings()
        return DraftLoader(kind, value if kind == "paste" else value.strip(), settings)

    def import_revision(
        self,
        load: Callable[[TaskControl], Any],
        save: Callable[[Any], bool],
        on_done: Callable[[], None],
        on_failed: Callable[[str], None],
    ) -> Task:
        """Run load (a newer draft, and whatever else the pool should work out, the store
        write included) like any import; save(what load returned) shows it on the GUI thread."""
        return self._run(load, save, on_done, on_failed)

    def reread(
        self, load: Callable[[TaskControl], tuple[ImportedDraft, int]], save: Callable[[Any], bool]
    ) -> Task:
        """Read a draft again (another encoding, say) and save it as load does; save(what
        load returned) shows it on the GUI thread."""
        return self._run(load, save)

    def import_path(self, path: Path | str) -> Task:
        """Read and save a local file in a worker process (pure Python: a 1,000,000-word
        draft took a second, and held the GIL the GUI thread needs, on the pool thread)."""
        from reviewapp.workflows.drafts import import_file

        settings = self.preferences().ingest_settings()
        db, reviewer, workers = self._save_to()

        def work(control: TaskControl) -> tuple[ImportedDraft, int]:
            control.report(0, f"Reading and saving {Path(path).name}…")
            return workers.run(import_file, db, str(path), settings, reviewer, writes=True)

        return self._run(work, self._show_saved)

    def import_url(
        self,
        url: str,
        on_done: Callable[[], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
    ) -> Task:
        """Fetch url on the pool thread (where the fetch can be cancelled and waits without
        the GIL), then read and save the page in a worker process: on the pool thread the
        extraction (trafilatura, lxml) held the GIL the GUI thread needs, stalls of 60-100 ms
        on a 100,000-word page (benchmarks/bench_workers.py)."""
        from reviewapp.workflows.drafts import import_fetched

        loader = self.load_draft("url", url)
        db, reviewer, workers = self._save_to()

        def work(control: TaskControl) -> tuple[ImportedDraft, int]:
            control.report(0, "Reading the draft…")
            page = loader.fetched(control)
            control.report(50, "Reading and saving the page…")
            return workers.run(import_fetched, db, page, reviewer, writes=True)

        return self._run(work, self._show_saved, on_done, on_failed)

    def import_text(self, text: str, html: str = "") -> Task:
        """Read and save a paste in a worker process (its HTML goes through trafilatura)."""
        from reviewapp.workflows.drafts import import_paste

        settings = self.preferences().ingest_settings()
        db, reviewer, workers = self._save_to()

        def work(control: TaskControl) -> tuple[ImportedDraft, int]:
            control.report(0, "Reading and saving the paste…")
            return workers.run(import_paste, db, text, html, settings, reviewer, writes=True)

        return self._run(work, self._show_saved)

    def _save_to(self) -> tuple[str, str, Workers]:
        """Where a worker saves an import: the library's file, the reviewer, the workers."""
        return str(self.session.store.path), self.preferences().reviewer_name, self.workers

    def import_sample(self) -> Task:
        return self.import_path(sample_path())

    def import_mime(self, mime: QMimeData) -> Task | None:
        """A drop or a paste: files, links, HTML or text, in that order of preference."""
        for url in mime.urls():
            if url.isLocalFile():
                return self.import_path(url.toLocalFile())
            if url.scheme() in ("http", "https"):
                return self.import_url(url.toString())
        text = mime.text() if mime.hasText() else ""
        html = mime.html() if mime.hasHtml() else ""
        if is_web_address(text) and not html:
            return self.import_url(text)
        if text.strip() or html.strip():
            return self.import_text(text, html)
        self.failed.emit(
            "there is nothing to import on the clipboard: copy some text, HTML or a link"
        )
        return None
