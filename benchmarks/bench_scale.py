"""Scale beyond today's sizes: a library of 100,000 reviews, a review with 10,000 claims, an
article of 1,000,000 words; each against the goals (no stall over 16 ms, first paint under
100 ms) or, where it misses them, whether it degrades gracefully (the work runs off the GUI
thread with progress shown, and the window keeps answering).

.venv/bin/python benchmarks/bench_scale.py [--quick] [--only library|claims|article|scroll]

Everything is built deterministically: the library and the claims by direct store batch
writes, the article as a Markdown file from a seeded generator (no line repeats). The window
is the real MainWindow with a real TaskRunner (background work on the pool), driven with QTest
keys; a 1 ms heartbeat timer records the longest event-loop stall (bench_latency's Heartbeat).
Start-up is a whole process (bench_start's REVIEWAPP_EXIT_AT_FIRST_PAINT hook).
--quick: 5,000 reviews, 1,000 claims, 50,000 words (CI runs it so that it never rots).
--only scroll: the library part without the whole-process starts (scrolling, the review the
selection rests on opening, searching).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_gui import WORDS, draft  # noqa: E402
from benchmarks.bench_latency import SETTLE_MS, Heartbeat, idle, key, wait_for  # noqa: E402
from benchmarks.bench_start import APP, BARE, child_env, menu_entries, start  # noqa: E402
from reviewapp.secrets import MemorySecretStore  # noqa: E402
from reviewapp.store import NewClaim, ReviewStore  # noqa: E402
from reviewapp.ui.main_window import MainWindow  # noqa: E402
from reviewapp.ui.models import ID_ROLE  # noqa: E402
from reviewapp.ui.panes.library import SEARCH_PAUSE_MS  # noqa: E402
from reviewapp.ui.tasks import TaskRunner  # noqa: E402
from reviewapp.ui.widgets import TYPING_PAUSE_MS  # noqa: E402

FRAME_MS = 16.0  # one frame at 60 Hz: the longest a stall may be
FIRST_PAINT_MS = 100.0
Mod = Qt.KeyboardModifier


@dataclass(frozen=True)
class Sizes:
    reviews: int
    claims: int
    words: int
    revision_claims: int


FULL = Sizes(reviews=100_000, claims=10_000, words=1_000_000, revision_claims=300)
QUICK = Sizes(reviews=5_000, claims=1_000, words=50_000, revision_claims=50)


def verdict(stall_ms: float, limit: float = FRAME_MS) -> str:
    return "meets the goal" if stall_ms <= limit else f"over {limit:.0f} ms"


def report(what: str, figure: str, judged: str) -> None:
    print(f"| {what} | {figure} | {judged} |", flush=True)


# ---------------------------------------------------------------------- waiting on the loop
class FirstPaint(QObject):
    """Records when a widget next paints."""

    def __init__(self, widget: QObject):
        super().__init__()
        self.at: float | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def run_until(done: Callable[[], bool], beat: Heartbeat, limit_s: float) -> tuple[float, float]:
    """Run the event loop (the heartbeat on) until done() or limit_s; (seconds, longest stall
    in ms). The work itself was started before, from inside the loop."""
    loop = QEventLoop()
    beat.beats, beat.cpu = [], []
    began = time.perf_counter()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(int(limit_s * 1000), loop.quit)
    beat.timer.start()
    poll.start()
    loop.exec()
    poll.stop()
    beat.timer.stop()
    beat.stop_profiling()
    gaps = [b - a for a, b in zip(beat.beats, beat.beats[1:], strict=False)]
    turns = [b - a for a, b in zip(beat.cpu, beat.cpu[1:], strict=False)]
    beat.longest_cpu_ms = max(turns, default=0.0) * 1000  # the longest turn's own work
    return time.perf_counter() - began, max(gaps, default=0.0) * 1000


def window_on(path: Path, settings: Path, runner: TaskRunner) -> tuple[MainWindow, float]:
    """The main window on path, and ms from building it to its first paint (in process)."""
    began = time.perf_counter()
    window = MainWindow(
        ReviewStore(path),
        QSettings(str(settings), QSettings.Format.IniFormat),
        runner,
        MemorySecretStore(),
    )
    window.resize(1400, 900)
    painted = FirstPaint(window)
    window.show()
    window.activateWindow()
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if painted.at is not None else None)
    poll.start(1)
    loop.exec()
    poll.stop()
    assert painted.at is not None
    idle(50)
    return window, (painted.at - began) * 1000


def shown(window: MainWindow, review_id: int) -> bool:
    """The review is open and its whole text is in the article (a long one comes in parts)."""
    session = window.session
    return (
        session.review_id == review_id
        and session.loading_id is None
        and session.data is not None
        and not window.article.view.loading
    )


def open_from_another(
    window: MainWindow, beat: Heartbeat, other: int, review_id: int, repeat: int = 1
) -> None:
    """Open review_id from the library while `other` is open, as the editor does: the review
    is read on the reader's thread and a long text is shown in parts. Repeated `repeat` times
    (medians and worst of each figure)."""
    stalls, cpus, paints, dones = [], [], [], []
    for _ in range(repeat):
        stall, paint_ms, done_ms = _open_once(window, beat, other, review_id)
        stalls.append(stall)
        cpus.append(beat.longest_cpu_ms)
        paints.append(paint_ms)
        dones.append(done_ms)
    worst, paint = max(stalls), statistics.median(paints)
    report(
        "open it from another review" + (f" (median / max of {repeat})" if repeat > 1 else ""),
        f"longest stall {_spread(stalls)} ms (CPU of the longest turn {_spread(cpus)} ms), "
        f"article painted after {_spread(paints, 0)} ms, all of it shown after "
        f"{statistics.median(dones):.0f} ms",
        verdict(worst) if worst <= FRAME_MS else verdict(paint, FIRST_PAINT_MS) + " to paint",
    )
    beat.print_worst_turn("opening it")


def _spread(values: list[float], digits: int = 1) -> str:
    """'median / max' of values (one value: itself)."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


