"""Files that are not UTF-8: the likeliest legacy code page, said aloud when it is a guess, and
the editor's own choice with `reviewapp import --encoding`."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.ingest import IngestSettings, load_bytes, load_source
from tests.conftest import file_digest

CAFE = "Café au lait coûte 3€\nLe thé coûte 2€\n"


def _write(tmp_path: Path, data: bytes, name: str = "cafe.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    "text, encoding",
    [
        (CAFE, "cp1252"),
        ("Café au lait coûte 3€\n", "cp1252"),
        ("Zażółć gęślą jaźń.\nŁódź jest piękna.\n", "cp1250"),
        ("Привет, как дела?\nЭто тест кодировки.\n", "cp1251"),
        ("Café au lait\ncoûte 3 francs.\n", "mac_roman"),
        ("Καλημέρα κόσμε\nαυτό είναι δοκιμή.\n", "cp1253"),
    ],
)
def test_short_legacy_files_read_in_their_own_code_page(tmp_path, text, encoding):
    draft = load_source(_write(tmp_path, text.encode(encoding)))
    assert draft.document.text == text.strip().replace("\n", "\n\n")


def test_a_weak_guess_names_the_encoding_used_and_the_rival(tmp_path):
    draft = load_source(_write(tmp_path, CAFE.encode("cp1252")))
    assert draft.encoding == "cp1252"
    assert draft.encoding_rivals[0] == "cp1250"  # reads "coűte": as plausible to a machine
    assert draft.raw_type == "text/plain; charset=cp1252"  # re-reading the bytes reads alike
    utf8 = load_source(_write(tmp_path, CAFE.encode("utf-8"), "utf8.txt"))
    assert (utf8.encoding, utf8.encoding_rivals) == ("utf-8", ())


def test_the_editor_can_choose_the_encoding(tmp_path):
    path = _write(tmp_path, CAFE.encode("cp1252"))
    draft = load_source(path, IngestSettings(encoding="cp1250"))
    assert draft.document.text.startswith("Café au lait coűte 3€")
    assert (draft.encoding, draft.encoding_rivals) == ("cp1250", ())
    html = "<html><body><article><p>Le thé coûte 2€ ce matin à Paris.</p></article></body></html>"
    page = load_bytes(
        html.encode("cp1252"), "page.html", settings=IngestSettings(encoding="cp1252")
    )
    assert "Le thé coûte 2€" in page.document.text


@pytest.mark.parametrize(
    "encoding, message",
    [
        ("klingon", "unknown text encoding 'klingon'; try one of: utf-8, cp1252"),
        ("base64", "unknown text encoding 'base64'"),  # a codec, but not of text
    ],
)
def test_an_unknown_encoding_is_refused(encoding, message):
    with pytest.raises(BadInput, match=message):
        IngestSettings(encoding=encoding)


# ---------------------------------------------------------------------- the CLI
def test_cli_import_notes_a_weak_guess_and_how_to_choose(cli, tmp_path):
    result = cli("import", _write(tmp_path, CAFE.encode("cp1252")))
    assert result.code == 0, result.err
    assert result.err.strip() == (
        "note: cafe.txt is not UTF-8; read as Windows-1252 (Western European), a guess: "
        "Windows-1250 (Central European) reads it about as well; if letters look wrong, import "
        "it again with --encoding cp1250"
    )
    shown = cli("show", result.out.strip()).out
    assert "Café au lait coûte 3€" in shown


def test_cli_import_with_encoding_reads_it_so_and_says_nothing_more(cli, tmp_path):
    result = cli("import", _write(tmp_path, CAFE.encode("cp1252")), "--encoding", "windows-1250")
    assert result.code == 0, result.err
    assert result.err == ""
    assert "Café au lait coűte 3€" in cli("show", result.out.strip()).out


def test_cli_import_in_an_encoding_the_file_is_not_in_is_refused(cli, tmp_path, db_path):
    cli("list")
    before = file_digest(db_path)
    path = _write(tmp_path, CAFE.encode("cp1252"))
    result = cli("import", path, "--encoding", "utf-8")
    assert result.code != 0
    assert result.err.strip() == (
        "reviewapp: cafe.txt is not UTF-8: byte 4 cannot be read in it; try another encoding"
    )
    bad = cli("import", path, "--encoding", "klingon")
    assert bad.code != 0 and "unknown text encoding 'klingon'" in bad.err
    assert file_digest(db_path) == before
