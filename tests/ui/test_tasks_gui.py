"""Background tasks leave nothing behind: the object that carries a task's answer back to
the GUI thread is freed once the answer is delivered (every review opened, page scrolled to
and search typed runs one; left alive, they piled up for the garbage collector to scan)."""

from __future__ import annotations

import gc
import threading
import weakref

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent

from reviewapp.ui import tasks


def test_each_finished_task_frees_the_object_that_brought_its_answer(qtbot, monkeypatch):
    made: list[tasks._Relay] = []

    class Recorded(tasks._Relay):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(tasks, "_Relay", Recorded)
    runner = tasks.TaskRunner()  # a real pool: answers come back through queued signals
    answers: list[object] = []
    for n in range(20):
        runner.run_task(lambda control, n=n: n * n, answers.append, answers.append)
    runner.run_task(lambda control: 1 / 0, answers.append, answers.append)  # a failure too
    qtbot.waitUntil(lambda: len(answers) == 21)
    assert sorted(a for a in answers if isinstance(a, int)) == [n * n for n in range(20)]
    assert isinstance(next(a for a in answers if not isinstance(a, int)), ZeroDivisionError)
    assert len(made) == 21
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(relay) for relay in made))
    assert runner._live == set()


def test_no_finished_task_keeps_its_control_and_cancel_flag_alive(qtbot):
    runner = tasks.TaskRunner()  # the window's: the global pool
    answers: list[object] = []
    controls: list[weakref.ref[tasks.TaskControl]] = []
    flags: list[weakref.ref[threading.Event]] = []
    for n in range(300):
        task = runner.run_task(lambda control, n=n: n, answers.append, answers.append)
        controls.append(weakref.ref(task.control))
        flags.append(weakref.ref(task.control.cancel))
    del task
    qtbot.waitUntil(lambda: len(answers) == 300)
    assert runner.wait()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the relays' deleteLater
    gc.collect()
    assert [r for r in controls if r() is not None] == []
    assert [r for r in flags if r() is not None] == []
