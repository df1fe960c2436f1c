"""ReviewSession: the store, the open review, the undo stack, and signals the panes listen to.

Panes never call each other and the main window never calls a pane's refresh method: a change
goes to the store through a command, the session updates the part that changed and emits one
signal, and every pane that shows that part updates itself.

Everyday edits are announced precisely (``claimUpdated``: this one claim's fields changed),
with the claim the store returned patched into the loaded review, so that a keystroke in a
note of a review with thousands of claims costs one row, not the whole review. A claim added,
deleted or put back is announced the same way (``claimAdded``/``claimRemoved``): the session
inserts or drops it, renumbers the claims after it and fixes the sources' link lists in memory,
and each pane inserts or removes one row or highlight. Bigger changes re-read the parts they
touch (``reload``).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from reviewapp.core.errors import NotFound, ReviewAppError
from reviewapp.core.states import AnchorState, ClaimStatus, ReviewStatus, Stance
from reviewapp.core.summary import ReviewSummary
from reviewapp.core.text import utf16_map
from reviewapp.store import ReviewStore
from reviewapp.ui.reading import Latest, LibraryReader

if TYPE_CHECKING:  # the highlights come with the panes, after the window's first paint
    from reviewapp.core.model import Claim, ReviewData, Revision, Source, Takeaway
    from reviewapp.ui.highlights import Placement

log = logging.getLogger(__name__)
_T = TypeVar("_T")

CLAIMS, SOURCES, TAKEAWAYS, REVIEW = "claims", "sources", "takeaways", "review"
ALL_PARTS = frozenset({CLAIMS, SOURCES, TAKEAWAYS, REVIEW})


@dataclass(frozen=True)
class Prepared:
    """What the window derives from a review's claims, worked out on the reader's thread as
    the review is read: each is a pass over every claim, and on the turn that shows a review
    of 10,000 claims these passes took ~35 ms of the GUI thread together.

    Valid for ``claims`` (the loaded list) until the first change to it
    (``ReviewSession.prepared`` hands it out only until then)."""

    claims: list[Claim]
    by_id: dict[int, Claim]
    counts: tuple[int, int]  # (unchecked, corrections)
    numbers: dict[int, int]  # claim id -> number
    # (id, start, end, suggestion key) of each claim, for the suggestions' cover
    places: list[tuple[int, int | None, int | None, str]]
    placement: Placement  # the highlights on the review's text
    all_anchored: bool  # every claim sits where it was put


class ReviewSession(QObject):
    libraryChanged = Signal()  # reviews were added, deleted or restored
    summaryChanged = Signal(object)  # ReviewSummary of the open review after an edit
    reviewOpened = Signal()  # another review (or none) is now open: everything changed
    # The text of the review being opened (its id, its Revision), read ahead of the rest so
    # the article can show it while the claims are read (10,000 of them take ~100 ms). The
    # review shown before is still the open one (``data``) until reviewOpened.
    revisionArriving = Signal(int, object)
    reviewChanged = Signal()  # reviewer, status or verdict
    claimsChanged = Signal()  # claims were added, removed or moved: the whole list
    claimUpdated = Signal(int)  # one claim's status, note, correction or reasons (its id)
    # One claim was added or put back (its id; claims after it were renumbered, and the
    # sources it links to list it).
    claimAdded = Signal(int)
    # One claim went (its id; claims after it renumbered, no source lists it any more). Panes
    # still hold its row when this arrives: they find it by id and remove it.
    claimRemoved = Signal(int)
    sourcesChanged = Signal()
    # One source was added or put back (its id; the claims it links to list it, and each
    # of them is announced with claimUpdated first).
    sourceAdded = Signal(int)
    sourceRemoved = Signal(int)  # one source went (its id); panes still hold its row
    # One source's fields or links changed (its id; a claim whose link changed is announced
    # with claimUpdated first).
    sourceUpdated = Signal(int)
    takeawaysChanged = Signal()
    takeawayAdded = Signal(int)  # one takeaway came or was put back (its id)
    takeawayUpdated = Signal(int)  # one takeaway's text or kind changed (its id)
    takeawayRemoved = Signal(int)  # one takeaway went (its id); panes still hold its row
    takeawaysMoved = Signal()  # the same takeaways in another order
    currentClaimChanged = Signal(int)  # claim id, 0 for none
    claimActivated = Signal(int)  # the editor asked to see a claim's passage
    passageRequested = Signal(int, int)  # show code points [start, end) of the article
    errorRaised = Signal(str)  # a one-line message for the user
    message = Signal(str)  # a passing note for the status bar
    flushRequested = Signal()  # write any half-typed text now (before undo, switch or quit)
    changedElsewhere = Signal(str)  # another process changed the open review: what to tell
    # A review began or stopped being written on the pool (a new revision): it takes no
    # edits meanwhile (``editable`` is False for it), so panes lock or unlock their fields.
    writingChanged = Signal()

    def __init__(
        self,
        store: ReviewStore,
        parent: QObject | None = None,
        reader: LibraryReader | None = None,
    ):
        super().__init__(parent)
        self.store = store
        # Reviews are read on the reader's thread when it has one: opening a big review
        # (~40 ms of reading) never freezes the window. Without one they are read at once.
        self.reader = reader
        self._load = Latest()
        self.loading_id: int | None = None  # the review being read, shown when it arrives
        self.previewing = 0  # the review whose text the article shows ahead of the rest
        self.undo_stack = QUndoStack(self)
        self.data: ReviewData | None = None
        self.current_claim_id = 0
        self.reviewer_default = ""  # the Preferences name, used when a review has none
        self._flushing = False
        self._fresh = Latest()  # re-reads of the open review (refresh, changed elsewhere)
        self._edits = 0  # edits made here: a re-read that started before one is read again
        # Reviews being written on the pool (a new revision): what is being written. An edit
        # made meanwhile would be placed on the old text's positions in the new text, and the
        # import's undo (a snapshot of the places from before) would not know it.
        self._writing: dict[int, str] = {}
        # The loaded claims by id, kept in step with every change made here (claim() is
        # asked several times per edit: a scan of 10,000 claims costs ~0.3 ms each time).
        # A claim's number is its place in the list, so an entry is checked in O(1); a list
        # replaced whole (a review opened or re-read) is indexed again when first asked.
        self._by_id: dict[int, Claim] = {}
        self._indexed: list[Claim] | None = None
        # (unchecked, corrections) of the loaded claims, kept in step with the edits made
        # here; None: counted again when next asked (the status line asks after every edit).
        self._counts: tuple[int, int] | None = None
        self._counted: list[Claim] | None = None
        self._prepared: Prepared | None = None  # for the claims as they arrived

    # ------------------------------------------------------------------ the open review
    @property
    def review_id(self) -> int | None:
        return self.data.review.id if self.data else None

    @property
    def editable(self) -> bool:
        # locked: signed off, or a second reviewer's copy whose assessment is signed
        return (
            self.data is not None
            and not self.data.locked
            and self.data.review.id not in self._writing
        )

    def writing(self, review_id: int | None) -> str:
        """What is being written to review_id on the pool ("" when nothing is)."""
        return self._writing.get(review_id, "") if review_id is not None else ""

    def begin_writing(self, review_id: int, what: str) -> None:
        """review_id is being written on the pool: it takes no edits, undo or redo until
        end_writing (half-typed text is written first)."""
        self.flush()
        self._writing[review_id] = what
        self._writing_changed(review_id)

    def end_writing(self, review_id: int) -> None:
        if self._writing.pop(review_id, None) is not None:
            self._writing_changed(review_id)

    def _writing_changed(self, review_id: int) -> None:
        if review_id == self.review_id:
            self.reviewChanged.emit()  # the actions, the header and the status line follow
        self.writingChanged.emit()

    def _refuse_while_writing(self, review_id: int | None) -> bool:
        """True (and the editor told why) when review_id is being written on the pool."""
        what = self.writing(review_id)
        if what:
            self.message.emit(f"Wait a moment: {what} (edits to this review wait until then)")
        return bool(what)

    def open_review(self, review_id: int | None) -> None:
        """Show another review (None closes it); unknown ids raise NotFound.

        With a reader on a thread of its own the review is read there and shown when it
        arrives (``reviewOpened``); until then the review shown before stays, and stays
        editable. Asking for another review meanwhile drops this one; asking for the same
        one again (a command changed it while it was read) reads it again."""
        if review_id == self.review_id and self.data is not None and self.loading_id is None:
            return
        self.flush()
        self._load.drop()
        self.loading_id = None
        if review_id is None:
            self._show(None)
            return
        if self.reader is None or self.reader.synchronous:
            self._show(self.store.load_review(review_id))
            return
        if review_id == self.review_id and self.data is not None:
            # asked back before the other one arrived: it is still the open one, and the
            # article (which may show the other one's text already) shows it again
            self._shown_again()
            return
        self.store.review(review_id)  # NotFound at once, as when read here
        ticket = self._load.ticket()
        self.loading_id = review_id
        # The reader answers in order: the text first, then the whole review.
        self.reader.read(
            lambda store: _read_text(store, review_id),
            lambda revision: self._text_arrived(ticket, review_id, revision),
            lambda exc: log.info("reading the text of review %s ahead failed: %s", review_id, exc),
        )
        self.reader.read(
            lambda store: _uncollected(lambda: _prepare(_read_review(store, review_id))),
            lambda arrival: self._arrived(ticket, *arrival),
            lambda exc: self._load_failed(ticket, exc),
        )

    def _text_arrived(self, ticket: int, review_id: int, revision: Revision) -> None:
        if self._load.is_newest(ticket) and self.loading_id == review_id:
            self.previewing = review_id
            self.revisionArriving.emit(review_id, revision)

    def _shown_again(self) -> None:
        """The open review is shown whole again, if another one's text was shown ahead."""
        if self.previewing:
            self.previewing = 0
            self.reviewOpened.emit()
            self.currentClaimChanged.emit(self.current_claim_id)

    def _arrived(self, ticket: int, data: ReviewData, prepared: Prepared | None = None) -> None:
        if not self._load.is_newest(ticket):
            return  # another review was asked for since, or this one changed meanwhile
        self.loading_id = None
        self.flush()  # the review shown until now keeps what was typed into it
        self._show(data, prepared)
        self.summaryChanged.emit(self.summary())

    def _load_failed(self, ticket: int, exc: BaseException) -> None:
        if not self._load.is_newest(ticket):
            return
        self.loading_id = None
        self._shown_again()
        if isinstance(exc, ReviewAppError):
            self.errorRaised.emit(str(exc))
        else:
            log.error("reading a review failed", exc_info=exc)
            self.errorRaised.emit(f"Something went wrong: {exc}")

    def _show(self, data: ReviewData | None, prepared: Prepared | None = None) -> None:
        self.data = data
        self.previewing = 0
        # The index and the counts of the review shown before let go of its claims.
        self._by_id, self._indexed, self._counts, self._counted = {}, None, None, None
        self._prepared = None
        if data is not None and prepared is not None and prepared.claims is data.claims:
            self._prepared = prepared
            self._by_id, self._indexed = dict(prepared.by_id), data.claims
            self._counts, self._counted = prepared.counts, data.claims
        self.current_claim_id = 0
        self.reviewOpened.emit()
        self.currentClaimChanged.emit(0)

    def refresh_review(self) -> None:
        """Re-read the open review whole (it moved to another revision): every pane redraws,
        and the current claim stays selected if it still exists. Read on the reader's thread
        when there is one (the review shown stays until the new state arrives)."""
        if self.data is None:
            return
        self.flush()
        review_id = self.data.review.id
        self._read_fresh(review_id, lambda data: self._refreshed(review_id, data))

    def _refreshed(self, review_id: int, data: ReviewData) -> None:
        if self.review_id != review_id:
            return  # another review was opened meanwhile
        self.data = data
        if not any(c.id == self.current_claim_id for c in data.claims):
            self.current_claim_id = 0
        self.reviewOpened.emit()
        self.currentClaimChanged.emit(self.current_claim_id)
        self.summaryChanged.emit(self.summary())

    def _read_fresh(
        self,
        review_id: int,
        on_done: Callable[[ReviewData], None],
        on_gone: Callable[[], None] | None = None,
    ) -> None:
        """Read review_id whole on the reader's thread (at once without one) and hand it to
        on_done on the GUI thread; on_gone when it no longer exists.

        Only the newest read of this kind is applied, and a read that an edit made here
        overtook (the reader's connection may have read before the edit was written) is read
        again, so that what arrives always includes the editor's own edits."""
        ticket = self._fresh.ticket()
        edits = self._edits

        def done(data: ReviewData) -> None:
            if not self._fresh.is_newest(ticket):
                return
            if edits != self._edits:
                self._read_fresh(review_id, on_done, on_gone)
                return
            on_done(data)

        def failed(exc: BaseException) -> None:
            if not self._fresh.is_newest(ticket):
                return
            if isinstance(exc, NotFound) and on_gone is not None:
                on_gone()
            elif isinstance(exc, ReviewAppError):
                self.errorRaised.emit(str(exc))
            else:
                log.error("reading a review failed", exc_info=exc)
                self.errorRaised.emit(f"Something went wrong: {exc}")

        if self.reader is None:
            try:
                data = self.store.load_review(review_id)
            except BaseException as exc:  # handed to failed, which shows or logs it
                failed(exc)
                return
            done(data)
            return
        self.reader.read(
            lambda store: _uncollected(lambda: _read_review(store, review_id)), done, failed
        )

    def reload(self, parts: Iterable[str] = ALL_PARTS) -> None:
        """Re-read the given parts of the open review from the store and tell the panes."""
        if self.data is None:
            return
        parts = set(parts)
        review_id = self.data.review.id
        data = self.data
        data.review = self.store.review(review_id)
        if CLAIMS in parts:
            self._prepared = None
            data.claims = self.store.claims(review_id)
        if SOURCES in parts:
            data.sources = self.store.sources(review_id)
            data.captures = self.store.captures(review_id)
        if TAKEAWAYS in parts:
            data.takeaways = self.store.takeaways(review_id)
        if REVIEW in parts:
            data.signoffs = self.store.signoffs(review_id)
            recorded, data.ai, data.responsibility, data.scope = self.store.accountability(
                review_id
            )
            data.accountability_recorded = recorded
        # dismissals and the library's coverage rule: two small reads, and the sign-off
        # dialog's gate must see the newest
        data.suggestions = self.store.suggestion_record(review_id)
        data.second_review = self.store.second_review(review_id)  # one row: the gate needs it
        self._parts_read(parts)

    def _parts_read(self, parts: set[str]) -> None:
        """The given parts of the loaded review were replaced: tell the panes."""
        assert self.data is not None
        data = self.data
        if self.current_claim_id and not any(c.id == self.current_claim_id for c in data.claims):
            self.set_current_claim(0)
        self.reviewChanged.emit()  # every edit moves the review's clock and maybe its status
        if CLAIMS in parts:
            self.claimsChanged.emit()
        if SOURCES in parts:
            self.sourcesChanged.emit()
        if TAKEAWAYS in parts:
            self.takeawaysChanged.emit()
        self.summaryChanged.emit(self.summary())

    def changed(self, review_id: int, parts: Iterable[str]) -> None:
        """A command changed review_id: show it (opening it if needed) with fresh data. A
        review being read meanwhile is read again, so that it arrives with the change."""
        if review_id != self.review_id or self.loading_id == review_id:
            self.open_review(review_id)
            self.summaryChanged.emit(self.summary())
        else:
            self.reload(parts)

    def claim_updated(self, review_id: int, claim: Claim) -> None:
        """A command changed one claim's own fields and the store returned it as it now is:
        patch it into the loaded review and tell the panes which claim it was."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS})
            return
        old = self.claim(claim.id)
        if old is None or old.number != claim.number:
            self.reload({CLAIMS})  # not the list we hold: read it again
            return
        self._put(claim)
        self.data.review = self.store.review(review_id)  # its clock moved, maybe its status
        self.reviewChanged.emit()
        self.claimUpdated.emit(claim.id)
        self.summaryChanged.emit(self.summary())

    def claim_added(self, review_id: int, claim: Claim) -> None:
        """A command added (or put back) one claim and the store returned it as written, with
        its number: put it in its place, renumber the claims after it, list it in the sources
        it links to, and tell the panes which claim it was."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS, SOURCES})
            return
        claims = self.data.claims
        index = claim.number - 1
        if (
            not 0 <= index <= len(claims)
            or self.claim(claim.id) is not None
            or (index > 0 and _text_order(claims[index - 1]) > _text_order(claim))
            or (index < len(claims) and _text_order(claim) > _text_order(claims[index]))
        ):
            self.reload({CLAIMS, SOURCES})  # not the list we hold: read it again
            return
        counts = self._claim_counts()
        self._prepared = None
        claims.insert(index, claim)
        _renumber(claims, index + 1)
        self._by_id[claim.id] = claim
        self._counted_again(counts, None, claim)
        self._relink(claim.id, claim.source_stances)
        self._claims_moved()
        self.claimAdded.emit(claim.id)
        self.summaryChanged.emit(self.summary())

    def claim_removed(self, review_id: int, claim_id: int) -> None:
        """A command deleted one claim: drop it, renumber the claims after it, unlist it from
        its sources, and tell the panes which claim it was."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS, SOURCES})
            return
        claims = self.data.claims
        gone = self.claim(claim_id)
        if gone is None:
            self.reload({CLAIMS, SOURCES})
            return
        index = gone.number - 1
        counts = self._claim_counts()
        self._prepared = None
        del claims[index]
        _renumber(claims, index)
        del self._by_id[claim_id]
        self._counted_again(counts, gone, None)
        self._relink(claim_id, {})
        if self.current_claim_id == claim_id:
            self.set_current_claim(0)
        self._claims_moved()
        self.claimRemoved.emit(claim_id)
        self.summaryChanged.emit(self.summary())

    def source_added(self, review_id: int, source: Source) -> None:
        """A command added (or put back) one source and the store returned it as written: put
        it in its place (sources are listed by id), list it in its claims, tell the panes."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS, SOURCES})
            return
        sources = self.data.sources
        if any(s.id == source.id for s in sources):
            self.reload({CLAIMS, SOURCES})
            return
        index = next((i for i, s in enumerate(sources) if s.id > source.id), len(sources))
        sources.insert(index, source)
        self._source_links_changed(source.id, source.claim_stances)
        self.sourceAdded.emit(source.id)
        self.summaryChanged.emit(self.summary())

    def source_removed(self, review_id: int, source_id: int) -> None:
        """A command deleted one source: drop it and its links, tell the panes."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS, SOURCES})
            return
        sources = self.data.sources
        index = next((i for i, s in enumerate(sources) if s.id == source_id), -1)
        if index < 0:
            self.reload({CLAIMS, SOURCES})
            return
        del sources[index]
        self._source_links_changed(source_id, {})
        self.sourceRemoved.emit(source_id)
        self.summaryChanged.emit(self.summary())

    def source_updated(self, review_id: int, source: Source) -> None:
        """A command changed one source's fields and the store returned it as written."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS, SOURCES})
            return
        sources = self.data.sources
        index = next((i for i, s in enumerate(sources) if s.id == source.id), -1)
        if index < 0:
            self.reload({CLAIMS, SOURCES})
            return
        sources[index] = source
        self._claims_moved()  # the review's clock
        self.sourceUpdated.emit(source.id)
        self.summaryChanged.emit(self.summary())

    def link_changed(self, review_id: int, claim_id: int, source_id: int, stance: str) -> None:
        """A command linked a claim to a source with stance, changed the stance, or unlinked
        them ("" for stance): patch both sides in memory and announce both."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS, SOURCES})
            return
        claim = self.claim(claim_id)
        if claim is None or self.source(source_id) is None:
            self.reload({CLAIMS, SOURCES})
            return
        claim_stances = dict(claim.source_stances)
        claim_stances.pop(source_id, None)
        if stance:
            claim_stances[source_id] = Stance.parse(stance)
        self._put(replace(claim, source_ids=sorted(claim_stances), source_stances=claim_stances))
        self._relink(claim_id, claim_stances)  # the sources now list it as the claim lists them
        self._claims_moved()
        self.claimUpdated.emit(claim_id)
        self.sourceUpdated.emit(source_id)
        self.summaryChanged.emit(self.summary())

    def claim_moved(self, review_id: int, claim: Claim) -> None:
        """A command changed where a claim sits (confirmed, re-attached, or put back) and the
        store returned it as it now is: the same row when its number stands, else it leaves
        its old row for its new one."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {CLAIMS, SOURCES})
            return
        old = self.claim(claim.id)
        if old is not None and old.number == claim.number:
            self.claim_updated(review_id, claim)
            return
        current = self.current_claim_id
        self.claim_removed(review_id, claim.id)
        self.claim_added(review_id, claim)
        if current == claim.id:
            self.set_current_claim(claim.id)

    # ------------------------------------------------------------------ takeaways
    def takeaway_added(self, review_id: int, takeaway: Takeaway) -> None:
        """A command added (or put back) one takeaway at its position, as the store wrote it:
        the takeaways from there on move down one place."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {TAKEAWAYS})
            return
        items = [t for t in self.data.takeaways if t.id != takeaway.id]
        items.insert(max(0, min(takeaway.position, len(items))), takeaway)
        self._takeaways_placed(items)
        self.takeawayAdded.emit(takeaway.id)
        self.summaryChanged.emit(self.summary())

    def takeaway_updated(self, review_id: int, takeaway: Takeaway) -> None:
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {TAKEAWAYS})
            return
        items = self.data.takeaways
        index = next((i for i, t in enumerate(items) if t.id == takeaway.id), -1)
        if index < 0:
            self.reload({TAKEAWAYS})
            return
        items[index] = replace(takeaway, position=index)
        self._claims_moved()
        self.takeawayUpdated.emit(takeaway.id)
        self.summaryChanged.emit(self.summary())

    def takeaway_removed(self, review_id: int, takeaway_id: int) -> None:
        """A command deleted one takeaway: the ones after it move up one place."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {TAKEAWAYS})
            return
        if not any(t.id == takeaway_id for t in self.data.takeaways):
            self.reload({TAKEAWAYS})
            return
        self._takeaways_placed([t for t in self.data.takeaways if t.id != takeaway_id])
        self.takeawayRemoved.emit(takeaway_id)
        self.summaryChanged.emit(self.summary())

    def takeaway_moved(self, review_id: int, takeaway_id: int, position: int) -> None:
        """A command moved one takeaway to position; the others close up around it (as the
        store orders them)."""
        if review_id != self.review_id or self.data is None:
            self.changed(review_id, {TAKEAWAYS})
            return
        moving = next((t for t in self.data.takeaways if t.id == takeaway_id), None)
        if moving is None:
            self.reload({TAKEAWAYS})
            return
        items = [t for t in self.data.takeaways if t.id != takeaway_id]
        items.insert(max(0, min(position, len(items))), moving)
        self._takeaways_placed(items)
        self.takeawaysMoved.emit()
        self.summaryChanged.emit(self.summary())

    def _takeaways_placed(self, items: list[Takeaway]) -> None:
        """Keep takeaways in this order, numbered 0, 1, 2... as the store renumbers them."""
        assert self.data is not None
        self.data.takeaways = [
            t if t.position == i else replace(t, position=i) for i, t in enumerate(items)
        ]
        self._claims_moved()

    def _source_links_changed(self, source_id: int, stances: Mapping[int, str]) -> None:
        """Make the loaded claims link to source_id exactly as stances (claim id -> stance)
        says, each claim's sources by id as the store lists them; announce each claim."""
        assert self.data is not None
        claims, touched = self.data.claims, []
        for i, claim in enumerate(claims):
            if claim.id not in stances and source_id not in claim.source_stances:
                continue
            source_stances = dict(claim.source_stances)
            source_stances.pop(source_id, None)
            if claim.id in stances:
                source_stances[source_id] = Stance.parse(stances[claim.id])
            ids = sorted(source_stances)
            self._put(replace(claim, source_ids=ids, source_stances=source_stances), i)
            touched.append(claim.id)
        self._claims_moved()
        for claim_id in touched:
            self.claimUpdated.emit(claim_id)

    def _relink(self, claim_id: int, stances: Mapping[int, str]) -> None:
        """Make the loaded sources list claim_id exactly under the sources in stances (source
        id -> stance), each source's claims in text order as the store lists them."""
        assert self.data is not None
        for i, source in enumerate(self.data.sources):
            linked = claim_id in source.claim_stances
            if not linked and source.id not in stances:
                continue
            claim_stances = dict(source.claim_stances)
            claim_stances.pop(claim_id, None)
            if source.id in stances:
                claim_stances[claim_id] = Stance.parse(stances[source.id])
            ids = sorted(claim_stances, key=self._text_place)
            self.data.sources[i] = replace(source, claim_ids=ids, claim_stances=claim_stances)

    def _text_place(self, claim_id: int) -> int:
        """Where a loaded claim sits in text order (0-based); unknown ones after all."""
        claim = self.claim(claim_id)
        return claim.number - 1 if claim is not None else len(self.data.claims if self.data else [])

    def _claims_moved(self) -> None:
        """After a claim came or went: the review's clock (and maybe status) moved."""
        assert self.data is not None
        self.data.review = self.store.review(self.data.review.id)
        self.reviewChanged.emit()

    def changed_outside(self) -> None:
        """Another process (the CLI, a second window) wrote to the library: show the new list
        and the open review as it now is, keeping the editor's place. Fields being typed in
        keep their text (they only take a stored value when no write of theirs is pending).

        The open review is read whole on the reader's thread (a big one takes ~40 ms) and
        compared with what is shown when it arrives; only then does anything change. It is
        asked for before the list is refreshed: refreshing may write a half-typed field, and
        the review read then would already hold the other process's change unannounced."""
        if self.data is not None:
            review_id, revision_id = self.data.review.id, self.data.revision.id
            self._read_fresh(
                review_id,
                lambda data: self._outside_arrived(review_id, revision_id, data),
                lambda: self._deleted_outside(review_id),
            )
        self.libraryChanged.emit()

    def _deleted_outside(self, review_id: int) -> None:
        if self.review_id != review_id:
            return
        self.open_review(None)
        self.changedElsewhere.emit(
            f"Review {review_id} was deleted elsewhere (another window or the command line)"
        )

    def _outside_arrived(self, review_id: int, revision_id: int, data: ReviewData) -> None:
        """The open review as another process left it: shown if it differs."""
        if self.data is None or self.review_id != review_id or data == self.data:
            return
        if data.review.revision_id != revision_id:
            self._refreshed(review_id, data)  # a new draft: the article itself changed
        else:
            for name in (f.name for f in fields(data) if f.name != "revision"):
                setattr(self.data, name, getattr(data, name))  # the same draft: all but it
            self._parts_read(set(ALL_PARTS))
        self.changedElsewhere.emit(
            "This review was changed elsewhere (another window or the command line); "
            "showing it as it is now"
        )

    def prepared(self) -> Prepared | None:
        """What was worked out from the open review's claims as it was read, while they are
        still as they arrived (None after any change to them, or if none was)."""
        p = self._prepared
        if p is None or self.data is None or p.claims is not self.data.claims:
            return None
        return p

    def summary(self) -> ReviewSummary | None:
        """The library row of the open review, from the data already loaded."""
        if self.data is None:
            return None
        d = self.data
        return ReviewSummary(
            id=d.review.id,
            title=d.revision.meta.title,
            site=d.revision.meta.site,
            status=d.review.status,
            verdict=d.review.verdict,
            reviewer=d.review.reviewer,
            claims=len(d.claims),
            unchecked=self._claim_counts()[0],
            updated_at=d.review.updated_at,
            url=d.revision.meta.url,
        )

    # ------------------------------------------------------------------ claims
    def set_current_claim(self, claim_id: int) -> None:
        if claim_id != self.current_claim_id:
            self.flush()
            self.current_claim_id = claim_id
            self.currentClaimChanged.emit(claim_id)

    def activate_claim(self, claim_id: int) -> None:
        """Select a claim and show its passage (scroll and flash)."""
        self.set_current_claim(claim_id)
        if claim_id:
            self.claimActivated.emit(claim_id)

    def current_claim(self) -> Claim | None:
        return self.claim(self.current_claim_id)

    def claim(self, claim_id: int) -> Claim | None:
        """The loaded claim with this id (None if none), from the index kept in step."""
        if self.data is None:
            return None
        claims = self.data.claims
        found = self._by_id.get(claim_id)
        if found is not None and _at_its_number(claims, found):
            return found
        if found is not None or claims is not self._indexed or len(self._by_id) != len(claims):
            # Another list, or changed behind the index's back: index it again, once.
            self._by_id = {c.id: c for c in claims}
            self._indexed = claims
            return self._by_id.get(claim_id)
        return None

    def _put(self, claim: Claim, index: int = -1) -> None:
        """Put a new version of a loaded claim in its place (index, else its number's)."""
        assert self.data is not None
        claims = self.data.claims
        if index < 0:
            index = claim.number - 1
        counts = self._claim_counts()
        old = claims[index]
        self._prepared = None
        claims[index] = claim
        self._by_id.pop(old.id, None)
        self._by_id[claim.id] = claim
        self._counted_again(counts, old, claim)

    def source(self, source_id: int) -> Source | None:
        if self.data is None:
            return None
        return next((s for s in self.data.sources if s.id == source_id), None)

    def step_claim(self, step: int) -> None:
        """Select the next (+1) or previous (-1) claim in text order, wrapping around."""
        if self.data is None or not self.data.claims:
            return
        claims = self.data.claims
        current = self.current_claim()
        if current is not None:
            index = (current.number - 1 + step) % len(claims)
        else:
            index = 0 if step > 0 else len(claims) - 1
        self.activate_claim(claims[index].id)

    def _claim_counts(self) -> tuple[int, int]:
        """(unchecked, corrections) of the loaded claims: counted once, then kept in step."""
        claims = self.data.claims if self.data is not None else []
        if self._counts is None or self._counted is not claims:
            self._counts = (_unchecked(claims), _corrections(claims))
            self._counted = claims
        return self._counts

    def _counted_again(self, counts: tuple[int, int], old: Claim | None, new: Claim | None) -> None:
        """counts (taken just before a change) less old, plus new: the counts after it."""
        unchecked, corrections = counts
        for claim, sign in ((old, -1), (new, 1)):
            if claim is not None:
                unchecked += sign * (claim.status == ClaimStatus.UNCHECKED)
                corrections += sign * bool(claim.correction.strip())
        self._counts = (unchecked, corrections)

    # ------------------------------------------------------------------ edits
    def push(self, command) -> bool:
        """Do a command now (written through to SQLite) and put it on the undo stack."""
        self.flush()
        if self._refuse_while_writing(getattr(command, "review_id", None)):
            return False
        self._edits += 1
        if not self.guard(command.apply):
            return False
        self.undo_stack.push(command)
        return True

    def flush(self) -> None:
        """Ask every field with half-typed text to write it now (re-entrant calls do nothing)."""
        if self._flushing:
            return
        self._flushing = True
        try:
            self.flushRequested.emit()
        finally:
            self._flushing = False

    def guard(self, fn) -> bool:
        """Run fn; a user error becomes a message, an unexpected one is logged and shown."""
        try:
            fn()
        except ReviewAppError as exc:
            self.errorRaised.emit(str(exc))
            return False
        except Exception as exc:
            log.exception("unexpected error")
            self.errorRaised.emit(f"Something went wrong: {exc}")
            return False
        return True

    def undo(self) -> None:
        self.flush()
        if self._refuse_while_writing(self._stack_review(self.undo_stack.index() - 1)):
            return
        self._edits += 1
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        if self._refuse_while_writing(self._stack_review(self.undo_stack.index())):
            return
        self._edits += 1
        self.undo_stack.redo()

    def _stack_review(self, index: int) -> int | None:
        """The review the undo stack's command at index changes (None if none)."""
        command = self.undo_stack.command(index) if 0 <= index < self.undo_stack.count() else None
        return getattr(command, "review_id", None)

    # ------------------------------------------------------------------ the status bar
    def status_text(self) -> str:
        """'3 claims, 1 unchecked, 1 correction · saved' for the open review."""
        if self.data is None:
            return ""
        claims = self.data.claims
        unchecked, corrections = self._claim_counts()
        parts = [
            _count(len(claims), "claim"),
            f"{unchecked} unchecked",
            _count(corrections, "correction"),
        ]
        state = "signed off" if self.data.review.status == ReviewStatus.SIGNED_OFF else "saved"
        if state == "saved" and self.data.locked:
            state = "assessment signed"
        state = self.writing(self.data.review.id) or state
        return ", ".join(parts) + f" · {state}"


