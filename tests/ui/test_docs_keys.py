"""The README's keyboard table is the action registry's with the keys Qt binds on Linux and on
Windows, so the documentation cannot drift: Redo is Ctrl+Shift+Z on Linux, Ctrl+Y on Windows."""

from __future__ import annotations

import os
import re

import pytest

from reviewapp.ui.actions import ACTIONS, platform_keys, readable_keys, shortcuts_markdown
from reviewapp.ui.keytable import keys_on, readme_block
from tests.conftest import ROOT

ROW = re.compile(r"^\| (?P<action>[^|]+) \| (?P<keys>[^|]+) \| (?P<tip>.*) \|$")


def readme_table() -> str:
    block = readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block, "the README has lost its keyboard table markers"
    return block


def linux_keys_in(block: str) -> dict[str, str]:
    """The first keys column of each row (Linux's key), by action id."""
    by_text = {s.text.replace("&", "").rstrip("…"): s.id for s in ACTIONS}
    keys = {}
    for line in block.splitlines()[2:]:
        row = ROW.match(line)
        assert row, line
        main = row["keys"].split(" (Windows")[0]
        keys[by_text[row["action"]]] = "" if main == "none" else main.strip("`")
    return keys


def test_the_readme_names_windows_keys_as_qt_binds_them(qapp):
    # The offscreen platform answers with Qt's Windows keyboard scheme.
    windows = platform_keys()
    assert windows["edit.redo"] == "Ctrl+Y"
    block = readme_table()
    assert block == shortcuts_markdown(linux_keys_in(block), windows), (
        "regenerate the table: python -m reviewapp.ui.keytable README.md (under Xvfb)"
    )
    with_keys = [a for a in ACTIONS if readable_keys(a)]
    assert len(block.splitlines()) >= len(with_keys) + 2  # plus header and rule


@pytest.mark.xvfb
def test_the_readme_names_linux_keys_as_qt_binds_them_on_x11(xvfb):
    linux = keys_on("xcb", {**os.environ, "DISPLAY": xvfb})
    assert linux["edit.redo"] == "Ctrl+Shift+Z"
    assert readme_table() == shortcuts_markdown(linux, keys_on("offscreen")), (
        "regenerate the table: python -m reviewapp.ui.keytable README.md (under Xvfb)"
    )
    assert "| Redo | `Ctrl+Shift+Z` (Windows: `Ctrl+Y`) |" in readme_table()


def test_no_key_is_shown_that_a_keyboard_lacks(qapp):
    # Qt's own list for Undo on X11 is "Ctrl+Z, F14, Undo"; Windows adds the Undo key too.
    for spec in ACTIONS:
        for sequence in readable_keys(spec):
            text = sequence.toString()
            assert not re.search(r"\bF1[3-9]\b|\bF[2-3]\d\b", text), (spec.id, text)
            assert text not in ("Undo", "Redo", "Find", "Open", "Help", "Exit"), (spec.id, text)
