"""Each pane's Qt model, without a window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from reviewapp.core.errors import BadInput
from reviewapp.core.model import Takeaway
from reviewapp.ui.models import ID_ROLE, RECORD_ROLE, STATUS_ROLE, SUBTITLE_ROLE
from reviewapp.ui.models.claims import NUMBER, QUOTE, SOURCES, STATUS, ClaimsModel
from reviewapp.ui.models.library import LibraryModel, short_date
from reviewapp.ui.models.sources import CLAIMS, SourcesModel
from reviewapp.ui.models.takeaways import KIND, TEXT, TakeawaysModel
from tests.conftest import make_draft

ROOT = QModelIndex()


@pytest.fixture
def library(store, qapp):
    for n in range(450):
        store.add_article(make_draft([f"Paragraph number {n} about topic{n % 3}."], f"Draft {n}"))
    return LibraryModel(store)


def test_library_loads_the_first_batch_only_and_fetches_more_on_demand(library):
    library.set_filter()
    assert library.total == 450
    assert library.rowCount() == LibraryModel.BATCH
    assert library.canFetchMore(ROOT)
    library.fetchMore(ROOT)
    library.fetchMore(ROOT)
    assert library.rowCount() == 450
    assert not library.canFetchMore(ROOT)


def test_library_rows_show_title_status_claims_and_last_change(library, store):
    library.set_filter()
    index = library.index(0)
    review_id = index.data(ID_ROLE)
    store.add_claim_by_quote(review_id, "Paragraph number")
    library.reload()
    index = library.index(0)
    assert index.data(Qt.ItemDataRole.DisplayRole).startswith("Draft ")
    assert index.data(STATUS_ROLE) == "in-review"
    assert "In review · 1 claim, 1 unchecked · " in index.data(SUBTITLE_ROLE)
    # The row the delegate draws and the pane hands on is the review as the store has it.
    assert index.data(RECORD_ROLE) == store.list_reviews(limit=1)[0]


def test_library_search_uses_the_full_text_index_and_status_filter(library):
    library.set_filter(query="topic1")
    assert library.total == 150
    library.set_filter(query="topic1", status="in-review")
    assert library.total == 0


def test_library_rejects_an_empty_search_without_losing_its_rows(library):
    library.set_filter()
    with pytest.raises(BadInput):
        library.set_filter(query="!!!")
    assert library.rowCount() == LibraryModel.BATCH


def test_claims_model_lists_number_status_quote_and_sources(store, qapp):
    review_id = store.add_article(make_draft(["Alpha beta gamma. Delta epsilon."]))
    store.add_claim_by_quote(review_id, "Delta epsilon", status="false", correction="Zeta")
    first = store.add_claim_by_quote(review_id, "Alpha beta", status="verified")
    store.add_source(review_id, [first.id], url="https://example.org/a", title="A")
    model = ClaimsModel()
    model.set_claims(store.claims(review_id))
    assert model.rowCount() == 2
    assert model.index(0, NUMBER).data() == "1"
    assert model.index(0, QUOTE).data() == "“Alpha beta”"
    assert model.index(0, STATUS).data() == "Verified"
    assert model.index(0, STATUS).data(Qt.ItemDataRole.DecorationRole) == QColor("#7fd49a")
    assert model.index(0, SOURCES).data() == "1"
    assert model.index(1, QUOTE).data() == "“Delta epsilon” ✎"  # has a correction
    assert model.row_of(first.id) == 0


def test_sources_model_shows_the_claims_each_source_supports(store, qapp):
    review_id = store.add_article(make_draft(["Alpha beta gamma. Delta epsilon."]))
    one = store.add_claim_by_quote(review_id, "Alpha beta")
    two = store.add_claim_by_quote(review_id, "Delta epsilon")
    store.add_source(review_id, [two.id, one.id], url="https://example.org/a")
    model = SourcesModel()
    model.set_sources(store.sources(review_id), {one.id: 1, two.id: 2})
    assert model.index(0, 0).data() == "https://example.org/a"
    assert model.index(0, CLAIMS).data() == "1, 2"


def test_takeaways_model_edits_go_through_the_callback(qapp):
    edits = []
    model = TakeawaysModel(lambda t, field, value: edits.append((t.id, field, value)))
    model.set_takeaways(
        [Takeaway(7, 1, "First", "summary", 0), Takeaway(8, 1, "Second", "concern", 1)]
    )
    assert model.index(1, KIND).data() == "Concern"
    assert model.index(1, TEXT).data() == "Second"
    assert model.flags(model.index(0, TEXT)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(0, TEXT), "First, reworded")
    assert model.setData(model.index(0, KIND), "follow-up")
    assert not model.setData(model.index(1, TEXT), "Second")  # unchanged: no edit
    assert edits == [(7, "text", "First, reworded"), (7, "kind", "follow-up")]


def test_tooltips_name_the_stable_id_and_when_a_takeaway_was_written(store, qapp):
    review_id = store.add_article(make_draft(["Alpha beta gamma. Delta epsilon."]))
    claim = store.add_claim_by_quote(review_id, "Alpha beta")
    source = store.add_source(review_id, [claim.id], url="https://example.org/a")
    takeaway = store.add_takeaway(review_id, "Check alpha")
    claims, sources, takeaways = ClaimsModel(), SourcesModel(), TakeawaysModel(None)
    claims.set_claims(store.claims(review_id))
    sources.set_sources(store.sources(review_id), {claim.id: 1})
    takeaways.set_takeaways(store.takeaways(review_id))
    tip = Qt.ItemDataRole.ToolTipRole
    assert f"(id {claim.stable_id})" in claims.index(0, QUOTE).data(tip).splitlines()[0]
    assert sources.index(0, 0).data(tip).splitlines()[-1] == f"id {source.stable_id}"
    written = short_date(takeaway.created_at)
    assert (
        takeaways.index(0, TEXT).data(tip).endswith(f"id {takeaway.stable_id} · written {written}")
    )
