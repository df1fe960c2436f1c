"""Import New Revision on a signed-off review: the dialog says what will happen, the review is
in review again on the new text, the signed record stays and says why it was superseded, and
undo puts the sign-off back."""

from __future__ import annotations

from tests.ui.test_revisions_gui import import_revision_from_file, write_corrected_sample
from tests.ui.test_signed_off_read_only import signed_off_window


def test_a_new_revision_reopens_a_signed_off_review_and_keeps_its_record(sample_window, tmp_path):
    window = signed_off_window(sample_window)
    record = window.session.data.current_signoff
    assert window.action_set["file.import_revision"].isEnabled()
    dialog = import_revision_from_file(window, write_corrected_sample(tmp_path))
    intro = dialog.findChild(type(dialog.headline), "revisionIntro")
    assert "This review is signed off" in intro.text()
    assert dialog.pages.currentIndex() == 1, dialog.error.text()

    data = window.session.data
    assert data.review.status == "in-review" and data.revision.number == 2
    [kept] = data.signoffs
    assert kept.markdown == record.markdown and kept.signature == record.signature
    assert "needs a new review" in kept.superseded_reason
    header = window.header
    assert not header.banner.isVisible()  # editable again
    assert "needs a new review" in header.history.text()
    assert window.action_set["claim.add"].isEnabled()

    window.session.undo_stack.undo()
    data = window.session.data
    assert data.review.status == "signed-off" and data.revision.number == 1
    assert data.current_signoff is not None and data.current_signoff.id == record.id
    assert data.current_signoff.superseded_reason == ""
    window.session.undo_stack.redo()
    assert window.session.data.review.status == "in-review"
