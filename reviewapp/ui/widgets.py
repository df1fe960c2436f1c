"""Small widgets the panes share: typed text written through, link lists, combos, badges."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.scales import STANCES
from reviewapp.core.states import Stance
from reviewapp.ui.scale_style import STANCE_COLOURS
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.widget_basics import describe, keep_alt_down

TYPING_PAUSE_MS = 400  # write typed text after this pause; focus loss, undo and quit write at once


class _UndoToStack(QObject):
    """Lets Ctrl+Z/Ctrl+Shift+Z reach the review's undo stack instead of a field's own undo."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            event.ignore()  # not consumed by the field: the window's Undo action fires
            return True
        return False


_UNDO_FILTER: _UndoToStack | None = None


def route_undo_to_stack(*widgets: QWidget) -> None:
    global _UNDO_FILTER
    if _UNDO_FILTER is None:
        _UNDO_FILTER = _UndoToStack()
    for widget in widgets:
        widget.installEventFilter(_UNDO_FILTER)


def colour_icon(colour: str, size: int = 12) -> QIcon:
    """A round swatch for combo boxes and lists, drawn for 1x, 1.5x, 2x and 3x screens so it
    stays crisp when the display is scaled (Qt picks the nearest one)."""
    icon = QIcon()
    for ratio in (1.0, 1.5, 2.0, 3.0):
        pixels = round(size * ratio)
        pixmap = QPixmap(pixels, pixels)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        painter.setPen(QPen(QColor(colour).darker(140), ratio))
        inset = ratio
        painter.drawEllipse(QRectF(inset, inset, pixels - 2 * inset, pixels - 2 * inset))
        painter.end()
        pixmap.setDevicePixelRatio(ratio)
        icon.addPixmap(pixmap)
    return icon


class TextField(QPlainTextEdit):
    """A multi-line field whose typing is written to the store after a short pause.

    ``commit(old, new)`` is called with the last written value and the new text; the session's
    flushRequested (before undo, switching claims, quitting) writes pending text at once.
    """

    def __init__(
        self,
        session: ReviewSession,
        commit: Callable[[str, str], None],
        placeholder: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self._commit = commit
        self._saved = ""
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._typed)
        session.flushRequested.connect(self.flush)
        route_undo_to_stack(self)

    def load(self, value: str) -> None:
        """Show the stored value (after a reload or an undo) without writing it back."""
        self._saved = value
        if self._timer.isActive():
            return  # the editor is typing here: keep the text, the pending write follows
        if self.toPlainText() != value:
            self._loading = True
            self.setPlainText(value)
            self._loading = False

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def _typed(self) -> None:
        if not self._loading:
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text != self._saved:
            old, self._saved = self._saved, text
            self._commit(old, text)

    def focusOutEvent(self, event) -> None:
        self.flush()
        super().focusOutEvent(event)


_CHECKED_ROLE = Qt.ItemDataRole.UserRole + 1  # the check mark last reported


_NO_ICON = QIcon()


