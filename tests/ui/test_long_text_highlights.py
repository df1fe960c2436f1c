"""On a long text only the highlights near the viewport are set, however few the claims
(Qt measures every extra selection it is given: on a 1,000,000-word article, 300 of them
spread over it took half a second a call); moving to a claim far away highlights it."""

from __future__ import annotations

from reviewapp.store import ReviewStore
from reviewapp.ui.panes import article
from tests.conftest import make_draft
from tests.ui.conftest import claim_highlights

PARAGRAPHS = [f"Paragraph {n} says the harbour claim{n:04d} held in spring." for n in range(1500)]


def test_a_long_text_highlights_the_claims_near_the_view_only(
    make_window, db_path, qtbot, monkeypatch
):
    with ReviewStore(db_path) as store:
        review = store.add_article(make_draft(PARAGRAPHS, "A long article"))
        with store.transaction():
            for n in range(0, len(PARAGRAPHS), 100):  # 15 claims, far under ALL_HIGHLIGHTS_UP_TO
                store.add_claim_by_quote(review, f"claim{n:04d}")
    text_length = len("\n\n".join(PARAGRAPHS))
    assert text_length > 4 * article.VISIBLE_MARGIN
    monkeypatch.setattr(article, "ALL_HIGHLIGHTS_TEXT_UP_TO", text_length // 2)
    window = make_window(synchronous=False)
    session, view = window.session, window.article.view
    session.open_review(review)
    qtbot.waitUntil(lambda: session.review_id == review and not view.loading, timeout=20_000)

    assert "claim0000" in claim_highlights(view) and "claim1400" not in claim_highlights(view)
    last = session.data.claims[-1]
    assert last.quote == "claim1400"
    session.activate_claim(last.id)  # the view scrolls to it
    qtbot.waitUntil(lambda: "claim1400" in claim_highlights(view))
    assert "claim0000" not in claim_highlights(view)

    monkeypatch.setattr(article, "ALL_HIGHLIGHTS_TEXT_UP_TO", 10 * text_length)
    session.activate_claim(session.data.claims[0].id)  # a short text: every claim at once
    qtbot.waitUntil(lambda: len(claim_highlights(view)) == 15)
