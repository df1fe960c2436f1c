"""The import limits an editor sets in Preferences (largest draft, time to read it) bound every
import from the window: a file, and a paste too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from reviewapp.ui.preferences import MAX_DRAFT_MB, load_preferences


def _error_shown(window) -> str:
    box = window.findChild(QMessageBox, "errorBox")
    return box.text() if box is not None and box.isVisible() else ""


def _set_limits(window, draft_mb: int, read_seconds: float) -> None:
    dialog = window.open_preferences()
    dialog.max_draft.setValue(draft_mb)
    dialog.read_time.setValue(read_seconds)
    dialog.accept()


def test_the_limits_are_saved_and_reach_the_importer(make_window, settings_path):
    window = make_window()
    _set_limits(window, 3, 5)
    prefs = load_preferences(QSettings(str(settings_path), QSettings.Format.IniFormat))
    assert (prefs.max_draft_mb, prefs.max_read_seconds) == (3, 5.0)
    settings = window.prefs.ingest_settings()
    assert (settings.max_bytes, settings.max_seconds) == (3 * 2**20, 5.0)


def test_a_paste_over_the_largest_draft_is_refused_and_nothing_is_added(make_window):
    window = make_window()
    _set_limits(window, 1, 10)
    window.importer.import_text("Title\n\n" + "word " * 300_000)  # 1.4 MB
    assert "over the 1.0 MB limit" in _error_shown(window)
    assert window.session.store.list_reviews() == []


def test_a_file_over_the_largest_draft_is_refused(make_window, tmp_path: Path):
    window = make_window()
    _set_limits(window, 1, 10)
    path = tmp_path / "long.txt"
    path.write_text("Title\n\n" + "word " * 300_000)
    window.importer.import_path(path)
    assert "over the 1.0 MB limit" in _error_shown(window)
    assert window.session.store.list_reviews() == []


def test_the_dialog_keeps_limits_inside_what_an_import_can_bear(make_window):
    window = make_window()
    dialog = window.open_preferences()
    dialog.max_draft.setValue(10_000)  # typed in: the spin box holds it to its range
    assert dialog.max_draft.value() == MAX_DRAFT_MB
    dialog.reject()


def test_a_hand_edited_settings_file_falls_back_to_usable_limits(settings_path):
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("preferences/max_draft_mb", "lots")
    settings.setValue("preferences/max_read_seconds", "nan")
    settings.sync()
    prefs = load_preferences(settings)
    assert (prefs.max_draft_mb, prefs.max_read_seconds) == (20, 10.0)
