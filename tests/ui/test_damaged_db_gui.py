"""A damaged library in the window: it says so, offers a backup copy, another library, quit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from reviewapp.core.errors import DatabaseDamaged
from reviewapp.store import ReviewStore, database
from tests.conftest import file_digest, make_draft
from tests.rawdb import raw_db

PAGE = 4096


def _damaged_library(tmp_path: Path, table: str) -> tuple[Path, Path]:
    """A real library with one table's page overwritten, and an intact backup beside it."""
    path = tmp_path / "library.db"
    with ReviewStore(path) as store:
        rid = store.add_article(make_draft(["Alpha beta gamma delta.", "Epsilon zeta eta."]))
        store.add_claim_by_quote(rid, "beta gamma")
    with raw_db(path) as conn:
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", [table]
        ).fetchone()[0]
    backup = tmp_path / "library.db.v1-20261201T090000Z.bak"
    shutil.copyfile(path, backup)
    with path.open("r+b") as f:
        f.seek((root - 1) * PAGE)
        f.write(b"\xa5" * PAGE)
    return path, backup


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, Path]:
    return _damaged_library(tmp_path, "claims")


@pytest.fixture
def launcher(qtbot, settings_path):
    from reviewapp.secrets import MemorySecretStore
    from reviewapp.ui.app import Launcher

    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    made = Launcher(settings, MemorySecretStore(), synchronous=True)
    yield made
    for dialog in (made.dialog, *_file_dialogs_shown()):
        if dialog is not None and shiboken6.isValid(dialog):  # a window's dialog goes with it
            dialog.close()
    made.close()


def _file_dialogs_shown() -> list[QFileDialog]:
    """File dialogs on screen: over the window, or on their own when no library is open."""
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()
    ]


def test_a_damaged_library_at_start_shows_the_dialog_naming_the_backup(launcher, damaged, qtbot):
    path, backup = damaged
    before = file_digest(path)
    assert launcher.open_library(path) is None
    dialog = launcher.dialog
    assert dialog is not None and dialog.isVisible()
    assert "is damaged" in dialog.message.text() and str(backup) in dialog.message.text()
    assert dialog.backup_button.isEnabled()
    assert launcher.window is None
    assert file_digest(path) == before


def test_open_backup_opens_a_copy_and_leaves_the_damaged_file_and_the_backup_alone(
    launcher, damaged, qtbot
):
    path, backup = damaged
    before, backup_before = file_digest(path), file_digest(backup)
    launcher.open_library(path)
    qtbot.mouseClick(launcher.dialog.backup_button, Qt.MouseButton.LeftButton)
    window = launcher.window
    assert window is not None and window.isVisible()
    opened = window.session.store.path
    assert opened not in (path, backup) and opened.parent == path.parent
    assert [c.quote for c in window.session.store.claims(1)] == ["beta gamma"]
    assert file_digest(path) == before and file_digest(backup) == backup_before


def test_open_another_library_from_the_dialog(launcher, damaged, tmp_path, qtbot):
    path, _ = damaged
    other = tmp_path / "other.db"
    with ReviewStore(other) as store:
        store.add_article(make_draft(["Another draft entirely."], title="Other"))
    launcher.open_library(path)
    qtbot.mouseClick(launcher.dialog.other_button, Qt.MouseButton.LeftButton)
    (chooser,) = _file_dialogs_shown()
    assert chooser.windowTitle() == "Open a library"
    chooser.fileSelected.emit(str(other))
    assert launcher.window is not None
    assert launcher.window.session.store.path == other


def test_quit_from_the_dialog_ends_with_the_damaged_exit_code(launcher, damaged, qtbot):
    path, _ = damaged
    launcher.open_library(path)
    with qtbot.waitSignal(launcher.quitRequested) as quitting:
        qtbot.mouseClick(launcher.dialog.quit_button, Qt.MouseButton.LeftButton)
    assert quitting.args == [3] and launcher.exit_code == 3
    assert not launcher.dialog.isVisible()


def test_damage_met_later_by_a_read_brings_the_dialog(launcher, damaged, qtbot, monkeypatch):
    monkeypatch.setattr(database, "QUICK_CHECK_BUDGET", 0.0)  # the open check did not reach it
    path, backup = damaged
    before = file_digest(path)
    # The library list reads the damaged claims whenever Qt asks it for rows: those errors
    # reach run_app's sys.excepthook, which is launcher.report_unexpected.
    with qtbot.capture_exceptions():
        window = launcher.open_library(path)
        assert window is not None and launcher.dialog is None
        try:
            window.session.store.claims(1)
        except DatabaseDamaged as exc:
            launcher.report_unexpected(type(exc), exc, exc.__traceback__)
        assert launcher.dialog is not None and launcher.dialog.isVisible()
        assert str(backup) in launcher.dialog.message.text()
        launcher.close()
    assert file_digest(path) == before


def test_damage_met_later_by_an_edit_brings_the_dialog_and_writes_nothing(
    launcher, tmp_path, qtbot, monkeypatch
):
    monkeypatch.setattr(database, "QUICK_CHECK_BUDGET", 0.0)
    path, _ = _damaged_library(tmp_path, "search_index_data")
    before = file_digest(path)
    window = launcher.open_library(path)
    assert window is not None and launcher.dialog is None
    store = window.session.store
    assert not window.session.guard(lambda: store.add_takeaway(1, "never written"))
    assert launcher.dialog is not None and launcher.dialog.isVisible()
    launcher.close()
    assert file_digest(path) == before


def test_a_library_without_a_backup_offers_only_another_library_or_quit(launcher, damaged, qtbot):
    path, backup = damaged
    backup.unlink()
    launcher.open_library(path)
    assert not launcher.dialog.backup_button.isEnabled()
    assert "no backup" in launcher.dialog.message.text()
