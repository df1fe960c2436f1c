"""Help › About (versions, licence, folders), `reviewapp --version`, and the GUI's log file."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication

import reviewapp.logs as logs
from reviewapp import __version__
from reviewapp.ui.dialogs.about import AboutDialog
from tests.conftest import ROOT
from tests.ui.conftest import answer_accountability, select_quote
from tests.ui.shown import errors_shown, shown_dialog


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Logging set up as the GUI does it, into this test's folder; undone afterwards."""
    from PySide6.QtCore import qInstallMessageHandler

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {h: h.level for h in handlers}
    yield tmp_path / "state" / "reviewapp" / "log"
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    for handler, old in levels.items():
        handler.setLevel(old)
    qInstallMessageHandler(None)


def open_about(window) -> AboutDialog:
    window.action_set["help.about"].trigger()
    return shown_dialog(window, AboutDialog)


class UrlCatcher(QObject):
    """Stands in for the file manager: Qt hands it the URLs the app asks to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url)


# ---------------------------------------------------------------------- About
def test_about_lists_the_versions_of_the_app_and_what_it_runs_on(make_window, log_folder):
    import keyring  # noqa: F401  (imported so its version can be compared)
    import PySide6
    import trafilatura

    dialog = open_about(make_window())
    versions = {name: label.text() for name, label in dialog.version_labels.items()}
    assert versions["reviewapp"] == __version__
    assert versions["Qt"] == qVersion()
    assert versions["PySide6"] == PySide6.__version__
    assert versions["trafilatura"] == trafilatura.__version__
    assert versions["Python"] == sys.version.split()[0]
    for name in ("sqlite-utils", "keyring"):
        assert versions[name][0].isdigit(), (name, versions[name])
    assert dialog.windowTitle() == "About ReviewApp"


def test_about_names_the_licence_and_where_the_files_live(make_window, db_path, log_folder):
    dialog = open_about(make_window())
    texts = [label.text() for label in dialog.findChildren(type(dialog.database_link))]
    assert any("MIT licence" in text for text in texts)
    assert str(db_path) in dialog.database_link.text()
    assert str(log_folder) in dialog.logs_link.text()


def test_clicking_a_folder_opens_it_in_the_file_manager(make_window, db_path, log_folder, qtbot):
    dialog = open_about(make_window())
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "handle")
    try:
        for link, folder in (
            (dialog.database_link, db_path.parent),
            (dialog.logs_link, log_folder),
        ):
            qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=QPoint(4, link.height() // 2))
            assert catcher.urls, "the click opened nothing"
            assert Path(catcher.urls.pop().toLocalFile()) == folder
            assert folder.is_dir()
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_copy_details_puts_the_versions_and_folders_on_the_clipboard(make_window, db_path, qtbot):
    dialog = open_about(make_window())
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"reviewapp {__version__}" in copied
    assert f"Qt {qVersion()}" in copied
    assert f"Database: {db_path}" in copied
    assert dialog.copy_button.text() == "Copied"


def test_the_version_flag_prints_the_version():
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"reviewapp {__version__}"


# ---------------------------------------------------------------------- the log file
def test_an_unexpected_error_shows_one_line_and_logs_its_traceback(sample_window, log_folder):
    from reviewapp.ui.logging_setup import start_gui_logging

    path = start_gui_logging(Path("reviews.db"))
    assert path == log_folder / "reviewapp.log"

    class Broken:
        def apply(self) -> None:
            raise RuntimeError("the disk fell off")

    assert not sample_window.session.push(Broken())
    assert errors_shown(sample_window) == ["Something went wrong: the disk fell off."]
    text = path.read_text(encoding="utf-8")
    assert f"reviewapp {__version__} started" in text
    assert "ERROR reviewapp.ui.session: unexpected error" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: the disk fell off" in text


def test_qt_warnings_land_in_the_log(log_folder):
    from PySide6.QtCore import qWarning

    from reviewapp.ui.logging_setup import start_gui_logging

    path = start_gui_logging(Path("reviews.db"))
    qWarning("a Qt warning for the log")
    assert "WARNING reviewapp.qt: a Qt warning for the log" in path.read_text(encoding="utf-8")


def test_the_log_never_holds_a_private_key(sample_window, log_folder):
    """Even a careless log call with a key in it writes the marker, not the key."""
    from reviewapp.ui.logging_setup import start_gui_logging

    path = start_gui_logging(Path("reviews.db"))
    window = sample_window
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.opinion"].trigger()
    window.header.verdict.chosen.emit("publish")
    answer_accountability(window)
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("ada@example.org")
    dialog.accept()
    assert window.session.data.review.status == "signed-off", dialog.error.text()
    (secret,) = window.signing.secrets._secrets.values()
    assert "PRIVATE KEY" in secret
    logging.getLogger("reviewapp.test").error("oops, a key: %s and more", secret)
    text = path.read_text(encoding="utf-8")
    body = secret.splitlines()[1]
    assert body not in text and "PRIVATE KEY" not in text
    assert f"oops, a key: {logs.REDACTED}" in text


def test_the_log_rotates_and_keeps_a_few_old_files(log_folder, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_file_logging()
    assert logs.setup_file_logging() == path  # a second call adds no second handler
    log = logging.getLogger("reviewapp.test")
    for number in range(400):
        log.warning("line %d of a long session", number)
    files = sorted(p.name for p in log_folder.iterdir())
    assert files == ["reviewapp.log", "reviewapp.log.1", "reviewapp.log.2", "reviewapp.log.3"]
    assert "line 399 of a long session" in path.read_text(encoding="utf-8")
    assert all(p.stat().st_size <= 2_100 for p in log_folder.iterdir())


def test_library_chatter_below_warning_stays_out_of_the_log(log_folder):
    path = logs.setup_file_logging()
    logging.getLogger("trafilatura.core").info("a library's info line")
    logging.getLogger("trafilatura.core").warning("a library's warning")
    logging.getLogger("reviewapp.store").info("our own info line")
    text = path.read_text(encoding="utf-8")
    assert "a library's info line" not in text
    assert "a library's warning" in text and "our own info line" in text
