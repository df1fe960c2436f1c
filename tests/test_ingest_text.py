"""Plain-text drafts: title, paragraph rules, list items, and text encodings."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.ingest import load_bytes, load_source
from tests.conftest import SAMPLE


def _blocks(draft) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in draft.document.blocks]


def _write(tmp_path: Path, data: bytes, name: str = "draft.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_shipped_sample_imports_line_by_line():
    draft = load_source(str(SAMPLE))
    lines = [line for line in SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    title = "Amazon CEO reportedly raised Anthropic model concerns before government crackdown"
    assert draft.meta.title == title
    blocks = draft.document.blocks
    assert (blocks[0].kind, blocks[0].level, blocks[0].text) == ("heading", 1, title)
    assert len(blocks) == len(lines)
    for block, line in zip(blocks[1:], lines[1:], strict=True):
        assert block.text == line.removeprefix("- ").strip()
    assert [b.kind for b in blocks[-4:]] == ["paragraph", "list-item", "list-item", "list-item"]
    assert "has committed $4 billion" in draft.document.text
    assert draft.importer == "text" and draft.raw_type == "text/plain"
    assert draft.raw == SAMPLE.read_bytes()
    assert draft.source_name == SAMPLE.name


def test_blank_lines_separate_paragraphs_and_wrapped_lines_are_joined(tmp_path: Path):
    text = (
        "Harbour plan delayed\n\n"
        "The harbour plan will be delayed\nby at least a year, officials said.\n\n\n"
        "A second paragraph\n  with an indented wrap.\n"
    )
    draft = load_source(_write(tmp_path, text.encode()))
    assert _blocks(draft) == [
        ("heading", "Harbour plan delayed"),
        ("paragraph", "The harbour plan will be delayed by at least a year, officials said."),
        ("paragraph", "A second paragraph with an indented wrap."),
    ]


def test_a_wrapped_first_paragraph_gives_its_first_line_as_title(tmp_path: Path):
    draft = load_source(_write(tmp_path, b"\n\nTitle line\nrest of the lede\n\nNext.\n"))
    assert draft.meta.title == "Title line"
    assert _blocks(draft) == [
        ("heading", "Title line"),
        ("paragraph", "rest of the lede"),
        ("paragraph", "Next."),
    ]


@pytest.mark.parametrize("bullet", ["- ", "* ", "• "])
def test_bullet_lines_are_list_items(tmp_path: Path, bullet: str):
    text = f"Title\nIntro line\n{bullet}first point\n{bullet}second point\n"
    draft = load_source(_write(tmp_path, text.encode()))
    assert _blocks(draft)[1:] == [
        ("paragraph", "Intro line"),
        ("list-item", "first point"),
        ("list-item", "second point"),
    ]


def test_bullets_inside_blank_line_paragraphs_and_their_wrapped_lines(tmp_path: Path):
    text = "Title\n\nWhy it matters:\n- first point\n  wrapped on\n- second point\n\nEnd.\n"
    draft = load_source(_write(tmp_path, text.encode()))
    assert _blocks(draft)[1:] == [
        ("paragraph", "Why it matters:"),
        ("list-item", "first point wrapped on"),
        ("list-item", "second point"),
        ("paragraph", "End."),
    ]


def test_windows_and_old_mac_line_endings(tmp_path: Path):
    draft = load_source(_write(tmp_path, b"Title\r\n\r\nOne\r\ntwo\r\n\r\nThree\rfour\r"))
    assert _blocks(draft)[1:] == [("paragraph", "One two"), ("paragraph", "Three four")]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf8_with_or_without_bom(tmp_path: Path, bom: bytes):
    text = "Título: 5 € 🚀\nCafé straße\n"
    draft = load_source(_write(tmp_path, bom + text.encode("utf-8")))
    assert draft.meta.title == "Título: 5 € 🚀"
    assert not draft.document.text.startswith("\ufeff")
    assert _blocks(draft)[1] == ("paragraph", "Café straße")


def test_utf16_with_bom(tmp_path: Path):
    draft = load_source(_write(tmp_path, "Überschrift\nText 🚀\n".encode("utf-16")))
    assert _blocks(draft) == [("heading", "Überschrift"), ("paragraph", "Text 🚀")]


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Grüße aus Köln\n“Der Bürgermeister” sagt: 5 € mehr — für alle.\n", "cp1252"),
        ("Crème brûlée à Noël\nLe maître d'hôtel est français.\n", "latin-1"),
        (
            "東京の新しい交通計画\n東京都は新しい交通計画を発表しました。市民の意見を募集しています。\n",
            "shift_jis",
        ),
    ],
)
def test_legacy_encodings_are_decoded(tmp_path: Path, text: str, encoding: str):
    draft = load_source(_write(tmp_path, text.encode(encoding)))
    assert draft.document.text == text.strip().replace("\n", "\n\n")


def test_text_of_no_known_encoding_is_refused(tmp_path: Path):
    data = bytes(range(0x80, 0x100)) * 8
    with pytest.raises(BadInput, match=r"cannot tell the text encoding of draft\.txt"):
        load_source(_write(tmp_path, data))


def test_only_whitespace_is_refused(tmp_path: Path):
    with pytest.raises(BadInput, match="has no text"):
        load_source(_write(tmp_path, b" \n\n\t\n"))


def test_load_bytes_reads_text_by_name_or_type():
    by_name = load_bytes(b"Title\nBody", "notes.txt")
    by_type = load_bytes(b"Title\nBody", "clipboard", "text/plain")
    assert _blocks(by_name) == _blocks(by_type) == [("heading", "Title"), ("paragraph", "Body")]


def test_a_declared_charset_is_honoured_and_kept_with_the_raw_bytes():
    data = "Ökonomie\nDie Lage ist „stabil“.".encode("cp1252")
    draft = load_bytes(data, "https://x.example/draft", "text/plain; charset=windows-1252")
    assert draft.document.text == "Ökonomie\n\nDie Lage ist „stabil“."
    assert draft.raw_type == "text/plain; charset=windows-1252"
    again = load_bytes(draft.raw, "again", draft.raw_type)
    assert again.document.text == draft.document.text


def test_a_file_name_with_a_colon_is_a_file_not_a_url(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("notes:v2.txt").write_text("Title\nBody\n", encoding="utf-8")
    assert load_source("notes:v2.txt").meta.title == "Title"
