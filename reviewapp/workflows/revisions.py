"""Newer drafts: import a revision, carry every claim over by re-anchoring, and the editor's
answers to what re-anchoring could not settle (confirm, re-attach, keep as orphaned)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from reviewapp.core.anchoring import Selectors, locate_quote, select
from reviewapp.core.coverage import carry_dismissals
from reviewapp.core.errors import BadInput
from reviewapp.core.model import Claim, ImportedDraft, Review, Signoff
from reviewapp.core.reanchor import Anchor, Placement, Reanchorer, carry_state
from reviewapp.core.scales import ANCHOR_STATES, FIRM_ANCHOR_STATES
from reviewapp.core.states import AnchorState, ReviewStatus
from reviewapp.store import ReviewStore
from reviewapp.store.rows import ClaimPlace, place_row
from reviewapp.workflows.drafts import DraftLoader, FetchedDraft


@dataclass(frozen=True)
class ClaimOutcome:
    """Where one claim ended up on the new revision."""

    claim_id: int
    number: int  # its number on the new revision (numbers follow the text)
    state: str
    score: float
    quote: str  # the words it now sits on (the old words if orphaned)
    previous_quote: str  # the words its verdict was about, when they changed


@dataclass
class RevisionReport:
    """What import_revision did: the new revision and every claim's state."""

    review_id: int
    revision_id: int
    number: int
    previous_number: int
    same_text: bool
    claims: list[ClaimOutcome] = field(default_factory=list)
    # The sign-off this import superseded (the review was signed off: it is in review again)
    reopened: Signoff | None = None
    # Dismissed suggestions whose sentence is unchanged (carried over) and the sentences of
    # those that changed (dropped: the editor is asked again)
    dismissals_kept: int = 0
    dismissals_dropped: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        found = Counter(c.state for c in self.claims)
        return {state: found.get(state, 0) for state in ANCHOR_STATES}

    @property
    def unsettled(self) -> list[ClaimOutcome]:
        """Claims that block sign-off until the editor answers them."""
        return [c for c in self.claims if c.state not in FIRM_ANCHOR_STATES]

    def summary_lines(self) -> list[str]:
        """One line per fact, for the CLI's stderr and the GUI's message."""
        text = "same text" if self.same_text else "text changed"
        lines = [
            f"review {self.review_id} is now on revision {self.number} "
            f"(was {self.previous_number}; {text})"
        ]
        if self.reopened is not None:
            lines.append(
                f"it was signed off (by {self.reopened.reviewer} on {self.reopened.signed_at}): "
                f"that signed record is kept as it is, marked superseded, and the review is in "
                f"review again: {needs_new_review(self.previous_number)}"
            )
        if self.dismissals_kept or self.dismissals_dropped:
            lines.append(
                f"dismissed suggestions: {self.dismissals_kept} carried over (sentence "
                f"unchanged), {len(self.dismissals_dropped)} to examine again (sentence changed)"
            )
        if not self.claims:
            return lines
        counts = ", ".join(f"{n} {ANCHOR_STATES[s].lower()}" for s, n in self.counts().items() if n)
        lines.append(f"claims: {counts}")
        for c in self.unsettled:
            what = ANCHOR_STATES[c.state].lower()
            if c.previous_quote and c.previous_quote != c.quote:
                lines.append(
                    f"claim {c.number} {what}: {_short(c.previous_quote)} -> {_short(c.quote)}"
                )
            else:
                lines.append(f"claim {c.number} {what}: {_short(c.quote)}")
        if self.unsettled:
            lines.append(
                f"settle them before sign-off: reviewapp anchor confirm {self.review_id} N | "
                f"anchor reattach {self.review_id} N --quote TEXT | "
                f"anchor orphan {self.review_id} N --note TEXT"
            )
        return lines