def _open_once(
    window: MainWindow, beat: Heartbeat, other: int, review_id: int
) -> tuple[float, float, float]:
    """(longest stall, ms to the article's first paint, ms until all of it was shown)."""
    session = window.session
    session.open_review(other)
    wait_for(lambda: shown(window, other))
    idle(20)
    painted: list[float] = []

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            # The review's text painted: shown ahead of its claims (revisionArriving) or with them.
            ours = review_id in (session.review_id, session.previewing)
            if event.type() == QEvent.Type.Paint and ours and window.article.view._shown_to:
                painted.append(time.perf_counter())
            return False

    watcher = Painted()
    window.article.view.viewport().installEventFilter(watcher)
    stall = beat.measure(
        lambda: session.open_review(review_id),
        SETTLE_MS,
        until=lambda: shown(window, review_id) and bool(painted),
        limit_ms=60_000,
    )
    window.article.view.viewport().removeEventFilter(watcher)
    paint_ms = (painted[0] - beat.started) * 1000 if painted else float("nan")
    done_ms = (max(beat.beats, default=beat.started) - beat.started) * 1000 - SETTLE_MS
    return stall, paint_ms, done_ms


# ---------------------------------------------------------------------- 1. a big library
def build_library(path: Path, reviews: int) -> None:
    with ReviewStore(path) as store, store.transaction():
        for n in range(reviews):
            store.add_article(
                draft(f"Draft {n}", [f"Paragraph {n} about {WORDS[n % len(WORDS)]}."])
            )


