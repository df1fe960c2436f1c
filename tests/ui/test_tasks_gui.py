"""Background tasks leave nothing behind: the object that carries a task's answer back to
the GUI thread is freed once the answer is delivered (every review opened, page scrolled to
and search typed runs one; left alive, they piled up for the garbage collector to scan)."""

from __future__ import annotations

import shiboken6

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
