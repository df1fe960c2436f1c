"""Heavy pure-Python work in a worker process, so that the window's process keeps its GIL.

A thread of the window's process that runs Python (assessing 10,000 sentences, parsing a
1,000,000-word draft, re-anchoring on it) holds the interpreter lock, and the GUI thread waits
for it each time it comes back from Qt (a convoy: stalls of 150-200 ms, measured with
benchmarks/bench_scale.py). ``WorkerPool.run(fn, *args)`` runs fn in a child process instead
and waits for it (the waiting releases the lock); it is called from a worker or reader thread,
never from the GUI thread. fn must be a module-level function of a module that does not import
Qt, and its arguments and result plain picklable values; keep the result small and made of
builtin types (unpickling 10,000 dataclasses holding enums took 110 ms, in one call that holds
the lock).

The pool starts lazily (``spawn``: a fork of a process with Qt's threads is unsafe), and is
reused. When a child dies or cannot start, the work runs in the calling thread instead (as
before there was a pool), ``on_fallback`` is told once per failure (the window shows it in
the status bar) and the detail is logged; after ``MAX_FAILURES`` the pool is not tried again.
``InProcess`` runs everything in the calling thread: tests, and the CLI, which has no GUI
thread to protect.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_WORKERS = 2  # two cores here: a suggestion read need not wait for a long re-anchoring
MAX_FAILURES = 3  # a child that keeps dying: run in-process for the rest of the session
POLL_SECONDS = 0.1  # how often a wait looks at its cancel flag
# Closing waits this long for work that writes to the library (a new revision, an import) to
# finish rather than end it halfway (its transaction would be rolled back: the editor's work
# lost without a word); work that only reads is ended at once.
WRITE_GRACE_SECONDS = 30.0
FALLBACK_MESSAGE = (
    "The background worker process stopped; this work runs in the window's process "
    "instead (the window may answer slowly meanwhile). Details are in the log."
)


class WorkerCancelled(Exception):
    """The caller's cancel flag was set while its work ran in the worker process."""


class WorkersClosed(Exception):
    """The pool was closed (the window is closing) while work waited on it."""


class Workers(Protocol):
    """Runs fn(*args) somewhere other than the GUI thread's interpreter, or right here."""

    def run(
        self,
        fn: Callable[..., T],
        *args: Any,
        cancel: threading.Event | None = None,
        writes: bool = False,
    ) -> T:
        """fn(*args), waited for in the calling thread."""
        ...

    def close(self) -> None:
        """Stop every worker process; nothing is left running."""
        ...


class InProcess:
    """Every call runs in the calling thread (tests, the CLI)."""

    def run(
        self,
        fn: Callable[..., T],
        *args: Any,
        cancel: threading.Event | None = None,
        writes: bool = False,
    ) -> T:
        return fn(*args)

    def close(self) -> None:
        pass


def _ready() -> bool:
    """Run once in a new worker: the process is up and can unpickle our functions."""
    return True


def worker_pid() -> int:
    """The process that ran this (the self-test's proof that a worker starts)."""
    return os.getpid()


