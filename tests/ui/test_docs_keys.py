"""The README's keyboard table is the action registry's, so the documentation cannot drift."""

import re

from reviewapp.ui.actions import ACTIONS, shortcuts_markdown
from tests.conftest import ROOT


def test_the_readme_lists_every_shortcut_as_the_registry_has_it(qapp):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- keys:start[^>]*-->\n(.*?)<!-- keys:end -->", readme, re.S)
    assert block, "the README has lost its keyboard table markers"
    assert block.group(1) == shortcuts_markdown(), (
        "regenerate the README table from reviewapp.ui.actions.shortcuts_markdown()"
    )
    with_keys = [a for a in ACTIONS if a.key_sequences()]
    assert len(block.group(1).splitlines()) == len(with_keys) + 2  # plus header and rule
