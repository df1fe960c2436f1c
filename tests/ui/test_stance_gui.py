"""The stance of a link in the GUI: chosen by keyboard in Add Source and in the link lists of the
Sources and Claims panes, shown in both panes, undoable; the gate's advice names the controls."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from reviewapp.core.gate import GateRule, gate_problems
from reviewapp.core.states import Stance
from reviewapp.ui.dialogs.add_source import AddSourceDialog
from reviewapp.ui.dialogs.signoff import gate_advice
from tests.ui.shown import shown_dialog
from tests.ui.test_undo_and_persistence import add_claim

QUOTE = "has committed $4 billion"


def _stored_stances(window) -> dict[int, str]:
    claim = window.session.store.claim(window.session.review_id, 1)
    return dict(claim.source_stances)


def _add_source_by_keyboard(window, qtbot, title: str, downs: int) -> AddSourceDialog:
    """Add Source with the link combo moved down `downs` times by the arrow key."""
    window.action_set["source.add"].trigger()
    dialog = shown_dialog(window, AddSourceDialog)
    dialog.form.lines["title"].setText(title)
    for _ in range(downs):
        qtbot.keyClick(dialog.link, Qt.Key.Key_Down)
    return dialog


def test_add_source_offers_the_stance_by_keyboard_and_undo_takes_it_back(sample_window, qtbot):
    window = sample_window
    claim = add_claim(window, QUOTE)
    window.action_set["source.add"].trigger()
    dialog = shown_dialog(window, AddSourceDialog)
    combo = dialog.link
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Supports claim 1",
        "Refutes claim 1",
        "Context for claim 1",
        "Not linked to claim 1",
    ]
    # Reachable from the keyboard: in the tab chain, and Alt+L through its label.
    assert combo.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert dialog.link_label.buddy() is combo and "&Link" in dialog.link_label.text()
    dialog.form.lines["title"].setText("SEC filing")
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Refutes claim 1"
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default button: Add Source
    assert not dialog.isVisible()
    source = window.session.data.sources[0]
    assert _stored_stances(window) == {source.id: Stance.REFUTES}
    # Shown in the Claims pane (the claim's sources with their stance) and its list.
    assert window.claims.sources.item_for(source.id).text() == "SEC filing — refutes"
    assert window.claims.model.index(0, 4).data() == "1 ✗1"
    window.action_set["edit.undo"].trigger()
    assert window.session.store.sources(claim.review_id) == []


def test_the_sources_pane_link_list_sets_the_stance_by_keyboard_with_undo(sample_window, qtbot):
    window = sample_window
    claim = add_claim(window, QUOTE)
    _add_source_by_keyboard(window, qtbot, "SEC filing", 0).accept()  # supports
    source = window.session.data.sources[0]
    window.tabs.setCurrentIndex(1)
    pane = window.sources
    pane.select(source.id)
    links = pane.claims
    qtbot.keyClick(links.list, Qt.Key.Key_Home)  # the first claim's row becomes current
    assert links.current_id() == claim.id
    assert links.item_for(claim.id).text() == f"Supports claim 1: “{QUOTE}”"
    assert links.stance.currentText() == "Supports claim 1"

    qtbot.keyClick(links.stance, Qt.Key.Key_Down)
    assert _stored_stances(window) == {source.id: Stance.REFUTES}
    assert links.item_for(claim.id).text() == f"Refutes claim 1: “{QUOTE}”"
    assert links.stance.currentText() == "Refutes claim 1"
    assert pane.model.index(0, 3).data() == "✗1"
    qtbot.keyClick(links.stance, Qt.Key.Key_Down)
    assert _stored_stances(window) == {source.id: Stance.CONTEXT}
    assert links.item_for(claim.id).text() == f"Context for claim 1: “{QUOTE}”"

    undo, redo = window.action_set["edit.undo"], window.action_set["edit.redo"]
    undo.trigger()
    assert _stored_stances(window) == {source.id: Stance.REFUTES}
    assert links.stance.currentText() == "Refutes claim 1"
    undo.trigger()
    assert _stored_stances(window) == {source.id: Stance.SUPPORTS}
    redo.trigger()
    assert _stored_stances(window) == {source.id: Stance.REFUTES}

    # Space unlinks the current row; Space again links it, as supports.
    qtbot.keyClick(links.list, Qt.Key.Key_Space)
    assert _stored_stances(window) == {}
    assert links.item_for(claim.id).text() == f"Claim 1: “{QUOTE}”"
    assert links.stance.currentText() == "Not linked"
    qtbot.keyClick(links.list, Qt.Key.Key_Space)
    assert _stored_stances(window) == {source.id: Stance.SUPPORTS}
    undo.trigger()
    undo.trigger()
    assert _stored_stances(window) == {source.id: Stance.REFUTES}


def test_the_claims_pane_link_list_sets_the_stance_too(sample_window, qtbot):
    window = sample_window
    add_claim(window, QUOTE)
    _add_source_by_keyboard(window, qtbot, "SEC filing", 3).accept()  # not linked
    source = window.session.data.sources[0]
    assert _stored_stances(window) == {}
    links = window.claims.sources
    qtbot.keyClick(links.list, Qt.Key.Key_Home)
    assert links.stance.currentText() == "Not linked"
    qtbot.keyClick(links.stance, Qt.Key.Key_Up)  # Not linked -> Context for claim 1
    assert _stored_stances(window) == {source.id: Stance.CONTEXT}
    assert links.item_for(source.id).text() == "SEC filing — context"
    window.action_set["edit.undo"].trigger()
    assert _stored_stances(window) == {}


def test_a_status_its_sources_contradict_asks_for_a_reason_that_is_kept(sample_window, qtbot):
    window = sample_window
    claim = add_claim(window, QUOTE)
    window.action_set["claim.status.verified"].trigger()
    _add_source_by_keyboard(window, qtbot, "SEC filing", 1).accept()  # refutes
    pane = window.claims
    assert pane.form.isRowVisible(pane.stance_override)
    (problem,) = [p for p in gate_problems(window.session.data) if p.kind is GateRule.STANCE]
    assert gate_advice(problem) == (
        "claim 1 is marked verified, but its sources only refute it: correct a link's stance "
        'in the Claims or Sources pane, or the status, or say in "Status stands" why it stands'
    )
    qtbot.keyClicks(pane.stance_override, "The filing predates the new deal")
    pane.stance_override.editingFinished.emit()
    stored = window.session.store.claim_by_id(claim.id)
    assert stored.stance_override == "The filing predates the new deal"
    assert not [p for p in gate_problems(window.session.data) if p.kind is GateRule.STANCE]
    window.action_set["edit.undo"].trigger()
    assert window.session.store.claim_by_id(claim.id).stance_override == ""
    window.action_set["claim.status.false"].trigger()  # the status agrees: nothing to ask
    assert not pane.form.isRowVisible(pane.stance_override)


def test_screenshot_of_the_sources_pane_with_a_refuting_link(sample_window, qtbot):
    """REVIEWAPP_STANCE_SHOTS=DIR saves the picture for a person to look at."""
    window = sample_window
    add_claim(window, QUOTE)
    window.action_set["claim.status.false"].trigger()
    dialog = _add_source_by_keyboard(window, qtbot, "SEC filing 10-Q", 1)
    dialog.form.lines["url"].setText("https://www.sec.gov/amazon-10q")
    dialog.accept()
    window.tabs.setCurrentIndex(1)
    window.sources.select(window.session.data.sources[0].id)
    qtbot.keyClick(window.sources.claims.list, Qt.Key.Key_Home)
    picture = window.sources.grab()
    assert not picture.isNull()
    folder = os.environ.get("REVIEWAPP_STANCE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        picture.save(str(Path(folder) / "sources-refutes.png"))
        window.grab().save(str(Path(folder) / "window-refutes.png"))
