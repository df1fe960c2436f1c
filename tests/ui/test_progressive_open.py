"""A review is read on the reader's thread and a long article is shown in parts: the window
keeps answering meanwhile, an edit made while the rest arrives is kept, the review that
arrives is the last one asked for, and the library search runs on that thread too, its stale
answers dropped."""

from __future__ import annotations

from reviewapp.store import ReviewStore
from reviewapp.ui import commands
from reviewapp.ui.panes.article import FIRST_PART
from tests.conftest import make_draft
from tests.ui.conftest import claim_highlights

PARAGRAPHS = [
    f"Paragraph {n} says the harbour claim{n:04d} held in the spring." for n in range(3000)
]
CLAIMS = 150  # every highlight is painted (at most ALL_HIGHLIGHTS_UP_TO)


def big_and_small(db_path) -> tuple[int, int]:
    """A long review with CLAIMS claims spread over it, and a short one."""
    with ReviewStore(db_path) as store:
        big = store.add_article(make_draft(PARAGRAPHS, "A long article"))
        with store.transaction():
            for n in range(0, len(PARAGRAPHS), len(PARAGRAPHS) // CLAIMS):
                store.add_claim_by_quote(big, f"claim{n:04d}")
        small = store.add_article(make_draft(["A short one."], "A short article"))
    return big, small


def test_a_long_review_opens_in_parts_and_an_edit_made_meanwhile_is_kept(
    make_window, db_path, qtbot
):
    big, small = big_and_small(db_path)
    window = make_window(synchronous=False)  # the reader runs on its own thread
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)

    # What the article holds when the review arrives, seen in that turn (a poll would let the
    # feed run on meanwhile, and on a loaded machine finish).
    arrived: list[tuple[bool, int]] = []
    session.reviewOpened.connect(lambda: arrived.append((view.loading, len(view.toPlainText()))))
    with qtbot.waitSignal(session.reviewOpened, timeout=10_000):
        session.open_review(big)
        assert session.loading_id == big and session.review_id == small  # read meanwhile
    text = session.data.revision.text
    assert len(text) > 2 * FIRST_PART
    loading, shown = arrived[0]
    assert loading and shown < len(text)  # the rest is on its way
    # The editor works while it arrives: a claim near the end gets a status and a note.
    last = session.data.claims[-1]
    session.activate_claim(last.id)
    window.action_set["claim.status.verified"].trigger()
    window.claims.note.setPlainText("Checked against the port log.")
    session.flush()

    qtbot.waitUntil(lambda: not view.loading)
    assert view.toPlainText() == text  # the whole canonical text, parts joined exactly
    quotes = {c.quote for c in session.data.claims}
    assert claim_highlights(view) == quotes and len(quotes) == len(session.data.claims)
    with ReviewStore(db_path) as store:
        saved = store.claim_by_id(last.id)
        assert (saved.status, saved.note) == ("verified", "Checked against the port log.")
        assert session.data == store.load_review(big)
    model = window.claims.model
    assert model.index(model.row_of(last.id), 1).data() == "Verified"


def test_asking_for_another_review_while_one_is_read_shows_only_the_last_one_asked_for(
    make_window, db_path, qtbot
):
    big, small = big_and_small(db_path)
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    shown: list[int | None] = []
    session.reviewOpened.connect(lambda: shown.append(session.review_id))

    session.open_review(big)
    session.open_review(small)  # before the long one arrived
    qtbot.waitUntil(lambda: session.review_id == small and session.loading_id is None)
    window.reader.close()  # every read has answered
    qtbot.wait(50)  # and any answer still queued for the GUI thread is delivered
    assert shown == [small] and session.review_id == small
    assert view.toPlainText().startswith("A short article") and not view.loading

    # Halfway through showing the long one in parts, the short one again: its parts stop.
    session.open_review(big)
    qtbot.waitUntil(lambda: session.review_id == big)
    assert view.loading
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small)
    assert not view.loading and "A long article" not in view.toPlainText()


def test_a_change_to_the_review_being_read_arrives_with_it(make_window, db_path, qtbot):
    big, small = big_and_small(db_path)
    window = make_window(synchronous=False)
    session = window.session
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small)

    session.open_review(big)
    # A command on the review being read (an undo could do this): it is read again, so what
    # arrives has the change rather than the state read before it.
    assert session.push(commands.SetReviewField(session, big, "verdict", "", "publish"))
    qtbot.waitUntil(lambda: session.review_id == big and session.loading_id is None)
    assert session.data.review.verdict == "publish"
    window.action_set["edit.undo"].trigger()
    qtbot.waitUntil(lambda: session.data.review.verdict == "")


def test_a_flash_to_a_claim_near_the_end_shows_it_before_the_rest_of_the_text_arrives(
    make_window, db_path, qtbot
):
    big, _small = big_and_small(db_path)
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(big)
    qtbot.waitUntil(lambda: session.review_id == big)
    assert view.loading
    last = session.data.claims[-1]
    session.activate_claim(last.id)  # shows its passage: the text up to it is added at once
    assert last.quote in view.toPlainText()
    assert last.quote in claim_highlights(view)
    qtbot.waitUntil(lambda: not view.loading)


