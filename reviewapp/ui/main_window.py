"""The main window: library | article | review header and the Claims, Sources, Takeaways tabs.

The window wires actions to behaviour and lays the panes out; the panes keep themselves up to
date by listening to the ReviewSession, so nothing here refreshes a pane by hand.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from reviewapp import APP_DISPLAY_NAME
from reviewapp.core.errors import NotFound
from reviewapp.core.summary import ReviewSummary
from reviewapp.store import ReviewStore
from reviewapp.ui.actions import MENUS, SPECS, ActionSet
from reviewapp.ui.panes.library import LibraryPane
from reviewapp.ui.reading import LibraryReader
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.tasks import TaskRunner
from reviewapp.ui.widget_basics import describe

if TYPE_CHECKING:  # each dialog is imported when first opened: the first paint needs none
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from reviewapp.core.model import EditorialResponsibility
    from reviewapp.ui.archive import ArchiveController
    from reviewapp.ui.dialogs.about import AboutDialog
    from reviewapp.ui.dialogs.accountability import AccountabilityDialog
    from reviewapp.ui.dialogs.add_source import AddSourceDialog
    from reviewapp.ui.dialogs.export_dialog import ExportDialog
    from reviewapp.ui.dialogs.import_url import ImportUrlDialog
    from reviewapp.ui.dialogs.preferences import PreferencesDialog
    from reviewapp.ui.dialogs.shortcuts import ShortcutsDialog
    from reviewapp.ui.encodings import EncodingController
    from reviewapp.ui.exporting import ExportController
    from reviewapp.ui.host import DialogOpener
    from reviewapp.ui.importing import Importer
    from reviewapp.ui.panes.article import ArticlePane
    from reviewapp.ui.panes.claims import ClaimsPane
    from reviewapp.ui.panes.header import ReviewHeader
    from reviewapp.ui.panes.memory import MemoryPane
    from reviewapp.ui.panes.sources import SourcesPane
    from reviewapp.ui.panes.takeaways import TakeawaysPane
    from reviewapp.ui.preferences import Preferences
    from reviewapp.ui.revisions import RevisionsController
    from reviewapp.ui.second_review import SecondReviewController
    from reviewapp.ui.second_sign import SecondSigningController
    from reviewapp.ui.signing import SigningController
    from reviewapp.ui.suggestions import SuggestionTracker
    from reviewapp.ui.watch import LibraryWatcher
    from reviewapp.ui.widgets import PaneTabs
    from reviewapp.workflows.workers import Workers

log = logging.getLogger(__name__)
PROPORTIONS = (20, 45, 35)  # library | article | panes, in percent of the width
LAST_REVIEW_KEY = "library/open_review"
REMEMBER_AFTER_MS = 1000  # the open review is written to the settings this long after
LIBRARY_MIN_WIDTH = 200
PANES_MIN_WIDTH = 380  # the review header and the Claims, Sources and Takeaways panes
MEMORY_TAB = "Checked Before"
STAGED_BUILD_MS = 300  # a staged window builds its panes by then even if it was never painted


class MainWindow(QMainWindow):
    """The window. staged=True (the app's start) paints the frame first: the menus and the
    library list, with the article and review panes built on the next turn of the event loop
    (``built`` is emitted then); staged=False builds everything before returning."""

    built = Signal()
    # A worker process died or could not start (emitted from the thread whose work fell back)
    workersFellBack = Signal(str)

    # Set by _build_review_area; until then (a staged start's first frame) they do not exist.
    prefs: Preferences
    _open: DialogOpener
    importer: Importer
    suggestions: SuggestionTracker
    article: ArticlePane
    header: ReviewHeader
    tabs: PaneTabs
    claims: ClaimsPane
    sources: SourcesPane
    takeaways: TakeawaysPane
    memory: MemoryPane
    revisions: RevisionsController
    encodings: EncodingController
    summary: QLabel
    signing: SigningController
    exports: ExportController
    archive: ArchiveController
    second_review: SecondReviewController
    second_signing: SecondSigningController
    watcher: LibraryWatcher

    def __init__(
        self,
        store: ReviewStore,
        settings: QSettings,
        runner: TaskRunner,
        secrets: object | None = None,
        parent: QWidget | None = None,
        *,
        staged: bool = False,
        workers: Workers | None = None,
    ):
        """workers: where heavy pure-Python work runs (tests may share one pool); by default
        worker processes (workflows/workers.py), or the calling thread with a synchronous
        runner."""
        super().__init__(parent)
        self._workers_given = workers
        self.setObjectName("mainWindow")
        self.setAccessibleDescription("Review an AI-assisted draft claim by claim")
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.setAcceptDrops(True)
        self.settings = settings
        self._remembered_lock = threading.Lock()
        self._remembered = 0  # the review to reopen next time, as last written
        # Remembered a moment after a review opens, not in the turn that shows it: starting
        # the worker there took 0.5-6 ms of that turn (more when the pool thread had gone
        # idle), and flicking through reviews writes once.
        self._remember_timer = QTimer(self)
        self._remember_timer.setSingleShot(True)
        self._remember_timer.setInterval(REMEMBER_AFTER_MS)
        self._remember_timer.timeout.connect(self._remember_open_review)
        # Reviews to open and library searches are read on a thread of their own.
        self.reader = LibraryReader(store, runner.synchronous, self)
        self.session = ReviewSession(store, self, self.reader)
        self._staged = staged
        self.action_set = ActionSet(self, icons=not staged)
        self._runner, self._secrets = runner, secrets
        self._accountability: AccountabilityDialog | None = None
        self.is_built = False

        self.library = LibraryPane(self.session, self.action_set, self)
        self.library.setMinimumWidth(LIBRARY_MIN_WIDTH)
        self.library.reviewSelected.connect(self._review_selected)
        self._opening_text = ""  # the status line while a review selected in the list opens
        # Side by side, as a splitter is unless told; no arguments, as QSplitter(parent) makes
        # PySide6 try QSplitter(Qt.Orientation) first (Qt's enums: see qt_ints). The central
        # layout takes it in below.
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.library)
        # Stand-ins for the article and the panes, so the first frame has its columns.
        for _ in range(2):
            self.splitter.addWidget(QWidget(self))
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        if staged:
            # A shortcut pressed (or a menu item chosen) before the review area is built
            # builds it at once and runs: every action works from the window's first moment.
            # Made before the menus, which listen to their actions too.
            self._early = _EarlyActions(self, self._build_review_area)
        self._build_menus()
        self._restore_geometry()
        if staged:
            # After the first frame (a zero timer set now would fire before it); and at the
            # latest after STAGED_BUILD_MS, should the window not be painted (minimised).
            self._first_frame = _AfterFirstPaint(self, self._build_review_area)
            QTimer.singleShot(STAGED_BUILD_MS, self._build_review_area)
        else:
            self._build_review_area()

    def _build_review_area(self) -> None:
        """The article, the review header and panes, the controllers and their wiring."""
        if self.is_built:
            return
        if self._staged:
            self.action_set.load_icons()
        from reviewapp.ui.archive import ArchiveController
        from reviewapp.ui.capturing import CaptureController
        from reviewapp.ui.encodings import EncodingController
        from reviewapp.ui.exporting import ExportController
        from reviewapp.ui.host import DialogOpener, WindowHost
        from reviewapp.ui.importing import Importer
        from reviewapp.ui.panes.article import ArticlePane
        from reviewapp.ui.panes.claims import ClaimsPane
        from reviewapp.ui.panes.header import ReviewHeader
        from reviewapp.ui.panes.memory import MemoryPane
        from reviewapp.ui.panes.sources import SourcesPane
        from reviewapp.ui.panes.takeaways import TakeawaysPane
        from reviewapp.ui.preferences import load_preferences
        from reviewapp.ui.revisions import RevisionsController
        from reviewapp.ui.second_review import SecondReviewController
        from reviewapp.ui.second_sign import SecondSigningController
        from reviewapp.ui.signing import SigningController
        from reviewapp.ui.suggestions import SuggestionTracker
        from reviewapp.ui.watch import LibraryWatcher
        from reviewapp.ui.widgets import PaneTabs

        # The preferences and the dialog opener: no action could use them before now (an
        # action triggered in the first frame builds all this first).
        self.prefs = load_preferences(self.settings)
        self.session.reviewer_default = self.prefs.reviewer_name
        self._open = DialogOpener()
        runner = self._runner
        self.workers = self._make_workers()
        self.importer = Importer(self.session, runner, lambda: self.prefs, self, self.workers)
        # What the controllers may ask of the window; they never see the window itself.
        host = WindowHost(
            parent=self,
            open_dialog=self._open,
            show_status=self.statusBar().showMessage,
            show_error=self.show_error,
            run_task=runner.run_task,
        )

        # The check-worthy sentences of the open review: marked in the article, counted in
        # the header's meter.
        self.suggestions = SuggestionTracker(self.session, self, self.workers, runner)
        self.article = ArticlePane(self.session, self.action_set, self, self.suggestions)
        self.header = ReviewHeader(self.session, self.action_set, self, self.suggestions)
        # Made before the panes it holds: Tab follows the order widgets are made in, so the
        # keyboard goes library, article, review header, pane tabs, then the open pane.
        self.tabs = PaneTabs(self)
        self.tabs.setObjectName("paneTabs")
        self.tabs.setDocumentMode(True)
        for widget in (self.tabs, self.tabs.tabBar()):
            describe(
                widget,
                "Review panes",
                "Claims, Sources, Takeaways and Checked Before: Alt+1, Alt+2, Alt+3, Alt+4",
            )
        self.claims = ClaimsPane(
            self.session,
            self.action_set,
            self,
            self.article.view.selected_span,
            self.article.view.show_span,
        )
        self.sources = SourcesPane(self.session, self.action_set, self)
        self.takeaways = TakeawaysPane(self.session, self.action_set, self)
        self.memory = MemoryPane(self.session, self.action_set, self)
        for index, (pane, name) in enumerate(
            ((self.claims, "Claims"), (self.sources, "Sources"), (self.takeaways, "Takeaways"))
        ):
            self.tabs.addTab(pane, name)
            self.tabs.setTabToolTip(index, f"{name} of this review (Alt+{index + 1})")
        # Claim memory: earlier claims of the whole library like the current one (Alt+4).
        memory_tab = self.tabs.addTab(self.memory, MEMORY_TAB)
        self.tabs.setTabToolTip(memory_tab, "Earlier claims worded like this one (Alt+4)")
        self.memory.found.connect(lambda n: self._name_memory_tab(memory_tab, n))
        right = QWidget(self)
        right.setObjectName("rightColumn")
        right.setMinimumWidth(PANES_MIN_WIDTH)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.tabs, 1)
        for index, column in ((1, self.article), (2, right)):
            stand_in = self.splitter.replaceWidget(index, column)
            column.show()  # a replacing widget is not shown by the splitter
            if stand_in is not None:
                stand_in.deleteLater()
        for index, share in enumerate(PROPORTIONS):
            self.splitter.setStretchFactor(index, share)
        self._restore_splitter()
        # The window may be narrower than all three columns: the library folds away (see
        # _fold_library) rather than the article shrinking below a readable measure.
        self.splitter.setMinimumWidth(
            self.article.minimumSizeHint().width() + PANES_MIN_WIDTH + self.splitter.handleWidth()
        )
        # The offer to follow an article with a new draft shows above the panes.
        self.revisions = RevisionsController(self.session, self.action_set, host, self.importer)
        self.encodings = EncodingController(self.session, self.importer, self)
        self._central_layout.insertWidget(0, self.revisions.offer_bar)
        self._central_layout.insertWidget(1, self.encodings.bar)

        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setAccessibleDescription("Claims, unchecked claims, corrections; saved or not")
        self.statusBar().addPermanentWidget(self.summary)
        self.signing = SigningController(
            self.session, self.action_set, host, lambda: self.prefs, self._secrets
        )
        self.exports = ExportController(
            self.session, self.action_set, host, self.settings, self.importer.wroteOnPool.emit
        )
        self.archive = ArchiveController(self.session, self.action_set, host, self._secrets)
        self.second_review = SecondReviewController(
            self.session, self.action_set, host, lambda: self.prefs
        )
        self.second_signing = SecondSigningController(
            self.session, self.action_set, host, lambda: self.prefs, self._secrets
        )
        self.captures = CaptureController(
            self.session, self.action_set, host, lambda: self.prefs, self.sources.current
        )
        self._central_layout.addWidget(self.captures.bar)
        self.watcher = LibraryWatcher(self.session, self)
        self.importer.wroteOnPool.connect(self.watcher.absorb)
        self._connect()
        self._restore_tab()
        self._fold_library()
        self._reopen_last_review()
        self._update_state()
        self.is_built = True
        if self._staged:
            self._early.release()  # every action has its own handlers now
        _tune_interpreter()
        self.built.emit()

    # ------------------------------------------------------------------ building
    def _build_menus(self) -> None:
        menus = {}
        for name in MENUS:
            menus[name] = self.menuBar().addMenu(f"&{name}")
        submenus: dict[str, object] = {}
        previous_group: dict[str, str] = {}
        for spec, action in self.action_set.items():
            if not spec.menu:
                continue
            top, _, sub = spec.menu.partition("/")
            menu = menus[top]
            if sub:
                if spec.menu not in submenus:
                    submenus[spec.menu] = menu.addMenu(sub)
                submenus[spec.menu].addAction(action)  # type: ignore[attr-defined]
                continue
            group = spec.id.split(".")[0]
            if previous_group.get(top) not in (None, group):
                menu.addSeparator()
            previous_group[top] = group
            menu.addAction(action)
        # Actions live only in menus otherwise; adding them to the window keeps their
        # shortcuts working while the menu bar is hidden (e.g. under a global menu).
        self.addActions([a for s, a in self.action_set.items() if s.scope == "window"])

    def _connect(self) -> None:
        a, s = self.action_set, self.session
        a["file.import_url"].triggered.connect(self.open_import_url)
        a["file.import_file"].triggered.connect(self.open_import_file)
        a["file.paste"].triggered.connect(self.paste)
        a["file.sample"].triggered.connect(self.importer.import_sample)
        a["file.open_original"].triggered.connect(self.open_original)
        a["file.preferences"].triggered.connect(self.open_preferences)
        a["review.accountability"].triggered.connect(self.open_accountability)
        a["file.quit"].triggered.connect(self.close)
        a["edit.undo"].triggered.connect(s.undo)
        a["edit.redo"].triggered.connect(s.redo)
        a["claim.add"].triggered.connect(self.add_claim)
        # An accepted suggestion is a new claim: show it in the claims pane, as Add Claim does.
        a["suggestion.accept"].triggered.connect(lambda: self.tabs.setCurrentIndex(0))
        a["source.add"].triggered.connect(self.open_add_source)
        a["review.delete"].triggered.connect(self.confirm_delete_review)
        a["view.claims"].triggered.connect(lambda: self._show_tab(0, self.claims.list))
        a["view.sources"].triggered.connect(lambda: self._show_tab(1, self.sources.list))
        a["view.takeaways"].triggered.connect(lambda: self._show_tab(2, self.takeaways.list))
        a["view.memory"].triggered.connect(lambda: self._show_tab(3, self.memory.list))
        a["takeaway.add"].triggered.connect(lambda: self.tabs.setCurrentIndex(2))
        a["help.shortcuts"].triggered.connect(self.open_shortcuts)
        a["help.about"].triggered.connect(self.open_about)
        self.library.sampleRequested.connect(self.importer.import_sample)
        self.importer.failed.connect(self.show_error)
        # What an import is doing (reading, saving, opening): a long draft takes seconds.
        self.importer.progress.connect(lambda _percent, text: self.statusBar().showMessage(text))
        self.importer.failed.connect(lambda _message: self.statusBar().clearMessage())
        self.importer.cancelled.connect(
            lambda: self.statusBar().showMessage("Import cancelled", 4000)
        )
        self.importer.imported.connect(lambda _: self.statusBar().showMessage("Imported", 3000))
        stack = s.undo_stack
        stack.canUndoChanged.connect(a["edit.undo"].setEnabled)
        stack.canRedoChanged.connect(a["edit.redo"].setEnabled)
        stack.undoTextChanged.connect(lambda t: a["edit.undo"].setText(f"&Undo {t}".rstrip()))
        stack.redoTextChanged.connect(lambda t: a["edit.redo"].setText(f"&Redo {t}".rstrip()))
        s.errorRaised.connect(self.show_error)
        # The title may name a review selected in the library that then failed to open.
        s.errorRaised.connect(lambda _: self._update_state())
        s.reviewOpened.connect(self._clear_opening)
        s.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        s.changedElsewhere.connect(lambda text: self.statusBar().showMessage(text, 10000))
        for signal in (s.reviewOpened, s.reviewChanged, s.claimsChanged):
            signal.connect(self._update_state)
        # A claim added or removed also moves the review's clock: reviewChanged, which comes
        # after the session's claims are updated, refreshes the counters and actions.
        s.currentClaimChanged.connect(lambda _: self._update_state())
        s.reviewOpened.connect(self._remember_timer.start)

    def _name_memory_tab(self, index: int, found: int) -> None:
        """The tab says how many earlier claims it lists, "Checked Before (2)"; set only when
        it changes: a new tab text lays the tab bar out again, and every pane with it."""
        text = MEMORY_TAB + (f" ({found})" if found > 0 else "")
        if self.tabs.tabText(index) != text:
            self.tabs.setTabText(index, text)

    def _show_tab(self, index: int, focus: QWidget) -> None:
        self.tabs.setCurrentIndex(index)
        focus.setFocus()

    def _review_selected(self, summary: ReviewSummary) -> None:
        """The library's selection moved: the title and the status line name that review at
        once (moving with the keys, it opens once the selection rests on it)."""
        title = summary.title
        self.setWindowTitle(f"{title} — {APP_DISPLAY_NAME}" if title else APP_DISPLAY_NAME)
        if summary.id != self.session.review_id:
            self._opening_text = f"Opening “{title or '(untitled)'}”…"
            self.statusBar().showMessage(self._opening_text)

    def _clear_opening(self) -> None:
        if self._opening_text and self.statusBar().currentMessage() == self._opening_text:
            self.statusBar().clearMessage()
        self._opening_text = ""

    def _update_state(self) -> None:
        """Enable what makes sense for the open review; the window title and status line."""
        data = self.session.data
        has, editable = data is not None, self.session.editable
        a = self.action_set
        for action_id in (
            "claim.add",
            "source.add",
            "takeaway.add",
            "claim.next",
            "claim.previous",
        ):
            a[action_id].setEnabled(editable if action_id.endswith("add") else has)
        # A signed-off review is read-only: every action that would change it is off (their
        # buttons in the panes follow), until Reopen. The Takeaways pane sets its own (they
        # also need a takeaway selected).
        a["source.delete"].setEnabled(editable)
        a["source.capture"].setEnabled(editable)  # a capture is evidence the sign-off lists
        a["source.read_capture"].setEnabled(has)
        has_claim = editable and self.session.current_claim() is not None
        a["claim.delete"].setEnabled(has_claim)
        for spec_id in SPECS:
            if spec_id.startswith("claim.status."):
                a[spec_id].setEnabled(has_claim)
        for action_id in ("edit.find", "edit.find_next", "edit.find_previous"):
            a[action_id].setEnabled(has)
        a["file.open_original"].setEnabled(bool(data and data.revision.meta.url))
        a["review.accountability"].setEnabled(has)  # read-only once signed off
        a["edit.undo"].setEnabled(self.session.undo_stack.canUndo())
        a["edit.redo"].setEnabled(self.session.undo_stack.canRedo())
        self.signing.update_actions()
        self.revisions.update_actions()
        title = data.revision.meta.title if data else ""
        self.setWindowTitle(f"{title} — {APP_DISPLAY_NAME}" if title else APP_DISPLAY_NAME)
        self.summary.setText(self.session.status_text())
        self.summary.setAccessibleName(f"Review summary: {self.summary.text() or 'no review open'}")

    # ------------------------------------------------------------------ errors
    def _make_workers(self) -> Workers:
        """The worker processes, started after the first paint (in the background) so that
        the first review opened does not wait for one to start."""
        from reviewapp.workflows.workers import InProcess, WorkerPool

        if self._workers_given is not None:
            return self._workers_given
        if self._runner.synchronous:
            return InProcess()
        pool = WorkerPool(on_fallback=self.workersFellBack.emit)
        self.workersFellBack.connect(self._workers_fell_back)  # queued: emitted off the GUI

        def start() -> None:
            from reviewapp.workflows.suggestion_index import warm_up

            self._runner.run_task(
                lambda _control: pool.start(warm_up), lambda _: None, _workers_not_started
            )

        self._workers_start = _AfterFirstPaint(self, start)
        return pool

    def _workers_fell_back(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def show_error(self, message: str) -> None:
        """A one-line message the editor can act on; never a traceback."""
        from PySide6.QtCore import Qt  # not at import: see qt_ints
        from PySide6.QtWidgets import QMessageBox

        self.statusBar().showMessage(message, 8000)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_DISPLAY_NAME,
            _sentence(message),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------------ import
    def open_import_url(self) -> ImportUrlDialog:
        from reviewapp.ui.dialogs.import_url import ImportUrlDialog

        dialog = ImportUrlDialog(
            lambda url, done, failed: self.importer.import_url(url, done, failed), self
        )
        clip = QGuiApplication.clipboard().text().strip()
        if clip.lower().startswith(("http://", "https://")) and "\n" not in clip:
            dialog.url.setText(clip)
        return self._open(dialog)

    def open_import_file(self) -> QFileDialog:
        from PySide6.QtWidgets import QFileDialog

        from reviewapp.ingest.settings import file_dialog_filter

        dialog = QFileDialog(self, "Import a Draft", str(Path.home()), file_dialog_filter())
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.importer.import_path)
        return self._open(dialog)

    def paste(self) -> None:
        self.importer.import_mime(QGuiApplication.clipboard().mimeData())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from reviewapp.ingest.settings import is_accepted_file

        if not self.is_built:
            return  # a staged start's first frame: the importer is not there yet
        mime = event.mimeData()
        # The importer takes the first file or web address: a file must be of an accepted kind.
        urls = [u for u in mime.urls() if u.isLocalFile() or u.scheme() in ("http", "https")]
        if urls and urls[0].isLocalFile():
            if is_accepted_file(urls[0].toLocalFile()):
                event.acceptProposedAction()
        elif mime.hasUrls() or mime.hasText() or mime.hasHtml():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        event.acceptProposedAction()
        self.importer.import_mime(event.mimeData())

    # ------------------------------------------------------------------ editing
    def add_claim(self) -> None:
        data = self.session.data
        if data is None:
            return
        span = self.article.view.selected_span()
        if span is None:
            self.show_error("select the passage of the claim in the article first")
            return
        from reviewapp.ui import commands

        self.session.push(commands.AddClaim(self.session, data.review.id, *span))
        self.tabs.setCurrentIndex(0)

    def open_add_source(self) -> AddSourceDialog | None:
        data = self.session.data
        if data is None:
            return None

        from reviewapp.ui import commands

        def submit(fields: dict[str, str], stances: dict[int, str]) -> bool:
            return self.session.push(
                commands.AddSource(self.session, data.review.id, stances, fields)
            )

        from reviewapp.ui.dialogs.add_source import AddSourceDialog

        return self._open(AddSourceDialog(self.session.current_claim(), submit, self))

    def confirm_delete_review(self) -> QMessageBox | None:
        from reviewapp.ui.dialogs.confirm import confirm_delete

        summary = self.library.current_summary()
        if summary is None:
            return None
        title = summary.title or "(untitled)"
        detail = f"“{title}” with its {summary.claims} claim(s), sources and takeaways."
        return self._open(
            confirm_delete(
                self, "this review", detail, lambda: self.delete_review(summary.id, title)
            )
        )

    def delete_review(self, review_id: int, title: str) -> None:
        from reviewapp.ui import commands

        self.session.push(commands.DeleteReview(self.session, review_id, title))

    # ------------------------------------------------------------------ export and links
    def open_export(self) -> ExportDialog:
        """File › Export…: one review or all, in any format (see ExportController)."""
        return self.exports.open_export()

    def export_to(self, path: Path, fmt: str = "md") -> None:
        """Write the open review in one format (and its .sig when signed) off the GUI thread."""
        self.exports.export_one(fmt, path, lambda written: None, self.show_error)

    def open_original(self) -> None:
        summary = self.library.current_summary()
        url = summary.url if summary else ""
        if not url:
            self.show_error("this draft has no original web address")
            return
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl(url))

    # ------------------------------------------------------------------ dialogs
    def open_preferences(self) -> PreferencesDialog:
        from reviewapp.ui.dialogs.preferences import PreferencesDialog

        store = self.session.store
        dialog = PreferencesDialog(
            self.prefs,
            store.organisation_defaults(),
            self,
            store.coverage_enforced(),
            store.second_review_default(),
        )
        dialog.saved.connect(self.set_preferences)
        dialog.secondReviewSaved.connect(self.set_second_review_default)
        dialog.defaultsSaved.connect(self.set_organisation_defaults)
        dialog.coverageSaved.connect(self.set_coverage_enforced)
        return self._open(dialog)

    def set_coverage_enforced(self, enforced: bool) -> None:
        """Kept in the library itself: the sign-off gate of every review in it follows it."""
        from reviewapp.workflows.suggestions import set_coverage_enforced

        if self.session.guard(lambda: set_coverage_enforced(self.session.store, enforced)):
            self.session.reload()  # the open review's gate and record follow it

    def set_second_review_default(self, required: bool) -> None:
        """Kept in the library: reviews without their own flag follow it at the gate."""
        if self.session.guard(lambda: self.session.store.set_second_review_default(required)):
            self.session.reload()

    def set_organisation_defaults(self, defaults: EditorialResponsibility) -> None:
        """Kept in the library itself: every review made in it from now on starts with them."""
        self.session.guard(lambda: self.session.store.set_organisation_defaults(defaults))

    def open_accountability(self) -> AccountabilityDialog | None:
        """Review ▸ AI Involvement and Responsibility: one dialog beside the window (not modal,
        so the article stays in reach), raised again when it is already open."""
        from PySide6.QtCore import Qt

        from reviewapp.ui.dialogs.accountability import AccountabilityDialog

        if self.session.data is None:
            return None
        self.session.flush()
        dialog = self._accountability
        if dialog is None or not shiboken6.isValid(dialog):
            defaults = self.session.store.organisation_defaults()
            dialog = AccountabilityDialog(self.session, defaults, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._accountability = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def set_preferences(self, prefs: Preferences) -> None:
        from reviewapp.ui.preferences import save_preferences

        self.prefs = prefs
        self.session.reviewer_default = prefs.reviewer_name
        save_preferences(self.settings, prefs)
        self.session.reviewChanged.emit()

    def open_shortcuts(self) -> ShortcutsDialog:
        from PySide6.QtCore import Qt

        from reviewapp.ui.dialogs.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the editor can keep it open while working
        return dialog

    def open_about(self) -> AboutDialog:
        from reviewapp.logs import log_dir
        from reviewapp.ui.dialogs.about import AboutDialog

        return self._open(AboutDialog(self.session.store.path, log_dir(), self))

    # ------------------------------------------------------------------ geometry
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        self._restore_splitter()

    def _restore_splitter(self) -> None:
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            total = max(self.width(), 1000)
            self.splitter.setSizes([total * p // 100 for p in PROPORTIONS])

    def _restore_tab(self) -> None:
        tab = self.settings.value("window/tab", 0)
        self.tabs.setCurrentIndex(int(str(tab)) if str(tab).isdigit() else 0)

    def _remember_open_review(self) -> None:
        """Kept soon, not at quit: a crash or a killed session still reopens it. Written on
        a worker: saving the settings file (with its fsync) took 5-15 ms of the GUI thread on
        every review opened. Each write takes the newest value, so the last one opened wins
        whatever order the writes run in."""
        with self._remembered_lock:
            self._remembered = self.session.review_id or 0
        name, fmt = self.settings.fileName(), self.settings.format()

        def write(_control: object) -> None:
            with self._remembered_lock:
                settings = QSettings(name, fmt)
                settings.setValue(LAST_REVIEW_KEY, self._remembered)
                settings.sync()

        self._runner.run_task(
            write,
            lambda _: None,
            lambda exc: log.warning("could not remember the open review: %s", exc),
        )

    def _reopen_last_review(self) -> None:
        """The review open when the window last closed opens again, if it is still here."""
        value = str(self.settings.value(LAST_REVIEW_KEY, "0"))
        if not value.isdigit() or int(value) == 0:
            return
        try:
            self.session.open_review(int(value))
        except NotFound:  # deleted meanwhile (perhaps by the CLI): start with none open
            log.info("the last open review %s is gone", value)
            self.settings.setValue(LAST_REVIEW_KEY, 0)

    def save_geometry(self) -> None:
        with self._remembered_lock:  # as the last write on a worker left it, or newer
            self.settings.setValue(LAST_REVIEW_KEY, self.session.review_id or 0)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        if self.is_built:
            self.settings.setValue("window/tab", self.tabs.currentIndex())
        self.settings.sync()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fold_library()

    def _fold_library(self) -> None:
        """Show the library only when the window has room for it beside a readable article
        and the panes (under about 980 px wide it folds away; widening brings it back)."""
        if not self.is_built:
            return  # the first frame of a staged start: the article is not there yet
        need = (
            LIBRARY_MIN_WIDTH
            + self.article.minimumSizeHint().width()
            + PANES_MIN_WIDTH
            + 2 * self.splitter.handleWidth()
        )
        self.library.setVisible(self.width() >= need)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.flush()  # half-typed notes are written before we go
        self._remember_timer.stop()  # save_geometry writes the open review now
        if self.is_built:
            self.watcher.stop()
        if self.is_built and self._workers_given is None:
            # Before the reader: a read waiting on a worker ends at once. (A pool given to
            # the window is its giver's to close.)
            self.workers.close()
        self.reader.close(final=True)
        self.save_geometry()
        super().closeEvent(event)


_tuned = [False]
GIL_SWITCH_INTERVAL = 0.001  # seconds (Python's default is 0.005)


def _tune_interpreter() -> None:
    """Once per process, when the first window is built:

    - keep what exists by then (modules, widgets, ~70,000 objects) out of the garbage
      collector's full passes: a full pass over them took 25-50 ms and came at random, a
      stall in the middle of a keystroke or of opening a review. Objects freed by reference
      counting still go at once; only later objects are scanned;
    - let the GUI thread have the interpreter back within 1 ms (not 5) while a worker thread
      runs Python (reading a review, a search, an export): a paint or a key waits less."""
    if not _tuned[0]:
        _tuned[0] = True
        gc.freeze()
        sys.setswitchinterval(GIL_SWITCH_INTERVAL)


class _EarlyActions(QObject):
    """Until the window is built, an action triggered that has no handler yet (they are
    connected by the review area) builds the window at once, then runs as if triggered now."""

    def __init__(self, window: MainWindow, build: Callable[[], None]):
        super().__init__(window)
        self._build = build
        self._waiting = [
            action
            for _spec, action in window.action_set.items()
            if action.receivers(_TRIGGERED) == 0  # the library's own are already live
        ]
        for action in self._waiting:
            action.triggered.connect(self._triggered)

    def _triggered(self, checked: bool) -> None:
        action = self.sender()
        self._build()  # connects the action's handlers and disconnects this slot
        # Built, the window may have turned the action off (Find with no review open).
        if isinstance(action, QAction) and action.isEnabled():
            # Not trigger(): a checkable one would flip back. The bool overload by name (the
            # type stubs do not know a signal's overloads).
            overloads: Any = action.triggered
            overloads[bool].emit(checked)

    def release(self) -> None:
        for action in self._waiting:
            action.triggered.disconnect(self._triggered)
        self._waiting = []


_TRIGGERED = "2triggered(bool)"  # QAction's signal as QObject.receivers names it (SIGNAL())


def _workers_not_started(exc: BaseException) -> None:
    """The first worker did not start: a failure is logged with its detail; the window
    closing meanwhile is no failure (the work falls back in-process if it is ever needed)."""
    from reviewapp.workflows.workers import WorkersClosed

    if isinstance(exc, WorkersClosed):
        log.debug("worker process not started: the window closed first")
    else:
        log.warning("worker process did not start: %s", exc, exc_info=exc)


class _AfterFirstPaint(QObject):
    """Calls then() on the turn of the event loop after the widget's first Paint event."""

    def __init__(self, widget: QWidget, then: Callable[[], None]):
        super().__init__(widget)
        self._widget, self._then = widget, then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def _sentence(message: str) -> str:
    """Our messages are one lower-case line; a dialog shows them as a sentence. A message that
    starts with a name (fake.txt, /tmp/x, https://…, iPhone) keeps that name as it is."""
    message = message.strip()
    if not message:
        return message
    first = message.split(maxsplit=1)[0].rstrip(",:;")
    if first.isalpha() and first.islower():
        message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."
