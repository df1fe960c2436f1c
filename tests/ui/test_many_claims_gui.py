"""A review of 10,000 claims opens whole: every claim listed, and the highlights on screen are
exactly the claims' passages, at the start and at the end of the article, whether or not the
text holds characters outside the BMP (which take two UTF-16 units in Qt)."""

from __future__ import annotations

import pytest

from reviewapp.store import NewClaim, ReviewStore
from tests.conftest import make_draft
from tests.ui.conftest import claim_highlights

CLAIMS = 10_000


def many_claims(db_path, opener: str) -> int:
    sentences = [f"Figure {n} grew by {n % 97} percent." for n in range(CLAIMS)]
    paragraphs = [" ".join(sentences[i : i + 10]) for i in range(0, CLAIMS, 10)]
    with ReviewStore(db_path) as store:
        review = store.add_article(make_draft([opener, *paragraphs], "Ten thousand claims"))
        store.add_claims(review, [NewClaim(quote=s) for s in sentences])
    return review


@pytest.mark.parametrize("opener", ["Plain figures.", "Figures 📈 and more 📉."])
def test_a_review_of_ten_thousand_claims_ends_up_fully_shown(make_window, db_path, qtbot, opener):
    review = many_claims(db_path, opener)
    window = make_window(synchronous=False)  # the reader runs on its own thread
    session, view = window.session, window.article.view
    session.open_review(review)
    # The text, then the claims, then (a turn later, for so many) their highlights arrive.
    qtbot.waitUntil(
        lambda: session.review_id == review and not view.loading and bool(claim_highlights(view)),
        timeout=30_000,
    )

    assert view.toPlainText() == session.data.revision.text
    assert window.claims.model.rowCount() == CLAIMS
    assert session.status_text().startswith(f"{CLAIMS} claims, {CLAIMS} unchecked")
    quotes = {c.quote for c in session.data.claims}
    top = claim_highlights(view)
    assert "Figure 0 grew by 0 percent." in top and top <= quotes
    last = session.data.claims[-1]
    session.activate_claim(last.id)  # the article scrolls to it
    qtbot.waitUntil(lambda: last.quote in claim_highlights(view))
    assert claim_highlights(view) <= quotes