class LinkList(QListWidget):
    """Checkable rows (claims of a source, or sources of a claim); toggling reports (id, on)."""

    toggled = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._loading = False
        # What set_items last showed, row by row (id, text, checked, tip, icon key); None once
        # the editor toggled a row, so that the next set_items writes every row it must.
        self._shown: list[tuple[int, str, bool, str, int]] | None = None
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.itemChanged.connect(self._changed)

    def set_items(
        self,
        rows: list[tuple[int, str, bool]],
        tips: dict[int, str] | None = None,
        icons: dict[int, QIcon] | None = None,
    ) -> None:
        tips, icons = tips or {}, icons or {}
        shown = [
            (
                item_id,
                label,
                checked,
                tips.get(item_id, ""),
                icons.get(item_id, _NO_ICON).cacheKey(),
            )
            for item_id, label, checked in rows
        ]
        if shown == self._shown:
            return  # the next claim's list of the same sources, linked alike: ~1,000 calls saved
        before, self._shown = self._shown, shown
        self._loading = True
        # No itemChanged while filling: each new row would report five times (~20 ms for
        # 200 rows); what the editor toggles is reported by _changed afterwards as before.
        blocked = self.blockSignals(True)
        try:
            # The rows shown last, in the same order (the next claim's list of the same
            # sources, one or two linked otherwise): only the rows that differ are touched,
            # since asking 200 items for their text, check, tip and icon costs ~1 ms a step.
            same_rows = (
                before is not None
                and len(before) == len(shown)
                and all(a[0] == b[0] for a, b in zip(before, shown, strict=True))
                and self.count() == len(shown)
            )
            if not same_rows:
                self._match_rows([item_id for item_id, _, _ in rows])
            # The same rows (the next claim's list of the same sources, or one more or one
            # fewer) are updated in place, only where they differ: refilling 200 rows took
            # ~10 ms on every step.
            for row, (item_id, label, checked) in enumerate(rows):
                if same_rows and before is not None and before[row] == shown[row]:
                    continue
                item = self.item(row)
                if item.data(Qt.ItemDataRole.UserRole) != item_id:
                    item.setData(Qt.ItemDataRole.UserRole, item_id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setData(_CHECKED_ROLE, None)
                if item.text() != label:
                    item.setText(label)
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                if item.data(_CHECKED_ROLE) is None or item.checkState() != state:
                    item.setCheckState(state)
                    item.setData(_CHECKED_ROLE, checked)
                tip = tips.get(item_id, "")
                if item.toolTip() != tip:
                    item.setToolTip(tip)
                icon = icons.get(item_id, _NO_ICON)
                if item.icon().cacheKey() != icon.cacheKey():
                    item.setIcon(icon)
        finally:
            self.blockSignals(blocked)
            self._loading = False

    def _match_rows(self, ids: list[int]) -> None:
        """Make the list as long as ids: one row inserted or taken where a single id came or
        went (the rest keep their items), else rows added or dropped at the end (set_items
        then rewrites the rows whose id differs)."""
        have = [self.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.count())]
        if have == ids:
            return
        if len(ids) == len(have) + 1:
            at = next(
                (i for i, (a, b) in enumerate(zip(have, ids, strict=False)) if a != b), len(have)
            )
            if have[at:] == ids[at + 1 :]:
                self.insertItem(at, QListWidgetItem())
                return
        if len(have) == len(ids) + 1:
            at = next(
                (i for i, (a, b) in enumerate(zip(have, ids, strict=False)) if a != b), len(ids)
            )
            if have[at + 1 :] == ids[at:]:
                self.takeItem(at)
                return
        while self.count() > len(ids):
            self.takeItem(self.count() - 1)
        while self.count() < len(ids):
            self.addItem(QListWidgetItem())

    def item_for(self, item_id: int) -> QListWidgetItem | None:
        shown = self._shown
        if shown is not None and len(shown) == self.count():
            # The rows as set_items left them: looked up here, not asked of every item.
            row = next((i for i, entry in enumerate(shown) if entry[0] == item_id), -1)
            return self.item(row) if row >= 0 else None
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == item_id:
                return item
        return None

    def _changed(self, item: QListWidgetItem) -> None:
        # itemChanged also fires for a new text or icon: report only a changed check mark.
        on = item.checkState() == Qt.CheckState.Checked
        if not self._loading:
            self._shown = None
        if not self._loading and item.data(_CHECKED_ROLE) != on:
            item.setData(_CHECKED_ROLE, on)
            self.toggled.emit(int(item.data(Qt.ItemDataRole.UserRole)), on)


NOT_LINKED = ""  # the stance combo's choice that removes the link
_STANCE_ICONS: dict[str, QIcon] = {}


def _stance_icon(stance: str) -> QIcon:
    if stance not in _STANCE_ICONS:  # made once a QGuiApplication exists, then reused
        _STANCE_ICONS[stance] = colour_icon(STANCE_COLOURS[stance])
    return _STANCE_ICONS[stance]


