"""The "Checked before" pane: earlier claims of the whole library worded like the current claim,
with what their check found, and the key that reuses one of those checks.

The list is read on the session's reader thread (``LibraryReader.read_checked_before``) each
time another claim becomes current or the claims change; only the newest answer is shown, and
only while the claim it was asked for is still the current one.
"""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.model import Claim
from reviewapp.core.scales import CLAIM_STATUS, REVIEW_STATUSES
from reviewapp.core.similarity import Strength
from reviewapp.store.memory import EarlierClaim
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.commands import StoreCommand
from reviewapp.ui.reading import Latest
from reviewapp.ui.session import CLAIMS, SOURCES, ReviewSession
from reviewapp.ui.widgets import describe, follow_action
from reviewapp.workflows.memory import CheckedBefore, ReuseResult, reuse_check, undo_reuse

log = logging.getLogger(__name__)

NO_CLAIM = "Select a claim to see earlier claims of the library worded like it."
LOOKING = "Looking for earlier checks…"
NOTHING = "Nothing worded like this claim was checked before."
FAILED = "Earlier checks could not be read: {error}"
# Moving through claims (Alt+Down held, say) asks once the selection rests: a search started per
# keystroke competes with the GUI thread for Python's lock while the next claim is painted.
ASK_AFTER_MS = 120
_STRENGTH = {Strength.SAME: "Same claim", Strength.RELATED: "Related"}


class ReuseCheck(StoreCommand):
    """Reuse an earlier claim's check for a claim; undo takes the sources, links and quoted
    note back out."""

    parts = frozenset({CLAIMS, SOURCES})

    def __init__(self, session: ReviewSession, claim: Claim, earlier: EarlierClaim):
        super().__init__(session, claim.review_id, f"Reuse the check of {earlier.origin().label()}")
        self.claim_id, self.earlier_id = claim.id, earlier.claim.id
        self.result: ReuseResult | None = None

    def do(self) -> None:
        self.result = reuse_check(self.session.store, self.claim_id, self.earlier_id)

    def revert(self) -> None:
        if self.result is not None:
            undo_reuse(self.session.store, self.result)


