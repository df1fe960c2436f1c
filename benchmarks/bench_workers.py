"""Heavy pure-Python work on a thread of the window's process or in a worker process: the
longest stall of the GUI thread while it runs (workflows/workers.py).

.venv/bin/python benchmarks/bench_workers.py [--quick]

A thread of the GUI's process that runs Python holds the GIL the GUI thread needs each time it
comes back from Qt; a worker process does not. The GUI thread here repaints a text view on a
1 ms timer (Qt calls that give the GIL up and take it back, as painting does) and records the
longest gap between two beats while a background thread runs the work, either itself
(``InProcess``, as before) or by waiting for a worker process (``WorkerPool``, as the window
does now). The floor is the same loop while the background thread only sleeps. Each figure
is the median, over the repetitions, of the longest stall of one run, with the GUI thread's CPU
time in its longest turn beside it (a stall with little CPU is a wait: for the GIL, or for a
core on a shared machine); every run works on a new input (no cache helps).

Besides finding suggestions and reading a file: importing a web page (served by python -m
http.server on 127.0.0.1, a process of its own; the fetch stays on the background thread, the
reading and the save go to the worker), pasting that page as HTML, Read Again (a text in
another encoding), and Make It a New Revision (the redo of Import New Revision runs the same)
on a 100,000-word review with 2,000 claims, planned and written, and its undo (before, the
redo and the undo ran on the GUI thread itself: a stall of their whole time). --quick: 2,000
sentences, a 100,000-word draft, a 50,000-word page, 2 repetitions.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import socket
import statistics
import subprocess
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
from benchmarks.bench_gui import draft as bench_draft  # noqa: E402
from benchmarks.bench_scale import article_markdown, revised  # noqa: E402
from reviewapp.core.model import ImportedDraft, SuggestionRecord  # noqa: E402
from reviewapp.ingest.settings import IngestSettings  # noqa: E402
from reviewapp.store import NewClaim, ReviewStore  # noqa: E402
from reviewapp.ui.main_window import GIL_SWITCH_INTERVAL  # noqa: E402
from reviewapp.ui.suggestions import Stored, _found  # noqa: E402
from reviewapp.workflows.drafts import (  # noqa: E402
    DraftLoader,
    import_bytes,
    import_fetched,
    import_paste,
)
from reviewapp.workflows.revisions import rewrite_revision, unwrite_revision  # noqa: E402
from reviewapp.workflows.suggestion_index import warm_up  # noqa: E402
from reviewapp.workflows.workers import InProcess, WorkerPool, Workers  # noqa: E402


def longest_stall(view: QPlainTextEdit, work: Callable[[], Any]) -> tuple[float, float, float]:
    """Run work() on a background thread while the GUI thread beats every 1 ms; (longest gap
    between beats in ms, the GUI thread's CPU ms in its longest turn, seconds in all)."""
    beats: list[float] = []
    cpu: list[float] = []
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
        cpu.append(time.thread_time())
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
    turns = [b - a for a, b in itertools.pairwise(cpu)]
    return (
        max(gaps, default=0.0) * 1000,
        max(turns, default=0.0) * 1000,
        time.perf_counter() - began,
    )


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


def page_html(words: int, seed: int) -> bytes:
    """An article page of about WORDS words (SEED makes each run's page new)."""
    _, paragraphs = article_markdown(words, seed=seed)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>A long report {seed}</title></head><body><article>"
        f"<h1>A long report {seed}</h1>{body}</article></body></html>"
    ).encode()