class LinkEditor(QWidget):
    """The links of one claim or source with their stances: a list of the other side's items
    (checked = linked, the row's wording says the stance) and, under it, a combo that sets the
    stance of the current row's link ("Supports claim 4", "Refutes claim 4", "Context for claim
    4", "Not linked"). Space toggles a row; Tab reaches the combo, whose arrow keys choose.

    ``row_text(subject, stance)`` words a row (stance "" when not linked); ``claim_for(item_id)``
    names the claim of that row's link for the combo ("claim 4"). ``changed`` reports
    (item id, old stance, new stance), "" meaning not linked.
    """

    changed = Signal(int, str, str)

    def __init__(
        self,
        row_text: Callable[[str, str], str],
        claim_for: Callable[[int], str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._row_text, self._claim_for = row_text, claim_for
        self._rows: dict[int, tuple[str, str]] = {}  # item id -> (subject, stance or "")
        self.list = LinkList(self)
        self.stance = ChoiceCombo(
            {**{k: f"{label} …" for k, label in STANCES.items()}, NOT_LINKED: "Not linked"},
            STANCE_COLOURS,
            self,
        )
        self.stance.setObjectName("linkStance")
        describe(
            self.stance,
            "Stance",
            "What the selected source says about the claim: supports it, refutes it, or gives "
            "context; Not linked removes the link",
        )
        self.stance.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.stance, 0, Qt.AlignmentFlag.AlignLeft)
        self.setFocusProxy(self.list)
        QWidget.setTabOrder(self.list, self.stance)
        self.list.toggled.connect(self._toggled)
        self.list.currentItemChanged.connect(lambda *_: self._show_stance())
        self.stance.chosen.connect(self._chosen)
        self._show_stance()

    def set_items(
        self, rows: list[tuple[int, str, str]], tips: dict[int, str] | None = None
    ) -> None:
        """rows: (item id, subject, stance or "" when not linked); keeps the current row."""
        current = self.current_id()
        self._rows = {item_id: (subject, stance) for item_id, subject, stance in rows}
        self.list.set_items(
            [
                (item_id, self._row_text(subject, stance), bool(stance))
                for item_id, subject, stance in rows
            ],
            tips,
            {item_id: _stance_icon(stance) for item_id, _, stance in rows if stance},
        )
        item = self.list.item_for(current) if current is not None else None
        if item is not None:
            self.list.setCurrentItem(item)
        self._show_stance()

    def item_for(self, item_id: int) -> QListWidgetItem | None:
        return self.list.item_for(item_id)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def stance_of(self, item_id: int) -> str:
        return self._rows.get(item_id, ("", NOT_LINKED))[1]

    def choose(self, item_id: int, stance: str) -> None:
        """Set the stance of item_id's link as the editor would ("" unlinks)."""
        old = self.stance_of(item_id)
        if stance != old:
            self.changed.emit(item_id, old, stance)

    def _toggled(self, item_id: int, on: bool) -> None:
        self.choose(item_id, Stance.SUPPORTS if on else NOT_LINKED)

    def _chosen(self, stance: str) -> None:
        item_id = self.current_id()
        if item_id is not None:
            self.choose(item_id, stance)

    def _show_stance(self) -> None:
        """The combo follows the current row: its claim in the wording, its link's stance."""
        item_id = self.current_id()
        self.stance.setEnabled(item_id is not None and self.list.isEnabled())
        claim = self._claim_for(item_id) if item_id is not None else "the claim"
        for index in range(self.stance.count()):
            key = str(self.stance.itemData(index))
            label = f"{STANCES[key]} {claim}" if key in STANCES else "Not linked"
            self.stance.setItemText(index, label)
        self.stance.set_key(self.stance_of(item_id) if item_id is not None else NOT_LINKED)

    def set_editable(self, editable: bool) -> None:
        self.list.setEnabled(editable)
        self._show_stance()


class ChoiceCombo(QComboBox):
    """A combo over (key, label) pairs that reports the chosen key, not while loading."""

    chosen = Signal(str)

    def __init__(
        self,
        choices: dict[str, str],
        colours: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        for key, label in choices.items():
            if colours and key in colours:
                self.addItem(colour_icon(colours[key]), label, key)
            else:
                self.addItem(label, key)
        self._loading = False
        self.activated.connect(lambda i: self.chosen.emit(str(self.itemData(i))))
        keep_alt_down(self)

    def key(self) -> str:
        return str(self.currentData())

    def set_key(self, key: str) -> None:
        index = self.findData(key)
        self.setCurrentIndex(max(index, 0))


class Badge(QLabel):
    """A rounded status pill; screen readers hear "<what>: <text>" (what: e.g. Review status)."""

    what = "Status"

    def set_status(self, text: str, background: str, foreground: str = "#1d1f23") -> None:
        self.setText(text)
        self.setAccessibleName(f"{self.what}: {text}")
        sheet = (
            f"QLabel {{ background: {background}; color: {foreground}; border-radius: 9px;"
            " padding: 2px 10px; font-weight: 600; }"
        )
        # Set only when it differs: setting a style sheet re-polishes the badge and lays out
        # the column around it again, and the header shows the status after every edit.
        if self.styleSheet() != sheet:
            self.setStyleSheet(sheet)


class PaneTabs(QTabWidget):
    """A tab widget that repaints its pages only when they need it.

    QTabWidget answers every layout request from inside a page (a label in the claim's
    detail grew a line, a combo's widest item changed) by placing its tab bar and pages again
    and repainting the whole of itself: every field of the claim detail and the claims list,
    on every step to the next claim. The pages' places depend only on the tab widget's size
    (a resize places them anew) and on the tab bar's size, so a request that leaves the bar
    as it was is passed up (the column may need a new minimum size) and not acted on here."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._bar_hints: tuple[QSize, QSize] | None = None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            bar = self.tabBar()
            hints = (bar.sizeHint(), bar.minimumSizeHint())
            if hints == self._bar_hints:
                self.updateGeometry()
                return True
            self._bar_hints = hints
        return super().event(event)


def follow_action(button: QAbstractButton, action: QAction) -> None:
    """A button that does what action does and is enabled exactly when it is, so a button can
    never look ready for what its action refuses (a signed-off review's Delete Claim, say)."""
    button.setEnabled(action.isEnabled())
    action.enabledChanged.connect(button.setEnabled)
    button.clicked.connect(action.trigger)


def lock_text(field: QLineEdit | QPlainTextEdit, locked: bool) -> None:
    """Read-only that shows: a locked field takes the window's background (style.py), and its
    placeholder, which invites typing, is put away until the field is unlocked."""
    if locked:
        if field.placeholderText():
            field.setProperty("invitation", field.placeholderText())
            field.setPlaceholderText("")
    elif field.isReadOnly():
        field.setPlaceholderText(str(field.property("invitation") or field.placeholderText()))
    if field.isReadOnly() != locked:
        field.setReadOnly(locked)  # not again: it repaints the field on every claim shown
    if field.property("locked") != locked:
        field.setProperty("locked", locked)
        field.style().unpolish(field)  # the style sheet reads the property at polish time
        field.style().polish(field)


MIN_LIST_ROWS = 6  # a list shorter than this hides where the editor is in it


def keep_rows(view: QAbstractItemView, rows: int = MIN_LIST_ROWS) -> None:
    """Give view the height of its header and rows rows, so no splitter or small window can
    squeeze it below that (the window grows its minimum instead)."""
    model = view.model()
    if (
        isinstance(view, QTableView)
        and view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    ):
        # Rows of a fixed height: no need to ask the model for a row's cells and measure them
        # (~0.7 ms, on every claim added or deleted).
        row = view.verticalHeader().defaultSectionSize()
    else:
        row = view.sizeHintForRow(0) if model is not None and model.rowCount() else -1
    if row <= 0:
        row = view.fontMetrics().height() + 8
    header = 0
    if isinstance(view, QTreeView) and not view.isHeaderHidden():
        header = view.header().sizeHint().height()
    elif isinstance(view, QTableView) and not view.horizontalHeader().isHidden():
        header = view.horizontalHeader().sizeHint().height()
    view.setMinimumHeight(header + rows * row + 2 * view.frameWidth() + 2)


def browse_for_draft(parent: QWidget, title: str, field: QLineEdit) -> QFileDialog:
    """Open a non-modal file chooser for a draft, starting at field's path; the chosen file's
    path goes into field. The caller keeps the dialog (tests drive it)."""
    from pathlib import Path

    from reviewapp.ingest.settings import file_dialog_filter

    start = field.text().strip() or str(Path.home())
    dialog = QFileDialog(parent, title, start, file_dialog_filter())
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.fileSelected.connect(field.setText)
    dialog.open()
    return dialog