def _read_text(store: ReviewStore, review_id: int) -> Revision:
    """The current revision of a review (its text), read ahead of the rest of it."""
    revision = store.revision(store.review(review_id).revision_id)
    utf16_map(revision.text)  # made here (remembered), not on the GUI thread
    return revision


# A review read with at least this many claims is kept out of the garbage collector's passes.
FREEZE_FROM_CLAIMS = 1_000


def _uncollected(read: Callable[[], _T]) -> _T:
    """read() with the garbage collector paused; a big review it returns is then kept out of
    the collector's passes (gc.freeze, as the window does with what exists at start-up).

    Reading 10,000 claims makes ~50,000 objects the collector tracks: it scanned them again
    and again while they were made (young passes of 5-40 ms, then full ones of 10-50 ms),
    holding the interpreter, so the GUI thread waited through each one. Frozen, they are
    still freed by reference counting when the review is closed (claims hold no cycles);
    only a cycle that was alive here and dies later is never collected, which is why small
    reviews, read often, are not frozen."""
    from reviewapp.core.model import ReviewData  # not before the first paint (core/summary.py)

    enabled = gc.isenabled()
    gc.disable()
    try:
        result = read()
        data = result[0] if isinstance(result, tuple) else result
        if isinstance(data, ReviewData) and len(data.claims) >= FREEZE_FROM_CLAIMS:
            gc.freeze()
        return result
    finally:
        if enabled:
            gc.enable()


