"""Undoable edits: each QUndoCommand writes through to the store at once.

``ReviewSession.push`` runs ``apply()`` (the first do) itself so that a user error is shown
as a message and nothing lands on the undo stack; ``redo()`` after an undo does it again.
Typing in a claim's note or correction merges into one undo step per field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from reviewapp.core import scales
from reviewapp.core.anchoring import Selectors
from reviewapp.core.model import Claim, ImportedDraft, Source, Takeaway
from reviewapp.ui.session import CLAIMS, REVIEW, SOURCES, TAKEAWAYS

if TYPE_CHECKING:  # the export package (~25 ms) is not needed before the first paint
    from reviewapp.export.accountability import Accountability
    from reviewapp.ui.session import ReviewSession

_MERGE_CLAIM_TEXT = 1001  # command id: consecutive typing in one claim field merges
_LABELS = {
    "source_override": "reason for no source",
    "stance_override": "reason the status stands",
    "note": "note",
    "correction": "correction",
    "status": "status",
    "reviewer": "reviewer",
    "verdict": "verdict",
}


class StoreCommand(QUndoCommand):
    """A change to one review; subclasses define do() and revert()."""

    parts: frozenset[str] = frozenset({CLAIMS, SOURCES, TAKEAWAYS, REVIEW})

    def __init__(self, session: ReviewSession, review_id: int, text: str):
        super().__init__(text)
        self.session = session
        self.review_id = review_id
        self._already_done = False

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        """The first do, run by ReviewSession.push; errors propagate to it."""
        self.do()
        self._already_done = True
        self.refresh(forward=True)

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False  # push() calls redo(); apply() did the work
            return
        self._run(self.do, forward=True)

    def undo(self) -> None:
        self._run(self.revert, forward=False)

    def _run(self, fn: Any, forward: bool) -> None:
        if self.session.guard(fn):
            self.refresh(forward)
        else:
            # The store refused (e.g. the review was signed off meanwhile): drop this step.
            self.setObsolete(True)

    def refresh(self, forward: bool) -> None:
        self.session.changed(self.review_id, self.parts)


# ---------------------------------------------------------------------- reviews
class ImportReview(StoreCommand):
    """A freshly imported draft becomes a review; undo moves it to the bin."""

    def __init__(
        self, session: ReviewSession, draft: ImportedDraft, reviewer: str = "", saved_id: int = 0
    ):
        """saved_id: the review the draft was already saved as (off the GUI thread)."""
        title = draft.meta.title or draft.source_name
        super().__init__(session, saved_id, f"Import “{_short(title)}”")
        self.draft, self.reviewer = draft, reviewer
        self._saved = bool(saved_id)

    def do(self) -> None:
        if self._saved:
            self._saved = False  # the first do: the worker wrote it already
        elif not self.review_id:
            self.review_id = self.session.store.add_article(self.draft, self.reviewer)
        else:
            self.session.store.restore_review(self.review_id)

    def revert(self) -> None:
        self.session.store.delete_review(self.review_id)

    def refresh(self, forward: bool) -> None:
        _library_changed(self.session, self.review_id, forward)


class DeleteReview(StoreCommand):
    def __init__(self, session: ReviewSession, review_id: int, title: str):
        super().__init__(session, review_id, f"Delete review “{_short(title)}”")

    def do(self) -> None:
        self.session.store.delete_review(self.review_id)

    def revert(self) -> None:
        self.session.store.restore_review(self.review_id)

    def refresh(self, forward: bool) -> None:
        _library_changed(self.session, self.review_id, not forward)


def _library_changed(session: ReviewSession, review_id: int, present: bool) -> None:
    """After a review appeared (present) or went to the bin: show it, or close it."""
    if present:
        session.libraryChanged.emit()
        session.open_review(review_id)
    else:
        # Unless another review is on its way to be shown (an earlier step of the same undo
        # opened it: a reading replaced by another, undone); closing would drop it.
        if session.review_id == review_id and session.loading_id in (None, review_id):
            session.open_review(None)
        session.libraryChanged.emit()


class SetReviewField(StoreCommand):
    parts = frozenset({REVIEW})

    def __init__(self, session: ReviewSession, review_id: int, field: str, old: str, new: str):
        super().__init__(session, review_id, f"Set {_LABELS[field]}")
        self.field, self.old, self.new = field, old, new

    def do(self) -> None:
        self.session.store.set_review(self.review_id, **{self.field: self.new})

    def revert(self) -> None:
        self.session.store.set_review(self.review_id, **{self.field: self.old})


class SetAccountability(StoreCommand):
    """A change to the review's AI involvement, editorial responsibility or scope."""

    parts = frozenset({REVIEW})

    def __init__(
        self, session: ReviewSession, review_id: int, old: Accountability, new: Accountability
    ):
        super().__init__(session, review_id, _accountability_label(old, new))
        self.old, self.new = old, new

    def do(self) -> None:
        self._write(self.new)

    def revert(self) -> None:
        self._write(self.old)

    def _write(self, record: Accountability) -> None:
        self.session.store.set_accountability(
            self.review_id,
            ai=record.ai,
            responsibility=record.responsibility,
            scope=record.scope,
            recorded=record.recorded,
        )


