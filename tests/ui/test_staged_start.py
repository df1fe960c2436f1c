"""The app's start paints the window's frame and the library first and builds the article and
review panes on the next turn of the event loop (issue 14: a quick start)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest

from tests.conftest import make_draft

CTRL = Qt.KeyboardModifier.ControlModifier


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


class _RightAfterFirstPaint(QObject):
    """Calls then() on the turn of the event loop after the window's first Paint event, ahead
    of the window's own build (a filter installed later sees the event first, so its zero
    timer is queued first)."""

    def __init__(self, window, then):
        super().__init__(window)
        self._then, self._seen = then, False
        window.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            QTimer.singleShot(0, self._then)
        return False


def _press_right_after_first_paint(qtbot, window, key, modifier):
    """Press key on the window once it has painted, before its review area is built; the
    window's state then: built or not, as the key found it."""
    found = []

    def press():
        found.append(window.is_built)
        QTest.keyClick(window, key, modifier)

    _RightAfterFirstPaint(window, press)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: bool(found), timeout=5000)
    return found[0]


def test_a_shortcut_pressed_right_after_the_first_paint_works(qtbot, db_path, settings_path):
    from PySide6.QtCore import QSettings

    from reviewapp.store import ReviewStore
    from reviewapp.ui.main_window import LAST_REVIEW_KEY

    with ReviewStore(db_path) as store:
        review_id = store.add_article(make_draft(["Water use rose by 12 percent."]))
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue(LAST_REVIEW_KEY, review_id)
    settings.sync()
    window = _staged_window(qtbot, db_path, settings_path, show=False)
    built_then = _press_right_after_first_paint(qtbot, window, Qt.Key.Key_F, CTRL)
    assert built_then is False  # the key came in the first frame, before the panes
    # Find in Article: the key built the rest at once (reopening the last review) and ran.
    assert window.is_built
    assert window.article.find_bar.isVisible()
    assert window.session.review_id == review_id
    # Built now: the key works as it always does, once (the early hook is gone).
    opened = []
    window.action_set["help.shortcuts"].triggered.connect(lambda: opened.append(1))
    window.action_set["help.shortcuts"].trigger()
    assert opened == [1]


def test_an_action_off_once_built_does_nothing_in_the_first_frame(qtbot, db_path, settings_path):
    window = _staged_window(qtbot, db_path, settings_path, show=False)  # no review to open
    assert _press_right_after_first_paint(qtbot, window, Qt.Key.Key_F, CTRL) is False
    assert window.is_built
    assert not window.action_set["edit.find"].isEnabled()
    assert not window.article.find_bar.isVisible()


def _menu_entries(window) -> dict[str, list[str]]:
    """Each menu's action ids as the menu bar holds them, submenus as "Menu/Sub"."""
    entries: dict[str, list[str]] = {}
    for top in window.menuBar().actions():
        name = top.text().replace("&", "")
        for action in top.menu().actions():
            if action.menu() is not None:
                sub = f"{name}/{action.text().replace('&', '')}"
                entries[sub] = [a.objectName() for a in action.menu().actions()]
            elif not action.isSeparator():
                entries.setdefault(name, []).append(action.objectName())
    return entries


def test_the_menus_and_shortcuts_are_complete_in_the_first_frame(qtbot, db_path, settings_path):
    from reviewapp.ui.actions import ACTIONS, MENUS

    window = _staged_window(qtbot, db_path, settings_path)
    assert not window.is_built  # the first frame: the review area is yet to come
    expected: dict[str, list[str]] = {}
    for spec in ACTIONS:
        if spec.menu:
            expected.setdefault(spec.menu, []).append(spec.id)
    assert [m.text().replace("&", "") for m in window.menuBar().actions()] == list(MENUS)
    assert _menu_entries(window) == expected
    # Every window-wide shortcut is live: its action belongs to the window.
    live = {a.objectName() for a in window.actions()}
    assert {s.id for s in ACTIONS if s.scope == "window" and s.shortcut is not None} <= live
    with qtbot.waitSignal(window.built, timeout=5000):
        pass
    assert _menu_entries(window) == expected  # building the rest adds and drops nothing


