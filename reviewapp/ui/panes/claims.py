"""The claims pane: the list in text order, and the current claim's status, note, correction
and sources, all edited in place."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from PySide6.QtCore import QItemSelectionModel, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.anchoring import occurrences
from reviewapp.core.gate import sources_contradict
from reviewapp.core.model import Claim
from reviewapp.core.scales import ANCHOR_STATES, CLAIM_STATUS, FIRM_ANCHOR_STATES
from reviewapp.core.states import AnchorState
from reviewapp.ui import commands
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.models.claims import (
    ANCHOR,
    ANCHOR_COLOURS,
    ANCHOR_SYMBOLS,
    NUMBER,
    QUOTE,
    SOURCES,
    STATUS,
    ClaimsModel,
    source_label,
)
from reviewapp.ui.scale_style import CLAIM_STATUS_COLOURS, CLAIM_STATUS_SHORTCUTS
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.widgets import (
    NOT_LINKED,
    ChoiceCombo,
    LinkEditor,
    TextField,
    describe,
    follow_action,
    keep_rows,
    lock_text,
    route_undo_to_stack,
)
from reviewapp.ui.worddiff import new_side_html, old_side_html

FILL_AT_ONCE = 500  # claims: a longer list is filled in the turn after its review opens
EMPTY_HINT = (
    "No claims yet.\n\nSelect a passage in the article and press Ctrl+Return "
    "(or right-click › Add Claim) to pin a claim to it."
)


def _source_row_text(subject: str, stance: str) -> str:
    """A source in a claim's link list: "Annual report — refutes", or just its name unlinked."""
    return f"{subject} — {stance}" if stance else subject


