"""The Checked Before pane: selecting a claim lists earlier checks (read on the reader thread),
Ctrl+Shift+U reuses the selected one, undo takes it back, and a signed-off review takes none."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt

from reviewapp.store import ReviewStore
from tests.memory_library import AMAZON_4, SEC_URL, build_memory_library
from tests.ui.shown import errors_shown

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def lib(db_path):
    with ReviewStore(db_path) as store:
        return build_memory_library(store)


def _open(window, review_id: int, qtbot):
    window.session.open_review(review_id)
    qtbot.waitUntil(
        lambda: window.session.review_id == review_id and window.session.loading_id is None
    )


def test_selecting_a_claim_fills_the_list_off_the_gui_thread(make_window, lib, qtbot):
    window = make_window(synchronous=False)  # the reader runs on its own thread
    _open(window, lib.review, qtbot)
    pane = window.memory
    window.session.activate_claim(lib.same)
    qtbot.waitUntil(lambda: pane.list.count() == 1)
    item = pane.list.item(0).text()
    assert item.startswith("Same claim · Verified · review")
    assert "“Cloud deals in March” (signed off)" in item and AMAZON_4 in item
    assert "SEC filing" in pane.detail.text() and "Note:" in pane.detail.text()
    assert window.tabs.tabText(3) == "Checked Before (1)"
    # The claim with another figure: the same earlier claim, only related.
    window.session.activate_claim(lib.changed)
    qtbot.waitUntil(lambda: pane.shown_for == lib.changed and pane.list.count() == 1)
    assert pane.list.item(0).text().startswith("Related · ")
    # An unrelated claim: nothing, and it says so.
    window.session.activate_claim(lib.unrelated)
    qtbot.waitUntil(lambda: pane.shown_for == lib.unrelated and pane.stack.currentIndex() == 0)
    assert pane.message.text() == "Nothing worded like this claim was checked before."
    assert window.tabs.tabText(3) == "Checked Before"


def test_an_answer_for_a_claim_left_behind_is_not_shown(make_window, lib, qtbot):
    window = make_window(synchronous=False)
    _open(window, lib.review, qtbot)
    pane = window.memory
    window.session.activate_claim(lib.same)
    pane.ask()  # the selection rested on it: its answer is on its way
    window.session.activate_claim(lib.unrelated)  # before the first answer arrived
    assert pane.message.text() == "Looking for earlier checks…"
    qtbot.waitUntil(lambda: pane.shown_for == lib.unrelated)
    window.reader.close()  # every read has answered
    qtbot.wait(50)  # and any answer still queued for the GUI thread is delivered
    assert pane.shown_for == lib.unrelated and pane.results == []
    assert pane.list.count() == 0


def test_moving_through_claims_asks_only_for_the_one_it_rests_on(make_window, lib, qtbot):
    window = make_window()
    _open(window, lib.review, qtbot)
    pane = window.memory
    asked: list[int] = []
    read = window.reader.read_checked_before
    window.reader.read_checked_before = lambda claim_id, *a: (
        asked.append(claim_id),
        read(claim_id, *a),
    )[1]
    for claim_id in (lib.unrelated, lib.changed, lib.same):  # Alt+Down, Alt+Down, Alt+Down
        window.session.activate_claim(claim_id)
    qtbot.waitUntil(lambda: pane.shown_for == lib.same and pane.list.count() == 1)
    assert asked == [lib.same]


def test_the_reuse_key_links_the_source_and_undo_takes_it_back(make_window, lib, qtbot):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _open(window, lib.review, qtbot)
    session = window.session
    session.activate_claim(lib.same)
    qtbot.waitUntil(lambda: window.memory.list.count() == 1)
    window.article.view.setFocus()
    qtbot.keyClick(window.article.view, Qt.Key.Key_4, ALT)  # Checked Before
    assert window.tabs.currentWidget() is window.memory
    assert window.memory.list.hasFocus()
    qtbot.keyClick(window.memory.list, Qt.Key.Key_U, CTRL_SHIFT)
    claim = session.current_claim()
    assert claim is not None and claim.reused_from is not None, errors_shown(window)
    assert claim.reused_from.review_id == lib.earlier_review
    assert [s.url for s in session.data.sources] == [SEC_URL]
    assert claim.source_ids == [session.data.sources[0].id]
    assert "> SEC filing of 2024" in claim.note
    # The claim's detail says where its check came from.
    window.action_set["view.claims"].trigger()
    reused = window.claims.reused
    assert reused.isVisibleTo(window.claims)
    assert reused.text().startswith(f"Reused the check of review {lib.earlier_review} claim 1")
    assert window.claims.note.toPlainText() == claim.note

    window.action_set["edit.undo"].trigger()
    claim = session.current_claim()
    assert claim.reused_from is None and claim.note == "" and claim.source_ids == []
    assert session.data.sources == []
    assert not window.claims.reused.isVisibleTo(window.claims)
    with ReviewStore(session.store.path) as other:
        assert other.sources(lib.review) == []
    window.action_set["edit.redo"].trigger()
    assert session.current_claim().reused_from is not None
    assert [s.url for s in session.data.sources] == [SEC_URL]


def test_a_signed_off_review_cannot_reuse_but_still_shows_its_memory(make_window, lib, qtbot):
    window = make_window()
    _open(window, lib.earlier_review, qtbot)  # signed off
    window.session.activate_claim(lib.earlier_claim)
    pane = window.memory
    with ReviewStore(window.session.store.path) as store:
        store.update_claim(lib.same, status="verified", note="checked again in May")
    window.session.activate_claim(lib.river_claim)
    window.session.activate_claim(lib.earlier_claim)
    qtbot.waitUntil(lambda: pane.shown_for == lib.earlier_claim)
    assert pane.list.count() == 1  # the May check of the same claim
    assert not window.action_set["claim.reuse"].isEnabled()
    before = window.session.store.load_review(lib.earlier_review)
    window.action_set["claim.reuse"].trigger()
    assert window.session.store.load_review(lib.earlier_review) == before


def test_a_claim_just_added_shows_what_was_checked_before(make_window, lib, qtbot):
    from tests.ui.conftest import select_quote

    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with ReviewStore(window.session.store.path) as store:
        store.delete_claim(lib.changed)  # the words are free to pin again
    _open(window, lib.review, qtbot)
    view = window.article.view
    view.setFocus()
    select_quote(window, "Amazon has invested $8 billion in Anthropic")
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    added = window.session.current_claim()
    assert added is not None and added.quote.endswith("$8 billion in Anthropic")
    qtbot.waitUntil(lambda: window.memory.shown_for == added.id)
    assert [r.earlier.claim.id for r in window.memory.results] == [lib.earlier_claim]
    assert window.memory.list.item(0).text().startswith("Related · ")


def test_an_answer_arriving_after_the_window_went_is_dropped(make_window, lib, qtbot):
    # A search still on the reader thread when its pane is freed (its window closed) answers
    # later, in whatever runs the event loop next: it must not touch the widgets that are gone.
    window = make_window(synchronous=False)
    _open(window, lib.review, qtbot)
    pane = window.memory
    answers = []
    reader = window.session.reader
    reader.read_checked_before = lambda claim_id, done, failed: answers.append(done)
    window.session.activate_claim(lib.same)
    pane.ask()
    assert len(answers) == 1
    pane.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(pane))
    answers[0]([])  # raised "Internal C++ object already deleted" before
