"""Starting the GUI: QApplication, look and feel, the main window, the event loop.

``REVIEWAPP_SCREENSHOT=PATH`` makes the app open the sample draft (importing it into an empty
library), save a picture of its main window to PATH once shown, and quit: the Xvfb test and
the README screenshot use it. ``REVIEWAPP_SCREENSHOT_DEMO=1`` adds a review in progress,
``REVIEWAPP_SCREENSHOT_SIZE=1366x768`` sizes the window first and
``REVIEWAPP_SCREENSHOT_SCHEME=dark`` (or ``light``) picks the colour scheme
(packaging/screenshot.py takes the README's pictures this way).

``REVIEWAPP_EXIT_AT_FIRST_PAINT=1`` makes the app print ``first-paint``, its peak memory (KB)
and the CPU time it has used (s) once its window has painted (the frame and the library: the
window is built staged), then ``ready`` once the review panes are built and shown, and quit:
benchmarks/bench_start.py times whole processes with it, and tests/test_lazy_imports.py checks
what the first paint imported. Such a run has nobody to answer a message: a library that cannot
be opened (newer, foreign, damaged) ends it at once, the reason on stderr.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

from reviewapp import APP_ID, __version__
from reviewapp.core.errors import DatabaseDamaged, ReviewAppError
from reviewapp.core.summary import utc_now
from reviewapp.store import ReviewStore
from reviewapp.store.database import last_backup
from reviewapp.ui.logging_setup import begin_gui_logging, open_log_file
from reviewapp.ui.main_window import MainWindow
from reviewapp.ui.style import (
    app_icon,
    apply_style,
    follow_colour_scheme,
    looks_dark,
    settle_colour_scheme,
)
from reviewapp.ui.tasks import TaskRunner

if TYPE_CHECKING:  # imported when first needed: the first paint needs none of them
    from PySide6.QtWidgets import QFileDialog

    from reviewapp.ui.dialogs.damaged_db import DamagedDatabaseDialog

log = logging.getLogger(__name__)
SCREENSHOT_ENV = "REVIEWAPP_SCREENSHOT"
SCREENSHOT_DEMO_ENV = "REVIEWAPP_SCREENSHOT_DEMO"
SCREENSHOT_SIZE_ENV = "REVIEWAPP_SCREENSHOT_SIZE"
SCREENSHOT_SCHEME_ENV = "REVIEWAPP_SCREENSHOT_SCHEME"
FIRST_PAINT_ENV = "REVIEWAPP_EXIT_AT_FIRST_PAINT"


def make_application(
    argv: list[str] | None = None, *, icon: bool = True, guess_scheme: bool = False
) -> QApplication:
    """The QApplication, named and styled; icon=False leaves the window icon to the caller
    (run_app sets it after the first paint: loading the SVG takes ~3 ms). guess_scheme: dark
    or light as the desktop's palette looks, not as Qt's colour scheme says (~15 ms); the
    caller calls settle_colour_scheme() after the first paint."""
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("reviewapp")
    app.setApplicationName("ReviewApp")  # APP_DISPLAY_NAME; the launcher's StartupWMClass
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    if icon:
        app.setWindowIcon(app_icon())
    apply_style(app, looks_dark(app) if guess_scheme else None)
    follow_colour_scheme(app)
    return app


def run_app(db_path: Path) -> int:
    """Open the main window on db_path and run until it closes; returns the exit code."""
    app = make_application(icon=False, guess_scheme=True)
    # Logged from now on; the file opens once the window is built (after its first paint).
    begin_gui_logging(db_path)
    log_file = LogFile()
    shot = os.environ.get(SCREENSHOT_ENV, "")
    # The window paints its frame and the library first and builds the review panes on the
    # next turn of the event loop; a screenshot run wants it whole from the start.
    launcher = Launcher(QSettings(), staged=not shot)
    launcher.quitRequested.connect(app.exit)
    unattended = os.environ.get(FIRST_PAINT_ENV) == "1"
    try:
        launcher.open_library(db_path)
    except ReviewAppError as exc:
        return _cannot_open(app, log_file, exc, unattended)
    if unattended and launcher.window is None:
        # A damaged library: its dialog waits for a person, and none is there to answer it.
        log_file.open()
        print(f"reviewapp: {db_path} is damaged; no window opened", file=sys.stderr)
        return DatabaseDamaged.exit_code
    launcher.after_first_paint(lambda: app.setWindowIcon(app_icon()))
    launcher.after_first_paint(lambda: settle_colour_scheme(app))
    launcher.after_first_paint(log_file.open)
    launcher.after_first_paint(gc.enable)  # off while the window starts (launch.open_gui)
    previous_hook = sys.excepthook
    sys.excepthook = launcher.report_unexpected
    if shot and launcher.window is not None:
        scheme = os.environ.get(SCREENSHOT_SCHEME_ENV, "")
        if scheme in ("dark", "light"):
            apply_style(app, dark=scheme == "dark")
        size = os.environ.get(SCREENSHOT_SIZE_ENV, "")
        if size:
            width, _, height = size.partition("x")
            launcher.window.resize(int(width), int(height))
        ScreenshotRun(launcher.window, Path(shot), os.environ.get(SCREENSHOT_DEMO_ENV) == "1")
    if unattended and launcher.window is not None:
        ExitAtFirstPaint(launcher.window, app)
    try:
        code = app.exec()
        return launcher.exit_code or code
    finally:
        sys.excepthook = previous_hook
        launcher.close()
        log_file.open()  # a run that ended before its window was built: what it logged


def _cannot_open(
    app: QApplication, log_file: LogFile, exc: ReviewAppError, unattended: bool
) -> int:
    """The library cannot be opened (newer, foreign, unreadable): say so and end the run with
    the error's exit code. A person gets a message box, the whole app until they close it; an
    unattended run (REVIEWAPP_EXIT_AT_FIRST_PAINT, which waits for a paint that will not come)
    ends at once with the message on stderr."""
    log_file.open()
    print(f"reviewapp: {exc}", file=sys.stderr)
    if unattended:
        return exc.exit_code
    from PySide6.QtWidgets import QMessageBox

    app.setWindowIcon(app_icon())
    box = QMessageBox(QMessageBox.Icon.Critical, app.applicationName(), str(exc))
    box.show()
    app.exec()  # the message is the whole app: closing it ends the run
    return exc.exit_code


class LogFile:
    """Opens the log file once (it may be asked again) and says so on stderr if it cannot."""

    def __init__(self) -> None:
        self._tried = False

    def open(self) -> None:
        if self._tried:
            return
        self._tried = True
        try:
            open_log_file()
        except OSError as exc:  # an unwritable log folder must not keep the editor out
            print(f"reviewapp: not logging to a file ({exc})", file=sys.stderr)


class ExitAtFirstPaint(QObject):
    """Print ``first-paint PEAK_KB CPU_S`` on stdout once the window has painted (its first
    Paint event has been handled), then ``ready PEAK_KB CPU_S`` once its review panes are built
    and shown too (the same moment when it was not started staged), and quit: how a benchmark
    times start-up as a whole process."""

    def __init__(self, window: MainWindow, app: QApplication):
        super().__init__(window)
        self._window, self._app, self._seen = window, app, False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            # After this event is handled: the whole window's first frame is then done.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self._print("first-paint")
        if self._window.is_built:
            self._ready()
        else:
            self._window.built.connect(lambda: QTimer.singleShot(0, self._ready))

    def _ready(self) -> None:
        # A zero timer fires after the repaint the new panes asked for has been done.
        self._print("ready")
        self._app.exit(0)

    @staticmethod
    def _print(what: str) -> None:
        import resource  # Unix only, like this benchmark hook; imported only when asked for

        used = resource.getrusage(resource.RUSAGE_SELF)
        print(f"{what} {used.ru_maxrss} {used.ru_utime + used.ru_stime:.4f}", flush=True)


class Launcher(QObject):
    """Opens a library in the main window; a damaged one gets the DamagedDatabaseDialog instead.

    The dialog comes when the file is found damaged at the start, and when a command meets the
    damage later. Its choices: a copy of the last backup (the damaged file and the backup stay
    as they are), another library, or quit (exit code 3).
    """

    quitRequested = Signal(int)  # the exit code; run_app ends the event loop with it

    def __init__(
        self,
        settings: QSettings,
        secrets: object | None = None,
        synchronous: bool = False,
        staged: bool = False,
    ):
        super().__init__()
        self.settings, self.secrets, self.synchronous = settings, secrets, synchronous
        self.staged = staged  # windows paint the library first, then build the review panes
        self.window: MainWindow | None = None
        self.store: ReviewStore | None = None
        self.runner: TaskRunner | None = None
        self.dialog: DamagedDatabaseDialog | None = None
        # With no window open there is no parent to own the "open a library" chooser: this
        # reference keeps it alive (Python would free it as soon as choose_other returns).
        self._chooser: QFileDialog | None = None
        self.exit_code = 0

    def open_library(self, path: Path) -> MainWindow | None:
        """The window on path; None (and the damage dialog) when the file is damaged."""
        try:
            store = ReviewStore(path)
        except DatabaseDamaged as exc:
            log.error("damaged library: %s", exc)
            self.show_damaged(path, exc)
            return None
        previous = (self.window, self.runner, self.store)
        self.store, self.runner = store, TaskRunner(synchronous=self.synchronous)
        self.window = MainWindow(
            store, self.settings, self.runner, self.secrets, staged=self.staged
        )
        self.window.session.errorRaised.connect(self._after_error)
        self.window.show()  # before the old one closes, or Qt would see no window left and quit
        _close(*previous, now=False)  # this may run in a slot of the old window's dialog
        window, runner = self.window, self.runner
        self.after_first_paint(lambda: self._back_up_daily(path, window, runner))
        return self.window

    def after_first_paint(self, then: Callable[[], object]) -> None:
        """Run then() once the open window is built (a staged window builds its panes after
        its first paint), or now: work the first frame does not need waits till then."""
        window = self.window
        if window is None or window.is_built:
            then()
        else:
            window.built.connect(lambda: then())

    def _back_up_daily(self, path: Path, window: MainWindow, runner: TaskRunner) -> None:
        """Today's copy of the library, made off the GUI thread; a failure is shown, not fatal."""

        from reviewapp.store.daily_backup import make_daily_backup

        def failed(exc: BaseException) -> None:
            log.error("daily backup of %s failed", path, exc_info=exc)
            window.statusBar().showMessage(f"Could not back up the library today: {exc}")

        runner.run_task(lambda _control: make_daily_backup(path), lambda _copy: None, failed)

    def show_damaged(self, path: Path, exc: DatabaseDamaged) -> DamagedDatabaseDialog:
        if self.dialog is not None and self.dialog.isVisible():
            return self.dialog  # one question at a time, however many reads fail
        from reviewapp.ui.dialogs.damaged_db import DamagedDatabaseDialog

        dialog = DamagedDatabaseDialog(path, str(exc), last_backup(path), self.window)
        dialog.openBackup.connect(self.open_backup_copy)
        dialog.openOther.connect(self.choose_other)
        dialog.quitRequested.connect(self.quit)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_backup_copy(self, backup: Path) -> MainWindow | None:
        """Open a fresh copy of backup beside it: the backup and the damaged file stay as is."""
        stamp = utc_now().replace(":", "").replace("-", "")
        name = backup.name.split(".v", 1)[0].removesuffix(".db")
        copy = backup.with_name(f"{name}-from-backup-{stamp}.db")
        counter = 1
        while copy.exists():
            counter += 1
            copy = backup.with_name(f"{name}-from-backup-{stamp}-{counter}.db")
        shutil.copyfile(backup, copy)
        log.info("opened %s, a copy of the backup %s", copy, backup)
        return self.open_library(copy)

    def choose_other(self) -> QFileDialog:
        from PySide6.QtWidgets import QFileDialog

        folder = self.store.path.parent if self.store else Path.home()
        dialog = QFileDialog(self.window, "Open a library", str(folder))
        dialog.setNameFilter("reviewapp libraries (*.db);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.open_library(Path(name)))
        dialog.rejected.connect(lambda: self.quit() if self.window is None else None)
        self._chooser = dialog
        dialog.open()
        return dialog

    def quit(self) -> None:
        """End the run with the damaged-database exit code; run_app then closes everything."""
        self.exit_code = DatabaseDamaged.exit_code
        if self.window is not None:
            self.window.hide()
        self.quitRequested.emit(self.exit_code)

    def _after_error(self, message: str) -> None:
        """A command failed: if it met damage in the file, offer the ways out."""
        if self.store is not None and self.store.damage is not None:
            self.show_damaged(self.store.path, self.store.damage)

    def report_unexpected(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """A bug in a slot (or damage met outside a command): log it, show one line or the
        damage dialog."""
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        if isinstance(exc, DatabaseDamaged):
            # Only the open library's damage asks the question; a closing window's is old news.
            if self.store is not None and self.store.damage is not None:
                self.show_damaged(self.store.path, self.store.damage)
        elif self.window is not None:
            _report_unexpected(self.window, kind, exc)

    def _close_window(self) -> None:
        _close(self.window, self.runner, self.store, now=True)
        self.window, self.runner, self.store = None, None, None

    def close(self) -> None:
        """Close the window and its library (call it outside the window's own slots)."""
        self._close_window()


def _close(
    window: MainWindow | None, runner: TaskRunner | None, store: ReviewStore | None, now: bool
) -> None:
    """Close a window and its library; a window deleted later keeps its library open till then.

    Its list may still ask for rows until it is gone: they must not meet a closed database.
    """
    if window is not None:
        window.close()
        if now:
            shiboken6.delete(window)
        else:
            if store is not None:
                window.destroyed.connect(store.close)
                store = None
            window.deleteLater()
    if runner is not None:
        runner.wait()
    if store is not None:
        store.close()


def _report_unexpected(window: MainWindow, kind: type[BaseException], exc: BaseException) -> None:
    """A bug in a slot: show the editor one line (the traceback is in the log)."""
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
