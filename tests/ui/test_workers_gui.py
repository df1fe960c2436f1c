"""The window's worker processes: the suggestions they find are the ones found in-process, a
worker that dies is announced in the status bar while the work is done anyway, and closing the
window leaves no worker process behind."""

from __future__ import annotations

import logging
import multiprocessing
import os

from reviewapp.workflows import suggestion_index
from reviewapp.workflows.workers import FALLBACK_MESSAGE, InProcess, WorkerPool
from tests.test_workers import exit_unless_in, slow_start


def _suggestions_of(window) -> list:
    tracker = window.suggestions
    return [tracker.suggestions[i] for i in range(tracker.total)]


def test_the_window_finds_the_same_suggestions_in_its_worker_as_in_process(
    make_window, qtbot, sample_path, worker_pool
):
    found = []
    for workers in (worker_pool, InProcess()):
        window = make_window(synchronous=False, workers=workers)
        window.importer.import_path(sample_path)
        qtbot.waitUntil(lambda w=window: w.suggestions.ready, timeout=30_000)
        found.append((_suggestions_of(window), window.suggestions.examined))
        window.close()
    assert found[0] == found[1] and len(found[0][0]) > 5


def test_a_worker_that_dies_is_shown_in_the_status_bar_and_the_work_still_done(
    make_window, qtbot, sample_path
):
    window = make_window(synchronous=False, workers="own")
    workers = window.workers
    assert isinstance(workers, WorkerPool)
    window.importer.import_path(sample_path)
    qtbot.waitUntil(lambda: window.suggestions.ready, timeout=30_000)
    assert workers.processes()  # the import and the suggestions ran there

    done: list[str] = []
    window._runner.run_task(  # as the import or the suggestions run their work
        lambda _control: workers.run(exit_unless_in, os.getpid()), done.append, done.append
    )
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    assert done == ["done in the window's process"]
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == FALLBACK_MESSAGE)

    window.importer.import_path(sample_path)  # the next work has a worker again
    qtbot.waitUntil(lambda: len(window.session.store.list_reviews()) == 2, timeout=30_000)
    assert workers.processes()


def test_closing_the_window_ends_its_worker_processes(make_window, qtbot, sample_path):
    window = make_window(synchronous=False, workers="own")
    window.importer.import_path(sample_path)
    qtbot.waitUntil(lambda: window.suggestions.ready, timeout=30_000)
    pids = {p.pid for p in window.workers.processes()}
    assert pids

    window.close()

    assert window.workers.processes() == []
    assert not pids & {p.pid for p in multiprocessing.active_children()}


def test_closing_the_window_while_its_worker_starts_is_not_logged_as_a_failure(
    make_window, qtbot, monkeypatch, caplog
):
    monkeypatch.setattr(suggestion_index, "warm_up", slow_start)
    caplog.set_level(logging.DEBUG, logger="reviewapp.ui.main_window")
    window = make_window(synchronous=False, workers="own")
    qtbot.waitUntil(lambda: bool(window.workers.processes()), timeout=10_000)  # starting

    window.close()

    assert window.workers.processes() == []
    qtbot.waitUntil(lambda: any("worker process" in r.message for r in caplog.records))
    said = [r for r in caplog.records if "worker process" in r.message]
    assert [r.levelno for r in said] == [logging.DEBUG]
