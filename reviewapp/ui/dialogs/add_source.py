"""Add Source: every field of a source, optionally linked to the current claim with a stance."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from reviewapp.core.model import Claim
from reviewapp.core.scales import STANCES
from reviewapp.core.states import Stance
from reviewapp.ui.panes.sources import SourceForm
from reviewapp.ui.scale_style import STANCE_COLOURS
from reviewapp.ui.widgets import NOT_LINKED, ChoiceCombo, describe


class AddSourceDialog(QDialog):
    """``submit(fields, stances) -> bool``: True closes the dialog, False keeps it open.

    stances: claim id -> what the new source says about that claim (empty: not linked).
    """

    def __init__(
        self,
        claim: Claim | None,
        submit: Callable[[dict[str, str], dict[int, str]], bool],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Add Source")
        self.setMinimumWidth(520)
        self._submit = submit
        self._claim = claim
        self.form = SourceForm(None, self)
        self.form.load(None)
        number = claim.number if claim is not None else 0
        # "Supports claim 4", "Refutes claim 4", "Context for claim 4", "Not linked to claim 4"
        self.link = ChoiceCombo(
            {
                **{key: f"{label} claim {number}" for key, label in STANCES.items()},
                NOT_LINKED: f"Not linked to claim {number}",
            },
            STANCE_COLOURS,
            self,
        )
        self.link.setObjectName("addSourceStance")
        self.link.set_key(Stance.SUPPORTS)
        describe(
            self.link,
            "Link to the selected claim",
            "What the new source says about the claim you have selected: supports it, refutes "
            "it, gives context, or is not linked to it",
        )
        self.link_label = QLabel(self)
        self.link_label.setWordWrap(True)
        self.link_label.setBuddy(self.link)
        if claim is not None:
            quote = claim.quote if len(claim.quote) < 60 else claim.quote[:57] + "…"
            self.link_label.setText(f"&Link to claim {claim.number}: “{quote}”")
        else:
            self.link_label.hide()
            self.link.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add Source")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.link_label)
        layout.addWidget(self.link)
        layout.addWidget(buttons)

    def stances(self) -> dict[int, str]:
        """The new source's link: {claim id: stance}, or {} when it is not linked."""
        stance = self.link.key()
        if self._claim is None or stance == NOT_LINKED:
            return {}
        return {self._claim.id: stance}

    def accept(self) -> None:
        if self._submit(self.form.values(), self.stances()):
            super().accept()
