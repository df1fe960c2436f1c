"""File › Shared Archive…: status, pull and push of the shared git archive, off the GUI thread.

A non-modal window: the editor keeps working while a push or pull runs on the task pool, sees
its progress, and may cancel it (git is stopped; nothing of a cancelled pull is imported). When
the database has no archive yet, the same window joins one (clone) or starts one (init). Every
operation is the workflow ``reviewapp archive`` runs, on a store connection of the pool thread's
own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp.store import ReviewStore
from reviewapp.ui.host import RunTask
from reviewapp.ui.tasks import Task, TaskControl
from reviewapp.ui.widgets import describe


def _secret_store(secrets: Any) -> Any:
    if secrets is not None:
        return secrets
    from reviewapp.secrets import default_secret_store

    return default_secret_store()


class ArchiveDialog(QDialog):
    """Status, Pull and Push (or Join and Start when there is no archive yet), with a log."""

    libraryChanged = Signal()  # a pull or clone imported reviews

    def __init__(
        self,
        db_path: Path,
        run_task: RunTask,
        secrets: Any = None,
        error_text: Callable[[BaseException], str] = str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Shared Archive")
        self.setModal(False)
        self.setMinimumWidth(620)
        self.db_path, self._run_task, self._secrets = db_path, run_task, secrets
        self._error_text = error_text
        self.task: Task | None = None
        self._running = False
        self._cancel = threading.Event()

        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("/srv/git/reviews.git or git@host:newsroom/reviews.git")
        describe(self.url, "Archive address", "A path or a git URL of the shared archive")
        self.join_button = QPushButton("&Join", self)
        self.start_button = QPushButton("&Start New", self)
        self.status_button = QPushButton("S&tatus", self)
        self.pull_button = QPushButton("&Pull", self)
        self.push_button = QPushButton("P&ush", self)
        self.cancel_button = QPushButton("&Cancel", self)
        self.close_button = QPushButton("Close", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        describe(self.progress, "Progress", "Shown while the archive is read or written")
        self.progress.hide()
        for button, name, what in (
            (self.join_button, "Join", "Clone the archive: verify its history, import its reviews"),
            (self.start_button, "Start new archive", "Start an archive there, trusting your key"),
            (self.status_button, "Status", "What is ahead (to push) and behind (to pull)"),
            (self.pull_button, "Pull", "Fetch, verify and import the reviews others pushed"),
            (self.push_button, "Push", "Add your signed-off reviews in a signed commit"),
            (self.cancel_button, "Cancel", "Stop the running pull or push; nothing is imported"),
            (self.close_button, "Close", "Close this window; a running task is cancelled"),
        ):
            describe(button, name, what)
            button.setToolTip(what)
        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        describe(self.log, "Archive messages", "What each status, pull and push did")

        join_row = QHBoxLayout()
        join_row.addWidget(self.url, 1)
        join_row.addWidget(self.join_button)
        join_row.addWidget(self.start_button)
        buttons = QHBoxLayout()
        for button in (self.status_button, self.pull_button, self.push_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addLayout(join_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.log, 1)
        layout.addLayout(buttons)

        self.join_button.clicked.connect(self.join)
        self.start_button.clicked.connect(self.start_new)
        self.status_button.clicked.connect(self.status)
        self.pull_button.clicked.connect(self.pull)
        self.push_button.clicked.connect(self.push)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self._show_state()

    # ------------------------------------------------------------------ state
    @property
    def has_archive(self) -> bool:
        from reviewapp.workflows.archive_place import archive_path

        return (archive_path(self.db_path) / ".git").is_dir()

    @property
    def busy(self) -> bool:
        return self._running

    def _show_state(self) -> None:
        from reviewapp.workflows.archive_place import archive_path

        have, busy = self.has_archive, self.busy
        self.where.setText(
            f"Working copy: {archive_path(self.db_path)}"
            if have
            else "This library has no shared archive yet: give the address of one to join, "
            "or of an empty repository (or a new folder) to start one."
        )
        for widget in (self.url, self.join_button, self.start_button):
            widget.setVisible(not have)
            widget.setEnabled(not busy)
        for button in (self.status_button, self.pull_button, self.push_button):
            button.setEnabled(have and not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)

    def say(self, line: str) -> None:
        self.log.appendPlainText(line)

    # ------------------------------------------------------------------ operations
    def _run(self, what: str, work: Callable[[ReviewStore, TaskControl], list[str]]) -> Task:
        db = self.db_path

        def fn(control: TaskControl) -> list[str]:
            with ReviewStore(db) as store:
                return work(store, control)

        self.say(f"{what}…")
        self.progress.setValue(0)
        self._cancel = threading.Event()
        self._running = True
        self._show_state()
        self.task = self._run_task(fn, self._done, self._failed, self._progress, self._cancel)
        return self.task

    def _progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.progress.setFormat(f"{text} (%p%)")

    def _done(self, lines: list[str]) -> None:
        self._running = False
        for line in lines:
            self.say(line)
        self._show_state()
        self.libraryChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.say(f"Failed: {self._error_text(exc)}")
        self._show_state()
        self.libraryChanged.emit()  # a refused pull may still have imported the good reviews

    def cancel(self) -> None:
        if self.busy:
            self._cancel.set()
            self.say("Cancelling…")
            self.cancel_button.setEnabled(False)

    def status(self) -> Task:
        from reviewapp.workflows.archive import archive_status

        return self._run(
            "Status",
            lambda store, control: archive_status(
                store, self.db_path, cancel=control.cancel
            ).lines(),
        )

    def pull(self) -> Task:
        from reviewapp.workflows.archive import pull_archive

        def work(store: ReviewStore, control: TaskControl) -> list[str]:
            result = pull_archive(store, self.db_path, control.cancel, control.report)
            return result.lines() + [f"REFUSED {line}" for line in result.refused]

        return self._run("Pull", work)

    def push(self) -> Task:
        from reviewapp.workflows.archive import push_archive

        secrets = _secret_store(self._secrets)

        def work(store: ReviewStore, control: TaskControl) -> list[str]:
            result = push_archive(
                store, secrets, self.db_path, cancel=control.cancel, progress=control.report
            )
            return result.pulled.lines()[:-1] + result.lines()

        return self._run("Push", work)

    def join(self) -> Task | None:
        from reviewapp.workflows.archive import clone_archive

        url = self.url.text().strip()
        if not url:
            self.say("Give the archive's address first.")
            return None

        def work(store: ReviewStore, control: TaskControl) -> list[str]:
            result = clone_archive(
                store, self.db_path, url, cancel=control.cancel, progress=control.report
            )
            return result.lines() + [f"REFUSED {line}" for line in result.refused]

        return self._run(f"Joining {url}", work)

    def start_new(self) -> Task | None:
        from reviewapp.workflows.archive import init_archive

        url = self.url.text().strip()
        if not url:
            self.say("Give the address of an empty repository, or a new folder, first.")
            return None
        secrets = _secret_store(self._secrets)

        def work(store: ReviewStore, control: TaskControl) -> list[str]:
            copy = init_archive(store, secrets, self.db_path, url, cancel=control.cancel)
            return [f"Started the shared archive {copy.url}; now Push your signed-off reviews."]

        return self._run(f"Starting {url}", work)

    def closeEvent(self, event: Any) -> None:
        self.cancel()  # a running task stops; its result still reports to this dialog
        super().closeEvent(event)
