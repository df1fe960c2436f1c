"""Importing a file reads and saves the new review off the GUI thread: in a worker process
(workflows/workers.py), or on the pool thread when there is none, on a connection of its own;
the status bar says what it is doing meanwhile; undo still moves the imported review to the
bin."""

from __future__ import annotations

import threading

import pytest

from reviewapp.store import ReviewStore
from reviewapp.workflows.workers import InProcess


@pytest.mark.parametrize("where", ["worker process", "pool thread"])
def test_a_long_file_is_saved_off_the_gui_thread_with_progress_shown(
    make_window, qtbot, tmp_path, db_path, monkeypatch, where
):
    paragraphs = [f"Paragraph {n} reports the harbour figure {n * 7}." for n in range(3000)]
    source = tmp_path / "long.md"
    source.write_text("# A long draft\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    saved_on: list[threading.Thread] = []
    add_article = ReviewStore.add_article

    def recorded(store, *args, **kwargs):
        saved_on.append(threading.current_thread())
        return add_article(store, *args, **kwargs)

    monkeypatch.setattr(ReviewStore, "add_article", recorded)
    window = make_window(synchronous=False, workers=InProcess() if where == "pool thread" else None)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    imported: list[int] = []
    window.importer.imported.connect(imported.append)

    window.importer.import_path(source)
    qtbot.waitUntil(lambda: bool(imported), timeout=30_000)
    qtbot.waitUntil(lambda: window.session.review_id == imported[0], timeout=30_000)

    if where == "pool thread":
        assert saved_on and threading.main_thread() not in saved_on
    else:  # not in this process at all
        assert saved_on == []
    assert window.watcher.check() is False  # the window's own write, not another program's
    # The status bar told the editor what was going on, in order, before "Imported".
    saving = next(i for i, m in enumerate(shown) if m.startswith("Reading and saving long.md"))
    assert "Imported" in shown[saving:]
    data = window.session.data
    assert data.revision.text.startswith("A long draft") and "figure 20993." in data.revision.text
    assert [r.title for r in window.session.store.list_reviews()] == ["A long draft"]

    window.action_set["edit.undo"].trigger()  # the import, undone: the review goes to the bin
    assert window.session.store.list_reviews() == []
    window.action_set["edit.redo"].trigger()
    assert [r.id for r in window.session.store.list_reviews()] == imported


PAGE = (
    "<html><head><title>Harbour fees</title></head><body><article><h1>Harbour fees</h1>"
    + "".join(
        f"<p>Paragraph {n} reports that the harbour fee rose to {n} euros.</p>" for n in range(400)
    )
    + "</article></body></html>"
)


@pytest.mark.parametrize("where", ["worker process", "pool thread"])
@pytest.mark.parametrize("kind", ["url", "paste"])
def test_a_page_or_a_paste_is_read_and_saved_off_the_gui_thread(
    make_window, qtbot, monkeypatch, recording_server, where, kind
):
    from reviewapp.ingest import sources

    read_on: list[threading.Thread] = []
    for owner, name in ((ReviewStore, "add_article"), (sources, "extract_html")):
        original = getattr(owner, name)

        def recorded(*args, _original=original, **kwargs):
            read_on.append(threading.current_thread())
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)
    window = make_window(synchronous=False, workers=InProcess() if where == "pool thread" else None)
    imported: list[int] = []
    window.importer.imported.connect(imported.append)

    if kind == "url":
        base, _ = recording_server({"/fees.html": ("text/html", PAGE.encode())})
        window.importer.import_url(f"{base}/fees.html")
    else:
        window.importer.import_text("", PAGE)
    qtbot.waitUntil(lambda: bool(imported), timeout=30_000)
    qtbot.waitUntil(lambda: window.session.review_id == imported[0], timeout=30_000)

    if where == "pool thread":
        assert len(read_on) == 2 and threading.main_thread() not in read_on
    else:  # not in this process at all
        assert read_on == []
    assert window.watcher.check() is False  # the window's own write, not another program's
    text = window.session.data.revision.text
    assert text.startswith("Harbour fees") and "the harbour fee rose to 399 euros." in text
    window.action_set["edit.undo"].trigger()  # the import, undone: the review goes to the bin
    assert window.session.store.list_reviews() == []


def test_a_web_import_cancelled_while_fetching_imports_nothing(
    make_window, qtbot, recording_server
):
    base, requests = recording_server({"/slow.html": ("slow", b"")})
    window = make_window(synchronous=False)
    cancelled: list[bool] = []
    window.importer.cancelled.connect(lambda: cancelled.append(True))
    task = window.importer.import_url(f"{base}/slow.html")
    qtbot.waitUntil(lambda: bool(requests))

    task.cancel()

    qtbot.waitUntil(lambda: bool(cancelled), timeout=10_000)
    assert window.session.store.list_reviews() == []
