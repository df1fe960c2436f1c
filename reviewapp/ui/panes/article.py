"""The article view: the draft laid out for reading, each claim highlighted in its colour.

The document holds exactly the canonical text (blocks joined by blank lines), so a Qt position
is the canonical offset in UTF-16 units; ``Utf16Map`` converts to the store's code points.
Nothing is ever rendered from the imported HTML: no image, style sheet or script can load.
"""

from __future__ import annotations

import bisect
import operator
import sys
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.model import Claim, Revision
from reviewapp.core.text import Utf16Map, utf16_map
from reviewapp.ui.actions import SPECS, ActionSet, shortcut_text
from reviewapp.ui.highlights import (
    Placement,
    SelectionCache,
    build_selections,
    claim_spans,
    disclosure_format,
    flash_format,
    mark_selections,
    place_claims,
    span_selection,
)
from reviewapp.ui.models.library import short_date
from reviewapp.ui.release import Releaser
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.suggestions import (
    CLAIMED,
    DISMISSED,
    OPEN,
    AcceptSuggestion,
    DismissSuggestion,
    SuggestionTracker,
)
from reviewapp.ui.widgets import describe

# Up to this many claims (or suggestion marks) every highlight is set at once; beyond, only
# those near the viewport.
ALL_HIGHLIGHTS_UP_TO = 300
# From this long a text (characters) too: setExtraSelections measures every selection, and
# 300 spread over a 1,000,000-word article took ~0.55 s a call (the layout of all of it).
ALL_HIGHLIGHTS_TEXT_UP_TO = 400_000
VISIBLE_MARGIN = 8000  # UTF-16 units either side of the viewport's centre that keep highlights
# A long text is shown in parts (UTF-16 units): the first with the first frame (a few
# screens), then one part per turn of the event loop, each added and laid out in a few ms.
FIRST_PART = 8_000
PART = 2_500
FEED_BUDGET = 0.003  # seconds of adding parts per turn of the event loop
FEED_FALLBACK_MS = 100  # the parts start without a paint after this long (a hidden view)
READING_WIDTH = 720  # px: about 75 characters of body text, a comfortable line length
MIN_MEASURE = 35  # characters: below this a line of text breaks words and reads badly
SIDE_MARGIN = 28  # px each side of the text at the narrowest
READING_FONTS = ["Charter", "Georgia", "Source Serif 4", "Noto Serif", "DejaVu Serif", "serif"]
# What a suggested sentence shows: its mark while open, a faint one once dismissed, none once
# a claim covers it (the claim's highlight says it all).
MARK_OPEN, MARK_DISMISSED, MARK_NONE = 0, 1, 2


class _BeforeRepaint(QObject):
    """Calls due() when the window is about to repaint (its UpdateRequest), before it does.

    Highlights set while the window paints ask for a paint of their own afterwards (a
    second paint of the article each time); set just before, they join the paint."""

    def __init__(self, parent: QObject, due: Callable[[], None]):
        super().__init__(parent)
        self._due = due
        self._window: QWidget | None = None

    def watch(self, window: QWidget) -> None:
        if window is not self._window:
            if self._window is not None and shiboken6.isValid(self._window):
                self._window.removeEventFilter(self)
            self._window = window
            window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            self._due()
        return False


