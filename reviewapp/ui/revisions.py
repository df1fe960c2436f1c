"""Newer drafts in the GUI: Import New Revision, the offer to follow an article whose address
matches, Keep as Orphaned, and Compare Drafts; each change undoable, through the store.

The workflows are the CLI's (``import_revision``, ``keep_orphaned``); undo puts claims
back from a snapshot of their places taken just before.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from reviewapp.core.model import Claim, ImportedDraft, Review
from reviewapp.core.states import ReviewStatus
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.commands import StoreCommand
from reviewapp.ui.dialogs.new_revision import NewRevisionDialog
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import Importer, error_message, is_web_address
from reviewapp.ui.session import ALL_PARTS, CLAIMS, ReviewSession
from reviewapp.ui.tasks import Task, TaskControl

if TYPE_CHECKING:  # the re-anchoring and diff code is imported when a revision first needs it
    from reviewapp.ui.dialogs.check_published import CheckPublishedDialog
    from reviewapp.ui.dialogs.diff_view import DiffDialog
    from reviewapp.workflows.published import PublishedCheck
    from reviewapp.workflows.revisions import RevisionReport, Written


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------- commands
class ImportRevision(StoreCommand):
    """A newer draft becomes the review's current revision; every claim is re-anchored.

    Undo returns the review to its earlier revision with every claim where it was, and removes
    the imported revision; redo imports the same draft again (re-anchoring is deterministic).
    Through REWRITE when given, both run off the GUI thread, as the first do did.
    """

    parts = ALL_PARTS

    def __init__(
        self,
        session: ReviewSession,
        review_id: int,
        draft: ImportedDraft,
        title: str,
        written: Written | None = None,
        rewrite: Callable[..., None] | None = None,
    ):
        """written: the import already done off the GUI thread (see write_revision);
        rewrite(command, forward=): starts a redo (forward) or an undo off the GUI thread,
        which ends in rewritten() or not_rewritten()."""
        super().__init__(session, review_id, f"Import new revision of “{_short(title)}”")
        self.draft = draft
        self.report: RevisionReport | None = None
        self._before: Review | None = None
        self._places: list[dict[str, Any]] = []
        self._written = written
        self._rewrite = rewrite
        self._lost = False  # a redo off the GUI thread failed: nothing to undo

    def do(self) -> None:
        if self._written is not None:  # the first do: the pool thread wrote it
            self.took(self._written)
            self._written = None
            return
        from reviewapp.workflows.revisions import write_revision

        self.took(write_revision(self.session.store, self.review_id, self.draft, None))

    def took(self, written: Written) -> None:
        """What a write of the draft left for undo."""
        self._before, self._places, self.report = written
        self._lost = False

    def rewritten(self, written: Written | None) -> None:
        """The redo (WRITTEN) or the undo (None) done off the GUI thread: show it."""
        if written is not None:
            self.took(written)
        self.refresh(forward=written is not None)

    def not_rewritten(self) -> None:
        """The redo or undo off the GUI thread failed (the editor was told, and the window
        shows what the library holds): the step leaves the stack at its next undo or redo,
        which does nothing."""
        self._lost = True
        self.setObsolete(True)

    def redo(self) -> None:
        if self._lost:
            self.setObsolete(True)
        elif self._already_done or self._rewrite is None:
            super().redo()
        else:
            self._rewrite(self, forward=True)

    def undo(self) -> None:
        if self._lost:
            self.setObsolete(True)
        elif self._rewrite is None:
            super().undo()
        else:
            self._rewrite(self, forward=False)

    def written(self) -> Written:
        """What undo takes back (there is something: the command was done)."""
        assert self.report is not None and self._before is not None
        return self._before, self._places, self.report

    def revert(self) -> None:
        from reviewapp.workflows.revisions import take_back

        take_back(self.session.store, self.review_id, self.written(), self.restored)

    @property
    def restored(self) -> int:
        """The review an undo takes out of the bin with the revision (0: none)."""
        return 0

    def refresh(self, forward: bool) -> None:
        _show_review(self.session, self.review_id)


class AdoptAsRevision(ImportRevision):
    """A review just imported turns out to be a newer draft of another review's article: the
    draft becomes that review's new revision and the just-made review goes to the bin."""

    def __init__(
        self,
        session: ReviewSession,
        review_id: int,
        draft: ImportedDraft,
        title: str,
        new_review_id: int,
        written: Written | None = None,
        rewrite: Callable[..., None] | None = None,
    ):
        """written: the revision written and the new review binned off the GUI thread."""
        super().__init__(session, review_id, draft, title, written, rewrite)
        self.new_review_id = new_review_id
        self.setText(f"Follow “{_short(title)}” with the new draft")

    def do(self) -> None:
        on_pool = self._written is not None  # the pool thread binned the new review too
        super().do()
        if not on_pool:
            self.session.store.delete_review(self.new_review_id)

    @property
    def restored(self) -> int:
        return self.new_review_id

    def refresh(self, forward: bool) -> None:
        self.session.libraryChanged.emit()
        _show_review(self.session, self.review_id if forward else self.new_review_id)


