"""The window keeps up with the library when another process writes to it (the CLI, a second
window): the list and the open review show the change, the editor keeps their place and their
typing, and is told the open review changed."""

from __future__ import annotations

from reviewapp.store import ReviewStore
from tests.conftest import make_draft
from tests.ui.conftest import select_quote

FIRST = "suspended global access to two specific model versions"
SECOND = "has committed $4 billion"


def _watched(window, qtbot) -> None:
    """Wait for the window's own poll (once a second) to notice the other process."""
    qtbot.waitUntil(lambda: "elsewhere" in window.statusBar().currentMessage(), timeout=3000)


def test_another_process_adds_a_review_and_a_claim_and_the_typing_survives(
    sample_window, db_path, qtbot
):
    window = sample_window
    select_quote(window, FIRST)
    window.action_set["claim.add"].trigger()
    mine = window.session.current_claim()
    review_id = window.session.review_id
    window.article.view.verticalScrollBar().setValue(200)
    scrolled = window.article.view.verticalScrollBar().value()
    window.claims.note.setFocus()
    qtbot.keyClicks(window.claims.note, "Checked with the company")  # not yet written

    with ReviewStore(db_path) as other:  # the CLI or a second window, in its own connection
        other.add_article(make_draft(["A second draft arrives from elsewhere."], title="Other"))
        theirs = other.add_claim_by_quote(review_id, SECOND, note="added by a colleague")
    # The poll, at once: the note's own pause (its write would show the claim, unannounced)
    # must not come first.
    assert window.watcher.check() is True

    assert window.library.model.rowCount() == 2
    assert window.session.review_id == review_id  # still the review the editor had open
    model = window.claims.model
    assert [model.claim_at(row).quote for row in range(model.rowCount())] == [FIRST, SECOND]
    assert window.session.claim(theirs.id).note == "added by a colleague"
    assert window.session.current_claim_id == mine.id  # and the same claim
    assert window.claims.list.currentIndex().row() == 0
    assert window.claims.note.toPlainText() == "Checked with the company"
    assert window.article.view.verticalScrollBar().value() == scrolled
    assert "This review was changed elsewhere" in window.statusBar().currentMessage()
    window.session.flush()
    with ReviewStore(db_path) as other:
        assert other.claim_by_id(mine.id).note == "Checked with the company"


def test_a_change_to_another_review_updates_the_list_and_says_nothing(
    sample_window, db_path, qtbot
):
    window = sample_window
    with ReviewStore(db_path) as other:
        other_id = other.add_article(make_draft(["Some text of another draft."], title="Other"))
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 2, timeout=3000)
    with ReviewStore(db_path) as other:
        other.set_review(other_id, reviewer="Bo")
    assert window.watcher.check() is True
    assert "elsewhere" not in window.statusBar().currentMessage()


def test_the_open_review_deleted_elsewhere_is_closed_with_a_word(sample_window, db_path, qtbot):
    window = sample_window
    review_id = window.session.review_id
    with ReviewStore(db_path) as other:
        other.delete_review(review_id)
    _watched(window, qtbot)
    assert window.session.data is None
    assert window.library.model.rowCount() == 0
    assert f"Review {review_id} was deleted elsewhere" in window.statusBar().currentMessage()


def test_the_windows_own_edits_are_not_news(sample_window, qtbot):
    window = sample_window
    select_quote(window, FIRST)
    window.action_set["claim.add"].trigger()
    assert window.watcher.check() is False
