"""Newer drafts in the GUI: import a revision (file, URL, paste), the claims' anchor states and
old/new wording, Confirm / Keep as Orphaned, the same-address offer, and Compare Drafts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl

from reviewapp.core.gate import GateRule, gate_problems
from reviewapp.ui.dialogs.diff_view import DiffDialog
from reviewapp.ui.dialogs.new_revision import NewRevisionDialog
from reviewapp.ui.models.claims import ANCHOR
from tests.conftest import SAMPLE, file_digest
from tests.ui.conftest import select_quote
from tests.ui.shown import shown_dialog

QUOTE = "has committed $4 billion"


def write_corrected_sample(tmp_path: Path) -> Path:
    """The sample draft with one figure corrected, as the writer would send it back."""
    path = tmp_path / "second-draft.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8").replace("$4 billion", "$8 billion"))
    return path


def claim_on_sample(window, status: str = "false"):
    select_quote(window, QUOTE)
    window.action_set["claim.add"].trigger()
    window.action_set[f"claim.status.{status}"].trigger()
    return window.session.current_claim()


def anchoring_problem(window):
    problems = gate_problems(window.session.data)
    return next((p for p in problems if p.kind is GateRule.ANCHORING), None)


def import_revision_from_file(window, path: Path):
    dialog = window.revisions.open_new_revision()
    dialog.sources.setCurrentIndex(0)
    dialog.path.setText(str(path))
    dialog.begin()
    return dialog


def test_a_corrected_figure_needs_confirmation_with_both_wordings(sample_window, tmp_path):
    window = sample_window
    claim = claim_on_sample(window)
    dialog = import_revision_from_file(window, write_corrected_sample(tmp_path))

    # The summary says where every claim landed and lists the one to settle.
    assert dialog.pages.currentIndex() == 1, dialog.error.text()
    assert "Now on revision 2" in dialog.headline.text()
    assert "1 needs confirmation" in dialog.badges["needs-confirmation"].text()
    assert "0 orphaned" in dialog.badges["orphaned"].text()
    item = dialog.unsettled.item(0).text()
    assert "Claim 1 · Needs confirmation" in item
    assert "$4 billion" in item and "$8 billion" in item
    assert "Now on revision 2" in window.statusBar().currentMessage()

    data = window.session.data
    assert data.revision.number == 2
    assert "$8 billion" in window.article.view.toPlainText()
    pane = window.claims
    assert pane.model.index(0, ANCHOR).data().endswith("Needs confirmation")

    dialog.unsettled.itemClicked.emit(dialog.unsettled.item(0))  # shows the claim
    assert window.session.current_claim_id == claim.id
    assert pane.anchor_box.isVisible() and pane.wording.isVisible()
    assert "Needs confirmation" in pane.anchor.text()
    assert "4" in pane.checked_words.text() and "line-through" in pane.checked_words.text()
    assert "8" in pane.now_words.text() and "$4" not in pane.now_words.text()
    assert anchoring_problem(window).claim_numbers == (1,)  # the gate lists it

    pane.confirm_anchor.click()
    store = window.session.store
    confirmed = store.claim_by_id(claim.id)
    assert (confirmed.anchor_state, confirmed.quote) == ("anchored", "has committed $8 billion")
    assert not pane.anchor_box.isVisible()
    assert pane.model.index(0, ANCHOR).data().endswith("Anchored")
    assert anchoring_problem(window) is None  # and no longer


def test_importing_a_revision_is_undone_and_redone_in_one_step(sample_window, tmp_path):
    window = sample_window
    claim = claim_on_sample(window)
    store = window.session.store
    article_id = window.session.data.review.article_id
    import_revision_from_file(window, write_corrected_sample(tmp_path))
    assert window.action_set["edit.undo"].text().startswith("&Undo Import new revision")

    window.action_set["edit.undo"].trigger()
    back = store.claim_by_id(claim.id)
    assert window.session.data.revision.number == 1
    assert (back.quote, back.anchor_state, back.previous_quote) == (QUOTE, "anchored", "")
    assert [r.number for r in store.revisions(article_id)] == [1]  # the revision is gone
    assert "$4 billion" in window.article.view.toPlainText()

    window.action_set["edit.redo"].trigger()
    again = store.claim_by_id(claim.id)
    assert window.session.data.revision.number == 2
    assert (again.anchor_state, again.previous_quote) == ("needs-confirmation", QUOTE)


def test_a_deleted_sentence_orphans_its_claim_which_stays_listed_without_highlight(
    make_window, tmp_path
):
    first = tmp_path / "v1.txt"
    first.write_text(
        "Budget vote\n\nThe council approved the budget on Tuesday.\n\n"
        "Officials said the plan adds forty new buses.\n\nCritics objected to the fare rise.\n"
    )
    window = make_window()
    window.importer.import_path(first)
    select_quote(window, "adds forty new buses")
    window.action_set["claim.add"].trigger()
    claim = window.session.current_claim()
    import_revision_from_file(
        window,
        _write(
            tmp_path / "v2.txt",
            "Budget vote\n\n"
            "The council approved the budget on Tuesday.\n\n"
            "Critics objected to the fare rise.\n",
        ),
    )
    assert (
        shown_dialog(window, NewRevisionDialog).badges["orphaned"].text().startswith("✖ 1 orphaned")
    )
    pane = window.claims
    assert pane.model.rowCount() == 1  # never deleted
    assert pane.model.index(0, ANCHOR).data().endswith("Orphaned")
    assert all(span[2] != claim.id for span in window.article.view._spans)  # no highlight
    window.session.activate_claim(claim.id)
    assert "not in this draft" in pane.anchor.text()
    assert pane.confirm_anchor.isHidden() and pane.keep_orphaned.isHidden()
    assert not pane.reattach.isHidden()


def test_keep_as_orphaned_takes_a_note_and_is_undoable(sample_window, tmp_path):
    window = sample_window
    claim = claim_on_sample(window)
    import_revision_from_file(window, write_corrected_sample(tmp_path))
    window.session.activate_claim(claim.id)
    ask = window.claims.keep_current_orphaned()
    ask.setTextValue("the figure is now a different claim; checked separately")
    ask.accept()
    store = window.session.store
    kept = store.claim_by_id(claim.id)
    assert kept.anchor_state == "orphaned" and kept.start is None
    assert kept.quote == QUOTE  # its verdict was about these words
    assert kept.note.endswith("checked separately")
    assert all(span[2] != claim.id for span in window.article.view._spans)

    window.action_set["edit.undo"].trigger()
    back = store.claim_by_id(claim.id)
    assert (back.anchor_state, back.quote, back.note) == (
        "needs-confirmation",
        "has committed $8 billion",
        "",
    )
    assert any(span[2] == claim.id for span in window.article.view._spans)


def test_a_revision_from_pasted_text(sample_window):
    window = sample_window
    claim_on_sample(window)
    dialog = window.revisions.open_new_revision()
    dialog.sources.setCurrentIndex(2)
    dialog.begin()
    assert "paste the new draft" in dialog.error.text()  # nothing pasted yet
    dialog.paste.setPlainText(SAMPLE.read_text(encoding="utf-8").replace("$4", "$8"))
    dialog.begin()
    assert dialog.pages.currentIndex() == 1, dialog.error.text()
    assert window.session.data.revision.number == 2


def test_a_revision_from_a_web_address_is_fetched_off_the_gui_thread_and_can_be_cancelled(
    make_window, qtbot, recording_server, tmp_path
):
    pages: dict = {}
    base, _requests = recording_server(pages)
    pages["/slow.html"] = ("slow", b"")
    pages["/v2.html"] = ("delay:text/html; charset=utf-8", _page("$8 billion"))
    window = make_window(synchronous=False)
    window.importer.import_path(_write(tmp_path / "v1.html", _page("$4 billion").decode()))
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=10000)
    select_quote(window, "committed $4 billion")
    window.action_set["claim.add"].trigger()
    db = window.session.store.path

    dialog = window.revisions.open_new_revision()
    dialog.sources.setCurrentIndex(1)
    dialog.url.setText(f"{base}/slow.html")
    before = file_digest(db)
    dialog.begin()
    assert dialog.busy and not dialog.progress.isHidden()
    dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert window.session.data.revision.number == 1
    assert file_digest(db) == before

    dialog = window.revisions.open_new_revision()
    dialog.sources.setCurrentIndex(1)
    dialog.url.setText(f"{base}/v2.html")
    dialog.begin()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10000)
    # The review on its new draft is read on the reader's thread: shown when it arrives.
    qtbot.waitUntil(lambda: window.session.data.revision.number == 2, timeout=10000)
    moved = window.session.data.claims[0]
    assert (moved.quote, moved.previous_quote) == ("committed $8 billion", "committed $4 billion")
    assert moved.anchor_state == "needs-confirmation"


def test_bad_input_for_a_revision_is_a_message_and_writes_nothing(sample_window, tmp_path):
    window = sample_window
    claim_on_sample(window)
    db = window.session.store.path
    before = file_digest(db)
    empty = _write(tmp_path / "empty.txt", "")
    dialog = import_revision_from_file(window, empty)
    assert dialog.error.isVisible() and "\n" not in dialog.error.text()
    assert dialog.pages.currentIndex() == 0
    dialog.url.setText("not a web address")
    dialog.sources.setCurrentIndex(1)
    dialog.begin()
    assert "is not a web address" in dialog.error.text()
    assert file_digest(db) == before
    assert window.session.data.revision.number == 1


def test_a_draft_with_the_address_of_an_earlier_article_is_offered_as_its_revision(
    make_window, tmp_path
):
    window = make_window()
    window.importer.import_path(_write(tmp_path / "a.html", _page("$4 billion").decode()))
    first_id = window.session.review_id
    select_quote(window, "committed $4 billion")
    window.action_set["claim.add"].trigger()
    bar = window.revisions.offer_bar
    assert bar.isHidden()  # nothing else has this address

    window.importer.import_path(_write(tmp_path / "b.html", _page("$8 billion").decode()))
    second_id = window.session.review_id
    assert second_id != first_id
    assert bar.isVisible() and f"review {first_id}" in bar.text.text()
    bar.accept_button.click()
    store = window.session.store
    assert bar.isHidden()
    assert window.session.review_id == first_id
    assert window.session.data.revision.number == 2
    assert window.session.data.claims[0].anchor_state == "needs-confirmation"
    assert [s.id for s in store.list_reviews()] == [first_id]  # the extra review is in the bin

    window.action_set["edit.undo"].trigger()
    assert sorted(s.id for s in store.list_reviews()) == [first_id, second_id]
    assert store.load_review(first_id).revision.number == 1


def test_compare_drafts_marks_the_touched_claim_and_reads_old_revisions(
    sample_window, tmp_path, cli
):
    window = sample_window
    claim = claim_on_sample(window)
    import_revision_from_file(window, write_corrected_sample(tmp_path))
    window.session.activate_claim(0)
    window.action_set["view.compare"].trigger()
    diff = shown_dialog(window, DiffDialog)
    assert diff.from_combo.currentText().startswith("Revision 1")
    assert diff.to_combo.currentText().startswith("Revision 2 (current)")
    assert [c.kind for c in diff.changes] == ["changed"]
    assert "1 changed" in diff.summary.text() and "1 claim touched" in diff.summary.text()
    assert [c.id for c in diff.touched.by_change[0]] == [claim.id]
    shown = diff.view.toHtml()
    assert "Changed passage" in shown and "Claim 1" in shown and "line-through" in shown

    # The same facts as `reviewapp diff`.
    printed = cli("diff", claim.review_id).out
    assert "  claim 1 (needs confirmation) touched by changed passage" in printed
    assert cli_touched(printed) == dialog_touched(diff) == {(1, "changed")}

    diff.open_link(QUrl(f"claim:{claim.id}"))  # clicking the marker selects the claim
    assert window.session.current_claim_id == claim.id
    assert window.claims.list.currentIndex().row() == 0

    diff.tabs.setCurrentIndex(1)
    diff.read_combo.setCurrentIndex(0)
    assert "$4 billion" in diff.reader.toPlainText()
    assert diff.reader.isReadOnly() and "read-only" in diff.read_meta.text()

    diff.set_revisions(2, 1)  # backwards: the claims sit on the "from" side now
    assert [c.kind for c in diff.changes] == ["changed"]
    assert [c.id for c in diff.touched.by_change[0]] == [claim.id]


def test_import_revision_needs_an_open_editable_review(make_window):
    window = make_window()
    assert not window.action_set["file.import_revision"].isEnabled()
    assert not window.action_set["view.compare"].isEnabled()
    assert window.revisions.open_new_revision() is None


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _page(figure: str) -> bytes:
    """A small news page with a canonical address; only the figure differs between drafts."""
    return f"""<!doctype html><html><head><title>Amazon and Anthropic</title>
