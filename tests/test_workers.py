"""Heavy work in a worker process (workflows/workers.py): the worker's answer is the one the
window's own process would give, a worker that dies leaves the work done in-process with a
message, and closing the pool leaves no process behind."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

from reviewapp.core.coverage import coverage
from reviewapp.core.errors import BadInput
from reviewapp.core.model import SuggestionRecord
from reviewapp.ingest.settings import IngestSettings
from reviewapp.store import ReviewStore
from reviewapp.workflows.drafts import DraftLoader
from reviewapp.workflows.revisions import revise
from reviewapp.workflows.suggestion_index import packed_index, unpack
from reviewapp.workflows.workers import (
    FALLBACK_MESSAGE,
    InProcess,
    WorkerCancelled,
    WorkerPool,
    WorkersClosed,
)


def pid_of_runner() -> int:
    return os.getpid()


def exit_unless_in(pid: int) -> str:
    """Dies at once in any process but PID (a crash the worker cannot report)."""
    if os.getpid() != pid:
        os._exit(3)
    return "done in the window's process"


def refuse(message: str) -> None:
    raise BadInput(message)


def slow(seconds: float, started: str = "") -> str:
    if started:
        Path(started).touch()
    time.sleep(seconds)
    return "slept"


def slow_start() -> bool:
    """A first worker that takes its time to be ready (the window closes meanwhile)."""
    time.sleep(30)
    return True


def wait_for_file(path: Path) -> None:
    for _ in range(300):
        if path.exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} never appeared")


def test_work_runs_in_another_process(worker_pool):
    assert worker_pool.run(pid_of_runner) != os.getpid()
    assert worker_pool.processes()
    assert InProcess().run(pid_of_runner) == os.getpid()


def test_suggestions_found_in_the_worker_equal_those_found_here(worker_pool, sample_path):
    from reviewapp.ingest import load_source

    text = load_source(str(sample_path), IngestSettings(), threading.Event()).document.text
    expected = coverage(text, [], SuggestionRecord(threshold=0.5)).suggestions
    assert len(expected) > 5  # the sample has check-worthy sentences
    # A claim at the start, one in the middle, one with no place accepted from the third.
    places = [(1, 0, 40, ""), (2, 500, 520, ""), (3, None, None, expected[2].key)]
    there = worker_pool.run(packed_index, text, 0.5, places)
    here = packed_index(text, 0.5, places)
    assert there == here
    index = unpack(there, text)
    assert list(index.suggestions) == list(expected)
    assert index.by_key == {s.key: i for i, s in enumerate(expected)}
    first = next(i for i, s in enumerate(expected) if s.start < 40)
    assert index.cover[first] == 1 and first in index.claim_cover[1]  # the claim at 0-40
    assert index.claim_cover[3] == (2,) and index.cover[2] >= 1  # accepted from the third
    assert index.by_hash[expected[2].key.rsplit("-", 1)[1]] == (2,)


def _review_with_claims(db: Path, sample_path: Path) -> int:
    from reviewapp.ingest import load_source

    draft = load_source(str(sample_path), IngestSettings(), threading.Event())
    with ReviewStore(db) as store:
        review_id = store.add_article(draft)
        for quote in ("Andy Jassy reportedly flagged", "suspended global access", "$4 billion"):
            store.add_claim_by_quote(review_id, quote)
    return review_id


def test_a_revision_planned_in_the_worker_is_the_one_planned_here(
    worker_pool, tmp_path, sample_path
):
    newer = tmp_path / "newer.txt"
    text = sample_path.read_text(encoding="utf-8")
    newer.write_text("A new first paragraph.\n\n" + text.replace("$4 billion", "$8 billion"))
    loader = DraftLoader("file", str(newer), IngestSettings())
    outcomes = []
    for name, workers in (("worker", worker_pool), ("here", InProcess())):
        db = tmp_path / f"{name}.db"
        review_id = _review_with_claims(db, sample_path)
        with ReviewStore(db) as store:
            data = store.load_review(review_id)
        draft, (_before, _places, report) = workers.run(
            revise, str(db), review_id, loader, data.revision.text, data.revision.id, data.claims
        )
        with ReviewStore(db) as store:
            places = [(c.start, c.end, c.anchor_state, c.quote) for c in store.claims(review_id)]
        outcomes.append((draft.document.text, report.counts(), places))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1]["anchored"] + outcomes[0][1]["moved"] >= 2


def test_an_error_in_the_work_is_raised_as_it_is(worker_pool):
    with pytest.raises(BadInput, match="not a draft"):
        worker_pool.run(refuse, "not a draft")
    assert worker_pool.failures == 0


def test_a_worker_that_dies_falls_back_to_this_process_and_says_so():
    messages: list[str] = []
    pool = WorkerPool(on_fallback=messages.append, max_workers=1)
    try:
        assert pool.run(exit_unless_in, os.getpid()) == "done in the window's process"
        assert messages == [FALLBACK_MESSAGE]
        assert pool.failures == 1 and pool.usable
        assert pool.run(pid_of_runner) != os.getpid()  # a new worker for the next work
    finally:
        pool.close()
    assert pool.processes() == []


def test_a_pool_that_keeps_failing_is_given_up(monkeypatch):
    messages: list[str] = []
    pool = WorkerPool(on_fallback=messages.append, max_workers=1)
    monkeypatch.setattr("reviewapp.workflows.workers.MAX_FAILURES", 2)
    try:
        for _ in range(2):
            pool.run(exit_unless_in, os.getpid())
        assert not pool.usable
        assert pool.run(pid_of_runner) == os.getpid()  # in-process from now on
        assert len(messages) == 2
    finally:
        pool.close()


def test_a_worker_that_cannot_start_falls_back(monkeypatch):
    messages: list[str] = []
    pool = WorkerPool(on_fallback=messages.append, max_workers=1)

    def cannot_start(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr("multiprocessing.context.SpawnProcess.start", cannot_start)
    try:
        assert pool.run(pid_of_runner) == os.getpid()
        assert messages == [FALLBACK_MESSAGE]
    finally:
        pool.close()


def test_cancelling_stops_waiting():
    pool = WorkerPool(max_workers=1)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    try:
        with pytest.raises(WorkerCancelled):
            pool.run(slow, 30, cancel=cancel)
    finally:
        pool.close()  # the sleeping worker is terminated, not waited for
    assert pool.processes() == []


def test_closing_the_pool_ends_its_processes_and_work_waiting_on_it(tmp_path):
    pool = WorkerPool(max_workers=1)
    pool.run(pid_of_runner)
    pids = {p.pid for p in pool.processes()}
    assert pids
    raised: list[BaseException] = []

    def wait_for_slow() -> None:
        try:
            pool.run(slow, 30, str(tmp_path / "started"))
        except BaseException as exc:
            raised.append(exc)

    waiter = threading.Thread(target=wait_for_slow)
    waiter.start()
    wait_for_file(tmp_path / "started")  # the worker is busy with it
    pool.close()
    waiter.join(10)
    assert not waiter.is_alive()
    assert raised and isinstance(raised[0], WorkersClosed)
    assert pool.processes() == []
    assert not pids & {p.pid for p in multiprocessing.active_children()}
    assert pool.run(pid_of_runner) == os.getpid()  # a closed pool runs what it is given here


def test_a_draft_read_in_the_worker_is_the_draft_read_here(worker_pool, sample_path):
    loader = DraftLoader("file", str(sample_path), IngestSettings())
    there, here = worker_pool.run(loader), loader()
    assert there == here and there.document.blocks == here.document.blocks


def test_a_document_crosses_the_process_boundary_unchanged():
    import pickle

    from reviewapp.core.text import Block, Document, build_document

    made = build_document([("heading", "Ports 📈", 2), ("paragraph", "Fees rose.  Again.")])
    odd = Document("ab", (Block("paragraph", "not its slice", 0, 2, 0),))
    for document in (made, odd, Document("", ())):
        assert pickle.loads(pickle.dumps(document)) == document


def test_closing_the_pool_lets_work_that_writes_finish(tmp_path):
    pool = WorkerPool(max_workers=1)
    answers: list[object] = []

    def write() -> None:
        try:
            answers.append(pool.run(slow, 1.0, str(tmp_path / "started"), writes=True))
        except BaseException as exc:
            answers.append(exc)

    waiter = threading.Thread(target=write)
    waiter.start()
    wait_for_file(tmp_path / "started")
    pool.close()  # waits for the write instead of ending it halfway
    waiter.join(10)
    assert answers == ["slept"]
    assert pool.processes() == []
