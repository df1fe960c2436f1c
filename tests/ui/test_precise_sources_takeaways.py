"""Source edits, links, takeaways and a claim's new place update the one row they touch: the
Qt models change rows (dataChanged, rowsInserted, rowsRemoved) instead of being refilled, the
review is not read again, and undo/redo puts every pane back."""

from __future__ import annotations

from reviewapp.store import ReviewStore
from reviewapp.ui import commands
from tests.ui.conftest import select_quote
from tests.ui.test_precise_updates import Calls, open_with_claims

READS = ("load_review", "claims", "sources", "takeaways")


class Watched:
    """What a model announced: resets, rows in and out, changed rows."""

    def __init__(self, model):
        self.resets: list[int] = []
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int]] = []
        model.modelReset.connect(lambda: self.resets.append(1))
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))
        model.rowsRemoved.connect(lambda _p, first, last: self.removed.append((first, last)))
        model.dataChanged.connect(
            lambda top, bottom, _roles: self.changed.append((top.row(), bottom.row()))
        )


def same_as_stored(session) -> bool:
    """The review shown is the review stored (read on a connection of the test's own, so
    that the reads counted by Calls are the window's)."""
    with ReviewStore(session.store.path) as store:
        return session.data == store.load_review(session.review_id)


def with_a_source(window):
    session = window.session
    first, second = sorted(open_with_claims(window), key=lambda c: c.start)
    session.push(
        commands.AddSource(
            session, session.review_id, {first.id: "supports"}, {"title": "Port records"}
        )
    )
    return first, second, session.data.sources[0]


def test_editing_a_source_changes_its_row_and_form_only_and_undo_takes_it_back(
    sample_window, monkeypatch
):
    window = sample_window
    session = window.session
    _first, _second, source = with_a_source(window)
    window.tabs.setCurrentIndex(1)
    window.sources.select(source.id)
    calls = Calls(monkeypatch, session.store, READS)
    model = Watched(window.sources.model)

    window.sources.form.lines["title"].setText("Harbour records")
    window.sources.form.lines["title"].editingFinished.emit()

    assert window.sources.model.index(0, 0).data() == "Harbour records"
    assert model.changed == [(0, 0)] and model.resets == [] and model.inserted == []
    assert session.store.source(source.id).title == "Harbour records"
    # The claim's list of sources names it by its new title too.
    session.activate_claim(source.claim_ids[0])
    window.tabs.setCurrentIndex(0)
    links = window.claims.sources.list
    assert [links.item(i).text() for i in range(links.count())] == ["Harbour records — supports"]

    window.action_set["edit.undo"].trigger()
    assert window.sources.model.index(0, 0).data() == "Port records"
    assert [links.item(i).text() for i in range(links.count())] == ["Port records — supports"]
    window.action_set["edit.redo"].trigger()
    assert window.sources.model.index(0, 0).data() == "Harbour records"
    assert model.resets == [] and calls.counts == dict.fromkeys(READS, 0)
    assert same_as_stored(session)


def test_linking_and_unlinking_update_the_claim_row_and_the_source_row_without_a_reload(
    sample_window, monkeypatch
):
    window = sample_window
    session = window.session
    first, second, source = with_a_source(window)
    session.activate_claim(second.id)
    calls = Calls(monkeypatch, session.store, READS)
    claims, sources = Watched(window.claims.model), Watched(window.sources.model)
    claims_model, sources_model = window.claims.model, window.sources.model

    def cells() -> tuple[str, str, str]:
        window.tabs.setCurrentIndex(1)  # the Sources tab, as the editor would look
        source_cell = sources_model.index(0, 3).data()
        window.tabs.setCurrentIndex(0)
        return (
            claims_model.index(claims_model.row_of(first.id), 4).data(),
            claims_model.index(claims_model.row_of(second.id), 4).data(),
            source_cell,
        )

    assert cells() == ("1", "–", "1")
    window.claims.sources.choose(source.id, "refutes")  # as the editor ticks it
    assert cells() == ("1", "1 ✗1", "1, ✗2")
    assert claims.changed[-1] == (claims_model.row_of(second.id),) * 2
    assert sources.changed[-1] == (0, 0)
    assert same_as_stored(session)

    session.activate_claim(first.id)
    window.claims.sources.choose(source.id, "")  # unlinked
    assert cells() == ("–", "1 ✗1", "✗2")
    assert same_as_stored(session)

    window.action_set["edit.undo"].trigger()
    assert cells() == ("1", "1 ✗1", "1, ✗2")
    window.action_set["edit.undo"].trigger()
    assert cells() == ("1", "–", "1")
    window.action_set["edit.redo"].trigger()
    assert cells() == ("1", "1 ✗1", "1, ✗2")
    assert same_as_stored(session)
    assert claims.resets == sources.resets == []
    assert calls.counts == dict.fromkeys(READS, 0)


