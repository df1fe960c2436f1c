"""Small things an editor notices: what the Sign Off dialog remembers, what the window reopens,
which buttons are live, readable reds in dark mode, and one name for the app."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QPushButton

from reviewapp import APP_DISPLAY_NAME
from reviewapp.ui.dialogs.about import AboutDialog
from reviewapp.ui.style import dark_palette, style_sheet
from tests.ui.conftest import select_quote
from tests.ui.shown import shown_dialog

QUOTE = "suspended global access to two specific model versions"


def _claim(window):
    select_quote(window, QUOTE)
    window.action_set["claim.add"].trigger()
    return window.session.current_claim()


def test_a_name_typed_in_sign_off_survives_cancel(sample_window):
    window = sample_window
    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("ada@example.org")
    dialog.reject()  # the gate sends the editor back to work first
    again = window.signing.open_signoff()
    assert (again.name.text(), again.email.text()) == ("Ada Editor", "ada@example.org")


def test_takeaway_buttons_are_live_only_with_a_takeaway_to_act_on(sample_window):
    window = sample_window
    pane = window.takeaways
    buttons = pane.tool_buttons
    assert not buttons["takeaway.delete"].isEnabled()  # nothing to delete
    assert not window.action_set["takeaway.delete"].isEnabled()
    for text in ("First point.", "Second point."):
        pane.text.setText(text)
        pane.add_from_field()
    assert buttons["takeaway.delete"].isEnabled()  # the one just added is selected
    assert buttons["takeaway.up"].isEnabled() and not buttons["takeaway.down"].isEnabled()
    pane.list.selectionModel().clearCurrentIndex()
    assert not buttons["takeaway.delete"].isEnabled()
    for takeaway in list(window.session.data.takeaways):
        pane.select(takeaway.id)
        buttons["takeaway.delete"].click()
    assert window.session.data.takeaways == []
    assert not buttons["takeaway.delete"].isEnabled()


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(x) for x in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_delete_claim_red_meets_wcag_aa_in_dark_mode(sample_window):
    window = sample_window
    _claim(window)
    delete = window.claims.findChild(QPushButton, "danger")
    assert delete is not None and delete.text() == "Delete Claim"
    rule = re.search(r"QPushButton#danger \{ color: (#[0-9a-f]{6}); \}", style_sheet(dark=True))
    assert rule is not None
    red = QColor(rule.group(1))
    palette = dark_palette()
    for role in (QPalette.ColorRole.Button, QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        assert contrast(red, palette.color(role)) >= 4.5, (role, red.name())
    light = re.search(r"QPushButton#danger \{ color: (#[0-9a-f]{6}); \}", style_sheet(dark=False))
    assert light is not None and contrast(QColor(light.group(1)), QColor("#ffffff")) >= 4.5


def test_the_no_source_field_shows_the_start_of_a_long_reason(sample_window):
    window = sample_window
    claim = _claim(window)
    reason = "The company's own notice, read on its site the same day, " * 4
    window.session.store.update_claim(claim.id, source_override=reason)
    window.session.reload()
    window.session.activate_claim(0)
    window.session.activate_claim(claim.id)
    assert window.claims.override.text() == reason
    assert window.claims.override.cursorPosition() == 0


def test_window_title_and_about_box_spell_the_name_alike(sample_window):
    window = sample_window
    assert window.windowTitle().endswith(f"— {APP_DISPLAY_NAME}")
    window.open_about()
    about = shown_dialog(window, AboutDialog)
    assert about.windowTitle() == f"About {APP_DISPLAY_NAME}"
    titles = [label.text() for label in about.findChildren(QLabel)]
    assert any(t.startswith(f"{APP_DISPLAY_NAME} ") for t in titles)


def test_the_archived_copy_field_is_named_in_plain_words(sample_window):
    form = sample_window.sources.form
    labels = [label.text() for label in form.findChildren(QLabel)]
    assert "Archived copy address" in labels
    assert not [text for text in labels if "archive" in text.lower() and "url" in text.lower()]
