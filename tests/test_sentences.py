"""The sentence splitter of core (core/sentences.py): the boundaries news text needs, offsets
into the canonical text, and the normalised hash that names a sentence across drafts."""

from __future__ import annotations

import pytest

from reviewapp.core.sentences import sentence_hash, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It rained. The match went on.", ["It rained.", "The match went on."]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("J. K. Rowling wrote it. Fans agree.", ["J. K. Rowling wrote it.", "Fans agree."]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("Growth was 2.5 percent. Markets rose.", ["Growth was 2.5 percent.", "Markets rose."]),
        ("It ends on Jan. 5 at noon. Then what?", ["It ends on Jan. 5 at noon.", "Then what?"]),
        ('"We won!" she said. "Again."', ['"We won!" she said.', '"Again."']),
        ("Why? Because it rained.", ["Why?", "Because it rained."]),
        ("He works at Acme Inc. in Ohio.", ["He works at Acme Inc. in Ohio."]),
        ("No full stop at the end", ["No full stop at the end"]),
    ],
)
def test_sentences_end_where_news_text_ends_them(text, expected):
    assert texts(text) == expected


def test_a_block_never_shares_a_sentence_with_the_next_and_offsets_point_into_the_text():
    text = "A heading without a stop\n\nFirst 🙂 one here. Second one.\n\nLast"
    found = split_sentences(text)
    assert [s.text for s in found] == [
        "A heading without a stop",
        "First 🙂 one here.",
        "Second one.",
        "Last",
    ]
    for s in found:
        assert text[s.start : s.end] == s.text  # code points, astral characters included


def test_the_hash_ignores_case_and_spacing_but_not_words():
    assert sentence_hash("The mill  closed.") == sentence_hash("the mill closed.")
    assert sentence_hash("The mill closed.") != sentence_hash("The mill opened.")
    assert len(sentence_hash("x")) == 16
