"""What changed between two revisions: passages added, removed and changed, and the offset map."""

from reviewapp.core.diff import OffsetMap, block_spans, diff_documents, diff_texts, unified_diff
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