def _prepare(data: ReviewData) -> tuple[ReviewData, Prepared]:
    """data, and what the window derives from its claims (on the reader's thread)."""
    from reviewapp.ui.highlights import place_claims  # loaded by the article pane by now

    claims = data.claims
    text = data.revision.text
    prepared = Prepared(
        claims=claims,
        by_id={c.id: c for c in claims},
        counts=(_unchecked(claims), _corrections(claims)),
        numbers={c.id: c.number for c in claims},
        places=[(c.id, c.start, c.end, c.suggestion_key) for c in claims],
        placement=place_claims(claims, utf16_map(text), len(text)),
        all_anchored=set(map(_ANCHOR_STATE, claims)) <= {AnchorState.ANCHORED},
    )
    return data, prepared


def _read_review(store: ReviewStore, review_id: int) -> ReviewData:
    """Read a review on the reader's thread, with the map of its text the article view needs
    and the disclosure lines the review header looks for (both remembered, made there rather
    than on the GUI thread)."""
    # here, on the reader's thread: the window's first paint does without its patterns (~3 ms)
    from reviewapp.core.disclosure import disclosures_of

    data = store.load_review(review_id)
    utf16_map(data.revision.text)
    disclosures_of(data.revision.text)
    return data


_STATUS, _CORRECTION = attrgetter("status"), attrgetter("correction")
_ANCHOR_STATE = attrgetter("anchor_state")


