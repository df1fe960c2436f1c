"""Review › Request Second Review… (by file, or through the shared archive), Import Second
Assessment…, Import Co-signature… and Compare with Second Reviewer… of one main window, through
the same workflows as `reviewapp second`.

File work (writing the request, reading and verifying an assessment, importing a request) runs
on the task pool with a store connection of its own; settling a claim is one small write, made
through the session like any other edit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QFileDialog, QInputDialog

from reviewapp.core.states import ReviewStatus
from reviewapp.store import ReviewStore
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import error_message
from reviewapp.ui.preferences import Preferences
from reviewapp.ui.session import ALL_PARTS, ReviewSession
from reviewapp.ui.tasks import Task
from reviewapp.workflows.archive_place import has_archive

if TYPE_CHECKING:  # the dialog is imported when first opened; the keyring when first used
    from reviewapp.secrets import SecretStore
    from reviewapp.ui.dialogs.second_review import SecondReviewDialog

FILTER = "Second review (*.json);;All files (*)"


class SecondReviewController:
    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        host: WindowHost,
        preferences: Callable[[], Preferences],
    ):
        self.session, self.actions, self.host, self.preferences = (
            session,
            actions,
            host,
            preferences,
        )
        self.dialog: SecondReviewDialog | None = None
        actions["review.second_request"].triggered.connect(self.open_request)
        actions["review.second_import"].triggered.connect(self.open_import)
        actions["review.second_compare"].triggered.connect(self.open_compare)
        actions["review.second_required"].toggled.connect(self.set_required)
        self._connect_archive_and_cosignature(actions)
        session.reviewChanged.connect(self.update_actions)
        session.reviewOpened.connect(self.update_actions)
        session.claimUpdated.connect(lambda _id: self.refresh())
        session.reviewOpened.connect(self.refresh)
        self.update_actions()

    def update_actions(self) -> None:
        data = self.session.data
        editable = data is not None and not data.locked
        record = data.second_review if data is not None else None
        self.actions["review.second_request"].setEnabled(editable)
        required = self.actions["review.second_required"]
        required.setEnabled(editable)
        required.blockSignals(True)  # showing the flag is not the editor changing it
        required.setChecked(record is not None and record.required)
        required.blockSignals(False)
        self.actions["review.second_compare"].setEnabled(record is not None and record.assessed)
        self._update_archive_action(editable)

    def set_required(self, required: bool) -> bool:
        """Review › Require Second Review: this review's own flag (the gate enforces it)."""
        data = self.session.data
        if data is None:
            return False
        review_id = data.review.id
        done = self.session.guard(
            lambda: self.session.store.set_second_review_required(review_id, required)
        )
        self.session.reload(ALL_PARTS)  # also puts the check back when it was refused
        return done

    # ------------------------------------------------------------------ request
    def open_request(self) -> QFileDialog | None:
        data = self.session.data
        if data is None:
            return None
        self.session.flush()
        return self.host.choose_save_path(
            "Request a Second Review",
            Path.home() / f"second-review-request-{data.review.id}.json",
            FILTER,
            self.request,
        )

    def request(self, path: Path) -> Task | None:
        """Write the blind request for the open review to path (on the pool)."""
        from reviewapp.workflows.second_review import write_request

        if self.session.data is None:
            return None
        review_id, db_path = self.session.data.review.id, self.session.store.path
        name = self.preferences().reviewer_name

        def work(control):
            with ReviewStore(db_path) as store:
                return write_request(store, review_id, path, name)

        def done(request) -> None:
            self.session.reload(ALL_PARTS)
            self.host.show_status(
                f"Wrote {path.name}: {len(request.claims)} claims, none of your statuses, notes "
                "or sources. Send it to your colleague.",
                8000,
            )

        return self.host.run_task(work, done, self._failed)

    # ------------------------------------------------------------------ import
    def open_import(self) -> QFileDialog:
        return self.host.choose_file(
            "Import a Second Assessment or Request", FILTER, self.import_file
        )

    def import_file(self, path: Path) -> Task:
        """Import a signed assessment (verified) or a request (a new review to assess)."""
        from reviewapp.workflows.second_review import import_file

        self.session.flush()
        db_path = self.session.store.path
        name = self.preferences().reviewer_name

        def work(control):
            with ReviewStore(db_path) as store:
                return import_file(store, path, name)

        def done(result) -> None:
            kind, review_id = result
            if kind == "request":
                self.session.libraryChanged.emit()
                self.host.show_status(
                    f"Imported the request as review {review_id}: give each claim a status, then "
                    "Review ▸ Sign Second Assessment…",
                    10000,
                )
                return
            data = self.session.data
            if data is not None and data.review.id == review_id:
                self.session.reload(ALL_PARTS)
                self.open_compare()
            self.host.show_status(f"Imported the second assessment into review {review_id}", 8000)

        return self.host.run_task(work, done, self._failed)

    # ------------------------------------------------------------------ compare and settle
    def open_compare(self) -> SecondReviewDialog | None:
        from reviewapp.ui.dialogs.second_review import SecondReviewDialog

        if self.session.data is None:
            return None
        self.session.flush()
        if self.dialog is None or not shiboken6.isValid(self.dialog):
            self.dialog = SecondReviewDialog(self.host.parent)
            self.dialog.settleRequested.connect(self.settle)
        self.refresh()
        self.dialog.show()  # not modal: the article stays in reach
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def refresh(self) -> None:
        """Show the open review's comparison in the dialog, when it is open."""
        dialog = self.dialog
        if dialog is None or not shiboken6.isValid(dialog):
            return
        # Imported only with the dialog open: it pulls in the export package, which cost the
        # first review opened in a process ~40 ms of the GUI thread.
        from reviewapp.export.second_review import comparison

        data = self.session.data
        record = data.second_review if data is not None else None
        if data is None or record is None or not record.assessed:
            dialog.show_comparison(
                "No second reviewer's assessment is in for this review.", [], False
            )
            return
        who = (
            f"Second reviewer: {record.assessor}"
            + (f" <{record.assessor_email}>" if record.assessor_email else "")
            + f", key {record.assessor_fingerprint}, signed {record.assessed_at}"
        )
        editable = data.review.status != ReviewStatus.SIGNED_OFF
        dialog.show_comparison(who, comparison(data), editable)

    def settle(self, number: int, status: str, note: str) -> bool:
        from reviewapp.workflows.second_review import settle

        data = self.session.data
        if data is None:
            return False
        review_id = data.review.id
        actor = self.preferences().reviewer_name or data.review.reviewer
        done = self.session.guard(
            lambda: settle(self.session.store, review_id, number, status, note, actor)
        )
        if done:
            self.session.reload(ALL_PARTS)
            self.refresh()
            if self.dialog is not None:
                self.dialog.note.clear()
        return done

    # ------------------------------------------------------------------ the shared archive
    def _connect_archive_and_cosignature(self, actions: ActionSet) -> None:
        self.secrets: SecretStore | None = None  # None: the system keyring (tests give one)
        actions["review.second_request_archive"].triggered.connect(self.open_request_archive)
        actions["review.second_import_cosignature"].triggered.connect(self.open_import_cosignature)

    def _has_archive(self) -> bool:
        return has_archive(self.session.store.path)

    def _update_archive_action(self, editable: bool) -> None:
        self.actions["review.second_request_archive"].setEnabled(editable and self._has_archive())

    def open_request_archive(self) -> QInputDialog | None:
        """Ask for the colleague's email (empty: anyone who pulls), then push the request."""
        if self.session.data is None or not self._has_archive():
            return None
        self.session.flush()
        dialog = QInputDialog(self.host.parent)
        dialog.setWindowTitle("Request a Second Review through the Shared Archive")
        dialog.setLabelText(
            "Your colleague's email (empty: anyone who pulls the archive).\n"
            "The request holds the text and the claims' passages, none of your statuses, notes "
            "or sources."
        )
        dialog.textValueSelected.connect(self.request_through_archive)
        return self.host.open_dialog(dialog)

    def request_through_archive(self, to: str) -> Task | None:
        """Push the blind request for the open review to the shared archive (on the pool)."""
        from reviewapp.workflows.second_archive import request_through_archive

        if self.session.data is None:
            return None
        review_id, db_path = self.session.data.review.id, self.session.store.path
        name = self.preferences().reviewer_name
        given = self.secrets
        addressees = [to.strip()] if to.strip() else []

        def work(control):
            from reviewapp.secrets import default_secret_store

            secrets = given if given is not None else default_secret_store()
            with ReviewStore(db_path) as store:
                return request_through_archive(
                    store, secrets, db_path, review_id, addressees, name, control.cancel
                )

        def done(sent) -> None:
            self.session.reload(ALL_PARTS)
            who = addressees[0] if addressees else "anyone who pulls"
            self.host.show_status(
                f"Pushed the request for a second review ({sent.path}, for {who}): none of your "
                "statuses, notes or sources.",
                8000,
            )

        return self.host.run_task(work, done, self._failed)

    # ------------------------------------------------------------------ co-signature
    def open_import_cosignature(self) -> QFileDialog:
        return self.host.choose_file(
            "Import the Second Reviewer's Co-signature",
            "Co-signature (*.second.sig);;All files (*)",
            self.import_cosignature_file,
        )

    def import_cosignature_file(self, path: Path) -> Task:
        """Verify the co-signature and keep it with its review's sign-off (on the pool)."""
        from reviewapp.workflows.second_review import import_cosignature

        self.session.flush()
        db_path = self.session.store.path

        def work(control):
            with ReviewStore(db_path) as store:
                review_id = import_cosignature(store, path)
                signoff = store.load_review(review_id).current_signoff
                who = signoff.cosignature.signer if signoff and signoff.cosignature else ""
                return review_id, who

        def done(result) -> None:
            review_id, who = result
            data = self.session.data
            if data is not None and data.review.id == review_id:
                self.session.reload(ALL_PARTS)
            self.host.show_status(
                f"Kept the co-signature by {who} (second reviewer) with review {review_id}; "
                "exports write it beside the Markdown",
                8000,
            )

        return self.host.run_task(work, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.host.show_error(error_message(exc))
