"""Pinning a typed quote to exactly one passage."""

import pytest

from reviewapp.core.anchoring import locate_quote, select
from reviewapp.core.errors import AnchorError

TEXT = "Amazon has committed $4 billion. Amazon has committed $4 billion again. 😀 Done."


def test_a_unique_quote_gets_quote_and_position_selectors_with_context():
    s = locate_quote(TEXT, "again")
    assert TEXT[s.start : s.end] == "again" == s.exact
    assert s.prefix == TEXT[max(0, s.start - 32) : s.start] and len(s.prefix) == 32
    assert s.suffix == TEXT[s.end : s.end + 32]


def test_a_repeated_quote_needs_an_occurrence_and_the_message_says_how_many():
    with pytest.raises(AnchorError, match=r"occurs 2 times.*--occurrence 1\.\.2"):
        locate_quote(TEXT, "committed $4 billion")
    second = locate_quote(TEXT, "committed $4 billion", occurrence=2)
    assert second.start == TEXT.rindex("committed $4 billion")


def test_an_absent_quote_is_named_in_the_error():
    with pytest.raises(AnchorError, match="'\\$8 billion' does not occur"):
        locate_quote(TEXT, "$8 billion")


def test_occurrence_out_of_range_and_empty_quote_are_refused():
    with pytest.raises(AnchorError, match="out of range"):
        locate_quote(TEXT, "again", occurrence=2)
    with pytest.raises(AnchorError, match="empty"):
        locate_quote(TEXT, "   ")


def test_whitespace_in_the_typed_quote_is_collapsed_like_the_article():
    assert locate_quote(TEXT, "has \n committed  $4 billion again").exact == (
        "has committed $4 billion again"
    )


def test_offsets_count_code_points_after_an_emoji():
    s = locate_quote(TEXT, "Done")
    assert s.start == TEXT.index("Done")  # Python str indexes are code points
    assert TEXT[s.start : s.end] == "Done"


def test_select_refuses_empty_or_outside_spans():
    with pytest.raises(AnchorError):
        select(TEXT, 5, 5)
    with pytest.raises(AnchorError):
        select(TEXT, 0, len(TEXT) + 1)
