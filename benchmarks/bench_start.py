"""Start-up as whole processes: reviewapp to its first painted window on a library of 10,000
reviews, beside a bare PySide6 window with the widgets of reviewapp's first frame (BARE).

.venv/bin/python benchmarks/bench_start.py [--quick] [--reviews N] [--repeat N]

Each child prints "first-paint PEAK_KB CPU_S" once its window has painted (reviewapp through
REVIEWAPP_EXIT_AT_FIRST_PAINT=1); the time is from spawning it to that line. reviewapp paints
its frame and library first and builds the review panes on the next turn of the event loop: it
then prints "ready PEAK_KB CPU_S" and quits, and that time is printed too. The two are started
in turn (reviewapp, bare, reviewapp, ...) so that a shared machine's load falls on both alike;
the CPU time each used by its first paint is printed as well (less swayed by other processes
than the wall clock). --quick: a library of 1,000 reviews and one start of each; --reviews N
and --repeat N set the library's size and the number of starts.

A child that cannot open its library (newer, foreign, damaged) says why on stderr and exits;
the bench then stops with that message (and kills a child that has not painted in 60 s).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_store import article  # noqa: E402
from reviewapp.store import ReviewStore  # noqa: E402

CHILD_LIMIT_S = 60.0  # a start that has not painted by then never will

# A bare window with the widgets of reviewapp's first frame: a main window whose menu bar holds
# the same menus, entries and shortcuts (the registry's, handed over as JSON: the bare child
# imports no reviewapp), a search field with its clear button and a status filter over a table
# of the library's newest reviews (a batch of 200, as the library reads), and a text pane where
# reviewapp shows its article and review columns; painted once, then it quits. reviewapp's
# first frame has no tool bar and no status bar, so neither has this window.
BARE = """
import json, resource, sqlite3, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QApplication, QComboBox, QLineEdit, QMainWindow, QSplitter,
    QTableView, QTextBrowser, QVBoxLayout, QWidget)

app = QApplication(sys.argv[:1])
window = QMainWindow()
menus = {}
for path, text, key, standard in json.loads(sys.argv[2]):
    top, _, sub = path.partition("/")
    if top not in menus:
        menus[top] = window.menuBar().addMenu(top)
    menu = menus[top]
    if sub:
        if path not in menus:
            menus[path] = menu.addMenu(sub)
        menu = menus[path]
    action = menu.addAction(text)
    if key:
        standard_key = QKeySequence.StandardKey[key] if standard else None
        action.setShortcuts(
            QKeySequence.keyBindings(standard_key) if standard_key else [QKeySequence(key)]
        )
model = QStandardItemModel(0, 3)
conn = sqlite3.connect(sys.argv[1])
for row in conn.execute(
    "SELECT r.title, rv.status, rv.updated_at FROM reviews rv "
    "JOIN revisions r ON r.id = rv.revision_id ORDER BY rv.updated_at DESC LIMIT 200"
):
    model.appendRow([QStandardItem(str(v)) for v in row])
left = QWidget()
layout = QVBoxLayout(left)
search = QLineEdit()
search.setPlaceholderText("Search reviews")
search.setClearButtonEnabled(True)
layout.addWidget(search)
status = QComboBox()
status.addItems(["All statuses", "Draft", "In review", "Signed off"])
layout.addWidget(status)
table = QTableView()
table.setModel(model)
layout.addWidget(table)
split = QSplitter()
split.addWidget(left)
split.addWidget(QTextBrowser())
window.setCentralWidget(split)
window.resize(1280, 800)


class Exit(QObject):
    seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        used = resource.getrusage(resource.RUSAGE_SELF)
        print("first-paint", used.ru_maxrss, f"{used.ru_utime + used.ru_stime:.4f}", flush=True)
        app.exit(0)


watcher = Exit()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""

# The way an editor starts it: the command line, which opens the window.
APP = """
import sys
from reviewapp.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def library(path: Path, n_reviews: int) -> None:
    with ReviewStore(path) as store, store.transaction():
        for i in range(n_reviews):
            store.add_article(article(i))


def child_env(tmp: Path) -> dict[str, str]:
    """The children's environment: offscreen, the first-paint hook, settings in tmp, and
    bytecode written (to tmp/pycache) and reused, as an installed app has it compiled; with
    PYTHONDONTWRITEBYTECODE set, every start would compile reviewapp's source again."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {
        **env,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "REVIEWAPP_EXIT_AT_FIRST_PAINT": "1",
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
        **{f"XDG_{k}_HOME": str(tmp / k.lower()) for k in ("CONFIG", "CACHE", "DATA", "STATE")},
    }


