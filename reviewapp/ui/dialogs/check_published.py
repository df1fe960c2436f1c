"""Check Published Version: is the text a newsroom published the one it signed off?

The editor gives a web address or a file; the published version is read and compared off the
GUI thread (progress, Cancel) and never stored. The answer: the same text (whitespace or
typographic quotes that differ are named, not counted), or the changed passages, which the
controller shows in the Compare view with the claims each one touches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp.ui.dialogs.task_dialog import TaskDialog
from reviewapp.ui.tasks import Task
from reviewapp.ui.widgets import browse_for_draft

if TYPE_CHECKING:
    from reviewapp.workflows.published import PublishedCheck


def answer_text(check: PublishedCheck) -> str:
    """The answer in one or two sentences, as the CLI gives it."""
    signed = f"signed revision {check.signed.number}"
    if check.identical:
        apart = (
            f" It differs only in {' and '.join(check.cosmetic)}, which publishing systems "
            "change on their own and which does not count."
            if check.cosmetic
            else ""
        )
        return f"Published = reviewed: the published text is the {signed}'s.{apart}"
    n, touched = len(check.changes), check.touched.count
    return (
        f"Changed since sign-off: {n} passage{'s' if n != 1 else ''} of the published text "
        f"differ from the {signed}, touching {touched} claim{'s' if touched != 1 else ''}."
    )


class CheckPublishedDialog(TaskDialog):
    """``start(source, done(check), failed(message)) -> Task`` reads and compares."""

    changesFound = Signal(object)  # a PublishedCheck with changes: show them

    def __init__(
        self, signed_number: int, start: Callable[..., Task], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("Check Published Version")
        self.resize(640, 260)
        self._start = start
        self.check: PublishedCheck | None = None

        intro = QLabel(
            f"Compare the published version (a web address or a file) with revision "
            f"{signed_number}, the text this review signed off. The published version is read, "
            "never stored.",
            self,
        )
        intro.setWordWrap(True)
        self.source = QLineEdit(self)
        self.source.setObjectName("publishedSource")
        self.source.setPlaceholderText("https://news.example.org/the-article, or a file")
        self.source.setAccessibleName("Published version")
        self.source.setAccessibleDescription("The web address or the file of the published text")
        browse = QPushButton("Choose File…", self)
        browse.setAccessibleName("Choose a file")
        browse.setAccessibleDescription("Pick the published version's file in a file dialog")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(browse)
        self.browse = browse

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Checking")
        self.progress.setAccessibleDescription(
            "Shown while the published version is read and compared; Cancel stops it"
        )
        self.progress.hide()
        self.state = QLabel(self)
        self.state.setObjectName("muted")
        self.error = QLabel(self)
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        self.error.hide()
        self.answer = QLabel(self)
        self.answer.setObjectName("publishedAnswer")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.answer.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a screen reader reaches it
        self.answer.hide()

        buttons = QDialogButtonBox(self)
        self.import_button = QPushButton("Check", self)
        self.import_button.setDefault(True)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.changes_button = QPushButton("Show Changes…", self)
        self.changes_button.clicked.connect(self._show_changes)
        buttons.addButton(self.changes_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.changes_button.hide()  # after addButton, which shows it
        buttons.accepted.connect(self.begin)
        buttons.rejected.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(self.answer)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        self.file_dialog = browse_for_draft(self, "Choose the Published Version", self.source)

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.source.setEnabled(enabled)
        self.browse.setEnabled(enabled)

    def begin(self) -> None:
        value = self.source.text().strip()
        if not value:
            self._failed("Give the web address or the file of the published version.")
            return
        self.answer.hide()
        self.changes_button.hide()
        self.started("Reading the published version and comparing it…")
        self.task = self._start(value, self._done, self._failed)

    def _done(self, check: PublishedCheck) -> None:
        self.task = None
        self.check = check
        self.progress.hide()
        self.state.setText("")
        self.answer.setText(answer_text(check))
        self.answer.show()
        self.import_button.setEnabled(True)
        self.set_inputs_enabled(True)
        if not check.identical:
            self.changes_button.show()
            self.changesFound.emit(check)

    def _show_changes(self) -> None:
        if self.check is not None and not self.check.identical:
            self.changesFound.emit(self.check)
