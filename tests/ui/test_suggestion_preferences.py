"""Preferences: "Require every check-worthy sentence to be examined before sign-off", kept in
the library (issue 16); the Sign Off dialog's checklist follows it in plain words."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from reviewapp.store import ReviewStore
from tests.ui.conftest import select_quote
from tests.ui.shown import errors_shown

LABEL = "Require every check-worthy sentence to be examined before sign-off"


def _ready_but_for_coverage(window) -> None:
    """A claim with a status, a verdict, the accountability answers; suggestions unexamined."""
    from tests.conftest import record_accountability

    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.opinion"].trigger()
    window.header.verdict.set_key("publish")
    window.header.verdict.chosen.emit("publish")
    record_accountability(window.session.store, window.session.data.review.id)
    window.session.reload()


def _checklist(dialog) -> list[str]:
    return [dialog.checklist.item(i).text() for i in range(dialog.checklist.count())]


def test_the_checkbox_switches_the_rule_for_the_library_and_the_signoff_follows(
    sample_window, db_path
):
    window = sample_window
    _ready_but_for_coverage(window)
    signoff = window.signing.open_signoff()
    signoff.name.setText("Ada Editor")
    (row,) = [line for line in _checklist(signoff) if "check-worthy" in line]
    assert row.startswith(
        "✗  Every check-worthy sentence is examined (claimed, or dismissed with a reason): "
    )
    assert "check-worthy sentences are not examined yet" in row
    assert not signoff.sign_button.isEnabled()
    signoff.reject()

    prefs = window.open_preferences()
    box = prefs.findChild(QCheckBox, "coverageEnforced")
    assert box is not None and box.text() == LABEL
    assert box.isChecked()  # on unless the library switched it off
    box.setChecked(False)
    prefs.accept()
    assert not errors_shown(window)
    with ReviewStore(db_path) as other:  # in the library file, for every editor and the CLI
        assert not other.coverage_enforced()

    signoff = window.signing.open_signoff()
    signoff.name.setText("Ada Editor")
    (row,) = [line for line in _checklist(signoff) if "heck-worthy" in line]
    assert row.startswith("–  Check-worthy sentences: not required by this library (Preferences)")
    assert "and the signed record says coverage was not enforced" in row
    assert signoff.sign_button.isEnabled()
    signoff.reject()

    prefs = window.open_preferences()
    box = prefs.findChild(QCheckBox, "coverageEnforced")
    assert not box.isChecked()  # the dialog shows the library's setting
    box.setChecked(True)
    prefs.accept()
    assert window.session.store.coverage_enforced()


def test_saving_preferences_without_touching_the_box_writes_no_setting(sample_window, db_path):
    window = sample_window
    events = len(window.session.store.events(None))
    prefs = window.open_preferences()
    prefs.accept()
    assert [e["action"] for e in window.session.store.events(None)[events:]] == []