def _show_review(session: ReviewSession, review_id: int) -> None:
    if session.review_id == review_id:
        session.refresh_review()
    else:
        session.open_review(review_id)
        session.summaryChanged.emit(session.summary())


class KeepOrphaned(StoreCommand):
    """The editor keeps a claim that has no place in this draft, with a note why."""

    parts = frozenset({CLAIMS})

    def __init__(self, session: ReviewSession, claim: Claim, note: str):
        super().__init__(session, claim.review_id, f"Keep claim {claim.number} as orphaned")
        self.claim_id, self.note = claim.id, note
        self._places: list[dict[str, Any]] = []

    def do(self) -> None:
        store = self.session.store
        self._places = [p for p in store.claim_places(self.review_id) if p["id"] == self.claim_id]
        from reviewapp.workflows.revisions import keep_orphaned

        keep_orphaned(store, self.claim_id, self.note)

    def revert(self) -> None:
        self.session.store.restore_claim_places(self.review_id, self._places)


def ask_keep_orphaned(session: ReviewSession, claim: Claim, parent: QWidget) -> QInputDialog:
    """Ask (without blocking) for the note that says why the claim is kept without a place in
    this draft, then keep it so."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("keepOrphaned")
    dialog.setWindowTitle("Keep as Orphaned")
    dialog.setLabelText(
        f"Claim {claim.number} stays in the review with no passage in this draft.\n"
        "Why? (added to its note; it still blocks sign-off until re-attached or deleted)"
    )
    dialog.setOkButtonText("Keep as Orphaned")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.textValueSelected.connect(
        lambda note: session.push(KeepOrphaned(session, claim, note.strip()))
    )
    dialog.open()
    return dialog


# ---------------------------------------------------------------------- the offer bar
class OfferBar(QFrame):
    """A strip above the panes: "this draft looks like a newer revision of review N"."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("offerBar")
        self.setAccessibleName("Offer to import this draft as a new revision")
        self.setStyleSheet(
            "#offerBar { background: #e8f0fd; border-bottom: 1px solid #b8cdf4; }"
            "#offerBar QLabel { color: #1d3a6e; }"
        )
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.accept_button = QPushButton("Make It a New Revision", self)
        self.accept_button.setObjectName("primary")
        self.dismiss_button = QPushButton("Keep Separate", self)
        self.dismiss_button.clicked.connect(self.hide)
        self.accept_button.setAccessibleDescription(
            "Move this draft's claims onto the existing review as its newer revision"
        )
        self.dismiss_button.setAccessibleDescription("Keep this draft as a review of its own")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.dismiss_button)
        self.offer: tuple[int, int, ImportedDraft] | None = None  # new review, existing, draft
        self.hide()

    def show_offer(self, new_id: int, existing_id: int, title: str, draft: ImportedDraft) -> None:
        self.offer = (new_id, existing_id, draft)
        self.text.setText(
            f"This draft has the same address as review {existing_id}, "
            f"<b>{html.escape(title or '(untitled)')}</b>. Make it that review's new revision, "
            "so its claims follow the new text?"
        )
        self.show()


