"""Capture Source and Read Capture in the window, offscreen, against a local site: the fetch
runs off the GUI thread with progress and Cancel; what was kept shows in the Sources pane;
the capture reads as plain text in a non-modal window and opens as a file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QPlainTextEdit

from reviewapp.ui import commands
from tests.capture_site import ARTICLE
from tests.ui.shown import errors_shown


def _with_source(window, url: str) -> int:
    session = window.session
    session.push(
        commands.AddSource(session, session.review_id, {}, {"url": url, "title": "Filing"})
    )
    source = session.data.sources[-1]
    window.tabs.setCurrentIndex(1)
    window.sources.select(source.id)
    return source.id


def _stored(window) -> int:
    return window.session.store._conn.execute("SELECT count(*) FROM captures").fetchone()[0]


def test_capture_is_in_the_review_menu_with_a_shortcut(sample_window):
    action = sample_window.action_set["source.capture"]
    assert action.shortcut() == QKeySequence("Ctrl+Shift+K")
    review_menu = next(a.menu() for a in sample_window.menuBar().actions() if a.text() == "&Review")
    assert action in review_menu.actions()
    assert sample_window.action_set["source.read_capture"] in review_menu.actions()


def test_capturing_a_source_keeps_it_and_the_pane_says_so(sample_window, capture_site, qtbot):
    window = sample_window
    source_id = _with_source(window, f"{capture_site}/article")
    with qtbot.waitSignal(window.captures.captured, timeout=10_000) as kept:
        window.action_set["source.capture"].trigger()
    capture = kept.args[0]
    assert capture.source_id == source_id
    assert capture.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert window.session.data.captures == [capture]
    assert window.sources.captures.text() == f"Captured {capture.captured_at[:10]}"
    whole = window.sources.captures.toolTip()
    assert f"newest {capture.captured_at}, HTTP 200" in whole and capture.sha256 in whole
    assert window.statusBar().currentMessage().startswith(f"Captured {capture_site}/article")
    assert not window.captures.bar.isVisible()


def test_a_login_wall_shows_as_thin(sample_window, capture_site, qtbot):
    window = sample_window
    _with_source(window, f"{capture_site}/login")
    with qtbot.waitSignal(window.captures.captured, timeout=10_000):
        window.action_set["source.capture"].trigger()
    assert window.sources.captures.text().startswith("THIN capture")
    assert "THIN: almost no text" in window.sources.captures.toolTip()


def test_a_failed_capture_says_why_and_keeps_nothing(sample_window, capture_site, qtbot):
    window = sample_window
    _with_source(window, f"{capture_site}/missing")
    with qtbot.waitSignal(window.captures.failed, timeout=10_000) as failed:
        window.action_set["source.capture"].trigger()
    assert "answered HTTP 404" in failed.args[0]
    assert any("answered HTTP 404" in text for text in errors_shown(window))
    assert _stored(window) == 0 and window.session.data.captures == []


def test_the_fetch_runs_off_the_gui_thread_and_cancel_keeps_nothing(
    make_window, capture_site, qtbot
):
    window = make_window(synchronous=False)
    window.importer.import_sample()
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=30_000)
    _with_source(window, f"{capture_site}/drip")  # trickles for 100 s
    window.action_set["source.capture"].trigger()
    # The handler returned while the page still drips: the window is free, the bar shows.
    assert window.captures.running and window.captures.bar.isVisible()
    assert window.captures.progress.text().startswith(f"Capturing {capture_site}/drip")
    assert window.action_set["source.cancel_capture"].isEnabled()
    with qtbot.waitSignal(window.captures.cancelled, timeout=10_000):
        window.captures.cancel_button.click()
    assert not window.captures.bar.isVisible()
    assert window.statusBar().currentMessage() == "Capture cancelled; nothing was kept"
    assert _stored(window) == 0


class _Viewer(QObject):
    """Stands in for the system viewer: QDesktopServices hands file URLs to it."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


def test_reading_a_capture_shows_its_text_offline_and_opens_it_as_a_file(
    sample_window, capture_site, qtbot
):
    window = sample_window
    _with_source(window, f"{capture_site}/gzip")
    with qtbot.waitSignal(window.captures.captured, timeout=10_000):
        window.action_set["source.capture"].trigger()
    with qtbot.waitSignal(window.captures.opened, timeout=10_000) as shown:
        window.action_set["source.read_capture"].trigger()
    dialog = shown.args[0]
    assert dialog.isVisible() and not dialog.isModal()  # read it beside the review
    text = dialog.findChild(QPlainTextEdit, "captureText")
    assert text.isReadOnly() and "committed four billion dollars" in text.toPlainText()
    assert "<img" not in text.toPlainText()  # plain text: nothing is rendered or fetched
    assert not dialog.thin.isVisible()
    viewer = _Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "open")
    try:
        dialog.open_file.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    (path,) = viewer.opened
    assert path.endswith(".html") and Path(path).read_bytes() == ARTICLE  # decoded for viewing
    Path(path).unlink()
    dialog.close()


def test_read_capture_without_a_capture_says_what_to_do(sample_window, capture_site):
    window = sample_window
    _with_source(window, f"{capture_site}/article")
    assert window.captures.read_current() is None
    assert any("has no capture yet" in text for text in errors_shown(window))


def test_capture_is_off_for_a_signed_off_review(sample_window):
    window = sample_window
    window.session.store._conn.execute(
        "UPDATE reviews SET status = 'signed-off' WHERE id = ?", [window.session.review_id]
    )
    window.session.reload()
    assert not window.action_set["source.capture"].isEnabled()
    assert window.action_set["source.read_capture"].isEnabled()