def library(tmp: Path, sizes: Sizes, with_start: bool = True) -> None:
    began = time.perf_counter()
    db = tmp / "library.db"
    build_library(db, sizes.reviews)
    print(f"\nsetup: a library of {sizes.reviews:,} reviews in {time.perf_counter() - began:.1f} s")
    print(f"\n| a library of {sizes.reviews:,} reviews | figure | goal |\n|---|---|---|")
    if with_start:
        _process_start(tmp, db)
    # The first window of a process pays once for imports, fonts and styles (the whole-process
    # figure above counts them); a second one shows what the library's size costs.
    window, _ = window_on(db, tmp / "library.ini", TaskRunner())
    window.close()
    window, paint_ms = window_on(db, tmp / "library.ini", TaskRunner())
    report(
        "a window opened again on it, built to first paint (in process)",
        f"{paint_ms:.0f} ms",
        verdict(paint_ms, FIRST_PAINT_MS),
    )

    beat = Heartbeat()
    view, model = window.library.list, window.library.model
    view.setFocus()
    presses = [0]

    def at_end() -> bool:
        last = model.rowCount() - 1
        if model.canFetchMore() or view.currentIndex().row() != last:
            presses[0] += 1
            key(view, Qt.Key.Key_End, Mod.ControlModifier)  # one batch more each time
            return False
        return True

    seconds, stall = run_until(at_end, beat, limit_s=600)
    reached = model.rowCount() == sizes.reviews and view.currentIndex().row() == sizes.reviews - 1
    report(
        "scroll to the end of the list (Ctrl+End until the last review)",
        f"{presses[0]} presses of {model.BATCH} rows, {seconds:.1f} s in all, longest stall "
        f"{stall:.1f} ms (CPU of the longest turn {beat.longest_cpu_ms:.1f} ms)"
        f"{'' if reached else ', NOT reached'}",
        verdict(stall),
    )
    # The keys stopped on the last review: it opens once the selection rests (OPEN_AFTER_MS).
    last = model.index(model.rowCount() - 1).data(ID_ROLE)
    stall = beat.measure(lambda: None, SETTLE_MS, until=lambda: shown(window, last))
    report(
        "the review the selection rests on opens (the first of this window)",
        f"longest stall {stall:.1f} ms (CPU {beat.longest_cpu_ms:.1f} ms)",
        verdict(stall),
    )
    window.library.search.setFocus()
    stalls = []
    for letter in (Qt.Key.Key_A, Qt.Key.Key_B, Qt.Key.Key_C):
        stalls.append(
            beat.measure(
                lambda k=letter: key(window.library.search, k), SEARCH_PAUSE_MS + SETTLE_MS
            )
        )
        window.library.search.clear()
        window.library.apply_filter()
        idle(20)
    report(
        "one search keystroke (worst of 3)",
        f"longest stall {max(stalls):.1f} ms",
        verdict(max(stalls)),
    )
    window.close()


def _process_start(tmp: Path, db: Path) -> None:
    env = child_env(tmp)
    menus = menu_entries()  # the bare window has the same menus and shortcuts as ours
    start(APP, db, env)  # warms the disk cache and compiles the bytecode
    start(BARE, db, env, menus)
    # Medians of three each (single starts vary with the machine's load).
    ours, peak, ready = _median_start(APP, db, env)
    bare, bare_peak, _ = _median_start(BARE, db, env, menus)
    report(
        "process start to first paint (whole process, median of 3)",
        f"{ours:.2f} s, {peak / 1024:.0f} MB; bare PySide6 window {bare:.2f} s, "
        f"{bare_peak / 1024:.0f} MB ({ours / bare:.1f}x); every pane built {ready:.2f} s",
        "within 1.5x of bare" if ours <= 1.5 * bare else "over 1.5x of bare",
    )


def _median_start(
    code: str, db: Path, env: dict[str, str], *args: str
) -> tuple[float, float, float]:
    runs = [start(code, db, env, *args) for _ in range(3)]
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


# ---------------------------------------------------------------------- 2. many claims
def build_claims(path: Path, claims: int) -> int:
    """A review whose article has a sentence per claim (every sentence unique)."""
    sentences = [
        f"Figure {n} says {WORDS[n % len(WORDS)]} grew by {n % 97} percent." for n in range(claims)
    ]
    paragraphs = [" ".join(sentences[i : i + 10]) for i in range(0, claims, 10)]
    with ReviewStore(path) as store:
        store.add_article(draft("Another review", ["A short one."]))
        review_id = store.add_article(draft("Ten thousand claims", paragraphs))
        store.add_claims(review_id, [NewClaim(quote=s) for s in sentences])
    return review_id