def serve(folder: Path) -> tuple[str, subprocess.Popen]:
    """python -m http.server on 127.0.0.1 serving FOLDER, in a process of its own (as a real
    site is: its work must not count in this process); (its address, the process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):  # up in well under a second
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def revision_library(
    folder: Path, words: int, claims: int, reps: int
) -> tuple[Path, int, list[tuple[ImportedDraft, int]]]:
    """A library with a review of WORDS words and CLAIMS claims, and REPS newer drafts of it
    (read here, as the window holds the draft it offers), each with the review it was just
    imported as (to go to the bin); (the file, the review, the drafts)."""
    from reviewapp.ingest import load_source

    text, paragraphs = article_markdown(words, seed=7)
    path = folder / "revision.md"
    path.write_text(text, encoding="utf-8")
    db = folder / "revision.db"
    step = max(1, len(paragraphs) // claims)
    quotes = [paragraphs[i].split(". ")[1] for i in range(0, len(paragraphs), step)][:claims]
    drafts = []
    with ReviewStore(db) as store:
        review_id = store.add_article(load_source(str(path), IngestSettings()))
        store.add_claims(review_id, [NewClaim(quote=q) for q in quotes])
        for n in range(reps):
            newer = folder / f"revision-{n}.md"
            newer.write_text(revised(paragraphs, seed=20 + n), encoding="utf-8")
            binned = store.add_article(bench_draft(f"Just imported {n}", ["A short one."]))
            drafts.append((load_source(str(newer), IngestSettings()), binned))
    return db, review_id, drafts


def row(what: str, runs: list[tuple[float, float, float]], floor: float) -> None:
    """One line of the table: medians of the stall, its CPU and the time in all, of RUNS."""
    stalls, cpus, seconds = ([run[i] for run in runs] for i in range(3))
    print(
        f"| {what} | {statistics.median(stalls):.1f} ms | {statistics.median(cpus):.1f} ms | "
        f"{statistics.median(seconds):.2f} s | {floor:.1f} ms |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, 2 repetitions")
    args = parser.parse_args()
    count, words, reps = (2_000, 100_000, 2) if args.quick else (10_000, 1_000_000, 5)
    page_words = 50_000 if args.quick else 100_000
    revision_words, revision_claims = 100_000, 2_000
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
    print(
        "| work on a background thread | longest GUI stall, median | CPU of the longest turn "
        "| in all | floor |"
    )
    print("|---|---|---|---|---|")
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
            runs = []
            for n in range(reps):
                text, places = sentences_text(count, seed=n + (0 if workers is pool else 50))
                stored = Stored(text, SuggestionRecord(), [])
                runs.append(longest_stall(view, partial(_found, stored, places, workers)))
            row(f"find the suggestions of {count:,} sentences, in {name}", runs, floor)
        for name, workers in ways:
            runs = []
            for path in drafts:
                loader = DraftLoader("file", str(path), IngestSettings())
                runs.append(longest_stall(view, partial(workers.run, loader)))
            row(f"read a {words:,}-word Markdown draft, in {name}", runs, floor)
        pages = {f"/page-{n}.html": page_html(page_words, seed=200 + n) for n in range(2 * reps)}
        site = Path(folder) / "site"
        site.mkdir()
        for name, page in pages.items():
            (site / name.lstrip("/")).write_bytes(page)
        address, server = serve(site)
        db = str(Path(folder) / "imports.db")
        for k, (name, workers) in enumerate(ways):
            runs = []
            for n in range(reps):
                url = f"{address}/page-{k * reps + n}.html"
                # As Import from URL runs it: the fetch on this thread, then the reading and
                # the save (in a worker process, or right here as before).
                loader = DraftLoader("url", url, IngestSettings())
                work = partial(
                    lambda loader, workers: workers.run(
                        import_fetched, db, loader.fetched(), "", writes=True
                    ),
                    loader,
                    workers,
                )
                runs.append(longest_stall(view, work))
            row(
                f"import a {page_words:,}-word web page (fetch, read, save), in {name}",
                runs,
                floor,
            )
        server.terminate()
        server.wait()
        for k, (name, workers) in enumerate(ways):
            runs = []
            for n in range(reps):
                html = pages[f"/page-{k * reps + n}.html"].decode()
                runs.append(
                    longest_stall(
                        view,
                        partial(
                            workers.run,
                            import_paste,
                            db,
                            "",
                            html,
                            IngestSettings(),
                            "",
                            writes=True,
                        ),
                    )
                )
            row(f"import a pasted {page_words:,}-word HTML page, in {name}", runs, floor)
        # Read Again: a draft's stored bytes (a legacy code page) read in another one, saved.
        again = IngestSettings(encoding="cp1250")
        for k, (name, workers) in enumerate(ways):
            runs = []
            for n in range(reps):
                text, _ = article_markdown(page_words, seed=400 + k * reps + n)
                raw = text.replace("the", "thé").encode("cp1252")
                work = partial(
                    workers.run,
                    import_bytes,
                    db,
                    raw,
                    "draft.txt",
                    "text/plain; charset=cp1252",
                    again,
                    "",
                    writes=True,
                )
                runs.append(longest_stall(view, work))
            row(
                f"Read Again a {page_words:,}-word text in another encoding, in {name}", runs, floor
            )
        built, review_id, newer = revision_library(
            Path(folder), revision_words, revision_claims, reps
        )
        for name, workers in ways:
            copy = Path(folder) / f"revision-{len(name)}.db"  # each way on its own copy
            shutil.copyfile(built, copy)
            # As Make It a New Revision runs it: the draft becomes the review's new revision
            # and the review it was just imported as goes to the bin; then its undo (each run
            # starts from the same review).
            runs, undone = [], []
            for draft, binned in newer:
                written: list[Any] = []

                def adopt(workers=workers, copy=copy, draft=draft, binned=binned, into=written):
                    into.append(
                        workers.run(
                            rewrite_revision, str(copy), review_id, draft, binned, writes=True
                        )
                    )

                runs.append(longest_stall(view, adopt))
                undo = partial(
                    workers.run,
                    unwrite_revision,
                    str(copy),
                    review_id,
                    written[0],
                    binned,
                    writes=True,
                )
                undone.append(longest_stall(view, undo))
            row(
                f"Make It a New Revision of a {revision_words:,}-word review with "
                f"{revision_claims:,} claims (a redo of Import New Revision runs the same), "
                f"in {name}",
                runs,
                floor,
            )
            row(f"undo it, in {name}", undone, floor)
    pool.close()
    view.close()


if __name__ == "__main__":
    main()
