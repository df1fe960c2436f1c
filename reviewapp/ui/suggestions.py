"""Check-worthiness suggestions in the window: which sentences of the open review the machine
proposes as claims, what the editor made of each, and the undoable accept and dismiss.

The suggestions of a text are computed once, off the GUI thread (``coverage_for`` on the
session's reader thread; the workflow remembers the assessment of a text, so a review opened
again costs no second assessment), and arrive with ``reset``. From then on nothing is read
again for an everyday edit: a claim added, removed or moved covers or uncovers the sentences it
overlaps (the session's precise signals), and accept and dismiss update one sentence; each
change is announced once, with ``decided(indices)``. The rule is the workflow's: a sentence is
claimed when a claim overlaps it or was accepted from it (the same words elsewhere count too,
as core.coverage has it), else dismissed when a dismissal is stored for it, else open.

The detector and the workflow are imported when the first review opens, not with the window:
its first paint imports neither (tests/test_lazy_imports.py).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from reviewapp.core.errors import ReviewAppError
from reviewapp.core.model import Claim
from reviewapp.store import ReviewStore
from reviewapp.ui import commands
from reviewapp.ui.reading import Latest
from reviewapp.ui.release import Releaser
from reviewapp.ui.session import REVIEW, ReviewSession
from reviewapp.workflows.workers import InProcess, Workers

if TYPE_CHECKING:
    from reviewapp.core.model import Dismissal, SuggestionRecord
    from reviewapp.ui.tasks import TaskRunner
    from reviewapp.workflows.suggestion_index import PlaceTuple
    from reviewapp.workflows.suggestions import Held, Suggestion

log = logging.getLogger(__name__)

# Short words for each reason in a tooltip ("Check-worthy: figures, attribution (score 0.72)").
# (Keyed by core.checkworthy.Reason's values, a StrEnum: the detector is not imported here.)
REASON_WORDS: dict[str, str] = {
    "figure": "figures",
    "attribution": "attribution",
    "comparison": "comparison",
    "cause-or-trend": "cause or trend",
    "named-actor": "named actor",
    "hedged-claim": "hedged claim",
    "past-event": "past event",
    "opinion": "opinion (scored lower)",
    "question": "question (scored lower)",
}
# What the editor made of a suggestion: core.coverage.Decision's values (equal to its members).
OPEN, CLAIMED, DISMISSED = "open", "claimed", "dismissed"
_BY_COVERED = (OPEN, CLAIMED)  # a sentence's decision before dismissals, by whether covered


@dataclass(frozen=True)
class Dismissed:
    """Why the editor set a suggested sentence aside, who and when."""

    reason: str
    by: str = ""
    at: str = ""


class SuggestionTracker(QObject):
    """The open review's suggestions and their decisions, kept current without re-reading."""

    reset = Signal()  # another review, another text, or the suggestions arrived
    # Suggestions (their indices, in text order) a change claimed, dismissed or opened again:
    # one signal per change, so the marks repaint and the meter counts once.
    decided = Signal(list)

    def __init__(
        self,
        session: ReviewSession,
        parent: QObject | None = None,
        workers: Workers | None = None,
        runner: TaskRunner | None = None,
    ):
        """workers: where the sentences are assessed (the window's worker processes), waited
        for on a thread of runner; by default both on the reader's thread."""
        super().__init__(parent)
        self.session = session
        self.workers: Workers = workers if workers is not None else InProcess()
        self.runner = runner
        self.suggestions: Sequence[Suggestion] = ()
        self.english = True
        self.enforced = True
        self.threshold = 0.0
        self.loading = False  # asked for, not arrived yet
        self.ready = False  # the suggestions of the text shown have arrived
        self.revision_id = 0
        self._starts: list[int] = []
        self.spans: list[tuple[int, int]] = []  # (start, end) of each, for the marks
        self._by_key: dict[str, int] = {}
        self._by_hash: dict[str, tuple[int, ...]] = {}
        self._cover: list[int] = []  # how many claims cover each suggestion
        self._claim_cover: dict[int, tuple[int, ...]] = {}  # claim id -> suggestions it covers
        self._dismissed: dict[int, Dismissed] = {}
        # How many are claimed or dismissed, kept by each change: the meter asks after every
        # decision, and counting 2,000 sentences each time cost ~3 ms of the GUI thread.
        self._examined = 0
        self._key_hash: Callable[[str], str] = lambda key: key  # core.coverage.key_hash, later
        # workflows.suggestion_index.covered_by, imported with the first suggestions
        self._covered: Callable[..., tuple[int, ...]] = lambda *args: ()
        self._reads = Latest()
        self._releaser = Releaser(self)
        self._edits = 0  # decisions changed here: a read that started before one is read again
        # Claims added, removed or moved since: the cover a read worked out for the claims of
        # its start is laid over again here when one changed meanwhile.
        self._claim_edits = 0
        session.reviewOpened.connect(self.read)
        # The whole claim list changed (a reload, another process): read the record again, as
        # a dismissal may have come with it. Everyday edits come one claim at a time.
        session.claimsChanged.connect(self._claims_reloaded)
        session.claimAdded.connect(self._claim_added)
        session.claimRemoved.connect(self._claim_removed)
        session.claimUpdated.connect(self._claim_updated)

    # ------------------------------------------------------------------ reading
    def read(self) -> None:
        """Ask for the open review's suggestions (on the reader's thread when it has one)."""
        data = self.session.data
        self._reads.drop()
        if data is None:
            self._clear()
            return
        review_id, revision_id = data.review.id, data.revision.id
        if revision_id != self.revision_id:
            self._clear(loading=True)  # another text: its marks must not stay meanwhile
        self.loading = True
        ticket = self._reads.ticket()
        edits, claim_edits = self._edits, self._claim_edits
        reader = self.session.reader
        # Where each claim sits, copied here (the session changes its claims on this thread):
        # the reader works out what they cover, ~10 ms of the GUI thread for 1,000 claims.
        # (Plain tuples: making 10,000 named ones here cost ~5 ms of the GUI thread.)
        prepared = self.session.prepared()  # the places worked out as the review was read
        places = (
            list(prepared.places)
            if prepared
            else [(c.id, c.start, c.end, c.suggestion_key) for c in data.claims]
        )
        shown = (revision_id, data.revision.text)
        workers = self.workers

        def done(found: Found) -> None:
            if not self._reads.is_newest(ticket):
                return
            current = self.session.data
            if current is None or current.review.id != review_id:
                return
            if current.revision.id != revision_id:
                self.read()  # a new draft arrived meanwhile
                return
            if edits != self._edits:
                self.read()  # a decision made meanwhile may be missing from this read
                return
            self._arrived(found, revision_id, covered=claim_edits == self._claim_edits)

        def failed(exc: BaseException) -> None:
            if not self._reads.is_newest(ticket):
                return
            self.loading = False
            from reviewapp.workflows.workers import WorkerCancelled, WorkersClosed

            if isinstance(exc, (WorkerCancelled, WorkersClosed)):  # the window is closing
                return
            if isinstance(exc, ReviewAppError):
                self.session.errorRaised.emit(f"Suggestions are not available: {exc}")
            else:
                log.error("finding check-worthy sentences failed", exc_info=exc)
                self.session.errorRaised.emit(f"Suggestions are not available: {exc}")
            self.reset.emit()

        if reader is None:
            try:
                found = _read_coverage(self.session.store, review_id, shown, places, workers)
            except Exception as exc:  # shown and logged by failed
                failed(exc)
                return
            done(found)
            return
        runner = self.runner
        if runner is None:
            reader.read(
                lambda store: _read_coverage(store, review_id, shown, places, workers), done, failed
            )
            return

        def indexed(stored: Stored) -> None:
            # The reader's thread only reads: waiting there for the worker would hold up the
            # next review to open behind this one's suggestions.
            if self._reads.is_newest(ticket):
                runner.run_task(lambda _control: _found(stored, places, workers), done, failed)

        reader.read(lambda store: _read_stored(store, review_id, shown), indexed, failed)

    def _let_go(self) -> None:
        """Hand the lists and maps made for the suggestions held now (this tracker's alone:
        not those the suggestions share) to the releaser, which frees them over the next
        turns: a long text's ~59,000 took ~10 ms to free at once."""
        self._releaser.release(self.spans, self._cover, self._by_key, self._by_hash)

    def _clear(self, loading: bool = False) -> None:
        self._let_go()
        self.suggestions = ()
        self.english, self.enforced = True, True
        self.loading, self.ready = loading, False
        self.revision_id = 0
        self._starts, self._cover, self.spans = [], [], []
        self._by_key, self._by_hash = {}, {}
        self._claim_cover, self._dismissed = {}, {}
        self._examined = 0
        self.reset.emit()

    def _arrived(self, found: Found, revision_id: int, covered: bool) -> None:
        """Take what the reader prepared (the lists and maps too: building them for 2,000
        sentences here took ~30 ms of the GUI thread), and what the claims cover unless one
        changed meanwhile (COVERED false: laid over again here)."""
        from reviewapp.core.coverage import key_hash
        from reviewapp.workflows.suggestion_index import covered_by

        self._key_hash, self._covered = key_hash, covered_by
        self._let_go()
        self.suggestions = found.suggestions
        self.english, self.enforced = found.english, found.enforced
        self.threshold = found.threshold
        self.loading, self.ready = False, True
        self.revision_id = revision_id
        self.spans = found.spans
        self._starts, self._by_key, self._by_hash = found.starts, found.by_key, found.by_hash
        self._dismissed = found.dismissed
        if covered:
            self._cover, self._claim_cover = found.cover, found.claim_cover
            self._examined = found.examined
        else:
            self._cover_all()
        self.reset.emit()

    def _claims_reloaded(self) -> None:
        self._claim_edits += 1
        if self.ready:
            self._cover_all()
            self.reset.emit()
        self.read()

    # ------------------------------------------------------------------ claims cover sentences
    def _cover_all(self) -> None:
        self._cover = [0] * len(self.suggestions)
        self._claim_cover = {}
        data = self.session.data
        for claim in data.claims if data is not None else ():
            self._add_cover(claim)
        # counted with builtins: a generator over the ~59,000 sentences of a 1,000,000-word
        # text took ~10 ms of the GUI thread as its suggestions arrived
        cover = self._cover
        dismissed_only = sum(1 for i in self._dismissed if 0 <= i < len(cover) and not cover[i])
        self._examined = len(cover) - cover.count(0) + dismissed_only

    def _is_examined(self, index: int) -> bool:
        return self._cover[index] > 0 or index in self._dismissed

    def _covered_by(self, claim: Claim) -> tuple[int, ...]:
        return self._covered(claim, self.spans, self._starts, self._by_hash, self._key_hash)

    def _add_cover(self, claim: Claim) -> tuple[int, ...]:
        covered = self._covered_by(claim)
        if covered:
            self._claim_cover[claim.id] = covered
            for i in covered:
                if not self._is_examined(i):
                    self._examined += 1
                self._cover[i] += 1
        return covered

    def _drop_cover(self, claim_id: int) -> tuple[int, ...]:
        covered = self._claim_cover.pop(claim_id, ())
        for i in covered:
            self._cover[i] -= 1
            if not self._is_examined(i):
                self._examined -= 1
        return covered

    def _claim_added(self, claim_id: int) -> None:
        self._claim_edits += 1
        claim = self.session.claim(claim_id)
        if self.ready and claim is not None:
            self._announce(self._add_cover(claim))

    def _claim_removed(self, claim_id: int) -> None:
        self._claim_edits += 1
        if self.ready:
            self._announce(self._drop_cover(claim_id))

    def _claim_updated(self, claim_id: int) -> None:
        """A claim's fields changed; it may also sit elsewhere now (confirmed, re-attached)."""
        self._claim_edits += 1
        claim = self.session.claim(claim_id)
        if not self.ready or claim is None:
            return
        if self._covered_by(claim) != self._claim_cover.get(claim_id, ()):
            self._announce(self._drop_cover(claim_id) + self._add_cover(claim))

    def _announce(self, touched: tuple[int, ...]) -> None:
        """Tell the marks and the meter about each sentence a claim touched (a few at most;
        a decision moves only where the cover went from or to none, and a mark that did not
        change repaints nothing)."""
        if touched:
            self.decided.emit(sorted(set(touched)))

    # ------------------------------------------------------------------ what the window asks
    def decision(self, index: int) -> str:
        """OPEN, CLAIMED or DISMISSED (the values of core.coverage.Decision)."""
        if self._cover[index] > 0:
            return CLAIMED
        if index in self._dismissed:
            return DISMISSED
        return OPEN

    def decisions(self) -> list[str]:
        """decision(i) of every suggestion, in order: builtins over the cover rather than a
        call per sentence (60,000 calls cost ~20 ms of the GUI thread as a long text opened)."""
        cover = self._cover
        out = list(map(_BY_COVERED.__getitem__, map(bool, cover)))
        for index in self._dismissed:
            if 0 <= index < len(cover) and not cover[index]:
                out[index] = DISMISSED
        return out

    def dismissal(self, index: int) -> Dismissed | None:
        return self._dismissed.get(index)

    @property
    def total(self) -> int:
        return len(self.suggestions)

    @property
    def examined(self) -> int:
        """How many are claimed or dismissed."""
        return self._examined

    def index_of(self, key: str) -> int:
        return self._by_key.get(key, -1)

    def index_at(self, position: int) -> int:
        """The suggestion whose sentence holds code point position (or ends there), or -1."""
        i = bisect.bisect_right(self._starts, position) - 1
        if i >= 0 and position <= self.spans[i][1]:
            return i
        return -1

    def next_open(self, position: int, step: int, here: bool = False) -> int:
        """The next (+1) or previous (-1) open suggestion from code point position, wrapping
        around; -1 when none is open. Forward, a sentence starting at position counts only
        when here is true (the cursor sits before it rather than on it)."""
        n = len(self.suggestions)
        if step > 0:
            first = (bisect.bisect_left if here else bisect.bisect_right)(self._starts, position)
        else:
            first = bisect.bisect_left(self._starts, position) - 1
        for k in range(n):
            i = (first + k * step) % n
            if self.decision(i) == OPEN:
                return i
        return -1

    def tooltip(self, index: int) -> str:
        """'Check-worthy: figures, attribution (score 0.72)', and the dismissal if there is one."""
        s = self.suggestions[index]
        reasons = ", ".join(REASON_WORDS.get(r, str(r)) for r in s.reasons) or "no reason"
        tip = f"Check-worthy: {reasons} (score {s.score:.2f})"
        dismissed = self._dismissed.get(index)
        if self.decision(index) == DISMISSED and dismissed is not None:
            by = f" by {dismissed.by}" if dismissed.by else ""
            tip += f"\nDismissed{by}: {dismissed.reason}"
        return tip

    def reason_details(self, index: int) -> str:
        """Each reason in full, one per line (for the dismiss popup)."""
        from reviewapp.core.checkworthy import REASON_LABELS

        return "\n".join(REASON_LABELS.get(r, str(r)) for r in self.suggestions[index].reasons)

    # ------------------------------------------------------------------ decisions made here
    def set_dismissed(self, key: str, dismissed: Dismissed | None) -> None:
        """A dismissal was written (or taken back: None) for the suggestion with this key."""
        self._edits += 1
        index = self.index_of(key)
        if index < 0:
            self.read()
            return
        was = self._is_examined(index)
        if dismissed is None:
            self._dismissed.pop(index, None)
        else:
            self._dismissed[index] = dismissed
        self._examined += self._is_examined(index) - was
        self.decided.emit([index])

    def held(self, review_id: int, key: str, without: int = 0) -> Held | None:
        """What the window holds for a decision on suggestion KEY of the open review (its text,
        its claims but claim WITHOUT, the suggestion), so that the workflow reads nothing big
        on the GUI thread; None when the review or the text shown is not the one decided on."""
        data = self.session.data
        index = self.index_of(key)
        if (
            data is None
            or data.review.id != review_id
            or not self.ready
            or self.revision_id != data.revision.id
            or index < 0
        ):
            return None
        from reviewapp.workflows.suggestions import Held

        claims = [c for c in data.claims if c.id != without] if without else data.claims
        return Held(data.revision.id, data.revision.text, claims, self.suggestions[index])