def test_library_search_answers_arrive_from_the_reader_and_stale_ones_are_dropped(
    make_window, db_path, qtbot
):
    with ReviewStore(db_path) as store:
        for n in range(30):
            store.add_article(make_draft([f"About {'tides' if n % 2 else 'cranes'} {n}."]))
    window = make_window(synchronous=False)
    library = window.library
    resets: list[list[str]] = []
    model = library.model
    model.modelReset.connect(
        lambda: resets.append([model.index(r).data() for r in range(model.rowCount())])
    )

    library.search.setText("tides")
    library.apply_filter()
    library.search.setText("cranes")  # typed over before the first answer came
    library.apply_filter()
    assert resets == []  # nothing read on the GUI thread
    qtbot.waitUntil(lambda: len(resets) == 1)
    window.reader.close()  # both searches have answered
    qtbot.wait(50)
    assert len(resets) == 1  # the answer to "tides" was dropped
    assert model.rowCount() == 15
    with ReviewStore(db_path) as store:
        expected = [r.title for r in store.list_reviews(query="cranes")]
    assert resets[0] == expected

    library.search.setText("(((")  # nothing to search for: every review again
    library.apply_filter()
    qtbot.waitUntil(lambda: model.rowCount() == 30)


def test_a_heading_in_a_later_part_is_laid_out_as_a_heading(make_window, db_path, qtbot):
    from PySide6.QtGui import QFont, QTextCursor

    from reviewapp.core.model import ArticleMeta, ImportedDraft
    from reviewapp.core.text import build_document

    parts = [("paragraph", p, 0) for p in PARAGRAPHS]
    parts.insert(800, ("heading", "Late findings", 2))
    draft = ImportedDraft(
        build_document(parts), ArticleMeta(title="Parts"), b"x", "text/plain", "test", "t.txt"
    )
    with ReviewStore(db_path) as store:
        review_id = store.add_article(draft)
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(review_id)
    qtbot.waitUntil(lambda: session.review_id == review_id)
    text = session.data.revision.text
    assert len(view.toPlainText()) < text.index("Late findings")  # not there yet
    qtbot.waitUntil(lambda: not view.loading)

    def weight(phrase: str) -> int:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.utf16.to_utf16(text.index(phrase)) + 2)
        return cursor.charFormat().fontWeight()

    assert weight("Late findings") == QFont.Weight.Bold
    assert weight("Paragraph 801 says") != QFont.Weight.Bold  # the format did not spread


def test_the_review_open_last_opens_again_in_the_next_window(make_window, db_path, qtbot):
    big, small = big_and_small(db_path)
    window = make_window(synchronous=False)
    session = window.session
    for review_id in (big, small, big, small):  # the last one asked for is remembered
        session.open_review(review_id)
    qtbot.waitUntil(lambda: session.review_id == small and session.loading_id is None)
    window.close()  # waits for the reader; the settings file is written on a worker

    again = make_window(synchronous=False)
    qtbot.waitUntil(lambda: again.session.review_id == small)


def test_a_long_claims_list_fills_in_the_next_turn_with_what_was_edited_meanwhile(
    make_window, db_path, qtbot
):
    from reviewapp.ui.panes.claims import FILL_AT_ONCE

    with ReviewStore(db_path) as store:
        review_id = store.add_article(make_draft(PARAGRAPHS, "Many claims"))
        with store.transaction():
            for n in range(FILL_AT_ONCE + 100):
                store.add_claim_by_quote(review_id, f"claim{n:04d}")
    window = make_window()
    session, model = window.session, window.claims.model
    session.open_review(review_id)
    assert model.rowCount() == 0  # the article's first part paints first
    first = session.data.claims[0]
    session.activate_claim(first.id)
    window.action_set["claim.status.false"].trigger()  # before the list is there
    qtbot.waitUntil(lambda: model.rowCount() == FILL_AT_ONCE + 100)
    assert model.index(model.row_of(first.id), 1).data() == "False"
    assert window.claims.list.currentIndex().row() == model.row_of(first.id)


def test_a_long_article_adds_its_first_part_after_the_view_painted_the_review(
    make_window, db_path, qtbot, monkeypatch
):
    """The first part is added on a turn after the view painted the review just opened (in
    one turn they made the longest stall of opening it); a view that never paints (hidden)
    gets its text after a moment anyway."""
    from reviewapp.ui.panes import article

    big, small = big_and_small(db_path)
    monkeypatch.setattr(
        article, "FEED_FALLBACK_MS", 60_000, raising=False
    )  # only a paint starts the parts
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)
    window.article.hide()  # nothing paints the article now
    session.open_review(big)
    qtbot.waitUntil(lambda: session.review_id == big)
    qtbot.wait(50)
    assert view.loading and view.toPlainText() == ""  # waiting for the view to paint
    window.article.show()
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    assert view.toPlainText() == session.data.revision.text

    monkeypatch.undo()  # a window with the usual fallback
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)
    window.article.hide()
    session.open_review(big)
    qtbot.waitUntil(lambda: session.review_id == big and not view.loading, timeout=10_000)
    assert view.toPlainText() == session.data.revision.text