def _accountability_label(old: Accountability, new: Accountability) -> str:
    if old.ai.disclosure != new.ai.disclosure:
        return "Record the disclosure line" if new.ai.disclosure else "Remove the disclosure line"
    if old.ai != new.ai:
        return "Set AI involvement"
    if old.responsibility != new.responsibility:
        return "Set editorial responsibility"
    return "Set review scope"


# ---------------------------------------------------------------------- claims
def reviewer_of(session: ReviewSession) -> str:
    """Who decides: the review's reviewer, else the name in Preferences."""
    data = session.data
    return (data.review.reviewer if data else "") or session.reviewer_default


class AddClaim(StoreCommand):
    parts = frozenset({CLAIMS, SOURCES})

    def __init__(self, session: ReviewSession, review_id: int, start: int, end: int):
        super().__init__(session, review_id, "Add claim")
        self.start, self.end = start, end
        self.claim: Claim | None = None
        self.by = reviewer_of(session)  # the claim's author, as a dismissal names its editor

    def do(self) -> None:
        store = self.session.store
        if self.claim is None:
            self.claim = store.add_claim_at(self.review_id, self.start, self.end, author=self.by)
        else:
            self.claim = store.restore_claim(self.claim)

    def revert(self) -> None:
        assert self.claim is not None
        self.claim = self.session.store.delete_claim(self.claim.id)

    def refresh(self, forward: bool) -> None:
        # The store returned the claim as written (with its number): the panes insert or
        # remove its one row and highlight, without re-reading the review.
        assert self.claim is not None
        _claim_came_or_went(self.session, self.review_id, self.claim, came=forward)
        if forward:
            self.session.activate_claim(self.claim.id)


class DeleteClaim(StoreCommand):
    parts = frozenset({CLAIMS, SOURCES})

    def __init__(self, session: ReviewSession, claim: Claim):
        super().__init__(session, claim.review_id, f"Delete claim {claim.number}")
        self.claim = claim

    def do(self) -> None:
        self.claim = self.session.store.delete_claim(self.claim.id)

    def revert(self) -> None:
        self.claim = self.session.store.restore_claim(self.claim)

    def refresh(self, forward: bool) -> None:
        _claim_came_or_went(self.session, self.review_id, self.claim, came=not forward)


def _claim_came_or_went(session: ReviewSession, review_id: int, claim: Claim, came: bool) -> None:
    if came:
        session.claim_added(review_id, claim)
    else:
        session.claim_removed(review_id, claim.id)


class SetClaimField(StoreCommand):
    """Status, note or correction of one claim; typing in one text field merges."""

    parts = frozenset({CLAIMS})

    def __init__(self, session: ReviewSession, claim: Claim, field: str, old: str, new: str):
        super().__init__(session, claim.review_id, f"Edit {_LABELS[field]} of claim {claim.number}")
        self.claim_id, self.field, self.old, self.new = claim.id, field, old, new
        self.claim = claim

    def do(self) -> None:
        self.claim = self.session.store.update_claim(self.claim_id, **{self.field: self.new})

    def revert(self) -> None:
        self.claim = self.session.store.update_claim(self.claim_id, **{self.field: self.old})

    def refresh(self, forward: bool) -> None:
        # The store returned the claim as written: the panes update its row, its highlight
        # and the counters, without re-reading the review.
        self.session.claim_updated(self.review_id, self.claim)

    def id(self) -> int:
        return _MERGE_CLAIM_TEXT if self.field in ("note", "correction") else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, SetClaimField)
            and other.claim_id == self.claim_id
            and other.field == self.field
        ):
            return False
        self.new = other.new
        if self.new == self.old:
            self.setObsolete(True)  # typed and erased again: nothing left to undo
        return True