@dataclass(frozen=True)
class Found:
    """The suggestions of a review as the reader thread read them and the worker indexed
    them."""

    suggestions: Sequence[Suggestion]  # their decisions left OPEN: the tracker keeps those
    english: bool
    enforced: bool
    threshold: float
    spans: list[tuple[int, int]]  # (start, end) of each suggestion, in text order
    starts: list[int]
    by_key: dict[str, int]  # key -> index
    by_hash: dict[str, tuple[int, ...]]  # sentence hash -> indices (a claim accepted from it)
    dismissed: dict[int, Dismissed]  # index -> the stored dismissal
    cover: list[int]  # how many of the claims given cover each suggestion
    claim_cover: dict[int, tuple[int, ...]]  # claim id -> the suggestions it covers
    examined: int  # claimed or dismissed


@dataclass(frozen=True)
class Stored:
    """What the reader read for the suggestions: the text, the record and its dismissals."""

    text: str
    record: SuggestionRecord
    dismissals: list[Dismissal]


def _read_coverage(
    store: ReviewStore,
    review_id: int,
    shown: tuple[int, str],
    places: Sequence[PlaceTuple],
    workers: Workers | None = None,
) -> Found:
    """On the reader's thread: the review's suggestions (as ``coverage_for`` finds them, but
    without its claims: the tracker lays the loaded claims over them itself, one bisect per
    claim, where the workflow matches claims against every sentence) and every dismissal
    stored for them (also of a sentence a claim covers now: should the claim go, the sentence
    is dismissed again, as the record says), indexed for the tracker, with what the claims at
    PLACES cover."""
    return _found(_read_stored(store, review_id, shown), places, workers or InProcess())


