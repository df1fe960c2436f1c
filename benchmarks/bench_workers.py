"""Heavy pure-Python work on a thread of the window's process or in a worker process: the
longest stall of the GUI thread while it runs (workflows/workers.py).

.venv/bin/python benchmarks/bench_workers.py [--quick]

A thread of the GUI's process that runs Python holds the GIL the GUI thread needs each time it
comes back from Qt; a worker process does not. The GUI thread here repaints a text view on a
1 ms timer (Qt calls that give the GIL up and take it back, as painting does) and records the
longest gap between two beats while a background thread runs the work, either itself
(``InProcess``, as before) or by waiting for a worker process (``WorkerPool``, as the window
does now). The floor is the same loop while the background thread only sleeps. Each figure
is the median, over the repetitions, of the longest stall of one run; every run works on a
new input (no cache helps). --quick: 2,000 sentences, a 100,000-word draft, 2 repetitions.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from benchmarks.bench_gui import WORDS  # noqa: E402
from benchmarks.bench_scale import article_markdown  # noqa: E402
from reviewapp.core.model import SuggestionRecord  # noqa: E402
from reviewapp.ingest.settings import IngestSettings  # noqa: E402
from reviewapp.ui.main_window import GIL_SWITCH_INTERVAL  # noqa: E402
from reviewapp.ui.suggestions import Stored, _found  # noqa: E402
from reviewapp.workflows.drafts import DraftLoader  # noqa: E402
from reviewapp.workflows.suggestion_index import warm_up  # noqa: E402
from reviewapp.workflows.workers import InProcess, WorkerPool, Workers  # noqa: E402


def longest_stall(view: QPlainTextEdit, work: Callable[[], Any]) -> tuple[float, float]:
    """Run work() on a background thread while the GUI thread beats every 1 ms; (longest gap
    between beats in ms, seconds in all)."""
    beats: list[float] = []
    finished = threading.Event()
    failed: list[BaseException] = []

    def background() -> None:
        try:
            work()
        except BaseException as exc:  # reported after the loop
            failed.append(exc)
        finally:
            finished.set()

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)

    def beat() -> None:
        beats.append(time.perf_counter())
        view.viewport().update()
        if finished.is_set():
            loop.quit()

    timer.timeout.connect(beat)
    timer.start()
    began = time.perf_counter()
    thread = threading.Thread(target=background)
    thread.start()
    loop.exec()
    timer.stop()
    thread.join()
    if failed:
        raise failed[0]
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    return max(gaps, default=0.0) * 1000, time.perf_counter() - began


def sentences_text(count: int, seed: int) -> tuple[str, list[tuple[int, int, int, str]]]:
    """A text of COUNT check-worthy sentences (SEED makes each run's text new) and a claim on
    each, as the window sends them."""
    sentences = [
        f"Figure {n} says {WORDS[(n + seed) % len(WORDS)]} grew by {(n + seed) % 97} percent."
        for n in range(count)
    ]
    text = "\n\n".join(" ".join(sentences[i : i + 10]) for i in range(0, count, 10))
    places, at = [], 0
    for n, sentence in enumerate(sentences):
        at = text.index(sentence, at)
        places.append((n + 1, at, at + len(sentence), ""))
    return text, places


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, 2 repetitions")
    args = parser.parse_args()
    count, words, reps = (2_000, 100_000, 2) if args.quick else (10_000, 1_000_000, 5)
    app = QApplication(sys.argv[:1])
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)  # as the window sets it
    view = QPlainTextEdit()
    view.setPlainText("\n".join(WORDS) * 50)
    view.resize(900, 700)
    view.show()
    pool = WorkerPool(max_workers=1)
    pool.start(warm_up)
    ways: list[tuple[str, Workers]] = [("a thread of the GUI's process", InProcess())]
    ways.append(("a worker process", pool))
    print(f"{os.cpu_count()} cores, Qt platform {app.platformName()}, {reps} repetitions\n")
    print("| work on a background thread | longest GUI stall, median | in all | floor |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as folder:
        drafts = []
        for n in range(reps):
            text, _ = article_markdown(words, seed=100 + n)
            path = Path(folder) / f"draft-{n}.md"
            path.write_text(text, encoding="utf-8")
            drafts.append(path)
        floor = statistics.median(
            longest_stall(view, lambda: time.sleep(0.3))[0] for _ in range(reps)
        )
        for name, workers in ways:
            stalls, seconds = [], []
            for n in range(reps):
                text, places = sentences_text(count, seed=n + (0 if workers is pool else 50))
                stored = Stored(text, SuggestionRecord(), [])
                stall, took = longest_stall(view, partial(_found, stored, places, workers))
                stalls.append(stall)
                seconds.append(took)
            print(
                f"| find the suggestions of {count:,} sentences, in {name} | "
                f"{statistics.median(stalls):.1f} ms | {statistics.median(seconds):.2f} s | "
                f"{floor:.1f} ms |",
                flush=True,
            )
        for name, workers in ways:
            stalls, seconds = [], []
            for path in drafts:
                loader = DraftLoader("file", str(path), IngestSettings())
                stall, took = longest_stall(view, partial(workers.run, loader))
                stalls.append(stall)
                seconds.append(took)
            print(
                f"| read a {words:,}-word Markdown draft, in {name} | "
                f"{statistics.median(stalls):.1f} ms | {statistics.median(seconds):.2f} s | "
                f"{floor:.1f} ms |",
                flush=True,
            )
    pool.close()
    view.close()


if __name__ == "__main__":
    main()