def _at_its_number(claims: list[Claim], claim: Claim) -> bool:
    """Whether claim is the list's entry at its number (numbers are 1-based places)."""
    index = claim.number - 1
    return 0 <= index < len(claims) and claims[index] is claim


def _corrections(claims: list[Claim]) -> int:
    """How many claims have a correction (counted in C: map, not a generator per claim)."""
    return sum(map(bool, map(str.strip, map(_CORRECTION, claims))))


def _unchecked(claims: list[Claim]) -> int:
    """How many claims are unchecked (list.count runs in C: ~50x a generator over 2,000)."""
    return list(map(_STATUS, claims)).count(ClaimStatus.UNCHECKED)


def _text_order(claim: Claim) -> tuple[bool, int, int, int]:
    """The store's order of claims (store.claims.CLAIM_ORDER): by place, unplaced last."""
    return (claim.start is None, claim.start or 0, claim.end or 0, claim.id)


def _renumber(claims: list[Claim], first: int) -> None:
    """Number claims[first:] by their place in the list; numbers are 1-based positions.

    In place: a copy per claim (dataclasses.replace re-checks every field) costs ~30 ms for
    1,000 claims. A number is only ever derived (the store does not keep it), so commands
    holding one of these claims lose nothing when it changes."""
    for i in range(first, len(claims)):
        claims[i].number = i + 1


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
