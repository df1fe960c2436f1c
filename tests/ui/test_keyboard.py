"""Everything from the keyboard: real key presses reach the registry's actions."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from reviewapp.ui.dialogs.shortcuts import ShortcutsDialog
from tests.ui.conftest import select_quote
from tests.ui.shown import shown_dialog

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def test_add_claim_set_status_and_move_between_claims_by_keyboard(sample_window, qtbot):
    window = sample_window
    window.activateWindow()
    view = window.article.view
    view.setFocus()
    select_quote(window, "has committed $4 billion")
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)
    select_quote(window, "99.9% reliability")
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)
    claims = window.session.data.claims
    assert [c.quote for c in claims] == ["has committed $4 billion", "99.9% reliability"]
    assert window.session.current_claim_id == claims[1].id
    qtbot.keyClick(view, Qt.Key.Key_3, CTRL)  # False
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)  # previous claim
    assert window.session.current_claim_id == claims[0].id
    qtbot.keyClick(view, Qt.Key.Key_1, CTRL)  # Verified
    statuses = [c.status for c in window.session.store.claims(window.session.review_id)]
    assert statuses == ["verified", "false"]


def test_delete_removes_a_claim_only_from_the_claims_list(sample_window, qtbot):
    window = sample_window
    window.activateWindow()
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    note = window.claims.note
    note.setFocus()
    qtbot.keyClicks(note, "abc")
    qtbot.keyClick(note, Qt.Key.Key_Home)
    qtbot.keyClick(note, Qt.Key.Key_Delete)  # edits the note, deletes no claim
    assert note.toPlainText() == "bc"
    assert len(window.session.data.claims) == 1
    window.claims.list.setFocus()
    qtbot.keyClick(window.claims.list, Qt.Key.Key_Delete)
    assert window.session.store.claims(window.session.review_id) == []


def test_find_search_and_help_keys(sample_window, qtbot):
    window = sample_window
    window.activateWindow()
    window.article.view.setFocus()
    qtbot.keyClick(window.article.view, Qt.Key.Key_F, CTRL)
    assert window.article.find_bar.isVisible()
    qtbot.keyClicks(window.article.find_bar.field, "Bedrock")
    assert window.article.view.textCursor().selectedText() == "Bedrock"
    qtbot.keyClick(window.article.find_bar.field, Qt.Key.Key_Escape)
    assert not window.article.find_bar.isVisible()
    qtbot.keyClick(window.article.view, Qt.Key.Key_L, CTRL)
    assert window.library.search.hasFocus()
    qtbot.keyClick(window.library.search, Qt.Key.Key_F1)
    assert shown_dialog(window, ShortcutsDialog).windowTitle() == "Keyboard Shortcuts"


class _Browser(QObject):
    def __init__(self):
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_the_original_address_opens_in_the_system_browser(make_window):
    from tests.conftest import make_draft

    window = make_window()
    browser = _Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")
    try:
        draft = make_draft(["Some text."], "Linked", url="https://example.org/story")
        review_id = window.session.store.add_article(draft)
        window.session.libraryChanged.emit()
        window.session.open_review(review_id)
        window.action_set["file.open_original"].trigger()
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert browser.opened == ["https://example.org/story"]


def test_the_status_field_names_the_shortcuts_that_really_set_a_status(sample_window, qtbot):
    window = sample_window
    select_quote(window, "99.9% reliability")
    window.add_claim()
    field = window.findChild(QObject, "claimStatus")
    description = field.accessibleDescription()
    assert "Ctrl+0 to Ctrl+5" in description
    qtbot.keyClick(window.article.view, Qt.Key.Key_5, CTRL)  # the last one named: Opinion
    assert [c.status for c in window.session.data.claims] == ["opinion"]


def test_alt_down_opens_a_focused_drop_down_and_elsewhere_goes_to_the_next_claim(
    sample_window, qtbot
):
    window = sample_window
    window.activateWindow()
    for quote in ("has committed $4 billion", "99.9% reliability"):
        select_quote(window, quote)
        window.action_set["claim.add"].trigger()
    first, second = (c.id for c in window.session.data.claims)
    window.session.activate_claim(first)
    for combo in (window.claims.status, window.header.verdict):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down, ALT)
        assert combo.view().isVisible(), combo.accessibleName()
        assert window.session.current_claim_id == first  # the key did not move the claim
        combo.hidePopup()
    window.tabs.setCurrentIndex(2)
    kind = window.takeaways.kind
    kind.setFocus()
    qtbot.keyClick(kind, Qt.Key.Key_Down, ALT)
    assert kind.view().isVisible()
    kind.hidePopup()
    window.tabs.setCurrentIndex(0)
    window.claims.list.setFocus()
    qtbot.keyClick(window.claims.list, Qt.Key.Key_Down, ALT)
    assert window.session.current_claim_id == second
    window.claims.status.setFocus()
    qtbot.keyClick(window.claims.status, Qt.Key.Key_Up, ALT)  # Alt+Up is still Previous Claim
    assert window.session.current_claim_id == first


def test_the_shortcuts_list_shows_readable_keys_whole_descriptions_and_finds_them(
    sample_window, qtbot
):
    window = sample_window
    window.action_set["help.shortcuts"].trigger()
    dialog = shown_dialog(window, ShortcutsDialog)
    table = dialog.table
    keys = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert keys["Undo"] == "Ctrl+Z, Alt+Backspace"  # no F14, no "Undo" key
    assert not any("F14" in k or k.endswith(", Undo") for k in keys.values())
    # The longest description is shown whole, wrapped over lines rather than cut with "…".
    row = max(range(table.rowCount()), key=lambda r: len(table.item(r, 2).text()))
    assert table.wordWrap() and table.textElideMode() == Qt.TextElideMode.ElideNone
    assert table.rowHeight(row) > table.rowHeight(0) or table.columnWidth(2) >= (
        table.fontMetrics().horizontalAdvance(table.item(row, 2).text())
    )
    qtbot.keyClicks(dialog.search, "redo")
    assert dialog.visible_actions() == ["Redo"]
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "ctrl+shift+s")
    assert dialog.visible_actions() == ["Add Source"]
    dialog.search.setText("no such thing")
    assert dialog.visible_actions() == [] and dialog.nothing.isVisible()
