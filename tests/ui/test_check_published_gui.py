"""Review › Check Published Version… on a signed-off review: the published version (a web
address on a local http.server, or a file) is read and compared off the GUI thread and never
stored; the answer is a plain message when the texts agree (whitespace or curly quotes named,
not counted), or the changed passages and the claims they touch in the Compare view."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reviewapp.ui.dialogs.check_published import CheckPublishedDialog
from reviewapp.ui.dialogs.diff_view import DiffDialog
from tests.conftest import SAMPLE, file_digest
from tests.ui.conftest import answer_accountability
from tests.ui.test_signed_off_read_only import signed_off_window

TEXT = SAMPLE.read_text(encoding="utf-8")
FIGURE = TEXT.replace("has committed $4 billion", "has committed $8 billion")


def _check(window, source: str) -> CheckPublishedDialog:
    dialog = window.revisions.open_check_published()
    assert isinstance(dialog, CheckPublishedDialog)
    dialog.source.setText(source)
    dialog.begin()
    return dialog


def _published_diffs(window) -> list[DiffDialog]:
    return [w for w in window.findChildren(DiffDialog, "publishedChanges") if w.isVisible()]


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_action_is_there_only_for_a_signed_off_review(sample_window):
    window = sample_window
    action = window.action_set["review.check_published"]
    assert not action.isEnabled()
    assert action.shortcut().toString() == "Ctrl+Shift+P"
    signed_off_window(window)
    assert action.isEnabled()


def test_an_identical_published_page_gets_a_plain_answer(sample_window, recording_server, db_path):
    window = signed_off_window(sample_window)
    base, requests = recording_server({"/story.txt": ("text/plain; charset=utf-8", TEXT.encode())})
    before = file_digest(db_path)
    dialog = _check(window, f"{base}/story.txt")
    assert dialog.error.isHidden(), dialog.error.text()
    assert dialog.answer.text().startswith("Published = reviewed")
    assert "differs only" not in dialog.answer.text()
    assert dialog.changes_button.isHidden() and _published_diffs(window) == []
    assert requests == ["/story.txt"]
    assert file_digest(db_path) == before  # nothing of the published version is stored


def test_a_changed_figure_opens_the_changes_with_the_claim_it_touches(
    sample_window, recording_server
):
    window = signed_off_window(sample_window)
    claim = window.session.data.claims[0]  # on "has committed $4 billion"
    base, _ = recording_server({"/story.txt": ("text/plain; charset=utf-8", FIGURE.encode())})
    dialog = _check(window, f"{base}/story.txt")
    assert dialog.answer.text().startswith("Changed since sign-off: 1 passage")
    assert "touching 1 claim" in dialog.answer.text()
    [diff] = _published_diffs(window)
    assert [c.kind for c in diff.changes] == ["changed"]
    assert [c.id for c in diff.touched.by_change[0]] == [claim.id]
    page = diff.view.toPlainText()
    assert "Signed revision 1" in page and "Published version" in page
    assert "$8 billion" in page and "$4 billion" in page
    assert "published version" in diff.summary.text() and "1 claim touched" in diff.summary.text()
    assert diff.from_combo.isHidden()  # two given texts: nothing to choose
    diff.close()
    dialog.changes_button.click()  # and it opens again on demand
    assert len(_published_diffs(window)) == 1


def test_whitespace_and_curly_quotes_are_named_and_not_counted(sample_window, tmp_path):
    window = signed_off_window(sample_window)
    # Runs of spaces fold on import; a paragraph break that the publishing system added
    # is the whitespace that survives into the canonical text.
    assert " However, Amazon" in TEXT
    reflowed = _write(
        tmp_path, "reflowed.txt", TEXT.replace(" However, Amazon", "\n\nHowever, Amazon")
    )
    dialog = _check(window, reflowed)
    assert dialog.answer.text().startswith("Published = reviewed"), dialog.error.text()
    assert "differs only in whitespace" in dialog.answer.text()
    dialog.close()
    curly = _write(tmp_path, "curly.txt", TEXT.replace("Anthropic's", "Anthropic\u2019s"))
    dialog = _check(window, curly)
    assert "differs only in typographic quotes" in dialog.answer.text()
    assert _published_diffs(window) == []


def test_a_missing_page_is_one_clear_line_and_the_dialog_stays(sample_window, recording_server):
    window = signed_off_window(sample_window)
    base, _ = recording_server({})
    dialog = _check(window, f"{base}/gone.txt")
    assert dialog.error.isVisible() and "404" in dialog.error.text()
    assert "\n" not in dialog.error.text()
    assert dialog.import_button.isEnabled() and dialog.source.isEnabled()
    dialog.source.clear()
    dialog.begin()
    assert "web address or the file" in dialog.error.text()


def test_the_check_runs_on_the_thread_pool(make_window, recording_server, qtbot):
    window = make_window(synchronous=False)
    window.importer.import_sample()
    qtbot.waitUntil(lambda: window.session.data is not None)
    # sign off (on the pool too), then check
    signed_off = signed_off_window_threaded(window, qtbot)
    base, _ = recording_server({"/story.txt": ("delay:text/plain; charset=utf-8", FIGURE.encode())})
    dialog = _check(signed_off, f"{base}/story.txt")
    assert dialog.busy and dialog.progress.isVisible()  # the GUI thread was not held
    qtbot.waitUntil(lambda: dialog.answer.isVisible(), timeout=10000)
    assert dialog.answer.text().startswith("Changed since sign-off")
    qtbot.waitUntil(lambda: len(_published_diffs(window)) == 1)


def signed_off_window_threaded(window, qtbot):
    from tests.ui.conftest import select_quote

    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.opinion"].trigger()
    window.header.verdict.chosen.emit("publish")
    answer_accountability(window)
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("ada@example.org")
    dialog.accept()
    qtbot.waitUntil(lambda: window.session.data.review.status == "signed-off", timeout=10000)
    return window


def test_the_dialog_is_keyboard_reachable(sample_window, qtbot):
    window = signed_off_window(sample_window)
    window.action_set["review.check_published"].trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CheckPublishedDialog))
    qtbot.waitExposed(dialog)
    assert dialog.source.accessibleName() == "Published version"
    assert dialog.import_button.isDefault()
    assert dialog.answer.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_the_published_version_is_read_and_compared_in_a_worker_process(
    sample_window, make_window, recording_server, qtbot, monkeypatch
):
    from reviewapp.workflows import published

    review_id = signed_off_window(sample_window).session.review_id
    compared_here: list[object] = []
    compare = published.check_published

    def recorded(*args):
        compared_here.append(args)
        return compare(*args)

    monkeypatch.setattr(published, "check_published", recorded)
    window = make_window(synchronous=False)  # the session's worker processes
    window.session.open_review(review_id)
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=20_000)
    base, _ = recording_server({"/story.txt": ("text/plain; charset=utf-8", FIGURE.encode())})
    answers: list[object] = []

    window.revisions.check_published(f"{base}/story.txt", answers.append, answers.append)

    qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    assert compared_here == []  # not in this process
    [check] = answers
    assert [c.kind for c in check.changes] == ["changed"]
    assert "$8 billion" in check.published.text