def many_claims(tmp: Path, sizes: Sizes, repeat: int = 1, profile: bool = False) -> None:
    began = time.perf_counter()
    db = tmp / "claims.db"
    review_id = build_claims(db, sizes.claims)
    print(f"\nsetup: a review with {sizes.claims:,} claims in {time.perf_counter() - began:.1f} s")
    print(f"\n| a review with {sizes.claims:,} claims | figure | goal |\n|---|---|---|")
    window, _ = window_on(db, tmp / "claims.ini", TaskRunner())
    session, beat = window.session, Heartbeat()
    beat.profile_turns = profile
    other = next(r.id for r in session.store.list_reviews(limit=10) if r.id != review_id)

    open_from_another(window, beat, other, review_id, repeat)

    assert session.data is not None
    middle = session.data.claims[len(session.data.claims) // 2]
    window.tabs.setCurrentIndex(0)
    session.activate_claim(middle.id)
    idle(20)
    window.claims.note.setFocus()
    stall = beat.measure(lambda: key(window.claims.note, Qt.Key.Key_X), TYPING_PAUSE_MS + SETTLE_MS)
    session.flush()
    report(
        "type one character in a claim's Note",
        f"longest stall {stall:.1f} ms (CPU of the longest turn {beat.longest_cpu_ms:.1f} ms)",
        verdict(stall),
    )
    beat.print_worst_turn("typing")

    assert middle.end is not None
    stalls, cpus = [], []
    for n in range(repeat):
        if n:
            session.undo()  # the claim added last time goes again: the same review each time
            idle(50)
        window.article.view.select_span(middle.end + 1, middle.end + 9)
        window.article.view.setFocus()
        stalls.append(
            beat.measure(
                lambda: key(window.article.view, Qt.Key.Key_Return, Mod.ControlModifier),
                SETTLE_MS,
            )
        )
        cpus.append(beat.longest_cpu_ms)
    report(
        "add a claim from a selection" + (f" (median / max of {repeat})" if repeat > 1 else ""),
        f"longest stall {_spread(stalls)} ms (CPU of the longest turn {_spread(cpus)} ms)",
        verdict(max(stalls)),
    )
    beat.print_worst_turn("adding a claim")
    window.close()


# ---------------------------------------------------------------------- 3. a long article
VOCABULARY = [
    "council",
    "budget",
    "water",
    "school",
    "road",
    "hospital",
    "report",
    "figure",
    "percent",
    "million",
    "increase",
    "decrease",
    "minister",
    "mayor",
    "resident",
    "survey",
    "study",
    "claim",
    "source",
    "year",
    "month",
    "week",
    "district",
    "energy",
    "price",
    "housing",
    "rent",
    "wage",
    "job",
    "market",
    "growth",
    "loss",
    "share",
    "vote",
    "election",
    "party",
    "court",
    "police",
    "crime",
    "rate",
    "data",
    "analysis",
    "expert",
    "official",
    "statement",
    "agency",
    "plan",
    "project",
    "cost",
]


def article_markdown(words: int, seed: int = 14) -> tuple[str, list[str]]:
    """A Markdown article of about `words` words (no two sentences alike), and its paragraphs."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    out: list[str] = ["# A very long report", ""]
    count, n = 0, 0
    while count < words:
        if n % 50 == 0:
            out += [f"## Part {n // 50 + 1}", ""]
        sentences = []
        for s in range(6):
            body = " ".join(rng.choice(VOCABULARY) for _ in range(14))
            sentences.append(f"In {n}.{s} the {body.capitalize()}.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        out += [paragraph, ""]
        count += len(paragraph.split())
        n += 1
    return "\n".join(out), paragraphs


def revised(paragraphs: list[str], seed: int = 15) -> str:
    """The next draft: a paragraph in twenty reworded, one in fifty dropped, some moved."""
    rng = random.Random(seed)
    out: list[str] = ["# A very long report, revised", ""]
    moved: list[str] = []
    for n, paragraph in enumerate(paragraphs):
        roll = rng.random()
        if roll < 0.02:
            continue
        if roll < 0.07:
            words = paragraph.split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
            paragraph = " ".join(words)
        elif roll < 0.08:
            moved.append(paragraph)
            continue
        if n % 50 == 0:
            out += [f"## Part {n // 50 + 1}", ""]
        out += [paragraph, ""]
    out += ["## Moved here", ""] + [p for m in moved for p in (m, "")]
    return "\n".join(out)


def long_article(tmp: Path, sizes: Sizes, profile: bool = False) -> None:
    began = time.perf_counter()
    text, paragraphs = article_markdown(sizes.words)
    source = tmp / "long.md"
    source.write_text(text, encoding="utf-8")
    newer = tmp / "long-revised.md"
    newer.write_text(revised(paragraphs), encoding="utf-8")
    db = tmp / "article.db"
    with ReviewStore(db) as store:
        other = store.add_article(draft("Another review", ["A short one."]))
    print(
        f"\nsetup: a {sizes.words:,}-word article ({len(text.encode()) / 1e6:.1f} MB of Markdown) "
        f"and its next draft in {time.perf_counter() - began:.1f} s"
    )
    print(f"\n| an article of {sizes.words:,} words | figure | goal |\n|---|---|---|")
    window, _ = window_on(db, tmp / "article.ini", TaskRunner())
    session, beat = window.session, Heartbeat()
    beat.profile_turns = profile
    results: list[str] = []
    imported: list[int] = []
    window.importer.imported.connect(imported.append)
    window.importer.imported.connect(lambda rid: results.append(f"imported {rid}"))
    window.importer.failed.connect(lambda message: results.append(f"failed: {message}"))
    QTimer.singleShot(0, lambda: window.importer.import_path(source))
    seconds, stall = run_until(
        lambda: bool(results) and (not imported or shown(window, imported[0])), beat, limit_s=600
    )
    report(
        "import the Markdown file (File › Import, the real path) until it is shown",
        f"{seconds:.1f} s in all ({results[0] if results else 'not done'}), "
        f"longest stall {stall:.0f} ms (CPU of the longest turn {beat.longest_cpu_ms:.1f} ms)",
        _graceful(stall),
    )
    beat.print_worst_turn("importing it")
    assert session.data is not None, results
    review_id = session.data.review.id

    open_from_another(window, beat, other, review_id)

    # Claims on whole sentences spread over the article, then the next draft on top.
    data = session.data
    assert data is not None
    step = max(1, len(paragraphs) // sizes.revision_claims)
    quotes = [paragraphs[i].split(". ")[1] for i in range(0, len(paragraphs), step)]
    session.store.add_claims(
        review_id, [NewClaim(quote=q) for q in quotes[: sizes.revision_claims]]
    )
    session.refresh_review()
    wait_for(lambda: shown(window, review_id))
    idle(50)
    outcome: list[str] = []
    QTimer.singleShot(
        0,
        lambda: window.revisions.start(
            "file",
            str(newer),
            lambda report_: outcome.append(
                ", ".join(f"{n} {s}" for s, n in report_.counts().items() if n)
            ),
            lambda message: outcome.append(f"failed: {message}"),
        ),
    )
    seconds, stall = run_until(lambda: bool(outcome), beat, limit_s=900)
    report(
        f"re-anchor {min(len(quotes), sizes.revision_claims)} claims on its next draft "
        "(File › Import Revision)",
        f"{seconds:.1f} s in all ({outcome[0] if outcome else 'not done in 15 min'}), "
        f"longest stall {stall:.0f} ms (CPU of the longest turn {beat.longest_cpu_ms:.1f} ms)",
        _graceful(stall),
    )
    beat.print_worst_turn("re-anchoring")
    window.close()


def _graceful(stall_ms: float) -> str:
    """Work that takes seconds runs on the pool behind a progress dialog; what counts is that
    the window keeps answering."""
    if stall_ms <= FRAME_MS:
        return "nothing frozen (off the GUI thread)"
    return f"window froze for {stall_ms:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (CI)")
    parser.add_argument(
        "--repeat", type=int, default=5, help="repetitions of the 10,000-claim actions"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the longest turn of each action"
    )
    parser.add_argument(
        "--only",
        default="",
        help="library, claims or article; scroll: the library without the process starts",
    )
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    print(f"{os.cpu_count()} cores, Qt platform {app.platformName()}")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as d:
        tmp = Path(d)
        if args.only == "scroll":
            library(tmp, sizes, with_start=False)
        for name, part in (
            ("library", library),
            ("claims", many_claims),
            ("article", long_article),
        ):
            if args.only in ("", name):
                if part is many_claims:
                    many_claims(tmp, sizes, args.repeat, args.profile)
                elif part is long_article:
                    long_article(tmp, sizes, args.profile)
                else:
                    part(tmp, sizes)
    app.processEvents()


if __name__ == "__main__":
    main()
