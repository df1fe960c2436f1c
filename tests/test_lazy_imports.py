"""The window's first paint imports only what it needs: the extractors, the signing crypto, the
re-anchoring and diff code come when first used (issue 14: a quick start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtCore import qVersion

from tests.conftest import ROOT

# Heavy modules the first paint must not import: each is imported where it is first used.
NOT_AT_FIRST_PAINT = (
    # QIcon's type (its enums ~2 ms): the menus' icons come once the window is built
    "PySide6.QtGui.QIcon",
    # Qt's namespace, whose 93 enums PySide6 builds at once (~15 ms) when the name Qt is first
    # imported or a call could take one of them (setPen, QBrush(QColor)...): the first frame
    # uses plain ints (ui/qt_ints.py) and hands colours over in a palette
    "PySide6.QtCore.Qt",
    "trafilatura",
    "lxml",
    "cryptography",
    "docx",
    "charset_normalizer",
    "reviewapp.core.reanchor",
    # fuzzy matching comes with the first ranking of similar claims (claim memory)
    "rapidfuzz",
    "reviewapp.core.diff",
    "reviewapp.workflows.revisions",
    "reviewapp.workflows.bundles",
    "reviewapp.signing.sshsig",
    "reviewapp.ingest.extract",
    # sqlite-utils (with click, dateutil, pluggy) comes with the first table helper a write
    # uses; the store reads through its own query()
    "sqlite_utils",
    "click",
    "dateutil",
    # the fetcher (http.client, ssl, email) comes with the first import from the web
    "reviewapp.ingest.fetch",
    "http.client",
    "ssl",
    # the exporters come with the Export dialog; every dialog is imported when first opened
    "reviewapp.export",
    "reviewapp.ui.dialogs.about",
    "reviewapp.ui.dialogs.add_source",
    "reviewapp.ui.dialogs.damaged_db",
    "reviewapp.ui.dialogs.export_dialog",
    "reviewapp.ui.dialogs.import_url",
    "reviewapp.ui.dialogs.preferences",
    "reviewapp.ui.dialogs.shortcuts",
    # the command line opens the window without registering its commands, whose modules bring
    # the diff, the exporters and the suggestion detector
    "reviewapp.cli.articles",
    "reviewapp.cli.revisions",
    "reviewapp.cli.suggest",
    "reviewapp.core.checkworthy",
    # the log file opens, and today's copy of the library is made, once the window is built
    "logging.handlers",
    "reviewapp.store.daily_backup",
    # the disclosure patterns come with the first review read, the confirm dialog with the
    # first question
    "reviewapp.core.disclosure",
    "reviewapp.ui.dialogs.confirm",
    # the commands' modules: the window is opened before any of them could be registered
    "pkgutil",
    # the random ids come with the first claim, source or takeaway added (secrets brings hmac
    # and random)
    "secrets",
    # a Document is pickled only to and from a worker process
    "pickle",
    # the store's mapping of rows to records comes with the first record read
    "reviewapp.store.rows",
)

# The review panes come on the turn of the event loop after the first paint.
AFTER_FIRST_PAINT = (
    "reviewapp.ui.panes.article",
    "reviewapp.ui.panes.claims",
    "reviewapp.ui.panes.sources",
    "reviewapp.ui.panes.takeaways",
    "reviewapp.ui.revisions",
    "reviewapp.ui.signing",
    # the review header (the library takes its status colours from scale_style), with the
    # undo commands and the highlights; the panes' widgets (the library needs only
    # widget_basics); the ranking of similar claims, for the Checked Before pane
    "reviewapp.ui.panes.header",
    "reviewapp.ui.commands",
    "reviewapp.ui.highlights",
    "reviewapp.ui.widgets",
    "reviewapp.core.similarity",
    # the second review's and the captures' records (the review panes read them; the library
    # does not): six dataclasses, ~4 ms of the first paint
    "reviewapp.core.second_review",
    "reviewapp.core.captures",
    # the other records (claims, sources, sign-offs...: ~20 dataclasses, ~7 ms): the library
    # needs only its rows (core/summary.py)
    "reviewapp.core.model",
)

# Imported once the window is built (after its first paint), so there by the end of the run.
AFTER_THE_WINDOW_IS_BUILT = (
    "logging.handlers",
    "reviewapp.store.daily_backup",
    "reviewapp.core.disclosure",  # the last review reopened, if any
    "reviewapp.ui.dialogs.confirm",
    "pickle",  # the worker processes start with the review area
)
QT_VERSION = qVersion()

_CHILD = """
import gc, json, sys
import PySide6.QtCore, PySide6.QtGui
import reviewapp.ui.app as app
at_paint, gc_at_paint, gc_when_built = [], [], []
painted, ready = app.ExitAtFirstPaint._painted, app.ExitAtFirstPaint._ready
def record(self):
    at_paint.extend(sorted(sys.modules))
    # PySide6 builds a class's Python type, with all its enums, when first used
    if "QIcon" in vars(PySide6.QtGui):
        at_paint.append("PySide6.QtGui.QIcon")
    if "Qt" in vars(PySide6.QtCore):
        at_paint.append("PySide6.QtCore.Qt")
    gc_at_paint.append(gc.isenabled())
    painted(self)
