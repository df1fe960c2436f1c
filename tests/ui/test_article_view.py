"""The article view: exact anchoring (UTF-16 vs code points), highlights, clicks, find, layout."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from tests.conftest import make_draft
from tests.ui.conftest import select_quote
from tests.ui.shown import errors_shown

EMOJI_TEXT = [
    "Rocket 🚀 launch 👩🏽‍🚀 crew: the mission cost 𝟒 billion dollars in 2024 🌍.",
    "Second 😀 paragraph says the budget doubled.",
]


def open_draft(make_window, paragraphs, title="A draft"):
    window = make_window()
    review_id = window.session.store.add_article(make_draft(paragraphs, title))
    window.session.libraryChanged.emit()
    window.session.open_review(review_id)
    return window


def test_a_claim_after_emoji_quotes_exactly_the_selected_text(make_window):
    window = open_draft(make_window, EMOJI_TEXT)
    view = window.article.view
    # Select with Qt positions, as the mouse would: find the phrase in the widget's own text.
    plain = view.toPlainText()
    phrase = "cost 𝟒 billion dollars"
    utf16_start = len(plain[: plain.index(phrase)].encode("utf-16-le")) // 2
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16_start)
    cursor.setPosition(
        utf16_start + len(phrase.encode("utf-16-le")) // 2, QTextCursor.MoveMode.KeepAnchor
    )
    view.setTextCursor(cursor)
    assert cursor.selectedText() == phrase
    window.action_set["claim.add"].trigger()
    claim = window.session.data.claims[0]
    assert claim.quote == phrase
    text = window.session.data.revision.text
    assert text[claim.start : claim.end] == phrase  # code points in the store


def test_a_claim_in_a_later_paragraph_after_astral_characters(make_window):
    window = open_draft(make_window, EMOJI_TEXT)
    select_quote(window, "the budget doubled")
    window.action_set["claim.add"].trigger()
    assert window.session.data.claims[0].quote == "the budget doubled"
    assert window.article.view.textCursor().selectedText() in ("", "the budget doubled")


def test_surrounding_spaces_of_a_selection_are_not_part_of_the_claim(make_window):
    window = open_draft(make_window, ["One two three four."])
    text = window.session.data.revision.text
    start = text.index(" two three ")
    window.article.view.select_span(start, start + len(" two three "))
    window.action_set["claim.add"].trigger()
    assert window.session.data.claims[0].quote == "two three"


def test_add_claim_without_a_selection_says_what_to_do(make_window):
    window = open_draft(make_window, ["One two three four."])
    window.action_set["claim.add"].trigger()
    assert window.session.data.claims == []
    assert errors_shown(window) == ["Select the passage of the claim in the article first."]


def test_claims_are_highlighted_in_their_status_colour(make_window):
    window = open_draft(make_window, ["Alpha beta gamma. Delta epsilon zeta."])
    store, review_id = window.session.store, window.session.review_id
    store.add_claim_by_quote(review_id, "Alpha beta", status="false")
    store.add_claim_by_quote(review_id, "Delta epsilon", status="verified")
    window.session.reload()
    selections = window.article.view.extraSelections()
    assert len(selections) == 2
    colours = {s.cursor.selectedText(): s.format.background().color().name() for s in selections}
    assert colours == {"Alpha beta": "#f08c8c", "Delta epsilon": "#7fd49a"}


def test_clicking_inside_a_highlight_selects_its_claim(make_window, qtbot):
    window = open_draft(make_window, ["Alpha beta gamma. Delta epsilon zeta."])
    store, review_id = window.session.store, window.session.review_id
    store.add_claim_by_quote(review_id, "Alpha beta")
    second = store.add_claim_by_quote(review_id, "Delta epsilon")
    window.session.reload()
    view = window.article.view
    text = window.session.data.revision.text
    cursor = QTextCursor(view.document())
    cursor.setPosition(text.index("epsilon") + 2)
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.session.current_claim_id == second.id
    assert window.claims.list.currentIndex().row() == 1
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    assert window.session.current_claim_id == second.id  # a click outside changes nothing


def test_selecting_a_claim_scrolls_to_its_passage_and_flashes_it(make_window, qtbot):
    paragraphs = [f"Paragraph {n} with filler words to make the article long." for n in range(150)]
    paragraphs.append("The final claim sits at the very end.")
    window = open_draft(make_window, paragraphs)
    claim = window.session.store.add_claim_by_quote(window.session.review_id, "The final claim")
    window.session.reload()
    view = window.article.view
    assert view.verticalScrollBar().value() == 0
    window.claims.list.setCurrentIndex(window.claims.model.index(0, 0))
    assert window.session.current_claim_id == claim.id
    assert view.verticalScrollBar().value() > 0
    flash = [s for s in view.extraSelections() if s.format.background().color().name() == "#ff9f1c"]
    assert len(flash) == 1 and flash[0].cursor.selectedText() == "The final claim"
    qtbot.waitUntil(
        lambda: all(
            s.format.background().color().name() != "#ff9f1c" for s in view.extraSelections()
        ),
        timeout=2000,
    )


def test_next_and_previous_claim_move_through_the_text(make_window):
    window = open_draft(make_window, ["Alpha beta gamma. Delta epsilon zeta."])
    store, review_id = window.session.store, window.session.review_id
    first = store.add_claim_by_quote(review_id, "Alpha beta")
    second = store.add_claim_by_quote(review_id, "Delta epsilon")
    window.session.reload()
    window.action_set["claim.next"].trigger()
    assert window.session.current_claim_id == first.id
    window.action_set["claim.next"].trigger()
    assert window.session.current_claim_id == second.id
    window.action_set["claim.previous"].trigger()
    assert window.session.current_claim_id == first.id


def test_find_bar_finds_next_and_previous_and_wraps(make_window):
    window = open_draft(make_window, ["Tick one. Tock two. Tick three."])
    window.action_set["edit.find"].trigger()
    bar = window.article.find_bar
    assert bar.isVisible()
    bar.field.setText("Tick")
    view = window.article.view
    text = window.session.data.revision.text
    assert view.textCursor().selectionStart() == text.index("Tick")
    assert bar.status.text() == "1 of 2"  # which match, of how many
    window.action_set["edit.find_next"].trigger()
    assert view.textCursor().selectionStart() == text.rindex("Tick")
    assert bar.status.text() == "2 of 2"
    window.action_set["edit.find_next"].trigger()  # wraps to the first
    assert view.textCursor().selectionStart() == text.index("Tick")
    assert bar.status.text() == "1 of 2"
    window.action_set["edit.find_previous"].trigger()
    assert view.textCursor().selectionStart() == text.rindex("Tick")
    assert bar.status.text() == "2 of 2"
    bar.field.setText("nowhere")
    assert bar.status.text() == "Not found"


def test_headings_are_bigger_than_paragraphs_and_the_text_is_exactly_the_draft(make_window):
    window = open_draft(make_window, ["Body text here."], title="Big Title")
    view = window.article.view
    assert view.toPlainText() == window.session.data.revision.text
    document = view.document()
    cursor = QTextCursor(document)
    cursor.setPosition(2)
    heading = cursor.charFormat().fontPointSize()
    cursor.setPosition(window.session.data.revision.text.index("Body") + 1)
    body = cursor.charFormat().fontPointSize() or document.defaultFont().pointSizeF()
    assert heading > body


def test_the_context_menu_offers_add_claim(make_window):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    window = open_draft(make_window, ["One two three."])
    view = window.article.view
    point = QPoint(40, 40)
    view.contextMenuEvent(
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.mapToGlobal(point))
    )
    (menu,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
    assert menu.actions()[0] is window.action_set["claim.add"]
    assert any(a.text().replace("&", "").startswith("Copy") for a in menu.actions())
    menu.close()


def test_a_long_article_highlights_the_claims_near_the_viewport_and_follows_scrolling(
    make_window, qtbot
):
    paragraphs = [
        f"Paragraph {n} has a claim marker{n:04d} and more filler words here." for n in range(600)
    ]
    window = open_draft(make_window, paragraphs)
    store, review_id = window.session.store, window.session.review_id
    with store.transaction():
        for n in range(600):
            store.add_claim_by_quote(review_id, f"marker{n:04d}")
    window.session.reload()
    view = window.article.view
    qtbot.waitUntil(lambda: not view.loading)  # a long text arrives in parts
    shown = {s.cursor.selectedText() for s in view.extraSelections()}
    assert "marker0000" in shown and "marker0599" not in shown
    assert 0 < len(shown) < 600
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    shown = {s.cursor.selectedText() for s in view.extraSelections()}
    assert "marker0599" in shown and "marker0000" not in shown
    last = window.session.data.claims[-1]
    window.session.activate_claim(window.session.data.claims[0].id)  # jumps back to the top
    shown = {s.cursor.selectedText() for s in view.extraSelections()}
    assert "marker0000" in shown
    assert last.quote not in shown
