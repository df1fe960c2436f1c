"""Sign off, reopen and verify from the GUI, through the same functions as the CLI.

Signing touches the system keyring (which may wait on a desktop prompt), so it runs on the
thread pool with its own ReviewStore connection (one store per thread; SQLite WAL lets the
two connections share the file).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from reviewapp.core.states import ReviewStatus
from reviewapp.store import ReviewStore
from reviewapp.ui.dialogs.signoff import ReopenDialog, SignoffDialog, verification_box
from reviewapp.ui.importing import error_message
from reviewapp.ui.session import ALL_PARTS
from reviewapp.ui.tasks import Task

if TYPE_CHECKING:
    from reviewapp.ui.main_window import MainWindow


class SigningController:
    def __init__(self, window: MainWindow, secrets: object | None = None):
        self.window = window
        self.secrets = secrets  # None: the default secret store (the system keyring)
        actions = window.action_set
        actions["review.signoff"].triggered.connect(self.open_signoff)
        actions["review.reopen"].triggered.connect(self.open_reopen)
        actions["review.verify"].triggered.connect(self.open_verify)

    def update_actions(self) -> None:
        data = self.window.session.data
        signed = data is not None and data.review.status == ReviewStatus.SIGNED_OFF
        self.window.action_set["review.signoff"].setEnabled(data is not None and not signed)
        self.window.action_set["review.reopen"].setEnabled(signed)

    # ------------------------------------------------------------------ sign off
    def open_signoff(self) -> SignoffDialog | None:
        session = self.window.session
        session.flush()
        if session.data is None:
            return None
        prefs = self.window.prefs
        name = session.data.review.reviewer or prefs.reviewer_name
        dialog = SignoffDialog(session.data, name, prefs.email, self.start_signoff, self.window)
        return self.window._open(dialog)

    def start_signoff(self, name: str, email: str, done, failed) -> Task:
        from reviewapp.workflows.signoff import sign_off

        session = self.window.session
        assert session.data is not None
        review_id, path, secrets = session.data.review.id, session.store.path, self.secrets

        def work(control):
            with ReviewStore(path) as store:
                return sign_off(store, review_id, name, email, secrets)  # type: ignore[arg-type]

        def finished(signoff) -> None:
            session.undo_stack.clear()  # edits before the signature cannot be undone now
            session.reload(ALL_PARTS)
            self.window.statusBar().showMessage(
                f"Signed off by {signoff.reviewer} ({signoff.fingerprint})", 8000
            )
            done()

        return self.window.runner.run_task(work, finished, lambda exc: failed(error_message(exc)))

    # ------------------------------------------------------------------ reopen
    def open_reopen(self) -> ReopenDialog | None:
        if self.window.session.data is None:
            return None
        return self.window._open(ReopenDialog(self.reopen, self.window))

    def reopen(self, reason: str) -> bool:
        from reviewapp.workflows.signoff import reopen

        session = self.window.session
        if session.data is None:
            return False
        review_id = session.data.review.id
        actor = self.window.prefs.reviewer_name
        if not session.guard(lambda: reopen(session.store, review_id, reason, actor)):
            return False
        session.undo_stack.clear()
        session.reload(ALL_PARTS)
        return True

    # ------------------------------------------------------------------ verify
    def open_verify(self) -> QFileDialog:
        dialog = QFileDialog(
            self.window,
            "Verify a Signed Review",
            str(Path.home()),
            "Markdown (*.md);;All files (*)",
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.verify(Path(path)))
        return self.window._open(dialog)

    def verify(self, md_path: Path) -> Task:
        """Check a file and its .sig against the reviewer keys this database knows."""
        from reviewapp.core.errors import VerificationFailed
        from reviewapp.workflows.verify import verify_file

        db_path = self.window.session.store.path

        def work(control):
            with ReviewStore(db_path) as store:
                return verify_file(md_path, store=store)

        def done(result) -> None:
            who = result.reviewer or result.principal
            email = f" <{result.email}>" if result.email else ""
            when = f" on {result.signed_at}" if result.signed_at else ""
            self.window.dialog = verification_box(
                self.window,
                True,
                f"{md_path.name} is intact.",
                f"Signed by {who}{email}{when}\nKey {result.fingerprint}",
            )

        def failed(exc: BaseException) -> None:
            if isinstance(exc, VerificationFailed):
                self.window.dialog = verification_box(
                    self.window, False, f"{md_path.name} does not verify.", str(exc)
                )
            else:
                self.window.show_error(error_message(exc))

        return self.window.runner.run_task(work, done, failed)
