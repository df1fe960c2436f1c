"""Import from URL: the address, a progress bar while fetching off the GUI thread, Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp.ui.dialogs.task_dialog import TaskDialog
from reviewapp.ui.tasks import Task
from reviewapp.ui.widgets import describe


class ImportUrlDialog(TaskDialog):
    """``start(url, done, failed)`` begins the import and returns its Task."""

    def __init__(self, start: Callable[..., Task], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import from URL")
        self.setMinimumWidth(520)
        self._start = start
        self.task: Task | None = None
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://example.org/news/the-draft")
        describe(self.url, "Web address", "The address of the draft, starting with https://")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: a fetch has no reliable percentage
        self.progress.setTextVisible(False)
        describe(self.progress, "Fetching", "Shown while the page is fetched; Cancel stops it")
        self.progress.hide()
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setObjectName("muted")
        self.error = QLabel(self)
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.begin)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        prompt = QLabel("Web address of the draft:", self)
        prompt.setBuddy(self.url)
        layout.addWidget(prompt)
        layout.addWidget(self.url)
        layout.addWidget(self.progress)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def begin(self) -> None:
        url = self.url.text().strip()
        if not url:
            self._failed("type or paste a web address starting with https://")
            return
        self.started(f"Fetching {url} …")
        self.task = self._start(url, self._done, self._failed)

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.url.setEnabled(enabled)

    def _done(self) -> None:
        self.accept()