class WorkerPool:
    """A lazily started, reused pool of worker processes, with the in-process fallback."""

    def __init__(
        self,
        on_fallback: Callable[[str], None] | None = None,
        max_workers: int = MAX_WORKERS,
        context: str = "spawn",
    ):
        """on_fallback(message) is called from the thread whose work fell back."""
        self.on_fallback = on_fallback
        self._max_workers = max_workers
        self._context = context
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False
        self._writing = 0  # calls with writes=True waiting now
        self.failures = 0

    @property
    def usable(self) -> bool:
        """Whether work still goes to a worker process (not closed, not given up on)."""
        return not self._closed and self.failures < MAX_FAILURES

    def start(self, ready: Callable[[], object] = _ready) -> None:
        """Start a worker now and run ready() there (a function of the module the work will
        need, so that it is imported too), so that the first real work does not wait for a
        worker to start (~0.3 s); call it from a background thread."""
        self.run(ready)

    def run(
        self,
        fn: Callable[..., T],
        *args: Any,
        cancel: threading.Event | None = None,
        writes: bool = False,
    ) -> T:
        """fn(*args) in a worker process, waited for here; in this thread instead when the
        pool cannot be used. An exception fn raises is raised here as it is. A set cancel
        flag raises WorkerCancelled (the worker finishes and its result is dropped). WRITES:
        fn writes to the library, and closing the pool lets it finish."""
        executor = self._executor_for_use()
        if executor is None:
            return fn(*args)
        with self._lock:
            self._writing += writes
        try:
            try:
                future: Future[T] = executor.submit(fn, *args)
            except (BrokenProcessPool, OSError, RuntimeError) as exc:  # could not start one
                return self._fall_back(executor, exc, fn, args)
            try:
                return self._wait(future, cancel)
            except BrokenProcessPool as exc:  # the worker died (killed, crashed, out of memory)
                return self._fall_back(executor, exc, fn, args)
            except CancelledError as exc:  # close() dropped it before a worker took it up
                if self._closed:
                    raise WorkersClosed("the window is closing") from exc
                raise
        finally:
            with self._lock:
                self._writing -= writes

    def _wait(self, future: Future[T], cancel: threading.Event | None) -> T:
        if cancel is None:
            return future.result()
        while True:
            try:
                return future.result(timeout=POLL_SECONDS)
            except FutureTimeout:
                if cancel.is_set():
                    future.cancel()
                    raise WorkerCancelled("cancelled") from None

    def _executor_for_use(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if not self.usable:
                return None
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self._max_workers,
                    mp_context=multiprocessing.get_context(self._context),
                )
            return self._executor

    def _fall_back(
        self, executor: ProcessPoolExecutor, exc: BaseException, fn: Callable[..., T], args: tuple
    ) -> T:
        with self._lock:
            if self._closed:
                raise WorkersClosed("the window is closing") from exc
            if self._executor is executor:  # the first to notice: a new pool next time
                self._executor = None
                self.failures += 1
                first = True
            else:
                first = False
        if first:
            log.error(
                "worker process failed (%d of %d); running %s in-process",
                self.failures,
                MAX_FAILURES,
                getattr(fn, "__qualname__", fn),
                exc_info=exc,
            )
            _stop(executor)
            if self.on_fallback is not None:
                self.on_fallback(FALLBACK_MESSAGE)
        return fn(*args)

    def processes(self) -> list[multiprocessing.process.BaseProcess]:
        """The worker processes alive now (for tests and the shutdown check)."""
        with self._lock:
            executor = self._executor
        return [p for p in _processes_of(executor) if p.is_alive()]

    def close(self) -> None:
        """Stop every worker (the window is closing): work that only reads is ended at once
        and its caller gets WorkersClosed; work that writes is waited for, up to
        WRITE_GRACE_SECONDS. No process is left behind."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
            grace = WRITE_GRACE_SECONDS if self._writing else 0.0
        if executor is not None:
            _stop(executor, grace)


def _processes_of(executor: ProcessPoolExecutor | None) -> list[multiprocessing.Process]:
    # The executor keeps its processes in a private dict (pid -> Process) since Python 3.2;
    # there is no public way to stop a busy worker without waiting for its work.
    if executor is None:
        return []
    return list((getattr(executor, "_processes", None) or {}).values())


def _stop(executor: ProcessPoolExecutor, grace: float = 0.0) -> None:
    """Shut executor down, waiting GRACE seconds at most for work already running (work not
    started yet is dropped), and reap its processes."""
    processes = _processes_of(executor)
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:  # each leaves once its work is done (the executor told it)
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():  # ignored SIGTERM: it must not outlive the window
            process.kill()
            process.join(timeout=5)
