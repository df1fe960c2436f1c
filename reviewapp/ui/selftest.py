"""``reviewapp --self-test``: prove that this installation (a checkout, a wheel or the frozen
PyInstaller build) can do an editor's whole job, without a display, a network or a keyring.

It checks what the app loads at run time (resources, SQLite FTS5, keyring's backends,
trafilatura, Qt's SVG support), then drives the real main window offscreen on a throwaway
database: imports the bundled sample, pins claims to passages, links a source, signs off with
a key held in memory, exports the Markdown and its ``.sig``, and verifies both with our
verifier and with ``ssh-keygen -Y verify``. Each check prints one line, ``ok  NAME: detail``
or ``FAIL NAME: reason``; the exit code is 0 when every check passed, 1 otherwise. Nothing is
written outside a temporary folder, and the system keyring is never touched.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reviewapp.core.states import (
    AiAssisted,
    AiRole,
    ClaimStatus,
    Credibility,
    ReviewStatus,
    SourceKind,
    Stance,
    Verdict,
)

if TYPE_CHECKING:
    from reviewapp.store import ReviewStore
    from reviewapp.ui.main_window import MainWindow

SIGNER_NAME = "Self Test"
SIGNER_EMAIL = "self-test@reviewapp.invalid"
SELF_TEST_REASON = "context for the self-test, not a claim"
# (quote in the sample draft, status, note, linked to the source)
CLAIMS = (
    ("has committed $4 billion", ClaimStatus.VERIFIED, "Matches Amazon's announcements.", True),
    ("99.9% reliability", ClaimStatus.UNVERIFIABLE, "No published figure to check against.", False),
)
ARTICLE_HTML = """<html><head><title>Council approves budget</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council approves budget</h1>
<p>The city council approved a budget of 4 million euros on Monday after a long debate
about the new library, which several members said was overdue and underfunded.</p>
<p>The mayor said the library would open in 2027 and that the money was already set aside
in the reserve fund, a claim the opposition disputed during the session.</p>
</article><div class="comments"><p>First! Great article.</p></div></body></html>"""


class CheckFailed(Exception):
    """A check found something wrong; the message says what."""


@dataclass
class Report:
    """Prints one line per check and remembers the failures."""

    out: TextIO
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: int = 0

    def run(self, name: str, check: Callable[[], str]) -> bool:
        try:
            detail = check()
        except Exception as exc:  # every failure is reported, with its kind for unexpected ones
            reason = str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
            self.fail(name, reason)
            return False
        self.passed += 1
        self.line(f"ok  {name}: {detail}")
        return True

    def fail(self, name: str, reason: str) -> None:
        self.failed.append(name)
        self.line(f"FAIL {name}: {reason}")

    def skip(self, name: str, reason: str) -> None:
        self.skipped += 1
        self.line(f"skip {name}: {reason}")

    def line(self, text: str) -> None:
        print(text, file=self.out, flush=True)


# ---------------------------------------------------------------------- what the app loads
def check_resources() -> str:
    from reviewapp import APP_ID
    from reviewapp.resources_path import resource_path, resources_root
    from reviewapp.ui.importing import sample_path

    needed = [
        resource_path("icons", f"{APP_ID}.svg"),
        resource_path(f"{APP_ID}.desktop"),
        sample_path(),
    ]
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        raise CheckFailed(f"missing {', '.join(missing)}")
    return f"icons, desktop file and sample draft under {resources_root().parent}"


def check_sqlite() -> str:
    with sqlite3.connect(":memory:") as db:
        db.execute("create virtual table t using fts5(body)")
        db.execute("insert into t values ('claims and sources')")
        hits = db.execute("select count(*) from t where t match 'sources'").fetchone()[0]
    if hits != 1:
        raise CheckFailed("an FTS5 query found nothing")
    return f"SQLite {sqlite3.sqlite_version} with FTS5"


def check_keyring() -> str:
    """keyring's backends are found (through entry points); which one would be used is
    reported, not required: the self-test signs with a key held in memory."""
    from importlib.metadata import entry_points

    import keyring

    points = entry_points(group="keyring.backends")
    if not points:
        raise CheckFailed("no keyring.backends entry points: keyring's metadata is missing")
    chosen = type(keyring.get_keyring())
    return f"{len(points)} backends found; this system would use {chosen.__module__}; " + (
        _signing_keyring()
    )


def _signing_keyring() -> str:
    """Whether a real sign-off could keep its key here, and if not what to install."""
    from reviewapp.core.errors import SigningUnavailable
    from reviewapp.secrets.keyring_store import backend_name, resolve_backend

    try:
        backend = resolve_backend()
    except SigningUnavailable as exc:
        return f"signing keys cannot be kept here yet: {exc}"
    return f"signing keys would be kept in {backend_name(backend)}"


def check_extraction() -> str:
    from reviewapp.ingest.extract import extract_html, importer_name

    draft = extract_html(ARTICLE_HTML, source_name="the built-in test page")
    text = draft.document.text
    if "4 million euros" not in text:
        raise CheckFailed(f"the article text was not found in {text[:80]!r}")
    if "First!" in text:
        raise CheckFailed("reader comments were kept in the article text")
    # Data files trafilatura reaches for only on some pages: a frozen build may lack them.
    import courlan
    import justext

    if "the" not in justext.get_stoplist("English"):
        raise CheckFailed("justext's English stoplist is empty")
    if not courlan.check_url("https://www.example.org/news/2026/budget.html"):
        raise CheckFailed("courlan refused a plain news address (its suffix list is missing?)")
    return (
        f"{importer_name()}: {len(draft.document.blocks)} blocks from a test page; "
        "justext stoplists and courlan's suffix list load"
    )


def check_qt() -> str:
    from PySide6.QtCore import QSize, qVersion
    from PySide6.QtGui import QGuiApplication

    from reviewapp.ui.style import app_icon

    icon = app_icon()
    pixmap = icon.pixmap(QSize(64, 64), 2.0)
    if icon.isNull() or pixmap.isNull():
        raise CheckFailed("the SVG application icon does not load: Qt's svg plugin is missing")
    if pixmap.width() != 128:
        raise CheckFailed(f"the icon drew {pixmap.width()} px wide at 2x, not 128 px")
    return f"Qt {qVersion()} on {QGuiApplication.platformName()}, SVG icon drawn at 2x"


def check_workers() -> str:
    """A worker process starts (in the frozen app: freeze_support in its entry script) and
    stops again; without one, heavy work would run in the window's process."""
    from reviewapp.workflows.workers import WorkerPool, worker_pid

    fell_back: list[str] = []
    pool = WorkerPool(on_fallback=fell_back.append, max_workers=1)
    try:
        pid = pool.run(worker_pid)
    finally:
        pool.close()
    if fell_back or pid == os.getpid():
        raise CheckFailed("no worker process started; heavy work would run in the window's")
    if pool.processes():
        raise CheckFailed("the worker process did not stop")
    return "a worker process started, did its work and stopped"


