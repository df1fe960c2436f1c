"""Benchmark: the longest event-loop stall of each everyday action, big review and sample.

Not a test. Run from the project root (offscreen by default):

    .venv/bin/python benchmarks/bench_latency.py [--repeat 20] [--quick]

Builds, deterministically, a library of --reviews small reviews plus one big review (a
--words article with --claims claims, --sources sources and --takeaways takeaways), and a
second library holding only the sample draft. Drives the real MainWindow with QTest key
events and measures, for each action, the longest gap between beats of a 1 ms heartbeat
timer while the action and everything it set off (deferred writes, debounced searches)
ran: the longest time the window could not have painted or answered a key. The floors are
measured in the same run: a keystroke in a bare QTextEdit, and a raw sqlite3 UPDATE+COMMIT.
Prints median / max over --repeat repetitions (--quick: 3), and beside them the GUI thread's
CPU time in the longest turn of the event loop: on a shared machine a stall can be a turn
that waited for a core, and the CPU column tells the two apart. --profile prints, per action,
where the GUI thread spent its time (cProfile over the repetitions).

The window runs its tasks on threads, as the app does: a review to open and a library search
are read on the reader thread. Opening a review is measured until the review has arrived and
its whole article is shown (it comes in parts), and its time to first paint (from the request
to the first paint of the article view with the new review) is printed beside it.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget  # noqa: E402

# Imported from this folder by name: the dev tool pysbd installs a top-level package called
# "benchmarks" that would shadow this folder as a package.
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_gui import WORDS, draft  # noqa: E402

from reviewapp.secrets import MemorySecretStore  # noqa: E402
from reviewapp.store import ReviewStore  # noqa: E402
from reviewapp.ui.dialogs.add_source import AddSourceDialog  # noqa: E402
from reviewapp.ui.main_window import MainWindow  # noqa: E402
from reviewapp.ui.panes.library import SEARCH_PAUSE_MS  # noqa: E402
from reviewapp.ui.tasks import TaskRunner  # noqa: E402
from reviewapp.ui.widgets import TYPING_PAUSE_MS  # noqa: E402

Mod = Qt.KeyboardModifier
SETTLE_MS = 60  # after the action (and its timers): the loop must be idle again by then


class Heartbeat:
    """A 1 ms timer; the longest gap between its beats is the longest stall.

    Beside each beat it notes the GUI thread's CPU time: the most CPU time spent between two
    beats (``longest_cpu_ms``) is the longest turn's own work, which other processes on a
    busy machine do not lengthen (a wall-clock gap also holds the time the thread waited
    for a core)."""

    TURNS_KEPT = 3  # profiled turns kept (profile_turns)
    profile_every = False  # every new heartbeat profiles its turns (--turns)
    made: ClassVar[list[Heartbeat]] = []  # every heartbeat made, to print their longest turns
    last_cpu_ms = 0.0  # longest_cpu_ms of the heartbeat that measured last (for the table)

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._beat)
        self.beats: list[float] = []
        self.cpu: list[float] = []  # the GUI thread's CPU time at each beat
        self.started = 0.0  # when the action measured last began (perf_counter)
        self.longest_cpu_ms = 0.0
        # profile_turns: cProfile each turn between two beats and keep the TURNS_KEPT that used
        # the most CPU (``worst_turns``, with their CPU seconds): what the longest turns did.
        self.profile_turns = Heartbeat.profile_every
        self._turn: cProfile.Profile | None = None
        self.worst_turns: list[tuple[float, cProfile.Profile]] = []  # the longest first
        Heartbeat.made.append(self)

    def _beat(self) -> None:
        cpu = time.thread_time()
        if self.profile_turns:
            if self._turn is not None:
                self._turn.disable()
                used = cpu - self.cpu[-1] if self.cpu else 0.0
                self.worst_turns.append((used, self._turn))
                self.worst_turns.sort(key=lambda turn: -turn[0])
                del self.worst_turns[self.TURNS_KEPT :]
            self._turn = cProfile.Profile()
        self.beats.append(time.perf_counter())
        self.cpu.append(cpu)
        if self._turn is not None and self.profile_turns:
            self._turn.enable()

    def stop_profiling(self) -> None:
        """Stop profiling the turn under way (the heartbeat stopped)."""
        if self._turn is not None:
            self._turn.disable()
            self._turn = None

    def print_worst_turn(self, what: str, lines: int = 25) -> None:
        """Print where the longest turns seen since the last call spent their time."""
        self.stop_profiling()
        for n, (used, profile) in enumerate(self.worst_turns, 1):
            print(f"\n== turn {n} by CPU time of {what}: {used * 1000:.1f} ms (profiled)")
            pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(
                lines
            )
        self.worst_turns = []

    def measure(
        self,
        action: Callable[[], object],
        settle_ms: int,
        until: Callable[[], bool] | None = None,
        limit_ms: int = 5000,
    ) -> float:
        """Run action inside a running event loop; the longest gap in ms. until: keep the
        loop running (beyond settle_ms, up to limit_ms) until it says the action's work,
        done in parts over many turns, is all done; then settle_ms more."""
        loop = QEventLoop()
        self.beats, self.cpu = [], []
        self.started = 0.0
        self.timer.start()

        def act() -> None:
            self.started = time.perf_counter()
            action()

        def check() -> None:
            if until is None or until():
                QTimer.singleShot(settle_ms, loop.quit)
            elif (time.perf_counter() - self.started) * 1000 > limit_ms:
                print(f"  (still not done after {limit_ms} ms)")
                loop.quit()
            else:
                QTimer.singleShot(1, check)

        QTimer.singleShot(5, act)  # from inside the loop, as a key press arrives
        QTimer.singleShot(6, check)
        loop.exec()
        self.timer.stop()
        self.stop_profiling()
        gaps = [b - a for a, b in zip(self.beats, self.beats[1:], strict=False)]
        turns = [b - a for a, b in zip(self.cpu, self.cpu[1:], strict=False)]
        self.longest_cpu_ms = Heartbeat.last_cpu_ms = max(turns, default=0.0) * 1000
        return max(gaps, default=0.0) * 1000


def idle(ms: int) -> None:
    """Let the event loop run for ms (timers fire, pending writes land)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def key(widget: QWidget, k: Qt.Key, modifiers: Qt.KeyboardModifier = Mod.NoModifier) -> None:
    QTest.keyClick(widget, k, modifiers)


