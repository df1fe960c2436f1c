"""Opening a library in the window makes today's copy of it, off the GUI thread; a library damaged
later offers that copy in its dialog; a copy that cannot be made is said in the status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reviewapp.store import ReviewStore
from reviewapp.store.daily_backup import daily_backups
from tests.conftest import make_draft


@pytest.fixture
def launcher(qtbot, settings_path):
    from reviewapp.secrets import MemorySecretStore
    from reviewapp.ui.app import Launcher

    made = Launcher(
        QSettings(str(settings_path), QSettings.Format.IniFormat),
        MemorySecretStore(),
        synchronous=True,
    )
    yield made
    made.close()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    with ReviewStore(path) as store:
        store.add_article(make_draft(["Alpha beta gamma delta."]))
    return path


def test_opening_the_library_makes_one_copy_a_day(launcher, library: Path):
    assert launcher.open_library(library) is not None
    copies = daily_backups(library)
    assert len(copies) == 1
    launcher.open_library(library)  # opened again the same day
    assert daily_backups(library) == copies
    with ReviewStore(copies[0]) as copy:
        assert [r.title for r in copy.list_reviews()] == ["A draft"]


def test_a_copy_that_cannot_be_made_is_said_in_the_status_bar(launcher, library, monkeypatch):
    from reviewapp.store import daily_backup

    def no_space(path: Path) -> None:
        raise OSError(28, "No space left on device")

    # the window imports it when it makes the copy (after its first paint)
    monkeypatch.setattr(daily_backup, "make_daily_backup", no_space)
    window = launcher.open_library(library)
    assert window is not None and window.isVisible()
    assert "Could not back up the library today" in window.statusBar().currentMessage()
    assert "No space left on device" in window.statusBar().currentMessage()
