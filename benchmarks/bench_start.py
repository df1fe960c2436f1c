"""Start-up as whole processes: reviewapp to its first painted window on a library of 10,000
reviews, beside a bare PySide6 window with the same kind of widgets, side by side.

.venv/bin/python benchmarks/bench_start.py [--quick]

Each child prints "first-paint PEAK_KB" once its window has painted (reviewapp through
REVIEWAPP_EXIT_AT_FIRST_PAINT=1); the time is from spawning it to that line. reviewapp paints
its frame and library first and builds the review panes on the next turn of the event loop: it
then prints "ready PEAK_KB" and quits, and that time is printed too. --quick: a library
of 1,000 reviews and one start of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_store import article  # noqa: E402
from reviewapp.store import ReviewStore  # noqa: E402

# A bare window: a main window with a menu bar, a tool bar, a search field over a table of the
# library's 100 newest reviews, a text pane and a status bar; painted once, then it quits.
BARE = """
import resource, sqlite3, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QApplication, QLineEdit, QMainWindow, QSplitter, QTableView,
    QTextBrowser, QVBoxLayout, QWidget)

app = QApplication(sys.argv[:1])
window = QMainWindow()
for name in ("File", "Edit", "Review", "View", "Help"):
    window.menuBar().addMenu(name).addAction("Action")
window.addToolBar("Main").addAction("Import")
model = QStandardItemModel(0, 3)
conn = sqlite3.connect(sys.argv[1])
for row in conn.execute(
    "SELECT r.title, rv.status, rv.updated_at FROM reviews rv "
    "JOIN revisions r ON r.id = rv.revision_id ORDER BY rv.updated_at DESC LIMIT 100"
):
    model.appendRow([QStandardItem(str(v)) for v in row])
left = QWidget()
layout = QVBoxLayout(left)
layout.addWidget(QLineEdit())
table = QTableView()
table.setModel(model)
layout.addWidget(table)
split = QSplitter()
split.addWidget(left)
split.addWidget(QTextBrowser())
window.setCentralWidget(split)
window.statusBar().showMessage("ready")
window.resize(1280, 800)


class Exit(QObject):
    seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print("first-paint", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
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


def start(code: str, db: Path, env: dict[str, str]) -> tuple[float, int, float]:
    """Seconds from spawn to the child's first-paint line, its peak memory in KB by then, and
    seconds to its ready line (the review panes built and shown; the bare window prints none:
    it is ready when it has painted)."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    painted, peak = 0.0, 0
    for line in child.stdout:
        if line.startswith("first-paint "):
            painted = time.perf_counter() - began
            peak = int(line.split()[1])
        elif line.startswith("ready "):
            break
    ready = time.perf_counter() - began
    if not painted:
        raise SystemExit(f"the child never painted: {child.stderr.read() if child.stderr else ''}")
    child.wait(timeout=60)
    return painted, peak, ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 reviews, one start each")
    args = parser.parse_args()
    n_reviews, repeat = (1_000, 1) if args.quick else (10_000, 5)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        db = tmp / "library.db"
        library(db, n_reviews)
        env = child_env(tmp)
        start(APP, db, env)  # a first start warms the disk cache and compiles the bytecode
        start(BARE, db, env)
        ours = [start(APP, db, env) for _ in range(repeat)]
        bare = [start(BARE, db, env) for _ in range(repeat)]
    t_ours = statistics.median(t for t, _, _ in ours)
    t_bare = statistics.median(t for t, _, _ in bare)
    t_ready = statistics.median(r for _, _, r in ours)
    m_ours = max(m for _, m, _ in ours) / 1024
    m_bare = max(m for _, m, _ in bare) / 1024
    print(
        f"start to first paint, {n_reviews} reviews, median of {repeat}: reviewapp "
        f"{t_ours:.2f} s, bare PySide6 window {t_bare:.2f} s, ratio {t_ours / t_bare:.1f}x"
    )
    print(
        f"start to every pane built and shown: reviewapp {t_ready:.2f} s, "
        f"ratio {t_ready / t_bare:.1f}x"
    )
    print(
        f"peak memory at first paint: reviewapp {m_ours:.0f} MB, bare {m_bare:.0f} MB, "
        f"difference {m_ours - m_bare:.0f} MB"
    )


if __name__ == "__main__":
    main()