class ConfirmAnchor(StoreCommand):
    """The editor confirms that a moved or uncertain claim sits on the right passage."""

    parts = frozenset({CLAIMS})

    def __init__(self, session: ReviewSession, claim: Claim):
        super().__init__(session, claim.review_id, f"Confirm passage of claim {claim.number}")
        self.claim_id = claim.id
        self.places: list[dict[str, Any]] = []

    def do(self) -> None:
        from reviewapp.workflows.revisions import confirm_claim  # re-anchoring: when first used

        store = self.session.store
        self.places = [p for p in store.claim_places(self.review_id) if p["id"] == self.claim_id]
        confirm_claim(store, self.claim_id)  # as `anchor confirm` does: the score becomes 1.0

    def revert(self) -> None:
        self.session.store.restore_claim_places(self.review_id, self.places)

    def refresh(self, forward: bool) -> None:
        # One claim sits differently: its row and highlight, read back alone.
        _claim_read_back(self.session, self.review_id, self.claim_id)


class ReattachClaim(StoreCommand):
    """Pin a claim to another passage of the current text (code points [start, end))."""

    parts = frozenset({CLAIMS, SOURCES})

    def __init__(self, session: ReviewSession, claim: Claim, start: int, end: int):
        super().__init__(session, claim.review_id, f"Re-attach claim {claim.number}")
        self.claim_id = claim.id
        self.span = (start, end)
        old = Selectors(claim.quote, claim.prefix, claim.suffix, claim.start, claim.end)  # type: ignore[arg-type]
        self.old = (old, claim.revision_id, claim.anchor_state, claim.previous_quote)

    def do(self) -> None:
        # The core decides which words the verdict was about, exactly as `anchor reattach` does.
        from reviewapp.workflows.revisions import reattach_claim  # re-anchoring: when first used

        reattach_claim(self.session.store, self.claim_id, *self.span)

    def revert(self) -> None:
        selectors, revision_id, state, previous = self.old
        self.session.store.reanchor_claim(
            self.claim_id, selectors, state, revision_id, previous_quote=previous
        )

    def refresh(self, forward: bool) -> None:
        # The claim may have moved in text order: it leaves its row for its new one.
        _claim_read_back(self.session, self.review_id, self.claim_id)


def _claim_read_back(session: ReviewSession, review_id: int, claim_id: int) -> None:
    """Show one claim as the store now has it (after a workflow that returns nothing)."""
    if review_id != session.review_id:
        session.changed(review_id, {CLAIMS, SOURCES})
        return
    session.claim_moved(review_id, session.store.claim_by_id(claim_id))


# ---------------------------------------------------------------------- sources
class AddSource(StoreCommand):
    parts = frozenset({CLAIMS, SOURCES})

    def __init__(
        self,
        session: ReviewSession,
        review_id: int,
        stances: dict[int, str],
        fields: dict[str, str],
    ):
        """stances: claim id -> the stance of the new source's link to it."""
        super().__init__(session, review_id, "Add source")
        self.stances, self.fields = stances, fields
        self.source: Source | None = None

    def do(self) -> None:
        store = self.session.store
        if self.source is None:
            self.source = store.add_source(
                self.review_id, list(self.stances), self.stances, **self.fields
            )
        else:
            self.source = store.restore_source(self.source)

    def revert(self) -> None:
        assert self.source is not None
        self.source = self.session.store.delete_source(self.source.id)

    def refresh(self, forward: bool) -> None:
        # The store returned the source as written: the panes insert or remove its one row
        # and update the rows of the claims it links to, without re-reading the review.
        assert self.source is not None
        if forward:
            self.session.source_added(self.review_id, self.source)
        else:
            self.session.source_removed(self.review_id, self.source.id)


class EditSource(StoreCommand):
    parts = frozenset({CLAIMS, SOURCES})

    def __init__(self, session: ReviewSession, source: Source, field: str, new: str):
        name = scales.SOURCE_FIELD_NAMES.get(field, field)
        super().__init__(session, source.review_id, f"Edit source {name}")
        self.source_id, self.field = source.id, field
        self.old, self.new = str(getattr(source, field)), new
        self.source = source

    def do(self) -> None:
        self.source = self.session.store.update_source(self.source_id, **{self.field: self.new})

    def revert(self) -> None:
        self.source = self.session.store.update_source(self.source_id, **{self.field: self.old})

    def refresh(self, forward: bool) -> None:
        self.session.source_updated(self.review_id, self.source)  # its row and form only


class DeleteSource(StoreCommand):
    parts = frozenset({CLAIMS, SOURCES})

    def __init__(self, session: ReviewSession, source: Source):
        super().__init__(
            session, source.review_id, f"Delete source “{_short(source.title or source.url)}”"
        )
        self.source = source

    def do(self) -> None:
        self.source = self.session.store.delete_source(self.source.id)

    def revert(self) -> None:
        self.source = self.session.store.restore_source(self.source)

    def refresh(self, forward: bool) -> None:
        # One row goes or comes back; the claims it links to are updated in memory.
        if forward:
            self.session.source_removed(self.review_id, self.source.id)
        else:
            self.session.source_added(self.review_id, self.source)