class ClaimsTable(QTableView):
    """The claims list: a flat table of one-line rows.

    A table rather than a tree: a QTreeView rebuilds its list of rows (asking the Python
    model for every row's index) after each row added or removed, ~4 ms for 2,000 claims on
    every claim added or deleted; a table only shifts its rows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as from any list
        self.setCornerButtonEnabled(False)  # no row header, so nothing to select all with
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = self.verticalHeader()
        rows.hide()
        # Every row one line high, fixed: nothing is measured per row.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)

    def header(self) -> QHeaderView:
        """The column headers (named as on a tree view)."""
        return self.horizontalHeader()


class ClaimsPane(QWidget):
    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        parent: QWidget | None = None,
        selection: Callable[[], tuple[int, int] | None] = lambda: None,
        show_span: Callable[[int, int], None] = lambda start, end: None,
    ):
        super().__init__(parent)
        describe(self, "Claims pane", "The claims of this review and the one selected")
        self.session = session
        self.selection = selection  # the article's selection in code points, for re-attaching
        self.show_span = show_span  # selects and shows a passage of the article
        self.model = ClaimsModel(self)
        self.list = self._claims_list(actions)

        # ---- detail of the current claim
        self.detail = detail = QWidget(self)
        detail.setObjectName("claimDetail")
        self.quote = QLabel(detail)
        self.quote.setObjectName("claimQuote")
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Where the claim's check was reused from ("Checked before"), when it was.
        self.reused = QLabel(detail)
        self.reused.setObjectName("claimReusedFrom")
        self.reused.setWordWrap(True)
        self.reused.setTextFormat(Qt.TextFormat.PlainText)
        self.reused.hide()
        self.anchor_box = self._anchor_box(detail)
        add_source, delete = self._fields(session, actions, detail)
        self._lay_out_detail(add_source, delete)
        self._lay_out_pane()

        self._fill_due = False  # a long list waits for the turn after its review opened
        # The claim last selected and its row: deleting a claim unselects it before its row
        # goes, and this finds the row without a look-up over every claim.
        self._selected = (0, -1)
        self._connect(session, actions)
        self._reload()

    def _lay_out_detail(self, add_source: QPushButton, delete: QPushButton) -> None:
        """The quote, where it sits, the form, and the two buttons under it."""
        detail = self.detail
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(5)
        form.addRow("Status", self.status)
        form.addRow("Note", self.note)
        form.addRow("Correction", self.correction)
        form.addRow("Sources", self.sources)
        form.addRow("No source", self.override)
        form.addRow("Status stands", self.stance_override)
        self.form = form
        # The form's order, not creation order.
        QWidget.setTabOrder(self.sources.list, self.sources.stance)
        QWidget.setTabOrder(self.sources.stance, self.override)
        QWidget.setTabOrder(self.override, self.stance_override)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(12, 8, 12, 8)
        detail_layout.setSpacing(6)
        detail_layout.addWidget(self.quote)
        detail_layout.addWidget(self.reused)
        detail_layout.addWidget(self.anchor_box)
        detail_layout.addLayout(form, 1)
        line = QHBoxLayout()
        line.addWidget(add_source)
        line.addStretch(1)
        line.addWidget(delete)
        detail_layout.addLayout(line)

    def _lay_out_pane(self) -> None:
        """A hint with no claims; else the list over the detail (or a hint with none selected)."""
        self.empty = QLabel(EMPTY_HINT, self)
        self.empty.setObjectName("placeholder")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_selection = QLabel("Select a claim to see its note, correction and sources.", self)
        self.no_selection.setObjectName("placeholder")
        self.no_selection.setWordWrap(True)
        self.no_selection.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_stack = QStackedWidget(self)
        self.detail_stack.addWidget(self.no_selection)
        self.detail_stack.addWidget(self.detail)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("claimsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.detail_stack)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.outer = QStackedWidget(self)
        self.outer.addWidget(self.empty)
        self.outer.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.outer)

    def _claims_list(self, actions: ActionSet) -> ClaimsTable:
        """The claims in text order: fixed columns sized once, the quote taking the rest."""
        claims = ClaimsTable(self)
        claims.setObjectName("claimsList")
        describe(
            claims,
            "Claims",
            "The claims in text order, with status, passage and sources; selecting one shows "
            "its passage. Alt+Down and Alt+Up step through them, Delete removes one.",
        )
        claims.setModel(self.model)
        header = claims.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(QUOTE, QHeaderView.ResizeMode.Stretch)
        # Fixed, wide enough for the longest state: sizing to contents would read every row
        # of a review with thousands of claims each time the list is reloaded.
        header.setSectionResizeMode(ANCHOR, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(SOURCES, QHeaderView.ResizeMode.Fixed)
        metrics = claims.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(f"{ANCHOR_SYMBOLS[key]} {label}")
            for key, label in ANCHOR_STATES.items()
        )
        header.resizeSection(ANCHOR, widest + 24)
        header.resizeSection(NUMBER, metrics.horizontalAdvance("0000") + 14)  # up to 9,999
        header.resizeSection(STATUS, 112)
        header.resizeSection(SOURCES, 72)
        claims.addActions(actions.scoped("claims"))
        claims.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return claims

    def _anchor_box(self, detail: QWidget) -> QFrame:
        """Where the claim sits when a newer draft moved or unsettled it, with the answers."""
        self.anchor = QLabel(detail)
        self.anchor.setObjectName("anchorState")
        self.anchor.setWordWrap(True)
        self.anchor.setTextFormat(Qt.TextFormat.RichText)
        # The words the verdict was about beside the words the claim now sits on.
        self.checked_words = QLabel(detail)
        self.checked_words.setObjectName("checkedWording")
        self.now_words = QLabel(detail)
        self.now_words.setObjectName("currentWording")
        for label in (self.checked_words, self.now_words):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        wording = QWidget(detail)
        wording.setObjectName("wordingBox")
        wording_layout = QHBoxLayout(wording)
        wording_layout.setContentsMargins(0, 2, 0, 2)
        wording_layout.setSpacing(12)
        wording_layout.addWidget(self.checked_words, 1)
        wording_layout.addWidget(self.now_words, 1)
        self.wording = wording
        self.confirm_anchor = QPushButton("Confirm Passage", detail)
        self.confirm_anchor.setToolTip("The highlighted passage is the right one for this claim")
        self.confirm_anchor.clicked.connect(self.confirm_current)
        self.reattach = QPushButton("Re-attach", detail)
        self.reattach.setToolTip(
            "Pin this claim to the passage selected in the article (Re-attach to Selection)"
        )
        self.reattach.clicked.connect(self.reattach_current)
        self.next_place = QPushButton("Show Next Place", detail)
        self.next_place.setToolTip(
            "Select the next place in the article with the same words; Re-attach pins the claim "
            "there"
        )
        self.next_place.clicked.connect(self.show_next_place)
        self.keep_orphaned = QPushButton("Keep Orphaned…", detail)
        self.keep_orphaned.setToolTip(
            "Keep this claim with no passage in this draft, with a note saying why"
        )
        self.keep_orphaned.clicked.connect(self.keep_current_orphaned)
        anchor_box = QFrame(detail)
        anchor_box.setObjectName("anchorBox")
        anchor_layout = QVBoxLayout(anchor_box)
        anchor_layout.setContentsMargins(10, 8, 10, 8)
        anchor_layout.setSpacing(6)
        anchor_layout.addWidget(self.anchor)
        anchor_layout.addWidget(self.wording)
        anchor_buttons = QHBoxLayout()
        anchor_buttons.addWidget(self.confirm_anchor)
        anchor_buttons.addWidget(self.next_place)
        anchor_buttons.addWidget(self.reattach)
        anchor_buttons.addWidget(self.keep_orphaned)
        anchor_buttons.addStretch(1)
        anchor_layout.addLayout(anchor_buttons)
        anchor_box.hide()  # shown for a claim that is not firmly on the current text
        return anchor_box

    def _fields(
        self, session: ReviewSession, actions: ActionSet, detail: QWidget
    ) -> tuple[QPushButton, QPushButton]:
        """The claim's editable fields; the New Source and Delete buttons under them."""
        labels = {k: s.label for k, s in CLAIM_STATUS.items()}
        self.status = ChoiceCombo(labels, CLAIM_STATUS_COLOURS, detail)
        self.status.setObjectName("claimStatus")
        keys = list(CLAIM_STATUS_SHORTCUTS.values())
        describe(
            self.status, "Claim status", f"What checking found: {keys[0]} to {keys[-1]} set it too"
        )
        self.note = TextField(
            session,
            lambda old, new: self._commit("note", old, new),
            "What did you check, and what did you find?",
            detail,
        )
        self.note.setObjectName("claimNote")
        describe(self.note, "Note", "What you checked about this claim, and what you found")
        self.correction = TextField(
            session,
            lambda old, new: self._commit("correction", old, new),
            "The wording the draft should have instead (goes back to the writer)",
            detail,
        )
        self.correction.setObjectName("claimCorrection")
        describe(
            self.correction,
            "Correction",
            "The wording the draft should have instead; the export lists it for the writer",
        )
        for field in (self.note, self.correction):
            field.setMinimumHeight(44)  # two lines, and Tab leaves the field
        self.override = QLineEdit(detail)
        self.override.setObjectName("claimSourceOverride")
        self.override.setPlaceholderText("No source needed? Say why (recorded and exported)")
        describe(
            self.override,
            "No source needed because",
            "Why this claim needs no source; recorded and exported instead of a source",
        )
        self.override.editingFinished.connect(self._override_done)
        route_undo_to_stack(self.override)
        self.sources = LinkEditor(_source_row_text, self._claim_name, detail)
        self.sources.setObjectName("claimSources")
        describe(
            self.sources.list,
            "Sources of this claim",
            "Check a source to link it to this claim; the stance under the list says whether "
            "it supports the claim, refutes it or gives context",
        )
        self.sources.list.setMinimumHeight(48)
        self.stance_override = QLineEdit(detail)
        self.stance_override.setObjectName("claimStanceOverride")
        self.stance_override.setPlaceholderText(
            "The sources say otherwise: say why the status stands (recorded and exported)"
        )
        describe(
            self.stance_override,
            "Status stands because",
            "Why this status stands although its sources say otherwise; recorded and exported",
        )
        self.stance_override.editingFinished.connect(self._stance_override_done)
        route_undo_to_stack(self.stance_override)
        add_source = QPushButton("New Source for This Claim…", detail)
        follow_action(add_source, actions["source.add"])
        delete = QPushButton("Delete Claim", detail)
        delete.setObjectName("danger")
        follow_action(delete, actions["claim.delete"])
        describe(add_source, "New Source for This Claim", actions["source.add"].toolTip())
        describe(delete, "Delete Claim", actions["claim.delete"].toolTip())
        for button in (self.confirm_anchor, self.next_place, self.reattach, self.keep_orphaned):
            describe(button, button.text().rstrip("…"), button.toolTip())

        return add_source, delete

    def _connect(self, session: ReviewSession, actions: ActionSet) -> None:
        self.list.selectionModel().currentRowChanged.connect(self._row_changed)
        self.status.chosen.connect(self._status_chosen)
        self.sources.changed.connect(self._link_changed)
        actions["claim.delete"].triggered.connect(self.delete_current)
        actions["claim.next"].triggered.connect(lambda: session.step_claim(1))
        actions["claim.previous"].triggered.connect(lambda: session.step_claim(-1))
        for key in CLAIM_STATUS:
            actions[f"claim.status.{key}"].triggered.connect(
                lambda _=False, k=key: self.set_status(k)
            )
        session.reviewOpened.connect(self._opened)
        session.claimsChanged.connect(self._reload)
        session.writingChanged.connect(self._show_current)  # locked while a revision saves
        session.claimUpdated.connect(self._claim_updated)
        session.claimAdded.connect(self._claim_added)
        session.claimRemoved.connect(self._claim_removed)
        session.sourcesChanged.connect(self._show_current)
        for source_signal in (session.sourceAdded, session.sourceRemoved, session.sourceUpdated):
            # The detail's list names every source: the current claim's shows it or not.
            source_signal.connect(lambda _: self._show_current())
        session.currentClaimChanged.connect(self._select)

    # ------------------------------------------------------------------ showing
    def _opened(self) -> None:
        """Another review: a long list of claims is filled in the next turn of the event loop,
        so that the article's first part paints first (the list is emptied now: until then
        it shows nothing rather than the claims of the review before)."""
        data = self.session.data
        if data is None or len(data.claims) <= FILL_AT_ONCE:
            self._fill_due = False
            self._reload()
            return
        self._fill_due = True
        self.model.set_claims([])
        QTimer.singleShot(0, self, self._fill)

    def _fill(self) -> None:
        if self._fill_due:
            self._reload()

    def _reload(self) -> None:
        self._fill_due = False
        data = self.session.data
        claims = data.claims if data else []
        scrolled = self.list.verticalScrollBar().value()
        self.model.set_claims(claims)
        self.list.verticalScrollBar().setValue(scrolled)  # the list stays where the editor was
        # The Passage column matters once a newer draft has moved or unsettled claims; until
        # then it would only take room from the quotes.
        prepared = self.session.prepared()  # worked out as the review was read
        self.list.setColumnHidden(
            ANCHOR, prepared.all_anchored if prepared else _all_anchored(claims)
        )
        self.outer.setCurrentIndex(1 if self.model.rowCount() else 0)
        keep_rows(self.list)
        self._select(self.session.current_claim_id)

    def _claim_updated(self, claim_id: int) -> None:
        """One claim's fields changed: its row, and the detail when it is the one shown."""
        claim = self.session.claim(claim_id)
        if claim is None:
            return
        self.model.replace(claim, claim.number - 1)
        if claim_id == self.session.current_claim_id:
            self._show_current(links=False)  # its links did not change

    def _claim_added(self, claim_id: int) -> None:
        """One claim came: insert its row; the rows after it show their new numbers."""
        claims = self.session.data.claims if self.session.data else []
        claim = self.session.claim(claim_id)
        if claim is None or self.model.rowCount() != len(claims) - 1:
            self._reload()
            return
        row = claim.number - 1
        self.model.insert(row, claims)
        self.model.rows_changed_from(row + 1)
        self._rows_changed(claims, claim)

    def _claim_removed(self, claim_id: int) -> None:
        """One claim went: remove its row; the rows after it show their new numbers."""
        claims = self.session.data.claims if self.session.data else []
        selected_id, selected_row = self._selected
        row = self.model.row_of(claim_id, selected_row if selected_id == claim_id else -1)
        if row < 0 or self.model.rowCount() != len(claims) + 1:
            self._reload()
            return
        self.model.remove(row, claims)
        self.model.rows_changed_from(row)
        self._rows_changed(claims)

    def _rows_changed(self, claims: list[Claim], added: Claim | None = None) -> None:
        """After a row came (added) or went: the Passage column, the empty page, and the
        detail's "Claim N" (the current claim may have a new number)."""
        hidden = self.list.isColumnHidden(ANCHOR)
        if not hidden or (added is not None and added.anchor_state != AnchorState.ANCHORED):
            # Hidden stays hidden when a claim that sits where it was put comes, or any goes.
            self.list.setColumnHidden(ANCHOR, _all_anchored(claims))
        self.outer.setCurrentIndex(1 if claims else 0)
        keep_rows(self.list)
        if self.session.current_claim() is not None:
            self._show_current(links=False)  # its links did not change

    def _select(self, claim_id: int) -> None:
        claim = self.session.claim(claim_id)
        row = self.model.row_of(claim_id, claim.number - 1) if claim is not None else -1
        if row >= 0:
            self._selected = (claim_id, row)
        selection = self.list.selectionModel()
        before = [QPersistentModelIndex(i) for i in selection.selectedRows()]
        before.append(QPersistentModelIndex(selection.currentIndex()))
        selection.blockSignals(True)
        if row >= 0:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.list.scrollTo(index)
        else:
            selection.clearSelection()
            selection.clearCurrentIndex()
        selection.blockSignals(False)
        # The view heard nothing (signals blocked): the rows that were and are selected are
        # drawn again, not every row in view (~1 ms of cells asked of the model per step).
        for old in before:
            if old.isValid():
                self._repaint_row(old.row())
        if row >= 0:
            self._repaint_row(row)
        self._show_current()

    def _repaint_row(self, row: int) -> None:
        rect = self.list.visualRect(self.model.index(row, 0))
        viewport = self.list.viewport()
        viewport.update(0, rect.top(), viewport.width(), rect.height())

    def _show_current(self, links: bool = True) -> None:
        claim = self.session.current_claim()
        self.detail_stack.setCurrentIndex(1 if claim else 0)
        if claim is None:
            return
        self.quote.setText(f"<b>Claim {claim.number}</b>&nbsp; “{_escape(claim.quote)}”")
        self._show_anchor(claim)
        origin = claim.reused_from
        self.reused.setVisible(origin is not None)
        if origin is not None:
            title = f", “{origin.review_title}”" if origin.review_title else ""
            self.reused.setText(f"Reused the check of {origin.label()}{title}")
        self.status.set_key(claim.status)
        self.note.load(claim.note)
        self.correction.load(claim.correction)
        if not self.override.hasFocus():
            self.override.setText(claim.source_override)
            self.override.setCursorPosition(0)  # a long reason shows its start, not its end
        if not self.stance_override.hasFocus():
            self.stance_override.setText(claim.stance_override)
            self.stance_override.setCursorPosition(0)
        # Asked only when the sources contradict the status, or a reason is already recorded.
        self.form.setRowVisible(
            self.stance_override,
            sources_contradict(claim) or bool(claim.stance_override.strip()),
        )
        data = self.session.data
        if links:
            sources = data.sources if data else []
            self.sources.set_items(
                [
                    (
                        s.id,
                        source_label(s),
                        claim.stance_of(s.id) if s.id in claim.source_ids else NOT_LINKED,
                    )
                    for s in sources
                ],
                {s.id: s.url for s in sources if s.url},
            )
        editable = self.session.editable
        self.sources.set_editable(editable)
        for widget in (
            self.status,
            self.confirm_anchor,
            self.reattach,
            self.keep_orphaned,
        ):
            widget.setEnabled(editable)
        for field in (self.note, self.correction, self.override, self.stance_override):
            lock_text(field, not editable)

    def _show_anchor(self, claim: Claim) -> None:
        """A claim not firmly on the current text: what happened, the old and the new wording
        side by side when the words changed, and the editor's three answers."""
        state = claim.anchor_state
        if state in FIRM_ANCHOR_STATES:
            self.anchor_box.hide()
            return
        colour = ANCHOR_COLOURS[state]
        self.anchor_box.setStyleSheet(
            f"#anchorBox {{ border: 1px solid {colour}; border-left: 4px solid {colour};"
            " border-radius: 4px; }"
        )
        changed = bool(claim.previous_quote) and claim.previous_quote != claim.quote
        places = len(self._places(claim))
        advice = _anchor_advice(claim, changed, places)
        self.anchor.setText(f'<b style="color:{colour}">{ANCHOR_STATES[state]}</b> — {advice}')
        if changed and claim.start is not None:
            old, new = claim.previous_quote, claim.quote
            self.checked_words.setText(
                f'<span style="color:#80868f">Checked wording</span><br>“{old_side_html(old, new)}”'
            )
            self.now_words.setText(
                f'<span style="color:#80868f">Wording in this draft</span><br>'
                f"“{new_side_html(old, new)}”"
            )
            self.wording.show()
        else:
            self.wording.hide()
        placed = claim.start is not None
        self.confirm_anchor.setVisible(placed)
        self.confirm_anchor.setText("Confirm Wording" if changed else "Confirm Passage")
        self.next_place.setVisible(state == AnchorState.AMBIGUOUS and places > 1)
        self.keep_orphaned.setVisible(state != AnchorState.ORPHANED)
        self.anchor_box.show()

    def _places(self, claim: Claim) -> list[int]:
        """Where the claim's words occur in the current draft (code point offsets)."""
        data = self.session.data
        if data is None or not claim.quote:
            return []
        return occurrences(data.revision.text, claim.quote)

    def show_next_place(self) -> None:
        """Select the next place of an ambiguous claim's words after the one selected (or after
        the claim's own place), wrapping round; Re-attach then pins the claim there."""
        claim = self.session.current_claim()
        if claim is None:
            return
        places = self._places(claim)
        if not places:
            return
        selected = self.selection()
        here = selected[0] if selected is not None else claim.start
        after = [p for p in places if here is None or p > here]
        start = after[0] if after else places[0]
        self.show_span(start, start + len(claim.quote))
        number = places.index(start) + 1
        self.session.message.emit(
            f"Place {number} of {len(places)} of claim {claim.number}'s words selected; "
            "Re-attach pins the claim there"
        )

    # ------------------------------------------------------------------ editing
    def _row_changed(self, current, _previous) -> None:
        claim = self.model.claim_at(current.row()) if current.isValid() else None
        self.session.activate_claim(claim.id if claim else 0)

    def set_status(self, key: str) -> None:
        claim = self.session.current_claim()
        if claim is not None and claim.status != key:
            self.session.push(
                commands.SetClaimField(self.session, claim, "status", claim.status, key)
            )

    def _status_chosen(self, key: str) -> None:
        self.set_status(key)

    def _commit(self, field: str, old: str, new: str) -> None:
        claim = self.session.current_claim()
        if claim is not None:
            self.session.push(commands.SetClaimField(self.session, claim, field, old, new))

    def _claim_name(self, _source_id: int) -> str:
        """How the stance combo names the claim every row links to: "claim 4"."""
        claim = self.session.current_claim()
        return f"claim {claim.number}" if claim else "the claim"

    def _link_changed(self, source_id: int, old: str, new: str) -> None:
        claim = self.session.current_claim()
        if claim is not None and not self.session.push(
            commands.SetLink(self.session, claim.review_id, claim.id, source_id, old, new)
        ):
            self._show_current()  # refused: show the stored links again

    def _stance_override_done(self) -> None:
        claim = self.session.current_claim()
        value = self.stance_override.text().strip()
        if claim is not None and value != claim.stance_override:
            self.session.push(
                commands.SetClaimField(
                    self.session, claim, "stance_override", claim.stance_override, value
                )
            )

    def _override_done(self) -> None:
        claim = self.session.current_claim()
        value = self.override.text().strip()
        if claim is not None and value != claim.source_override:
            command = commands.SetClaimField(
                self.session, claim, "source_override", claim.source_override, value
            )
            self.session.push(command)

    def confirm_current(self) -> None:
        claim = self.session.current_claim()
        if claim is not None:
            self.session.push(commands.ConfirmAnchor(self.session, claim))

    def reattach_current(self) -> None:
        claim, data = self.session.current_claim(), self.session.data
        if claim is None or data is None:
            return
        span = self.selection()
        if span is None:
            self.session.errorRaised.emit(
                "select the passage for this claim in the article, then press Re-attach"
            )
            return
        self.session.push(commands.ReattachClaim(self.session, claim, *span))

    def keep_current_orphaned(self):
        """Ask for a note, then keep the claim with no passage in this draft."""
        from reviewapp.ui.revisions import ask_keep_orphaned

        claim = self.session.current_claim()
        if claim is None:
            return None
        return ask_keep_orphaned(self.session, claim, self)

    def delete_current(self) -> None:
        claim = self.session.current_claim()
        if claim is not None:
            self.session.push(commands.DeleteClaim(self.session, claim))


def _anchor_advice(claim: Claim, changed: bool, places: int) -> str:
    """What the editor should do about a claim that is not firmly on the current text."""
    if claim.anchor_state == AnchorState.ORPHANED:
        return (
            "its passage is not in this draft. Select the passage it belongs to and Re-attach, "
            "or delete the claim; while orphaned it blocks sign-off."
        )
    if claim.anchor_state == AnchorState.AMBIGUOUS:
        where = f"in {places} places" if places > 1 else "in more than one place"
        return (
            f"its words appear {where} in this draft and the text cannot tell which one you "
            "checked. Confirm the highlighted one, or Show Next Place until the right one is "
            "selected and Re-attach."
        )
    if changed:
        return (
            "the words changed since you checked them, and your verdict was about the old "
            "ones. Check the new wording, then confirm it (or re-attach the claim)."
        )
    return (
        "it was placed on a passage that only resembles the one you checked. Confirm it, or "
        "select the right passage and Re-attach."
    )


def _all_anchored(claims: list[Claim]) -> bool:
    """Every claim sits where it was put (set() in C: this runs on every claim added)."""
    return set(map(attrgetter("anchor_state"), claims)) <= {AnchorState.ANCHORED}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
