"""File › Shared Archive…: a non-modal window that joins, pulls and reports off the GUI thread,
with progress and cancel (offscreen, real windows, a real archive made by a real editor)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.store import ReviewStore
from reviewapp.ui.dialogs.archive import ArchiveDialog
from reviewapp.ui.tasks import TaskRunner
from reviewapp.workflows.archive import archive_path
from tests.archive_editors import Editor, require_tools, start_editor


@pytest.fixture
def ada_archive(tmp_path: Path) -> Iterator[tuple[Editor, Path]]:
    """Ada (her own home and keyring) has started an archive and pushed one review."""
    require_tools()
    ada = start_editor(tmp_path, "Ada Editor", "ada@example.org")
    shared = tmp_path / "shared.git"
    ada.signed_review("Archived review")
    ada.ok("archive", "init", shared)
    ada.ok("archive", "push")
    yield ada, shared
    ada.stop()


def _titles(db: Path) -> list[str]:
    store = ReviewStore(db)
    try:
        return [r.title for r in store.list_reviews()]
    finally:
        store.close()


def test_the_file_menu_opens_the_archive_window_without_blocking_the_main_window(make_window):
    window = make_window()
    action = window.action_set["file.archive"]
    assert action.text() == "Shared &Archive…"
    action.trigger()
    dialog = window.archive.dialog
    assert isinstance(dialog, ArchiveDialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert "no shared archive yet" in dialog.where.text()
    assert dialog.url.isVisible() and dialog.join_button.isEnabled()
    assert not dialog.pull_button.isEnabled() and not dialog.push_button.isEnabled()
    action.trigger()  # again: the same window comes back to the front
    assert window.archive.dialog is dialog


@pytest.mark.secret_service
def test_joining_imports_the_archive_and_the_library_shows_it(
    qtbot, make_window, db_path, ada_archive
):
    _ada, shared = ada_archive
    window = make_window()
    window.action_set["file.archive"].trigger()
    dialog = window.archive.dialog
    assert dialog is not None
    dialog.url.setText(str(shared))
    with qtbot.waitSignal(window.session.libraryChanged):
        dialog.join_button.click()
    log = dialog.log.toPlainText()
    assert "2 new commit(s) verified; 1 review(s) imported" in log
    assert _titles(db_path) == ["Archived review"]
    assert window.library.model.rowCount() == 1
    # now the window offers Status, Pull and Push instead of Join
    assert dialog.pull_button.isEnabled() and not dialog.url.isVisible()
    dialog.status_button.click()
    assert "behind: 0 commit(s) to pull" in dialog.log.toPlainText()


@pytest.mark.secret_service
def test_cancel_stops_a_pull_importing_nothing_and_a_pull_on_the_pool_imports(
    qtbot, db_path, ada_archive
):
    ada, shared = ada_archive
    ReviewStore(db_path).close()
    # This library joined the archive before Ada pushed a second review.
    dialog = ArchiveDialog(db_path, TaskRunner(synchronous=True).run_task)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url.setText(str(shared))
    dialog.join()
    ada.signed_review("Second review")
    ada.ok("archive", "push")
    head = (archive_path(dialog.db_path) / ".git" / "refs" / "heads" / "main").read_text()

    # Cancel as soon as the pull reports progress (the editor clicks Cancel).
    clicked: list[bool] = []

    def cancel_at_first_progress(percent: int) -> None:
        if percent and not clicked:
            clicked.append(dialog.cancel_button.isEnabled())
            dialog.cancel_button.click()

    dialog.progress.valueChanged.connect(cancel_at_first_progress)
    dialog.pull()
    dialog.progress.valueChanged.disconnect(cancel_at_first_progress)
    assert clicked == [True]
    assert "Failed: cancelled" in dialog.log.toPlainText()
    assert _titles(db_path) == ["Archived review"]
    assert (archive_path(db_path) / ".git" / "refs" / "heads" / "main").read_text() == head

    # On the real thread pool: the window stays responsive (Pull is disabled, Cancel live)
    # until the result comes back, then the second review is in the library.
    runner = TaskRunner()
    pooled = ArchiveDialog(db_path, runner.run_task)
    qtbot.addWidget(pooled)
    pooled.show()
    task = pooled.pull()
    assert pooled.cancel_button.isEnabled() and not pooled.pull_button.isEnabled()
    qtbot.waitUntil(lambda: task.finished and not pooled.busy, timeout=60000)
    assert "1 review(s) imported" in pooled.log.toPlainText()
    assert sorted(_titles(db_path)) == ["Archived review", "Second review"]
    assert pooled.pull_button.isEnabled() and not pooled.cancel_button.isEnabled()
    runner.wait(5000)
