"""The Export, Signing and Revisions controllers need only a WindowHost: here they run under a
plain widget and a host made by the test (its dialog opener records what it opens), with no
main window at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from reviewapp.store import ReviewStore
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.dialogs.signoff import SignoffDialog
from reviewapp.ui.exporting import ExportController
from reviewapp.ui.host import DialogOpener, WindowHost
from reviewapp.ui.importing import Importer
from reviewapp.ui.preferences import Preferences
from reviewapp.ui.revisions import RevisionsController
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.signing import SigningController
from reviewapp.ui.tasks import TaskRunner
from tests.conftest import make_draft


@dataclass
class Recorded:
    opened: list[QDialog] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Bench:
    """A parent widget, a session on a real database, and what the host was asked to do."""

    parent: QWidget
    session: ReviewSession
    actions: ActionSet
    host: WindowHost
    recorded: Recorded
    runner: TaskRunner


@pytest.fixture
def bench(qtbot, db_path: Path):
    parent = QWidget()
    qtbot.addWidget(parent)
    store = ReviewStore(db_path)
    runner = TaskRunner(synchronous=True, parent=parent)
    recorded = Recorded()

    def open_dialog(dialog):
        recorded.opened.append(dialog)
        dialog.open()
        return dialog

    host = WindowHost(
        parent=parent,
        open_dialog=open_dialog,
        show_status=lambda text, msecs: recorded.statuses.append(text),
        show_error=recorded.errors.append,
        run_task=runner.run_task,
    )
    yield Bench(parent, ReviewSession(store, parent), ActionSet(parent), host, recorded, runner)
    store.close()


def _open_a_review(bench: Bench) -> int:
    review_id = bench.session.store.add_article(make_draft(["Alpha beta gamma delta."]))
    bench.session.open_review(review_id)
    return review_id


def test_a_bad_bundle_is_reported_through_the_host(bench, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    exports = ExportController(bench.session, bench.actions, bench.host, settings)
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\x01 not a bundle")

    exports.import_bundles([garbage])

    (error,) = bench.recorded.errors
    assert error.startswith("garbage.json") and "\n" not in error
    assert bench.recorded.opened == []
    assert bench.session.store.count_reviews() == 0


def test_sign_off_opens_its_dialog_through_the_host_with_the_current_preferences(bench):
    preferences = Preferences(reviewer_name="Ada Editor", email="ada@example.org")
    signing = SigningController(bench.session, bench.actions, bench.host, lambda: preferences)
    assert signing.open_signoff() is None  # no review open: nothing to sign

    _open_a_review(bench)
    preferences = Preferences(reviewer_name="Grace Editor", email="grace@example.org")
    dialog = signing.open_signoff()

    assert bench.recorded.opened == [dialog] and isinstance(dialog, SignoffDialog)
    assert dialog.parent() is bench.parent and dialog.isVisible()
    assert (dialog.name.text(), dialog.email.text()) == ("Grace Editor", "grace@example.org")


def test_a_new_revision_of_a_signed_off_review_opens_through_the_host_saying_so(bench):
    importer = Importer(bench.session, bench.runner, Preferences, bench.parent)
    revisions = RevisionsController(bench.session, bench.actions, bench.host, importer)
    review_id = _open_a_review(bench)
    assert revisions.open_check_published() is None  # not signed off: nothing to compare with
    assert bench.recorded.errors == [
        "only a signed-off review has a signed text to compare the published one with"
    ]
    bench.session.store.set_status(review_id, "signed-off")
    bench.session.reload()

    dialog = revisions.open_new_revision()  # the import will reopen it for the new text
    assert dialog is not None and bench.recorded.opened == [dialog]
    assert "This review is signed off" in dialog.findChild(QLabel, "revisionIntro").text()
    assert revisions.offer_bar.parent() is bench.parent


def test_the_opener_frees_a_closed_dialog_when_the_next_one_opens(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    open_dialog = DialogOpener()
    first, second, third = QDialog(parent), QDialog(parent), QDialog(parent)

    assert open_dialog(first) is first and first.isVisible()
    first.close()
    open_dialog(second)  # the closed one goes once the event loop runs
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))

    open_dialog(third)  # the one still showing stays
    qtbot.wait(50)
    assert shiboken6.isValid(second) and second.isVisible()
