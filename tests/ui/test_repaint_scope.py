"""What an everyday action repaints: the library row of the open review, not the whole list,
after an edit; the claim detail's unchanged fields, not the whole pane, on the next claim; and
the open review re-read on the reader's thread when another process changed it."""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QRegion

from reviewapp.store import ReviewStore
from reviewapp.ui import commands
from reviewapp.ui.models import SUBTITLE_ROLE
from tests.conftest import make_draft
from tests.ui.conftest import select_quote

FIRST = "suspended global access to two specific model versions"
SECOND = "has committed $4 billion"


class Painted(QObject):
    """Records the region of every paint event a widget receives."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.regions: list[QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(event.region()))
        return False

    def union(self) -> QRect:
        rect = QRect()
        for region in self.regions:
            rect = rect.united(region.boundingRect())
        return rect


def _library_with_reviews(db_path, count: int) -> list[int]:
    with ReviewStore(db_path) as store:
        return [
            store.add_article(make_draft([f"Paragraph {n} of a draft."], title=f"Draft {n}"))
            for n in range(count)
        ]


def test_an_edit_repaints_the_open_reviews_library_row_only(make_window, db_path, qtbot):
    ids = _library_with_reviews(db_path, 8)
    window = make_window()
    window.resize(1200, 800)
    session, library = window.session, window.library
    session.open_review(ids[3])
    row = library.model.row_of(ids[3])
    assert row >= 0
    qtbot.waitUntil(lambda: library.list.isVisible())
    qtbot.wait(50)  # the first paints land
    painted = Painted(library.list.viewport())
    summary = session.summary()
    assert summary is not None
    session.summaryChanged.emit(replace(summary, claims=summary.claims + 1, unchecked=1))
    qtbot.waitUntil(lambda: bool(painted.regions))
    qtbot.wait(20)
    shown = library.list.visualRect(library.model.index(row))
    assert shown.contains(painted.union()), (painted.union(), shown)
    assert "1 claim, 1 unchecked" in library.model.index(row).data(SUBTITLE_ROLE)


def test_the_next_claim_leaves_unchanged_fields_unpainted(sample_window, qtbot):
    window = sample_window
    window.resize(1300, 850)
    session = window.session
    for quote in (FIRST, SECOND):
        select_quote(window, quote)
        window.action_set["claim.add"].trigger()
    first, second = (c.id for c in session.data.claims)
    session.activate_claim(first)
    qtbot.wait(50)
    notes, corrections = Painted(window.claims.note), Painted(window.claims.correction)
    statuses = Painted(window.claims.status)
    quote = Painted(window.claims.quote)
    window.claims.list.setFocus()
    window.action_set["claim.next"].trigger()
    assert session.current_claim_id == second
    qtbot.waitUntil(lambda: bool(quote.regions))  # the detail shows the second claim
    qtbot.wait(50)
    # Both notes and corrections are empty and both claims unchecked: nothing to draw again.
    assert notes.regions == [] and corrections.regions == [] and statuses.regions == []
    assert "Claim 2" in window.claims.quote.text()


def test_a_change_made_elsewhere_is_read_on_the_reader_and_applied_when_it_arrives(
    make_window, db_path, qtbot, monkeypatch
):
    window = make_window(synchronous=False)
    window.importer.import_sample()
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=10000)
    session = window.session
    review_id = session.review_id
    select_quote(window, FIRST)
    window.action_set["claim.add"].trigger()
    mine = session.current_claim()
    assert mine is not None

    readers: list[threading.Thread] = []
    real_load = ReviewStore.load_review

    def recording_load(store, *args, **kwargs):
        readers.append(threading.current_thread())
        return real_load(store, *args, **kwargs)

    monkeypatch.setattr(ReviewStore, "load_review", recording_load)
    with ReviewStore(db_path) as other:  # the CLI, in its own connection
        theirs = other.add_claim_by_quote(review_id, SECOND, note="added by a colleague")
    session.changed_outside()
    assert session.claim(theirs.id) is None  # not read here: it arrives later
    # An edit made here while the review is being read is kept in what arrives.
    session.push(commands.SetClaimField(session, mine, "note", "", "mine, meanwhile"))
    qtbot.waitUntil(lambda: session.claim(theirs.id) is not None, timeout=5000)
    assert session.claim(theirs.id).note == "added by a colleague"
    assert session.claim(mine.id).note == "mine, meanwhile"
    assert readers and all(t is not threading.main_thread() for t in readers)
    assert "changed elsewhere" in window.statusBar().currentMessage()
    assert window.claims.model.rowCount() == 2


def test_a_new_draft_read_elsewhere_keeps_the_current_claim(make_window, qtbot):
    window = make_window(synchronous=False)
    window.importer.import_sample()
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=10000)
    session = window.session
    select_quote(window, FIRST)
    window.action_set["claim.add"].trigger()
    mine = session.current_claim_id
    before = session.data
    session.refresh_review()
    assert session.data is before  # read on the reader: the review shown stays until then
    qtbot.waitUntil(lambda: session.data is not before, timeout=5000)
    assert session.current_claim_id == mine
    assert window.claims.list.currentIndex().row() == 0


def test_stepping_to_a_claim_already_in_view_leaves_the_article_where_it_is(make_window, qtbot):
    paragraphs = [f"Paragraph {n} with filler words, claim{n:03d} among them." for n in range(120)]
    window = make_window()
    window.resize(1300, 850)
    store = window.session.store
    review_id = store.add_article(make_draft(paragraphs, "A long draft"))
    window.session.libraryChanged.emit()
    window.session.open_review(review_id)
    for n in (40, 41, 110):
        store.add_claim_by_quote(review_id, f"claim{n:03d}")
    window.session.reload()
    session, bar = window.session, window.article.view.verticalScrollBar()
    first, near, far = (c.id for c in session.data.claims)
    session.activate_claim(first)  # far from the top: scrolled to
    scrolled = bar.value()
    assert scrolled > 0
    session.activate_claim(near)  # the next paragraph, in view: no scroll
    assert bar.value() == scrolled
    session.activate_claim(far)  # out of view: scrolled to
    assert bar.value() > scrolled


def test_a_link_list_shown_again_after_a_refused_toggle_shows_the_stored_links(qtbot):
    from PySide6.QtCore import Qt

    from reviewapp.ui.widgets import LinkList

    links = LinkList()
    qtbot.addWidget(links)
    rows = [(1, "Annual report", False), (2, "Interview", True)]
    links.set_items(rows)
    toggled: list[tuple[int, bool]] = []
    links.toggled.connect(lambda item_id, on: toggled.append((item_id, on)))
    links.item(0).setCheckState(Qt.CheckState.Checked)  # as a click does
    assert toggled == [(1, True)]
    links.set_items(rows)  # the link was refused: the stored links again
    assert links.item(0).checkState() == Qt.CheckState.Unchecked
    assert links.item(1).checkState() == Qt.CheckState.Checked


def test_a_long_review_paints_its_panes_first_and_its_text_does_not_reflow(
    make_window, db_path, qtbot
):
    paragraphs = [f"Paragraph {n} says the harbour claim{n:04d} held." for n in range(900)]
    with ReviewStore(db_path) as store:
        big = store.add_article(make_draft(paragraphs, "A long article"))
        small = store.add_article(make_draft(["A short one."], "A short article"))
    window = make_window(synchronous=False)
    window.resize(1200, 800)
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)
    assert not view.verticalScrollBar().isVisible()  # a short text: no scroll bar

    at_text: list[tuple[str, bool, str, int]] = []
    session.revisionArriving.connect(  # the text, read ahead of the claims
        lambda _id, _rev: at_text.append(
            (
                view.toPlainText(),
                view.loading,
                window.article.title.text(),
                view.viewport().width(),
            )
        )
    )
    documents: list[object] = []
    session.revisionArriving.connect(lambda _id, _rev: documents.append(view.document()))
    session.summaryChanged.connect(lambda _: documents.append(view.document()))
    session.open_review(big)
    qtbot.waitUntil(lambda: bool(at_text))
    # The turn the text arrives in shows the heading; its text comes from the next turn on.
    text, loading, title, width = at_text[0]
    assert (text, loading, title) == ("", True, "A long article")
    # The scroll bar is there before the text is: width is the width the text is laid out in.
    qtbot.waitUntil(lambda: bool(view.toPlainText()))
    assert view.viewport().width() == width  # the first part is not laid out twice
    qtbot.waitUntil(lambda: not view.loading and session.review_id == big, timeout=10000)
    assert view.viewport().width() == width
    # the review's arrival placed its claims on the text already there: not laid out again
    assert len(documents) == 2 and documents[0] is documents[1]
    assert view.toPlainText() == session.data.revision.text


def test_opening_another_review_repaints_two_library_rows_not_the_list(make_window, db_path, qtbot):
    ids = _library_with_reviews(db_path, 8)
    window = make_window()
    window.resize(1200, 800)
    session, library = window.session, window.library
    session.open_review(ids[2])
    qtbot.wait(50)
    painted = Painted(library.list.viewport())
    session.open_review(ids[5])
    qtbot.waitUntil(lambda: bool(painted.regions))
    qtbot.wait(20)
    rows = [library.list.visualRect(library.model.index(library.model.row_of(i))) for i in ids]
    selected = rows[2].united(rows[5])
    assert selected.contains(painted.union())
    assert not painted.union().intersects(rows[0]) or rows[0] == rows[2]
    assert library.list.currentIndex().row() == library.model.row_of(ids[5])


def test_the_header_reads_the_draft_for_a_disclosure_line_once_not_on_every_edit(
    sample_window, monkeypatch
):
    import reviewapp.core.disclosure as disclosure

    window = sample_window
    session = window.session
    read: list[int] = []
    real = disclosure.find_disclosures

    def counting(text: str):
        read.append(len(text))
        return real(text)

    monkeypatch.setattr(disclosure, "find_disclosures", counting)
    disclosure.disclosures_of.cache_clear()
    select_quote(window, FIRST)
    window.action_set["claim.add"].trigger()
    claim = session.current_claim()
    assert claim is not None
    for note in ("one", "two", "three"):
        session.push(commands.SetClaimField(session, claim, "note", claim.note, note))
        claim = session.current_claim()
    assert read == [len(session.data.revision.text)]  # the header still tells, from memory
    assert "AI:" in window.header.accountability.text()


def test_a_review_opened_is_read_for_disclosure_lines_on_the_reader_thread(
    make_window, db_path, qtbot, monkeypatch
):
    import reviewapp.core.disclosure as disclosure

    paragraphs = [f"Paragraph {n} of a long draft about the harbour." for n in range(400)]
    paragraphs.append("This article was written with the help of AI.")
    with ReviewStore(db_path) as store:
        review_id = store.add_article(make_draft(paragraphs, "A long article"))
    threads: list[threading.Thread] = []
    real = disclosure.find_disclosures

    def recording(text: str):
        threads.append(threading.current_thread())
        return real(text)

    monkeypatch.setattr(disclosure, "find_disclosures", recording)
    disclosure.disclosures_of.cache_clear()
    window = make_window(synchronous=False)
    window.session.open_review(review_id)
    qtbot.waitUntil(lambda: window.session.review_id == review_id, timeout=5000)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert "disclosure line to look at" in window.header.accountability.text()


def test_a_link_list_set_again_shows_exactly_the_last_rows_and_finds_each_by_id(qtbot):
    # Rows that did not change since the last set_items are left alone; the list must still
    # show, row by row, exactly what the last call said, and find every row by its id.
    from PySide6.QtCore import Qt

    from reviewapp.ui.widgets import LinkList

    links = LinkList()
    qtbot.addWidget(links)

    def shown() -> list[tuple[int, str, bool]]:
        return [
            (
                int(links.item(r).data(Qt.ItemDataRole.UserRole)),
                links.item(r).text(),
                links.item(r).checkState() == Qt.CheckState.Checked,
            )
            for r in range(links.count())
        ]

    first = [(n, f"Source {n}", n % 3 == 0) for n in range(1, 41)]
    second = [(n, f"Source {n}", n in (2, 7)) for n in range(1, 41)]  # other links
    renamed = [(n, "Renamed" if n == 5 else label, on) for n, label, on in second]
    fewer = [row for row in renamed if row[0] != 9]  # a source went
    for rows in (first, second, renamed, second, fewer, first):
        links.set_items(rows)
        assert shown() == rows
        for item_id, label, _ in rows:
            assert links.item_for(item_id).text() == label
        assert links.item_for(999) is None
    links.item(3).setCheckState(Qt.CheckState.Checked)  # the editor ticks one by hand
    links.set_items(first)  # the stored links again
    assert shown() == first and links.item_for(4).checkState() == Qt.CheckState.Unchecked
