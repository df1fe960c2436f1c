"""Sign off (name, email, the gate's checklist, confirm), Reopen (with a reason), and the
result of verifying an exported file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.gate import GateProblem, GateRule, gate_problems
from reviewapp.core.model import ReviewData
from reviewapp.ui.tasks import Task
from reviewapp.ui.widgets import describe

# The gate's checklist as the dialog shows it: each rule, and how to fix it in the GUI.
GATE_LABELS: dict[GateRule, str] = {
    GateRule.UNCHECKED: "Every claim has a status",
    GateRule.ANCHORING: "Every claim is firmly anchored to its passage",
    GateRule.SOURCES: "Every verified, partly-true or false claim has a source",
    GateRule.STANCE: "No claim's status is contradicted by its sources",
    GateRule.SUGGESTIONS: "Every check-worthy sentence is examined (claimed, or dismissed with a "
    "reason)",
    GateRule.VERDICT: "A verdict is set",
    GateRule.REVIEWER: "The reviewer is named",
    GateRule.AI_INVOLVEMENT: "Whether AI helped write the draft is recorded",
    GateRule.RESPONSIBILITY: "Someone is named as holding editorial responsibility",
    GateRule.SECOND_REVIEW: "A second review, when asked for or required, is in and settled",
}


def gate_advice(problem: GateProblem) -> str:
    """What is missing and where in the window to settle it."""
    one = len(problem.claim_numbers) == 1
    fix = {
        GateRule.UNCHECKED: f"give {'it' if one else 'each'} a status in the Claims pane",
        GateRule.ANCHORING: "confirm or re-attach to the passage in the Claims pane",
        GateRule.SOURCES: 'link one, or say in "No source" why none is needed',
        GateRule.STANCE: (
            "correct a link's stance in the Claims or Sources pane, or the status, or say in "
            '"Status stands" why it stands'
        ),
        GateRule.SUGGESTIONS: (
            "go to each in the article view and make it a claim, or dismiss it with a reason "
            "(Preferences can switch this rule off for the library)"
        ),
        GateRule.VERDICT: "choose one in the review header",
        GateRule.REVIEWER: "type the name of the person signing off",
        GateRule.AI_INVOLVEMENT: (
            "answer yes or no in Review ▸ AI Involvement and Responsibility, or choose "
            "unknown and say why it cannot be known"
        ),
        GateRule.RESPONSIBILITY: (
            "name the person or organisation in Review ▸ AI Involvement and Responsibility "
            "(Preferences can hold your organisation's default)"
        ),
        GateRule.SECOND_REVIEW: (
            "use Review ▸ Request Second Review… and Import Second Assessment…, then settle "
            "each claim in Review ▸ Compare with Second Reviewer…"
        ),
    }[problem.kind]
    return f"{problem}: {fix}"


def suggestions_row(data: ReviewData) -> str | None:
    """The checklist's row for check-worthy sentences when the rule does not apply (the
    library does not enforce it, or the text is not English); None when it applies."""
    record = data.suggestions
    if record is None:
        return None
    # Imported here: the window builds this module's controller, and the detector's word
    # lists are not needed until the dialog opens (tests/test_lazy_imports.py).
    from reviewapp.core.coverage import coverage

    found = coverage(data.revision.text, data.claims, record)
    if not found.english:
        return "–  Check-worthy sentences: suggestions are English-only, so none for this text"
    if not record.enforced:
        return (
            f"–  Check-worthy sentences: not required by this library (Preferences); "
            f"{found.summary()}, and the signed record says coverage was not enforced"
        )
    return None


class SignoffDialog(QDialog):
    """``start(name, email, done, failed) -> Task`` signs off the review off the GUI thread."""

    def __init__(
        self,
        data: ReviewData,
        name: str,
        email: str,
        start: Callable[..., Task],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Sign Off Review")
        self.setMinimumWidth(560)
        self.data = data
        self._start = start
        self.task: Task | None = None
        intro = QLabel(
            "Signing off records that you checked this draft and take editorial responsibility "
            "for it. The review is rendered to Markdown and signed with your key, which stays "
            "in the system keyring.",
            self,
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText("Ada Editor")
        self.email = QLineEdit(email, self)
        self.email.setPlaceholderText("ada@example.org")
        self.checklist = QListWidget(self)
        self.checklist.setObjectName("gateChecklist")
        self.checklist.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.checklist.setWordWrap(True)
        describe(
            self.checklist,
            "Before you sign",
            "What the review needs before it can be signed off; a cross marks what is missing",
        )
        describe(self.name, "Reviewer", "Who signs; the name in the export and the signature")
        describe(self.email, "Email", "The signer's identity in allowed_signers files")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        describe(self.progress, "Signing", "Shown while the review is signed")
        self.error = QLabel(self)
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Reviewer", self.name)
        form.addRow("Email", self.email)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText("Sign Off")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel("Before you sign:", self))
        layout.addWidget(self.checklist, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(lambda _: self.refresh())
        self.refresh()

    def problems(self) -> list[GateProblem]:
        return gate_problems(self.data, self.name.text())

    def refresh(self) -> None:
        """Show the gate's checklist for the name typed so far; Sign Off only when it passes."""
        self.checklist.clear()
        problems = {p.kind: p for p in self.problems()}
        for rule, label in GATE_LABELS.items():
            problem = problems.get(rule)
            text = f"✗  {label}: {gate_advice(problem)}" if problem else f"✓  {label}"
            if rule is GateRule.SUGGESTIONS and not problem:
                text = suggestions_row(self.data) or text
            item = QListWidgetItem(text, self.checklist)
            item.setForeground(Qt.GlobalColor.darkRed if problem else Qt.GlobalColor.darkGreen)
        self.sign_button.setEnabled(not problems and self.task is None)

    def accept(self) -> None:
        if self.problems():
            self.refresh()
            return
        self.error.hide()
        self.progress.show()
        self.sign_button.setEnabled(False)
        self.task = self._start(
            self.name.text().strip(), self.email.text().strip(), self._done, self._failed
        )

    def _done(self) -> None:
        super().accept()

    def _failed(self, message: str) -> None:
        self.task = None
        self.progress.hide()
        self.error.setText(message)
        self.error.show()
        self.refresh()


class ReopenDialog(QDialog):
    """``submit(reason) -> bool`` reopens; the old sign-off stays in the history."""

    def __init__(
        self, submit: Callable[[str], bool], parent: QWidget | None = None, explain: str = ""
    ):
        super().__init__(parent)
        self.setWindowTitle("Reopen Review")
        self.setMinimumWidth(460)
        self._submit = submit
        text = QLabel(
            explain
            or "Reopening lets you change a signed-off review. The current sign-off stays in the "
            "review's history, marked as superseded; sign off again when you are done.",
            self,
        )
        text.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why is it reopened? (recorded in the history)")
        describe(self.reason, "Reason", "Why the review is reopened; kept in its history")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Reopen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self._submit(self.reason.text().strip()):
            super().accept()


def verification_box(parent: QWidget, ok: bool, title: str, detail: str) -> QMessageBox:
    """The answer to Verify File, shown without blocking."""
    icon = QMessageBox.Icon.Information if ok else QMessageBox.Icon.Critical
    box = QMessageBox(icon, "Verify File", title, QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText(detail)
    box.setObjectName("verifyResult")
    box.open()
    return box