# ---------------------------------------------------------------------- the controller
class RevisionsController:
    """Wires the revision actions of one main window.

    The importer loads newer drafts the way every import does, and tells after each ordinary
    import which draft it was, so an address already under review can be offered as a revision.
    The window places ``offer_bar`` in its layout.
    """

    def __init__(
        self, session: ReviewSession, actions: ActionSet, host: WindowHost, importer: Importer
    ):
        self.session = session
        self.actions = actions
        self.host = host
        self.importer = importer
        self.offer_bar = OfferBar(host.parent)
        self.offer_bar.accept_button.clicked.connect(self.accept_offer)
        self._compare: DiffDialog | None = None  # one Compare Drafts window at a time
        actions["file.import_revision"].triggered.connect(self.open_new_revision)
        actions["view.compare"].triggered.connect(self.open_compare)
        actions["review.check_published"].triggered.connect(self.open_check_published)
        self._published: DiffDialog | None = None  # the published version's changes
        importer.drafted.connect(self.offer_revision)
        self.session.reviewOpened.connect(self._review_opened)

    def update_actions(self) -> None:
        data = self.session.data
        # A signed-off review takes a new revision too: the import reopens it for the new text.
        self.actions["file.import_revision"].setEnabled(data is not None)
        self.actions["view.compare"].setEnabled(data is not None)
        signed = data is not None and data.review.status == ReviewStatus.SIGNED_OFF
        self.actions["review.check_published"].setEnabled(signed)

    # ------------------------------------------------------------------ import a revision
    def open_new_revision(self) -> NewRevisionDialog | None:
        data = self.session.data
        if data is None:
            return None
        dialog = NewRevisionDialog(
            data.revision.meta.title,
            data.revision.number,
            self.start,
            self.host.parent,
            signed_off=not self.session.editable,
        )
        dialog.claimChosen.connect(self.session.activate_claim)
        dialog.compareRequested.connect(self.open_compare)
        return self.host.open_dialog(dialog)

    def start(self, kind: str, value: str, done, failed) -> Task:
        """Load the draft and re-anchor the claims off the GUI thread; then write the new
        revision (one quick transaction) as the open review's revision."""
        data = self.session.data
        assert data is not None
        review_id, title = data.review.id, data.revision.meta.title
        revision, claims = data.revision, list(data.claims)
        load = self.importer.load_draft(kind, value)
        reports: list[RevisionReport] = []
        path, workers = str(self.session.store.path), self.importer.workers

        def load_and_plan(control: TaskControl) -> tuple[ImportedDraft, Written]:
            from reviewapp.workflows.revisions import revise

            # Read, planned and written in a worker process (pure Python, seconds for a long
            # draft: on this thread it held the GIL the GUI thread needs), on a connection of
            # its own: saving a long draft with its full-text index took 0.6 s of the GUI
            # thread at 1,000,000 words. A page is fetched here, where it can be cancelled.
            if not load.local:
                control.report(0, "Reading the new draft…")
            source = load.fetched(control)
            control.report(30, f"Placing {len(claims)} claims on the new draft…")
            return workers.run(
                revise, path, review_id, source, revision.text, revision.id, claims, writes=True
            )

        def save(loaded: tuple[ImportedDraft, Written]) -> bool:
            draft, written = loaded
            self.session.end_writing(review_id)
            # No plan: it stayed in the worker (25 MB at 1,000,000 words); redo plans again,
            # in the worker too.
            command = ImportRevision(self.session, review_id, draft, title, written, self._rewrite)
            if not self.session.push(command):
                return False
            assert command.report is not None
            reports.append(command.report)
            self._announce(command.report)
            return True

        def not_saved(message: str) -> None:
            self.session.end_writing(review_id)
            failed(message)

        # The review takes no edits until the new revision is written and shown: the claims
        # are planned from the ones shown now, and an edit made meanwhile would be placed on
        # the old text's positions in the new one.
        self.session.begin_writing(review_id, "saving the new revision…")
        return self.importer.import_revision(
            load_and_plan, save, lambda: done(reports[-1]), not_saved
        )

    def _rewrite(self, command: ImportRevision, forward: bool) -> None:
        """Redo (FORWARD) or undo an import of a revision the way its first do ran: in a
        worker process (planning is seconds of pure Python for a long draft, and putting
        2,000 claims back 80-140 ms); the reviews take no edits until it is shown."""
        from reviewapp.workflows.revisions import rewrite_revision, unwrite_revision

        path, workers = str(self.session.store.path), self.importer.workers
        review_id, draft = command.review_id, command.draft
        binned = command.restored
        busy = [review_id, binned] if binned else [review_id]

        def redo(control: TaskControl) -> Written:
            control.report(0, f"Placing the claims of review {review_id} on the new draft…")
            return workers.run(rewrite_revision, path, review_id, draft, binned, writes=True)

        def undo(control: TaskControl) -> None:
            control.report(0, f"Putting the claims of review {review_id} back…")
            workers.run(unwrite_revision, path, review_id, command.written(), binned, writes=True)

        def ended() -> None:
            for review in busy:
                self.session.end_writing(review)

        def done(written: Written | None) -> None:
            ended()
            self.importer.wroteOnPool.emit()
            command.rewritten(written)

        def failed(exc: BaseException) -> None:
            ended()
            command.not_rewritten()
            self.session.refresh_review()  # what the library holds now
            self.host.show_error(error_message(exc))

        for review in busy:
            self.session.begin_writing(
                review, "saving the new revision…" if forward else "undoing the new revision…"
            )
        work = redo if forward else undo
        self.importer.runner.run_task(work, done, failed, progress=self.importer.progress.emit)

    def _announce(self, report: RevisionReport) -> None:
        counts = report.counts()
        placed = ", ".join(f"{n} {state.replace('-', ' ')}" for state, n in counts.items() if n)
        text = f"Now on revision {report.number}: {placed or 'no claims to place'}"
        if report.reopened is not None:
            text = "Reopened for the new text (the signed record is kept, superseded) · " + text
        if report.unsettled:
            text += f" · {len(report.unsettled)} to settle before sign-off"
        self.host.show_status(text, 10000)

    # ------------------------------------------------------------------ the offer
    def offer_revision(self, new_id: int, draft: ImportedDraft) -> None:
        """After a normal import: if another review has the same canonical URL, offer to make
        the draft that review's new revision instead."""
        existing = self.session.store.review_with_canonical_url(draft.meta.canonical_url, new_id)
        if existing is None:
            return
        title = self.session.store.load_review(existing).revision.meta.title
        self.offer_bar.show_offer(new_id, existing, title, draft)

    def accept_offer(self) -> Task | None:
        """Make the offered draft the other review's new revision: planned and written on
        the pool (status-bar progress); both reviews take no edits until it is shown."""
        if self.offer_bar.offer is None:
            return None
        new_id, existing, draft = self.offer_bar.offer
        self.offer_bar.offer = None
        self.offer_bar.hide()
        title = draft.meta.title or draft.source_name
        path, workers = str(self.session.store.path), self.importer.workers

        def plan_and_write(control: TaskControl) -> Written:
            from reviewapp.workflows.revisions import rewrite_revision

            control.report(0, f"Placing the claims of review {existing} on the new draft…")
            # Read, planned and written in a worker process, on a connection of its own: the
            # existing review may be long (planning is pure Python, seconds at 1,000,000
            # words, and on a thread here it held the GIL the GUI thread needs), and neither
            # review takes edits meanwhile.
            return workers.run(rewrite_revision, path, existing, draft, new_id, writes=True)

        def ended() -> None:
            self.session.end_writing(existing)
            self.session.end_writing(new_id)

        def adopt(written: Written) -> bool:
            ended()
            command = AdoptAsRevision(
                self.session, existing, draft, title, new_id, written, self._rewrite
            )
            if self.session.push(command):  # a refusal the session has shown already
                assert command.report is not None
                self._announce(command.report)
            return True

        def failed(message: str) -> None:
            ended()
            if message != "cancelled":
                self.host.show_error(message)

        self.session.begin_writing(existing, "saving the new revision…")
        self.session.begin_writing(new_id, f"moving this draft onto review {existing}…")
        return self.importer.import_revision(plan_and_write, adopt, lambda: None, failed)

    def _review_opened(self) -> None:
        # The offer is about the review just imported; once the editor moves on, it goes.
        offer = self.offer_bar.offer
        if offer is not None and self.session.review_id != offer[0]:
            self.offer_bar.offer = None
            self.offer_bar.hide()

    # ------------------------------------------------------------------ compare drafts
    def open_compare(self) -> DiffDialog | None:
        from reviewapp.ui.dialogs.diff_view import DiffDialog

        if self.session.data is None:
            return None
        previous = self._compare
        if previous is not None and shiboken6.isValid(previous):
            previous.close()
        dialog = DiffDialog(self.session, self.host.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the editor reads the changes and works on the claims
        self._compare = dialog
        return dialog

    # ------------------------------------------------------------------ published = reviewed
    def open_check_published(self) -> CheckPublishedDialog | None:
        from reviewapp.ui.dialogs.check_published import CheckPublishedDialog

        data = self.session.data
        signoff = data.current_signoff if data is not None else None
        if data is None or signoff is None or data.review.status != ReviewStatus.SIGNED_OFF:
            self.host.show_error(
                "only a signed-off review has a signed text to compare the published one with"
            )
            return None
        signed = self.session.store.revision(signoff.revision_id)
        dialog = CheckPublishedDialog(signed.number, self.check_published, self.host.parent)
        dialog.changesFound.connect(self.show_published_changes)
        return self.host.open_dialog(dialog)

    def check_published(self, source: str, done, failed) -> Task:
        """Read the published version and compare it in a worker process (a page is fetched
        on the pool thread first), with a store connection of the worker's own; nothing is
        written."""
        data = self.session.data
        assert data is not None
        review_id, path = data.review.id, str(self.session.store.path)
        load = self.importer.load_draft("url" if is_web_address(source) else "file", source)
        workers = self.importer.workers

        def work(control: TaskControl) -> PublishedCheck:
            from reviewapp.workflows.published import check_published_source

            return workers.run(
                check_published_source,
                path,
                review_id,
                load.fetched(control),
                cancel=control.cancel,
            )

        def not_checked(exc: BaseException) -> None:
            from reviewapp.workflows.workers import WorkerCancelled

            # The editor cancelled: the dialog closes (it knows), nothing to report.
            failed("cancelled" if isinstance(exc, WorkerCancelled) else error_message(exc))

        return self.host.run_task(work, done, not_checked)

    def show_published_changes(self, check: PublishedCheck) -> DiffDialog | None:
        """The changed passages and the claims each touches, in the Compare view."""
        from reviewapp.ui.dialogs.diff_view import ComparedTexts, DiffDialog

        if self.session.data is None:
            return None
        previous = self._published
        if previous is not None and shiboken6.isValid(previous):
            previous.close()
        texts = ComparedTexts(
            old=check.signed,
            new=check.published,
            old_name=f"signed revision {check.signed.number}",
            new_name="published version",
            changes=check.changes,
            touched=check.touched,
            title="Published Version and Signed Revision",
        )
        dialog = DiffDialog(self.session, self.host.parent, texts)
        dialog.setObjectName("publishedChanges")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal, like Compare Drafts
        self._published = dialog
        return dialog
