"""The action registry: every action documented, no shortcut clashes, all reachable."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtGui import QKeySequence

from reviewapp.ui.actions import ACTIONS, WINDOW, readable_keys, shortcut_text
from reviewapp.ui.dialogs.shortcuts import ShortcutsDialog
from tests.ui.shown import shown_dialog


def test_every_action_has_text_and_a_tip():
    for spec in ACTIONS:
        assert spec.text.strip(), spec.id
        assert len(spec.tip) > 10, spec.id


def test_action_ids_are_unique():
    assert len({s.id for s in ACTIONS}) == len(ACTIONS)


def test_no_two_actions_share_a_shortcut_where_both_are_live(qapp):
    seen: dict[str, list[str]] = defaultdict(list)
    for spec in ACTIONS:
        for sequence in spec.key_sequences():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            seen[key].append(spec.id)
    for key, ids in seen.items():
        scopes = [next(s.scope for s in ACTIONS if s.id == i) for i in ids]
        window_wide = [i for i, scope in zip(ids, scopes, strict=True) if scope == WINDOW]
        assert len(window_wide) <= 1, f"{key} is bound to {ids}"
        # A list-scoped key may repeat in other lists, never alongside a window-wide binding.
        assert not (window_wide and len(ids) > 1), f"{key} is bound to {ids}"
        assert len(set(scopes)) == len(scopes), f"{key} is bound twice in one scope: {ids}"


def test_the_keyboard_reaches_what_the_issue_lists(qapp):
    needed = [
        "claim.next",
        "claim.previous",
        "claim.add",
        "edit.find",
        "edit.find_next",
        "edit.find_previous",
        "edit.search_library",
        "file.export",
        "help.shortcuts",
        "edit.undo",
        "edit.redo",
        "review.signoff",
    ]
    specs = {s.id: s for s in ACTIONS}
    for action_id in needed:
        assert shortcut_text(specs[action_id]), action_id
    statuses = [s for s in ACTIONS if s.id.startswith("claim.status.")]
    assert len(statuses) == 6 and all(shortcut_text(s) for s in statuses)


def test_standard_actions_use_the_platform_bindings(qapp):
    specs = {s.id: s for s in ACTIONS}
    assert specs["edit.undo"].shortcut == QKeySequence.StandardKey.Undo
    assert specs["edit.redo"].shortcut == QKeySequence.StandardKey.Redo
    assert specs["edit.find"].shortcut == QKeySequence.StandardKey.Find
    assert specs["help.shortcuts"].shortcut == QKeySequence.StandardKey.HelpContents


def test_window_menus_hold_every_menu_action_and_f1_lists_every_shortcut(make_window):
    window = make_window()
    in_menus = set()
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.menu():
                in_menus.update(a.objectName() for a in action.menu().actions())
            in_menus.add(action.objectName())
    assert {s.id for s in ACTIONS if s.menu} <= in_menus
    window.action_set["help.shortcuts"].trigger()
    table = shown_dialog(window, ShortcutsDialog).table
    listed = {table.item(row, 0).text() for row in range(table.rowCount())}
    assert "Add Claim from Selection" in listed
    assert "Undo" in listed
    assert table.rowCount() == sum(1 for s in ACTIONS if readable_keys(s))
