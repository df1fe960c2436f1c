"""The review header: status badge, reviewer, overall verdict, and the sign-off buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from reviewapp.core.model import ReviewData
from reviewapp.core.scales import AI_ASSISTED, REVIEW_STATUSES, VERDICTS
from reviewapp.core.sourcetypes import source_type_label
from reviewapp.core.states import ReviewStatus
from reviewapp.ui import commands
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.highlights import SUGGESTION_COLOURS
from reviewapp.ui.scale_style import REVIEW_STATUS_COLOURS
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.widgets import (
    Badge,
    ChoiceCombo,
    describe,
    follow_action,
    lock_text,
    route_undo_to_stack,
)
from reviewapp.workflows.trust import signer_trust

if TYPE_CHECKING:  # the suggestions (and their detector) come with the review area
    from reviewapp.ui.suggestions import SuggestionTracker

NO_VERDICT = "No verdict yet"


class ReviewHeader(QWidget):
    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        parent: QWidget | None = None,
        suggestions: SuggestionTracker | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("reviewHeader")
        describe(self, "Review", "The review's status, reviewer, verdict and sign-off")
        self.session = session
        self.badge = Badge(self)
        self.badge.setObjectName("statusBadge")
        self.badge.what = "Review status"
        self.badge.setAccessibleDescription("Draft, in review or signed off")
        self.reviewer = QLineEdit(self)
        self.reviewer.setObjectName("reviewer")
        self.reviewer.setPlaceholderText("Reviewer name")
        describe(self.reviewer, "Reviewer", "Who reviews this draft; their name signs it off")
        self.reviewer.editingFinished.connect(self._reviewer_done)
        route_undo_to_stack(self.reviewer)
        self.verdict = ChoiceCombo({"": NO_VERDICT, **VERDICTS}, parent=self)
        self.verdict.setObjectName("verdict")
        describe(
            self.verdict,
            "Verdict",
            "Your overall verdict: publish, publish with corrections, or do not publish",
        )
        self.verdict.chosen.connect(lambda key: self._set("verdict", key))
        # AI involvement and responsibility at a glance, with the way to record them; a
        # disclosure line found in the draft and not yet recorded is offered here.
        self.accountability = QLabel(self)
        self.accountability.setObjectName("accountabilitySummary")
        self.accountability.setWordWrap(True)
        self.accountability_button = QPushButton("AI and Responsibility…", self)
        self.accountability_button.setObjectName("accountabilityButton")
        self.accountability_button.clicked.connect(actions["review.accountability"].trigger)
        describe(
            self.accountability_button,
            "AI involvement and responsibility",
            actions["review.accountability"].toolTip(),
        )
        self.history = QLabel(self)
        self.history.setObjectName("muted")
        self.history.setWordWrap(True)
        # A signed-off review says so once, in words, with the way out beside it.
        self.banner = QFrame(self)
        self.banner.setObjectName("lockedBanner")
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("lockedText")
        self.banner_text.setWordWrap(True)
        self.reopen = QPushButton("Reopen…", self.banner)
        self.reopen.setObjectName("reopenButton")
        follow_action(self.reopen, actions["review.reopen"])
        describe(self.reopen, "Reopen", actions["review.reopen"].toolTip())
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 6, 6)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.reopen)
        self.banner.hide()
        self.buttons: dict[str, QToolButton] = {}
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for action_id in ("review.signoff",):
            button = QToolButton(self)
            button.setDefaultAction(actions[action_id])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            describe(
                button,
                actions[action_id].text().replace("&", "").rstrip("…"),
                actions[action_id].toolTip(),
            )
            self.buttons[action_id] = button
            buttons.addWidget(button)
            # Sign Off shows while it applies; a signed-off review has the banner's Reopen.
            action = actions[action_id]
            action.changed.connect(lambda b=button, a=action: b.setVisible(a.isEnabled()))
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 12, 14, 10)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        reviewer_label, verdict_label = QLabel("Reviewer", self), QLabel("Verdict", self)
        for label in (reviewer_label, verdict_label):
            label.setObjectName("fieldLabel")
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.badge)
        top.addStretch(0)  # the meter (stretch 1, inserted below) takes the room while shown
        top.addLayout(buttons)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(self.banner, 1, 0, 1, 2)
        grid.addWidget(reviewer_label, 2, 0)
        grid.addWidget(self.reviewer, 2, 1)
        grid.addWidget(verdict_label, 3, 0)
        grid.addWidget(self.verdict, 3, 1)
        accountability_row = QHBoxLayout()
        accountability_row.addWidget(self.accountability, 1)
        accountability_row.addWidget(self.accountability_button)
        grid.addLayout(accountability_row, 4, 0, 1, 2)
        # Beside the status: no row of its own, which the window's smallest size could not spare.
        self.coverage = CoverageMeter(suggestions, actions["suggestion.next"], self)
        top.insertWidget(1, self.coverage, 1)
        grid.addWidget(self.history, 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        session.reviewOpened.connect(self._show)
        session.reviewChanged.connect(self._show)
        self._show()

    def _show(self) -> None:
        data = self.session.data
        self.setEnabled(data is not None)
        if data is None:
            self.badge.set_status("No review open", "#dfe3e8")
            self.reviewer.setText("")
            self.verdict.set_key("")
            self.history.hide()
            self.banner.hide()
            self.accountability.setText("")
            return
        review = data.review
        self.badge.set_status(
            REVIEW_STATUSES.get(review.status, review.status),
            REVIEW_STATUS_COLOURS.get(review.status, "#dfe3e8"),
        )
        if not self.reviewer.hasFocus() or self.reviewer.text() == review.reviewer:
            self.reviewer.setText(review.reviewer)
        self.reviewer.setPlaceholderText(self.session.reviewer_default or "Reviewer name")
        self.verdict.set_key(review.verdict)
        editable = self.session.editable
        lock_text(self.reviewer, not editable)
        self.verdict.setEnabled(editable)
        lines = []
        current = data.current_signoff
        signed = current is not None and review.status == ReviewStatus.SIGNED_OFF
        if current is not None and signed:
            trust = signer_trust(self.session.store, current)  # computed now, never stored
            self.banner_text.setText(
                f"Signed off by {current.reviewer} on {current.signed_at[:10]} — Reopen to edit"
            )
            self.banner.setAccessibleName(self.banner_text.text())
            lines.append(
                f"Key {current.fingerprint}"
                + ("" if trust.verified else f"\nThis is an unverified signer: {trust.reason}")
            )
        elif data.second_review is not None and data.second_review.signed_copy:
            record = data.second_review
            self.banner_text.setText(
                f"Second assessment signed by {record.assessor} on {record.assessed_at[:10]} — "
                "Reopen to change it and sign again"
            )
            self.banner.setAccessibleName(self.banner_text.text())
        elif not editable:  # signed off with no sign-off record (cannot happen through the app)
            self.banner_text.setText("Signed off — Reopen to edit")
        self.banner.setVisible(not editable)
        for old in data.signoffs:
            if old.superseded_at:
                lines.append(
                    f"Earlier sign-off by {old.reviewer} on {old.signed_at[:10]}, "
                    f"superseded {old.superseded_at[:10]}"
                    + (f": {old.superseded_reason}" if old.superseded_reason else "")
                )
        self.history.setText("\n".join(lines))
        self.history.setVisible(bool(lines))
        self.accountability.setText(accountability_summary(data, editable))

    def _reviewer_done(self) -> None:
        data = self.session.data
        if data is not None and self.reviewer.text().strip() != data.review.reviewer:
            self._set("reviewer", self.reviewer.text().strip())

    def _set(self, field: str, value: str) -> None:
        data = self.session.data
        if data is None or getattr(data.review, field) == value:
            return
        old = getattr(data.review, field)
        if not self.session.push(
            commands.SetReviewField(self.session, data.review.id, field, old, value)
        ):
            self._show()


def accountability_summary(data: ReviewData, editable: bool) -> str:
    """One plain line: what AI did, who is responsible, and a disclosure line to look at."""
    if not data.accountability_recorded:
        return "AI involvement and editorial responsibility: not recorded"
    ai = data.ai
    if ai.known:
        what = AI_ASSISTED[ai.assisted].split(",")[0]
        if ai.source_type:
            what += f" ({source_type_label(ai.source_type)})"
    else:
        what = "not answered yet"
    holder = data.responsibility.holder or "nobody named yet"
    line = f"AI: {what} · Responsible: {holder}"
    # Imported here, not with the window: its patterns are compiled on the reader's thread
    # when the first review is read. (Not from the accountability dialog's module: that
    # brings the export package, ~60 ms of imports in the turn the first review shows.)
    from reviewapp.core.disclosure import pending_disclosure

    if editable and pending_disclosure(data) is not None:
        line += " · The draft has an AI disclosure line to look at"
    return line


METER_PADDING = 4  # px each side of the meter's words
COVERAGE_TIP = (
    "The sentences the app proposes as claims (figures, attributions, comparisons...): each "
    "becomes a claim or is dismissed with a reason. Click, or press F8, for the next one."
)


class CoverageMeter(QWidget):
    """ "12 of 15 check-worthy sentences examined", with a thin bar; a click goes to the next
    unexamined one. Hidden for a review with no suggestions."""

    def __init__(
        self, tracker: SuggestionTracker | None, next_action: QAction, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("coverage")
        self.tracker = tracker
        self.bar = MeterBar(self)
        self.bar.setObjectName("coverageBar")
        describe(
            self.bar,
            "Suggestions examined",
            "How many of the check-worthy sentences are claims or dismissed",
        )
        self.button = MeterButton(self)
        self.button.setObjectName("coverageMeter")
        self.button.setAccessibleName("Check-worthy sentences")
        self.button.setAccessibleDescription(
            "Go to the next check-worthy sentence that is neither a claim nor dismissed (F8)"
        )
        self.button.clicked.connect(next_action.trigger)
        # As wide as the row leaves it (the wording shortens to fit), never wider; as tall as
        # the status beside it, never taller (the window's smallest size has no pixel to spare).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.button, 1)
        if tracker is not None:
            tracker.reset.connect(self.refresh)
            tracker.decided.connect(lambda _indices: self.refresh())
        self.refresh()

    def text(self) -> str:
        """What the meter says now, in full ('' when it has nothing to say)."""
        return self.button.texts[0]

    def refresh(self) -> None:
        # The meter never shows or hides, nor changes size: it only repaints. Showing it, or
        # a label changing its words, lays out the header and the panes under it again (and
        # the hidden Sources page came out of that taller at times than the window allows).
        tracker = self.tracker
        if tracker is None or tracker.session.data is None:
            self._say("", None, clickable=False)
        elif not tracker.ready:
            text = "Finding check-worthy sentences…" if tracker.loading else ""
            self._say(text, None, clickable=False)
        elif not tracker.english:
            self._say(
                "Suggestions are English-only",
                None,
                clickable=False,
                tip="This text does not read as English; the check-worthiness patterns are "
                "English, so no sentences are suggested.",
            )
        elif tracker.total == 0:
            self._say("", None, clickable=False)  # nothing to say for a review with none
        else:
            examined, total = tracker.examined, tracker.total
            text = f"{examined} of {total} check-worthy sentences examined"
            if not tracker.enforced:
                text += " (not required for sign-off)"
            self._say(
                text,
                (examined, total),
                clickable=examined < total,
                tip=COVERAGE_TIP,
                shorter=(
                    f"{examined} of {total} checkable sentences examined",
                    f"{examined} of {total} examined",
                    f"{examined}/{total}",
                ),
            )

    def _say(
        self,
        text: str,
        fraction: tuple[int, int] | None,
        clickable: bool,
        tip: str = "",
        shorter: tuple[str, ...] = (),
    ) -> None:
        self.button.set_texts((text, *shorter))
        self.button.setAccessibleName(
            f"Check-worthy sentences: {text}" if text else "Check-worthy sentences"
        )
        self.button.setToolTip(f"{text}\n{tip}" if shorter and tip else tip)
        self.button.setEnabled(clickable or fraction is not None)
        # Tab reaches it only when it says something.
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if text else Qt.FocusPolicy.NoFocus)
        self.button.setCursor(
            Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        )
        self.bar.set_fraction(*(fraction or (0, 0)))


class MeterButton(QAbstractButton):
    """The meter's words, as a button (focus, click, Space), painted rather than laid out: the
    longest wording that fits is chosen when painting ("12 of 15 check-worthy sentences
    examined", ..., "12/15"), so a narrower column never lays the header out again."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.texts: tuple[str, ...] = ("",)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        # As wide and tall as the row leaves it, never more: the window's smallest size has
        # no pixel to spare.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_texts(self, texts: tuple[str, ...]) -> None:
        if texts != self.texts:
            self.texts = texts
            self.update()

    def shown_text(self) -> str:
        """The wording that fits the width the button has now."""
        room = self.width() - 2 * METER_PADDING
        metrics = self.fontMetrics()
        return next((t for t in self.texts if metrics.horizontalAdvance(t) <= room), self.texts[-1])

    def sizeHint(self) -> QSize:
        return QSize(4 * METER_PADDING, self.fontMetrics().height() + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        role = QPalette.ColorRole.WindowText
        group = QPalette.ColorGroup.Normal if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, role))
        if self.isEnabled() and (self.underMouse() or self.hasFocus()):
            font = painter.font()
            font.setUnderline(True)  # says "this goes somewhere", as a link does
            painter.setFont(font)
        area = self.rect().adjusted(METER_PADDING, 0, -METER_PADDING, 0)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(area, int(align), self.shown_text())


class MeterBar(QWidget):
    """A thin bar, the examined part in the suggestions' teal. Painted with the next frame
    (QProgressBar repainted itself at once on every change: ~14 ms on the big review)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(72, 6)
        self._done, self._total = 0, 0

    def value(self) -> int:
        return self._done

    def set_fraction(self, done: int, total: int) -> None:
        """done of total examined; 0 of 0 paints nothing (the bar keeps its place)."""
        if (done, total) != (self._done, self._total):
            self._done, self._total = done, total
            self.setAccessibleDescription(f"{done} of {total} examined" if total else "")
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._total:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        rect = QRectF(self.rect())
        radius = rect.height() / 2
        painter.setBrush(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(rect, radius, radius)
        if self._done:
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            painter.setBrush(QColor(SUGGESTION_COLOURS[dark]))
            rect.setWidth(rect.width() * self._done / self._total)
            painter.drawRoundedRect(rect, radius, radius)
