"""What changed between two revisions: passages added, removed and changed, and the offset map."""

from reviewapp.core.diff import (
    BlockAlignment,
    BlockPair,
    OffsetMap,
    block_number,
    block_spans,
    diff_documents,
    diff_texts,
    touched_claims,
    unified_diff,
)
from reviewapp.core.model import ArticleMeta, Claim, Revision
from reviewapp.core.text import build_document

A = "Amazon has committed $4 billion to the startup, according to filings."
B = "Anthropic suspended global access to two specific model versions."
C = "The cloud infrastructure hosting these models demands 99.9% reliability."
D = "Regulators in Brussels are watching the market closely this winter."


def doc(*paragraphs: str):
    return build_document(("paragraph", p) for p in paragraphs)


def kinds(changes):
    return [c.kind for c in changes]


def test_identical_texts_have_no_changes():
    assert diff_texts(doc(A, B).text, doc(A, B).text) == []


def test_an_added_paragraph_is_added_with_an_empty_old_span():
    old, new = doc(A, C), doc(A, B, C)
    [change] = diff_documents(old, new)
    assert change.kind == "added"
    assert new.text[change.new_start : change.new_end] == B
    assert change.old_start == change.old_end == old.text.index(C)


def test_a_removed_paragraph_is_removed_with_its_old_span():
    old, new = doc(A, B, C), doc(A, C)
    [change] = diff_documents(old, new)
    assert change.kind == "removed"
    assert old.text[change.old_start : change.old_end] == B
    assert change.new_start == change.new_end


def test_an_edited_paragraph_is_changed_with_offsets_in_both_texts():
    edited = A.replace("$4", "$8")
    old, new = doc(A, B), doc(edited, B)
    [change] = diff_documents(old, new)
    assert change.kind == "changed"
    assert old.text[change.old_start : change.old_end] == A
    assert new.text[change.new_start : change.new_end] == edited


def test_a_replaced_run_pairs_similar_paragraphs_and_keeps_the_rest_apart():
    old = doc(A, B, D)
    new = doc(A.replace("$4", "$8"), "Something entirely new was written here by the writer.", D)
    changes = diff_documents(old, new)
    assert sorted(kinds(changes)) == ["added", "changed", "removed"]


def test_the_offset_map_carries_positions_across_an_edit_before_them():
    old, new = doc(A, B), doc("A new first paragraph.", A, B)
    offsets = OffsetMap.between(old.text, new.text)
    start = old.text.index("suspended")
    assert new.text[offsets.start(start) :].startswith("suspended")
    end = start + len("suspended")
    assert offsets.end(end) == offsets.start(start) + len("suspended")


def test_the_offset_map_brackets_a_changed_word_inside_a_paragraph():
    old, new = doc(A), doc(A.replace("$4 billion", "$4.5 billion"))
    offsets = OffsetMap.between(old.text, new.text)
    s, e = old.text.index("$4 billion"), old.text.index("$4 billion") + len("$4 billion")
    assert new.text[offsets.start(s) : offsets.end(e)] == "$4.5 billion"


def test_a_repeated_line_is_matched_to_its_own_copy_not_one_far_away():
    bp = "Sign up for our newsletter."
    old = doc(A, bp, B, C, D)
    new = doc(bp, A, bp, B, C, D, bp)
    offsets = OffsetMap.between(old.text, new.text)
    carried = offsets.start(old.text.index(bp))
    assert new.text.index(A) < carried < new.text.index(B)


def test_block_spans_split_a_canonical_text_back_into_blocks():
    d = doc(A, "😀 emoji and עברית", C)
    assert [(b.start, b.end) for b in d.blocks] == block_spans(d.text)


def test_the_unified_diff_shows_one_block_per_line_with_revision_labels():
    old, new = doc(A, B), doc(A.replace("$4", "$8"), B)
    out = unified_diff(old.text, new.text, "revision 1", "revision 2")
    lines = out.splitlines()
    assert lines[0] == "--- revision 1" and lines[1] == "+++ revision 2"
    assert f"-{A}" in lines and f"+{A.replace('$4', '$8')}" in lines
    assert f" {B}" in lines


# ---------------------------------------------------------------------- block alignment
BP = "Sign up for our newsletter."


def pairs_of(old, new):
    return {(p.old, p.new): (p.same, p.moved) for p in BlockAlignment(old.text, new.text).pairs}


def test_a_paragraph_moved_unchanged_is_paired_with_itself_and_marked_moved():
    old, new = doc(A, B, C, D), doc(B, C, D, A)
    assert pairs_of(old, new) == {
        (0, 3): (True, True),
        (1, 0): (True, False),
        (2, 1): (True, False),
        (3, 2): (True, False),
    }
    offsets = OffsetMap.between(old.text, new.text)
    start = old.text.index("$4 billion")
    assert new.text[offsets.start(start) :].startswith("$4 billion")


