"""Add Source: every field of a source, optionally linked to the current claim."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from reviewapp.core.model import Claim
from reviewapp.ui.panes.sources import SourceForm


class AddSourceDialog(QDialog):
    """``submit(fields, claim_ids) -> bool``: True closes the dialog, False keeps it open."""

    def __init__(
        self,
        claim: Claim | None,
        submit: Callable[[dict[str, str], list[int]], bool],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Add Source")
        self.setMinimumWidth(520)
        self._submit = submit
        self._claim = claim
        self.form = SourceForm(None, self)
        self.form.load(None)
        self.link = QCheckBox(self)
        self.link.setAccessibleDescription("Link the new source to the claim you have selected")
        if claim is not None:
            quote = claim.quote if len(claim.quote) < 60 else claim.quote[:57] + "…"
            self.link.setText(f"Supports claim {claim.number}: “{quote}”")
            self.link.setChecked(True)
        else:
            self.link.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add Source")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.link)
        layout.addWidget(buttons)

    def accept(self) -> None:
        claim_ids = [self._claim.id] if self._claim is not None and self.link.isChecked() else []
        if self._submit(self.form.values(), claim_ids):
            super().accept()
