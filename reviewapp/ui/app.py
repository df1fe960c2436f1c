"""Starting the GUI: QApplication, look and feel, the main window, the event loop.

``REVIEWAPP_SCREENSHOT=PATH`` makes the app open the sample draft (importing it into an empty
library), save a picture of its main window to PATH once shown, and quit: the Xvfb test and
the README screenshot use it. ``REVIEWAPP_SCREENSHOT_DEMO=1`` adds a review in progress.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reviewapp import APP_ID, __version__
from reviewapp.core.errors import ReviewAppError
from reviewapp.store import ReviewStore
from reviewapp.ui.logging_setup import start_gui_logging
from reviewapp.ui.main_window import MainWindow
from reviewapp.ui.style import apply_style, follow_colour_scheme
from reviewapp.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
SCREENSHOT_ENV = "REVIEWAPP_SCREENSHOT"
SCREENSHOT_DEMO_ENV = "REVIEWAPP_SCREENSHOT_DEMO"


def app_icon() -> QIcon:
    try:
        from reviewapp.resources_path import resource_path

        path = resource_path("icons", f"{APP_ID}.svg")
    except (ImportError, FileNotFoundError):
        return QIcon()
    return QIcon(str(path)) if path.exists() else QIcon()


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("reviewapp")
    app.setApplicationName("ReviewApp")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    apply_style(app)
    follow_colour_scheme(app)
    return app


def run_app(db_path: Path) -> int:
    """Open the main window on db_path and run until it closes; returns the exit code."""
    app = make_application()
    try:
        start_gui_logging(db_path)
    except OSError as exc:  # an unwritable log folder must not keep the editor out
        print(f"reviewapp: not logging to a file ({exc})", file=sys.stderr)
    try:
        store = ReviewStore(db_path)
    except ReviewAppError as exc:
        print(f"reviewapp: {exc}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, "reviewapp", str(exc))
        box.show()
        app.exec()  # the message is the whole app: closing it ends the run
        return exc.exit_code
    runner = TaskRunner()
    window = MainWindow(store, QSettings(), runner)
    previous_hook = sys.excepthook
    sys.excepthook = lambda *info: _report_unexpected(window, *info)
    window.show()
    shot = os.environ.get(SCREENSHOT_ENV, "")
    if shot:
        ScreenshotRun(window, Path(shot), os.environ.get(SCREENSHOT_DEMO_ENV) == "1")
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        runner.wait()
        store.close()


def _report_unexpected(
    window: MainWindow, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """A bug in a slot: log the traceback, show the editor one line."""
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    window.show_error(
        f"Something went wrong: {kind.__name__}: {exc} (the details are in the log; "
        "Help › About shows where)"
    )


class ScreenshotRun:
    """Open the sample (importing it if the library is empty), grab the window, quit."""

    def __init__(self, window: MainWindow, path: Path, demo: bool):
        self.window, self.path, self.demo = window, path, demo
        window.importer.imported.connect(self._opened)
        window.importer.failed.connect(lambda message: self._quit(f"import failed: {message}", 3))
        QTimer.singleShot(200, self._start)

    def _start(self) -> None:
        rows = self.window.session.store.list_reviews(limit=1)
        if rows:
            self.window.session.open_review(rows[0].id)
            self._opened(rows[0].id)
        else:
            self.window.importer.import_sample()

    def _opened(self, review_id: int) -> None:
        session = self.window.session
        if self.demo and not session.store.claims(review_id):
            from reviewapp.ui.demo import populate_demo

            populate_demo(session.store, review_id)
            session.open_review(None)
            session.open_review(review_id)
            self.window.library.apply_filter()
        if self.demo and session.data and session.data.claims:
            session.set_current_claim(session.data.claims[0].id)  # selected, text not scrolled
        QTimer.singleShot(900, self._grab)

    def _grab(self) -> None:
        pixmap = self.window.grab()
        ok = pixmap.save(str(self.path), "PNG")
        self._quit("" if ok else f"could not save {self.path}", 0 if ok else 3)

    def _quit(self, message: str, code: int) -> None:
        if message:
            print(f"reviewapp: {message}", file=sys.stderr)
        self.window.close()
        QApplication.exit(code)
