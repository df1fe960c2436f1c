"""Importing a newer draft: the review moves to it, every claim is carried over in one
transaction, the old revision stays readable, and the editor settles what is open."""

import json
import re

import pytest

from reviewapp.core.errors import AnchorError, BadInput, NotFound
from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document
from reviewapp.workflows.revisions import (
    confirm_claim,
    import_revision,
    keep_orphaned,
    reattach_claim,
    reattach_claim_by_quote,
)
from tests.conftest import file_digest, make_draft
from tests.rawdb import raw_db

P1 = "Amazon has committed $4 billion to the startup, according to filings."
P2 = "Anthropic suspended global access to two specific model versions last week."
P3 = "The board met in secret on a Sunday to approve the deal. Nobody else was told."
P4 = "The cloud infrastructure hosting these models demands 99.9% reliability."
P5 = "Sign up for our newsletter to get the latest stories in your inbox."


@pytest.fixture
def review(store):
    """A review with four claims on revision 1."""
    review_id = store.add_article(make_draft([P1, P2, P3, P4]), reviewer="Ada Editor")
    store.add_claim_by_quote(review_id, "has committed $4 billion", status="false")
    store.add_claim_by_quote(review_id, "suspended global access")
    store.add_claim_by_quote(review_id, "The board met in secret on a Sunday to approve the deal.")
    store.add_claim_by_quote(review_id, "99.9% reliability", status="verified")
    return review_id


def second_draft():
    return make_draft(
        [
            "A new opening paragraph was added.",
            P1.replace("$4", "$8"),
            P2,
            "Nobody else was told.",  # the board sentence was deleted
            P4,
        ]
    )


def states(store, review_id):
    return {c.quote: c.anchor_state for c in store.claims(review_id)}


def test_importing_a_newer_draft_moves_the_review_and_carries_every_claim(store, review):
    old_revision = store.review(review).revision_id
    report = import_revision(store, review, second_draft())
    current = store.review(review)
    assert current.revision_id == report.revision_id != old_revision
    assert (report.number, report.previous_number) == (2, 1)
    assert len(store.claims(review)) == 4  # never deleted
    assert states(store, review) == {
        "has committed $8 billion": "needs-confirmation",
        "suspended global access": "anchored",
        "The board met in secret on a Sunday to approve the deal.": "orphaned",
        "99.9% reliability": "anchored",
    }
    changed = next(c for c in store.claims(review) if c.quote == "has committed $8 billion")
    assert changed.previous_quote == "has committed $4 billion"
    assert changed.status == "false"  # the verdict stays; it is about the old words
    text = store.revision(current.revision_id).text
    assert text[changed.start : changed.end] == "has committed $8 billion"


def test_the_old_revision_stays_readable_and_unchanged(store, review):
    old_id = store.review(review).revision_id
    old_text = store.revision(old_id).text
    import_revision(store, review, second_draft())
    assert store.revision(old_id).text == old_text
    assert [r.number for r in store.revisions(store.review(review).article_id)] == [1, 2]


def test_an_orphaned_claim_has_no_place_and_sorts_last(store, review):
    import_revision(store, review, second_draft())
    last = store.claims(review)[-1]
    assert last.anchor_state == "orphaned" and last.start is None and last.end is None
    assert last.quote == "The board met in secret on a Sunday to approve the deal."


def test_the_report_lists_what_needs_the_editor(store, review):
    report = import_revision(store, review, second_draft())
    lines = report.summary_lines()
    assert lines[0] == f"review {review} is now on revision 2 (was 1; text changed)"
    assert "2 anchored" in lines[1] and "1 needs confirmation" in lines[1]
    assert any("“has committed $4 billion” -> “has committed $8 billion”" in x for x in lines)
    assert any("orphaned" in x for x in lines)
    assert {c.state for c in report.unsettled} == {"needs-confirmation", "orphaned"}


def test_the_same_text_again_keeps_positions_and_states(store, review):
    import_revision(store, review, second_draft())
    before = [(c.quote, c.start, c.anchor_state) for c in store.claims(review)]
    report = import_revision(store, review, second_draft())
    assert report.same_text and report.number == 3
    assert [(c.quote, c.start, c.anchor_state) for c in store.claims(review)] == before


def test_an_open_question_survives_the_next_revision(store, review):
    import_revision(store, review, second_draft())
    third = second_draft()
    import_revision(
        store,
        review,
        make_draft(["Yet another opening.", *[b.text for b in third.document.blocks[1:]]]),
    )
    claim = next(c for c in store.claims(review) if c.quote == "has committed $8 billion")
    assert claim.anchor_state == "needs-confirmation"
    assert claim.previous_quote == "has committed $4 billion"


