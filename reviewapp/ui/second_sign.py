"""The second reviewer's side of one main window: Review › Sign Second Assessment… and
Review › Open First Editor's Record… (with Co-sign), through the same workflows as
`reviewapp second sign`, `second record` and `second cosign`.

Signing and co-signing touch the system keyring and verifying reads files, so each runs on the
task pool with a store connection of its own; the GUI thread only asks and shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reviewapp.core.second_review import Role
from reviewapp.store import ReviewStore
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import error_message
from reviewapp.ui.preferences import Preferences
from reviewapp.ui.session import ALL_PARTS, ReviewSession
from reviewapp.ui.tasks import Task

if TYPE_CHECKING:  # the dialog is imported when first opened
    from reviewapp.ui.dialogs.second_cosign import FirstRecordDialog

log = logging.getLogger(__name__)

ASSESSMENT_FILTER = "Second assessment (*.json);;All files (*)"
RECORD_FILTER = "Signed review (*.md);;All files (*)"
SIGNATURE_FILTER = "Signature (*.sig);;All files (*)"


class SecondSigningController:
    """Sign the colleague's assessment, read the first editor's record, co-sign it.

    secrets: None for the system keyring (what the window was given).
    """

    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        host: WindowHost,
        preferences: Callable[[], Preferences],
        secrets: object | None = None,
    ):
        self.session, self.actions, self.host = session, actions, host
        self.preferences = preferences
        self.secrets = secrets
        self.dialog: FirstRecordDialog | None = None
        actions["review.second_sign"].triggered.connect(self.open_sign)
        actions["review.second_record"].triggered.connect(self.open_record)
        session.reviewChanged.connect(self.update_actions)
        session.reviewOpened.connect(self.update_actions)
        self.update_actions()

    def update_actions(self) -> None:
        data = self.session.data
        record = data.second_review if data is not None else None
        second_copy = record is not None and record.role is Role.SECOND
        self.actions["review.second_sign"].setEnabled(second_copy and self.session.editable)

    # ------------------------------------------------------------------ sign the assessment
    def open_sign(self) -> QFileDialog | None:
        """Check the copy is ready (every claim has a status), then ask where the file goes."""
        from reviewapp.workflows.second_review import check_assessment

        session = self.session
        session.flush()
        data = session.data
        if data is None:
            return None
        review_id = data.review.id
        if not session.guard(lambda: check_assessment(session.store, review_id)):
            return None  # the guard showed which claims have no status
        if not (self.preferences().reviewer_name or data.review.reviewer).strip():
            self.host.show_error(
                "Name who signs the assessment first: your name in Preferences, or the review's "
                "Reviewer field."
            )
            return None
        record = data.second_review
        assert record is not None
        return self.host.choose_save_path(
            "Sign Second Assessment",
            Path.home() / f"second-assessment-{record.review_uid}.json",
            ASSESSMENT_FILTER,
            self.sign,
        )

    def sign(self, path: Path) -> Task | None:
        """Sign the open copy's assessment with this editor's key and write it to path (on the
        pool); the copy then takes no more edits."""
        from reviewapp.workflows.second_review import sign_assessment

        session = self.session
        data = session.data
        if data is None:
            return None
        review_id, db_path, secrets = data.review.id, session.store.path, self.secrets
        prefs = self.preferences()
        name, email = prefs.reviewer_name or data.review.reviewer, prefs.email
        record = data.second_review
        requested_by = record.requested_by if record is not None else ""
        session.begin_writing(review_id, "signing the second assessment")

        def work(control):
            with ReviewStore(db_path) as store:
                return sign_assessment(
                    store,
                    review_id,
                    name,
                    email,
                    secrets,  # type: ignore[arg-type]
                    output=path,
                )

        def done(signed) -> None:
            session.end_writing(review_id)
            session.undo_stack.clear()  # edits before the signature cannot be undone now
            session.reload(ALL_PARTS)
            a = signed.assessment
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Second Assessment Signed",
                f"Signed your assessment of {len(a.claims)} claims as {a.assessor}, key "
                f"{a.fingerprint}.",
                QMessageBox.StandardButton.Ok,
                self.host.parent,
            )
            box.setObjectName("assessmentSigned")
            box.setInformativeText(
                f"Saved to {path}\nSend it back to {requested_by or 'the first editor'}. This "
                "review now takes no changes; Reopen to change it and sign again."
            )
            self.host.open_dialog(box)
            self.host.show_status(f"Signed the second assessment; saved to {path}", 10000)

        def failed(exc: BaseException) -> None:
            session.end_writing(review_id)
            log.warning("the second assessment of review %s was not signed: %s", review_id, exc)
            self.host.show_error(error_message(exc))

        return self.host.run_task(work, done, failed)

    # ------------------------------------------------------------------ the first editor's record
    def open_record(self) -> QFileDialog:
        return self.host.choose_file(
            "Open the First Editor's Signed Record", RECORD_FILTER, self.load_record
        )

    def load_record(self, md_path: Path) -> Task:
        """Verify the record and its Second review section (on the pool), then show it."""
        from reviewapp.workflows.second_record import read_first_record

        db_path = self.session.store.path

        def work(control):
            with ReviewStore(db_path) as store:
                return read_first_record(store, md_path)

        return self.host.run_task(work, self._show_record, self._failed)

    def _show_record(self, record) -> None:
        from reviewapp.ui.dialogs.second_cosign import FirstRecordDialog

        if self.dialog is None or not shiboken6.isValid(self.dialog):
            self.dialog = FirstRecordDialog(self.host.parent)
            self.dialog.cosignRequested.connect(self.cosign)
            self.dialog.cosign_as_button.clicked.connect(self.open_cosign_as)
        self.dialog.show_record(record)
        self.dialog.show()  # not modal: the article stays in reach
        self.dialog.raise_()
        self.dialog.activateWindow()

    # ------------------------------------------------------------------ co-sign
    def open_cosign_as(self) -> QFileDialog | None:
        dialog = self.dialog
        if dialog is None or dialog.path is None:
            return None
        md_path = dialog.path
        chooser = QFileDialog(
            dialog,
            "Co-sign As",
            str(md_path.with_name(md_path.name + ".second.sig")),
            SIGNATURE_FILTER,
        )
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.fileSelected.connect(lambda path: self.cosign(Path(path)))
        chooser.open()  # window-modal over the record, never exec()
        return chooser

    def cosign(self, output: Path | None = None) -> Task | None:
        """Co-sign the record shown (checked again, then signed on the pool); output None
        writes FILE.md.second.sig beside it."""
        from reviewapp.workflows.second_record import cosign_record

        dialog = self.dialog
        if dialog is None or dialog.path is None:
            return None
        md_path, db_path, secrets = dialog.path, self.session.store.path, self.secrets
        dialog.set_busy(True)

        def work(control):
            with ReviewStore(db_path) as store:
                return cosign_record(store, md_path, secrets, output)  # type: ignore[arg-type]

        def done(cosigned) -> None:
            text = f"Co-signed with key {cosigned.fingerprint}; wrote {cosigned.path}"
            if shiboken6.isValid(dialog):
                dialog.show_result(text, True)
            self.host.show_status(text, 10000)

        def failed(exc: BaseException) -> None:
            log.warning("%s was not co-signed: %s", md_path, exc)
            message = error_message(exc)
            if shiboken6.isValid(dialog):
                dialog.show_result(f"Not co-signed: {message}", False)
            self.host.show_error(message)

        return self.host.run_task(work, done, failed)

    def _failed(self, exc: BaseException) -> None:
        log.warning("the first editor's record was not shown: %s", exc)
        self.host.show_error(error_message(exc))
