"""When a draft's text encoding was a weak guess: say so above the panes, and read it again.

A file that is not UTF-8 is read in the likeliest legacy code page (ingest/decoding.py). When
another code page reads it about as well, the window says which one was used and offers the
others; "Read Again" reads the draft's own stored bytes in the chosen one and puts the result
in place of the first reading, as one undoable step.
"""

from __future__ import annotations

import dataclasses
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from reviewapp.core.model import ImportedDraft
from reviewapp.ingest.decoding import LEGACY_CODECS, doubt_note, encoding_name
from reviewapp.ui import commands
from reviewapp.ui.importing import Importer
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.tasks import Task, TaskControl
from reviewapp.ui.widgets import describe


class EncodingBar(QFrame):
    """A strip above the panes: "read as Windows-1252, a guess", a choice, Read Again."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("encodingBar")
        self.setAccessibleName("The text encoding of this draft was a guess")
        self.setStyleSheet(
            "#encodingBar { background: #fdf3e1; border-bottom: 1px solid #e8c98f; }"
            "#encodingBar QLabel { color: #5a3d0a; }"
        )
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.choice = QComboBox(self)
        describe(self.choice, "Encoding to read the draft in", "The code page to read it again in")
        self.read_button = QPushButton("Read Again", self)
        describe(self.read_button, "Read Again", "Read this draft again in the chosen encoding")
        self.keep_button = QPushButton("Keep", self)
        describe(self.keep_button, "Keep", "The letters look right: keep this reading")
        self.keep_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.choice)
        layout.addWidget(self.read_button)
        layout.addWidget(self.keep_button)
        self.doubt: tuple[int, ImportedDraft] | None = None  # the review and its draft
        self.hide()

    def show_doubt(self, review_id: int, draft: ImportedDraft) -> None:
        self.doubt = (review_id, draft)
        note = doubt_note(draft.source_name, draft.encoding, draft.encoding_rivals)
        # The note starts with the file's name: kept as it is, not capitalised.
        self.text.setText(f"{html.escape(note)}. If letters look wrong, read it again as:")
        self.choice.clear()
        others = [c for c in LEGACY_CODECS if c != draft.encoding]
        for codec in dict.fromkeys([*draft.encoding_rivals, *others]):
            self.choice.addItem(encoding_name(codec), codec)
        self.show()

    def dismiss(self) -> None:
        self.doubt = None
        self.hide()


class EncodingController:
    """Shows the bar after an import whose encoding was a weak guess; reads drafts again."""

    def __init__(self, session: ReviewSession, importer: Importer, parent: QWidget):
        self.session = session
        self.importer = importer
        self.bar = EncodingBar(parent)
        self.bar.read_button.clicked.connect(self.read_again)
        importer.drafted.connect(self._drafted)
        # The bar speaks of one review: it goes when another is opened.
        session.reviewOpened.connect(self._review_opened)

    def _drafted(self, review_id: int, draft: ImportedDraft) -> None:
        if draft.encoding_rivals:
            self.bar.show_doubt(review_id, draft)

    def _review_opened(self) -> None:
        if self.bar.doubt is not None and self.bar.doubt[0] != self.session.review_id:
            self.bar.dismiss()

    def read_again(self) -> Task | None:
        """Read the doubted draft's bytes in the chosen encoding; the new reading replaces the
        first review (moved to the bin) in one step that Undo takes back."""
        if self.bar.doubt is None:
            return None
        old_id, draft = self.bar.doubt
        codec = str(self.bar.choice.currentData())
        settings = dataclasses.replace(
            self.importer.preferences().ingest_settings(), encoding=codec
        )

        reviewer = self.importer.preferences().reviewer_name
        db, workers = str(self.session.store.path), self.importer.workers

        def load(control: TaskControl) -> tuple[ImportedDraft, int]:
            from reviewapp.workflows.drafts import import_bytes

            # Read and saved in a worker process, as an import is (pure Python, and the
            # full-text index of a long draft: on this process's threads it stalled the GUI).
            control.report(0, f"Reading “{draft.source_name}” as {encoding_name(codec)}…")
            raw, name, raw_type = draft.raw, draft.source_name, draft.raw_type
            return workers.run(
                import_bytes, db, raw, name, raw_type, settings, reviewer, writes=True
            )

        def save(saved: tuple[ImportedDraft, int]) -> bool:
            again, new_id = saved
            stack = self.session.undo_stack
            stack.beginMacro(f"Read “{draft.source_name}” as {encoding_name(codec)}")
            try:
                command = commands.ImportReview(self.session, again, reviewer, saved_id=new_id)
                if not self.session.push(command):
                    return False
                if self._untouched(old_id):  # work done on the first reading is never binned
                    title = draft.meta.title or draft.source_name
                    self.session.push(commands.DeleteReview(self.session, old_id, title))
            finally:
                stack.endMacro()
            return True

        self.bar.dismiss()
        return self.importer.reread(load, save)

    def _untouched(self, review_id: int) -> bool:
        data = self.session.store.load_review(review_id)
        return not (data.claims or data.sources or data.takeaways)
