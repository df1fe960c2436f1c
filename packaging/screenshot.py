"""Take the AppStream screenshot: the real app, under a real X server, on a reviewed sample draft.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/screenshot.py

Fills a throwaway database through the CLI (the seed draft, claims in several statuses, a source
and a takeaway), starts ``reviewapp`` on it in its screenshot mode (``REVIEWAPP_SCREENSHOT``: the
app opens the newest review, saves a picture of its main window and quits) and copies the picture
to resources/screenshots/main-window.png. The metainfo's <image width height> must match the
saved size; tests/test_desktop_files.py checks.
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
SEED = REPO / "seeds" / "amazon-anthropic-ai-assisted-draft.txt"
TARGET = REPO / "resources" / "screenshots" / "main-window.png"

# (quote, status, note, correction): claims an editor would pin in the sample draft. Claims are
# numbered in text order, so "$4 billion" is claim 3 when the source is linked.
CLAIMS = (
    (
        "has committed $4 billion",
        "partly-true",
        "Amazon's filings show $8 billion committed in two rounds.",
        "has committed $8 billion",
    ),
    ("suspended global access to two specific model versions", "unverifiable", "", ""),
    ("demands 99.9% reliability", "opinion", "A general claim about cloud service levels.", ""),
    ("founded by former OpenAI executives", "verified", "Company history page.", ""),
)


def reviewapp(db: Path, *args: str) -> str:
    """Run one CLI command on ``db`` and return what it printed."""
    command = [sys.executable, "-m", "reviewapp", "--db", str(db), *args]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"reviewapp {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def fill(db: Path) -> str:
    """Import the seed draft and review part of it; return the review id."""
    review = reviewapp(db, "import", str(SEED)).split()[-1]
    for quote, status, note, correction in CLAIMS:
        extra = [
            *(["--note", note] if note else []),
            *(["--correction", correction] if correction else []),
        ]
        reviewapp(db, "claim", "add", review, "--quote", quote, "--status", status, *extra)
    reviewapp(
        db,
        "source", "add", review,
        "--url", "https://www.aboutamazon.com/news/company-news/amazon-anthropic-ai-investment",
        "--title", "Amazon and Anthropic deepen their shared commitment",
        "--publisher", "Amazon", "--kind", "primary", "--credibility", "credible",
        "--claim", "3",
    )  # fmt: skip
    reviewapp(
        db, "takeaway", "add", review, "The investment figure is out of date: ask the writer."
    )
    reviewapp(
        db, "review", review, "--reviewer", "Ada Editor", "--verdict", "publish-with-corrections"
    )
    return review


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        parser.error("no DISPLAY: run under xvfb-run (see the module docstring)")

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db = home / "screenshot.db"
        fill(db)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "xcb",
            # fresh settings: the default window size, no remembered splitters
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            # the app's screenshot mode: open the newest review, grab the window, quit
            "REVIEWAPP_SCREENSHOT": str(home / "shot.png"),
            # with claims already there, demo mode adds nothing and selects the first claim
            "REVIEWAPP_SCREENSHOT_DEMO": "1",
        }
        command = [sys.executable, "-m", "reviewapp", "--db", str(db)]
        done = subprocess.run(command, cwd=REPO, env=env, timeout=60, check=False)
        if done.returncode != 0 or not (home / "shot.png").is_file():
            raise SystemExit(f"the app exited {done.returncode} without a screenshot")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(home / "shot.png", args.out)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