# ---------------------------------------------------------------------- the data
def build_big(path: Path, reviews: int, words: int, claims: int, sources: int, takeaways: int):
    start = time.perf_counter()
    with ReviewStore(path) as store:
        with store.transaction():
            for n in range(reviews):
                store.add_article(
                    draft(f"Draft {n}", [f"Paragraph {n} about {WORDS[n % len(WORDS)]}."])
                )
        per_paragraph = 50
        paragraphs = [
            " ".join(WORDS[(p * 7 + i) % len(WORDS)] for i in range(per_paragraph)) + "."
            for p in range(words // per_paragraph)
        ]
        review_id = store.add_article(draft("A very long article", paragraphs))
        data = store.load_review(review_id)
        blocks = [b for b in data.revision.blocks if b.kind == "paragraph"]
        per_block = max(1, -(-claims // len(blocks)))
        with store.transaction():
            ids = []
            for n in range(claims):
                block = blocks[n // per_block]
                offset = block.start + (n % per_block) * 40
                ids.append(store.add_claim_at(review_id, offset, offset + 25).id)
            for n in range(sources):
                linked = ids[n * 7 % len(ids) :: max(1, len(ids) // 5)][:5]
                store.add_source(
                    review_id, linked, title=f"Source {n}", url=f"https://example.org/s/{n}"
                )
            for n in range(takeaways):
                store.add_takeaway(review_id, f"Takeaway {n}: the council said so.", "summary")
    print(
        f"setup: {reviews:,} reviews + a {words:,}-word review with {claims:,} claims, "
        f"{sources} sources, {takeaways} takeaways in {time.perf_counter() - start:.1f} s"
    )
    return review_id


def wait_for(done: Callable[[], bool], limit_ms: int = 10_000) -> None:
    """Let the event loop run until done() (work on other threads and its answers land)."""
    deadline = time.perf_counter() + limit_ms / 1000
    while not done() and time.perf_counter() < deadline:
        idle(5)


def window_on(path: Path, settings: Path) -> MainWindow:
    # Threads as in the app: a review is read on the reader's thread, a search too.
    window = MainWindow(
        ReviewStore(path),
        QSettings(str(settings), QSettings.Format.IniFormat),
        TaskRunner(),
        MemorySecretStore(),
    )
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    idle(50)
    return window


# ---------------------------------------------------------------------- the actions
first_paints: list[float] = []  # ms from asking for the big review to its first paint


def actions(window: MainWindow, other_review: int) -> list[tuple[str, Callable[[], float]]]:
    """(name, run once -> stall ms) for each action; every run leaves the review as it was."""
    session, beat = window.session, Heartbeat()
    claims = window.claims
    review_id = session.review_id
    assert review_id is not None and session.data is not None
    middle = session.data.claims[len(session.data.claims) // 2].id

    def on_claim() -> None:
        window.tabs.setCurrentIndex(0)
        if session.current_claim_id != middle:
            session.activate_claim(middle)
        idle(10)

    def typing(field: QWidget) -> Callable[[], float]:
        def run() -> float:
            on_claim()
            field.setFocus()
            stall = beat.measure(lambda: key(field, Qt.Key.Key_X), TYPING_PAUSE_MS + SETTLE_MS)
            key(field, Qt.Key.Key_Backspace)
            session.flush()
            idle(10)
            return stall

        return run

    statuses = [Qt.Key.Key_1, Qt.Key.Key_2]
    flip = [0]

    def status(with_source: bool) -> Callable[[], float]:
        def run() -> float:
            on_claim()
            if with_source:
                window.tabs.setCurrentIndex(1)
                window.sources.list.setCurrentIndex(window.sources.model.index(0, 0))
            window.claims.list.setFocus()
            flip[0] ^= 1
            return beat.measure(
                lambda: key(window.claims.list, statuses[flip[0]], Mod.ControlModifier),
                SETTLE_MS,
            )

        return run

    def add_claim() -> float:
        on_claim()
        claim = session.current_claim()
        assert claim is not None and claim.end is not None
        window.article.view.select_span(claim.end + 1, claim.end + 9)
        window.article.view.setFocus()
        stall = beat.measure(
            lambda: key(window.article.view, Qt.Key.Key_Return, Mod.ControlModifier), SETTLE_MS
        )
        session.undo()
        idle(10)
        return stall

    def delete_then_undo(measure_undo: bool) -> Callable[[], float]:
        def run() -> float:
            on_claim()
            claims.list.setFocus()
            deleting = lambda: key(claims.list, Qt.Key.Key_Delete)  # noqa: E731
            if measure_undo:
                deleting()
                idle(10)
                stall = beat.measure(session.undo, SETTLE_MS)
            else:
                stall = beat.measure(deleting, SETTLE_MS)
                session.undo()
            idle(10)
            return stall

        return run

    def add_source() -> float:
        on_claim()
        dialog = window.open_add_source()
        assert isinstance(dialog, AddSourceDialog)
        dialog.form.lines["url"].setText("https://example.org/new")
        dialog.form.lines["title"].setText("A new source")
        stall = beat.measure(dialog.accept, SETTLE_MS)
        session.undo()
        idle(10)
        return stall

    def search() -> float:
        window.library.search.setFocus()
        stall = beat.measure(
            lambda: key(window.library.search, Qt.Key.Key_A), SEARCH_PAUSE_MS + SETTLE_MS
        )
        window.library.search.clear()
        window.library.apply_filter()
        idle(10)
        return stall

    view = window.article.view
    painted: list[float] = []
    first_paints.clear()

    class FirstPaint(QObject):
        """The first time the article paints the review asked for: time to first paint."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            # The review's text painted: shown ahead of its claims (session.previewing) or
            # with them; a paint of the view before any of its text is in does not count.
            if (
                event.type() == QEvent.Type.Paint
                and not painted
                and review_id in (session.review_id, session.previewing)
                and view._shown_to
                and beat.started
            ):
                painted.append(time.perf_counter() - beat.started)
            return False

    watcher = FirstPaint(window)
    view.viewport().installEventFilter(watcher)

    def opened() -> bool:
        return (
            session.review_id == review_id
            and session.loading_id is None
            and not view.loading
            and bool(painted)
        )

    def open_big() -> float:
        session.open_review(other_review)
        wait_for(lambda: session.review_id == other_review and not view.loading)
        idle(10)
        painted.clear()
        stall = beat.measure(lambda: session.open_review(review_id), SETTLE_MS, until=opened)
        first_paints.append(painted[0] * 1000 if painted else float("nan"))
        idle(10)
        return stall

    def next_claim() -> float:
        on_claim()
        claims.list.setFocus()
        stall = beat.measure(lambda: key(claims.list, Qt.Key.Key_Down, Mod.AltModifier), SETTLE_MS)
        session.activate_claim(middle)
        return stall

    return [
        ("type one character in a claim's Note", typing(claims.note)),
        ("type one character in Correction", typing(claims.correction)),
        ("set a claim's status (Ctrl+1/2)", status(False)),
        ("  ... with a source selected", status(True)),
        ("add a claim from a selection", add_claim),
        ("delete a claim", delete_then_undo(False)),
        ("  ... undo it", delete_then_undo(True)),
        ("add a linked source", add_source),
        ("type one character in the library search", search),
        ("open the review from the library", open_big),
        ("next claim (Alt+Down)", next_claim),
    ]


# ---------------------------------------------------------------------- floors
def bare_keystroke() -> Callable[[], float]:
    edit, beat = QTextEdit(), Heartbeat()
    edit.resize(600, 400)
    edit.show()

    def run() -> float:
        edit.setFocus()
        return beat.measure(lambda: key(edit, Qt.Key.Key_X), SETTLE_MS)

    return run


def raw_write(tmp: Path) -> Callable[[], float]:
    con = sqlite3.connect(tmp / "raw.db", isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE claims (id INTEGER PRIMARY KEY, note TEXT)")
    con.execute("CREATE VIRTUAL TABLE claims_fts USING fts5(note)")
    con.execute(
        "CREATE TRIGGER claims_au AFTER UPDATE ON claims BEGIN "
        "UPDATE claims_fts SET note = new.note WHERE rowid = new.id; END"
    )
    con.executemany("INSERT INTO claims (note) VALUES (?)", [("",)] * 2000)
    con.execute("INSERT INTO claims_fts (rowid, note) SELECT id, note FROM claims")
    count = [0]

    def run() -> float:
        count[0] += 1
        start = time.perf_counter()
        con.execute("BEGIN")
        con.execute("UPDATE claims SET note = ? WHERE id = 1000", [f"note {count[0]}"])
        con.execute("COMMIT")
        return (time.perf_counter() - start) * 1000

    return run


# ---------------------------------------------------------------------- the table
def run_table(
    title: str, rows: list[tuple[str, Callable[[], float]]], repeat: int, profile: bool = False
) -> list[tuple[str, float, float]]:
    results, cpu = [], []
    for name, run in rows:
        run()  # warm up (first paint, caches)
        for beat in Heartbeat.made:
            beat.worst_turns = []  # the warm-up's turns are not the action's
        stalls, turns = [], []
        profiler = cProfile.Profile() if profile else None
        for _ in range(repeat):
            Heartbeat.last_cpu_ms = float("nan")  # a floor measured without a heartbeat
            if profiler is not None:
                profiler.enable()
            stalls.append(run())
            if profiler is not None:
                profiler.disable()
            turns.append(Heartbeat.last_cpu_ms)
        if profiler is not None:
            print(f"\n== profile: {name} ({repeat} repetitions, with their set-up)")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        for beat in Heartbeat.made:
            beat.print_worst_turn(name)
        results.append((name, statistics.median(stalls), max(stalls)))
        cpu.append((statistics.median(turns), max(turns)))
    print(
        f"\n| {title} | longest stall, median / max | CPU of the longest turn, median / max |"
        "\n|---|---|---|"
    )
    for (name, median, worst), (cpu_median, cpu_worst) in zip(results, cpu, strict=True):
        flag = "" if worst <= 16 else "  (over 16 ms)"
        turn = "–" if math.isnan(cpu_worst) else f"{cpu_median:.1f} / {cpu_worst:.1f} ms"
        print(f"| {name} | {median:.1f} / {worst:.1f} ms{flag} | {turn} |")
    if first_paints:
        times = first_paints[1:] or first_paints  # the first was the warm-up
        print(
            f"| open the review: time to first paint | {statistics.median(times):.1f} / "
            f"{max(times):.1f} ms (not a stall; goal under 100 ms) |"
        )
        first_paints.clear()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=2_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--takeaways", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="3 repetitions")
    parser.add_argument("--only", default="", help="run only actions whose name contains this")
    parser.add_argument("--profile", action="store_true", help="cProfile each action")
    parser.add_argument(
        "--turns", action="store_true", help="cProfile the three longest turns of each action"
    )
    args = parser.parse_args()
    Heartbeat.profile_every = args.turns
    repeat = 3 if args.quick else args.repeat
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    tmp = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    print(f"{os.cpu_count()} cores, Qt platform {app.platformName()}, {repeat} repetitions")

    floors = run_table(
        "floor",
        [
            ("bare QTextEdit keystroke", bare_keystroke()),
            ("raw sqlite3 UPDATE+COMMIT", raw_write(tmp)),
        ],
        repeat,
    )
    del floors

    big_id = build_big(
        tmp / "big.db", args.reviews, args.words, args.claims, args.sources, args.takeaways
    )
    window = window_on(tmp / "big.db", tmp / "big.ini")
    window.session.open_review(big_id)
    wait_for(lambda: window.session.review_id == big_id and not window.article.view.loading)
    idle(50)
    rows = [r for r in actions(window, other_review=1) if args.only in r[0]]
    run_table("action on the big review", rows, repeat, args.profile)
    window.close()

    window = window_on(tmp / "sample.db", tmp / "sample.ini")
    window.importer.import_sample()
    session = window.session
    wait_for(lambda: session.data is not None)
    assert session.data is not None
    text, review_id = session.data.revision.text, session.data.review.id
    for at in range(3):  # three claims on the sample's first sentences
        start = text.index(". ", len(text) // 4 * at + 1) + 2
        session.store.add_claim_at(review_id, start, start + 20)
    session.refresh_review()
    other = window.session.store.add_article(draft("Another", ["A short one."]))
    window.library.apply_filter()
    idle(50)
    first_paints.clear()
    rows = [r for r in actions(window, other_review=other) if args.only in r[0]]
    run_table("action on the sample", rows, repeat, args.profile)
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
