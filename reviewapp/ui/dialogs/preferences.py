"""Preferences: the reviewer's name and email, the organisation, the import limits, and the
library's defaults for who holds editorial responsibility and whether sign-off requires every
check-worthy sentence examined (both kept in the library's database)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.errors import ReviewAppError
from reviewapp.core.model import EditorialResponsibility
from reviewapp.ui.preferences import (
    MAX_DRAFT_MB,
    MAX_READ_SECONDS,
    MAX_TIMEOUT,
    MIN_DRAFT_MB,
    MIN_READ_SECONDS,
    MIN_TIMEOUT,
    Preferences,
)
from reviewapp.ui.widgets import describe


class PreferencesDialog(QDialog):
    saved = Signal(object)  # Preferences
    defaultsSaved = Signal(object)  # EditorialResponsibility, when the editor changed them
    coverageSaved = Signal(bool)  # the library's coverage rule, when the editor changed it
    secondReviewSaved = Signal(bool)  # the library's second-review default, when changed

    def __init__(
        self,
        prefs: Preferences,
        defaults: EditorialResponsibility | None = None,
        parent: QWidget | None = None,
        coverage_enforced: bool = True,
        second_required: bool = False,
    ):
        super().__init__(parent)
        self.second_required = second_required
        self.defaults = defaults or EditorialResponsibility()
        self.coverage_enforced = coverage_enforced
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(440)
        self.name = QLineEdit(prefs.reviewer_name, self)
        self.name.setPlaceholderText("Ada Editor")
        self.email = QLineEdit(prefs.email, self)
        self.email.setPlaceholderText("ada@example.org")
        self.organisation = QLineEdit(prefs.organisation, self)
        self.organisation.setPlaceholderText("The Daily Example")
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(MIN_TIMEOUT, MAX_TIMEOUT)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(prefs.fetch_timeout)
        self.max_draft = QSpinBox(self)
        self.max_draft.setRange(MIN_DRAFT_MB, MAX_DRAFT_MB)
        self.max_draft.setSuffix(" MB")
        self.max_draft.setValue(prefs.max_draft_mb)
        self.read_time = QDoubleSpinBox(self)
        self.read_time.setRange(MIN_READ_SECONDS, MAX_READ_SECONDS)
        self.read_time.setDecimals(0)
        self.read_time.setSuffix(" s")
        self.read_time.setValue(prefs.max_read_seconds)
        describe(self.name, "Your name", "Signs your reviews; new reviews name you as reviewer")
        describe(self.email, "Email", "Identifies your signing key, e.g. ada@example.org")
        describe(self.organisation, "Organisation", "The newsroom you review for")
        describe(
            self.timeout,
            "Fetch timeout",
            f"Seconds to wait for a web page when importing by URL, {MIN_TIMEOUT:.0f} to "
            f"{MAX_TIMEOUT:.0f}",
        )
        describe(
            self.max_draft,
            "Largest draft",
            f"The largest file, web page or paste an import reads, {MIN_DRAFT_MB} to "
            f"{MAX_DRAFT_MB} MB",
        )
        describe(
            self.read_time,
            "Time to read a draft",
            "Seconds an import may take to find the article text once the draft is here",
        )
        self.error = QLabel(self)
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Your name", self.name)
        form.addRow("Email", self.email)
        form.addRow("Organisation", self.organisation)
        form.addRow("Fetch timeout", self.timeout)
        form.addRow("Largest draft", self.max_draft)
        form.addRow("Time to read a draft", self.read_time)
        self.holder = QLineEdit(self.defaults.holder, self)
        self.holder.setObjectName("defaultHolder")
        self.holder.setPlaceholderText("The Daily Example")
        self.holder_role = QLineEdit(self.defaults.role, self)
        self.holder_role.setObjectName("defaultRole")
        self.holder_role.setPlaceholderText("Managing editor")
        self.holder_contact = QLineEdit(self.defaults.contact, self)
        self.holder_contact.setObjectName("defaultContact")
        self.holder_contact.setPlaceholderText("corrections@example.org")
        describe(
            self.holder,
            "Holds editorial responsibility",
            "The person or organisation new reviews in this library name as answerable",
        )
        describe(self.holder_role, "Their role", "e.g. Managing editor")
        describe(self.holder_contact, "Public contact", "An email or web address readers can use")
        defaults_form = QFormLayout()
        defaults_form.addRow("Responsible", self.holder)
        defaults_form.addRow("Role", self.holder_role)
        defaults_form.addRow("Contact", self.holder_contact)
        defaults_note = QLabel(
            "Kept in this library, for everyone who uses it: each new review starts with "
            "them, and the editor can change them per review.",
            self,
        )
        defaults_note.setObjectName("muted")
        defaults_note.setWordWrap(True)
        defaults_form.addRow(defaults_note)
        defaults_group = QGroupBox("Editorial responsibility: organisation defaults", self)
        defaults_group.setLayout(defaults_form)
        self.coverage = QCheckBox(
            "Require every check-worthy sentence to be examined before sign-off", self
        )
        self.coverage.setObjectName("coverageEnforced")
        self.coverage.setChecked(coverage_enforced)
        describe(
            self.coverage,
            "Require every check-worthy sentence to be examined before sign-off",
            "Each sentence reviewapp suggests as check-worthy must be claimed or dismissed with "
            "a reason before a review of this library can be signed off",
        )
        coverage_note = QLabel(
            "Kept in this library, for everyone who uses it. When it is off, a review may be "
            "signed off with suggested sentences unexamined, and its signed record says that "
            "coverage was not enforced.",
            self,
        )
        coverage_note.setObjectName("muted")
        coverage_note.setWordWrap(True)
        coverage_layout = QVBoxLayout()
        coverage_layout.addWidget(self.coverage)
        coverage_layout.addWidget(coverage_note)
        coverage_group = QGroupBox("Check-worthy sentences", self)
        coverage_group.setLayout(coverage_layout)
        self.second = QCheckBox("Require a second review before sign-off", self)
        self.second.setObjectName("secondReviewRequired")
        self.second.setChecked(second_required)
        describe(
            self.second,
            "Require a second review before sign-off",
            "Reviews of this library that do not say otherwise (Review ▸ Require Second Review) "
            "can be signed off only with a second reviewer's signed, settled assessment",
        )
        second_layout = QVBoxLayout()
        second_layout.addWidget(self.second)
        second_group = QGroupBox("Second review", self)
        second_group.setLayout(second_layout)
        note = QLabel("Your name and email sign your reviews; new reviews use this name.", self)
        note.setObjectName("muted")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(defaults_group)
        layout.addWidget(coverage_group)
        layout.addWidget(second_group)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        prefs = Preferences(
            self.name.text(),
            self.email.text(),
            self.organisation.text(),
            self.timeout.value(),
            self.max_draft.value(),
            self.read_time.value(),
        )
        try:
            prefs = prefs.checked()
        except ReviewAppError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        defaults = EditorialResponsibility(
            self.holder.text().strip(),
            self.holder_role.text().strip(),
            self.holder_contact.text().strip(),
        )
        self.saved.emit(prefs)
        if defaults != self.defaults:
            self.defaultsSaved.emit(defaults)
        if self.coverage.isChecked() != self.coverage_enforced:
            self.coverageSaved.emit(self.coverage.isChecked())
        if self.second.isChecked() != self.second_required:
            self.secondReviewSaved.emit(self.second.isChecked())
        super().accept()
