"""The library: search (full-text index), status filter, and the reviews, newest change first."""

from __future__ import annotations

import logging
from typing import NamedTuple

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.errors import ReviewAppError
from reviewapp.core.scales import REVIEW_STATUSES
from reviewapp.core.states import ReviewStatus
from reviewapp.core.summary import ReviewSummary
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.elide import elide_right
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE, STATUS_ROLE, SUBTITLE_ROLE
from reviewapp.ui.models.library import FirstBatch, LibraryModel, first_batch
from reviewapp.ui.qt_ints import (
    ACTIONS_CONTEXT_MENU,
    ALIGN_CENTER,
    ALIGN_LEFT,
    ALIGN_V_CENTER,
    SCROLL_BAR_ALWAYS_OFF,
)
from reviewapp.ui.reading import Latest
from reviewapp.ui.rowlist import RowList
from reviewapp.ui.scale_style import REVIEW_STATUS_COLOURS
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.widget_basics import describe, keep_alt_down

log = logging.getLogger(__name__)
SEARCH_PAUSE_MS = 250
# A page of the list still on its way after this long is said to be loading (a page usually
# comes in ~10 ms: a flash of "Loading" on every page would only flicker).
LOADING_SHOWN_MS = 150
# Moving through the list with the keys (an arrow held, Ctrl+End page after page) opens the
# review the selection rests on, this long after it stopped: a review read per row passed runs
# Python on the reader thread, and the GUI thread waits for Python's lock while it scrolls.
# A click or Return opens at once.
OPEN_AFTER_MS = 120
Index = QModelIndex | QPersistentModelIndex
# Qt's enum members looked up once: each look-up is a Python call, and a screenful of rows is
# drawn on every scroll. The rows are drawn before the window's first paint, so without the
# name Qt (qt_ints), nor any call that takes a QColor or a QPen: PySide6 tries Qt.GlobalColor
# and Qt.PenStyle for those, which builds every enum of Qt's namespace (~15 ms).
_LEFT_MIDDLE = ALIGN_LEFT | ALIGN_V_CENTER
_ITEM = QStyle.ControlElement.CE_ItemViewItem
_SELECTED = QStyle.StateFlag.State_Selected
_HIGHLIGHTED_TEXT, _TEXT = QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Text
_DOT = QPalette.ColorRole.Window  # the colour role that carries the status dot's colour
_ANTIALIASING = QPainter.RenderHint.Antialiasing


def wrap_in_two_lines(
    metrics: QFontMetrics, exact: QFontMetricsF, text: str, width: int
) -> list[str]:
    """Fill the first line word by word; the rest goes on a second line, elided if too long
    (exact: the same font's metrics in fractions of a pixel, which eliding needs)."""
    first = ""
    for word in text.split():
        candidate = f"{first} {word}" if first else word
        if metrics.horizontalAdvance(candidate) > width:
            break
        first = candidate
    if not first:  # one word wider than the row
        return [elide_right(exact, text, width)]
    rest = text[text.index(first.split()[-1]) + len(first.split()[-1]) :].strip()
    if not rest:
        return [first]
    return [first, elide_right(exact, rest, width)]


class _Fonts(NamedTuple):
    """The title's font and the details' (smaller), with their metrics (whole pixels to lay
    out, fractions to elide)."""

    title: QFont
    title_metrics: QFontMetrics
    title_exact: QFontMetricsF
    small: QFont
    small_exact: QFontMetricsF


