"""Sign off, reopen and verify from the GUI, through the same functions as the CLI.

Signing touches the system keyring (which may wait on a desktop prompt), so it runs on the
thread pool with its own ReviewStore connection (one store per thread; SQLite WAL lets the
two connections share the file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from reviewapp.store import ReviewStore
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.dialogs.signoff import ReopenDialog, SignoffDialog, verification_box
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import error_message
from reviewapp.ui.preferences import Preferences
from reviewapp.ui.session import ALL_PARTS, ReviewSession
from reviewapp.ui.tasks import Task


class SigningController:
    """Review › Sign Off…, Reopen… and Verify File… of one main window.

    preferences is asked each time (the editor may change name or email in between); they give
    the name and email a sign-off starts with and the actor a reopening is recorded under.
    """

    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        host: WindowHost,
        preferences: Callable[[], Preferences],
        secrets: object | None = None,
    ):
        self.session = session
        self.actions = actions
        self.host = host
        self.preferences = preferences
        self.secrets = secrets  # None: the default secret store (the system keyring)
        # What the editor typed in a Sign Off dialog they cancelled, by review: the next one
        # starts with it (a name is not retyped because the gate sent them back to work).
        self._typed: dict[int, tuple[str, str]] = {}
        actions["review.signoff"].triggered.connect(self.open_signoff)
        actions["review.reopen"].triggered.connect(self.open_reopen)
        actions["review.verify"].triggered.connect(self.open_verify)

    def update_actions(self) -> None:
        data = self.session.data
        # locked: signed off, or a second reviewer's signed copy (reopened the same way)
        locked = data is not None and data.locked
        self.actions["review.signoff"].setEnabled(data is not None and not locked)
        self.actions["review.reopen"].setEnabled(locked)

    # ------------------------------------------------------------------ sign off
    def open_signoff(self) -> SignoffDialog | None:
        session = self.session
        session.flush()
        if session.data is None:
            return None
        prefs = self.preferences()
        review_id = session.data.review.id
        name, email = self._typed.get(
            review_id, (session.data.review.reviewer or prefs.reviewer_name, prefs.email)
        )
        dialog = SignoffDialog(session.data, name, email, self.start_signoff, self.host.parent)
        dialog.rejected.connect(lambda: self._keep_typed(review_id, dialog))
        return self.host.open_dialog(dialog)

    def _keep_typed(self, review_id: int, dialog: SignoffDialog) -> None:
        self._typed[review_id] = (dialog.name.text(), dialog.email.text())

    def start_signoff(self, name: str, email: str, done, failed) -> Task:
        from reviewapp.workflows.signoff import sign_off

        session = self.session
        assert session.data is not None
        review_id, path, secrets = session.data.review.id, session.store.path, self.secrets

        def work(control):
            with ReviewStore(path) as store:
                return sign_off(store, review_id, name, email, secrets)  # type: ignore[arg-type]

        def finished(signoff) -> None:
            session.undo_stack.clear()  # edits before the signature cannot be undone now
            session.reload(ALL_PARTS)
            self.host.show_status(f"Signed off by {signoff.reviewer} ({signoff.fingerprint})", 8000)
            done()

        return self.host.run_task(work, finished, lambda exc: failed(error_message(exc)))

    # ------------------------------------------------------------------ reopen
    def open_reopen(self) -> ReopenDialog | None:
        data = self.session.data
        if data is None:
            return None
        explain = ""
        if data.second_review is not None and data.second_review.signed_copy:
            explain = (
                "Reopening sets your signed second assessment aside so you can change it. The "
                "file you sent stays as it was signed; sign again and send the new one."
            )
        return self.host.open_dialog(ReopenDialog(self.reopen, self.host.parent, explain))

    def reopen(self, reason: str) -> bool:
        from reviewapp.workflows.signoff import reopen

        session = self.session
        if session.data is None:
            return False
        review_id = session.data.review.id
        actor = self.preferences().reviewer_name
        if not session.guard(lambda: reopen(session.store, review_id, reason, actor)):
            return False
        session.undo_stack.clear()
        session.reload(ALL_PARTS)
        return True

    # ------------------------------------------------------------------ verify
    def open_verify(self) -> QFileDialog:
        return self.host.choose_file(
            "Verify a Signed Review", "Markdown (*.md);;All files (*)", self.verify
        )

    def verify(self, md_path: Path) -> Task:
        """Check a file and its .sig (and a second reviewer's NAME.md.second.sig, when the file
        names one) against the reviewer keys this database knows."""
        from reviewapp.core.errors import VerificationFailed
        from reviewapp.workflows.second_review import verify_cosignature
        from reviewapp.workflows.verify import verify_file

        db_path = self.session.store.path

        def work(control):
            with ReviewStore(db_path) as store:
                return verify_file(md_path, store=store), verify_cosignature(md_path, store)

        def done(results) -> None:
            result, cosigner = results
            who = result.reviewer or result.principal
            email = f" <{result.email}>" if result.email else ""
            when = f" on {result.signed_at}" if result.signed_at else ""
            attested = (
                f"\nIts attestation {Path(result.attestation).name} is signed by the same key "
                "and names this file and the reviewed text."
                if result.attestation
                else ""
            )
            superseded = (
                f"\nSuperseded on {result.superseded_at}: {result.superseded_reason}"
                if result.superseded_at and result.superseded_reason
                else ""
            )
            box = verification_box(
                self.host.parent,
                True,
                f"{md_path.name} is intact.",
                f"Signed by {who}{email}{when}\nKey {result.fingerprint}{attested}{superseded}"
                + (
                    f"\nCo-signed by the second reviewer {cosigner.reviewer or cosigner.principal}"
                    f", key {cosigner.fingerprint}"
                    if cosigner is not None
                    else ""
                ),
            )
            self.host.open_dialog(box)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, VerificationFailed):
                box = verification_box(
                    self.host.parent, False, f"{md_path.name} does not verify.", str(exc)
                )
                self.host.open_dialog(box)
            else:
                self.host.show_error(error_message(exc))

        return self.host.run_task(work, done, failed)
