"""Take the AppStream screenshot: the real app under a real X server, on a sample review.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/screenshot.py
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python packaging/screenshot.py --sizes

Starts ``reviewapp`` on an empty throwaway database in its screenshot mode
(``REVIEWAPP_SCREENSHOT`` with ``REVIEWAPP_SCREENSHOT_DEMO=1``: the app imports the sample draft,
adds a review in progress, saves a picture of its main window and quits) with fresh settings,
and copies the picture to resources/screenshots/main-window.png. The metainfo's
<image width height> must match the saved size; tests/test_desktop_files.py checks.
With --sizes it takes the README's pictures instead: the window at 1024x700, 1366x768 and
1920x1080, light and dark (resources/screenshots/window-WxH-SCHEME.png).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "resources" / "screenshots" / "main-window.png"


SIZES = ("1024x700", "1366x768", "1920x1080")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TARGET)
    parser.add_argument("--sizes", action="store_true", help="the README's pictures at 3 sizes")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        parser.error("no DISPLAY: run under xvfb-run (see the module docstring)")
    if not args.sizes:
        print(take(args.out))
        return 0
    for size in SIZES:
        for scheme in ("light", "dark"):
            out = TARGET.with_name(f"window-{size}-{scheme}.png")
            print(take(out, REVIEWAPP_SCREENSHOT_SIZE=size, REVIEWAPP_SCREENSHOT_SCHEME=scheme))
    return 0


def take(out: Path, **extra: str) -> Path:
    """Run the app's screenshot mode on a throwaway library and settings; copy the picture."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db = home / "screenshot.db"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "xcb",
            # fresh settings: the default window size, no remembered splitters
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            # the app's screenshot mode: import the sample draft, grab the window, quit
            "REVIEWAPP_SCREENSHOT": str(home / "shot.png"),
            # and with demo mode, a review in progress: claims in every status, sources,
            # a correction, the first claim selected
            "REVIEWAPP_SCREENSHOT_DEMO": "1",
            **extra,
        }
        command = [sys.executable, "-m", "reviewapp", "--db", str(db)]
        done = subprocess.run(command, cwd=REPO, env=env, timeout=60, check=False)
        if done.returncode != 0 or not (home / "shot.png").is_file():
            raise SystemExit(f"the app exited {done.returncode} without a screenshot")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(home / "shot.png", out)
    return out


if __name__ == "__main__":
    sys.exit(main())