def record_ready(self):
    gc_when_built.append(gc.isenabled())
    ready(self)
app.ExitAtFirstPaint._painted, app.ExitAtFirstPaint._ready = record, record_ready
from reviewapp.cli import main
code = main(["--db", sys.argv[1]])  # the way a user starts it: the command line opens the window
print(json.dumps({
    "code": code, "at_paint": at_paint, "modules": sorted(sys.modules),
    "gc": [gc_at_paint, gc_when_built, gc.isenabled()],
}))
"""


def _start_app(code: str, tmp_path, *args: str) -> list[str]:
    """The lines a child running code printed: the app started as a person starts it, offscreen,
    quitting once its window is built, its settings in tmp_path."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "REVIEWAPP_EXIT_AT_FIRST_PAINT": "1",
        **{
            f"XDG_{d}_HOME": str(tmp_path / d.lower()) for d in ("CONFIG", "CACHE", "DATA", "STATE")
        },
    }
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _among(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in names)]


def test_the_first_paint_imports_none_of_the_heavy_modules(cli, db_path, sample_path, tmp_path):
    assert cli("import", sample_path).code == 0  # a library with a review in it
    lines = _start_app(_CHILD, tmp_path, str(db_path))
    # The window painted (its frame and the library), then built its panes, then the app quit.
    assert lines[0].startswith("first-paint ") and lines[1].startswith("ready ")
    result = json.loads(lines[-1])
    assert result["code"] == 0
    assert _among(result["at_paint"], NOT_AT_FIRST_PAINT) == []
    assert _among(result["at_paint"], AFTER_FIRST_PAINT) == []
    # Building the panes imports them, and still none of the heavy modules.
    assert len(_among(result["modules"], AFTER_FIRST_PAINT)) == len(AFTER_FIRST_PAINT)
    heavy = tuple(m for m in NOT_AT_FIRST_PAINT if m not in AFTER_THE_WINDOW_IS_BUILT)
    assert _among(result["modules"], heavy) == []
    # The collector is off while the window starts, and on again once it is built.
    assert result["gc"] == [[False], [True], True]
    # The log file was opened after the first paint, with what was logged before it.
    log = tmp_path / "state" / "reviewapp" / "log" / "reviewapp.log"
    assert f"started (Qt {QT_VERSION}) on {db_path}" in log.read_text(encoding="utf-8")


# Showing a review is the everyday path: none of these may come with it (the shared archive's
# git and signing code cost the first review opened in a process ~200 ms of the GUI thread).
NOT_WHEN_A_REVIEW_OPENS = (
    "cryptography",
    "reviewapp.signing.sshsig",
    "reviewapp.workflows.archive",
    "reviewapp.workflows.second_review",
    "reviewapp.export",
)

_OPEN_CHILD = """
import json, sys
from PySide6.QtCore import QTimer
import reviewapp.ui.app as app
def ready(self):
    window = self._window
    def opened():
        if window.session.data is not None:
            print(json.dumps({"title": window.session.data.revision.meta.title,
                              "modules": sorted(sys.modules)}), flush=True)
            self._app.exit(0)
    window.session.reviewOpened.connect(lambda: QTimer.singleShot(0, opened))
    window.session.open_review(int(sys.argv[2]))
app.ExitAtFirstPaint._ready = ready
from reviewapp.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def test_opening_a_review_imports_neither_the_archive_nor_signing(
    cli, db_path, sample_path, tmp_path
):
    assert cli("import", sample_path).code == 0
    shown = json.loads(_start_app(_OPEN_CHILD, tmp_path, str(db_path), "1")[-1])
    assert shown["title"]  # the sample review is on screen
    assert _among(shown["modules"], NOT_WHEN_A_REVIEW_OPENS) == []