class ArticleText(QTextBrowser):
    """Read-only, selectable text; clicks inside a highlight report the claim."""

    claimClicked = Signal(int)
    fullyShown = Signal()  # the whole text is in the document (a long one arrives in parts)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("articleText")
        describe(
            self,
            "Article text",
            "The draft under review, read-only; claims are highlighted in their status colour. "
            "Select a passage and press Ctrl+Return to pin a claim to it.",
        )
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._font = QFont()
        self._font.setFamilies(READING_FONTS)
        self._font.setPointSizeF(12.5)
        self.document().setDefaultFont(self._font)
        # Never narrower than MIN_MEASURE characters of the reading font, whatever the window.
        self.setMinimumWidth(
            self.measure_px(MIN_MEASURE)
            + 2 * SIDE_MARGIN
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        self.utf16 = Utf16Map("")
        self.text = ""
        self._spans: list[tuple[int, int, int, str]] = []
        self._span_of: dict[int, tuple[int, int, int, str]] = {}  # claim id -> its span
        self._margin = -1
        self._flash_generation = 0
        self._flash_span: tuple[int, int] | None = None
        self._flash_on = False
        self._disclosure: tuple[int, int] | None = None  # UTF-16 span of the writer's disclosure
        self._starts: list[int] = []
        self._longest = 0
        # Suggested sentences: (UTF-16 start, end) in text order, and what each shows.
        self._marks: list[tuple[int, int]] = []
        self._mark_starts: list[int] = []
        self._mark_kinds: list[int] = []
        self.mark_tip: Callable[[int], str] | None = None  # the tooltip of mark i
        self._current = 0
        self._revision: Revision | None = None
        # claims to place next turn, and where they go if that was worked out already
        self._claims_due: tuple[list[Claim], int, Placement | None] | None = None
        self._cuts: list[int] = []  # where the parts still to add end (code points)
        self._block_starts: list[int] = []  # where each block of the revision starts
        self._shown_to = 0
        self._feed = QTimer(self)
        # One part per turn of the event loop; 1 ms rather than 0, so that whatever else is
        # waiting (a key press, a paint) runs between two parts.
        self._feed.setInterval(1)
        self._feed.timeout.connect(self._feed_step)
        # The parts start once the view has painted the new review (its panes and the empty
        # article): a timer started with it fired first, in the turn that paints (~12 ms on
        # the 100,000-word review). A view that does not paint starts them after a while.
        self._feed_after_paint = False
        self._feed_fallback = QTimer(self)
        self._feed_fallback.setSingleShot(True)
        self._feed_fallback.setInterval(FEED_FALLBACK_MS)
        self._feed_fallback.timeout.connect(self._start_feed)
        # Highlights are set once per turn of the event loop, however many changes asked
        # for them in it (adding a claim asked three times: its highlight, the current claim,
        # the flash; ~3 ms each on a review of 2,000 claims). Reading them, or painting,
        # sets them first (extraSelections, paintEvent).
        self._highlights_due = False
        # Set when many claims were just placed: their highlights wait for the timer (the
        # next turn) rather than joining a repaint in this one, which already shows the
        # review that arrived (~8 ms for a review of 10,000 claims, on a turn of ~12).
        self._highlights_next_turn = False
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.setInterval(0)
        self._highlight_timer.timeout.connect(self._apply_highlights)
        self._before_repaint = _BeforeRepaint(self, self._highlights_now)
        self._selections = SelectionCache()  # for the document shown; cleared when it changes
        self._releaser = Releaser(self)  # frees a long text's marks over several turns
        self.verticalScrollBar().valueChanged.connect(lambda _: self._scrolled())
        self.context_actions: list = []

    def measure_px(self, characters: int) -> int:
        """The width of characters average characters of the reading font."""
        return QFontMetrics(self._font).averageCharWidth() * characters

    def measure(self) -> float:
        """How many average characters a line of the text holds now."""
        width = self.viewport().width() - 2 * max(self._margin, SIDE_MARGIN)
        return width / max(1, QFontMetrics(self._font).averageCharWidth())

    def loadResource(self, kind: int, name: QUrl | str):
        """Never fetch anything: the view shows our text, not the page's resources."""
        return None

    # ------------------------------------------------------------------ content
    def show_revision(self, revision: Revision | None) -> None:
        """Lay the revision out for reading (headings bigger, paragraphs spaced).

        A long text arrives in parts, from the next turn of the event loop on: the first
        FIRST_PART units, then the rest PART units per turn (``fullyShown`` when done). Qt
        lays a document out lazily in steps that double up to 200,000 characters (~40 ms
        each on a 100,000-word article); text added in small parts is laid out as it comes,
        a few ms per part."""
        self._feed.stop()
        self._feed_fallback.stop()
        self._feed_after_paint = False
        self._spans, self._starts, self._span_of = [], [], {}
        self._marks, self._mark_starts, self._mark_kinds = [], [], []
        self._claims_due = None
        self._current = -1
        self._flash_span = None
        self._disclosure = None
        self.preview = False  # set by the pane when this text is shown ahead of its review
        self.text = revision.text if revision else ""
        self.utf16 = utf16_map(self.text)
        self._revision = revision
        self._cuts = _cut_points(revision) if revision else []
        self._block_starts = [b.start for b in revision.blocks] if revision else []
        self._shown_to = 0  # code points of the text in the document so far
        # A fresh document each time: setPlainText on the old one would inherit the format
        # at its cursor (a heading's, say) for the whole new text.
        document = QTextDocument(self)
        document.setDefaultFont(self._font)
        document.setUndoRedoEnabled(False)
        # A text of one part is shown at once. A longer one starts empty: the window paints
        # the new review's panes in this turn, and the first part is added, laid out and
        # painted in the next, a turn of its own (together they took ~20 ms on the
        # 100,000-word review: more than a frame).
        first = self._cuts.pop(0) if len(self._cuts) == 1 else 0
        document.setPlainText(self.text[:first])
        if revision is not None and first:
            self._style_blocks(document, revision, 0, first)
        self._shown_to = first
        previous = self.document()
        # Qt frees only a document it made itself; ours (children of this view) would pile up.
        ours = previous.parent() is self
        self.setExtraSelections([])  # their cursors are on the old document, about to go
        self._selections.clear()
        # A text of several parts will need the scroll bar: shown now, on the empty document,
        # rather than when the first part overflows the view, which narrowed the view and
        # laid that part out a second time (~4 ms on the turn that first shows the text).
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOn
            if self._cuts
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self._margin = -1
        self._apply_margins(document)  # before it is shown: laid out once, not twice
        self.setDocument(document)
        if ours:
            previous.deleteLater()  # in a turn of its own: freeing a long text takes time
        self.moveCursor(QTextCursor.MoveOperation.Start)
        if self._cuts:
            self._feed_after_paint = True
            self._feed_fallback.start()
        else:
            self.fullyShown.emit()

    def _start_feed(self) -> None:
        if self._feed_after_paint:
            self._feed_after_paint = False
            self._feed_fallback.stop()
            if self._cuts:  # ensure_shown may have added every part meanwhile
                self._feed.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._before_repaint.watch(self.window())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._highlights_due and not self._highlights_next_turn:
            self._apply_highlights()  # a paint that came before the timer paints them now
        super().paintEvent(event)
        if self._feed_after_paint:
            self._start_feed()

    @property
    def loading(self) -> bool:
        """True while the rest of a long text is still being added."""
        return bool(self._cuts)

    def _shown_units(self) -> int:
        """UTF-16 units of the text in the document so far."""
        return self.utf16.to_utf16(self._shown_to)

    def _add_part(self) -> None:
        """Add the next part of the text at the end of the document."""
        assert self._revision is not None
        end = self._cuts.pop(0)
        document = self.document()
        self._selections.clear()  # a cursor at the end would take in the text added there
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        # One edit block for the text and its formats: laid out once, not twice.
        cursor.beginEditBlock()
        # Plain characters: the format at the end (a heading's, say) must not spread.
        cursor.insertText(self.text[self._shown_to : end], QTextCharFormat())
        self._style_blocks(document, self._revision, self._shown_to, end)
        cursor.endEditBlock()
        self._shown_to = end

    def _feed_step(self) -> None:
        if self._claims_due is not None and self._shown_to > 0:
            self._place_claims(*self._claims_due)  # a turn of their own, after the first part
            return
        before = self._shown_units()
        # Parts until this turn's budget is spent: as much text per turn as the machine
        # lays out in FEED_BUDGET, so fewer turns (and repaints) on a fast one.
        deadline = time.perf_counter() + FEED_BUDGET
        self._add_part()
        while self._cuts and time.perf_counter() < deadline:
            self._add_part()
        if not self._cuts:
            self._feed.stop()
            self._paint_highlights()
            self.fullyShown.emit()
        elif self._near_view(before):
            self._paint_highlights()  # passages the editor may see got their text

    def _windowed(self) -> bool:
        """Whether only the claim highlights near the viewport are set (many claims, or a
        long text)."""
        return len(self._spans) > ALL_HIGHLIGHTS_UP_TO or len(self.text) > ALL_HIGHLIGHTS_TEXT_UP_TO

    def _marks_windowed(self) -> bool:
        """Whether only the suggestion marks near the viewport are set (many, or a long text)."""
        return len(self._marks) > ALL_HIGHLIGHTS_UP_TO or len(self.text) > ALL_HIGHLIGHTS_TEXT_UP_TO

    def _near_view(self, units: int) -> bool:
        """Whether position units is where highlights are painted now."""
        if not (self._windowed() or self._marks_windowed()):
            return True
        return units <= self._centre() + VISIBLE_MARGIN

    def ensure_shown(self, units: int = -1) -> None:
        """Add the text at once up to UTF-16 position units (-1: all of it), e.g. to show a
        claim near the end while the rest is still arriving."""
        if not self._cuts:
            return
        self._settle()
        while self._cuts and (units < 0 or self._shown_units() < units):
            self._add_part()
        if not self._cuts:
            self._feed.stop()
        self._paint_highlights()
        if not self._cuts:
            self.fullyShown.emit()

    def _style_blocks(
        self, document: QTextDocument, revision: Revision, start: int, end: int
    ) -> None:
        """Format the blocks of code points [start, end) of the text, which the document holds."""
        first = 0 if start == 0 else self.utf16.to_utf16(start) + 1  # after the last block
        last = self.utf16.to_utf16(end)
        cursor = QTextCursor(document)
        cursor.beginEditBlock()  # one layout pass for all the formatting below
        body = QTextBlockFormat()
        body.setLineHeight(145, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        cursor.setBlockFormat(body)
        # The blank line between two blocks is the paragraph gap: keep it small.
        gap = QTextCharFormat()
        gap.setFontPointSize(5)
        gap_block = QTextBlockFormat()
        gap_block.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        block = document.findBlock(first)
        while block.isValid() and block.position() <= last:
            if block.length() == 1:
                cursor.setPosition(block.position())
                cursor.setBlockFormat(gap_block)
                cursor.setBlockCharFormat(gap)
            block = block.next()
        blocks = revision.blocks
        first_block = bisect.bisect_left(self._block_starts, start)
        last_block = bisect.bisect_left(self._block_starts, end)
        for part in blocks[first_block:last_block]:  # only this part's: not all, every part
            if part.kind == "paragraph":
                continue
            cursor.setPosition(self.utf16.to_utf16(part.start))
            cursor.setPosition(self.utf16.to_utf16(part.end), QTextCursor.MoveMode.KeepAnchor)
            char, fmt = QTextCharFormat(), QTextBlockFormat()
            if part.kind == "heading":
                level = part.level or 2
                char.setFontWeight(QFont.Weight.Bold)
                char.setFontPointSize({1: 20, 2: 17, 3: 15}.get(level, 14))
                fmt.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
                fmt.setTopMargin(6)
            elif part.kind == "quote":
                char.setFontItalic(True)
                fmt.setLeftMargin(28)
            elif part.kind == "list-item":
                fmt.setLeftMargin(18)
                fmt.setMarker(QTextBlockFormat.MarkerType.NoMarker)
            cursor.mergeCharFormat(char)
            cursor.mergeBlockFormat(fmt)
        cursor.endEditBlock()

    def _apply_margins(self, document: QTextDocument | None = None) -> None:
        # Centre a reading column; only re-layout when the margin actually changes.
        margin = max(SIDE_MARGIN, (self.viewport().width() - READING_WIDTH) // 2)
        if abs(margin - self._margin) < 4:
            return
        self._margin = margin
        frame = (document or self.document()).rootFrame()
        fmt = frame.frameFormat()
        fmt.setLeftMargin(margin)
        fmt.setRightMargin(margin)
        fmt.setTopMargin(12)
        fmt.setBottomMargin(48)
        frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_margins()
        self._scrolled()

    # ------------------------------------------------------------------ highlights
    def set_claims(self, claims, current_id: int = 0, placed: Placement | None = None) -> None:
        """Highlight these claims (placed: where they go on this text, if worked out already).
        While a long text is still arriving they are placed with its next part, in a turn of
        their own (the first part paints first)."""
        if self._cuts:
            self._claims_due = (list(claims), current_id, placed)
            return
        self._place_claims(claims, current_id, placed)

    def _place_claims(self, claims, current_id: int, placed: Placement | None = None) -> None:
        self._claims_due = None
        if placed is None:
            placed = place_claims(claims, self.utf16, len(self.text))
        # copies: the view changes its own as claims come and go
        self._spans = list(placed.spans)
        self._span_of = dict(placed.span_of)
        self._starts = list(placed.starts)
        self._longest = placed.longest
        self._current = -1
        self.set_current(current_id)
        if self._windowed():
            self._highlights_next_turn = True  # the timer set_current started sets them

    def _settle(self) -> None:
        """Place claims still due before anything reads or changes the highlights."""
        if self._claims_due is not None:
            self._place_claims(*self._claims_due)

    def update_claim(self, claim: Claim) -> None:
        """One claim's status may have changed: recolour its highlight, nothing else."""
        self._settle()
        span = self._span_of.get(claim.id)
        if span is None or span[3] == claim.status:
            return
        new = (span[0], span[1], span[2], claim.status)
        self._spans[bisect.bisect_left(self._spans, span)] = new
        self._span_of[claim.id] = new
        self._paint_highlights()

    def add_claim(self, claim: Claim) -> None:
        """One claim came: add its highlight in text order, nothing else."""
        self._settle()
        for span in claim_spans([claim], self.utf16, len(self.text)):
            i = bisect.bisect_left(self._spans, span)
            self._spans.insert(i, span)
            self._starts.insert(i, span[0])
            self._span_of[claim.id] = span
            self._longest = max(self._longest, span[1] - span[0])
            self._paint_highlights()

    def remove_claim(self, claim_id: int) -> None:
        """One claim went: drop its highlight. _longest stays as it was: it only widens the
        window _visible_spans looks in, which stays right."""
        self._settle()
        span = self._span_of.pop(claim_id, None)
        if span is not None:
            i = bisect.bisect_left(self._spans, span)
            del self._spans[i]
            del self._starts[i]
            self._paint_highlights()

    def set_current(self, current_id: int) -> None:
        if self._claims_due is not None:
            self._claims_due = (self._claims_due[0], current_id, self._claims_due[2])
            return
        if current_id == self._current:
            return  # e.g. the "no claim selected" that follows opening a review
        self._current = current_id
        self._flash_span = None
        self._paint_highlights()

    def _visible_spans(self) -> list[tuple[int, int, int, str]]:
        """The claims on screen (with a margin), or all of them for a short article.

        setExtraSelections measures every selection it is given, which lays out the text
        under it: with thousands of claims that is the whole document. Giving it only the
        passages near the viewport keeps opening and scrolling a long article fast.
        """
        shown = self._shown_units() if self._cuts else None  # None: the whole text
        if not self._windowed():
            if shown is None:
                return self._spans
            return [span for span in self._spans if span[1] <= shown]
        centre = self._centre()
        top = centre - VISIBLE_MARGIN
        bottom = centre + VISIBLE_MARGIN
        first = bisect.bisect_left(self._starts, top - self._longest)
        last = bisect.bisect_right(self._starts, bottom)
        spans = [span for span in self._spans[first:last] if span[1] >= top]
        span = self._span_of.get(self._current)
        current = [span] if span is not None and span not in spans else []
        if shown is None:
            return spans + current
        return [span for span in spans + current if span[1] <= shown]

    def _centre(self) -> int:
        """The text position at the centre of the viewport."""
        # The centre of the viewport is always inside laid-out text (its edges may fall in a
        # margin, where hit tests are unreliable); a screenful is well under the margin.
        viewport = self.viewport()
        centre = self.cursorForPosition(QPoint(viewport.width() // 2, viewport.height() // 2))
        return centre.position()

    def set_disclosure(self, span: tuple[int, int] | None) -> None:
        """Mark the writer's recorded disclosure line (code points), under the claims."""
        utf16 = None
        if span is not None:
            utf16 = (self.utf16.to_utf16(span[0]), self.utf16.to_utf16(span[1]))
        if utf16 != self._disclosure:
            self._disclosure = utf16
            self._paint_highlights()

    # ------------------------------------------------------------------ suggestion marks
    def set_marks(self, spans: list[tuple[int, int]], kinds: list[int]) -> None:
        """Mark suggested sentences: code points [start, end) in text order, and what each
        shows (MARK_OPEN, MARK_DISMISSED, MARK_NONE)."""
        to_utf16 = self.utf16.to_utf16
        self._releaser.release(self._marks, self._mark_starts, self._mark_kinds)
        if self.utf16.same_as_codepoints:
            self._marks = list(spans)
        else:
            self._marks = [(to_utf16(a), to_utf16(b)) for a, b in spans]
        self._mark_starts = list(map(_FIRST, self._marks))  # map in C: 60,000 marks on a long text
        self._mark_kinds = list(kinds)
        self._paint_highlights()

    def set_mark_kinds(self, kinds: dict[int, int]) -> None:
        """Suggestions were claimed, dismissed or opened again (index -> what each shows now):
        one repaint, and none when nothing shown changed."""
        changed = False
        for index, kind in kinds.items():
            if 0 <= index < len(self._mark_kinds) and self._mark_kinds[index] != kind:
                self._mark_kinds[index] = kind
                changed = True
        if changed:
            self._paint_highlights()

    def mark_at(self, position: int) -> int:
        """The index of the shown mark holding UTF-16 position, or -1."""
        i = bisect.bisect_right(self._mark_starts, position) - 1
        if i >= 0 and position < self._marks[i][1] and self._mark_kinds[i] != MARK_NONE:
            return i
        return -1

    def _visible_marks(self) -> list[tuple[int, int, bool]]:
        """(start, end, dismissed) of the marks to paint: all on a short text, else those near
        the viewport (sentences never overlap, so one bisect finds them)."""
        kinds = self._mark_kinds
        if not self._marks_windowed():
            first, last = 0, len(self._marks)
        else:
            centre = self._centre()
            first = max(0, bisect.bisect_left(self._mark_starts, centre - VISIBLE_MARGIN) - 1)
            last = bisect.bisect_right(self._mark_starts, centre + VISIBLE_MARGIN)
        shown = self._shown_units() if self._cuts else None
        return [
            (start, end, kinds[i] == MARK_DISMISSED)
            for i in range(first, last)
            for start, end in (self._marks[i],)
            if kinds[i] != MARK_NONE and (shown is None or end <= shown)
        ]

    def _dark(self) -> bool:
        return self.palette().color(self.backgroundRole()).lightness() < 128

    def viewportEvent(self, event: QEvent) -> bool:
        # The reasons of a suggested sentence, on hover (ExtraSelections have no tooltips).
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.mark_at(self.cursorForPosition(event.pos()).position())
            if index >= 0 and self.mark_tip is not None:
                QToolTip.showText(event.globalPos(), self.mark_tip(index), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._marks:
            self._paint_highlights()  # the marks' shade follows light and dark mode

    def _paint_highlights(self) -> None:
        """Set the highlights again, once, in the next turn of the event loop."""
        if not self._highlights_due:
            self._highlights_due = True
            self._highlight_timer.start()

    def _highlights_now(self) -> None:
        if self._highlights_due and not self._highlights_next_turn:
            self._apply_highlights()

    def extraSelections(self) -> list[QTextEdit.ExtraSelection]:
        """The highlights as they are now, with those due set first."""
        if self._highlights_due:
            self._apply_highlights()
        return super().extraSelections()

    def _apply_highlights(self) -> None:
        self._highlights_due = False
        self._highlights_next_turn = False
        self._highlight_timer.stop()
        document, cache = self.document(), self._selections
        selections = build_selections(document, self._visible_spans(), self._current, cache)
        if self._marks:
            # Under everything else: a claim's highlight covers a sentence it claims anyway.
            selections[:0] = mark_selections(document, self._visible_marks(), self._dark(), cache)
        if self._disclosure is not None:
            start, end = self._disclosure
            selections.insert(0, span_selection(self.document(), start, end, disclosure_format()))
        if self._flash_span is not None and self._flash_on:
            start, end = self._flash_span
            selections.append(span_selection(self.document(), start, end, flash_format()))
        self.setExtraSelections(selections)

    def _scrolled(self) -> None:
        if self._windowed() or self._marks_windowed():
            self._paint_highlights()

    def flash(self, claim_id: int) -> None:
        """Scroll to a claim's passage and blink it twice."""
        self._settle()
        span = self._span_of.get(claim_id)
        if span is None:
            return
        self.ensure_shown(span[1])
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        self.setTextCursor(cursor)
        self._scroll_to_cursor(unless_in_view=True)
        self._flash_generation += 1
        generation = self._flash_generation
        self._flash_span = (span[0], span[1])
        self._flash_on = True
        self._paint_highlights()
        for delay, on in ((180, False), (360, True), (600, False)):
            QTimer.singleShot(delay, self, lambda o=on: self._flash_step(generation, o))

    def _flash_step(self, generation: int, on: bool) -> None:
        # A newer flash or another current claim makes this step stale.
        if generation == self._flash_generation and self._flash_span is not None:
            self._flash_on = on
            self._paint_highlights()

    def claim_at(self, position: int) -> int:
        """The innermost claim whose passage holds this UTF-16 position, or 0."""
        self._settle()
        # Only spans starting in the longest span's reach before position can hold it.
        first = bisect.bisect_left(self._starts, position - self._longest)
        last = bisect.bisect_right(self._starts, position)
        inside = [s for s in self._spans[first:last] if s[0] <= position < s[1]]
        if not inside:
            return 0
        return min(inside, key=lambda s: s[1] - s[0])[2]

    # ------------------------------------------------------------------ selection
    def selected_span(self) -> tuple[int, int] | None:
        """The selection as code-point offsets, without surrounding whitespace; None if empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.preview:
            return None  # a text shown ahead of its review takes no claim yet
        start = self.utf16.to_codepoint(cursor.selectionStart())
        end = self.utf16.to_codepoint(cursor.selectionEnd())
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def select_span(self, start: int, end: int) -> None:
        """Select code points [start, end) (used by tests and find)."""
        self.ensure_shown(self.utf16.to_utf16(end))
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.utf16.to_utf16(start))
        cursor.setPosition(self.utf16.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def show_span(self, start: int, end: int) -> None:
        """Select code points [start, end) and scroll them into view, as a claim's passage is."""
        self.select_span(start, end)
        self._scroll_to_cursor()

    def _scroll_to_cursor(self, unless_in_view: bool = False) -> None:
        """Put the passage a third of the way down, with its context above it; unless_in_view:
        leave a passage already well inside the view where it is (stepping to the next claim
        a line further down would otherwise scroll, and repaint, the whole article)."""
        bar = self.verticalScrollBar()
        top = self.cursorRect(self.textCursor()).top()
        height = self.viewport().height()
        if unless_in_view and height // 10 <= top <= height * 3 // 4:
            return
        bar.setValue(bar.value() + top - height // 3)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            claim_id = self.claim_at(self.cursorForPosition(event.position().toPoint()).position())
            if claim_id:
                self.claimClicked.emit(claim_id)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        existing = menu.actions()
        if existing:
            menu.insertActions(existing[0], self.context_actions)
            menu.insertSeparator(existing[0])
        else:
            menu.addActions(self.context_actions)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())


class FindBar(QFrame):
    """Ctrl+F: a search field with next/previous over the article text."""

    def __init__(self, view: ArticleText, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        describe(
            self.field,
            "Find in article",
            "Type to find in the article text; Enter goes to the next match, Escape closes",
        )
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        previous_button, next_button, close = (
            QToolButton(self),
            QToolButton(self),
            QToolButton(self),
        )
        previous_button.setText("↑")
        previous_button.setToolTip("Previous match (Shift+F3)")
        next_button.setText("↓")
        next_button.setToolTip("Next match (F3)")
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        # The arrows are symbols: name them in words for screen readers.
        describe(previous_button, "Previous match", "Go to the previous match (Shift+F3)")
        describe(next_button, "Next match", "Go to the next match (F3)")
        describe(close, "Close find", "Hide the find bar and return to the article (Escape)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.status)
        layout.addWidget(previous_button)
        layout.addWidget(next_button)
        layout.addWidget(close)
        self.field.returnPressed.connect(self.find_next)
        self.field.textChanged.connect(lambda _: self.search(True, restart=True))
        previous_button.clicked.connect(self.find_previous)
        next_button.clicked.connect(self.find_next)
        close.clicked.connect(self.close_bar)
        # The document (the view gets a new one per article), the needle, where it starts.
        self._matches: tuple[QTextDocument, str, list[int]] | None = None
        self.hide()

    def open_bar(self) -> None:
        self.show()
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 80:
            self.field.setText(selected)
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    def find_next(self) -> bool:
        return self.search(True)

    def find_previous(self) -> bool:
        return self.search(False)

    def search(self, forward: bool, restart: bool = False) -> bool:
        """Move to the next/previous match, wrapping around; reports 'not found'."""
        needle = self.field.text()
        if not needle:
            self.status.setText("")
            return False
        self.view.ensure_shown()  # a match may be in the part of a long text still to come
        document = self.view.document()
        flags = QTextDocument.FindFlag(0) if forward else QTextDocument.FindFlag.FindBackward
        cursor = self.view.textCursor()
        if restart:
            cursor.setPosition(cursor.selectionStart())
        found = document.find(needle, cursor, flags)
        if found.isNull():  # wrap around
            wrap = QTextCursor(document)
            if not forward:
                wrap.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(needle, wrap, flags)
        if found.isNull():
            self.status.setText("Not found")
            return False
        self.view.setTextCursor(found)
        starts = self.match_starts(needle)
        here = found.selectionStart()
        number = sum(start <= here for start in starts)
        self.status.setText(f"{number} of {len(starts)}")
        return True

    def match_starts(self, needle: str) -> list[int]:
        """Where every match of needle starts (as the document's find sees them); kept until
        the needle or the text changes, so F3 through a long article stays quick."""
        document = self.view.document()
        if self._matches is not None and self._matches[:2] == (document, needle):
            return self._matches[2]
        starts = []
        cursor = document.find(needle, 0)
        while not cursor.isNull():
            starts.append(cursor.selectionStart())
            cursor = document.find(needle, cursor)
        self._matches = (document, needle, starts)
        return starts


class ArticlePane(QWidget):
    """Title and source line, the text with its claims and suggestions, and the find bar."""

    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        parent: QWidget | None = None,
        suggestions: SuggestionTracker | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("articlePane")
        describe(self, "Article", "The draft under review, with its title and where it came from")
        self.session = session
        self.action_set = actions
        self.suggestions = suggestions or SuggestionTracker(session, self)
        self.title = QLabel(self)
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel(self)
        self.meta.setObjectName("articleMeta")
        self.meta.setWordWrap(True)
        self.meta.setOpenExternalLinks(False)
        self.meta.linkActivated.connect(lambda _: actions["file.open_original"].trigger())
        self.placeholder = QLabel("Choose a review in the library, or import a draft.", self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view = ArticleText(self)
        self.view.context_actions = [
            actions["claim.add"],
            actions["suggestion.accept"],
            actions["suggestion.dismiss"],
        ]
        self.view.mark_tip = self._mark_tip
        self.find_bar = FindBar(self.view, self)
        header = QWidget(self)
        header.setObjectName("articleHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(28, 20, 28, 10)
        header_layout.setSpacing(4)
        header_layout.addWidget(self.title)
        header_layout.addWidget(self.meta)
        self.header = header
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)

        actions["edit.find"].triggered.connect(self.find_bar.open_bar)
        actions["edit.find_next"].triggered.connect(self._find_next)
        actions["edit.find_previous"].triggered.connect(self._find_previous)
        actions["view.article"].triggered.connect(self.view.setFocus)
        self.view.claimClicked.connect(session.set_current_claim)
        session.reviewOpened.connect(self._show_review)
        session.revisionArriving.connect(self._show_text_ahead)
        session.claimsChanged.connect(self._show_claims)
        session.claimUpdated.connect(self._claim_updated)
        session.claimAdded.connect(self._claim_added)
        # While another review's text is shown ahead, the open review's claims are not placed
        # on it (their offsets are into the open review's text).
        session.claimRemoved.connect(self._unless_ahead(self.view.remove_claim))
        session.currentClaimChanged.connect(self._unless_ahead(self.view.set_current))
        session.claimActivated.connect(self._unless_ahead(self.view.flash))
        session.passageRequested.connect(self._unless_ahead(self.view.show_span))
        session.reviewChanged.connect(self._show_disclosure)
        tracker = self.suggestions
        tracker.reset.connect(self._show_marks)
        tracker.decided.connect(self._mark_decided)
        actions["suggestion.next"].triggered.connect(lambda: self.step_suggestion(1))
        actions["suggestion.previous"].triggered.connect(lambda: self.step_suggestion(-1))
        actions["suggestion.accept"].triggered.connect(self.accept_suggestion)
        actions["suggestion.dismiss"].triggered.connect(self.open_dismiss)
        for signal in (session.reviewOpened, session.reviewChanged, tracker.reset):
            signal.connect(self._update_actions)
        session.reviewOpened.connect(self._close_dismiss)  # it was about the review shown before
        self._show_review()
        self._update_actions()

    def _find_next(self) -> None:
        if self.find_bar.isHidden():
            self.find_bar.open_bar()
        else:
            self.find_bar.find_next()

    def _find_previous(self) -> None:
        if self.find_bar.isHidden():
            self.find_bar.open_bar()
        else:
            self.find_bar.find_previous()

    def _unless_ahead(self, act: Callable[..., None]) -> Callable[..., None]:
        """act, skipped while another review's text is shown ahead of it."""

        def run(*args: Any) -> None:
            if not self.view.preview:
                act(*args)

        return run

    def _show_text_ahead(self, review_id: int, revision: Revision) -> None:
        """The text of the review being opened, shown while the rest of it is read."""
        self.header.setVisible(True)
        self.view.setVisible(True)
        self.placeholder.setVisible(False)
        self._show_heading(revision)
        self.view.show_revision(revision)
        self.view.preview = True

    def _show_review(self) -> None:
        data = self.session.data
        has = data is not None
        self.header.setVisible(has)
        self.view.setVisible(has)
        self.placeholder.setVisible(not has)
        if data is None:
            self.view.show_revision(None)
            self.find_bar.hide()
            return
        shown = self.view._revision
        if self.view.preview and shown is not None and shown.id == data.revision.id:
            self.view.preview = False  # its text is in (or coming in): the claims join it
        else:
            self._show_heading(data.revision)
            self.view.show_revision(data.revision)
        self._show_claims()
        self._show_marks()

    def _show_heading(self, revision: Revision) -> None:
        meta = revision.meta
        self.title.setText(meta.title or "(untitled draft)")
        # A draft whose text opens with its title as a heading shows it there, not twice.
        first = revision.blocks[0] if revision.blocks else None
        self.title.setVisible(not (first and first.kind == "heading" and first.text == meta.title))
        parts = []
        if meta.site:
            parts.append(_escape(meta.site))
        if meta.authors:
            parts.append("by " + _escape(", ".join(meta.authors)))
        if meta.published:
            parts.append("published " + _escape(short_date(meta.published)))
        if revision.source_name and not meta.url:
            parts.append(_escape(revision.source_name))
        parts.append("imported " + _escape(short_date(revision.imported_at)))
        if meta.url:
            parts.append('<a href="original">original ↗</a>')
        self.meta.setText(" · ".join(parts))

    def _show_claims(self) -> None:
        data = self.session.data
        if data is not None and not self.view.preview:
            prepared = self.session.prepared()
            shown = self.view._revision
            # worked out on the reader's thread, for this text (the view holds it by now)
            same = shown is not None and shown.id == data.revision.id
            placed = prepared.placement if prepared and same else None
            self.view.set_claims(data.claims, self.session.current_claim_id, placed)
            self._show_disclosure()

    def _show_disclosure(self) -> None:
        data = self.session.data
        text = self.view.text
        # Only once the view holds this revision's text (reviewChanged may come first).
        if data is not None and text == data.revision.text:
            self.view.set_disclosure(data.ai.disclosure_span(text))

    # ------------------------------------------------------------------ suggestions
    def _show_marks(self) -> None:
        """Mark the suggested sentences, once they arrived for the text the view holds."""
        tracker, data = self.suggestions, self.session.data
        shown = self.view._revision  # the view may still hold the review shown before
        if (
            data is None
            or not tracker.ready
            or shown is None
            or tracker.revision_id != shown.id
            or shown.id != data.revision.id
        ):
            if self.view._marks:
                self.view.set_marks([], [])
            return
        self.view.set_marks(tracker.spans, list(map(_MARK_OF.__getitem__, tracker.decisions())))

    def _mark_tip(self, index: int) -> str:
        """The reasons of a marked sentence; while it is open and the review editable, the
        keys that decide it too."""
        tip = self.suggestions.tooltip(index)
        if self.session.editable and self.suggestions.decision(index) == OPEN:
            keys = [
                f"{shortcut_text(SPECS[action_id])}: {what}"
                for action_id, what in (
                    ("suggestion.accept", "make it a claim"),
                    ("suggestion.dismiss", "dismiss it with a reason"),
                )
            ]
            tip += "\n" + " · ".join(keys)
        return tip

    def _mark_decided(self, indices: list[int]) -> None:
        decision = self.suggestions.decision
        self.view.set_mark_kinds({i: _MARK_OF[decision(i)] for i in indices})

    def _update_actions(self) -> None:
        has = self.session.data is not None and self.suggestions.total > 0
        editable = has and self.session.editable
        self.action_set["suggestion.next"].setEnabled(has)
        self.action_set["suggestion.previous"].setEnabled(has)
        self.action_set["suggestion.accept"].setEnabled(editable)
        self.action_set["suggestion.dismiss"].setEnabled(editable)

    def _cursor_position(self) -> int:
        """Where the editor is in the text (code points): the start of the selection, if any."""
        return self.view.utf16.to_codepoint(self.view.textCursor().selectionStart())

    def step_suggestion(self, step: int) -> int:
        """Select the next (+1) or previous (-1) unexamined suggestion and scroll to it;
        its index, or -1 (with a note on the status line) when there is none."""
        tracker = self.suggestions
        if self.session.data is None or not tracker.ready:
            return -1
        here = not self.view.textCursor().hasSelection()
        index = tracker.next_open(self._cursor_position(), step, here)
        if index < 0:
            self.session.message.emit(
                f"All {tracker.total} check-worthy sentences are examined"
                if tracker.total
                else "No check-worthy sentences in this text"
            )
            return -1
        s = tracker.suggestions[index]
        self.view.show_span(s.start, s.end)
        self.view.setFocus()
        self.session.message.emit(tracker.tooltip(index).split("\n")[0])
        return index

    def _target(self) -> tuple[int, tuple[int, int] | None] | None:
        """The suggestion at the cursor and the selected words inside it (None: the whole
        sentence); None, with the reason shown, when the cursor is not in one."""
        tracker = self.suggestions
        selected = self.view.selected_span()
        index = tracker.index_at(selected[0] if selected else self._cursor_position())
        if index < 0:
            self.session.errorRaised.emit(
                "Put the cursor in a suggested sentence first (F8 goes to the next one)"
            )
            return None
        s = tracker.suggestions[index]
        if selected is None or selected == (s.start, s.end):
            return index, None
        if selected[1] > s.end:
            self.session.errorRaised.emit(
                "Select words inside one suggested sentence, or none to take all of it"
            )
            return None
        return index, selected

    def accept_suggestion(self) -> None:
        """The suggested sentence at the cursor, or the words selected in it, becomes a claim
        (selected in the claims pane, as a claim added by hand is)."""
        data = self.session.data
        if data is None or not self.session.editable or not self.suggestions.ready:
            return
        target = self._target()
        if target is None:
            return
        index, span = target
        tracker = self.suggestions
        s = tracker.suggestions[index]
        if tracker.decision(index) == CLAIMED and span is None:
            self.session.errorRaised.emit(
                "A claim already covers this sentence; select words in it to add another"
            )
            return
        self.session.push(
            AcceptSuggestion(self.session, tracker, data.review.id, s.key, span, (s.start, s.end))
        )

    def open_dismiss(self):
        """Ask why the suggested sentence at the cursor needs no claim (a popup beside it)."""
        from reviewapp.ui.dialogs.dismiss import DismissDialog
        from reviewapp.workflows.suggestions import DISMISS_REASONS

        data = self.session.data
        if data is None or not self.session.editable or not self.suggestions.ready:
            return None
        target = self._target()
        if target is None:
            return None
        index = target[0]
        tracker = self.suggestions
        decision = tracker.decision(index)
        if decision != OPEN:
            self.session.errorRaised.emit(
                "This sentence is already covered by a claim"
                if decision == CLAIMED
                else "This sentence is already dismissed (undo brings it back)"
            )
            return None
        for old in self.findChildren(DismissDialog):
            old.close()
        s = tracker.suggestions[index]
        dialog = DismissDialog(s.text, DISMISS_REASONS, tracker.reason_details(index), self)
        review_id, key = data.review.id, s.key
        dialog.chosen.connect(lambda reason: self._dismiss(review_id, key, reason))
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.view.utf16.to_utf16(s.end))
        below = self.view.cursorRect(cursor).bottomLeft() + QPoint(0, 8)
        dialog.show_at(self.view.viewport().mapToGlobal(below))
        return dialog

    def _close_dismiss(self) -> None:
        # Only once a popup was ever opened (the dialog module is not loaded before).
        dismiss = sys.modules.get("reviewapp.ui.dialogs.dismiss")
        if dismiss is not None:
            for popup in self.findChildren(dismiss.DismissDialog):
                popup.close()

    def _dismiss(self, review_id: int, key: str, reason: str) -> None:
        if self.session.review_id != review_id:
            return  # another review was opened while the popup was up
        command = DismissSuggestion(self.session, self.suggestions, review_id, key, reason)
        if self.session.push(command):
            self.session.message.emit(f"Dismissed: {reason} (F8 goes to the next one)")

    def _claim_updated(self, claim_id: int) -> None:
        claim = self.session.claim(claim_id)
        if claim is not None and not self.view.preview:
            self.view.update_claim(claim)

    def _claim_added(self, claim_id: int) -> None:
        claim = self.session.claim(claim_id)
        if claim is not None and not self.view.preview:
            self.view.add_claim(claim)


_FIRST = operator.itemgetter(0)
_MARK_OF = {
    OPEN: MARK_OPEN,
    DISMISSED: MARK_DISMISSED,
    CLAIMED: MARK_NONE,
}


def _cut_points(revision: Revision) -> list[int]:
    """Where each part of the text ends (code points, at the end of a block): the first part
    at least FIRST_PART characters long, each next one about PART; [] for no text. (Counted
    in code points, not UTF-16 units: a part's size need not be exact, and this runs in the
    turn that shows the first part.)"""
    length = len(revision.text)
    cuts: list[int] = []
    wanted = FIRST_PART
    start = 0
    for block in revision.blocks:
        end = block.end
        if end - start >= wanted and end < length:
            cuts.append(end)
            start = end
            wanted = PART
    cuts.append(length)
    return cuts


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
