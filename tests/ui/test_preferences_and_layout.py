"""Preferences and window layout persist in QSettings (a temporary file in tests)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from reviewapp.ui.preferences import load_preferences


def test_preferences_are_saved_and_used_for_new_reviews(make_window, settings_path):
    window = make_window()
    dialog = window.open_preferences()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("ada@example.org")
    dialog.organisation.setText("The Daily Example")
    dialog.timeout.setValue(7)
    dialog.accept()
    prefs = load_preferences(QSettings(str(settings_path), QSettings.Format.IniFormat))
    assert (prefs.reviewer_name, prefs.email, prefs.organisation, prefs.fetch_timeout) == (
        "Ada Editor",
        "ada@example.org",
        "The Daily Example",
        7.0,
    )
    window.importer.import_sample()
    assert window.session.data.review.reviewer == "Ada Editor"
    assert window.prefs.ingest_settings().timeout == 7.0


def test_a_bad_email_in_preferences_is_explained_and_not_saved(make_window, settings_path):
    window = make_window()
    dialog = window.open_preferences()
    dialog.email.setText("ada at example")
    dialog.accept()
    assert dialog.isVisible()
    assert "is not an email address" in dialog.error.text()
    assert load_preferences(QSettings(str(settings_path), QSettings.Format.IniFormat)).email == ""


def test_window_size_and_splitter_sizes_come_back(make_window):
    window = make_window()
    window.resize(799, 700)  # inside the offscreen screen (800x800), above the window's minimum
    window.splitter.setSizes([150, 350, 260])
    QApplication.sendPostedEvents()  # at this width the library folds away (see MainWindow)
    sizes = window.splitter.sizes()
    window.tabs.setCurrentIndex(2)
    window.close()
    again = make_window()
    assert (again.width(), again.height()) == (799, 700)
    assert again.splitter.sizes() == sizes
    assert again.tabs.currentIndex() == 2


def test_the_first_window_splits_library_article_and_panes_about_20_45_35(make_window):
    window = make_window()
    window.resize(1400, 900)
    sizes = window.splitter.sizes()
    shares = [round(100 * s / sum(sizes)) for s in sizes]
    assert abs(shares[0] - 20) <= 4 and abs(shares[1] - 45) <= 5 and abs(shares[2] - 35) <= 5


def test_the_reviewer_and_verdict_in_the_header_are_saved_and_undoable(sample_window):
    window = sample_window
    window.header.reviewer.setText("Grace Checker")
    window.header.reviewer.editingFinished.emit()
    window.header.verdict.set_key("do-not-publish")
    window.header.verdict.chosen.emit("do-not-publish")
    review = window.session.store.review(window.session.review_id)
    assert (review.reviewer, review.verdict) == ("Grace Checker", "do-not-publish")
    window.action_set["edit.undo"].trigger()
    assert window.session.store.review(window.session.review_id).verdict == ""
    assert window.header.verdict.key() == ""


def test_library_search_and_status_filter(make_window, qtbot):
    from tests.conftest import make_draft

    window = make_window()
    store = window.session.store
    store.add_article(make_draft(["Budget talks in the council."], "Council budget"))
    second = store.add_article(make_draft(["Football results of the week."], "Sport roundup"))
    store.add_claim_by_quote(second, "Football results")
    window.session.libraryChanged.emit()
    assert window.library.model.rowCount() == 2
    window.action_set["edit.search_library"].trigger()
    qtbot.keyClicks(window.library.search, "football")
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=2000)
    assert window.library.model.index(0).data() == "Sport roundup"
    window.library.search.clear()
    window.library.status.setCurrentIndex(window.library.status.findData("draft"))
    assert [
        window.library.model.index(r).data() for r in range(window.library.model.rowCount())
    ] == ["Council budget"]
    window.library.search.setText("***")
    window.library.apply_filter()
    assert window.library.model.rowCount() == 1  # punctuation only: treated as no search