def _read_stored(store: ReviewStore, review_id: int, shown: tuple[int, str]) -> Stored:
    """On the reader's thread: the current text, the record and its dismissals. SHOWN is the
    revision the window shows, (id, text): its text is not read again while the review is on
    it (parsing the revision here held the GIL ~20 ms, a stall of the GUI thread opening the
    review)."""
    from reviewapp.core.model import SuggestionRecord

    with store.snapshot():
        review = store.review(review_id)
        if review.revision_id == shown[0]:
            text = shown[1]
        else:  # a new draft since: as coverage_for, the current one
            text = store.revision(review.revision_id).text
        record = store.suggestion_record(review_id)
        if record is None:  # signed off before the record carried coverage (as coverage_for)
            record = SuggestionRecord(enforced=store.coverage_enforced())
            dismissals = store.dismissals(review_id)
        else:
            dismissals = list(record.dismissals)  # the current revision's, as read just now
    return Stored(text, record, dismissals)


def _found(stored: Stored, places: Sequence[PlaceTuple], workers: Workers) -> Found:
    """Off the GUI thread: the suggestions indexed, with what the claims at PLACES cover. The
    assessment and the index are the worker process's (WORKERS): on a thread of the window's
    process they held the GIL ~300 ms for 10,000 sentences."""
    from reviewapp.workflows.suggestion_index import packed_index, unpack

    text, record, dismissals = stored.text, stored.record, stored.dismissals
    packed = workers.run(packed_index, text, record.threshold, places)
    index = unpack(packed, text)
    dismissed = {
        index.by_key[d.key]: Dismissed(d.reason, d.reviewer, d.decided_at)
        for d in dismissals
        if d.key in index.by_key
    }
    cover = index.cover
    examined = len(cover) - cover.count(0)
    examined += sum(1 for i in dismissed if cover[i] == 0)
    return Found(
        suggestions=index.suggestions,
        english=packed.english,
        enforced=record.enforced,
        threshold=record.threshold,
        spans=index.spans,
        starts=index.starts,
        by_key=index.by_key,
        by_hash=index.by_hash,
        dismissed=dismissed,
        cover=cover,
        claim_cover=index.claim_cover,
        examined=examined,
    )


