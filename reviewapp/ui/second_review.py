"""Review › Request Second Review…, Import Second Assessment… and Compare with Second
Reviewer… of one main window, through the same workflow as `reviewapp second`.

File work (writing the request, reading and verifying an assessment, importing a request) runs
on the task pool with a store connection of its own; settling a claim is one small write, made
through the session like any other edit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QFileDialog

from reviewapp.core.states import ReviewStatus
from reviewapp.store import ReviewStore
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import error_message
from reviewapp.ui.preferences import Preferences
from reviewapp.ui.session import ALL_PARTS, ReviewSession
from reviewapp.ui.tasks import Task

if TYPE_CHECKING:  # the dialog is imported when first opened
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
        dialog = QFileDialog(
            self.host.parent,
            "Request a Second Review",
            str(Path.home() / f"second-review-request-{data.review.id}.json"),
            FILTER,
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: self.request(Path(path)))
        return self.host.open_dialog(dialog)

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
        dialog = QFileDialog(
            self.host.parent, "Import a Second Assessment or Request", str(Path.home()), FILTER
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.import_file(Path(path)))
        return self.host.open_dialog(dialog)

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
        from reviewapp.export.second_review import comparison

        dialog = self.dialog
        if dialog is None or not shiboken6.isValid(dialog):
            return
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

    def _failed(self, exc: BaseException) -> None:
        self.host.show_error(error_message(exc))
