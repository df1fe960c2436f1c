"""Reading a capture offline: its extracted text as plain text (nothing is rendered, so no
remote resource is ever loaded), what was kept about it, and Open as File for the system
viewer (a PDF, or the page itself)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp.ui.widgets import describe
from reviewapp.workflows.captures import CaptureReading, write_capture_file
from reviewapp.workflows.captures import describe as describe_capture

THIN_WARNING = (
    "Thin capture: almost no text could be read from this page. It may be a login, "
    "paywall or block page rather than the source itself."
)


class CaptureViewDialog(QDialog):
    """Non-modal: the editor can read the capture beside the review."""

    openedFile = Signal(str)  # the path handed to the system viewer
    failed = Signal(str)

    def __init__(self, reading: CaptureReading, parent: QWidget | None = None):
        super().__init__(parent)
        self.reading = reading
        capture = reading.capture
        self.setObjectName("captureView")
        self.setWindowTitle(f"Capture of {capture.final_url}")
        self.setModal(False)
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.facts = QLabel(describe_capture(capture), self)
        self.facts.setObjectName("captureFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts)
        self.thin = QLabel(THIN_WARNING, self)
        self.thin.setObjectName("captureThin")
        self.thin.setWordWrap(True)
        self.thin.setVisible(capture.thin)
        layout.addWidget(self.thin)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("captureText")
        self.text.setReadOnly(True)
        describe(self.text, "Captured text", "The text read from the capture, offline")
        if reading.text.strip():
            self.text.setPlainText(reading.text)
        elif capture.is_pdf:
            self.text.setPlainText("This capture is a PDF: open it as a file to read it.")
        else:
            self.text.setPlainText(
                "No text could be read from this capture: open it as a file to see it."
            )
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_file = QPushButton("&Open as File", self)
        self.open_file.setObjectName("openCaptureFile")
        describe(
            self.open_file,
            "Open as File",
            f"Save the captured {reading.suffix.lstrip('.').upper()} to a temporary file and "
            "open it with the system's viewer",
        )
        buttons.addButton(self.open_file, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.open_file.clicked.connect(self.open_as_file)
        layout.addWidget(buttons)
        self.text.setFocus()

    def open_as_file(self) -> None:
        """Write the body to a temporary file and hand it to the system viewer."""
        try:
            path = write_capture_file(self.reading)
        except OSError as exc:
            self.failed.emit(f"cannot write the capture to a file: {exc.strerror or exc}")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.failed.emit(f"no program opened {path}; open it yourself")
        self.openedFile.emit(str(path))
