"""The GUI's file dialogs and drag-and-drop take their kinds of file from the one list in
ingest.settings (INPUT_KINDS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from reviewapp.ingest import settings as ingest_settings
from reviewapp.ingest.settings import (
    INPUT_KINDS,
    InputKind,
    accepted_extensions,
    file_dialog_filter,
)
from reviewapp.ui.dialogs.new_revision import NewRevisionDialog


def _file_dialogs(widget) -> list[QFileDialog]:
    return [d for d in widget.findChildren(QFileDialog) if d.isVisible()]


def _drag_accepted(window, mime: QMimeData) -> bool:
    event = QDragEnterEvent(
        QPoint(window.width() // 2, window.height() // 2),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.ignore()  # a new event starts out accepted: only the window may accept it
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def _files(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    mime.setText("\n".join(QUrl.fromLocalFile(str(p)).toString() for p in paths))
    return mime


def test_import_file_offers_every_accepted_ending(make_window):
    window = make_window()
    window.action_set["file.import_file"].trigger()
    (dialog,) = _file_dialogs(window)
    filters = dialog.nameFilters()
    assert filters == file_dialog_filter().split(";;")
    assert filters[0] == "Drafts (" + " ".join(f"*{e}" for e in accepted_extensions()) + ")"
    assert filters[-1] == "All files (*)"
    assert len(filters) == len(INPUT_KINDS) + 2
    dialog.reject()


def test_the_new_revision_dialog_browses_with_the_same_filter(sample_window):
    window = sample_window
    window.action_set["file.import_revision"].trigger()
    (revision,) = [d for d in window.findChildren(NewRevisionDialog) if d.isVisible()]
    choose = next(b for b in revision.findChildren(QPushButton) if b.text() == "Choose…")
    choose.click()
    (dialog,) = _file_dialogs(revision)
    assert dialog.nameFilters() == file_dialog_filter().split(";;")
    dialog.reject()


@pytest.mark.parametrize("ending", accepted_extensions())
def test_a_file_of_every_listed_ending_may_be_dropped(make_window, tmp_path, ending):
    window = make_window()
    assert _drag_accepted(window, _files(tmp_path / f"draft{ending}"))


@pytest.mark.parametrize("name", ["draft.pdf", "draft.odt", "folder"])
def test_a_file_of_another_kind_is_not_taken(make_window, tmp_path, name):
    window = make_window()
    assert not _drag_accepted(window, _files(tmp_path / name))
    # the importer takes the first file: an accepted one after it does not make the drop good
    assert not _drag_accepted(window, _files(tmp_path / name, tmp_path / "draft.html"))


def test_links_and_text_may_still_be_dropped(make_window):
    window = make_window()
    link = QMimeData()
    link.setUrls([QUrl("https://example.org/news/story.pdf")])
    assert _drag_accepted(window, link)
    text = QMimeData()
    text.setText("A pasted paragraph about budgets.")
    assert _drag_accepted(window, text)


def test_an_ending_added_to_the_list_may_be_dropped(make_window, tmp_path, monkeypatch):
    window = make_window()
    assert not _drag_accepted(window, _files(tmp_path / "notes.mdown"))
    kinds = (*INPUT_KINDS, InputKind("Markdown", "markdown", (".mdown",)))
    monkeypatch.setattr(ingest_settings, "INPUT_KINDS", kinds)
    assert _drag_accepted(window, _files(tmp_path / "notes.mdown"))
