"""The README's keyboard table, generated from the keys Qt binds on each platform.

Qt binds standard keys (Undo, Redo, Quit, ...) by the platform's keyboard scheme, and only the
running platform's scheme can be asked: the offscreen platform answers with Windows' keys, the
X11 platform (xcb, which needs an X server such as Xvfb) with Linux desktops'. So the table is
made from two child processes, one on each:

    python -m reviewapp.ui.keytable --json         this platform's keys, as JSON
    DISPLAY=:99 python -m reviewapp.ui.keytable README.md   rewrite the table in README.md
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

START = re.compile(r"(<!-- keys:start[^>]*-->\n)(.*?)(<!-- keys:end -->)", re.S)
PLATFORMS = {"linux": "xcb", "windows": "offscreen"}


def keys_on(platform: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """platform_keys() as a child process on Qt platform plugin platform answers it."""
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp.ui.keytable", "--json"],
        env={**(env or os.environ), "QT_QPA_PLATFORM": platform},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(result.stdout))


def readme_block(readme: str) -> str:
    """The generated table inside README text ('' when the markers are missing)."""
    match = START.search(readme)
    return match.group(2) if match else ""


def main(argv: list[str]) -> int:
    from PySide6.QtGui import QGuiApplication

    from reviewapp.ui.actions import platform_keys, shortcuts_markdown

    if argv == ["--json"]:
        app = QGuiApplication([sys.argv[0]])  # key bindings come from the platform theme
        print(json.dumps(platform_keys()))
        del app
        return 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(argv[0])
    table = shortcuts_markdown(**{name: keys_on(qpa) for name, qpa in PLATFORMS.items()})
    text = path.read_text(encoding="utf-8")
    if not START.search(text):
        print(f"{path} has no <!-- keys:start --> ... <!-- keys:end --> block", file=sys.stderr)
        return 2
    path.write_text(START.sub(lambda m: m.group(1) + table + m.group(3), text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
