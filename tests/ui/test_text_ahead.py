"""Opening a review shows its text as soon as the text is read, ahead of its claims (10,000
of them take ~100 ms to read): the article paints the new text while the review shown before
is still the open one, takes no claim from a selection until the review arrives, and never
places the open review's claims on the other text."""

from __future__ import annotations

from reviewapp.store import ReviewStore
from tests.ui.conftest import claim_highlights
from tests.ui.test_progressive_open import big_and_small


def _spy(session) -> list[tuple[str, int | None]]:
    """The order of what arrives: the text ahead (review id), the review (review id)."""
    seen: list[tuple[str, int | None]] = []
    session.revisionArriving.connect(lambda review_id, _rev: seen.append(("text", review_id)))
    session.reviewOpened.connect(lambda: seen.append(("review", session.review_id)))
    return seen


def test_the_text_is_shown_ahead_of_the_claims_then_they_are_placed_on_it(
    make_window, db_path, qtbot
):
    big, small = big_and_small(db_path)
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)
    seen = _spy(session)
    at_text: list[tuple[int | None, str, bool, object]] = []

    def when_the_text_comes(_id, _rev):
        view.select_span(0, 9)  # the editor selects words of the new text at once
        at_text.append(
            (session.review_id, window.article.title.text(), view.preview, view.selected_span())
        )

    session.revisionArriving.connect(when_the_text_comes)

    session.open_review(big)
    qtbot.waitUntil(lambda: session.review_id == big and not view.loading)
    assert seen == [("text", big), ("review", big)]
    # when the text came, the short review was still the open one, and the heading and the
    # article were already the long one's, taking no claim
    assert at_text == [(small, "A long article", True, None)]
    assert not view.preview
    assert view.toPlainText() == session.data.revision.text
    assert claim_highlights(view) == {c.quote for c in session.data.claims}
    view.select_span(0, 9)
    assert view.selected_span() == (0, 9)  # the review is in: a selection takes a claim


def test_while_the_text_is_ahead_the_open_reviews_claims_stay_off_it(make_window, db_path, qtbot):
    big, small = big_and_small(db_path)
    with ReviewStore(db_path) as store:
        store.add_claim_by_quote(small, "short one")
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)
    claim = session.data.claims[0]
    checks: list[tuple[set[str], int]] = []

    def poke(_id, _rev):
        # the editor clicks the short review's claim in its list just as the long text arrives
        session.activate_claim(claim.id)
        session.passageRequested.emit(0, 5)
        checks.append((claim_highlights(view), view.textCursor().position()))

    session.revisionArriving.connect(poke)
    session.open_review(big)
    qtbot.waitUntil(lambda: session.review_id == big and not view.loading)
    assert checks == [(set(), 0)]  # nothing of the short review was drawn on the long text


def test_asking_back_the_open_review_while_another_ones_text_is_ahead_shows_it_again(
    make_window, db_path, qtbot
):
    big, small = big_and_small(db_path)
    with ReviewStore(db_path) as store:
        store.add_claim_by_quote(small, "short one")
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)

    session.revisionArriving.connect(lambda _id, _rev: session.open_review(small))
    session.open_review(big)
    qtbot.waitUntil(lambda: session.loading_id is None and not view.loading)
    window.reader.close()  # every read has answered: the long review's was dropped
    assert session.review_id == small and not view.preview
    assert view.toPlainText() == session.data.revision.text
    assert window.article.title.text() == "A short article"
    assert "harbour" not in view.toPlainText()
    assert "harbour" not in view.toPlainText()
    assert claim_highlights(view) == {"short one"}


def test_a_review_that_cannot_be_read_leaves_the_open_one_shown(
    make_window, db_path, qtbot, monkeypatch
):
    from reviewapp.core.errors import ReviewAppError
    from reviewapp.ui import session as session_module

    big, small = big_and_small(db_path)
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(small)
    qtbot.waitUntil(lambda: session.review_id == small and not view.loading)
    errors: list[str] = []
    session.errorRaised.connect(errors.append)

    def unreadable(_store, _review_id):
        raise ReviewAppError("the library could not be read")

    monkeypatch.setattr(session_module, "_read_review", unreadable)  # the text still reads
    arrived: list[int] = []
    session.revisionArriving.connect(lambda review_id, _rev: arrived.append(review_id))
    session.open_review(big)
    qtbot.waitUntil(lambda: bool(errors) and session.loading_id is None)
    assert arrived == [big] and errors == ["the library could not be read"]
    assert session.review_id == small and not view.preview
    assert view.toPlainText() == session.data.revision.text
    assert window.article.title.text() == "A short article"
    assert "harbour" not in view.toPlainText()