<link rel="canonical" href="https://news.example.org/amazon-anthropic"></head><body><article>
<h1>Amazon and Anthropic</h1>
<p>The relationship between tech giants and their AI investments reached a point of friction
this week, following reports about security concerns raised at the top of Amazon.</p>
<p>Amazon, which has committed {figure} to the startup, finds itself in a dual position as
both a major shareholder and a primary distributor of the models.</p>
<p>Analysts said the episode shows how closely investors now watch model safety decisions.</p>
</article></body></html>""".encode()


def test_reattaching_a_changed_claim_keeps_the_words_that_were_checked(sample_window, tmp_path):
    window = sample_window
    claim = claim_on_sample(window)
    import_revision_from_file(window, write_corrected_sample(tmp_path))
    window.session.set_current_claim(claim.id)
    select_quote(window, "committed $8 billion")
    window.claims.reattach_current()
    store = window.session.store
    moved = store.claim_by_id(claim.id)
    # The verdict was about "$4 billion": re-attaching to the new words keeps those on record.
    assert (moved.anchor_state, moved.quote) == ("anchored", "committed $8 billion")
    assert moved.previous_quote == QUOTE
    window.session.undo()
    back = store.claim_by_id(claim.id)
    assert (back.anchor_state, back.previous_quote) == ("needs-confirmation", QUOTE)


def test_the_passage_column_appears_once_a_claim_is_not_simply_anchored(sample_window, tmp_path):
    window = sample_window
    claim_on_sample(window)
    assert window.claims.list.isColumnHidden(ANCHOR)  # one draft: nothing to say
    import_revision_from_file(window, write_corrected_sample(tmp_path))
    assert not window.claims.list.isColumnHidden(ANCHOR)


# ---------------------------------------------------------------------- moved passages
def cli_touched(printed: str) -> set[tuple[int, str]]:
    """(claim number, kind of change) for every claim `reviewapp diff` says a change touches;
    kind "none" for a claim it says has no place."""
    found = set()
    for line in printed.splitlines():
        words = line.split()
        if line.startswith("  claim ") and " touched by " in line:
            found.add((int(words[1]), line.split(" touched by ")[1].split()[0]))
        elif line.startswith("  claim ") and " has no place in " in line:
            found.add((int(words[1]), "none"))
    return found


def dialog_touched(diff) -> set[tuple[int, str]]:
    """The same pairs as cli_touched, read from the Compare Drafts dialog."""
    found = {
        (c.number, diff.changes[i].kind) for i, cs in diff.touched.by_change.items() for c in cs
    }
    return found | {(c.number, "none") for c in diff.touched.placeless}


def sample_paragraphs() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").split("\n")


def write_reordered_sample(tmp_path: Path) -> Path:
    """The sample with the "Furthermore" paragraph moved up before "The relationship", the
    figure corrected and the "At the technical level" paragraph cut."""
    lines = sample_paragraphs()
    moving = next(k for k, x in enumerate(lines) if x.startswith("Furthermore"))
    paragraph = lines.pop(moving)
    lines.insert(
        next(k for k, x in enumerate(lines) if x.startswith("The relationship")), paragraph
    )
    lines = [
        x.replace(QUOTE, "has committed $8 billion")
        for x in lines
        if not x.startswith("At the technical level")
    ]
    path = tmp_path / "reordered.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_moved_paragraph_is_shown_once_as_moved_and_cli_and_gui_touch_the_same_claims(
    sample_window, tmp_path, cli
):
    window = sample_window
    claim_on_sample(window)
    technical = next(x for x in sample_paragraphs() if x.startswith("At the technical level"))
    for quote in ("Furthermore, this episode", technical[:40], "Looking ahead, the industry"):
        select_quote(window, quote)
        window.action_set["claim.add"].trigger()
    import_revision_from_file(window, write_reordered_sample(tmp_path))
    window.action_set["view.compare"].trigger()
    diff = shown_dialog(window, DiffDialog)

    kinds = [c.kind for c in diff.changes]
    assert kinds.count("moved") == 1 and "added" not in kinds
    assert kinds.count("removed") == 1  # the cut paragraph, not the moved one
    moved = next(c for c in diff.changes if c.kind == "moved")
    old, new = window.session.store.revisions(window.session.data.review.article_id)
    assert old.text[moved.old_start : moved.old_end].startswith("Furthermore")
    assert new.text[moved.new_start : moved.new_end] == old.text[moved.old_start : moved.old_end]
    assert not moved.edited
    shown = diff.view.toPlainText()
    assert shown.count("Moved passage") == 1 and "word for word" in shown
    assert "1 moved" in diff.summary.text()
    # Which claims each change touches: the one rule, so the CLI and the dialog agree.
    claims = window.session.store.claims(window.session.data.review.id)

    def number(words: str) -> int:
        return next(c.number for c in claims if words in c.quote or words in c.previous_quote)

    expected = {
        (number("has committed"), "changed"),
        (number("Furthermore"), "moved"),
        (number(technical[:40]), "none"),
    }
    printed = cli("diff", window.session.data.review.id).out
    assert dialog_touched(diff) == cli_touched(printed) == expected
    assert "Moved passages:" in printed and "word for word" in printed


def test_claims_are_re_anchored_on_the_thread_pool_not_the_gui_thread(
    make_window, qtbot, tmp_path, monkeypatch
):
    import threading

    # The GUI imports the re-anchoring workflow when it first plans (a quick start): patch it
    # where it lives.
    import reviewapp.workflows.revisions as revisions_ui

    threads: list[threading.Thread] = []
    real_plan = revisions_ui.plan_revision

    def recording_plan(*args):
        threads.append(threading.current_thread())
        return real_plan(*args)

    monkeypatch.setattr(revisions_ui, "plan_revision", recording_plan)
    # In this process (a worker process would not see the patch): the fallback's path.
    from reviewapp.workflows.workers import InProcess

    window = make_window(synchronous=False, workers=InProcess())
    window.importer.import_path(SAMPLE)
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=10000)
    claim_on_sample(window)
    dialog = import_revision_from_file(window, write_corrected_sample(tmp_path))
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10000)
    assert threads and threads[0] is not threading.main_thread()
    # The review on its new draft is read on the reader's thread too: shown when it arrives.
    qtbot.waitUntil(
        lambda: window.session.data.claims[0].anchor_state == "needs-confirmation", timeout=10000
    )
    assert window.session.data.claims[0].previous_quote == QUOTE


def test_an_ambiguous_claim_steps_through_the_places_of_its_words_and_is_pinned_to_one(
    make_window, tmp_path
):
    line = "Sign up for our daily newsletter to get the latest stories."
    a = "The council approved the budget on Tuesday after a long debate."
    b = "Officials said the plan adds forty new buses to the city fleet."
    first = _write(tmp_path / "v1.txt", f"Budget vote\n\n{a}\n\n{line}\n\n{b}\n\nEnd.\n")
    window = make_window()
    window.importer.import_path(first)
    select_quote(window, line)
    window.action_set["claim.add"].trigger()
    claim = window.session.current_claim()
    # The paragraph before the claim's copy may have hopped over it while a copy was added
    # where it was, or a copy was added before it: the text reads the same either way.
    second = f"Budget vote\n\n{line}\n\n{a}\n\n{line}\n\n{b}\n\nEnd.\n"
    import_revision_from_file(window, _write(tmp_path / "v2.txt", second))
    pane = window.claims
    window.session.activate_claim(claim.id)
    assert window.session.current_claim().anchor_state == "ambiguous"
    assert "in 2 places" in pane.anchor.text()
    assert not pane.next_place.isHidden()
    text = window.session.data.revision.text
    places = [text.index(line), text.index(line, text.index(line) + 1)]

    view = window.article.view
    placed = window.session.current_claim().start
    pane.next_place.click()
    other = next(p for p in places if p != placed)
    assert view.selected_span() == (other, other + len(line))
    assert "Place" in window.statusBar().currentMessage()
    pane.next_place.click()  # and back: the places go round
    assert view.selected_span() == (placed, placed + len(line))
    if view.selected_span()[0] != places[1]:
        pane.next_place.click()
    assert view.selected_span() == (places[1], places[1] + len(line))

    pane.reattach.click()
    pinned = window.session.store.claim_by_id(claim.id)
    assert (pinned.anchor_state, pinned.start) == ("anchored", places[1])
    assert pane.next_place.isHidden() or not pane.anchor_box.isVisible()
    window.session.undo()
    assert window.session.store.claim_by_id(claim.id).anchor_state == "ambiguous"


def test_the_summary_shows_every_state_count_whole(sample_window, tmp_path):
    claim_on_sample(sample_window)
    dialog = import_revision_from_file(sample_window, write_corrected_sample(tmp_path))
    assert dialog.isVisible()
    dialog.layout().activate()
    for badge in dialog.badges.values():  # no pill clipped to "▲ 1 needs co"
        assert badge.width() >= badge.sizeHint().width(), badge.text()
