"""Editors for the shared-archive tests (this module holds no tests), and the fixtures ``ada``
and ``bea`` that start two of them (tests/conftest.py makes them every test's).

Each editor is a separate person on a separate computer as far as reviewapp can tell: their own
HOME and XDG folders, their own database, and their own real Secret Service (a private D-Bus
session bus with its own unlocked gnome-keyring-daemon). Their commands run as subprocesses of
the real CLI with that environment, so git's signing program (reviewapp again, started by git)
meets the same keyring.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reviewapp.store import ReviewStore

ROOT = Path(__file__).resolve().parent.parent
PARAS = [
    "Amazon has committed $4 billion to the startup.",
    "Anthropic suspended global access to two specific model versions.",
]


def tools_missing() -> str | None:
    for tool in ("git", "dbus-daemon", "dbus-send", "gnome-keyring-daemon", "ssh-keygen"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


def require_tools() -> None:
    """Skip without git and a Secret Service to start (fail instead in CI)."""
    missing = tools_missing()
    if missing:
        if os.environ.get("REVIEWAPP_REQUIRE_SECRET_SERVICE"):
            pytest.fail(f"REVIEWAPP_REQUIRE_SECRET_SERVICE is set, but {missing}")
        pytest.skip(missing)


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Editor:
    name: str
    email: str
    home: Path
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.home / "reviews.db"

    @property
    def archive(self) -> Path:
        return self.home / "reviews-archive"

    def run(self, *args: object) -> Run:
        """The real CLI, as this editor, on their database."""
        done = subprocess.run(
            [sys.executable, "-m", "reviewapp", "--db", str(self.db), *map(str, args)],
            env=self.env,
            cwd=self.home,
            capture_output=True,
            timeout=120,
        )
        return Run(done.returncode, done.stdout.decode(), done.stderr.decode())

    def ok(self, *args: object) -> Run:
        result = self.run(*args)
        assert result.code == 0, f"{args}: exit {result.code}\n{result.out}\n{result.err}"
        return result

    def signed_review(self, title: str, created_at: str = "") -> int:
        """A review in this editor's database, signed off with their keyring key."""
        # Imported here: tests/conftest.py imports this module for the fixtures below.
        from tests.conftest import make_draft, record_accountability

        store = ReviewStore(self.db)
        try:
            review_id = store.add_article(make_draft(PARAS, title=title))
            claim = store.add_claim_by_quote(review_id, "has committed $4 billion", status="false")
            store.add_source(
                review_id, [claim.id], {claim.id: "refutes"}, url="https://example.org/filing"
            )
            store.add_claim_by_quote(review_id, "two specific model versions", status="opinion")
            store.set_review(review_id, reviewer=self.name, verdict="publish-with-corrections")
            record_accountability(store, review_id)
        finally:
            store.close()
        self.ok("signoff", review_id, "--reviewer", self.name, "--email", self.email)
        return review_id

    def git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd or self.archive,
            env={**self.env, "LC_ALL": "C"},
            capture_output=True,
            check=True,
        )
        return done.stdout.decode() + done.stderr.decode()

    def key_line(self) -> str:
        return self.ok("key", "export", "--reviewer", self.name).out.strip()

    def fingerprint(self) -> str:
        out = self.ok("key", "show", "--reviewer", self.name).out
        return next(word for word in out.split() if word.startswith("SHA256:"))

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.kill()
            process.wait()


def start_editor(base: Path, name: str, email: str) -> Editor:
    """A home, XDG folders, a D-Bus session and an unlocked gnome-keyring of their own."""
    home = base / email.split("@")[0]
    for sub in ("data", "config", "cache", "state", "runtime"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "runtime").chmod(0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "REVIEWAPP_DB")
        and not key.startswith(("GNOME_KEYRING", "PYTHON_KEYRING", "REVIEWAPP_SECRET"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        PYTHONPATH=str(ROOT),
    )
    editor = Editor(name, email, home, env)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # "failed to set fd limit" when not root: harmless
        env=env,
    )
    editor.processes.append(bus)
    assert bus.stdout is not None
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
    keyring = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    editor.processes.append(keyring)
    assert keyring.stdin is not None
    keyring.stdin.write(b"archive-test-keyring")
    keyring.stdin.close()
    _wait_for_secret_service(editor)
    return editor


def _wait_for_secret_service(editor: Editor) -> None:
    """Until gnome-keyring owns org.freedesktop.secrets on the editor's bus (at most ~20 s)."""
    query = [
        "dbus-send",
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus.NameHasOwner",
        "string:org.freedesktop.secrets",
    ]
    for _ in range(400):
        done = subprocess.run(query, env=editor.env, capture_output=True)
        if b"boolean true" in done.stdout:
            return
        if editor.processes[-1].poll() is not None:
            break
        time.sleep(0.05)
    editor.stop()
    pytest.fail("gnome-keyring-daemon did not start for the test editor")


@pytest.fixture
def ada(tmp_path: Path) -> Iterator[Editor]:
    """Ada Editor on a computer of her own (skipped without git and a Secret Service)."""
    require_tools()
    editor = start_editor(tmp_path, "Ada Editor", "ada@example.org")
    yield editor
    editor.stop()


@pytest.fixture
def bea(tmp_path: Path) -> Iterator[Editor]:
    """Bea Editor on another computer (skipped without git and a Secret Service)."""
    require_tools()
    editor = start_editor(tmp_path, "Bea Editor", "bea@example.org")
    yield editor
    editor.stop()
