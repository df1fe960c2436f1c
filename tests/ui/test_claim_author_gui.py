"""In the window, a claim made by hand or accepted from a suggestion records who made it (the
review's reviewer, else the Preferences name, as a dismissal does); undo and redo keep it."""

from __future__ import annotations

from reviewapp.core.coverage import Decision
from reviewapp.workflows.suggestions import coverage_for
from tests.ui.conftest import select_quote


def test_claims_made_in_the_window_name_their_editor(sample_window):
    window = sample_window
    session = window.session
    assert session.data.review.reviewer == ""  # so the Preferences name decides
    session.reviewer_default = "Bea Desk"
    s = next(s for s in window.suggestions.suggestions if "$4 billion" in s.text)
    window.article.view.show_span(s.start, s.start)
    window.action_set["suggestion.accept"].trigger()
    select_quote(window, "99.9% reliability")
    window.action_set["claim.add"].trigger()
    store = session.store
    assert [c.author for c in store.claims(session.review_id)] == ["Bea Desk", "Bea Desk"]
    found = coverage_for(store, session.review_id)
    claimed = next(x for x in found.suggestions if x.key == s.key)
    assert (claimed.decision, claimed.decided_by) == (Decision.CLAIMED, "Bea Desk")
    session.undo()
    session.undo()
    assert store.claims(session.review_id) == []
    session.redo()
    session.redo()
    assert [c.author for c in store.claims(session.review_id)] == ["Bea Desk", "Bea Desk"]