class MemoryPane(QWidget):
    """Checked before: the list, the selected earlier check in full, and Reuse."""

    found = Signal(int)  # how many earlier claims the list shows (-1: none asked for)

    def __init__(self, session: ReviewSession, actions: ActionSet, parent: QWidget | None = None):
        super().__init__(parent)
        describe(self, "Checked before", "Earlier claims of the library worded like this one")
        self.session = session
        self.reuse_action = actions["claim.reuse"]
        self.results: list[CheckedBefore] = []
        self.shown_for = 0  # the claim the list is for (0: none)
        self._latest = Latest()
        # An answer still on its way when the window goes is for nobody: its widgets are gone.
        self.destroyed.connect(self._latest.drop)

        self.message = QLabel(NO_CLAIM, self)
        self.message.setObjectName("placeholder")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading = QLabel(self)
        self.heading.setObjectName("memoryHeading")
        self.heading.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("memoryList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        describe(
            self.list,
            "Earlier claims",
            "Earlier claims worded like the current one, the same claim first; "
            f"{self.reuse_action.shortcut().toString()} reuses the selected one's check",
        )
        self.detail = QLabel(self)
        self.detail.setObjectName("memoryDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reuse = QPushButton("Reuse This Check", self)
        follow_action(self.reuse, self.reuse_action)
        describe(self.reuse, "Reuse This Check", self.reuse_action.toolTip())
        self._lay_out()

        self.list.currentRowChanged.connect(self._row_changed)
        self.reuse_action.triggered.connect(self.reuse_current)
        self._ask_timer = QTimer(self)
        self._ask_timer.setSingleShot(True)
        self._ask_timer.setInterval(ASK_AFTER_MS)
        self._ask_timer.timeout.connect(self.ask)
        session.currentClaimChanged.connect(lambda _: self.ask_soon())
        session.reviewOpened.connect(self.ask_soon)
        session.claimsChanged.connect(self.ask_soon)
        session.reviewChanged.connect(self._update_action)
        self.ask()

    def _lay_out(self) -> None:
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(12, 8, 12, 8)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addWidget(self.reuse, 0, Qt.AlignmentFlag.AlignLeft)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.heading)
        content_layout.addWidget(splitter, 1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # ------------------------------------------------------------------ asking
    def ask_soon(self) -> None:
        """Ask once the selection has rested for ASK_AFTER_MS; say so meanwhile."""
        self._latest.drop()  # an answer on its way is for a claim left behind
        if self.session.current_claim() is None:
            self._ask_timer.stop()
            self.ask()
            return
        self._show_message(LOOKING, 0)
        self._ask_timer.start()

    def ask(self) -> None:
        """Ask for the earlier claims like the current claim (on the reader thread)."""
        self._ask_timer.stop()
        ticket = self._latest.ticket()
        claim = self.session.current_claim()
        if claim is None:
            self._show_message(NO_CLAIM, 0)
            self.found.emit(-1)
            return
        self._show_message(LOOKING, 0)
        reader = self.session.reader
        claim_id = claim.id
        if reader is None:  # a session without a reader thread reads at once
            from reviewapp.workflows.memory import checked_before

            try:
                found = checked_before(self.session.store, claim_id)
            except Exception as exc:  # shown in the pane; the detail goes to the log
                self._failed(ticket, exc)
                return
            self._arrived(ticket, claim_id, found)
            return
        reader.read_checked_before(
            claim_id,
            lambda found: self._arrived(ticket, claim_id, found),
            lambda exc: self._failed(ticket, exc),
        )

    def _arrived(self, ticket: int, claim_id: int, found: list[CheckedBefore]) -> None:
        if not self._latest.is_newest(ticket) or claim_id != self.session.current_claim_id:
            return  # the editor moved on: another answer is on its way
        self.results = found
        self.shown_for = claim_id
        claim = self.session.current_claim()
        if not found or claim is None:
            self._show_message(NOTHING, claim_id)
            self.found.emit(0)
            return
        self.heading.setText(
            f"<b>Claim {claim.number}</b> was checked before: {len(found)} earlier "
            f"claim{'s' if len(found) != 1 else ''} worded like it"
        )
        self.list.blockSignals(True)
        self.list.clear()
        for item in found:
            entry = QListWidgetItem(_item_text(item))
            entry.setToolTip(item.earlier.claim.quote)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        self.stack.setCurrentIndex(1)
        self.list.setCurrentRow(0)
        self._row_changed(0)
        self.found.emit(len(found))

    def _failed(self, ticket: int, exc: BaseException) -> None:
        if not self._latest.is_newest(ticket):
            return
        log.error("checked before failed", exc_info=exc)
        self._show_message(FAILED.format(error=exc), 0)

    def _show_message(self, text: str, claim_id: int) -> None:
        self.results = []
        self.shown_for = claim_id
        self.list.blockSignals(True)
        self.list.clear()
        self.list.blockSignals(False)
        self.detail.clear()
        self.message.setText(text)
        self.stack.setCurrentIndex(0)
        self._update_action()

    # ------------------------------------------------------------------ the selected one
    def current(self) -> CheckedBefore | None:
        row = self.list.currentRow()
        return self.results[row] if 0 <= row < len(self.results) else None

    def _row_changed(self, _row: int) -> None:
        item = self.current()
        self.detail.setText(_detail_html(item) if item else "")
        self._update_action()

    def _update_action(self) -> None:
        self.reuse_action.setEnabled(
            self.session.editable
            and self.current() is not None
            and self.shown_for == self.session.current_claim_id != 0
        )

    def reuse_current(self) -> None:
        """Reuse the selected earlier check for the current claim (undoable)."""
        item, claim = self.current(), self.session.current_claim()
        if item is None or claim is None or not self.session.editable:
            return
        self.session.push(ReuseCheck(self.session, claim, item.earlier))


def _item_text(item: CheckedBefore) -> str:
    earlier = item.earlier
    claim = earlier.claim
    review = "signed off" if earlier.signed_off else REVIEW_STATUSES[earlier.review_status]
    title = f" “{earlier.review_title}”" if earlier.review_title else ""
    return (
        f"{_STRENGTH[item.strength]} · {CLAIM_STATUS[claim.status].label} · "
        f"review {claim.review_id}{title} ({review})\n“{claim.quote}”"
    )


def _detail_html(item: CheckedBefore) -> str:
    earlier = item.earlier
    claim = earlier.claim
    review = "signed off" if earlier.signed_off else REVIEW_STATUSES[earlier.review_status]
    rows = [
        f"<b>{escape(_STRENGTH[item.strength])}</b> (score {item.score:.0f}) · "
        f"review {claim.review_id} “{escape(earlier.review_title)}” ({escape(review)}), "
        f"claim {claim.number} <code>{escape(claim.stable_id)}</code>",
        f"<b>Status:</b> {escape(CLAIM_STATUS[claim.status].label)}",
    ]
    if claim.note.strip():
        rows.append("<b>Note:</b> " + escape(claim.note).replace("\n", "<br>"))
    if claim.correction.strip():
        rows.append("<b>Correction:</b> " + escape(claim.correction).replace("\n", "<br>"))
    for source in earlier.sources:
        name = escape(source.title or source.url)
        url = f" <span>{escape(source.url)}</span>" if source.url and source.title else ""
        rows.append(f"<b>Source ({escape(claim.stance_of(source.id).value)}):</b> {name}{url}")
    if not earlier.sources:
        rows.append("<b>Sources:</b> none")
    return "<br>".join(rows)