class SetLink(StoreCommand):
    """Link, unlink, or change the stance of the link between one claim and one source.

    old and new are stances ("supports", "refutes", "context"), "" meaning not linked.
    """

    parts = frozenset({CLAIMS, SOURCES})

    def __init__(
        self,
        session: ReviewSession,
        review_id: int,
        claim_id: int,
        source_id: int,
        old: str,
        new: str,
    ):
        text = "Link source" if not old else "Unlink source" if not new else "Change stance"
        super().__init__(session, review_id, text)
        self.claim_id, self.source_id, self.old, self.new = claim_id, source_id, old, new

    def _set(self, stance: str) -> None:
        store = self.session.store
        if stance:
            store.link(self.claim_id, self.source_id, stance)
        else:
            store.unlink(self.claim_id, self.source_id)

    def do(self) -> None:
        self._set(self.new)

    def revert(self) -> None:
        self._set(self.old)

    def refresh(self, forward: bool) -> None:
        stance = self.new if forward else self.old
        self.session.link_changed(self.review_id, self.claim_id, self.source_id, stance)


# ---------------------------------------------------------------------- takeaways
class AddTakeaway(StoreCommand):
    parts = frozenset({TAKEAWAYS})

    def __init__(self, session: ReviewSession, review_id: int, text: str, kind: str):
        super().__init__(session, review_id, "Add takeaway")
        self.text_, self.kind = text, kind
        self.takeaway: Takeaway | None = None

    def do(self) -> None:
        store = self.session.store
        if self.takeaway is None:
            self.takeaway = store.add_takeaway(self.review_id, self.text_, self.kind)
        else:
            self.takeaway = store.restore_takeaway(self.takeaway)

    def revert(self) -> None:
        assert self.takeaway is not None
        self.takeaway = self.session.store.delete_takeaway(self.takeaway.id)

    def refresh(self, forward: bool) -> None:
        assert self.takeaway is not None
        _takeaway_came_or_went(self.session, self.review_id, self.takeaway, came=forward)


class EditTakeaway(StoreCommand):
    parts = frozenset({TAKEAWAYS})

    def __init__(self, session: ReviewSession, takeaway: Takeaway, field: str, new: str):
        super().__init__(session, takeaway.review_id, f"Edit takeaway {field}")
        self.takeaway_id, self.field = takeaway.id, field
        self.old, self.new = str(getattr(takeaway, field)), new
        self.takeaway = takeaway

    def do(self) -> None:
        self.takeaway = self.session.store.update_takeaway(
            self.takeaway_id, **{self.field: self.new}
        )

    def revert(self) -> None:
        self.takeaway = self.session.store.update_takeaway(
            self.takeaway_id, **{self.field: self.old}
        )

    def refresh(self, forward: bool) -> None:
        self.session.takeaway_updated(self.review_id, self.takeaway)


class MoveTakeaway(StoreCommand):
    parts = frozenset({TAKEAWAYS})

    def __init__(self, session: ReviewSession, takeaway: Takeaway, position: int):
        super().__init__(session, takeaway.review_id, "Move takeaway")
        self.takeaway_id, self.old, self.new = takeaway.id, takeaway.position, position

    def do(self) -> None:
        self.session.store.move_takeaway(self.takeaway_id, self.new)

    def revert(self) -> None:
        self.session.store.move_takeaway(self.takeaway_id, self.old)

    def refresh(self, forward: bool) -> None:
        position = self.new if forward else self.old
        self.session.takeaway_moved(self.review_id, self.takeaway_id, position)


class DeleteTakeaway(StoreCommand):
    parts = frozenset({TAKEAWAYS})

    def __init__(self, session: ReviewSession, takeaway: Takeaway):
        super().__init__(session, takeaway.review_id, "Delete takeaway")
        self.takeaway = takeaway

    def do(self) -> None:
        self.takeaway = self.session.store.delete_takeaway(self.takeaway.id)

    def revert(self) -> None:
        self.takeaway = self.session.store.restore_takeaway(self.takeaway)

    def refresh(self, forward: bool) -> None:
        _takeaway_came_or_went(self.session, self.review_id, self.takeaway, came=not forward)


def _takeaway_came_or_went(
    session: ReviewSession, review_id: int, takeaway: Takeaway, came: bool
) -> None:
    if came:
        session.takeaway_added(review_id, takeaway)
    else:
        session.takeaway_removed(review_id, takeaway.id)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
