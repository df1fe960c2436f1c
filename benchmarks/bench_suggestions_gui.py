"""Benchmark: the longest event-loop stall of each suggestion action on the big review.

Not a test. Run from the project root (offscreen by default):

    .venv/bin/python benchmarks/bench_suggestions_gui.py [--repeat 10] [--quick]

Reuses bench_latency's heartbeat and its big review (a --words article with --claims claims;
its sentences say "said", "approved", figures...: thousands of suggestions). The window runs
its tasks on threads as the app does, so the suggestions are found on the reader thread; what
is measured is the GUI thread's part: opening the review until its marks are painted, F8 to
the next unexamined sentence, Alt+Return (accept) and its undo, a dismissal and its undo.
The floor is a keystroke in a bare QTextEdit, measured in the same run; the goal is 16 ms.

"Add a claim on the same sentence by hand" is the floor of an accept: once the claim is
written both go the same way (the session, the panes, the highlights), so an accept cannot be
faster than it. Run --without for the floor of opening (suggestions switched off).

Beside each stall, the GUI thread's CPU time inside the action's own call (time.thread_time):
on a machine shared with other work the stall also counts the time the thread waited for a
core or for the disk (a COMMIT's fsync), the CPU time only what the action itself computed.
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
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_latency import (
    SETTLE_MS,
    Heartbeat,
    bare_keystroke,
    build_big,
    idle,
    wait_for,
    window_on,
)
from PySide6.QtWidgets import QApplication

from reviewapp.ui.dialogs.dismiss import DismissDialog

CPU: list[float] = []  # GUI-thread CPU ms of each action's own call, as measured last


def on_cpu(action: Callable[[], object]) -> Callable[[], None]:
    """action, its GUI-thread CPU time appended to CPU."""

    def run() -> None:
        started = time.thread_time()
        action()
        CPU.append((time.thread_time() - started) * 1000)

    return run


def actions(
    window, review_id: int, other: int, without: bool = False
) -> list[tuple[str, Callable[[], float]]]:
    session, tracker, beat = window.session, window.suggestions, Heartbeat()
    view, a = window.article.view, window.action_set

    def ready() -> bool:
        return (
            session.review_id == review_id
            and session.loading_id is None
            and not view.loading
            and (tracker.ready or without)
        )

    def open_review() -> float:
        session.open_review(other)
        wait_for(
            lambda: session.review_id == other and not view.loading and (tracker.ready or without)
        )
        idle(10)
        return beat.measure(on_cpu(lambda: session.open_review(review_id)), SETTLE_MS, until=ready)

    def middle() -> None:
        s = tracker.suggestions[len(tracker.suggestions) // 2]
        view.show_span(s.start, s.start)
        idle(10)

    def next_suggestion() -> float:
        middle()
        return beat.measure(on_cpu(a["suggestion.next"].trigger), SETTLE_MS)

    def accept(undo: bool) -> Callable[[], float]:
        def run() -> float:
            middle()
            a["suggestion.next"].trigger()
            idle(10)
            stall = beat.measure(on_cpu(a["suggestion.accept"].trigger), SETTLE_MS)
            idle(10)
            undone = beat.measure(on_cpu(session.undo), SETTLE_MS)
            del CPU[-1 if not undo else -2]  # keep the one this row reports
            return undone if undo else stall

        return run

    def add_by_hand() -> float:
        """The same sentence made a claim by selecting it and Ctrl+Enter (claim.add): the
        floor of an accept, which goes the same way once the claim is written."""
        middle()
        a["suggestion.next"].trigger()
        s = tracker.suggestions[tracker.index_at(view.selected_span()[0])]
        view.select_span(s.start, s.end)
        idle(10)
        stall = beat.measure(on_cpu(a["claim.add"].trigger), SETTLE_MS)
        idle(10)
        session.undo()
        return stall

    def dismiss(undo: bool) -> Callable[[], float]:
        def run() -> float:
            middle()
            a["suggestion.next"].trigger()
            a["suggestion.dismiss"].trigger()
            (popup,) = [d for d in window.findChildren(DismissDialog) if d.isVisible()]
            idle(10)
            stall = beat.measure(on_cpu(popup.confirm), SETTLE_MS)
            idle(10)
            undone = beat.measure(on_cpu(session.undo), SETTLE_MS)
            del CPU[-1 if not undo else -2]  # keep the one this row reports
            return undone if undo else stall

        return run

    return [
        ("open the review until its marks are painted", open_review),
        ("next unexamined suggestion (F8)", next_suggestion),
        ("accept a suggestion (Alt+Return)", accept(False)),
        ("  ... undo it", accept(True)),
        ("  (add a claim on the same sentence by hand)", add_by_hand),
        ("dismiss a suggestion (popup, 1)", dismiss(False)),
        ("  ... undo it", dismiss(True)),
    ]


def run_table(title: str, rows: list[tuple[str, Callable[[], float]]], repeat: int) -> None:
    print(f"\n| {title} | longest stall, median / max | GUI CPU in the call, median |")
    print("|---|---|---|")
    for name, run in rows:
        run()  # warm up
        CPU.clear()
        stalls = [run() for _ in range(repeat)]
        worst = max(stalls)
        flag = "" if worst <= 16 else "  (over 16 ms)"
        cpu = f"{statistics.median(CPU):.1f} ms" if CPU else "-"
        print(f"| {name} | {statistics.median(stalls):.1f} / {worst:.1f} ms{flag} | {cpu} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    # claims on the first paragraphs only: the second half's suggestions stay open
    parser.add_argument("--claims", type=int, default=1_000)
    parser.add_argument(
        "--without", action="store_true", help="suggestions switched off (the floor of opening)"
    )
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="3 repetitions")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    if args.without:
        from reviewapp.ui.suggestions import SuggestionTracker

        SuggestionTracker.read = lambda self: None  # type: ignore[method-assign]
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    tmp = Path(tempfile.mkdtemp(prefix="bench-suggestions-"))
    print(f"{os.cpu_count()} cores, Qt platform {app.platformName()}, {repeat} repetitions")
    run_table("floor", [("bare QTextEdit keystroke", bare_keystroke())], repeat)
    big = build_big(tmp / "big.db", 1, args.words, args.claims, 0, 0)
    window = window_on(tmp / "big.db", tmp / "big.ini")
    session = window.session
    started = time.perf_counter()
    session.open_review(big)
    wait_for(
        lambda: (
            session.review_id == big
            and (window.suggestions.ready or args.without)
            and not window.article.view.loading
        ),
        30_000,
    )
    print(
        f"{window.suggestions.total:,} suggestions, {window.suggestions.examined:,} covered by "
        f"the {len(session.data.claims):,} claims; first open and assessment "
        f"{(time.perf_counter() - started) * 1000:.0f} ms (on the reader thread)"
    )
    rows = actions(window, big, other=1, without=args.without)
    run_table("suggestions on the big review", rows[:1] if args.without else rows, repeat)
    window.close()


if __name__ == "__main__":
    main()