class AcceptSuggestion(commands.AddClaim):
    """A suggested sentence (or words inside it) becomes a claim that remembers it was
    suggested; undo deletes the claim (and puts back a dismissal the accept replaced), redo
    puts the same claim back."""

    def __init__(
        self,
        session: ReviewSession,
        tracker: SuggestionTracker,
        review_id: int,
        key: str,
        span: tuple[int, int] | None,
        sentence: tuple[int, int],
    ):
        start, end = span or sentence
        super().__init__(session, review_id, start, end)
        self.setText("Accept suggestion as claim")
        self.tracker, self.key, self.span = tracker, key, span
        index = tracker.index_of(key)
        # Accepting a dismissed sentence replaces its dismissal (the store drops it).
        self.dismissed = tracker.dismissal(index) if index >= 0 else None
        # self.by (AddClaim's) is who accepts: the claim's author.

    def do(self) -> None:
        from reviewapp.workflows.suggestions import accepted_claim, undo_dismissal

        store = self.session.store
        if self.claim is None:
            start, end = self.span if self.span is not None else (None, None)
            self.claim = accepted_claim(
                store,
                self.review_id,
                self.key,
                start=start,
                end=end,
                reviewer=self.by,
                held=self.tracker.held(self.review_id, self.key),
            )
        else:
            self.claim = store.restore_claim(self.claim)
            if self.dismissed is not None:
                undo_dismissal(store, self.review_id, self.key)

    def revert(self) -> None:
        from reviewapp.workflows.suggestions import dismiss_suggestion

        assert self.claim is not None
        claim_id = self.claim.id
        super().revert()
        if self.dismissed is not None:
            d = self.dismissed
            dismiss_suggestion(
                self.session.store,
                self.review_id,
                self.key,
                d.reason,
                reviewer=d.by,
                # the session still lists the claim just deleted (refresh takes it out)
                held=self.tracker.held(self.review_id, self.key, without=claim_id),
            )

    def refresh(self, forward: bool) -> None:
        super().refresh(forward)
        if self.dismissed is not None and self.review_id == self.session.review_id:
            self.tracker.set_dismissed(self.key, None if forward else self.dismissed)


class DismissSuggestion(commands.StoreCommand):
    """The editor sets a suggested sentence aside with a reason; undo asks it again."""

    parts = frozenset({REVIEW})

    def __init__(
        self,
        session: ReviewSession,
        tracker: SuggestionTracker,
        review_id: int,
        key: str,
        reason: str,
    ):
        super().__init__(session, review_id, "Dismiss suggestion")
        self.tracker, self.key, self.reason = tracker, key, reason
        self.by = commands.reviewer_of(session)

    def do(self) -> None:
        from reviewapp.workflows.suggestions import dismiss_suggestion

        dismiss_suggestion(
            self.session.store,
            self.review_id,
            self.key,
            self.reason,
            reviewer=self.by,
            held=self.tracker.held(self.review_id, self.key),
        )

    def revert(self) -> None:
        from reviewapp.workflows.suggestions import undo_dismissal

        undo_dismissal(self.session.store, self.review_id, self.key)

    def refresh(self, forward: bool) -> None:
        if self.review_id != self.session.review_id:
            self.session.changed(self.review_id, self.parts)
            return
        self.tracker.set_dismissed(self.key, Dismissed(self.reason, self.by) if forward else None)
        self.session.reload(())  # the review's clock (and maybe status) moved: one row read
