"""The real application in a real X server (Xvfb, not offscreen): it starts, shows its main
window with the sample draft, saves a screenshot and quits."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from tests.conftest import ROOT

pytestmark = pytest.mark.xvfb


def test_the_app_shows_its_window_with_the_sample_and_saves_a_screenshot(xvfb, tmp_path):
    shot = tmp_path / "window.png"
    env = {
        **os.environ,
        "DISPLAY": xvfb,
        "QT_QPA_PLATFORM": "xcb",
        "REVIEWAPP_SCREENSHOT": str(shot),
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
    }
    (tmp_path / "run").mkdir(mode=0o700)
    db = tmp_path / "reviews.db"
    result = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists(), result.stderr[-2000:]
    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 23) for y in range(0, image.height(), 19)
    }
    assert len(colours) > 20  # text, highlights and chrome, not a blank or single-colour frame
    from reviewapp.store import ReviewStore

    with ReviewStore(db) as store:
        (row,) = store.list_reviews()
    assert row.title.startswith("Amazon CEO reportedly raised")
