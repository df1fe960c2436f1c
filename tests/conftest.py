"""Shared fixtures: every test gets its own database file and user directories."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Qt must never need a display unless a test starts its own X server.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "amazon-anthropic-ai-assisted-draft.txt"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep tests away from the real user's data, config and default database."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("REVIEWAPP_DB", str(home / "default.db"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "reviews.db"


@pytest.fixture
def store(db_path: Path):
    from reviewapp.store import ReviewStore

    s = ReviewStore(db_path)
    yield s
    s.close()


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


def make_draft(paragraphs: list[str], title: str = "A draft", url: str = "") -> object:
    """An ImportedDraft built directly from text, for tests that do not exercise the importer."""
    from reviewapp.core.model import ArticleMeta, ImportedDraft
    from reviewapp.core.text import build_document

    doc = build_document([("heading", title, 1)] + [("paragraph", p) for p in paragraphs])
    raw = "\n\n".join([title, *paragraphs]).encode()
    return ImportedDraft(
        doc,
        ArticleMeta(title=title, url=url, canonical_url=url),
        raw,
        "text/plain",
        "test",
        "test.txt",
    )


def record_accountability(store: Any, review_id: int, holder: str = "The Daily Example") -> None:
    """What the gate asks besides the claims: AI involvement answered, a responsibility holder."""
    from reviewapp.core.model import AiInvolvement, EditorialResponsibility

    store.set_accountability(
        review_id,
        ai=AiInvolvement(assisted="yes", tools="ExampleWriter 2", roles=("drafted",)),
        responsibility=EditorialResponsibility(holder, "Managing editor", "desk@example.org"),
    )


@pytest.fixture
def draft_factory() -> Callable[..., object]:
    return make_draft


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(db_path: Path) -> Callable[..., CliResult]:
    """Run the real CLI in-process against this test's database."""
    from reviewapp.cli import main

    def run(*args: str, db: Path | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--db", str(db or db_path), *map(str, args)])
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


def file_digest(path: Path) -> str:
    """SHA-256 of a file, or 'absent': for 'the database is byte-for-byte unchanged' checks."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def examine_suggestions(store: Any, review_id: int, reason: str = "examined in a test") -> None:
    """What the gate asks of check-worthiness suggestions: each one still open dismissed with
    a reason (issue 16), for tests about the other rules."""
    from reviewapp.workflows.suggestions import coverage_for, dismiss_suggestion

    for s in coverage_for(store, review_id).open:
        dismiss_suggestion(store, review_id, s.key, reason, reviewer="Test Editor")


# The local site the capture tests fetch from (tests/capture_site.py).
# The two editors of the shared-archive tests (tests/archive_editors.py), for every test module.
# archive_editors imports this module only inside functions, so importing it here is no cycle.
from tests.archive_editors import ada, bea  # noqa: E402, F401
from tests.capture_site import capture_site  # noqa: E402, F401


@pytest.fixture(scope="session")
def worker_pool():
    """One pool of real worker processes for the whole run (starting one costs ~0.3 s);
    a test that breaks a pool makes its own."""
    from reviewapp.workflows.workers import WorkerPool

    pool = WorkerPool()
    yield pool
    pool.close()
