"""The sources pane: every field of a source edited in place, and the claims it speaks to, each
with its stance (supports, refutes, context)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.captures import Capture
from reviewapp.core.model import Source
from reviewapp.core.scales import CREDIBILITY, SOURCE_KINDS, STANCES
from reviewapp.core.states import Credibility, SourceKind
from reviewapp.ui import commands
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.models.sources import (
    CLAIMS,
    CREDIBILITY_COLOURS,
    CREDIBILITY_COLUMN,
    KIND,
    TITLE,
    SourcesModel,
)
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

# (field, label, placeholder, what a screen reader adds) for the one-line fields, in the order
# the form shows them.
LINE_FIELDS = (
    ("url", "Address", "https://…", "The web address of the source"),
    ("title", "Title", "What the source is called", "The source's title"),
    ("publisher", "Publisher", "Who published it", "Who published the source"),
    ("author", "Author", "Who wrote or said it", "Who wrote or said it"),
    ("published", "Published", "YYYY-MM-DD", "When it was published, as YYYY-MM-DD"),
    ("accessed_at", "Accessed", "YYYY-MM-DD, when you read it", "When you read it, YYYY-MM-DD"),
    (
        "archive_url",
        "Archived copy address",
        "https://web.archive.org/…",
        "Address of an archived copy of the source",
    ),
    ("archive_date", "Archived on", "YYYY-MM-DD", "When the copy was archived, YYYY-MM-DD"),
)

# Short fields share a row with the one before them, so the whole form fits a laptop screen
# without a scroll bar: field -> the field whose row it joins.
SHARES_ROW = {"author": "publisher", "accessed_at": "published", "archive_date": "archive_url"}


def _beside(row: QHBoxLayout, label: str, field: QWidget, parent: QWidget) -> None:
    """Put a labelled field at the end of a form row."""
    caption = QLabel(label, parent)
    caption.setBuddy(field)
    row.addSpacing(6)
    row.addWidget(caption)
    row.addWidget(field, 1)


def _claim_row_text(subject: str, stance: str) -> str:
    """A claim in a source's link list: "Refutes claim 4: “…”", or "Claim 4: “…”" unlinked."""
    return f"{STANCES[stance]} {subject}" if stance else subject[:1].upper() + subject[1:]


class SourceForm(QWidget):
    """All fields of a source; used in place (edits committed per field) and in the Add dialog."""

    fieldEdited = Signal(str, str)  # field, new value (one-line fields, kind, credibility)

    def __init__(self, session: ReviewSession | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.lines: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(4)
        rows: dict[str, QHBoxLayout] = {}
        for field, label, placeholder, description in LINE_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"source_{field}")
            describe(edit, label, description)
            edit.setPlaceholderText(placeholder)
            edit.editingFinished.connect(lambda f=field: self._line_done(f))
            route_undo_to_stack(edit)
            self.lines[field] = edit
            if field in SHARES_ROW:
                _beside(rows[SHARES_ROW[field]], label, edit, self)
            else:
                rows[field] = QHBoxLayout()
                rows[field].addWidget(edit, 1)
                form.addRow(label, rows[field])
        self.kind = ChoiceCombo(SOURCE_KINDS, parent=self)
        self.kind.setObjectName("source_kind")
        describe(self.kind, "Kind", "What sort of source this is: official, news, study…")
        self.credibility = ChoiceCombo(CREDIBILITY, CREDIBILITY_COLOURS, self)
        self.credibility.setObjectName("source_credibility")
        describe(self.credibility, "Credibility", "How far you trust this source")
        self.kind.chosen.connect(lambda key: self.fieldEdited.emit("kind", key))
        self.credibility.chosen.connect(lambda key: self.fieldEdited.emit("credibility", key))
        form.addRow("Kind", self.kind)
        form.addRow("Credibility", self.credibility)
        self.form = form
        self._shown: dict[str, str] = {}

    def load(self, source: Source | None) -> None:
        for field, edit in self.lines.items():
            value = getattr(source, field) if source else ""
            self._shown[field] = value
            if edit.hasFocus() and edit.isModified():
                continue  # the editor is typing here: the text is written when they leave it
            if edit.text() != value:
                edit.setText(value)
                edit.setCursorPosition(0)
        self.kind.set_key(source.kind if source else SourceKind.OTHER)
        self.credibility.set_key(source.credibility if source else Credibility.UNDETERMINED)

    def values(self) -> dict[str, str]:
        values = {f: e.text().strip() for f, e in self.lines.items()}
        values["kind"] = self.kind.key()
        values["credibility"] = self.credibility.key()
        return {k: v for k, v in values.items() if v}

    def _line_done(self, field: str) -> None:
        value = self.lines[field].text().strip()
        if value != self._shown.get(field, ""):
            self._shown[field] = value
            self.fieldEdited.emit(field, value)

    def set_editable(self, editable: bool) -> None:
        for edit in self.lines.values():
            lock_text(edit, not editable)
        self.kind.setEnabled(editable)
        self.credibility.setEnabled(editable)


