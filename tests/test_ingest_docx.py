"""Word drafts: paragraph styles become block kinds; broken files get a clear message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from reviewapp.core.errors import BadInput
from reviewapp.ingest import load_bytes, load_source
from reviewapp.ingest.settings import DOCX_TYPE


def _docx(tmp_path: Path, title: str = "", name: str = "draft.docx") -> Path:
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("Mine reopens after two years", level=1)
    document.add_paragraph("The copper mine near Elvdal reopened on Monday with 140 workers.")
    document.add_heading("What the company says", level=2)
    document.add_paragraph("Output will reach 20,000 tonnes a year.", style="List Bullet")
    document.add_paragraph("The first shipment leaves in May.", style="List Number")
    document.add_paragraph("We owe this to the town, the manager said.", style="Quote")
    document.add_paragraph("")  # empty paragraphs are not blocks
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Year", "Tonnes"
    table.cell(1, 0).text, table.cell(1, 1).text = "2025", "20,000"
    document.add_paragraph("Environmental groups have appealed the permit.")
    path = tmp_path / name
    document.save(str(path))
    return path


def test_styles_become_block_kinds_in_document_order(tmp_path: Path):
    draft = load_source(str(_docx(tmp_path)))
    assert [(b.kind, b.level, b.text) for b in draft.document.blocks] == [
        ("heading", 1, "Mine reopens after two years"),
        ("paragraph", 0, "The copper mine near Elvdal reopened on Monday with 140 workers."),
        ("heading", 2, "What the company says"),
        ("list-item", 0, "Output will reach 20,000 tonnes a year."),
        ("list-item", 0, "The first shipment leaves in May."),
        ("quote", 0, "We owe this to the town, the manager said."),
        ("paragraph", 0, "Year | Tonnes"),
        ("paragraph", 0, "2025 | 20,000"),
        ("paragraph", 0, "Environmental groups have appealed the permit."),
    ]
    assert draft.raw_type == DOCX_TYPE
    assert draft.importer.startswith("python-docx ")


def test_title_comes_from_core_properties(tmp_path: Path):
    draft = load_source(str(_docx(tmp_path, title="Elvdal mine: draft 3")))
    assert draft.meta.title == "Elvdal mine: draft 3"


def test_without_core_title_the_first_heading_is_the_title(tmp_path: Path):
    draft = load_source(str(_docx(tmp_path)))
    assert draft.meta.title == "Mine reopens after two years"


def test_docx_bytes_are_recognised_without_a_name(tmp_path: Path):
    data = _docx(tmp_path).read_bytes()
    draft = load_bytes(data, "dropped")
    assert draft.meta.title == "Mine reopens after two years"
    assert draft.raw == data


def test_a_docx_that_is_not_a_zip_is_refused(tmp_path: Path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"This is plain text with a .docx name.\n")
    with pytest.raises(BadInput, match=r"report\.docx is not a valid \.docx file"):
        load_source(str(path))


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    path = tmp_path / "archive.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(BadInput, match=r"archive\.docx is not a valid \.docx file"):
        load_source(str(path))


def test_a_docx_with_no_text_is_refused(tmp_path: Path):
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(BadInput, match="has no text"):
        load_source(str(path))