def _short(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"\u201c{text}\u201d"


@dataclass(frozen=True)
class RevisionPlan:
    """Where every claim of a review goes on a new draft, worked out without the database.

    Re-anchoring thousands of claims takes about a second; the GUI plans on its thread pool
    and import_revision only writes the plan (or plans again if the claims changed meanwhile).
    """

    base_revision_id: int
    anchors: tuple[Anchor, ...]
    placements: tuple[Placement, ...]
    reanchorer: Reanchorer


def plan_revision(
    current_text: str, base_revision_id: int, claims: list[Claim], draft: ImportedDraft
) -> RevisionPlan:
    """Re-anchor claims (as they sit on current_text) onto the draft; pure computation."""
    reanchorer = Reanchorer(current_text, draft.document.text)
    anchors = tuple(_anchor(c) for c in claims)
    return RevisionPlan(
        base_revision_id, anchors, tuple(reanchorer.place(a) for a in anchors), reanchorer
    )


def needs_new_review(signed_number: int) -> str:
    """What a sign-off superseded by a newer draft says about itself."""
    return (
        f"a new revision was imported after sign-off; this signed record covers revision "
        f"{signed_number} only, and the exemption from AI labelling it evidenced (EU AI Act "
        "Art. 50(4): human review and editorial responsibility) needs a new review and sign-off "
        "of the new text"
    )


def import_revision(
    store: ReviewStore, review_id: int, draft: ImportedDraft, plan: RevisionPlan | None = None
) -> RevisionReport:
    """Add draft as the next revision of the review's article, move the review onto it and
    re-anchor every claim, all in one transaction. No claim is ever deleted.

    A signed-off review is reopened in the same transaction: its signed record stays exactly
    as signed, superseded with the reason that the new text needs a new review.
    plan, from plan_revision, is used when it still fits the review's claims."""
    if not draft.document.text:
        raise BadInput("the new draft has no text; nothing was imported")
    review = store.review(review_id)  # signed off or not: a signed-off one is reopened below
    current = store.revision(review.revision_id)
    claims = store.claims(review_id)
    if (
        plan is None
        or plan.base_revision_id != current.id
        or plan.reanchorer.new_text != draft.document.text
        or plan.anchors != tuple(_anchor(c) for c in claims)
    ):
        # Done before the write transaction, so the database is locked only for the writes.
        plan = plan_revision(current.text, current.id, claims, draft)
    same = plan.reanchorer.same
    places = {c.id: _claim_place(c, p, same) for c, p in zip(claims, plan.placements, strict=True)}
    with store.transaction():
        reopened = None
        if store.review(review_id).status == ReviewStatus.SIGNED_OFF:
            from reviewapp.workflows.signoff import reopen

            reopened = reopen(store, review_id, needs_new_review(current.number), review.reviewer)
        revision = store.add_revision(review_id, draft, places)
        kept, dropped = _carry_dismissals(store, review_id, current.id, revision.id, plan)
    report = RevisionReport(
        review_id,
        revision.id,
        revision.number,
        current.number,
        same,
        reopened=reopened,
        dismissals_kept=kept,
        dismissals_dropped=dropped,
    )
    for claim in store.claims(review_id):
        score = places[claim.id].anchor_score
        outcome = ClaimOutcome(
            claim_id=claim.id,
            number=claim.number,
            state=claim.anchor_state,
            score=score or 0.0,
            quote=claim.quote,
            previous_quote=claim.previous_quote,
        )
        report.claims.append(outcome)
    return report


# The review as it was, its claims' places before, and the report of the import: what undo
# needs to take an import back.
Written = tuple[Review, list[dict[str, Any]], RevisionReport]


def write_revision(
    store: ReviewStore, review_id: int, draft: ImportedDraft, plan: RevisionPlan | None
) -> Written:
    """Import draft as the review's new revision (on any thread, with that thread's store),
    with what undo needs to take it back."""
    with store.snapshot():
        before, places = store.review(review_id), store.claim_places(review_id)
    return before, places, import_revision(store, review_id, draft, plan)


def revise(
    db_path: str,
    review_id: int,
    source: DraftLoader | FetchedDraft | ImportedDraft,
    current_text: str,
    base_revision_id: int,
    claims: list[Claim],
) -> tuple[ImportedDraft, Written]:
    """Read the new draft (unless given), re-anchor CLAIMS (as they sit on current_text) on
    it and write it as the review's new revision, on a connection of this process's own.
    The window runs it in a worker process (workflows/workers.py); the plan stays there
    (25 MB for 1,000,000 words, 0.2 s to unpickle), so the window's redo plans again."""
    draft = source if isinstance(source, ImportedDraft) else source()
    plan = plan_revision(current_text, base_revision_id, claims, draft)
    with ReviewStore(db_path) as store:
        return draft, write_revision(store, review_id, draft, plan)


def rewrite_revision(
    db_path: str, review_id: int, draft: ImportedDraft, binned: int = 0
) -> Written:
    """Write draft as the review's new revision, re-anchoring its claims as they are in the
    library now, on a connection of this process's own: the redo of an undone import, and a
    draft adopted as another review's revision (BINNED, the review it was imported as, goes
    to the bin in the same transaction). The window runs it in a worker process, where the
    plan stays (see revise)."""
    with ReviewStore(db_path) as store:
        # Planned before the transaction, so the library is locked only for the writes.
        current = store.revision(store.review(review_id).revision_id)
        plan = plan_revision(current.text, current.id, store.claims(review_id), draft)
        if not binned:
            return write_revision(store, review_id, draft, plan)
        with store.transaction():  # both or neither
            written = write_revision(store, review_id, draft, plan)
            store.delete_review(binned)
        return written


def take_back(store: ReviewStore, review_id: int, written: Written, restored: int = 0) -> None:
    """Undo a write_revision in one transaction: the review back on its earlier revision with
    every claim where it was, the imported revision removed, the sign-off it superseded in
    force again; RESTORED, a review binned with it (a draft adopted), out of the bin."""
    before, places, report = written
    with store.transaction():
        if restored:
            store.restore_review(restored)
        store.undo_revision_import(review_id, report.revision_id, before, places)
        if report.reopened is not None:  # signed off again, by the same record
            store.restore_superseded(report.reopened.id)


def unwrite_revision(db_path: str, review_id: int, written: Written, restored: int = 0) -> None:
    """take_back on a connection of this process's own (the window's undo runs it in a worker
    process: it rewrites every claim's place, 80-140 ms at 100,000 words and 2,000 claims)."""
    with ReviewStore(db_path) as store:
        take_back(store, review_id, written, restored)


def _carry_dismissals(
    store: ReviewStore, review_id: int, old_id: int, new_id: int, plan: RevisionPlan
) -> tuple[int, tuple[str, ...]]:
    """Carry the dismissals of check-worthy sentences that are unchanged in the new draft (in
    place or moved) to it; those whose sentence changed are not carried, so the editor is asked
    again. Claims accepted from a suggestion keep their mark (it is on the claim). Called
    inside import_revision's transaction; (how many were kept, the sentences dropped)."""
    old = store.dismissals(review_id, old_id)
    if not old:
        return 0, ()
    reanchorer = plan.reanchorer
    kept, dropped = carry_dismissals(old, reanchorer.new_text, place=reanchorer.offsets.start)
    store.carry_dismissals(review_id, new_id, kept)
    store.log_event(
        review_id,
        "suggestion-carry",
        store.review(review_id).reviewer,
        kept=[d.key for d in kept],
        dropped=[d.sentence for d in dropped],
    )
    return len(kept), tuple(d.sentence for d in dropped)


def _anchor(claim: Claim) -> Anchor:
    return Anchor(claim.quote, claim.prefix, claim.suffix, claim.start, claim.end)


def _claim_place(claim: Claim, placement: Placement, same_text: bool) -> ClaimPlace:
    """Where a claim sits after re-anchoring, and how firmly."""
    state = carry_state(claim.anchor_state, placement.state)
    if same_text and claim.start is not None:
        state = claim.anchor_state  # same content hash: position and state stand as they were
    # The words the verdict was about: kept while the question is open, set when words change.
    open_question = claim.anchor_state not in FIRM_ANCHOR_STATES
    previous = claim.previous_quote if open_question else ""
    sel = placement.selectors
    if sel is not None and sel.exact != claim.quote and not previous:
        previous = claim.quote
    if sel is not None and sel.exact == previous:
        previous = ""  # the words went back to what was checked
        if state == AnchorState.NEEDS_CONFIRMATION and placement.state in FIRM_ANCHOR_STATES:
            state = placement.state
    score = round(placement.score, 4)
    if sel is None:  # orphaned: keep the words and their context, but no place in this text
        return ClaimPlace(
            claim.quote, claim.prefix, claim.suffix, None, None, state, score, previous
        )
    return ClaimPlace(sel.exact, sel.prefix, sel.suffix, sel.start, sel.end, state, score, previous)


# ---------------------------------------------------------------------- the editor's answers
def confirm_claim(store: ReviewStore, claim_id: int, actor: str = "") -> Claim:
    """The editor checked the claim on its new passage: it is anchored there.

    previous_quote stays as the record of the words the verdict was first about.
    """
    with store.transaction():
        claim = store.claim_by_id(claim_id)
        review = store.review(claim.review_id, to_edit=True)
        if claim.start is None or claim.end is None:
            raise BadInput(
                f"claim {claim.number} has no place in the current draft; re-attach it: "
                f"reviewapp anchor reattach {review.id} {claim.number} --quote TEXT"
            )
        if claim.anchor_state != AnchorState.ANCHORED:
            store.move_claim(
                claim_id,
                {"anchor_state": AnchorState.ANCHORED, "anchor_score": 1.0},
                action="claim-confirm",
                actor=actor,
                was=claim.anchor_state,
                quote=claim.quote,
                previous_quote=claim.previous_quote,
            )
    return store.claim_by_id(claim_id)


def reattach_claim(
    store: ReviewStore, claim_id: int, start: int, end: int, actor: str = ""
) -> Claim:
    """Pin the claim to the editor's selection [start, end) of the current text: anchored."""
    with store.transaction():
        claim = store.claim_by_id(claim_id)
        review = store.review(claim.review_id, to_edit=True)
        text = store.revision(review.revision_id).text
        return _reattach(store, claim, review.revision_id, select(text, start, end), actor)


def reattach_claim_by_quote(
    store: ReviewStore, claim_id: int, quote: str, occurrence: int | None = None, actor: str = ""
) -> Claim:
    """Like reattach_claim, for a quote typed by the user (occurrence K picks among repeats)."""
    with store.transaction():
        claim = store.claim_by_id(claim_id)
        review = store.review(claim.review_id, to_edit=True)
        text = store.revision(review.revision_id).text
        selectors = locate_quote(text, quote, occurrence)
        return _reattach(store, claim, review.revision_id, selectors, actor)


def _reattach(
    store: ReviewStore, claim: Claim, revision_id: int, sel: Selectors, actor: str
) -> Claim:
    # The words the verdict was about: the earlier previous_quote while a question was open,
    # else the words the claim sat on until now.
    checked = claim.previous_quote if claim.anchor_state not in FIRM_ANCHOR_STATES else ""
    checked = checked or claim.quote
    previous = "" if checked == sel.exact else checked
    place = ClaimPlace(
        sel.exact, sel.prefix, sel.suffix, sel.start, sel.end, AnchorState.ANCHORED, 1.0, previous
    )
    return store.move_claim(
        claim.id,
        {**place_row(place), "revision_id": revision_id},
        action="claim-reattach",
        actor=actor,
        quote=sel.exact,
        start=sel.start,
        end=sel.end,
        previous_quote=previous,
        was=claim.anchor_state,
    )


def keep_orphaned(store: ReviewStore, claim_id: int, note: str = "", actor: str = "") -> Claim:
    """The claim has no place in this draft and the editor keeps it so: orphaned, with a note.

    The note is added to the claim's note (never replacing what is there). The claim still
    blocks sign-off: the editor removes it or re-attaches it.
    """
    note = note.strip()
    with store.transaction():
        claim = store.claim_by_id(claim_id)
        values: dict[str, Any] = {"anchor_state": AnchorState.ORPHANED, "start": None, "end": None}
        if claim.previous_quote and claim.anchor_state not in FIRM_ANCHOR_STATES:
            # Its verdict was about the earlier words: an orphan keeps those, not the lookalike.
            values.update(quote=claim.previous_quote, previous_quote="")
        if note:
            values["note"] = f"{claim.note}\n{note}" if claim.note else note
        return store.move_claim(
            claim_id, values, action="claim-orphan", actor=actor, was=claim.anchor_state, note=note
        )