class Start(NamedTuple):
    painted: float  # seconds from spawn to the first-paint line
    peak: int  # peak memory by then, KB
    ready: float  # seconds to the ready line (the bare window is ready when it has painted)
    cpu: float  # CPU seconds the child had used by its first paint


def menu_entries() -> str:
    """reviewapp's menus as the bare window builds them: JSON of [menu, text, shortcut,
    whether the shortcut names a QKeySequence.StandardKey] in the registry's order."""
    from PySide6.QtGui import QKeySequence

    from reviewapp.ui.actions import ACTIONS

    entries = []
    for spec in ACTIONS:
        if spec.menu:
            shortcut = spec.shortcut
            if isinstance(shortcut, QKeySequence.StandardKey):
                entries.append([spec.menu, spec.text, shortcut.name, True])
            else:
                entries.append([spec.menu, spec.text, shortcut or "", False])
    return json.dumps(entries)


def start(code: str, db: Path, env: dict[str, str], *args: str) -> Start:
    """One start of a child: when it painted, its peak memory then, when it was ready (the
    review panes built and shown), and the CPU time it used by its first paint."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stderr is not None
    # A child waiting for a person (a dialog where the window should be) would block this loop
    # for ever: it is killed after CHILD_LIMIT_S, and the bench fails saying so.
    watchdog = threading.Timer(CHILD_LIMIT_S, child.kill)
    watchdog.start()
    painted, peak, cpu = 0.0, 0, 0.0
    try:
        for line in child.stdout:
            if line.startswith("first-paint "):
                painted = time.perf_counter() - began
                peak, cpu = int(line.split()[1]), float(line.split()[2])
            elif line.startswith("ready "):
                break
        ready = time.perf_counter() - began
        if not painted:
            child.wait(timeout=CHILD_LIMIT_S)
            killed = not watchdog.is_alive()
            raise SystemExit(
                "bench_start: the child never painted its window ("
                + (
                    f"killed after {CHILD_LIMIT_S:.0f} s"
                    if killed
                    else f"exit code {child.returncode}"
                )
                + f"); its stderr:\n{child.stderr.read().strip()}"
            )
        child.wait(timeout=CHILD_LIMIT_S)
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
    return Start(painted, peak, ready, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 reviews, one start each")
    parser.add_argument("--reviews", type=int, help="the library's size (default 10,000)")
    parser.add_argument("--repeat", type=int, help="starts of each (default 7)")
    args = parser.parse_args()
    n_reviews, repeat = (1_000, 1) if args.quick else (10_000, 7)
    n_reviews, repeat = args.reviews or n_reviews, args.repeat or repeat
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        db = tmp / "library.db"
        library(db, n_reviews)
        env = child_env(tmp)
        menus = menu_entries()
        start(APP, db, env)  # a first start warms the disk cache and compiles the bytecode
        start(BARE, db, env, menus)
        ours: list[Start] = []
        bare: list[Start] = []
        for _ in range(repeat):  # in turn, so that the machine's load falls on both alike
            ours.append(start(APP, db, env))
            bare.append(start(BARE, db, env, menus))
    t_ours = statistics.median(s.painted for s in ours)
    t_bare = statistics.median(s.painted for s in bare)
    t_ready = statistics.median(s.ready for s in ours)
    c_ours = statistics.median(s.cpu for s in ours)
    c_bare = statistics.median(s.cpu for s in bare)
    m_ours = max(s.peak for s in ours) / 1024
    m_bare = max(s.peak for s in bare) / 1024
    print(
        f"start to first paint, {n_reviews} reviews, median of {repeat}: reviewapp "
        f"{t_ours:.3f} s, bare PySide6 window {t_bare:.3f} s, ratio {t_ours / t_bare:.2f}x"
    )
    print(
        f"CPU time used by the first paint: reviewapp {c_ours:.3f} s, bare {c_bare:.3f} s, "
        f"ratio {c_ours / c_bare:.2f}x"
    )
    print(
        f"start to every pane built and shown: reviewapp {t_ready:.3f} s, "
        f"ratio {t_ready / t_bare:.2f}x"
    )
    print(
        f"peak memory at first paint: reviewapp {m_ours:.0f} MB, bare {m_bare:.0f} MB, "
        f"difference {m_ours - m_bare:.0f} MB"
    )


if __name__ == "__main__":
    main()
