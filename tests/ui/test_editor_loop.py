"""The whole loop as an editor works it: import, claim, status, source, takeaway, reopen, export."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewapp.ui.dialogs.add_source import AddSourceDialog
from tests.ui.conftest import select_quote
from tests.ui.shown import errors_shown, shown_dialog

SENTENCE = "This intervention does not exist in a vacuum."


def test_the_editor_loop_from_import_to_markdown(make_window, qtbot, tmp_path):
    window = make_window()
    assert window.library.stack.currentIndex() == 0  # the empty library offers the sample
    qtbot.mouseClick(window.library.sample_button, Qt.MouseButton.LeftButton)
    assert window.session.data is not None, errors_shown(window)
    assert window.library.model.rowCount() == 1

    select_quote(window, SENTENCE)
    window.action_set["claim.add"].trigger()
    claim = window.session.current_claim()
    assert claim is not None and claim.quote == SENTENCE
    assert window.claims.model.rowCount() == 1

    combo = window.claims.status
    combo.setCurrentIndex(combo.findData("partly-true"))
    combo.activated.emit(combo.currentIndex())
    assert window.session.current_claim().status == "partly-true"
    qtbot.keyClicks(window.claims.note, "Anthropic's own statements say so.")
    qtbot.keyClicks(window.claims.correction, "This intervention has context.")
    window.claims.correction.flush()

    dialog = window.open_add_source()
    dialog.form.lines["url"].setText("https://www.anthropic.com/news")
    dialog.form.lines["title"].setText("Anthropic newsroom")
    dialog.form.credibility.set_key("credible")
    assert dialog.link.currentText() == "Supports claim 1"
    dialog.accept()
    assert [s.title for s in window.session.data.sources] == ["Anthropic newsroom"]
    assert window.session.current_claim().source_ids == [window.session.data.sources[0].id]

    window.tabs.setCurrentIndex(2)
    qtbot.keyClicks(window.takeaways.text, "The framing overstates Amazon's role.")
    qtbot.keyClick(window.takeaways.text, Qt.Key.Key_Return)
    assert [t.text for t in window.session.data.takeaways] == [
        "The framing overstates Amazon's role."
    ]
    assert window.summary.text() == "1 claim, 0 unchecked, 1 correction · saved"
    window.close()

    again = make_window()  # the review open at quit opens again, selected in the library
    assert again.library.list.currentIndex().row() == 0
    data = again.session.data
    assert data is not None
    (claim,) = data.claims
    assert (claim.quote, claim.status) == (SENTENCE, "partly-true")
    assert claim.note == "Anthropic's own statements say so."
    assert claim.correction == "This intervention has context."
    assert data.sources[0].credibility == "credible" and data.sources[0].claim_ids == [claim.id]
    assert data.takeaways[0].text == "The framing overstates Amazon's role."

    out = tmp_path / "review.md"
    again.export_to(out)
    markdown = out.read_text(encoding="utf-8")
    assert SENTENCE.rstrip(".") in markdown
    assert "Anthropic newsroom" in markdown and "https://www.anthropic.com/news" in markdown
    assert "The framing overstates Amazon" in markdown
    assert "This intervention has context." in markdown
    assert "Exported review.md" in again.statusBar().currentMessage()


def test_sources_pane_edits_every_field_in_place_and_links_claims(sample_window):
    window = sample_window
    select_quote(window, SENTENCE)
    window.action_set["claim.add"].trigger()
    claim = window.session.current_claim()
    window.action_set["source.add"].trigger()
    dialog = shown_dialog(window, AddSourceDialog)
    dialog.form.lines["title"].setText("Annual report")
    dialog.link.set_key("")  # Not linked
    dialog.accept()
    pane = window.sources
    source = window.session.data.sources[0]
    pane.select(source.id)
    assert pane.detail_stack.currentIndex() == 1
    values = {
        "url": "https://example.org/report",
        "publisher": "Example Corp",
        "author": "A. Writer",
        "published": "2024-03-27",
        "accessed_at": "2026-11-27",
        "archive_url": "https://web.archive.org/web/2024/https://example.org/report",
        "archive_date": "2024-03-28",
    }
    for field, value in values.items():
        pane.form.lines[field].setText(value)
        pane.form.lines[field].editingFinished.emit()
    pane.form.kind.chosen.emit("primary")
    pane.form.credibility.chosen.emit("uncertain")
    pane.note.setPlainText("Page 12 has the figure.")
    pane.note.flush()
    pane.claims.item_for(claim.id).setCheckState(Qt.CheckState.Checked)
    stored = window.session.store.source(source.id)
    assert {f: getattr(stored, f) for f in values} == values
    assert (stored.kind, stored.credibility, stored.note) == (
        "primary",
        "uncertain",
        "Page 12 has the figure.",
    )
    assert stored.claim_ids == [claim.id]
    assert window.claims.sources.item_for(source.id).checkState() == Qt.CheckState.Checked
    pane.form.lines["url"].setText("not a url")
    pane.form.lines["url"].editingFinished.emit()
    assert errors_shown(window) == ["The address must start with http:// or https://."]
    assert pane.form.lines["url"].text() == "https://example.org/report"
    window.action_set["source.delete"].trigger()
    assert window.session.store.sources(window.session.review_id) == []
    window.action_set["edit.undo"].trigger()
    assert window.session.store.source(source.id).claim_ids == [claim.id]


def test_takeaways_are_edited_in_place_reordered_and_deleted(sample_window, qtbot):
    window = sample_window
    pane = window.takeaways
    for text in ("First point.", "Second point."):
        qtbot.keyClicks(pane.text, text)
        qtbot.keyClick(pane.text, Qt.Key.Key_Return)
    store, review_id = window.session.store, window.session.review_id
    assert [t.text for t in store.takeaways(review_id)] == ["First point.", "Second point."]
    pane.model.setData(pane.model.index(0, 1), "First point, reworded.")
    pane.model.setData(pane.model.index(0, 0), "concern")
    pane.select(store.takeaways(review_id)[1].id)
    window.action_set["takeaway.up"].trigger()
    assert [(t.text, t.kind) for t in store.takeaways(review_id)] == [
        ("Second point.", "summary"),
        ("First point, reworded.", "concern"),
    ]
    window.action_set["takeaway.delete"].trigger()  # the selected one: "Second point."
    assert [t.text for t in store.takeaways(review_id)] == ["First point, reworded."]
    window.action_set["edit.undo"].trigger()
    assert store.takeaways(review_id)[0].text == "Second point."
