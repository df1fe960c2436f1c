"""Export: the open review, or every review (optionally of one status) into a folder, in any
format; the writing runs off the GUI thread with progress and Cancel. WARC (the captures of
the open review's sources) is for one review that has captures."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.model import ReviewData
from reviewapp.core.scales import REVIEW_STATUSES
from reviewapp.core.states import ReviewStatus
from reviewapp.export import FORMATS, export_filename, export_stem
from reviewapp.workflows.exporting import WARC_EXTENSION, WARC_FORMAT

# What each format is for, in the words an editor would use.
FORMAT_TEXT: dict[str, tuple[str, str]] = {
    "md": ("Markdown", "the review for people; signed off, it comes with its .md.sig"),
    "json": ("JSON bundle", "everything, lossless; another reviewapp imports it as a bundle"),
    "w3c": ("W3C Web Annotation", "JSON-LD annotations on the article, for annotation tools"),
    "claimreview": ("ClaimReview", "schema.org JSON-LD, a rating per claim, for fact-checkers"),
    "csv": ("CSV", "one row per claim, for spreadsheets"),
    WARC_FORMAT: ("WARC", "every capture of this review's sources, for web archive replay tools"),
}
FILTERS = {
    "md": "Markdown (*.md)",
    "json": "JSON bundle (*.json)",
    "w3c": "JSON-LD (*.jsonld)",
    "claimreview": "JSON-LD (*.jsonld)",
    "csv": "CSV (*.csv)",
    WARC_FORMAT: "WARC (*.warc.gz *.warc)",
}
ALL_FORMATS = (*FORMATS, WARC_FORMAT)


class ExportDialog(QDialog):
    """``start_one(fmt, path, done, failed)`` writes the open review; ``start_all(fmt, folder,
    status, done, failed, progress, cancel)`` writes every review. Both return a Task."""

    def __init__(
        self,
        data: ReviewData | None,
        folder: str,
        start_one: Callable[..., object],
        start_all: Callable[..., object],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(640)
        self.data = data
        self.folder = folder
        self._start_one, self._start_all = start_one, start_all
        self.running = False
        self.cancel_event = threading.Event()
        self.written: list[Path] = []
        self._suggested = ""

        # ---- what
        what = QGroupBox("What to export", self)
        title = (data.revision.meta.title or "(untitled draft)") if data else ""
        self.one = QRadioButton(f"This review: “{_short(title)}”" if data else "This review", what)
        self.one.setEnabled(data is not None)
        self.all = QRadioButton("All reviews, one file each, into a folder", what)
        self.status = QComboBox(what)
        self.status.setObjectName("exportStatus")
        self.status.setAccessibleName("Only reviews with this status")
        self.status.setAccessibleDescription("With All reviews: export only those in this status")
        self.status.addItem("of any status", "")
        for key, label in REVIEW_STATUSES.items():
            self.status.addItem(f"only {label.lower()}", key)
        what_layout = QGridLayout(what)
        what_layout.addWidget(self.one, 0, 0, 1, 2)
        what_layout.addWidget(self.all, 1, 0)
        what_layout.addWidget(self.status, 1, 1)
        what_layout.setColumnStretch(0, 1)
        (self.one if data is not None else self.all).setChecked(True)

        # ---- format
        fmt_box = QGroupBox("Format", self)
        fmt_layout = QVBoxLayout(fmt_box)
        fmt_layout.setSpacing(4)
        self.format_group = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        for fmt in ALL_FORMATS:
            name, purpose = FORMAT_TEXT[fmt]
            button = QRadioButton(f"{name} — {purpose}", fmt_box)
            button.setObjectName(f"format-{fmt}")
            self.format_group.addButton(button)
            self.format_buttons[fmt] = button
            fmt_layout.addWidget(button)
        self.format_buttons["md"].setChecked(True)

        # ---- where
        self.where_label = QLabel(self)
        self.path = QLineEdit(self)
        self.path.setObjectName("exportPath")
        self.path.setAccessibleName("File or folder to export to")
        self.path.setAccessibleDescription("Where the export is written; Choose picks it")
        choose = QPushButton("Choose…", self)
        choose.setAccessibleName("Choose where to export")
        choose.setAccessibleDescription("Pick the file or folder in a file dialog")
        choose.clicked.connect(self.choose)
        where = QHBoxLayout()
        where.addWidget(self.where_label)
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        self.hint = QLabel(self)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.progress.setAccessibleName("Export progress")
        self.progress.setAccessibleDescription("How far a batch export has got; Cancel stops it")
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel(self)
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        self.error.hide()

        self.buttons = QDialogButtonBox(self)
        self.export_button = QPushButton("Export", self)
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_folder = QPushButton("Open Folder", self)
        self.open_folder.clicked.connect(self._open_folder)
        self.buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder.hide()  # after addButton, which shows it
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.begin)
        self.buttons.rejected.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(fmt_box)
        layout.addLayout(where)
        layout.addWidget(self.hint)
        layout.addWidget(self.progress)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.one.toggled.connect(lambda _: self._update())
        self.format_group.buttonToggled.connect(lambda *_: self._update())
        self.status.currentIndexChanged.connect(lambda _: self._update())
        self.path.textChanged.connect(lambda _: self._update_hint())
        self._update()

    # ------------------------------------------------------------------ state
    @property
    def fmt(self) -> str:
        return next(f for f, b in self.format_buttons.items() if b.isChecked())

    @property
    def batch(self) -> bool:
        return self.all.isChecked()

    def set_format(self, fmt: str) -> None:
        self.format_buttons[fmt].setChecked(True)

    def warc_unavailable(self) -> str:
        """Why WARC cannot be chosen now, or "" when it can."""
        if self.batch:
            return "WARC exports one review at a time: choose This review"
        if self.data is None or not self.data.captures:
            return "this review has no captures yet: capture a source first (Ctrl+Shift+K)"
        return ""

    def _update_warc(self) -> None:
        """Enable WARC only when it can be written, and say why not on the button itself."""
        button = self.format_buttons[WARC_FORMAT]
        name, purpose = FORMAT_TEXT[WARC_FORMAT]
        reason = self.warc_unavailable()
        button.setEnabled(not reason)
        button.setText(f"{name} — {reason}" if reason else f"{name} — {purpose}")
        button.setToolTip(f"Not available: {reason}." if reason else "")
        button.setAccessibleDescription(f"Not available: {reason}" if reason else purpose)
        if reason and button.isChecked():
            self.format_buttons["md"].setChecked(True)

    def _update(self) -> None:
        """Suggest a path for the choice (keeping one the editor typed) and say what happens."""
        self.status.setEnabled(self.batch)
        self._update_warc()
        current = self.path.text().strip()
        if self.batch:
            self.where_label.setText("Folder")
            if not current or current == self._suggested:
                self._suggested = self.folder
                self.path.setText(self.folder)
        else:
            assert self.data is not None
            self.where_label.setText("Save as")
            name = (
                f"{export_stem(self.data)}.{WARC_EXTENSION}"
                if self.fmt == WARC_FORMAT
                else export_filename(self.data, self.fmt)
            )
            if not current or current in (self._suggested, self.folder):
                self._suggested = str(Path(self.folder) / name)
                self.path.setText(self._suggested)
        self._update_hint()

    def _update_hint(self) -> None:
        text = self.path.text().strip()
        if self.batch:
            status = self.status.currentData()
            which = f"every {REVIEW_STATUSES[status].lower()} review" if status else "every review"
            extra = (
                " (and its .md.sig and .intoto.json when signed off)" if self.fmt == "md" else ""
            )
            self.hint.setText(
                f"Writes {which} as review-ID-title{_ext(self.fmt)}{extra} into this folder; "
                "files of the same name are replaced."
            )
            return
        assert self.data is not None
        notes = []
        if self.fmt == "md":
            if self.data.review.status == ReviewStatus.SIGNED_OFF and self.data.current_signoff:
                attested = (
                    " and its signed attestation (NAME.intoto.json)"
                    if self.data.current_signoff.attestation
                    else ""
                )
                notes.append(
                    "Signed off: the signed Markdown is written with its signature beside it "
                    f"(NAME.md.sig){attested}, verifiable with reviewapp or ssh-keygen."
                )
            else:
                notes.append("Not signed off: the Markdown is written without a signature.")
        if self.fmt == WARC_FORMAT:
            count = len(self.data.captures)
            notes.append(
                f"Writes {count} capture{'s' if count != 1 else ''} as WARC records after a "
                "warcinfo record; gzip-compressed unless the name ends in .warc."
            )
        if text and Path(text).exists():
            notes.append(f"{Path(text).name} exists and will be replaced.")
        self.hint.setText(" ".join(notes))

    # ------------------------------------------------------------------ choosing a path
    def choose(self) -> QFileDialog:
        current = self.path.text().strip() or self.folder
        if self.batch:
            dialog = QFileDialog(self, "Export Into Folder", current)
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            dialog = QFileDialog(self, "Export As", current, FILTERS[self.fmt])
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix(_ext(self.fmt).lstrip("."))
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()
        self.file_dialog = dialog
        return dialog

    # ------------------------------------------------------------------ running
    def begin(self) -> None:
        text = self.path.text().strip()
        if not text:
            self._failed("choose a folder first" if self.batch else "choose a file name first")
            return
        self.error.hide()
        self.state.setText("")
        self.open_folder.hide()
        self.export_button.setEnabled(False)
        self.running = True
        self.cancel_event = threading.Event()
        path = Path(text).expanduser()
        if self.batch:
            self.progress.setValue(0)
            self.progress.show()
            self.state.setText("Exporting…")
            status = self.status.currentData()
            self._start_all(
                self.fmt, path, status, self._done, self._failed, self._progress, self.cancel_event
            )
        else:
            self._start_one(self.fmt, path, self._done, self._failed)

    def _progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.state.setText(text)

    def cancel(self) -> None:
        """Stop a running batch after the file being written (every written file is whole),
        or close the dialog."""
        if self.running:
            self.cancel_event.set()
            self.state.setText("Cancelling after the current file…")
            self.cancel_button.setEnabled(False)
            return
        self.reject()

    def _finish(self) -> None:
        self.running = False
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def _done(self, written: list[Path]) -> None:
        self._finish()
        self.written = list(written)
        folder = self.path.text().strip() if self.batch else str(Path(self.path.text()).parent)
        self._last_folder = folder
        count = f"{len(written)} file{'s' if len(written) != 1 else ''}"
        if self.cancel_event.is_set():
            self.state.setText(f"Cancelled: {count} written to {folder} before stopping.")
        elif not written:
            self.state.setText("There were no reviews to export; nothing was written.")
        elif self.batch:
            self.state.setText(f"Wrote {count} to {folder}.")
        else:
            names = [p.name for p in written]
            listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
            self.state.setText(f"Wrote {listed} to {folder}.")
        self.open_folder.setVisible(bool(written))
        self._update_hint()

    def _failed(self, message: str) -> None:
        self._finish()
        self.error.setText(message)
        self.error.show()

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self._last_folder))


def _ext(fmt: str) -> str:
    return "." + (WARC_EXTENSION if fmt == WARC_FORMAT else FORMATS[fmt][0])


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