ENVIRONMENT_CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("resources", check_resources),
    ("sqlite", check_sqlite),
    ("keyring", check_keyring),
    ("extraction", check_extraction),
    ("qt", check_qt),
    ("workers", check_workers),
)


# ---------------------------------------------------------------------- the editor's job
class Workspace:
    """The real main window on a throwaway database, driven the way an editor drives it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.store: ReviewStore | None = None
        self.window: MainWindow | None = None
        self.markdown = folder / "self-test.md"

    def open_database(self) -> str:
        from reviewapp.store import ReviewStore

        self.store = ReviewStore(self.folder / "self-test.db")
        version = self.store.schema_version
        return f"new database in {self.folder} (schema version {version})"

    def open_window(self) -> str:
        from PySide6.QtCore import QSettings

        from reviewapp.secrets import MemorySecretStore
        from reviewapp.ui.main_window import MainWindow
        from reviewapp.ui.tasks import TaskRunner

        assert self.store is not None
        settings = QSettings(str(self.folder / "settings.ini"), QSettings.Format.IniFormat)
        # Synchronous tasks: each step finishes before the next; a memory key store: the
        # system keyring is never asked.
        self.window = MainWindow(
            self.store, settings, TaskRunner(synchronous=True), MemorySecretStore()
        )
        self.window.show()
        return f"main window {self.window.width()}x{self.window.height()}"

    def import_sample(self) -> str:
        window = self._window()
        window.importer.import_sample()
        data = window.session.data
        if data is None:
            raise CheckFailed(_error_shown(window) or "the sample draft did not open")
        revision = data.revision
        return f"{len(revision.blocks)} blocks, {len(revision.text):,} characters"

    def add_claims(self) -> str:
        from reviewapp.core.disclosure import find_disclosures
        from reviewapp.core.model import EditorialResponsibility
        from reviewapp.export.accountability import Accountability
        from reviewapp.ui import commands

        window = self._window()
        session = window.session
        assert session.data is not None
        text = session.data.revision.text
        linked: list[int] = []
        for quote, status, note, with_source in CLAIMS:
            start = text.find(quote)
            if start < 0:
                raise CheckFailed(f"the sample draft no longer says {quote!r}")
            # As the editor does it: select the passage, Add Claim, then set its status.
            window.article.view.select_span(start, start + len(quote))
            window.action_set["claim.add"].trigger()
            claim = session.current_claim()
            if claim is None or claim.quote != quote:
                raise CheckFailed(_error_shown(window) or f"no claim was added for {quote!r}")
            window.action_set[f"claim.status.{status}"].trigger()
            claim = session.current_claim()
            assert claim is not None
            session.push(commands.SetClaimField(session, claim, "note", claim.note, note))
            if with_source:
                linked.append(claim.id)
        review_id = session.data.review.id
        session.push(
            commands.AddSource(
                session,
                review_id,
                dict.fromkeys(linked, Stance.SUPPORTS),
                {
                    "url": "https://example.org/announcement",
                    "title": "The announcement",
                    "publisher": "Example",
                    "kind": SourceKind.OFFICIAL,
                    "credibility": Credibility.CREDIBLE,
                },
            )
        )
        old = session.data.review.verdict
        session.push(
            commands.SetReviewField(
                session, review_id, "verdict", old, Verdict.PUBLISH_WITH_CORRECTIONS
            )
        )
        # What the gate asks besides the claims, through the dialog's own command: the AI
        # involvement (with the sample's disclosure line, found by the detector) and who holds
        # editorial responsibility.
        assert session.data is not None
        old_record = Accountability.of(session.data)
        found = find_disclosures(session.data.revision.text)
        ai = replace(old_record.ai, assisted=AiAssisted.YES, roles=(AiRole.DRAFTED,))
        if found:
            line = found[0]
            ai = replace(
                ai, disclosure=line.text, disclosure_start=line.start, disclosure_end=line.end
            )
        new_record = replace(
            old_record, ai=ai, responsibility=EditorialResponsibility(SIGNER_NAME), recorded=True
        )
        session.push(commands.SetAccountability(session, review_id, old_record, new_record))
        from reviewapp.workflows.suggestions import coverage_for, dismiss_suggestion

        # The gate also asks that every check-worthy sentence is examined: the ones no claim
        # covers are dismissed with a reason, as an editor would.
        for suggestion in coverage_for(session.store, review_id).open:
            dismiss_suggestion(
                session.store, review_id, suggestion.key, SELF_TEST_REASON, reviewer=SIGNER_NAME
            )
        session.reload()
        data = session.data
        if error := _error_shown(window):
            raise CheckFailed(error)
        states = ", ".join(f"#{c.number} {c.status}" for c in data.claims)
        return f"{len(data.claims)} claims ({states}), {len(data.sources)} source"

    def painted(self) -> str:
        window = self._window()
        image = window.grab().toImage()
        if image.isNull() or image.width() < 400 or image.height() < 300:
            raise CheckFailed(f"the window drew a {image.width()}x{image.height()} picture")
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        # Text, highlights in the claims' colours, chrome: a blank frame has one or two.
        if len(colours) < 20:
            raise CheckFailed(f"the window looks blank ({len(colours)} colours)")
        return f"{image.width()}x{image.height()} px, {len(colours)} colours"

    def sign_off(self) -> str:
        window = self._window()
        outcome: list[str] = []
        window.signing.start_signoff(
            SIGNER_NAME, SIGNER_EMAIL, lambda: outcome.append(""), outcome.append
        )
        if not outcome or outcome[0]:
            raise CheckFailed(outcome[0] if outcome else "signing did not finish")
        data = window.session.data
        assert data is not None and data.current_signoff is not None
        if data.review.status != ReviewStatus.SIGNED_OFF:
            raise CheckFailed(f"the review is {data.review.status} after signing")
        return f"memory key {data.current_signoff.fingerprint}"

    def export(self) -> str:
        window = self._window()
        window.export_to(self.markdown)
        signature = self.markdown.with_name(self.markdown.name + ".sig")
        if error := _error_shown(window):
            raise CheckFailed(error)
        if not self.markdown.is_file() or not signature.is_file():
            raise CheckFailed(f"{self.markdown.name} and its .sig were not both written")
        size = self.markdown.stat().st_size
        return f"{self.markdown.name} ({size:,} bytes) and {signature.name}"

    def verify(self) -> str:
        from reviewapp.core.errors import VerificationFailed
        from reviewapp.workflows.verify import verify_file

        assert self.store is not None
        result = verify_file(self.markdown, store=self.store)
        original = self.markdown.read_bytes()
        altered = original.replace(b"$4 billion", b"$5 billion", 1)
        if altered == original:
            raise CheckFailed("the export does not quote the first claim")
        changed = self.folder / "changed.md"
        changed.write_bytes(altered)
        (self.folder / "changed.md.sig").write_bytes(
            self.markdown.with_name(self.markdown.name + ".sig").read_bytes()
        )
        try:
            verify_file(changed, store=self.store)
        except VerificationFailed:
            pass
        else:
            raise CheckFailed("a changed copy of the export still verified")
        return f"good signature by {result.reviewer}; a changed copy is refused"

    def verify_with_ssh_keygen(self, ssh_keygen: str) -> str:
        from reviewapp.signing.allowed_signers import signer_line
        from reviewapp.signing.sshsig import NAMESPACE

        assert self.store is not None
        signer = self.store.reviewer_by_name(SIGNER_NAME)
        if signer is None or not signer.public_key:
            raise CheckFailed(f"the database holds no public key for {SIGNER_NAME}")
        allowed = self.folder / "allowed_signers"
        # The line `reviewapp key export` prints, as a reader of the export would use it.
        allowed.write_text(signer_line(signer.principal, signer.public_key) + "\n")
        command = [ssh_keygen, "-Y", "verify", "-f", str(allowed), "-I", signer.principal]
        command += ["-n", NAMESPACE, "-s", f"{self.markdown}.sig"]
        with self.markdown.open("rb") as stdin:
            result = subprocess.run(
                command, stdin=stdin, capture_output=True, text=True, timeout=30
            )
        if result.returncode != 0:
            raise CheckFailed(f"ssh-keygen exited {result.returncode}: {result.stderr.strip()}")
        return result.stdout.strip() or "good signature"

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.store is not None:
            self.store.close()
            self.store = None

    def _window(self) -> MainWindow:
        if self.window is None:
            raise CheckFailed("the main window is not open")
        return self.window


def _error_shown(window: MainWindow) -> str:
    """The newest error the window shows the editor, read from its message box ('' if none).

    Nobody closes a box during the self-test, so every error met so far is still on screen.
    """
    from PySide6.QtWidgets import QMessageBox

    boxes = [box for box in window.findChildren(QMessageBox, "errorBox") if box.isVisible()]
    return boxes[-1].text() if boxes else ""


def run_workspace(workspace: Workspace, report: Report) -> None:
    """The editor's steps in order; after a failure the steps that need it are skipped."""
    steps: list[tuple[str, Callable[[], str]]] = [
        ("database", workspace.open_database),
        ("window", workspace.open_window),
        ("imported sample", workspace.import_sample),
        ("claims and source", workspace.add_claims),
        ("window painted", workspace.painted),
        ("signed off", workspace.sign_off),
        ("exported", workspace.export),
        ("verified", workspace.verify),
    ]
    ssh_keygen = shutil.which("ssh-keygen")
    if ssh_keygen:
        steps.append(("ssh-keygen verify", lambda: workspace.verify_with_ssh_keygen(ssh_keygen)))
    blocked = ""
    for name, step in steps:
        if blocked:
            report.skip(name, f"not run, {blocked} failed")
        elif not report.run(name, step):
            blocked = name
    if not ssh_keygen:
        report.skip("ssh-keygen verify", "ssh-keygen is not installed (Debian: openssh-client)")