def test_an_edited_paragraph_keeps_its_place_and_one_edited_on_the_move_is_found():
    edited_a = A.replace("$4", "$8") + " The filings are public."
    edited_d = D.replace("closely", "very closely")
    old, new = doc(A, B, C, D), doc(edited_a, edited_d, B, C)
    pairs = pairs_of(old, new)
    assert pairs[(0, 0)] == (False, False)  # edited in place
    assert pairs[(3, 1)] == (False, True)  # edited and moved
    offsets = OffsetMap.between(old.text, new.text)
    start = old.text.index("Brussels")
    assert new.text[offsets.start(start) :].startswith("Brussels")


def test_a_longer_paragraph_outweighs_a_short_one_in_deciding_what_moved():
    heading = "Update"
    old, new = doc(heading, A, B, C), doc(A, B, C, heading)
    assert pairs_of(old, new)[(0, 3)] == (True, True)


def test_copies_of_a_repeated_line_follow_the_paragraphs_around_them():
    old = doc(BP, A, B, C, D, BP)
    new = doc(BP, A, B, BP, C, D, BP)  # a copy added two paragraphs from each of the others
    alignment = BlockAlignment(old.text, new.text)
    assert {(p.old, p.new) for p in alignment.pairs} >= {(0, 0), (5, 6)}
    assert alignment.undecided == {}


def test_a_copy_that_could_be_either_of_two_new_copies_is_undecided():
    # Either the second copy stayed and one was added after D, or D moved up past it and a copy
    # was added before D: both read the same.
    old = doc(A, BP, B, C, BP, D)
    new = doc(A, BP, B, C, BP, D, BP)
    alignment = BlockAlignment(old.text, new.text)
    assert alignment.undecided == {4: (4, 6)}
    assert alignment.pair_of_old(4) is None
    assert alignment.pair_of_old(1) == BlockPair(1, 1, same=True, moved=False)


def test_the_offset_map_keeps_a_change_inside_its_own_block_pair():
    moved = D.replace("closely", "very closely")
    old, new = doc(A, B, C, D), doc(moved, A, B, C)
    offsets = OffsetMap.between(old.text, new.text)
    s = old.text.index("closely")
    # "closely" became "very closely": the start stays in the moved paragraph, not in A.
    assert 0 <= offsets.start(s) <= offsets.end(s + len("closely")) <= len(moved)


# ---------------------------------------------------------------------- moved passages
def test_a_paragraph_moved_unchanged_is_one_moved_passage_not_a_removal_and_an_addition():
    old, new = doc(A, B, C, D), doc(B, C, D, A)
    [change] = diff_texts(old.text, new.text)
    assert change.kind == "moved" and not change.edited
    assert old.text[change.old_start : change.old_end] == A  # where it was
    assert new.text[change.new_start : change.new_end] == A  # where it went


def test_a_paragraph_moved_and_edited_is_moved_with_its_words_changed():
    edited_d = D.replace("closely", "very closely")
    old, new = doc(A, B, C, D), doc(edited_d, A, B, C)
    [change] = diff_texts(old.text, new.text)
    assert (change.kind, change.edited) == ("moved", True)
    assert old.text[change.old_start : change.old_end] == D
    assert new.text[change.new_start : change.new_end] == edited_d


def test_moves_edits_additions_and_removals_together_come_in_new_text_order():
    new_para = "A fresh paragraph the writer added about something else entirely."
    old = doc(A, B, C, D)
    new = doc(A.replace("$4", "$8"), C, new_para, D, B)
    changes = diff_texts(old.text, new.text)
    assert [(c.kind, new.text[c.new_start : c.new_end]) for c in changes] == [
        ("changed", A.replace("$4", "$8")),
        ("added", new_para),
        ("moved", B),
    ]


def test_a_removed_paragraph_comes_before_what_was_added_in_its_place():
    other = "Something entirely new was written here by the writer."
    old, new = doc(A, B, D), doc(A, other, D)
    changes = diff_texts(old.text, new.text)
    assert kinds(changes) == ["removed", "added"]
    assert changes[0].new_start == changes[0].new_end == new.text.index(D)


def test_a_boilerplate_copy_the_alignment_cannot_decide_is_still_not_shown_as_changed():
    # The claim-level question (which copy is which) is open, but the diff shows one added copy.
    old = doc(A, BP, B, C, BP, D)
    new = doc(A, BP, B, C, BP, D, BP)
    assert BlockAlignment(old.text, new.text).undecided
    [change] = diff_texts(old.text, new.text)
    assert change.kind == "added" and change.new_start == new.text.rindex(BP)


def test_block_number_counts_paragraphs_from_one():
    d = doc(A, B, C)
    assert [block_number(d.text, b.start) for b in d.blocks] == [1, 2, 3]
    assert block_number(d.text, d.blocks[1].start + 5) == 2


# ---------------------------------------------------------------------- claims a change touches
def revision(rid: int, number: int, d) -> Revision:
    return Revision(rid, 1, number, d.text, d.blocks, d.content_hash, ArticleMeta(), "", "", "", "")


def claim(number: int, text: str, quote: str, state: str = "anchored") -> Claim:
    start = text.index(quote) if quote in text else None
    end = None if start is None else start + len(quote)
    return Claim(number, 1, number, quote, "", "", start, end, 2, "unchecked", "", "", state)


