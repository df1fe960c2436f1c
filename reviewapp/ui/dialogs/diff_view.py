"""Compare Drafts: what changed between two revisions (added, removed, changed and moved
passages, old and new side by side, changed words marked), the claims each change touches (click
one to select it), and any revision's text, read-only.

The facts are the CLI's (``reviewapp diff``): passages from ``diff_texts`` and the touched
claims from ``touched_claims``, both in ``reviewapp.core.diff``. A moved passage is shown once,
where it went, with where it was.

Given two texts (``ComparedTexts``) instead, it shows those two only, under their own names:
Check Published Version compares the signed revision with a published version that is not
stored, with the changes the check worked out (cosmetic ones left out).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.diff import (
    PassageChange,
    TouchedClaims,
    block_number,
    diff_texts,
    touched_claims,
)
from reviewapp.core.model import Claim, Revision
from reviewapp.core.scales import ANCHOR_STATES
from reviewapp.ui.models.claims import ANCHOR_COLOURS
from reviewapp.ui.models.library import short_date
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.worddiff import INSERTED_STYLE, REMOVED_STYLE, new_side_html, old_side_html

KIND_LABELS = {
    "changed": "Changed passage",
    "moved": "Moved passage",
    "added": "Added passage",
    "removed": "Removed passage",
}
KIND_COLOURS = {"changed": "#d68a00", "moved": "#2f6fc6", "added": "#2e8b4e", "removed": "#c62f2f"}


class ReadOnlyText(QTextBrowser):
    """Our own HTML only: nothing is ever loaded from anywhere."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, name: QUrl | str):
        return None


@dataclass(frozen=True)
class ComparedTexts:
    """Two texts to show side by side, their names, and the changes already worked out."""

    old: Revision
    new: Revision
    old_name: str  # "signed revision 1": lower case, it is also used inside sentences
    new_name: str  # "published version"
    changes: list[PassageChange]
    touched: TouchedClaims
    title: str = "Compare"
    note: str = ""  # said above the changes (e.g. differences that did not count)


