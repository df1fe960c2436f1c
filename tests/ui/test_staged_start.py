"""The app's start paints the window's frame and the library first and builds the article and
review panes on the next turn of the event loop (issue 14: a quick start)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_draft


def _staged_window(qtbot, db_path: Path, settings_path: Path, show: bool = True):
    from PySide6.QtCore import QSettings

    from reviewapp.secrets import MemorySecretStore
    from reviewapp.store import ReviewStore
    from reviewapp.ui.main_window import MainWindow
    from reviewapp.ui.tasks import TaskRunner

    store = ReviewStore(db_path)
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    window = MainWindow(
        store, settings, TaskRunner(synchronous=True), MemorySecretStore(), staged=True
    )
    qtbot.addWidget(window)
    window.destroyed.connect(store.close)
    if show:
        window.show()
    return window


def test_the_library_is_listed_before_the_review_panes_are_built(qtbot, db_path, settings_path):
    from reviewapp.store import ReviewStore

    with ReviewStore(db_path) as store:
        review_id = store.add_article(make_draft(["The council spent 4 million on roads."]))
    window = _staged_window(qtbot, db_path, settings_path)
    assert not window.is_built
    assert window.library.model.rowCount() == 1  # the first frame lists the library
    assert not hasattr(window, "claims")

    with qtbot.waitSignal(window.built, timeout=5000):
        pass
    assert window.is_built and window.article.isVisible() and window.tabs.isVisible()
    assert window.splitter.count() == 3  # library | article | panes, no stand-in left over
    # The menus' icons, left out of the first frame, are there once the window is built.
    assert not window.action_set["file.import_url"].icon().isNull()
    window.session.open_review(review_id)
    assert "4 million" in window.article.view.toPlainText()
    assert window.windowTitle().startswith("A draft")


def test_a_staged_start_reopens_the_last_review(qtbot, db_path, settings_path):
    from PySide6.QtCore import QSettings

    from reviewapp.store import ReviewStore
    from reviewapp.ui.main_window import LAST_REVIEW_KEY

    with ReviewStore(db_path) as store:
        review_id = store.add_article(make_draft(["Water use rose by 12 percent."]))
        store.add_claim_by_quote(review_id, "rose by 12 percent")
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue(LAST_REVIEW_KEY, review_id)
    settings.sync()
    window = _staged_window(qtbot, db_path, settings_path)
    qtbot.waitUntil(lambda: window.is_built, timeout=5000)
    assert window.session.review_id == review_id
    assert "12 percent" in window.article.view.toPlainText()
    assert window.claims.list.model().rowCount() == 1


def test_a_window_never_painted_still_builds_its_panes(qtbot, db_path, settings_path):
    window = _staged_window(qtbot, db_path, settings_path, show=False)  # minimised, say
    qtbot.waitUntil(lambda: window.is_built, timeout=5000)
    assert window.claims.list.model().rowCount() == 0