def test_touched_claims_marks_each_claim_once_for_the_change_it_sits_in():
    old = revision(1, 1, doc(A, B, C, D))
    new = revision(2, 2, doc(B, C.replace("99.9%", "99.99%"), D, A))
    changes = diff_texts(old.text, new.text)
    claims = [
        claim(1, new.text, "suspended global access"),  # B: untouched
        claim(2, new.text, "demands 99.99% reliability", "needs-confirmation"),  # C: changed
        claim(3, new.text, "committed $4 billion", "moved"),  # A: moved
        claim(4, new.text, "words that were cut", "orphaned"),
    ]
    touched = touched_claims(changes, claims, old, new, current_revision_id=new.id)
    by_kind = {changes[i].kind: [c.number for c in cs] for i, cs in touched.by_change.items()}
    assert by_kind == {"changed": [2], "moved": [3]}
    assert [c.number for c in touched.placeless] == [4]
    assert (touched.side, touched.count) == ("new", 2)


def test_touched_claims_on_the_old_side_and_on_neither_side():
    old = revision(1, 1, doc(A, B))
    new = revision(2, 2, doc(A.replace("$4", "$8"), B))
    changes = diff_texts(old.text, new.text)
    on_old = [claim(1, old.text, "committed $4 billion")]
    touched = touched_claims(changes, on_old, old, new, current_revision_id=old.id)
    assert touched.side == "old" and [c.number for c in touched.by_change[0]] == [1]
    neither = touched_claims(changes, on_old, old, new, current_revision_id=99)
    assert neither.by_change == {} and "neither revision 1 nor 2" in neither.note


def test_copies_are_told_apart_by_the_fewest_paragraph_moves_not_by_the_longest_paragraphs():
    # One long paragraph moved up and a copy was added at the top: both old copies stayed at
    # the end. Counting only the longest paragraphs as fixed (two of them, against the two
    # short ones that really stayed) would read it as the short ones moving past the copies.
    long_a = " ".join([A, B, C])
    long_d = " ".join([D, C, A])
    old = doc(long_a, "Short one.", B, BP, long_d, BP)
    new = doc(BP, long_a, long_d, "Short one.", B, BP, BP)
    alignment = BlockAlignment(old.text, new.text)
    assert alignment.undecided == {}
    assert {(p.old, p.new) for p in alignment.pairs if p.old in (3, 5)} == {(3, 5), (5, 6)}


def test_a_heavily_edited_neighbour_decides_a_copy_but_is_not_paired_as_a_passage():
    kept = A + " " + B
    rewritten = (
        "Investors spent the week asking what the quarter will bring for cloud contracts. "
        + A
        + " Analysts at three banks now expect the dispute to drag on well into next spring."
        + " None of them would say so on the record before the company reports its earnings."
    )
    old = doc(C, kept, D, BP, "The end.")
    new = doc(C, BP, rewritten, D, BP, "The end.")
    alignment = BlockAlignment(old.text, new.text)
    assert alignment.pair_of_old(3) == BlockPair(3, 4, same=True, moved=False)
    assert alignment.undecided == {}
    # The rewritten paragraph is too changed to carry claims through the diff.
    assert alignment.pair_of_old(1) is None


def test_a_short_line_that_sentences_were_added_to_still_tells_copies_apart():
    # "Extra points" became "Extra points" followed by new sentences: the same block, so the copy
    # after it in both drafts is the one that stayed, and the one before it was added.
    heading = "Extra points"
    grown = heading + " " + C + " " + D
    old = doc(A, heading, B, BP, "The end.")
    new = doc(A, BP, grown, B, BP, "The end.")
    alignment = BlockAlignment(old.text, new.text)
    assert alignment.pair_of_old(3) == BlockPair(3, 4, same=True, moved=False)
    assert alignment.undecided == {}


def test_copies_decided_first_help_tell_the_copies_of_another_repeated_line_apart():
    # Two repeated lines alternate with few paragraphs of their own: too many copies to cost
    # every pairing. The copies of the first line, once decided, mark places the second line's
    # copies are told apart by (the paragraphs alone leave them undecided).
    one, two = "Eat every two to three hours.", "Portion Fix Containers: 1 tsp."
    p = [
        f"Paragraph {k} of the plan is about meal number {k} and its own recipe." for k in range(5)
    ]
    # The two layouts, one word a paragraph: "1" and "2" the repeated lines, "pK" paragraph K.
    parts = {"1": one, "2": two} | {f"p{k}": text for k, text in enumerate(p)}

    def layout(words: str):
        return doc(*(parts[w] for w in words.split()))

    old = layout("2 1 2 1 2 p0 2 p1 2 1 2 p2 1 p3 1 2 1 p4 1")
    new = layout("2 1 2 1 2 p0 2 1 p1 1 2 1 p3 1 2 p2 1 p4 1")
    alignment = BlockAlignment(old.text, new.text)
    assert alignment.pair_of_old(1) == BlockPair(1, 1, same=True, moved=False)
    assert alignment.pair_of_old(3) == BlockPair(3, 3, same=True, moved=False)