class DiffDialog(QDialog):
    def __init__(
        self,
        session: ReviewSession,
        parent: QWidget | None = None,
        texts: ComparedTexts | None = None,
    ):
        super().__init__(parent)
        assert session.data is not None
        self.session = session
        self.texts = texts
        self.setWindowTitle(texts.title if texts else "Compare Drafts")
        self.resize(1100, 760)
        data = session.data
        self.revisions = (
            [texts.old, texts.new] if texts else session.store.revisions(data.review.article_id)
        )
        self.current_id = data.revision.id
        self.changes: list[PassageChange] = []
        self.touched = TouchedClaims({}, [])

        self.from_combo = QComboBox(self)
        self.from_combo.setObjectName("diffFrom")
        self.to_combo = QComboBox(self)
        self.to_combo.setObjectName("diffTo")
        self.read_combo = QComboBox(self)
        self.read_combo.setObjectName("readRevision")
        self.from_combo.setAccessibleName("Compare from revision")
        self.to_combo.setAccessibleName("Compare to revision")
        self.read_combo.setAccessibleName("Revision to read")
        self.from_combo.setAccessibleDescription("The older revision of the comparison")
        self.to_combo.setAccessibleDescription("The newer revision of the comparison")
        self.read_combo.setAccessibleDescription("Show this revision's whole text below")
        for combo in (self.from_combo, self.to_combo, self.read_combo):
            for rev in self.revisions:
                combo.addItem(self._revision_label(rev), rev.id)
        numbers = [r.number for r in self.revisions]
        current = next(i for i, r in enumerate(self.revisions) if r.id == self.current_id)
        self.to_combo.setCurrentIndex(current)
        self.from_combo.setCurrentIndex(max(current - 1, 0))
        self.read_combo.setCurrentIndex(max(current - 1, 0))

        self.summary = QLabel(self)
        self.summary.setObjectName("diffSummary")
        self.summary.setWordWrap(True)
        self.view = ReadOnlyText(self)
        self.view.setObjectName("diffView")
        self.view.setAccessibleName("Changed passages")
        self.view.setAccessibleDescription(
            "Each change with the old and the new text; claim links select the claim"
        )
        self.view.anchorClicked.connect(self.open_link)
        legend = QLabel(
            f'<span style="{REMOVED_STYLE}">&nbsp;removed words&nbsp;</span>&nbsp;&nbsp;'
            f'<span style="{INSERTED_STYLE}">&nbsp;inserted words&nbsp;</span>',
            self,
        )
        top = QHBoxLayout()
        if texts is None:
            top.addWidget(QLabel("From", self))
            top.addWidget(self.from_combo, 1)
            top.addWidget(QLabel("to", self))
            top.addWidget(self.to_combo, 1)
            top.addSpacing(16)
        else:  # two given texts: nothing to choose
            self.from_combo.hide()
            self.to_combo.hide()
            top.addStretch(1)
        top.addWidget(legend)
        changes_tab = QWidget(self)
        changes_layout = QVBoxLayout(changes_tab)
        changes_layout.addLayout(top)
        changes_layout.addWidget(self.summary)
        changes_layout.addWidget(self.view, 1)

        self.reader = ReadOnlyText(self)
        self.reader.setObjectName("revisionText")
        self.reader.setAccessibleName("Text of the chosen revision, read-only")
        self.reader.setAccessibleDescription("The revision as it was imported")
        self.read_meta = QLabel(self)
        self.read_meta.setObjectName("muted")
        self.read_meta.setWordWrap(True)
        read_top = QHBoxLayout()
        read_top.addWidget(QLabel("Revision", self))
        read_top.addWidget(self.read_combo, 1)
        read_tab = QWidget(self)
        read_layout = QVBoxLayout(read_tab)
        read_layout.addLayout(read_top)
        read_layout.addWidget(self.read_meta)
        read_layout.addWidget(self.reader, 1)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(changes_tab, "Changes")
        self.tabs.addTab(read_tab, "Read a Revision" if texts is None else "Read Either Text")
        self.tabs.setTabToolTip(0, "What changed between two revisions")
        self.tabs.setTabToolTip(1, "Read any revision's text")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self.from_combo.currentIndexChanged.connect(lambda _: self.compare())
        self.to_combo.currentIndexChanged.connect(lambda _: self.compare())
        self.read_combo.currentIndexChanged.connect(lambda _: self.show_revision())
        session.claimsChanged.connect(self._claims_changed)
        for claim_signal in (session.claimUpdated, session.claimAdded, session.claimRemoved):
            claim_signal.connect(lambda _: self._claims_changed())
        session.reviewOpened.connect(self.close)  # another review, or this one on a new draft
        self.compare()
        self.show_revision()
        if len(numbers) < 2 and texts is None:
            self.tabs.setCurrentIndex(1)

    # ------------------------------------------------------------------ choosing
    def _name(self, rev: Revision) -> str:
        """How the text is called in sentences: "revision 2", "the published version"."""
        return f"the {self._given(rev)}" if self.texts is not None else f"revision {rev.number}"

    def _title(self, rev: Revision) -> str:
        """How the text is called in a heading: "Revision 2", "Published version"."""
        return _capital(self._given(rev)) if self.texts is not None else f"Revision {rev.number}"

    def _given(self, rev: Revision) -> str:
        assert self.texts is not None
        return self.texts.old_name if rev is self.texts.old else self.texts.new_name

    def _revision_label(self, rev: Revision) -> str:
        if self.texts is not None:
            return self._title(rev)
        current = " (current)" if rev.id == self.current_id else ""
        return f"Revision {rev.number}{current} · imported {short_date(rev.imported_at)}"

    def _revision(self, combo: QComboBox) -> Revision:
        revision_id = combo.currentData()
        return next(r for r in self.revisions if r.id == revision_id)

    def set_revisions(self, from_number: int, to_number: int) -> None:
        """Compare revision from_number with to_number (numbers as the editor sees them)."""
        index = {r.number: i for i, r in enumerate(self.revisions)}
        self.from_combo.setCurrentIndex(index[from_number])
        self.to_combo.setCurrentIndex(index[to_number])

    def _claims_changed(self) -> None:
        if self.isVisible() and self.texts is None:
            self.compare()

    # ------------------------------------------------------------------ the changes
    def compare(self) -> None:
        if self.texts is not None:
            old, new = self.texts.old, self.texts.new
            self.changes, self.touched = self.texts.changes, self.texts.touched
        else:
            old, new = self._revision(self.from_combo), self._revision(self.to_combo)
            data = self.session.data
            claims = data.claims if data else []
            self.changes = diff_texts(old.text, new.text) if old.id != new.id else []
            self.touched = touched_claims(self.changes, claims, old, new, self.current_id)
        self.summary.setText(self._summary(old, new))
        self.view.setHtml(self._changes_html(old, new))

    def _summary(self, old: Revision, new: Revision) -> str:
        if self.texts is not None:
            return self._texts_summary(self.texts)
        if len(self.revisions) < 2:
            return (
                "This article has one revision so far: import a newer draft with "
                "File › Import New Revision, then compare the two here."
            )
        if old.id == new.id:
            return "Choose two different revisions to compare."
        if not self.changes:
            return f"Revisions {old.number} and {new.number} have the same text."
        counts = {k: sum(c.kind == k for c in self.changes) for k in KIND_LABELS}
        parts = [f"{n} {kind}" for kind, n in counts.items() if n]
        touched = self.touched.count
        claims = f"{touched} claim{'s' if touched != 1 else ''} touched"
        return f"From revision {old.number} to {new.number}: {', '.join(parts)} · {claims}"

    def _texts_summary(self, texts: ComparedTexts) -> str:
        note = f" {texts.note}" if texts.note else ""
        if not self.changes:
            return f"The {texts.new_name} has the same text as the {texts.old_name}.{note}"
        counts = {k: sum(c.kind == k for c in self.changes) for k in KIND_LABELS}
        parts = [f"{n} {kind}" for kind, n in counts.items() if n]
        touched = self.touched.count
        claims = f"{touched} claim{'s' if touched != 1 else ''} touched"
        return (
            f"From the {texts.old_name} to the {texts.new_name}: {', '.join(parts)} · "
            f"{claims}.{note}"
        )

    def _changes_html(self, old: Revision, new: Revision) -> str:
        out = ['<html><body style="font-size:11pt">']
        if self.touched.note:
            note = self.touched.note[:1].upper() + self.touched.note[1:] + "."
            out.append(f"<p><i>{html.escape(note)}</i></p>")
        for claim in self.touched.placeless:
            out.append(
                f"<p>{_claim_link(claim)} has no place in {self._name(new)}: "
                f"“{html.escape(claim.quote)}”</p>"
            )
        if self.changes:
            out.append(
                '<table width="100%" cellspacing="0" cellpadding="6"><tr>'
                f'<td width="50%"><b>{self._title(old)}</b>{self._current(old)}</td>'
                f'<td width="50%"><b>{self._title(new)}</b>{self._current(new)}</td>'
                "</tr></table>"
            )
        for index, change in enumerate(self.changes):
            out.append(self._change_html(index, change, old, new))
        out.append("</body></html>")
        return "".join(out)

    def _current(self, rev: Revision) -> str:
        if self.texts is not None:
            return ""
        return " (current)" if rev.id == self.current_id else ""

    def _change_html(self, index: int, change: PassageChange, old: Revision, new: Revision) -> str:
        before = old.text[change.old_start : change.old_end]
        after = new.text[change.new_start : change.new_end]
        muted = '<span style="color:#8a8f98"><i>{}</i></span>'
        where = ""
        if change.kind == "moved":
            was = block_number(old.text, change.old_start)
            now = block_number(new.text, change.new_start)
            how = "its words changed too" if change.edited else "word for word"
            where = f" · from paragraph {was} to paragraph {now}, {how}"
        if change.kind == "changed" or (change.kind == "moved" and change.edited):
            left, right = old_side_html(before, after), new_side_html(before, after)
        elif change.kind == "moved":
            left = muted.format(f"was paragraph {was} of {self._name(old)}")
            right = html.escape(after)
        elif change.kind == "added":
            left = muted.format(f"not in {self._name(old)}")
            right = f'<span style="{INSERTED_STYLE}">{html.escape(after)}</span>'
        else:
            left = f'<span style="{REMOVED_STYLE}">{html.escape(before)}</span>'
            right = muted.format(f"not in {self._name(new)}")
        claims = self.touched.by_change.get(index, [])
        links = " ".join(_claim_link(c) for c in claims)
        colour = KIND_COLOURS[change.kind]
        head = f'<b style="color:{colour}">{KIND_LABELS[change.kind]}</b>{html.escape(where)}' + (
            f"&nbsp;&nbsp;· touches {links}" if links else ""
        )
        return (
            '<table width="100%" cellspacing="0" cellpadding="6" border="0" '
            'style="margin-bottom:12px">'
            f'<tr><td colspan="2" style="border-bottom:1px solid {colour}">{head}</td></tr>'
            f'<tr><td width="50%" valign="top">{left}</td>'
            f'<td width="50%" valign="top">{right}</td></tr></table>'
        )

    def open_link(self, url: QUrl) -> None:
        """A claim marker was clicked: select that claim in the main window."""
        text = url.toString()
        if text.startswith("claim:"):
            self.session.activate_claim(int(text.removeprefix("claim:")))

    # ------------------------------------------------------------------ reading
    def show_revision(self) -> None:
        rev = self._revision(self.read_combo)
        meta = rev.meta
        parts = (
            [self._title(rev)]
            if self.texts is not None
            else [f"Revision {rev.number}", f"imported {short_date(rev.imported_at)}"]
        )
        if rev.source_name:
            parts.append(f"from {rev.source_name}")
        if meta.title:
            parts.append(f"“{meta.title}”")
        parts.append("read-only")
        self.read_meta.setText(" · ".join(parts))
        self.reader.setPlainText(rev.text)


def _claim_link(claim: Claim) -> str:
    state = ANCHOR_STATES[claim.anchor_state]
    colour = ANCHOR_COLOURS[claim.anchor_state]
    return (
        f'<a href="claim:{claim.id}" style="color:{colour}; font-weight:600">'
        f"Claim {claim.number} ({html.escape(state.lower())})</a>"
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