def test_a_revision_is_one_transaction_and_logged(store, review):
    import_revision(store, review, second_draft())
    actions = [e["action"] for e in store.events(review)]
    assert actions.count("claim-anchor") == 4 and actions[-1] == "revision-import"
    detail = json.loads(store.events(review)[-1]["detail"])
    assert detail["revision"] == 2 and detail["states"]["orphaned"] == 1


def test_an_empty_draft_is_refused_and_nothing_is_written(store, review, db_path):
    with raw_db(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(db_path)
    empty = ImportedDraft(build_document([]), ArticleMeta(), b"", "text/plain", "test", "e.txt")
    with pytest.raises(BadInput, match="no text"):
        import_revision(store, review, empty)
    with raw_db(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_digest(db_path) == before


def test_a_review_in_the_bin_takes_no_revision(store, review):
    store.delete_review(review)
    with pytest.raises(NotFound):
        import_revision(store, review, second_draft())


def test_boilerplate_repeated_in_the_new_draft_does_not_pull_a_claim_away(store):
    # New copies at the start and at the end, each at least two paragraphs from the claim's own.
    review_id = store.add_article(make_draft([P1, P5, P2, P5, P4, P3]))
    store.add_claim_by_quote(review_id, P5, occurrence=2)
    import_revision(store, review_id, make_draft([P5, P1, P5, P2, P5, P4, P3, P5]))
    [claim] = store.claims(review_id)
    text = store.revision(store.review(review_id).revision_id).text
    assert claim.anchor_state == "anchored"
    assert text.index(P2) < claim.start < text.index(P4)


def test_a_copy_added_one_paragraph_from_the_claims_copy_makes_it_ambiguous_not_wrong(store):
    # Either the claim's copy stayed and a copy was added after P4, or P4 moved up past the
    # claim's copy and a copy was added before it: the text reads the same both ways.
    review_id = store.add_article(make_draft([P1, P5, P2, P5, P4]))
    store.add_claim_by_quote(review_id, P5, occurrence=2)
    report = import_revision(store, review_id, make_draft([P5, P1, P5, P2, P5, P4, P5]))
    [claim] = store.claims(review_id)
    assert claim.anchor_state == "ambiguous"
    assert [c.state for c in report.unsettled] == ["ambiguous"]


def test_a_claim_in_a_paragraph_that_moved_unchanged_is_moved_word_for_word(store):
    # The claim's words also end P3, and the paragraph moved away from both its neighbours: only
    # the paragraph itself, found once in each draft, says where the claim went.
    told = "Nobody else was told."
    review_id = store.add_article(make_draft([P1, told, P2, P3, P4]))
    store.add_claim_by_quote(review_id, told, occurrence=1, status="verified")
    import_revision(store, review_id, make_draft([P1, P2, P3, P4, told]))
    [claim] = store.claims(review_id)
    text = store.revision(store.review(review_id).revision_id).text
    assert claim.anchor_state == "moved" and claim.previous_quote == ""
    assert (claim.start, claim.end) == (len(text) - len(told), len(text))


# ---------------------------------------------------------------------- the editor's answers
def claim_with(store, review_id, quote):
    return next(c for c in store.claims(review_id) if c.quote == quote)


def test_confirming_a_claim_anchors_it_and_keeps_the_old_words_on_record(store, review):
    import_revision(store, review, second_draft())
    claim = claim_with(store, review, "has committed $8 billion")
    confirmed = confirm_claim(store, claim.id)
    assert confirmed.anchor_state == "anchored"
    assert confirmed.previous_quote == "has committed $4 billion"
    assert store.events(review)[-1]["action"] == "claim-confirm"


def test_an_orphan_cannot_be_confirmed_it_must_be_reattached(store, review):
    import_revision(store, review, second_draft())
    orphan = store.claims(review)[-1]
    with pytest.raises(BadInput, match="re-attach"):
        confirm_claim(store, orphan.id)
    assert store.claim_by_id(orphan.id).anchor_state == "orphaned"


def test_reattaching_pins_the_claim_to_the_new_selection_and_keeps_the_old_quote(store, review):
    import_revision(store, review, second_draft())
    orphan = store.claims(review)[-1]
    text = store.revision(store.review(review).revision_id).text
    start = text.index("Nobody else was told.")
    claim = reattach_claim(store, orphan.id, start, start + len("Nobody else was told."))
    assert claim.anchor_state == "anchored" and claim.quote == "Nobody else was told."
    assert claim.previous_quote == "The board met in secret on a Sunday to approve the deal."


def test_reattaching_to_a_quote_that_is_not_there_changes_nothing(store, review):
    import_revision(store, review, second_draft())
    orphan = store.claims(review)[-1]
    with pytest.raises(AnchorError, match="does not occur"):
        reattach_claim_by_quote(store, orphan.id, "a sentence nobody wrote")
    assert store.claim_by_id(orphan.id).anchor_state == "orphaned"


def test_keeping_an_orphan_adds_the_note_and_it_still_blocks(store, review):
    import_revision(store, review, second_draft())
    orphan = store.claims(review)[-1]
    store.update_claim(orphan.id, note="Checked against the minutes.")
    kept = keep_orphaned(store, orphan.id, "Sentence cut by the writer; verdict kept for record.")
    assert kept.anchor_state == "orphaned"
    assert kept.note == (
        "Checked against the minutes.\nSentence cut by the writer; verdict kept for record."
    )


def test_keeping_a_needs_confirmation_claim_as_orphan_keeps_the_checked_words(store, review):
    import_revision(store, review, second_draft())
    claim = claim_with(store, review, "has committed $8 billion")
    kept = keep_orphaned(store, claim.id, "Figure changed; the old one was checked.")
    assert kept.anchor_state == "orphaned" and kept.start is None
    assert kept.quote == "has committed $4 billion"


# ---------------------------------------------------------------------- command line
@pytest.fixture
def drafts(tmp_path):
    v1 = tmp_path / "draft-v1.txt"
    v1.write_text("Funding news\n\n" + "\n\n".join([P1, P2, P3, P4]) + "\n", encoding="utf-8")
    v2 = tmp_path / "draft-v2.txt"
    v2.write_text(
        "Funding news\n\n" + "\n\n".join([P1.replace("$4", "$8"), P2, P4]) + "\n", encoding="utf-8"
    )
    return v1, v2


@pytest.fixture
def cli_review(cli, drafts):
    pytest.importorskip("reviewapp.ingest.sources")
    v1, _ = drafts
    review_id = cli("import", v1).out.strip()
    assert cli("claim", "add", review_id, "--quote", "has committed $4 billion").code == 0
    assert cli("claim", "add", review_id, "--quote", "The board met in secret").code == 0
    assert cli("claim", "add", review_id, "--quote", "99.9% reliability").code == 0
    return review_id


def test_cli_import_revision_of_prints_the_review_id_and_reports_on_stderr(cli, cli_review, drafts):
    result = cli("import", drafts[1], "--revision-of", cli_review)
    assert (result.code, result.out.strip()) == (0, cli_review)
    assert "is now on revision 2" in result.err and "needs confirmation" in result.err
    shown = json.loads(cli("show", cli_review, "--json").out)
    assert shown["article"]["revision"] == 2
    by_state = {c["anchor_state"]: c for c in shown["claims"]}
    assert by_state["needs-confirmation"]["previous_quote"] == "has committed $4 billion"
    assert by_state["needs-confirmation"]["quote"] == "has committed $8 billion"
    assert by_state["orphaned"]["selectors"]["start"] is None


def test_cli_diff_prints_a_unified_diff_and_the_claims_a_change_touches(cli, cli_review, drafts):
    cli("import", drafts[1], "--revision-of", cli_review)
    result = cli("diff", cli_review)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[:2] == ["--- revision 1", "+++ revision 2"]
    assert f"-{P1}" in lines and f"+{P1.replace('$4', '$8')}" in lines and f"-{P3}" in lines
    summary = lines[lines.index("") + 1 :]  # after the unified diff, one blank line
    assert summary[0] == "Summary: revision 1 -> revision 2: 1 changed, 1 removed passages"
    assert "Moved passages:" not in summary
    touched = summary[summary.index("Claims touched:") + 1 :]
    assert touched[0].startswith("  claim 1 (needs confirmation) touched by changed passage at ")
    assert touched[0].endswith("of revision 2: \u201chas committed $8 billion\u201d")
    assert (
        touched[1]
        == "  claim 3 (orphaned) has no place in revision 2: \u201cThe board met in secret\u201d"
    )
    assert not any("99.9%" in x for x in touched)
    same = cli("diff", cli_review, "--from", "2", "--to", "2")
    assert same.code == 0 and same.out == ""


def test_cli_diff_says_where_a_moved_paragraph_went_and_the_claims_it_carried(cli, tmp_path):
    v1, v2 = tmp_path / "v1.txt", tmp_path / "v2.txt"
    v1.write_text("Funding news\n\n" + "\n\n".join([P1, P2, P3, P4]), encoding="utf-8")
    v2.write_text("Funding news\n\n" + "\n\n".join([P2, P3, P4, P1]), encoding="utf-8")
    review_id = cli("import", v1).out.strip()
    cli("claim", "add", review_id, "--quote", "has committed $4 billion")
    cli("claim", "add", review_id, "--quote", "99.9% reliability")
    cli("import", v2, "--revision-of", review_id)
    result = cli("diff", review_id)
    assert result.code == 0
    lines = result.out.splitlines()
    # The unified diff stays a unified diff: the paragraph is removed above and added below.
    assert f"-{P1}" in lines and f"+{P1}" in lines
    summary = lines[lines.index("") + 1 :]
    old_at = len("Funding news\n\n")
    new_at = len("\n\n".join(["Funding news", P2, P3, P4, ""]))
    assert summary == [
        "Summary: revision 1 -> revision 2: 1 moved passage",
        "Moved passages:",
        f"  paragraph 2 ({old_at}-{old_at + len(P1)}) of revision 1 -> paragraph 5 "
        f"({new_at}-{new_at + len(P1)}) of revision 2, word for word: \u201c{P1[:59]}\u2026\u201d",
        "Claims touched:",
        f"  claim 2 (moved) touched by moved passage at {new_at}-{new_at + len(P1)} of revision 2: "
        "\u201chas committed $4 billion\u201d",
    ]


def test_cli_diff_with_one_revision_or_an_unknown_one_is_a_clear_error(cli, cli_review):
    one = cli("diff", cli_review)
    assert one.code == 2 and "--revision-of" in one.err
    unknown = cli("diff", cli_review, "--from", "1", "--to", "7")
    assert unknown.code == 2 and "has no revision 7" in unknown.err


def test_cli_anchor_commands_settle_every_open_claim(cli, cli_review, drafts, db_path):
    cli("import", drafts[1], "--revision-of", cli_review)
    claims = json.loads(cli("show", cli_review, "--json").out)["claims"]
    number = {c["anchor_state"]: c["number"] for c in claims}
    assert cli("anchor", "confirm", cli_review, number["needs-confirmation"]).code == 0
    result = cli("anchor", "orphan", cli_review, number["orphaned"], "--note", "cut by writer")
    assert result.code == 0
    claims = json.loads(cli("show", cli_review, "--json").out)["claims"]
    assert sorted(c["anchor_state"] for c in claims) == ["anchored", "anchored", "orphaned"]
    orphan = next(c for c in claims if c["anchor_state"] == "orphaned")
    assert orphan["note"] == "cut by writer"
    result = cli("anchor", "reattach", cli_review, orphan["number"], "--quote", "99.9% reliability")
    assert result.code == 0
    # Its number may change (it moved in the text); its id does not.
    assert re.fullmatch(rf"claim \d+ \({orphan['id']}\)", result.out.strip()), result.out
    claims = json.loads(cli("show", cli_review, "--json").out)["claims"]
    assert all(c["anchor_state"] == "anchored" for c in claims)


def test_cli_anchor_reattach_to_absent_words_exits_2_and_writes_nothing(
    cli, cli_review, drafts, db_path
):
    cli("import", drafts[1], "--revision-of", cli_review)
    before = json.loads(cli("show", cli_review, "--json").out)
    result = cli("anchor", "reattach", cli_review, "3", "--quote", "words nobody wrote")
    assert result.code == 2 and "does not occur" in result.err
    assert json.loads(cli("show", cli_review, "--json").out) == before


def test_a_plan_made_before_the_claims_changed_is_not_used(store, tmp_path):
    from reviewapp.workflows.revisions import plan_revision

    review_id = store.add_article(make_draft(["Amazon has committed $4 billion to it."]))
    first = store.add_claim_by_quote(review_id, "committed $4 billion")
    data = store.load_review(review_id)
    draft = make_draft(["Amazon has committed $8 billion to it."])
    plan = plan_revision(data.revision.text, data.revision.id, data.claims, draft)
    later = store.add_claim_by_quote(review_id, "Amazon has")  # not in the plan
    report = import_revision(store, review_id, draft, plan)
    states = {c.claim_id: c.state for c in report.claims}
    assert states == {first.id: "needs-confirmation", later.id: "anchored"}