def captures_text(captures: list[Capture], source_id: int) -> tuple[str, str]:
    """What the pane says about a source's captures, in a few words and in full."""
    mine = [c for c in captures if c.source_id == source_id]
    if not mine:
        return "", "Not captured yet: Capture (Ctrl+Shift+K) keeps a copy of the page as fetched."
    newest = mine[-1]
    day = newest.captured_at[:10]
    short = f"THIN capture {day}" if newest.thin else f"Captured {day}"
    if len(mine) > 1:
        short += f" ({len(mine)})"
    thin = " THIN: almost no text (a login or block page?)." if newest.thin else ""
    whole = (
        f"{len(mine)} capture(s); newest {newest.captured_at}, HTTP {newest.status}, "
        f"{newest.size:,} bytes, SHA-256 {newest.sha256}.{thin} Read it: Ctrl+Shift+J."
    )
    return short, whole


class SourcesPane(QWidget):
    def __init__(self, session: ReviewSession, actions: ActionSet, parent: QWidget | None = None):
        super().__init__(parent)
        describe(self, "Sources pane", "The sources of this review and the one selected")
        self.session = session
        self.model = SourcesModel(self)
        self.list = QTreeView(self)
        self.list.setObjectName("sourcesList")
        describe(
            self.list,
            "Sources",
            "The sources of this review; select one to edit it. Delete removes it.",
        )
        self.list.setModel(self.model)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        # Fixed widths, measured once from the words they can show: sizing to contents asks
        # the model for every row (~20 ms for 200 sources) each time the list is laid out,
        # which opening a review or adding a source does. A long kind or list of claims is
        # elided (the form below and the tooltip show it whole); the title takes the rest.
        metrics = self.list.fontMetrics()
        widths = {
            KIND: metrics.horizontalAdvance("News report") + 16,
            CREDIBILITY_COLUMN: max(metrics.horizontalAdvance(t) for t in CREDIBILITY.values())
            + 40,  # the colour swatch
            CLAIMS: max(
                metrics.horizontalAdvance("✗00, ○00, 00"), metrics.horizontalAdvance("Claims")
            )
            + 16,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self.list.addActions(actions.scoped("sources"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        detail = QWidget(self)
        self.form = SourceForm(session, detail)
        self.form.fieldEdited.connect(self._edit)
        self.note = TextField(
            session,
            lambda old, new: self._edit("note", new),
            "Why this source supports or contradicts the claims",
            detail,
        )
        self.note.setObjectName("sourceNote")
        describe(self.note, "Source note", "Why this source supports or contradicts the claims")
        self.note.setMinimumHeight(36)
        self.note.setMaximumHeight(90)
        self.form.form.addRow("Note", self.note)
        self.claims = LinkEditor(_claim_row_text, self._claim_name, detail)
        self.claims.setObjectName("sourceClaims")
        describe(
            self.claims.list,
            "Claims",
            "Check a claim to link this source to it; the stance under the list says whether "
            "the source supports it, refutes it or gives context",
        )
        self.claims.list.setMinimumHeight(44)  # two rows; the list scrolls for more
        self.form.form.addRow("Claims", self.claims)
        capture = QPushButton("Capture", detail)
        capture.setObjectName("captureSource")
        follow_action(capture, actions["source.capture"])
        describe(capture, "Capture", actions["source.capture"].toolTip())
        # What was captured of this source, in a few words beside the button (the whole line
        # in its tooltip); it gives way to the buttons rather than widen the pane.
        self.captures = QLabel(detail)
        self.captures.setObjectName("sourceCaptures")
        self.captures.setTextFormat(Qt.TextFormat.PlainText)
        self.captures.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        describe(self.captures, "Captures", "Copies of this source kept in the library")
        # Read Capture lives in the list's context menu and the Review menu (Ctrl+Shift+J).
        self.list.addActions([actions["source.capture"], actions["source.read_capture"]])
        open_button = QPushButton("Open Address", detail)
        open_button.clicked.connect(self.open_current)
        delete = QPushButton("Delete Source", detail)
        delete.setObjectName("danger")
        follow_action(delete, actions["source.delete"])
        describe(open_button, "Open Address", "Open the source's address in your web browser")
        describe(delete, "Delete Source", actions["source.delete"].toolTip())
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(capture)
        buttons.addWidget(self.captures, 1)
        buttons.addWidget(delete)
        # No scroll area round the form: its note and claim list scroll themselves, and a
        # scroll inside a scroll loses the editor. The form fits instead (paired short fields).
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(12, 6, 12, 6)
        detail_layout.setSpacing(4)
        detail_layout.addWidget(self.form, 1)
        detail_layout.addLayout(buttons)

        self.no_selection = QLabel("Select a source to edit it.", self)
        self.no_selection.setObjectName("placeholder")
        self.no_selection.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_stack = QStackedWidget(self)
        self.detail_stack.addWidget(self.no_selection)
        self.detail_stack.addWidget(detail)
        self.empty = QLabel(
            "No sources yet.\n\nAdd one with Ctrl+Shift+S: it is linked to the claim you "
            "have selected.",
            self,
        )
        self.empty.setObjectName("placeholder")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        add = QPushButton("Add Source…", self)
        follow_action(add, actions["source.add"])
        describe(add, "Add Source", actions["source.add"].toolTip())
        empty_page = QWidget(self)
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty)
        empty_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.outer = QStackedWidget(self)
        self.outer.addWidget(empty_page)
        self.outer.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.outer)

        self.current_id = 0
        self._renumber_pending = False  # claims came or went while the pane was hidden
        self.list.selectionModel().currentRowChanged.connect(self._row_changed)
        self.claims.changed.connect(self._link_changed)
        actions["source.delete"].triggered.connect(self.delete_current)
        session.reviewOpened.connect(self._reset)
        session.writingChanged.connect(self._show_current)  # locked while a revision saves
        session.sourcesChanged.connect(self._reload)
        session.claimsChanged.connect(self._reload)
        session.claimAdded.connect(self._claims_renumbered)
        session.claimRemoved.connect(self._claims_renumbered)
        session.sourceAdded.connect(self._source_added)
        session.sourceRemoved.connect(self._source_removed)
        session.sourceUpdated.connect(self._source_updated)
        self._reset()

    def _reset(self) -> None:
        self.current_id = 0
        self._reload()

    def _reload(self) -> None:
        self._renumber_pending = False
        data = self.session.data
        prepared = self.session.prepared()  # the numbers worked out as the review was read
        numbers = prepared.numbers if prepared else data.claim_number_by_id() if data else {}
        self.model.set_sources(data.sources if data else [], numbers)
        self.outer.setCurrentIndex(1 if self.model.rowCount() else 0)
        keep_rows(self.list)
        self.select(self.current_id)

    def _claims_renumbered(self, _claim_id: int = 0) -> None:
        """A claim came or went: every source's claim numbers may have moved, and the ones
        it linked to list it (or no longer do); the rows stay, and so does the selection.

        Done when the pane is next shown if it is hidden (behind the Claims tab, where claims
        are added): it only matters once someone can see it."""
        if not self.isVisible():
            self._renumber_pending = True
            return
        self._renumber_pending = False
        data = self.session.data
        if data is None or len(data.sources) != self.model.rowCount():
            self._reload()
            return
        self.model.renumber(data.sources, data.claim_number_by_id())
        if self.current_id:
            self._show_current()  # its list names every claim by number

    def _source_added(self, source_id: int) -> None:
        """One source came: insert its row (the selection stays where it was)."""
        sources = self.session.data.sources if self.session.data else []
        row = next((i for i, s in enumerate(sources) if s.id == source_id), -1)
        if row < 0 or self.model.rowCount() != len(sources) - 1:
            self._reload()
            return
        self.model.insert(row, sources)
        self.outer.setCurrentIndex(1)
        keep_rows(self.list)

    def _source_updated(self, source_id: int) -> None:
        """One source's fields or links changed: its row, and its form when it is shown."""
        source = self.session.source(source_id)
        if source is None or self.model.replace(source) < 0:
            self._reload()
            return
        if source_id == self.current_id:
            self._show_current()

    def _source_removed(self, source_id: int) -> None:
        """One source went: remove its row; its detail goes if it was the one shown."""
        sources = self.session.data.sources if self.session.data else []
        row = self.model.row_of(source_id)
        if row < 0 or self.model.rowCount() != len(sources) + 1:
            self._reload()
            return
        self.model.remove(row, sources)
        self.outer.setCurrentIndex(1 if sources else 0)
        keep_rows(self.list)
        if source_id == self.current_id:
            self.select(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._renumber_pending:
            self._claims_renumbered()

    def select(self, source_id: int) -> None:
        row = self.model.row_of(source_id)
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        if row >= 0:
            self.current_id = source_id
            selection.setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            selection.clearSelection()
            self.current_id = 0
        selection.blockSignals(False)
        self.list.viewport().update()
        self._show_current()

    def current(self) -> Source | None:
        return self.session.source(self.current_id)

    def _show_current(self) -> None:
        source = self.current()
        self.detail_stack.setCurrentIndex(1 if source else 0)
        if source is None:
            return
        self.form.load(source)
        self.note.load(source.note)
        data = self.session.data
        claims = data.claims if data else []
        self.claims.set_items(
            [
                (
                    c.id,
                    f"claim {c.number}: “{c.quote}”",
                    source.stance_of(c.id) if c.id in source.claim_ids else NOT_LINKED,
                )
                for c in claims
            ]
        )
        short, whole = captures_text(data.captures if data else [], source.id)
        self.captures.setText(short)
        self.captures.setToolTip(whole)
        editable = self.session.editable
        self.form.set_editable(editable)
        lock_text(self.note, not editable)
        self.claims.set_editable(editable)

    def _row_changed(self, current, _previous) -> None:
        self.session.flush()
        source = self.model.source_at(current.row()) if current.isValid() else None
        self.current_id = source.id if source else 0
        self._show_current()

    def _edit(self, field: str, value: str) -> None:
        source = self.current()
        if source is None or str(getattr(source, field)) == value:
            return
        if not self.session.push(commands.EditSource(self.session, source, field, value)):
            self._show_current()  # refused: show the stored value again

    def _claim_name(self, claim_id: int) -> str:
        """How the stance combo names the claim of a row: "claim 4"."""
        claim = self.session.claim(claim_id)
        return f"claim {claim.number}" if claim else "the claim"

    def _link_changed(self, claim_id: int, old: str, new: str) -> None:
        source = self.current()
        if source is not None and not self.session.push(
            commands.SetLink(self.session, source.review_id, claim_id, source.id, old, new)
        ):
            self._show_current()  # refused: show the stored links again

    def delete_current(self) -> None:
        source = self.current()
        if source is not None:
            self.session.push(commands.DeleteSource(self.session, source))

    def open_current(self) -> None:
        source = self.current()
        if source is not None and source.url:
            QDesktopServices.openUrl(QUrl(source.url))
