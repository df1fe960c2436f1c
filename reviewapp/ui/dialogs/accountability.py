"""Review ▸ AI Involvement and Responsibility: what AI did to the draft, who holds editorial
responsibility, and what the review covered. Every change is written at once as an undoable
command; the writer's disclosure line found in the draft is offered, never recorded unasked."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core import scales
from reviewapp.core.disclosure import DisclosureLine, pending_disclosure
from reviewapp.core.model import EditorialResponsibility, ReviewData, ReviewScope
from reviewapp.core.sourcetypes import SOURCE_TYPES, suggested_source_type
from reviewapp.core.states import AiAssisted, AiRole
from reviewapp.export.accountability import NOT_RECORDED, Accountability
from reviewapp.ui import commands
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.widgets import ChoiceCombo, describe, lock_text

NO_SOURCE_TYPE = "Not chosen"


class AccountabilityDialog(QDialog):
    """Edits the open review's record; follows the session (undo, another review opened)."""

    def __init__(
        self,
        session: ReviewSession,
        defaults: EditorialResponsibility,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("accountabilityDialog")
        self.setWindowTitle("AI Involvement and Responsibility")
        self.setMinimumWidth(520)
        self.session = session
        self.defaults = defaults
        self._loading = False

        self.not_recorded = QLabel(NOT_RECORDED, self)
        self.not_recorded.setObjectName("warning")
        self.not_recorded.setWordWrap(True)

        # -- AI involvement
        self.assisted = ChoiceCombo(scales.AI_ASSISTED, parent=self)
        self.assisted.setObjectName("aiAssisted")
        describe(self.assisted, "Did AI help write this draft?", "Yes, no, or unknown")
        self.assisted.chosen.connect(lambda _: self._write_ai())
        self.reason = self._line(
            "aiUnknownReason", "Why it cannot be known", "e.g. the writer did not answer"
        )
        self.tools = self._line(
            "aiTools",
            "AI tools",
            "The tools and versions the writer declared, e.g. Claude 3.5 Sonnet",
        )
        self.roles: dict[AiRole, QCheckBox] = {}
        roles_box = QWidget(self)
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        for role in AiRole:
            box = QCheckBox(scales.AI_ROLES[role], roles_box)
            box.setObjectName(f"aiRole_{role}")
            describe(box, scales.AI_ROLES[role], "What the AI did to the draft")
            box.toggled.connect(lambda _=False: self._write_ai(roles_changed=True))
            roles_layout.addWidget(box)
            self.roles[role] = box
        self.role_other = self._line("aiRoleOther", "What else the AI did", "In a few words")
        self.source_type = ChoiceCombo(
            {"": NO_SOURCE_TYPE, **{t.code: t.label for t in SOURCE_TYPES}}, parent=self
        )
        self.source_type.setObjectName("aiSourceType")
        for i, kind in enumerate(SOURCE_TYPES, start=1):
            tip = f"{kind.explanation}\nIPTC: {kind.iptc_name} ({kind.code})"
            self.source_type.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        describe(
            self.source_type,
            "Digital source type",
            "How the text was made, in the IPTC vocabulary; suggested from what the AI did",
        )
        self.source_type.chosen.connect(lambda _: self._write_ai())
        self.suggestion = QLabel(self)
        self.suggestion.setObjectName("muted")

        # -- the writer's disclosure line
        self.offer = QFrame(self)
        self.offer.setObjectName("disclosureOffer")
        self.offer_text = QLabel(self.offer)
        self.offer_text.setWordWrap(True)
        self.offer_text.setTextFormat(Qt.TextFormat.PlainText)
        self.accept_offer = QPushButton("&Record as the Writer's Disclosure", self.offer)
        self.accept_offer.setObjectName("acceptDisclosure")
        self.accept_offer.clicked.connect(self.accept_disclosure)
        self.show_offer = QPushButton("Show in Article", self.offer)
        self.show_offer.clicked.connect(lambda: self._show_line(self._offered))
        offer_layout = QVBoxLayout(self.offer)
        offer_layout.addWidget(self.offer_text)
        offer_buttons = QHBoxLayout()
        offer_buttons.addWidget(self.accept_offer)
        offer_buttons.addWidget(self.show_offer)
        offer_buttons.addStretch(1)
        offer_layout.addLayout(offer_buttons)
        self.disclosure = QLabel(self)
        self.disclosure.setObjectName("disclosureText")
        self.disclosure.setWordWrap(True)
        self.disclosure.setTextFormat(Qt.TextFormat.PlainText)
        self.show_disclosure = QPushButton("Show in Article", self)
        self.show_disclosure.setObjectName("showDisclosure")
        self.show_disclosure.clicked.connect(self._show_recorded)
        self.remove_disclosure = QPushButton("Remove", self)
        self.remove_disclosure.setObjectName("removeDisclosure")
        self.remove_disclosure.clicked.connect(self.clear_disclosure)
        self._offered: DisclosureLine | None = None
        describe(
            self.accept_offer,
            "Record as the writer's disclosure",
            "Record this line of the draft as the writer's own AI disclosure",
        )
        describe(self.show_offer, "Show in article", "Select the offered line in the article")
        describe(self.show_disclosure, "Show in article", "Select the recorded line in the article")
        describe(self.remove_disclosure, "Remove", "Remove the recorded disclosure line")

        # -- responsibility and scope
        self.holder = self._line(
            "responsibleHolder",
            "Holds editorial responsibility",
            "The person or organisation answerable for the publication",
        )
        self.role = self._line("responsibleRole", "Their role", "e.g. Managing editor")
        self.contact = self._line(
            "responsibleContact", "Public contact", "An email or web address readers can use"
        )
        self.defaults_note = QLabel(self)
        self.defaults_note.setObjectName("muted")
        self.defaults_note.setWordWrap(True)
        self.scope: dict[str, QCheckBox] = {}
        for name, label in scales.REVIEW_SCOPE.items():
            box = QCheckBox(label, self)
            box.setObjectName(f"scope_{name}")
            describe(box, label, "Tick it only if you did it for this review")
            box.toggled.connect(lambda _=False: self._write_scope())
            self.scope[name] = box

        ai_form = QFormLayout()
        ai_form.addRow("Did AI help write it?", self.assisted)
        ai_form.addRow("Why unknown", self.reason)
        ai_form.addRow("Tools (as declared)", self.tools)
        ai_form.addRow("What the AI did", roles_box)
        ai_form.addRow("Other, in words", self.role_other)
        ai_form.addRow("Source type", self.source_type)
        ai_form.addRow("", self.suggestion)
        disclosure_row = QHBoxLayout()
        disclosure_row.addWidget(self.disclosure, 1)
        disclosure_row.addWidget(self.show_disclosure)
        disclosure_row.addWidget(self.remove_disclosure)
        ai_form.addRow("Writer's disclosure", disclosure_row)
        ai_group = QGroupBox("AI involvement", self)
        ai_layout = QVBoxLayout(ai_group)
        ai_layout.addLayout(ai_form)
        ai_layout.addWidget(self.offer)
        who_form = QFormLayout()
        who_form.addRow("Responsible", self.holder)
        who_form.addRow("Role", self.role)
        who_form.addRow("Contact", self.contact)
        who_form.addRow("", self.defaults_note)
        who_group = QGroupBox("Editorial responsibility", self)
        who_group.setLayout(who_form)
        scope_group = QGroupBox("What this review covered (tick what you attest to)", self)
        scope_layout = QVBoxLayout(scope_group)
        for box in self.scope.values():
            scope_layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        note = QLabel("Every change is saved at once; Edit ▸ Undo takes it back.", self)
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.not_recorded)
        layout.addWidget(ai_group)
        layout.addWidget(who_group)
        layout.addWidget(scope_group)
        layout.addWidget(note)
        layout.addWidget(buttons)

        session.reviewOpened.connect(self.load)
        session.reviewChanged.connect(self.load)
        self.load()

    def _line(self, name: str, label: str, tip: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setPlaceholderText(tip)
        describe(field, label, tip)
        field.editingFinished.connect(self._line_done)
        return field

    # ------------------------------------------------------------------ showing
    def load(self) -> None:
        """Show the open review's record (after an edit, an undo, or another review)."""
        data = self.session.data
        self.setEnabled(data is not None)
        if data is None:
            return
        self._loading = True
        try:
            ai, resp = data.ai, data.responsibility
            self.not_recorded.setVisible(not data.accountability_recorded)
            self.assisted.set_key(ai.assisted)
            for field, value in (
                (self.reason, ai.unknown_reason),
                (self.tools, ai.tools),
                (self.role_other, ai.role_other),
                (self.holder, resp.holder),
                (self.role, resp.role),
                (self.contact, resp.contact),
            ):
                if field.text() != value:
                    field.setText(value)
            for role, box in self.roles.items():
                box.setChecked(role in ai.roles)
            self.source_type.set_key(ai.source_type)
            for name, box in self.scope.items():
                box.setChecked(getattr(data.scope, name))
            self._show_state(data)
        finally:
            self._loading = False

    def _show_state(self, data: ReviewData) -> None:
        ai = data.ai
        editable = self.session.editable
        unknown = ai.assisted == AiAssisted.UNKNOWN
        self.reason.setEnabled(unknown)
        self.role_other.setEnabled(AiRole.OTHER in ai.roles)
        for field in (
            self.reason,
            self.tools,
            self.role_other,
            self.holder,
            self.role,
            self.contact,
        ):
            lock_text(field, not editable)
        for box in (*self.roles.values(), *self.scope.values()):
            box.setEnabled(editable)
        self.assisted.setEnabled(editable)
        self.source_type.setEnabled(editable)
        suggested = suggested_source_type(ai.assisted, ai.roles)
        if suggested and suggested != ai.source_type:
            label = next(t.label for t in SOURCE_TYPES if t.code == suggested)
            self.suggestion.setText(f"What the AI did suggests: {label}")
        else:
            self.suggestion.setText("")
        self.suggestion.setVisible(bool(self.suggestion.text()))
        span = ai.disclosure_span(data.revision.text)
        self.disclosure.setText(f"“{ai.disclosure}”" if ai.disclosure else "None recorded")
        self.show_disclosure.setEnabled(span is not None)
        self.remove_disclosure.setEnabled(editable and bool(ai.disclosure))
        self._offered = pending_disclosure(data) if editable else None
        self.offer.setVisible(self._offered is not None)
        if self._offered is not None:
            self.offer_text.setText(
                "The draft has a line that reads as the writer's AI disclosure:\n"
                f"“{self._offered.text}”\nRecord it if it is the writer's own statement."
            )
        resp = data.responsibility
        if self.defaults.holder and resp == self.defaults:
            self.defaults_note.setText("These are your organisation's defaults (Preferences).")
        elif self.defaults.holder:
            self.defaults_note.setText(f"Organisation default: {self.defaults.holder}")
        else:
            self.defaults_note.setText(
                "Preferences can hold your organisation's default for new reviews."
            )

    # ------------------------------------------------------------------ writing
    def _current(self) -> Accountability | None:
        data = self.session.data
        return None if data is None else Accountability.of(data)

    def _push(self, new: Accountability) -> None:
        old = self._current()
        if old is None or self._loading or new == old:
            return
        data = self.session.data
        assert data is not None
        if not self.session.push(
            commands.SetAccountability(self.session, data.review.id, old, new)
        ):
            self.load()

    def _write_ai(self, roles_changed: bool = False) -> None:
        old = self._current()
        if old is None or self._loading:
            return
        roles = tuple(r for r, box in self.roles.items() if box.isChecked())
        assisted = AiAssisted(self.assisted.key())
        source_type = self.source_type.key()
        if roles_changed or assisted != old.ai.assisted:
            # The suggestion follows the answers until the editor picks a type of their own.
            was = suggested_source_type(old.ai.assisted, old.ai.roles)
            if source_type in ("", was):
                source_type = suggested_source_type(assisted, roles)
        ai = replace(
            old.ai,
            assisted=assisted,
            unknown_reason=self.reason.text(),
            tools=self.tools.text(),
            roles=roles,
            role_other=self.role_other.text() if AiRole.OTHER in roles else "",
            source_type=source_type,
        )
        self._push(replace(old, ai=ai, recorded=True))

    def _line_done(self) -> None:
        old = self._current()
        if old is None or self._loading:
            return
        resp = EditorialResponsibility(self.holder.text(), self.role.text(), self.contact.text())
        if resp != old.responsibility:
            self._push(replace(old, responsibility=resp, recorded=True))
        else:
            self._write_ai()

    def _write_scope(self) -> None:
        old = self._current()
        if old is None or self._loading:
            return
        scope = ReviewScope(**{name: box.isChecked() for name, box in self.scope.items()})
        self._push(replace(old, scope=scope, recorded=True))

    def accept_disclosure(self) -> None:
        """Record the offered line as the writer's disclosure, pinned where it is."""
        old, line = self._current(), self._offered
        if old is None or line is None:
            return
        ai = replace(
            old.ai, disclosure=line.text, disclosure_start=line.start, disclosure_end=line.end
        )
        self._push(replace(old, ai=ai, recorded=True))

    def clear_disclosure(self) -> None:
        old = self._current()
        if old is None:
            return
        ai = replace(old.ai, disclosure="", disclosure_start=None, disclosure_end=None)
        self._push(replace(old, ai=ai, recorded=True))

    # ------------------------------------------------------------------ navigation
    def _show_line(self, line: DisclosureLine | None) -> None:
        if line is not None:
            self.session.passageRequested.emit(line.start, line.end)

    def _show_recorded(self) -> None:
        data = self.session.data
        span = data.ai.disclosure_span(data.revision.text) if data else None
        if span is not None:
            self.session.passageRequested.emit(*span)