class ReviewDelegate(QStyledItemDelegate):
    """A review in the library: its title on up to two lines, then site · status · claims."""

    PAD = 10

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, self.row_height(option.font))

    @classmethod
    def row_height(cls, font: QFont) -> int:
        """Two lines of title and one of details, padded."""
        return QFontMetrics(font).height() * 3 + cls.PAD * 2 + 6

    def __init__(self, parent=None):
        super().__init__(parent)
        # Title lines by (title, width, font): rows are repainted often (on every scroll) and
        # wrapping measures the title word by word.
        self._lines: dict[tuple[str, int, int, float], list[str]] = {}
        # The details line as elided, likewise (eliding measures a long line a few times).
        self._details: dict[tuple[str, int, str], str] = {}
        self._fonts_by_key: dict[str, _Fonts] = {}
        # The text's and the dot's colours, handed to Qt in a palette: a QColor handed to the
        # painter (setPen, setBrush) would build Qt's enums (see _LEFT_MIDDLE).
        self._colours = QPalette()

    def _wrapped(self, fonts: _Fonts, title: str, width: int) -> list[str]:
        key = (title, width, fonts.title_metrics.height(), fonts.title.pointSizeF())
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) > 2000:
                self._lines.clear()
            lines = self._lines[key] = wrap_in_two_lines(
                fonts.title_metrics, fonts.title_exact, title, width
            )
        return lines

    def _elided_details(self, fonts: _Fonts, text: str, width: int) -> str:
        key = (text, width, fonts.small.key())
        elided = self._details.get(key)
        if elided is None:
            if len(self._details) > 2000:
                self._details.clear()
            elided = self._details[key] = elide_right(fonts.small_exact, text, width)
        return elided

    def _fonts(self, font: QFont) -> _Fonts:
        """The fonts for the list's font: made once, not for every row drawn (a screenful is
        drawn on every scroll)."""
        key = font.key()
        fonts = self._fonts_by_key.get(key)
        if fonts is None:
            title = QFont(font)
            title.setWeight(QFont.Weight.DemiBold)
            small = QFont(font)
            small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
            fonts = self._fonts_by_key[key] = _Fonts(
                title, QFontMetrics(title), QFontMetricsF(title), small, QFontMetricsF(small)
            )
        return fonts

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        # The row's background and selection only: the text is drawn below. (No
        # initStyleOption: it would ask the model for every role of the row, for nothing.)
        opt = QStyleOptionViewItem(option)
        opt.text = ""
        style.drawControl(_ITEM, opt, painter, widget)
        selected = bool(option.state & _SELECTED)
        colours = self._colours
        text_colour = option.palette.color(_HIGHLIGHTED_TEXT if selected else _TEXT)
        rect = option.rect.adjusted(self.PAD + 14, self.PAD, -self.PAD, -self.PAD)
        status = index.data(STATUS_ROLE) or ReviewStatus.DRAFT
        dot = QPainterPath()
        dot.addEllipse(QRectF(option.rect.left() + self.PAD, rect.top() + 5, 8, 8))
        painter.setRenderHint(_ANTIALIASING)
        colours.setColor(_DOT, QColor(REVIEW_STATUS_COLOURS.get(status, "#dfe3e8")).darker(115))
        painter.fillPath(dot, colours.brush(_DOT))
        fonts = self._fonts(option.font)
        line_height = fonts.title_metrics.height()
        painter.setFont(fonts.title)
        colours.setColor(_TEXT, text_colour)
        top = rect.top()
        title = str(index.data() or "(untitled)")
        for line in self._wrapped(fonts, title, rect.width()):
            line_rect = QRect(rect.left(), top, rect.width(), line_height)
            style.drawItemText(painter, line_rect, _LEFT_MIDDLE, colours, True, line, _TEXT)
            top += line_height
        painter.setFont(fonts.small)
        text_colour.setAlphaF(0.68)  # the details, muted
        colours.setColor(_TEXT, text_colour)
        subtitle = self._elided_details(fonts, str(index.data(SUBTITLE_ROLE)), rect.width())
        line_rect = QRect(rect.left(), top + 4, rect.width(), line_height)
        style.drawItemText(painter, line_rect, _LEFT_MIDDLE, colours, True, subtitle, _TEXT)
        painter.restore()