def run_self_test(out: TextIO | None = None, display: tuple[bool, str] | None = None) -> int:
    """Run every check, print one line each and a summary; 0 when all passed, else 1.

    display is what the launch preflight found for a real window (whether this machine has
    what it needs, and the detail), read before the platform is set to offscreen here.
    """
    out = out or sys.stdout
    # Offscreen unless the caller asked for a platform (QT_QPA_PLATFORM=xcb shows the window).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    report = Report(out)
    report.line(f"reviewapp self-test ({_version_line()})")
    if display is not None:
        usable, detail = display
        if usable:
            report.run("display", lambda: detail)
        else:
            report.fail("display", detail)
    try:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from reviewapp.ui.app import make_application
    except ImportError as exc:
        report.fail("qt", f"the window cannot start ({exc})")
        return _summary(report, started)
    app = QApplication.instance() or make_application([sys.argv[0] if sys.argv else "reviewapp"])
    for name, check in ENVIRONMENT_CHECKS:
        report.run(name, check)
    with tempfile.TemporaryDirectory(prefix="reviewapp-self-test-") as folder:
        workspace = Workspace(Path(folder))

        def work() -> None:
            try:
                run_workspace(workspace, report)
            finally:
                workspace.close()
                QApplication.exit(0)

        # Inside the event loop, as in the real app: the window is shown, polished and painted.
        QTimer.singleShot(0, work)
        app.exec()
    return _summary(report, started)


def _version_line() -> str:
    from reviewapp import __version__

    frozen = " frozen" if getattr(sys, "frozen", False) else ""
    return f"reviewapp {__version__}{frozen}, Python {sys.version.split()[0]}"


def _summary(report: Report, started: float) -> int:
    seconds = time.perf_counter() - started
    total = report.passed + len(report.failed)
    not_run = f"; {report.skipped} not run" if report.skipped else ""
    if report.failed:
        report.line(
            f"self-test FAILED: {len(report.failed)} of {total} checks failed "
            f"({', '.join(report.failed)}){not_run}, in {seconds:.1f} s"
        )
        return 1
    report.line(f"self-test passed: {total} checks{not_run}, in {seconds:.1f} s")
    return 0
