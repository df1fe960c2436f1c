"""The text model: canonical text, block offsets, hash, and code point <-> UTF-16 conversion."""

import unicodedata

import pytest

from reviewapp.core.text import Utf16Map, build_document, content_hash, document_from_json


def test_canonical_text_joins_blocks_with_blank_lines_and_collapses_whitespace():
    doc = build_document([("heading", "  Title \n here ", 1), ("paragraph", "One\t two\n\nthree")])
    assert doc.text == "Title here\n\nOne two three"
    assert [(b.start, b.end) for b in doc.blocks] == [(0, 10), (12, 25)]
    assert all(doc.text[b.start : b.end] == b.text for b in doc.blocks)


def test_empty_blocks_are_dropped():
    doc = build_document([("paragraph", "  "), ("paragraph", "kept"), ("quote", "\n")])
    assert doc.text == "kept" and len(doc.blocks) == 1


def test_text_is_nfc_normalised_so_the_hash_does_not_depend_on_composition():
    decomposed = unicodedata.normalize("NFD", "café déjà vu")
    doc = build_document([("paragraph", decomposed)])
    assert doc.text == "café déjà vu"
    assert doc.content_hash == content_hash("café déjà vu")


def test_unknown_block_kind_is_refused():
    with pytest.raises(ValueError):
        build_document([("table", "x")])


def test_blocks_round_trip_through_json():
    doc = build_document([("heading", "T", 2), ("list-item", "a"), ("quote", "q")])
    again = document_from_json(doc.text, doc.blocks_json())
    assert again == doc
    with pytest.raises(ValueError):
        document_from_json(doc.text + "x", doc.blocks_json())


@pytest.mark.parametrize(
    "text",
    ["plain ascii", "emoji 😀 then 👩‍👩‍👧 family", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math", "漢字 and עברית and e\u0301"],
)
def test_utf16_conversion_round_trips_every_code_point_offset(text):
    m = Utf16Map(text)
    encoded = text.encode("utf-16-le")
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert encoded[: 2 * u].decode("utf-16-le") == text[:cp]
        assert m.to_codepoint(u) == cp


def test_utf16_offset_inside_a_surrogate_pair_rounds_to_the_character_start():
    m = Utf16Map("a😀b")
    assert m.to_utf16(2) == 3
    assert m.to_codepoint(2) == 1  # between the two halves of the emoji


def test_a_stored_document_is_rebuilt_once_and_reused_when_reopened():
    from reviewapp.core.text import build_document, document_from_json

    doc = build_document([("heading", "Title", 1), ("paragraph", "Some  words here.")])
    first = document_from_json(doc.text, doc.blocks_json())
    again = document_from_json(doc.text, doc.blocks_json())
    assert again is first and again == doc
    other = build_document([("paragraph", "Title"), ("paragraph", "Some words here.")])
    assert document_from_json(other.text, other.blocks_json()).blocks[0].kind == "paragraph"
