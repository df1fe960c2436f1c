"""Check that a frozen build carries everything the app loads at run time.

Built instead of the real entry point with ``packaging/build --check``, and runnable from source
(``python packaging/frozen_check.py``). Each check prints ``ok NAME`` or ``FAIL NAME: why``;
the exit code is the number of failures (0 = all good). No network, no display, and nothing
written outside a temporary folder. The GUI's ``reviewapp --self-test`` repeats these checks
and adds its own (see packaging/README.md).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if not getattr(sys, "frozen", False):
    # Run from a checkout: import the reviewapp beside this folder, installed or not.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ARTICLE_HTML = """<html><head><title>Council approves budget</title></head><body>
<article><h1>Council approves budget</h1>
<p>The city council approved a budget of 4 million euros on Monday after a long debate
about the new library, which several members said was overdue and underfunded.</p>
<p>The mayor said the library would open in 2027 and that the money was already set aside
in the reserve fund, a claim the opposition disputed during the session.</p>
</article></body></html>"""


def check_resources() -> str:
    from reviewapp import APP_ID
    from reviewapp.resources_path import resource_path, seeds_path

    needed = [
        resource_path("icons", f"{APP_ID}.svg"),
        resource_path("icons", "hicolor", "256x256", "apps", f"{APP_ID}.png"),
        resource_path(f"{APP_ID}.desktop"),
    ]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        raise AssertionError(f"missing {', '.join(missing)}")
    seeds = sorted(seeds_path().glob("*.txt"))
    if not seeds:
        raise AssertionError(f"no seed articles in {seeds_path()}")
    return f"{resource_path()} and {len(seeds)} seed(s)"


def check_trafilatura() -> str:
    import trafilatura

    text = trafilatura.extract(ARTICLE_HTML, include_comments=False)
    if not text or "4 million euros" not in text:
        raise AssertionError(f"extraction returned {text!r}")
    return f"trafilatura {trafilatura.__version__}"


def check_justext() -> str:
    import justext

    words = justext.get_stoplist("English")
    if "the" not in words:
        raise AssertionError("English stoplist is empty")
    return f"{len(justext.get_stoplists())} stoplists"


def check_courlan() -> str:
    import courlan

    checked = courlan.check_url("https://www.example.org/news/2026/budget.html")
    if not checked:
        raise AssertionError("a plain news URL was rejected")
    return checked[0]


def check_keyring() -> str:
    from importlib.metadata import entry_points

    import keyring
    import keyring.backend

    points = entry_points(group="keyring.backends")
    if not points:
        raise AssertionError("no keyring.backends entry points: keyring's metadata is missing")
    backends = sorted(type(b).__module__ for b in keyring.backend.get_all_keyring())
    chosen = type(keyring.get_keyring())
    return f"{len(points)} entry points, usable {backends}, chosen {chosen.__module__}"


def check_sqlite() -> str:
    with sqlite3.connect(":memory:") as db:
        db.execute("create virtual table t using fts5(body)")
        db.execute("insert into t values ('claims and sources')")
        hits = db.execute("select count(*) from t where t match 'sources'").fetchone()[0]
    if hits != 1:
        raise AssertionError("FTS5 query found nothing")
    return f"sqlite {sqlite3.sqlite_version} with FTS5"


def check_signing() -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    key.public_key().verify(key.sign(b"review"), b"review")
    return "Ed25519 sign and verify"


def check_cli() -> str:
    from reviewapp.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        code = main(["--db", str(Path(tmp) / "check.db"), "list"])
    if code != 0:
        raise AssertionError(f"'reviewapp list' exited {code}")
    return "'reviewapp list' on a new database"


def check_qt() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon, QImage
    from PySide6.QtWidgets import QApplication

    from reviewapp import APP_ID
    from reviewapp.resources_path import resource_path

    _app = QApplication.instance() or QApplication([sys.argv[0]])
    # Loading the SVG proves the imageformats/iconengines plugins were bundled.
    image = QImage(str(resource_path("icons", f"{APP_ID}.svg")))
    if image.isNull():
        raise AssertionError("the SVG icon does not load: Qt's svg plugin is missing")
    icon = QIcon(str(resource_path("icons", f"{APP_ID}.svg")))
    if icon.pixmap(64, 64).isNull():
        raise AssertionError("QIcon cannot draw the SVG icon")
    platform = QGuiApplication.platformName()
    return f"Qt {platform} platform, SVG icon {image.width()}x{image.height()}"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("resources", check_resources),
    ("trafilatura", check_trafilatura),
    ("justext", check_justext),
    ("courlan", check_courlan),
    ("keyring", check_keyring),
    ("sqlite", check_sqlite),
    ("signing", check_signing),
    ("cli", check_cli),
    ("qt", check_qt),
]


def main() -> int:
    failures = 0
    for name, check in CHECKS:
        try:
            print(f"ok {name}: {check()}", flush=True)
        except Exception as exc:  # report every failing check, not only the first
            failures += 1
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", flush=True)
    print("all checks passed" if not failures else f"{failures} check(s) failed")
    return failures


if __name__ == "__main__":
    sys.exit(main())
