"""Benchmark: the GUI at scale, each number next to its floor measured in the same run.

Not a test. Run from the project root (offscreen by default; set QT_QPA_PLATFORM=xcb and
DISPLAY to measure under a real X server):

    .venv/bin/python benchmarks/bench_gui.py [--reviews 10000] [--words 100000] [--claims 2000]

1. Opening the main window on a library of N reviews (lazy model: only the first batch is
   read), against an empty window (QMainWindow + splitter + text view + 3 line edits).
2. Showing a W-word article with C claims highlighted (ExtraSelections, built in one pass),
   against QTextEdit.setPlainText of the same text; both laid out and painted once.
Medians of --repeat runs; ratios printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.model import ArticleMeta, ImportedDraft  # noqa: E402
from reviewapp.core.text import build_document  # noqa: E402
from reviewapp.store import ReviewStore  # noqa: E402
from reviewapp.ui.main_window import MainWindow  # noqa: E402
from reviewapp.ui.tasks import TaskRunner  # noqa: E402

WORDS = [
    "the",
    "council",
    "said",
    "budget",
    "transit",
    "officials",
    "plan",
    "riders",
    "service",
    "approved",
    "debate",
    "funding",
    "new",
    "buses",
    "routes",
    "evening",
    "critics",
    "fare",
    "increase",
    "mayor",
    "data",
    "spring",
]


def draft(title: str, paragraphs: list[str]) -> ImportedDraft:
    doc = build_document([("heading", title, 1)] + [("paragraph", p) for p in paragraphs])
    return ImportedDraft(
        doc, ArticleMeta(title=title), doc.text.encode(), "text/plain", "bench", "bench.txt"
    )


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def settle(app: QApplication, widget: QWidget) -> None:
    """Lay out and paint once, as the first frame on screen would."""
    app.processEvents()
    widget.grab()


def empty_window(app: QApplication) -> None:
    window = QMainWindow()
    splitter = QSplitter(Qt.Orientation.Horizontal)
    side = QWidget()
    layout = QVBoxLayout(side)
    for _ in range(3):
        layout.addWidget(QLineEdit())
    splitter.addWidget(side)
    splitter.addWidget(QTextEdit())
    window.setCentralWidget(splitter)
    window.resize(1400, 900)
    window.show()
    settle(app, window)
    window.close()
    window.deleteLater()


def main_window(app: QApplication, db: Path, settings_path: Path) -> int:
    store = ReviewStore(db)
    window = MainWindow(
        store,
        QSettings(str(settings_path), QSettings.Format.IniFormat),
        TaskRunner(synchronous=True),
    )
    window.show()
    settle(app, window)
    rows = window.library.model.rowCount()
    window.close()
    window.deleteLater()
    app.processEvents()
    store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small sizes, one repetition")
    args = parser.parse_args()
    if args.quick:
        args.reviews, args.words, args.claims, args.repeat = 500, 5_000, 100, 1
    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="bench-gui-"))

    # ---------------------------------------------------------------- 1. the library
    library_db = tmp / "library.db"
    start = time.perf_counter()
    with ReviewStore(library_db) as store, store.transaction():
        for n in range(args.reviews):
            store.add_article(
                draft(f"Draft {n}", [f"Paragraph {n} about {WORDS[n % len(WORDS)]}."])
            )
    print(f"setup: {args.reviews:,} reviews written in {time.perf_counter() - start:.1f} s")
    floor = timed(lambda: empty_window(app), args.repeat)
    rows: list[int] = []
    window_time = timed(
        lambda: rows.append(main_window(app, library_db, tmp / "s1.ini")), args.repeat
    )
    print(f"empty window (floor):            {floor * 1000:8.1f} ms")
    print(
        f"main window, {args.reviews:,} reviews:     {window_time * 1000:8.1f} ms"
        f"   ratio {window_time / floor:5.1f}x   rows loaded {rows[-1]:,}"
    )

    # ---------------------------------------------------------------- 2. a long article
    per_paragraph = 50
    paragraphs = [
        " ".join(WORDS[(p * 7 + i) % len(WORDS)] for i in range(per_paragraph)) + "."
        for p in range(args.words // per_paragraph)
    ]
    article_db = tmp / "article.db"
    with ReviewStore(article_db) as store:
        review_id = store.add_article(draft("A very long article", paragraphs))
        data = store.load_review(review_id)
        blocks = [b for b in data.revision.blocks if b.kind == "paragraph"]
        step = max(1, len(blocks) // args.claims)
        with store.transaction():
            for n in range(args.claims):
                block = blocks[(n * step) % len(blocks)]
                offset = block.start + (n // len(blocks)) * 30 % max(1, len(block.text) - 30)
                store.add_claim_at(review_id, offset, offset + 20)
        text = data.revision.text
        claim_count = len(store.claims(review_id))

    def plain() -> None:
        view = QTextEdit()
        view.resize(700, 900)
        view.show()
        view.setPlainText(text)
        settle(app, view)
        view.close()
        view.deleteLater()

    store = ReviewStore(article_db)
    window = MainWindow(
        store,
        QSettings(str(tmp / "s2.ini"), QSettings.Format.IniFormat),
        TaskRunner(synchronous=True),
    )
    window.show()
    settle(app, window)

    def highlighted() -> None:
        window.session.open_review(None)
        window.session.open_review(review_id)
        settle(app, window.article.view)

    plain_time = timed(plain, args.repeat)
    open_time = timed(highlighted, args.repeat)
    selections = len(window.article.view.extraSelections())
    window.close()
    store.close()
    words = len(text.split())
    print(f"setPlainText, {words:,} words (floor): {plain_time * 1000:8.1f} ms")
    print(
        f"review open, {claim_count:,} claims highlighted: {open_time * 1000:8.1f} ms"
        f"   ratio {open_time / plain_time:5.1f}x   highlights {selections:,}"
    )


if __name__ == "__main__":
    main()
