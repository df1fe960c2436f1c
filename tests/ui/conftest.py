"""GUI test fixtures: offscreen Qt, a temporary settings file, windows on real SQLite files."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import make_draft
from tests.ui.shown import errors_shown


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings" / "reviewapp.ini"


@pytest.fixture
def make_window(qtbot, db_path: Path, settings_path: Path, request):
    """Open a main window on a database (this test's by default); closed and released after."""
    from PySide6.QtCore import QSettings

    from reviewapp.secrets import MemorySecretStore
    from reviewapp.store import ReviewStore
    from reviewapp.ui.main_window import MainWindow
    from reviewapp.ui.tasks import TaskRunner

    opened: list[tuple[TaskRunner, ReviewStore]] = []
    secrets = MemorySecretStore()

    def make(db: Path | None = None, synchronous: bool = True, show: bool = True, workers=None):
        """A threaded window shares the session's worker processes (``worker_pool``) unless
        given workers, or "own": the pool the window makes itself."""
        store = ReviewStore(db or db_path)
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        runner = TaskRunner(synchronous=synchronous)
        if workers == "own":  # the window makes its own (and closes it)
            workers = None
        elif workers is None and not synchronous:
            workers = request.getfixturevalue("worker_pool")
        window = MainWindow(store, settings, runner, secrets, workers=workers)
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        opened.append((runner, store))
        return window

    yield make
    for runner, store in opened:
        runner.wait(5000)
        store.close()


@pytest.fixture
def sample_window(make_window):
    """A window with the sample draft imported and open."""
    window = make_window()
    window.importer.import_sample()
    assert window.session.data is not None, errors_shown(window)
    return window


def claim_highlights(view) -> set[str]:
    """The passages highlighted as claims (a background; a suggestion's mark has none, and
    suggestions arrive from the worker whenever they are ready)."""
    from PySide6.QtCore import Qt

    return {
        s.cursor.selectedText()
        for s in view.extraSelections()
        if s.format.background().style() != Qt.BrushStyle.NoBrush
    }


def select_quote(window, quote: str) -> tuple[int, int]:
    """Select the first occurrence of quote in the article view, as a user would."""
    text = window.session.data.revision.text
    start = text.index(quote)
    window.article.view.select_span(start, start + len(quote))
    return start, start + len(quote)


@pytest.fixture
def recording_server() -> Iterator[Callable[[dict[str, tuple[str, bytes]]], tuple[str, list[str]]]]:
    """A local http.server that serves given pages and records every request path.

    The pages dict is read at request time, so a test may add pages that name the server's
    own address after starting it. Content type "slow" never answers; "delay:TYPE" answers
    after 0.6 s.
    """
    servers: list[ThreadingHTTPServer] = []

    def start(pages: dict[str, tuple[str, bytes]]) -> tuple[str, list[str]]:
        requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                content_type, body = pages.get(self.path, ("text/plain", b""))
                if self.path not in pages:
                    self.send_response(404)
                    self.end_headers()
                    return
                if content_type == "slow":
                    threading.Event().wait(5)  # never answers in time: the test cancels it
                    return
                if content_type.startswith("delay:"):
                    threading.Event().wait(0.6)  # long enough to see the GUI keep working
                    content_type = content_type.removeprefix("delay:")
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", requests

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _free_display() -> int:
    for number in range(90, 160):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    pytest.skip("no free X display number between :90 and :159")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server (Xvfb) for tests of the real platform; its DISPLAY name."""
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb): the real-window test needs it")
    number = _free_display()
    server = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.skip(f"Xvfb did not start: {server.stderr.read().decode()[-300:]}")
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(10)


__all__ = ["make_draft", "select_quote"]


def answer_accountability(window, holder: str = "The Daily Example") -> None:
    """What the gate asks besides the claims, typed into the AI Involvement dialog as an
    editor would: AI helped (yes), and who holds editorial responsibility; and every
    check-worthy sentence examined (`examine_suggestions_in`)."""
    window.action_set["review.accountability"].trigger()
    dialog = window._accountability
    assert dialog is not None, errors_shown(window)
    dialog.assisted.set_key("yes")
    dialog.assisted.chosen.emit("yes")
    dialog.holder.setText(holder)
    dialog.holder.editingFinished.emit()
    dialog.close()
    assert window.session.data.responsibility.holder == holder, errors_shown(window)
    examine_suggestions_in(window)


def examine_suggestions_in(window) -> None:
    """Every check-worthy sentence of the open review that no claim covers dismissed with a
    reason (the gate's coverage rule, issue 16), and the window told."""
    from tests.conftest import examine_suggestions

    session = window.session
    examine_suggestions(session.store, session.data.review.id)
    session.reload()