def test_deleting_a_source_removes_its_row_and_its_links_and_undo_brings_both_back(
    sample_window, monkeypatch
):
    window = sample_window
    session = window.session
    first, _second, source = with_a_source(window)
    window.tabs.setCurrentIndex(1)
    window.sources.select(source.id)
    calls = Calls(monkeypatch, session.store, READS)
    sources = Watched(window.sources.model)
    claims_model = window.claims.model

    window.action_set["source.delete"].trigger()
    assert sources.removed == [(0, 0)] and window.sources.model.rowCount() == 0
    assert claims_model.index(claims_model.row_of(first.id), 4).data() == "–"
    assert same_as_stored(session)

    window.action_set["edit.undo"].trigger()
    assert sources.inserted == [(0, 0)]
    assert claims_model.index(claims_model.row_of(first.id), 4).data() == "1"
    assert session.claim(first.id).source_ids == [source.id]
    assert same_as_stored(session)
    assert sources.resets == [] and calls.counts == dict.fromkeys(READS, 0)


def test_takeaways_added_edited_moved_and_deleted_change_rows_not_the_whole_list(
    sample_window, monkeypatch
):
    window = sample_window
    session = window.session
    pane = window.takeaways
    for text in ("First point.", "Second point.", "Third point."):
        pane.text.setText(text)
        pane.add_from_field()
    calls = Calls(monkeypatch, session.store, READS)
    rows = Watched(pane.model)

    def texts() -> list[str]:
        return [pane.model.index(r, 1).data() for r in range(pane.model.rowCount())]

    pane.text.setText("Fourth point.")
    pane.add_from_field()
    assert rows.inserted == [(3, 3)]
    assert texts() == ["First point.", "Second point.", "Third point.", "Fourth point."]

    pane.model.setData(pane.model.index(1, 1), "Second point, reworded.")
    assert rows.changed[-1] == (1, 1)
    assert texts()[1] == "Second point, reworded."

    pane.select(session.data.takeaways[3].id)
    pane.move_current(-1)  # Fourth moves above Third
    assert texts() == ["First point.", "Second point, reworded.", "Fourth point.", "Third point."]
    assert pane.current().text == "Fourth point."  # the moved one stays selected
    assert same_as_stored(session)

    pane.select(session.data.takeaways[0].id)
    pane.delete_current()
    assert rows.removed == [(0, 0)]
    assert texts() == ["Second point, reworded.", "Fourth point.", "Third point."]
    assert same_as_stored(session)

    for _ in range(4):  # the delete, the move, the edit, the add
        window.action_set["edit.undo"].trigger()
        assert same_as_stored(session)
    assert texts() == ["First point.", "Second point.", "Third point."]
    for _ in range(4):
        window.action_set["edit.redo"].trigger()
    assert texts() == ["Second point, reworded.", "Fourth point.", "Third point."]
    assert same_as_stored(session)
    assert rows.resets == [] and calls.counts == dict.fromkeys(READS, 0)


def test_reattaching_a_claim_moves_its_row_to_its_new_place_and_undo_moves_it_back(
    sample_window, monkeypatch
):
    window = sample_window
    session = window.session
    first, second = sorted(open_with_claims(window), key=lambda c: c.start)
    calls = Calls(monkeypatch, session.store, READS)
    rows = Watched(window.claims.model)
    model = window.claims.model
    # A passage after the second claim: the first claim becomes the last.
    text = session.data.revision.text
    later = text.index(" ", second.end + 40) + 1
    span = (later, text.index(" ", later + 10))

    session.push(commands.ReattachClaim(session, first, *span))
    assert [model.claim_at(r).id for r in range(model.rowCount())] == [second.id, first.id]
    assert session.claim(first.id).number == 2 and session.claim(second.id).number == 1
    assert session.claim(first.id).start == span[0]
    assert rows.removed and rows.inserted and rows.resets == []
    assert same_as_stored(session)

    window.action_set["edit.undo"].trigger()
    assert [model.claim_at(r).id for r in range(model.rowCount())] == [first.id, second.id]
    assert session.claim(first.id).start == first.start
    assert same_as_stored(session)
    assert rows.resets == []
    # Only the claim itself is read back (claim_by_id), never the whole review.
    assert calls.counts == dict.fromkeys(READS, 0)
    select_quote(window, "Amazon")  # the article view still selects by the new places