def test_the_empty_library_page_is_made_when_first_shown(qtbot, db_path, settings_path):
    from reviewapp.store import ReviewStore

    with ReviewStore(db_path) as store:
        review_id = store.add_article(make_draft(["Bus fares fell by a third."]))
    window = _staged_window(qtbot, db_path, settings_path)
    library = window.library
    assert library.sample_button is None  # reviews to list: the first run's page is not made
    assert library.stack.currentIndex() == 1
    qtbot.waitUntil(lambda: window.is_built, timeout=5000)
    window.session.store.delete_review(review_id)
    window.session.libraryChanged.emit()
    # The library is empty now: its page offers the sample draft, shown and working.
    qtbot.waitUntil(lambda: library.stack.currentIndex() == 0, timeout=5000)
    assert library.sample_button is not None and library.sample_button.isVisible()
    with qtbot.waitSignal(library.sampleRequested, timeout=1000):
        qtbot.mouseClick(library.sample_button, Qt.MouseButton.LeftButton)


# A person starting the app on a library it cannot open sees why in a message box; closing it
# ends the run. The child closes the box the way a person would, once it is on screen.
_PERSON_CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
import reviewapp.ui.app as app
made = app.make_application
def close_the_box():
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    if not any(box.isVisible() for box in boxes):
        QTimer.singleShot(20, close_the_box)
        return
    print("shown:", boxes[0].text(), flush=True)
    boxes[0].close()
def make_application(*args, **kwargs):
    application = made(*args, **kwargs)
    QTimer.singleShot(0, close_the_box)
    return application
app.make_application = make_application
from reviewapp.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def _newer_library(db_path: Path) -> Path:
    import sqlite3

    from reviewapp.store import ReviewStore

    with ReviewStore(db_path) as store:
        store.add_article(make_draft(["The council spent 4 million on roads."]))
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")  # as a later reviewapp would leave it
    conn.commit()
    conn.close()
    return db_path


def _start(code: str, db_path: Path, tmp_path: Path, **env: str):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    child_env = {k: v for k, v in os.environ.items() if k != "REVIEWAPP_EXIT_AT_FIRST_PAINT"}
    child_env.update(
        QT_QPA_PLATFORM="offscreen",
        **{f"XDG_{d}_HOME": str(tmp_path / d.lower()) for d in ("CONFIG", "DATA", "STATE")},
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(db_path)],
        capture_output=True,
        text=True,
        env=child_env,
        cwd=ROOT,
        timeout=60,  # a run left waiting for a person fails here instead of hanging
    )


def test_a_library_from_a_newer_app_is_refused_in_a_message_a_person_closes(db_path, tmp_path):
    done = _start(_PERSON_CHILD, _newer_library(db_path), tmp_path)
    assert "shown:" in done.stdout and "newer reviewapp" in done.stdout
    assert done.returncode == 2  # the box closed: the run ended, with the refusal's code
    assert "newer reviewapp" in done.stderr


def test_an_unattended_start_on_a_newer_library_ends_at_once_saying_why(db_path, tmp_path):
    # bench_start's children: they wait for a first paint, and nobody would close a box.
    code = "import sys\nfrom reviewapp.cli import main\nsys.exit(main(['--db', sys.argv[1]]))"
    done = _start(code, _newer_library(db_path), tmp_path, REVIEWAPP_EXIT_AT_FIRST_PAINT="1")
    assert done.returncode == 2
    assert "first-paint" not in done.stdout
    assert "newer reviewapp" in done.stderr and "upgrade reviewapp" in done.stderr


def test_an_unattended_start_on_a_damaged_library_ends_at_once_saying_why(tmp_path):
    from tests.ui.test_damaged_db_gui import _damaged_library

    damaged, _backup = _damaged_library(tmp_path, "claims")
    code = "import sys\nfrom reviewapp.cli import main\nsys.exit(main(['--db', sys.argv[1]]))"
    done = _start(code, damaged, tmp_path, REVIEWAPP_EXIT_AT_FIRST_PAINT="1")
    assert done.returncode == 3  # the damaged-library code; its dialog waits for nobody
    assert "first-paint" not in done.stdout
    assert "is damaged; no window opened" in done.stderr
