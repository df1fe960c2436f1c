"""Capture Source and Read Capture in the GUI: fetching and reading run on the task pool with
progress in the status bar and a Cancel button; the store write is one short transaction on
the GUI thread. The workflows are the CLI's (workflows/captures.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from reviewapp.core.captures import Capture
from reviewapp.core.model import Source
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import error_message
from reviewapp.ui.preferences import Preferences
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.tasks import Task, TaskControl
from reviewapp.ui.widgets import describe


class CaptureController(QObject):
    captured = Signal(object)  # the Capture kept
    failed = Signal(str)  # why nothing was kept
    cancelled = Signal()
    opened = Signal(object)  # the CaptureViewDialog shown

    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        host: WindowHost,
        preferences: Callable[[], Preferences],
        current_source: Callable[[], Source | None],
    ):
        super().__init__(host.parent)
        self.session, self.actions, self.host = session, actions, host
        self.preferences, self.current_source = preferences, current_source
        self.task: Task | None = None
        self.dialogs: list[QWidget] = []
        # The bar under the status line while a capture runs: what it does, and Cancel.
        self.bar = QWidget(host.parent)
        self.bar.setObjectName("captureBar")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(8, 2, 8, 2)
        self.progress = QLabel(self.bar)
        self.progress.setObjectName("captureProgress")
        self.cancel_button = QPushButton("Cancel Capture", self.bar)
        self.cancel_button.setObjectName("cancelCapture")
        describe(self.cancel_button, "Cancel Capture", "Stop fetching; nothing is kept")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.bar.hide()
        actions["source.capture"].triggered.connect(self.capture_current)
        actions["source.read_capture"].triggered.connect(self.read_current)
        actions["source.cancel_capture"].triggered.connect(self.cancel)
        actions["source.cancel_capture"].setEnabled(False)

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.finished

    def _report(self, text: str) -> None:
        self.progress.setText(text)
        self.host.show_status(text, 0)

    def _finish(self) -> None:
        self.bar.hide()
        self.actions["source.cancel_capture"].setEnabled(False)

    def cancel(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()
            self._report("Cancelling the capture…")

    # ------------------------------------------------------------------ capture
    def capture_current(self) -> Task | None:
        """Capture the selected source's address (one capture at a time)."""
        from reviewapp.workflows.captures import capturable_url, fetch_capture

        source = self.current_source()
        if source is None:
            self.host.show_error("select a source to capture first (Sources: Alt+2)")
            return None
        if self.running:
            self.host.show_error("a capture is already running: wait for it or cancel it")
            return None
        try:
            url = capturable_url(self.session.store, source)
        except Exception as exc:
            self.host.show_error(error_message(exc))
            return None
        settings = self.preferences().ingest_settings()
        source_id = source.id

        def work(control: TaskControl) -> object:
            control.report(0, f"Capturing {url}…")
            record = fetch_capture(url, settings, control.cancel)
            control.report(90, f"Keeping the capture of {url}…")
            return record

        def done(record: object) -> None:
            self._finish()
            self._keep(source_id, record)

        def failed(exc: BaseException) -> None:
            self._finish()
            if self.task is not None and self.task.control.cancelled:
                self.host.show_status("Capture cancelled; nothing was kept", 4000)
                self.cancelled.emit()
                return
            message = f"Nothing captured: {error_message(exc)}"
            self.host.show_error(message)
            self.failed.emit(message)

        self.bar.show()
        self.actions["source.cancel_capture"].setEnabled(True)
        self._report(f"Capturing {url}…")
        self.task = self.host.run_task(
            work, done, failed, progress=lambda _percent, text: self._report(text)
        )
        return self.task

    def _keep(self, source_id: int, record: object) -> None:
        from reviewapp.ingest.capture import CaptureRecord
        from reviewapp.workflows.captures import describe as describe_capture
        from reviewapp.workflows.captures import store_capture

        assert isinstance(record, CaptureRecord)
        try:
            capture = store_capture(self.session.store, source_id, record)
        except Exception as exc:  # the review was signed off or the source removed meanwhile
            message = f"Nothing captured: {error_message(exc)}"
            self.host.show_error(message)
            self.failed.emit(message)
            return
        store = self.session.store
        if self.session.review_id == capture.review_id and self.session.data is not None:
            self.session.data.captures = store.captures(capture.review_id)
            self.session.source_updated(capture.review_id, store.source(source_id))
        text = describe_capture(capture)
        self.host.show_status(text[:1].upper() + text[1:], 8000)
        self.captured.emit(capture)

    # ------------------------------------------------------------------ reading
    def read_current(self) -> Task | None:
        """Read the selected source's newest capture, off the GUI thread, then show it."""
        source = self.current_source()
        data = self.session.data
        captures = [
            c for c in (data.captures if data else []) if source and c.source_id == source.id
        ]
        if source is None or not captures:
            self.host.show_error(
                "this source has no capture yet: capture it first (Review > Capture Source)"
            )
            return None
        return self.read(captures[-1])

    def read(self, capture: Capture) -> Task:
        from reviewapp.workflows.captures import read_capture_text

        warc = self.session.store.capture_record(capture.id)
        settings = self.preferences().ingest_settings()

        def done(reading: object) -> None:
            from reviewapp.ui.dialogs.capture_view import CaptureViewDialog
            from reviewapp.workflows.captures import CaptureReading

            assert isinstance(reading, CaptureReading)
            self.host.show_status("", 0)
            dialog = CaptureViewDialog(reading, self.host.parent)
            dialog.failed.connect(self.host.show_error)
            dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
            self.dialogs.append(dialog)
            dialog.show()  # non-modal: read it beside the review
            self.opened.emit(dialog)

        def failed(exc: BaseException) -> None:
            self.host.show_error(f"cannot read the capture: {error_message(exc)}")

        self.host.show_status(f"Reading the capture of {capture.final_url}…", 0)
        return self.host.run_task(
            lambda _control: read_capture_text(capture, warc, settings), done, failed
        )

    def _forget(self, dialog: QWidget) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()
