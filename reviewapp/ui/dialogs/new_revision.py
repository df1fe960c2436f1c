"""Import New Revision: a newer draft from a file, a web address or pasted text, loaded off the
GUI thread (progress, Cancel); then where every claim landed on it."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.scales import ANCHOR_STATES
from reviewapp.ui.dialogs.task_dialog import TaskDialog
from reviewapp.ui.models.claims import ANCHOR_COLOURS, ANCHOR_SYMBOLS
from reviewapp.ui.tasks import Task
from reviewapp.ui.widgets import Badge, browse_for_draft

if TYPE_CHECKING:  # the re-anchoring code is imported when a revision first needs it
    from reviewapp.workflows.revisions import RevisionReport

KINDS = ("file", "url", "paste")  # the tabs, in order


class NewRevisionDialog(TaskDialog):
    """``start(kind, value, done(report), failed(message)) -> Task`` imports the draft."""

    claimChosen = Signal(int)  # a claim in the summary was clicked: show it
    compareRequested = Signal()

    def __init__(
        self,
        title: str,
        revision: int,
        start: Callable[..., Task],
        parent: QWidget | None = None,
        signed_off: bool = False,
    ):
        super().__init__(parent)
        self.setWindowTitle("Import New Revision")
        # No fixed minimum width: the layout's own minimum keeps the summary's five state
        # counts whole (a fixed one below it lets the layout squeeze and clip them).
        self.resize(760, 420)
        self._start = start
        self.task: Task | None = None
        self.report: RevisionReport | None = None

        intro = QLabel(
            f"A newer draft of <b>{html.escape(title or '(untitled draft)')}</b> becomes "
            f"revision {revision + 1}. The review moves onto it and every claim is placed on "
            "the new text; revision "
            f"{revision} stays readable in View › Compare Drafts."
            + (
                "<p><b>This review is signed off.</b> Importing reopens it for the new text: "
                "the signed record stays exactly as signed, marked superseded, and says that "
                "the exemption from AI labelling needs a new review of the new text.</p>"
                if signed_off
                else ""
            ),
            self,
        )
        intro.setObjectName("revisionIntro")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)

        # ---- page 1: where the new draft comes from
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("/path/to/the-new-draft.html")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        file_tab = QWidget(self)
        file_row = QHBoxLayout(file_tab)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        file_row.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://example.org/news/the-draft")
        url_tab = QWidget(self)
        url_layout = QVBoxLayout(url_tab)
        url_layout.addWidget(self.url)
        url_layout.addStretch(1)
        self.paste = QPlainTextEdit(self)
        self.paste.setPlaceholderText("Paste the new draft's text (its first line is the title)")
        self.sources = QTabWidget(self)
        self.sources.setObjectName("revisionSource")
        self.sources.addTab(file_tab, "File")
        self.sources.addTab(url_tab, "Web Address")
        self.sources.addTab(self.paste, "Pasted Text")
        for widget, name in (
            (self.path, "File of the new draft"),
            (self.url, "Web address of the new draft"),
            (self.paste, "Text of the new draft"),
            (self.sources, "Where the new draft comes from"),
        ):
            widget.setAccessibleName(name)
        self.path.setAccessibleDescription("An HTML, text, Markdown or Word file")
        self.url.setAccessibleDescription("The address of the new draft, starting with https://")
        self.paste.setAccessibleDescription("The new draft's text; its first line is the title")
        browse.setAccessibleName("Choose a file")
        browse.setAccessibleDescription("Pick the new draft's file in a file dialog")
        for index, tip in enumerate(("From a file", "From a web address", "From text you paste")):
            self.sources.setTabToolTip(index, tip)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: fetching and extracting have no reliable percentage
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.progress.setAccessibleName("Importing")
        self.progress.setAccessibleDescription("Shown while the new draft is read; Cancel stops it")
        self.state = QLabel(self)
        self.state.setObjectName("muted")
        self.error = QLabel(self)
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        self.error.hide()
        ask = QWidget(self)
        ask_layout = QVBoxLayout(ask)
        ask_layout.setContentsMargins(0, 0, 0, 0)
        ask_layout.addWidget(intro)
        ask_layout.addWidget(self.sources, 1)
        ask_layout.addWidget(self.progress)
        ask_layout.addWidget(self.state)
        ask_layout.addWidget(self.error)

        # ---- page 2: the summary
        self.headline = QLabel(self)
        self.headline.setObjectName("emptyHeading")
        self.headline.setWordWrap(True)
        self.badges: dict[str, Badge] = {}
        badge_row = QHBoxLayout()
        badge_row.setSpacing(6)
        for state in ANCHOR_STATES:
            badge = Badge(self)
            badge.setObjectName(f"count-{state}")
            self.badges[state] = badge
            badge_row.addWidget(badge)
        badge_row.addStretch(1)
        self.advice = QLabel(self)
        self.advice.setWordWrap(True)
        self.unsettled = QListWidget(self)
        self.unsettled.setObjectName("unsettledClaims")
        self.unsettled.setAccessibleName("Claims to settle before sign-off")
        self.unsettled.setAccessibleDescription("Choose one to select it in the claims pane")
        self.unsettled.setWordWrap(True)
        self.unsettled.itemActivated.connect(self._item_chosen)
        self.unsettled.itemClicked.connect(self._item_chosen)
        summary = QWidget(self)
        summary_layout = QVBoxLayout(summary)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        summary_layout.addWidget(self.headline)
        summary_layout.addLayout(badge_row)
        summary_layout.addWidget(self.advice)
        summary_layout.addWidget(self.unsettled, 1)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(ask)
        self.pages.addWidget(summary)

        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton("Import Revision", self)
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.compare_button = QPushButton("Compare Drafts…", self)
        self.compare_button.clicked.connect(self._compare)
        self.buttons.addButton(self.compare_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.compare_button.hide()  # after addButton, which shows it; shown with the summary
        self.buttons.accepted.connect(self.begin)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)

    # ------------------------------------------------------------------ asking
    @property
    def kind(self) -> str:
        return KINDS[self.sources.currentIndex()]

    def value(self) -> str:
        if self.kind == "file":
            return self.path.text()
        if self.kind == "url":
            return self.url.text()
        return self.paste.toPlainText()

    def _browse(self) -> None:
        self.file_dialog = browse_for_draft(self, "Choose the New Draft", self.path)

    def begin(self) -> None:
        if self.report is not None:  # the summary's Close
            self.accept()
            return
        self.started("Reading the new draft and placing the claims…")
        self.task = self._start(self.kind, self.value(), self._done, self._failed)

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.sources.setEnabled(enabled)

    # ------------------------------------------------------------------ the summary
    def _done(self, report: RevisionReport) -> None:
        self.report = report
        self.task = None
        self.show_report(report)

    def show_report(self, report: RevisionReport) -> None:
        """Where the claims landed: a count per state and every claim the editor must settle."""
        same = " (the same text)" if report.same_text else ""
        self.headline.setText(
            f"Now on revision {report.number}{same}; revision {report.previous_number} "
            "stays readable."
        )
        counts = report.counts()
        for state, badge in self.badges.items():
            n = counts[state]
            label = f"{ANCHOR_SYMBOLS[state]} {n} {ANCHOR_STATES[state].lower()}"
            if n:
                badge.set_status(label, ANCHOR_COLOURS[state], "#ffffff")
            else:
                badge.set_status(label, "transparent", "palette(placeholder-text)")
        unsettled = report.unsettled
        if not report.claims:
            self.advice.setText("This review has no claims yet.")
        elif unsettled:
            self.advice.setText(
                f"{len(unsettled)} claim(s) need you before sign-off: check each one on its "
                "new passage, then Confirm, Re-attach it, or keep it as orphaned. Click one to "
                "see it."
            )
        else:
            self.advice.setText("Every claim was found word for word: nothing to settle.")
        self.unsettled.clear()
        for outcome in unsettled:
            state = ANCHOR_STATES[outcome.state]
            if outcome.previous_quote and outcome.previous_quote != outcome.quote:
                words = f"“{outcome.previous_quote}”  →  “{outcome.quote}”"
            else:
                words = f"“{outcome.quote}”"
            item = QListWidgetItem(f"Claim {outcome.number} · {state}\n{words}", self.unsettled)
            item.setData(Qt.ItemDataRole.UserRole, outcome.claim_id)
            item.setForeground(QColor(ANCHOR_COLOURS[outcome.state]))
        self.unsettled.setVisible(bool(unsettled))
        self.pages.setCurrentIndex(1)
        self.import_button.setText("Close")
        self.import_button.setEnabled(True)
        self.cancel_button.hide()
        self.compare_button.show()

    def _item_chosen(self, item: QListWidgetItem) -> None:
        self.claimChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _compare(self) -> None:
        self.accept()
        self.compareRequested.emit()
