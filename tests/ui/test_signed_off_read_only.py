"""A signed-off review looks and acts read-only in every pane, says so once in a banner with
Reopen beside it, and reopening makes everything editable again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from reviewapp.ui.dialogs.signoff import ReopenDialog
from tests.ui.conftest import answer_accountability, select_quote
from tests.ui.shown import shown_dialog

# Buttons that change nothing in the review: they stay live on a signed-off review. (AI
# involvement and responsibility opens its record read-only: tests/ui/test_accountability_gui.py)
NOT_EDITING = {
    "Open Address",
    "Show Next Place",
    "Reopen",
    "Reopen…",
    "AI and Responsibility…",
}
# Controls named by object name whose text changes: the coverage meter goes to the next
# unexamined suggestion (reading, not editing; tests/ui/test_suggestions_gui.py).
NOT_EDITING_NAMES = {"coverageMeter"}
# Every action that changes the open review. (Import New Revision stays on: it reopens the review
# for the new text and keeps the signed record, tests/ui/test_revision_after_signoff.py.)
EDITING_ACTIONS = (
    "claim.add",
    "claim.delete",
    "source.add",
    "source.delete",
    "takeaway.add",
    "takeaway.delete",
    "takeaway.up",
    "takeaway.down",
    "review.signoff",
    *(f"claim.status.{k}" for k in ("unchecked", "verified", "false", "opinion")),
)


def signed_off_window(window):
    """A review with a claim, a source and a takeaway, signed through the real sign-off (the
    window's MemorySecretStore holds the key)."""
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.opinion"].trigger()
    window.header.verdict.chosen.emit("publish")
    review_id = window.session.review_id
    store = window.session.store
    store.add_source(review_id, [window.session.current_claim_id], url="https://example.org/a")
    store.add_takeaway(review_id, "Checks out", "summary")
    window.session.reload()
    answer_accountability(window)
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("ada@example.org")
    dialog.accept()
    assert window.session.data.review.status == "signed-off", dialog.error.text()
    return window


def editing_widgets(pane: QWidget) -> list[QWidget]:
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QListWidget, QAbstractButton)
    found = [w for kind in kinds for w in pane.findChildren(kind)]
    return [
        w
        for w in found
        if not (isinstance(w, QAbstractButton) and w.text().replace("&", "") in NOT_EDITING)
        and w.objectName() != "qt_scrollarea_viewport"
        and w.objectName() not in NOT_EDITING_NAMES
        and not isinstance(w.parent(), QComboBox)  # a combo's own popup parts
    ]


def writable(widget: QWidget) -> bool:
    if not widget.isEnabled():
        return False
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return True


def show_every_pane_filled(window) -> None:
    """Open each tab with an item selected, so every detail form is loaded."""
    data = window.session.data
    window.session.set_current_claim(data.claims[0].id)
    window.sources.select(data.sources[0].id)
    window.takeaways.select(data.takeaways[0].id)


def test_every_editing_control_of_a_signed_off_review_is_off_and_a_banner_says_so(
    sample_window, qtbot
):
    window = signed_off_window(sample_window)
    show_every_pane_filled(window)
    panes = (window.header, window.claims, window.sources, window.takeaways)
    for pane in panes:
        live = [
            f"{type(w).__name__} {w.accessibleName() or w.objectName()}"
            for w in editing_widgets(pane)
            if writable(w)
        ]
        assert live == [], f"{type(pane).__name__} still offers edits"
    for action_id in EDITING_ACTIONS:
        assert not window.action_set[action_id].isEnabled(), action_id
    # A locked field does not invite typing.
    assert window.claims.override.placeholderText() == ""
    assert window.claims.override.property("locked") is True
    header = window.header
    assert header.banner.isVisible()
    date = window.session.data.current_signoff.signed_at[:10]
    assert header.banner_text.text() == f"Signed off by Ada Editor on {date} — Reopen to edit"
    assert header.reopen.isVisible() and header.reopen.isEnabled()
    assert header.reopen.parent() is header.banner  # the way out sits beside the words

    qtbot.mouseClick(header.reopen, Qt.MouseButton.LeftButton)
    reopen = shown_dialog(window, ReopenDialog)
    reopen.reason.setText("a reader found a typo")
    reopen.accept()

    assert window.session.data.review.status == "in-review"
    show_every_pane_filled(window)
    assert not header.banner.isVisible()
    for widget in (
        window.header.reviewer,
        window.header.verdict,
        window.claims.note,
        window.claims.correction,
        window.claims.override,
        window.claims.status,
        window.claims.sources,
        window.sources.form.lines["title"],
        window.sources.note,
        window.takeaways.text,
        window.takeaways.kind,
    ):
        assert writable(widget), widget.accessibleName()
    assert window.claims.override.placeholderText().startswith("No source needed?")
    buttons = {b.text(): b for b in window.claims.findChildren(QAbstractButton)}
    assert buttons["Delete Claim"].isEnabled()
    assert buttons["New Source for This Claim…"].isEnabled()
    # The one takeaway has nowhere to move: its Move Up and Down stay off, editable or not.
    for action_id in (a for a in EDITING_ACTIONS if a not in ("takeaway.up", "takeaway.down")):
        assert window.action_set[action_id].isEnabled(), action_id
