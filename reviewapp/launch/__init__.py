"""The one way into the window: open the GUI, or run the installation's self-test.

The CLI calls these so that it never imports ``ui`` (PySide6) itself; a machine without Qt
still runs every command.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path


def open_gui(db_path: Path | None) -> int:
    """Open the application window on the library at db_path (None: the default library);
    its exit code."""
    # The window's start makes ~70,000 objects that live as long as it does; the collector's
    # passes over them cost ~10 ms before the first paint and free nothing. It is off until
    # the window is built (run_app turns it back on), or until this returns.
    gc.disable()
    try:
        return _open_gui(db_path)
    finally:
        gc.enable()


def _open_gui(db_path: Path | None) -> int:
    from reviewapp.launch.preflight import preflight

    checked = preflight()  # before Qt: without a usable display Qt aborts the process
    if not checked.ok:
        print(checked.problem, file=sys.stderr)
        return 2
    # The store (with the core it stands on, ~40 modules) before Qt: once imported, PySide6
    # reads the source of every module imported after it (to see whether it asks for one of
    # PySide6's __feature__ switches), ~0.3 ms a module before the window can paint.
    from reviewapp.store import default_db_path

    if db_path is None:
        db_path = default_db_path()
    try:
        from reviewapp.ui.app import run_app
    except ImportError as exc:
        print(
            f"reviewapp: the window cannot start ({exc}); the commands work: reviewapp --help",
            file=sys.stderr,
        )
        return 2
    return run_app(db_path)


def self_test() -> int:
    """``reviewapp --self-test`` (run by the frozen build): 0 when every check passes."""
    from reviewapp.launch.preflight import display_report

    display = display_report()  # read before the self-test asks Qt for the offscreen platform
    try:
        from reviewapp.ui.selftest import run_self_test
    except ImportError as exc:
        print(f"FAIL qt: the window cannot start ({exc})", file=sys.stderr)
        return 1
    return run_self_test(display=display)
