"""Background work: one ``run_task`` helper on a QThreadPool, synchronous in tests.

The GUI thread never blocks on a fetch, an extraction or an export: the work runs on a pool
thread and its result comes back to the GUI thread through a queued signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)


@dataclass
class TaskControl:
    """What a running task can look at: a cancel flag and a progress reporter."""

    cancel: threading.Event = field(default_factory=threading.Event)
    report: Callable[[int, str], None] = lambda percent, text: None

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call back to the GUI thread."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, str)


class Task:
    """A handle on one submitted task: cancel it, ask whether it finished."""

    def __init__(self, control: TaskControl):
        self.control = control
        self.finished = False

    def cancel(self) -> None:
        self.control.cancel.set()


def _run(fn: Callable[[TaskControl], Any], control: TaskControl, relay: _Relay) -> None:
    """One task, on a pool thread: its answer goes back through relay."""
    try:
        result = fn(control)
    except BaseException as exc:  # handed to on_error in the GUI thread, never lost
        relay.failed.emit(exc)
    else:
        relay.done.emit(result)


class TaskRunner(QObject):
    """Runs tasks on a thread pool, or inline when ``synchronous`` (tests)."""

    def __init__(self, pool: QThreadPool | None = None, synchronous: bool = False, parent=None):
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = pool or QThreadPool.globalInstance()
        self._live: set[_Relay] = set()  # keep relays alive until their task reports back

    def run_task(
        self,
        fn: Callable[[TaskControl], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        progress: Callable[[int, str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Task:
        """Run fn(control) off the GUI thread; on_done(result) or on_error(exc) run in the GUI."""
        control = TaskControl(cancel=cancel or threading.Event())
        task = Task(control)
        if self.synchronous:
            if progress is not None:
                control.report = progress
            try:
                result = fn(control)
            except Exception as exc:
                task.finished = True
                on_error(exc)
            else:
                task.finished = True
                on_done(result)
            return task

        relay = _Relay()
        self._live.add(relay)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            task.finished = True
            self._live.discard(relay)
            # Freed once this turn is over: its connections hold closures that hold it, a
            # cycle only the garbage collector would find, and every read left one behind
            # (scrolling 100,000 reviews: ~40,000 objects, full passes of 25-70 ms).
            relay.deleteLater()
            callback(value)

        relay.done.connect(lambda result: finish(on_done, result))
        relay.failed.connect(lambda exc: finish(on_error, exc))
        if progress is not None:
            relay.progress.connect(progress)
        control.report = relay.progress.emit
        # A plain callable, not a QRunnable subclass: PySide's wrapper of the pool kept ~40%
        # of the Python QRunnables it was given (and their task's control, closures and
        # cancel flag) for good; it keeps nothing of a callable once it ran.
        self._pool.start(partial(_run, fn, control, relay))
        return task

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the pool to drain (benchmarks and shutdown only, never in a GUI handler)."""
        return self._pool.waitForDone(msecs)
