"""A draft whose text encoding was a weak guess: the window says which encoding it used and
reads the draft again in another one, in place of the first reading, as one undoable step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.shown import errors_shown

CAFE = "Café au lait coûte 3€\nLe thé coûte 2€\n"


def _import(window, path: Path) -> None:
    window.importer.import_path(path)
    assert window.session.data is not None, errors_shown(window)


def test_the_window_names_a_guessed_encoding_and_reads_it_again_in_another(
    make_window, tmp_path, qtbot
):
    window = make_window()
    path = tmp_path / "cafe.txt"
    path.write_bytes(CAFE.encode("cp1252"))
    _import(window, path)
    first = window.session.review_id
    bar = window.encodings.bar
    assert bar.isVisible()
    assert bar.text.text().startswith(
        "cafe.txt is not UTF-8; read as Windows-1252 (Western European), a guess"
    )
    assert bar.choice.currentText() == "Windows-1250 (Central European)"  # the rival first

    qtbot.mouseClick(bar.read_button, Qt.MouseButton.LeftButton)
    data = window.session.data
    assert data is not None and window.session.review_id != first
    assert data.revision.text.startswith("Café au lait coűte 3€")
    assert not bar.isVisible()
    assert [s.id for s in window.session.store.list_reviews()] == [window.session.review_id]

    window.session.undo()  # one step back: the first reading, as it was
    assert window.session.review_id == first
    assert window.session.data.revision.text.startswith("Café au lait coûte 3€")
    assert [s.id for s in window.session.store.list_reviews()] == [first]


def test_no_notice_for_utf8_or_a_clear_guess_and_keep_dismisses_it(make_window, tmp_path, qtbot):
    window = make_window()
    plain = tmp_path / "plain.txt"
    plain.write_text(CAFE, encoding="utf-8")
    _import(window, plain)
    assert not window.encodings.bar.isVisible()
    doubtful = tmp_path / "cafe.txt"
    doubtful.write_bytes(CAFE.encode("cp1252"))
    _import(window, doubtful)
    bar = window.encodings.bar
    assert bar.isVisible()
    qtbot.mouseClick(bar.keep_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    assert window.session.data.revision.text.startswith("Café au lait coûte 3€")


def test_reading_again_reads_and_saves_in_a_worker_process(
    make_window, tmp_path, qtbot, monkeypatch
):
    from reviewapp.store import ReviewStore

    window = make_window(synchronous=False)  # the session's worker processes
    path = tmp_path / "cafe.txt"
    path.write_bytes(CAFE.encode("cp1252"))
    window.importer.import_path(path)
    bar = window.encodings.bar
    qtbot.waitUntil(lambda: bar.isVisible() and _shown(window) is not None, timeout=20_000)
    first = _shown(window)
    saved_here: list[object] = []
    monkeypatch.setattr(ReviewStore, "add_article", lambda *args: saved_here.append(args))
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)

    qtbot.mouseClick(bar.read_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: _shown(window) not in (None, first), timeout=20_000)
    assert saved_here == []  # read and saved in the worker, not in this process
    assert "Reading “cafe.txt” as Windows-1250 (Central European)…" in shown
    assert window.session.data.revision.text.startswith("Café au lait coűte 3€")
    assert window.watcher.check() is False  # the window's own write, not another program's
    window.session.undo()  # the first reading is shown again (it is read on the reader)
    qtbot.waitUntil(lambda: _shown(window) == first, timeout=20_000)
    assert window.session.data.revision.text.startswith("Café au lait coûte 3€")
    assert [s.id for s in window.session.store.list_reviews()] == [first]


def _shown(window) -> int | None:
    """The review whose data the window shows (its text may arrive ahead of it)."""
    data = window.session.data
    return data.review.id if data is not None else None