class LibraryPane(QWidget):
    """Selecting a row opens its review; ``sampleRequested`` asks for the bundled draft.

    ``reviewSelected`` (the row's ReviewSummary) comes at once, before the review opens: with
    the keys the review opens once the selection rests (OPEN_AFTER_MS)."""

    sampleRequested = Signal()
    reviewSelected = Signal(object)

    def __init__(self, session: ReviewSession, actions: ActionSet, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("libraryPane")
        describe(self, "Library", "Your reviews, with a search box and a status filter")
        self.session = session
        self.model = LibraryModel(session.store, self, session.reader)
        self.search = QLineEdit(self)
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search reviews")
        self.search.setClearButtonEnabled(True)
        describe(
            self.search,
            "Search reviews",
            "Finds words in the articles, claims, sources and takeaways of every review (Ctrl+L)",
        )
        self.status = QComboBox(self)
        self.status.setObjectName("libraryStatus")
        keep_alt_down(self.status)
        describe(self.status, "Status filter", "Show only the reviews in this status")
        self.status.addItem("All statuses", "")
        for key, label in REVIEW_STATUSES.items():
            self.status.addItem(label, key)
        self.problem = QLabel(self)
        self.problem.setObjectName("warning")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.list = RowList(self)
        self.list.setObjectName("libraryList")
        describe(
            self.list,
            "Reviews",
            "Newest change first; a click or Return opens a review, the arrow keys the one they "
            "stop on. Delete moves it to the bin.",
        )
        self.list.setModel(self.model)
        self.list.setItemDelegate(ReviewDelegate(self.list))
        self.list.set_row_height(ReviewDelegate.row_height(self.list.font()))
        # Rows elide to the list's width; a sideways scroll bar would only hide the last row.
        # (An int property, not setHorizontalScrollBarPolicy(Qt...): see _LEFT_MIDDLE.)
        self.list.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.addActions(actions.scoped("library"))
        self.list.addAction(actions["file.open_original"])
        self.list.addAction(actions["file.export"])
        self.list.setProperty("contextMenuPolicy", ACTIONS_CONTEXT_MENU)
        self.no_match = QLabel("No review matches.", self)
        self.no_match.setObjectName("placeholder")
        self.no_match.setProperty("alignment", ALIGN_CENTER)
        self.no_match.hide()
        self.loading = QLabel("Loading more reviews…", self)
        self.loading.setObjectName("muted")
        self.loading.setProperty("alignment", ALIGN_CENTER)
        self.loading.hide()
        self._loading_timer = QTimer(self)
        self._loading_timer.setSingleShot(True)
        self._loading_timer.setInterval(LOADING_SHOWN_MS)
        self._loading_timer.timeout.connect(self.loading.show)

        # The first run's page: an empty library offers the sample draft. Filled when first
        # shown (_fill_empty_page): a library with reviews never shows it, and its widgets were
        # ~2 ms of the window's first paint.
        self._actions = actions
        self._empty = QWidget(self)
        self._empty.setObjectName("emptyLibrary")
        self.sample_button: QPushButton | None = None

        listing = QWidget(self)
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addWidget(self.list, 1)
        listing_layout.addWidget(self.no_match, 1)
        listing_layout.addWidget(self.loading)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._empty)
        self.stack.addWidget(listing)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 0)
        layout.setSpacing(8)
        layout.addWidget(self.search)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addWidget(self.stack, 1)

        self._searches = Latest()
        self._filled = False  # the list was filled once (the first fill is read at once)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(lambda _: self.apply_filter())
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(OPEN_AFTER_MS)
        self._open_timer.timeout.connect(self.open_selected)
        self.list.selectionModel().currentRowChanged.connect(self._row_changed)
        # A press comes after the row it selected (currentRowChanged), Return with it current.
        self.list.pressed.connect(lambda _: self.open_selected())
        self.list.activated.connect(lambda _: self.open_selected())
        actions["edit.search_library"].triggered.connect(self.focus_search)
        session.libraryChanged.connect(self.apply_filter)
        session.summaryChanged.connect(self.model.update_summary)
        self.model.loadingChanged.connect(self._loading_changed)
        self.model.pageFailed.connect(self._page_failed)
        session.reviewOpened.connect(self._review_opened)
        self.apply_filter()

    def _fill_empty_page(self) -> None:
        """The page an empty library shows: what to do first, and the sample draft."""
        if self.sample_button is not None:
            return  # filled once
        empty, actions = self._empty, self._actions
        heading = QLabel("Your library is empty", empty)
        heading.setObjectName("emptyHeading")
        heading.setProperty("alignment", ALIGN_CENTER)
        heading.setWordWrap(True)
        text = QLabel(
            "Import an AI-assisted draft to review it claim by claim: from a web address, "
            "a file (HTML, text, Markdown, Word), or the clipboard. Or start with our sample.",
            empty,
        )
        text.setWordWrap(True)
        text.setProperty("alignment", ALIGN_CENTER)
        text.setObjectName("muted")
        sample = self.sample_button = QPushButton("Open the sample draft", empty)
        sample.setObjectName("primary")
        sample.clicked.connect(self.sampleRequested)
        import_file = QPushButton("Import a File…", empty)
        import_file.clicked.connect(actions["file.import_file"].trigger)
        import_url = QPushButton("Import from URL…", empty)
        import_url.clicked.connect(actions["file.import_url"].trigger)
        for button, action_id in (
            (sample, "file.sample"),
            (import_file, "file.import_file"),
            (import_url, "file.import_url"),
        ):
            describe(button, button.text().rstrip("…"), actions[action_id].toolTip())
        empty_layout = QVBoxLayout(empty)
        empty_layout.setContentsMargins(8, 18, 8, 18)
        empty_layout.setSpacing(10)
        empty_layout.addStretch(1)
        empty_layout.addWidget(heading)
        empty_layout.addWidget(text)
        empty_layout.addSpacing(6)
        for button in (sample, import_file, import_url):
            empty_layout.addWidget(button)
        empty_layout.addStretch(2)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_filter(self) -> None:
        """Re-read the list with the current search text and status filter.

        Searching runs on the session's reader thread when it has one (a full-text search of
        10,000 reviews takes ~10 ms): the list changes when the answer arrives, and an answer
        to a search typed over since is dropped. The first fill (the window opening) is read
        here: the window's first paint shows it."""
        self._search_timer.stop()
        typed = self.search.text().strip()
        query = typed if any(ch.isalnum() for ch in typed) else ""
        status = str(self.status.currentData() or "")
        filtered = bool(typed or status)
        ticket = self._searches.ticket()
        reader = self.session.reader
        if reader is None or reader.synchronous or not self._filled:
            try:
                batch = first_batch(self.session.store, query, status)
            except ReviewAppError as exc:
                self._search_failed(ticket, exc)
                return
            self._search_arrived(ticket, batch, filtered)
            return
        reader.read(
            lambda store: first_batch(store, query, status),
            lambda batch: self._search_arrived(ticket, batch, filtered),
            lambda exc: self._search_failed(ticket, exc),
        )

    def _loading_changed(self, loading: bool) -> None:
        """Say "Loading" only when a page keeps the list waiting (see LOADING_SHOWN_MS)."""
        if loading:
            self._loading_timer.start()
        else:
            self._loading_timer.stop()
            self.loading.hide()

    def _page_failed(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def _search_failed(self, ticket: int, exc: BaseException) -> None:
        if not self._searches.is_newest(ticket):
            return
        if not isinstance(exc, ReviewAppError):
            log.error("library search failed", exc_info=exc)
        self.problem.setText(str(exc))
        self.problem.show()

    def _search_arrived(self, ticket: int, batch: FirstBatch, filtered: bool) -> None:
        if not self._searches.is_newest(ticket):
            return  # typed over since: a newer search is on its way
        self._filled = True
        self._open_timer.stop()  # the row it would open is gone with the old rows
        # The selection goes quietly before the reset (_follow_session puts it back): the
        # table took ~90 ms to drop a current row 100,000 rows down through the reset.
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        selection.clear()
        selection.blockSignals(False)
        # To the top first: a list scrolled to its end would, once reset, still be at the end
        # of the new rows and read a second page at once (~50 ms of full-text search).
        self.list.scrollToTop()
        self.model.show_first(batch)
        self.problem.hide()
        empty = self.model.rowCount() == 0  # the first batch is loaded: no count needed
        if empty and not filtered:
            self._fill_empty_page()
        self.stack.setCurrentIndex(0 if empty and not filtered else 1)
        self.no_match.setVisible(filtered and empty)
        self.list.setVisible(not self.no_match.isVisible())
        self._follow_session()

    def _review_opened(self) -> None:
        # A review asked for earlier that arrives while the keys move the selection on does
        # not pull the selection back: the row the keys rest on opens next.
        if not self._open_timer.isActive():
            self._follow_session()

    def _follow_session(self) -> None:
        """Keep the open review selected in the list (without reopening it)."""
        review_id = self.session.review_id
        selection = self.list.selectionModel()
        before = [QPersistentModelIndex(i) for i in selection.selectedIndexes()]
        selection.blockSignals(True)
        row = self.model.row_of(review_id) if review_id else -1
        if row >= 0:
            index = self.model.index(row)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)
            self.list.update(index)
        else:
            selection.clearSelection()
        selection.blockSignals(False)
        # The view heard nothing (signals blocked): the rows that were and are selected are
        # drawn again, not the whole list (~2 ms of rows on every review opened).
        for old in before:
            if old.isValid():
                self.list.update(self.model.index(old.row()))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Say which review is selected at once; open it once the selection rests."""
        if not current.isValid():
            self._open_timer.stop()
            return
        self.reviewSelected.emit(current.data(RECORD_ROLE))
        self._open_timer.start()

    def open_selected(self) -> None:
        """Open the review selected in the list now (a click, Return, or the selection rested)."""
        self._open_timer.stop()
        index = self.list.currentIndex()
        if not index.isValid() or not self.list.selectionModel().isSelected(index):
            return
        review_id = int(index.data(ID_ROLE))
        session = self.session
        if review_id == session.loading_id:
            return  # already on its way (a double click presses twice)
        session.guard(lambda: session.open_review(review_id))

    def current_summary(self) -> ReviewSummary | None:
        """The review selected in the list, else the open one."""
        index = self.list.currentIndex()
        if index.isValid() and self.list.selectionModel().isSelected(index):
            return index.data(RECORD_ROLE)
        return self.session.summary()
