"""Importing from the GUI: URL (off the GUI thread, cancellable), file, drop, paste; errors as
messages; and the article view never loads anything the imported page points to."""

from __future__ import annotations

import threading

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.conftest import file_digest
from tests.ui.shown import errors_shown

PARAGRAPHS = [
    "The city council approved a new budget on Tuesday after a long debate about transit funding.",
    "Officials said the plan adds forty new buses and extends evening service on six routes.",
    "Critics argued that the fare increase included in the plan would hurt low-income riders.",
    "The mayor said the changes would be reviewed again in spring once ridership data arrives.",
]
TITLE = "Council passes transit budget"


def article_html(base: str) -> bytes:
    """A news page full of remote images, scripts, frames and style sheets on base."""
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html><html><head><title>{TITLE}</title>
<link rel="stylesheet" href="{base}/style.css"><script src="{base}/tracker.js"></script>
<style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png); }}</style>
</head><body><article><h1>{TITLE}</h1>
<img src="{base}/photo.jpg" srcset="{base}/photo-2x.jpg 2x">
<picture><source srcset="{base}/p.webp"></picture>
{body}
<iframe src="{base}/frame.html"></iframe>
<video poster="{base}/poster.jpg" src="{base}/v.mp4"></video>
<object data="{base}/object.swf"></object><embed src="{base}/embed.swf">
<script>fetch("{base}/inline-fetch")</script>
<p style="background-image: url({base}/inline.png)">The vote was seven to two in the end.</p>
</article></body></html>""".encode()


def test_url_import_runs_off_the_gui_thread_and_loads_nothing_else(
    make_window, qtbot, recording_server
):
    pages: dict = {}
    base, requests = recording_server(pages)
    pages["/article.html"] = ("delay:text/html; charset=utf-8", article_html(base))
    window = make_window(synchronous=False)
    dialog = window.open_import_url()
    dialog.url.setText(f"{base}/article.html")
    ticks = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(threading.get_ident()))
    timer.start(20)
    dialog.begin()
    assert dialog.busy and not dialog.progress.isHidden()
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=10000)
    timer.stop()
    assert len(ticks) >= 5  # the event loop kept running while the page was fetched
    assert not dialog.isVisible()
    assert window.session.data.revision.meta.title == TITLE
    assert "forty new buses" in window.article.view.toPlainText()
    qtbot.wait(300)  # time for any stray resource load to arrive
    assert requests == ["/article.html"]


def test_a_page_full_of_remote_resources_imported_from_a_file_loads_nothing(
    make_window, qtbot, recording_server, tmp_path
):
    base, requests = recording_server({})
    page = tmp_path / "article.html"
    page.write_bytes(article_html(base))
    window = make_window()
    window.importer.import_path(page)
    assert window.session.data is not None, errors_shown(window)
    view = window.article.view
    assert "forty new buses" in view.toPlainText()
    assert "<" not in view.toPlainText()  # text from our blocks, never the page's markup
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    window.grab()  # paint everything once
    qtbot.wait(300)
    assert requests == []


def test_cancelling_a_url_import_stops_it_and_writes_nothing(
    make_window, qtbot, recording_server, db_path
):
    base, requests = recording_server({"/never.html": ("slow", b"")})
    window = make_window(synchronous=False)
    before = window.session.store.count_reviews()
    dialog = window.open_import_url()
    dialog.url.setText(f"{base}/never.html")
    dialog.begin()
    qtbot.waitUntil(lambda: requests == ["/never.html"], timeout=5000)
    dialog.cancel()
    assert dialog.state.text() == "Cancelling…"
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert window.session.store.count_reviews() == before
    assert window.statusBar().currentMessage() == "Import cancelled"
    assert errors_shown(window) == []


def test_a_url_that_fails_shows_the_reason_in_the_dialog(make_window, qtbot, recording_server):
    base, _ = recording_server({})
    window = make_window(synchronous=False)
    dialog = window.open_import_url()
    dialog.url.setText(f"{base}/missing.html")
    dialog.begin()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "404" in dialog.error.text()
    assert "Traceback" not in dialog.error.text()
    assert dialog.isVisible() and dialog.import_button.isEnabled()
    assert window.session.store.count_reviews() == 0


def test_a_non_web_address_is_refused_before_any_fetch(make_window):
    window = make_window()
    dialog = window.open_import_url()
    dialog.url.setText("ftp://example.org/draft.html")
    dialog.begin()
    assert "must start with http:// or https://" in dialog.error.text()


def drop(window, mime: QMimeData) -> None:
    point = QPointF(window.width() / 2, window.height() / 2)
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(
        window, QDropEvent(point, Qt.DropAction.CopyAction, mime, buttons, modifiers)
    )


def test_dropping_a_file_imports_it(make_window, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("Dropped draft title\n\nA dropped paragraph about budgets.\n", encoding="utf-8")
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop(window, mime)
    assert window.session.data is not None, errors_shown(window)
    assert "A dropped paragraph about budgets." in window.article.view.toPlainText()


def test_dropping_a_link_fetches_it(make_window, qtbot, recording_server):
    pages: dict = {}
    base, _ = recording_server(pages)
    pages["/a.html"] = ("text/html", article_html(base))
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl(f"{base}/a.html")])
    drop(window, mime)
    assert window.session.data is not None, errors_shown(window)
    assert window.session.data.revision.meta.url.endswith("/a.html")


def test_pasting_plain_text_starts_a_review(make_window):
    window = make_window()
    QGuiApplication.clipboard().setText("Pasted title\n\nThe pasted body mentions 12 ministers.")
    window.action_set["file.paste"].trigger()
    assert window.session.data is not None, errors_shown(window)
    assert "12 ministers" in window.article.view.toPlainText()


def test_pasting_html_keeps_its_text_and_drops_its_markup(make_window):
    window = make_window()
    mime = QMimeData()
    html = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    mime.setHtml(f"<h1>{TITLE}</h1><img src='http://127.0.0.1:9/x.png'>{html}")
    mime.setText("\n".join(PARAGRAPHS))
    # What File > Paste does with the clipboard's data (a Python-made QMimeData handed to the
    # clipboard would be freed twice at exit, so the test passes it directly).
    window.importer.import_mime(mime)
    assert window.session.data is not None, errors_shown(window)
    text = window.article.view.toPlainText()
    assert "forty new buses" in text and "<img" not in text


def test_bad_files_get_a_message_and_leave_the_database_unchanged(make_window, tmp_path, db_path):
    window = make_window()
    before = file_digest(db_path)
    binary = tmp_path / "draft.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    window.importer.import_path(binary)
    (binary_error,) = errors_shown(window)
    # A sentence, ending in a full stop; the file keeps its name ("draft.txt", not "Draft.txt").
    assert binary_error == "draft.txt is not a text file: it contains binary data."
    window.importer.import_path(tmp_path / "missing.html")
    assert len(errors_shown(window)) == 2 and "does not exist" in errors_shown(window)[-1]
    window.importer.import_path(tmp_path / "notes.pdf")
    assert len(errors_shown(window)) == 3 and "Traceback" not in errors_shown(window)[-1]
    assert window.session.store.count_reviews() == 0
    assert file_digest(db_path) == before


def test_an_empty_clipboard_says_so(make_window):
    window = make_window()
    window.importer.import_mime(QMimeData())
    assert errors_shown(window) == [
        "There is nothing to import on the clipboard: copy some text, HTML or a link."
    ]


def test_an_unexpected_failure_is_a_message_not_a_traceback(make_window, monkeypatch):
    import reviewapp.ingest

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reviewapp.ingest, "load_source", broken)
    window = make_window()
    window.importer.import_sample()
    assert errors_shown(window) == ["Something went wrong: RuntimeError: disk on fire."]
