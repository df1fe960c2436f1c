"""The one way into the window: open the GUI, or run the installation's self-test.

The CLI calls these so that it never imports ``ui`` (PySide6) itself; a machine without Qt
still runs every command.
"""

from __future__ import annotations

import sys
from pathlib import Path


def open_gui(db_path: Path) -> int:
    """Open the application window on the library at db_path; its exit code."""
    from reviewapp.launch.preflight import preflight

    checked = preflight()  # before Qt: without a usable display Qt aborts the process
    if not checked.ok:
        print(checked.problem, file=sys.stderr)
        return 2
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
