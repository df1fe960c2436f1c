"""The second reviewer's side in the window: Review › Sign Second Assessment…, Review › Open
First Editor's Record… and Co-sign. Two editors, two libraries, two windows (offscreen, real
widgets), real signatures; the round trip uses the real Secret Service for both keys and ends
with plain `ssh-keygen -Y verify` accepting both signatures."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QMessageBox

from reviewapp.core.gate import gate_problems
from reviewapp.export.files import export_review
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.ui.dialogs.second_cosign import FirstRecordDialog
from reviewapp.ui.preferences import Preferences
from reviewapp.workflows import second_review as second
from reviewapp.workflows.signoff import sign_off
from tests.conftest import examine_suggestions
from tests.test_signoff_fixtures import (  # noqa: F401
    needs_ssh_keygen,
    openssh_verify,
    ready_review,
    secret_service,
)
from tests.ui.shown import errors_shown, modal_dialog

ADA, ADA_EMAIL = "Ada Editor", "ada@example.org"
BOB, BOB_EMAIL = "Bob Second", "bob@example.org"
# Bob's statuses and notes: claim 1 agrees with Ada, 2 disagrees, 3 unsure.
BOB_SAYS = (
    ("false", "The filing says $8 billion"),
    ("false", "Only one version was suspended"),
    ("unverifiable", "Cannot tell"),
)


@pytest.fixture
def desk_window(qtbot, tmp_path: Path):
    """desk_window(name, email, secrets): a main window on that editor's own library, with
    their own settings (name and email in Preferences) and key store (None: the keyring)."""
    from reviewapp.ui.main_window import MainWindow
    from reviewapp.ui.tasks import TaskRunner

    opened: list[tuple[TaskRunner, ReviewStore]] = []

    def make(name: str, email: str, secrets: object | None):
        slug = name.split()[0].lower()
        store = ReviewStore(tmp_path / f"{slug}.db")
        settings = QSettings(str(tmp_path / f"{slug}.ini"), QSettings.Format.IniFormat)
        runner = TaskRunner(synchronous=True)
        window = MainWindow(store, settings, runner, secrets)
        window.prefs = Preferences(reviewer_name=name, email=email)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append((runner, store))
        return window

    yield make
    for runner, store in opened:
        runner.wait(5000)
        store.close()


def _assess_in_window(qtbot, window, says=BOB_SAYS) -> None:
    """Bob gives each claim of his open copy a status and a note, as he would by hand."""
    for claim, (status, note) in zip(window.session.data.claims, says, strict=False):
        window.session.set_current_claim(claim.id)
        window.action_set[f"claim.status.{status}"].trigger()
        qtbot.keyClicks(window.claims.note, note)
        window.claims.note.flush()


def _import_request_in(bob, request: Path) -> int:
    bob.second_review.open_import().fileSelected.emit(str(request))
    copy = bob.session.store.second_copy_of(_uid(request))
    assert copy is not None, errors_shown(bob)
    bob.session.open_review(copy)
    return copy


def _uid(request: Path) -> str:
    import json

    return json.loads(request.read_text())["review_uid"]


def _trust(truster, owner, name: str) -> None:
    key = owner.session.store.reviewer_by_name(name)
    assert key is not None
    truster.session.store.trust_key(name, key.email, key.public_key, key.fingerprint)


@needs_ssh_keygen
@pytest.mark.secret_service
@pytest.mark.usefixtures("secret_service")
def test_the_whole_round_trip_in_two_windows_with_keys_in_the_keyring(qtbot, desk_window, tmp_path):
    ada = desk_window(ADA, ADA_EMAIL, None)
    bob = desk_window(BOB, BOB_EMAIL, None)
    review_id = ready_review(ada.session.store)
    examine_suggestions(ada.session.store, review_id)
    ada.session.open_review(review_id)

    # Ada asks; Bob imports the request in his window and assesses the claims there.
    request = tmp_path / "request.json"
    ada.second_review.open_request().fileSelected.emit(str(request))
    copy = _import_request_in(bob, request)
    sign = bob.action_set["review.second_sign"]
    assert sign.isEnabled() and sign.text() in [a.text() for a in _review_menu(bob)]
    _assess_in_window(qtbot, bob)

    # Bob signs from the window: a save dialog (not exec), signing on the pool, the box says
    # where the file went, and his copy is read-only now, as a signed-off review is.
    chooser = bob.second_signing.open_sign()
    assert chooser is not None and chooser.isVisible()  # opened with open(), never exec()
    back = tmp_path / "back.json"
    chooser.fileSelected.emit(str(back))
    box = modal_dialog(QMessageBox)
    assert box.objectName() == "assessmentSigned", errors_shown(bob)
    assert str(back) in box.informativeText() and ADA in box.informativeText()
    box.accept()
    assert back.exists()
    assert not bob.session.editable and not sign.isEnabled()
    assert bob.action_set["review.reopen"].isEnabled()
    assert not bob.claims.status.isEnabled()
    assert bob.header.banner.isVisible() and "Second assessment signed" in (
        bob.header.banner_text.text()
    )

    # Ada imports it (trusting Bob's key), settles in the comparison, signs off, exports.
    _trust(ada, bob, BOB)
    ada.second_review.open_import().fileSelected.emit(str(back))
    compare = ada.second_review.dialog
    assert compare is not None, errors_shown(ada)
    for number, status, note in ((2, "partly-true", "One of two versions"), (3, "opinion", "Hers")):
        compare.select_claim(number)
        compare.status.setCurrentIndex(compare.status.findData(status))
        compare.note.setText(note)
        compare.settle_button.click()
    assert gate_problems(ada.session.data) == []
    dialog = ada.signing.open_signoff()
    dialog.name.setText(ADA)
    dialog.email.setText(ADA_EMAIL)
    dialog.accept()
    assert ada.session.data.review.status == "signed-off", dialog.error.text()
    md = tmp_path / "review.md"
    ada.exports.export_one("md", md, lambda written: None, pytest.fail)
    assert md.exists() and (tmp_path / "review.md.sig").exists()

    # Bob opens Ada's record: verified, it names his key and assessment; both notes per claim.
    _trust(bob, ada, ADA)
    bob.action_set["review.second_record"].trigger()
    bob.second_signing.open_record().fileSelected.emit(str(md))
    view = bob.second_signing.dialog
    assert isinstance(view, FirstRecordDialog), errors_shown(bob)
    assert view.isVisible() and not view.isModal()
    assert f"signed off by {ADA}" in view.who.text() and f"review {copy}" in view.who.text()
    table = view.table
    cells = [[table.item(r, c).text() for c in range(7)] for r in range(table.rowCount())]
    assert [row[2] for row in cells] == ["False", "Partly true", "Opinion"]  # Ada, as signed
    assert [row[4] for row in cells] == ["False", "False", "Unverifiable"]  # Bob
    assert cells[1][3] == "Company statement" and cells[1][5] == "Only one version was suspended"
    assert cells[1][6] == "disagree; settled as Partly true: One of two versions"
    assert table.horizontalHeaderItem(2).text() == "First editor"

    # Co-sign: the very file, beside it; both signatures verify with plain OpenSSH.
    view.cosign_button.click()
    cosig = tmp_path / "review.md.second.sig"
    assert cosig.exists(), errors_shown(bob)
    assert str(cosig) in view.outcome.text()
    allowed = tmp_path / "allowed_signers"
    lines = []
    for window, name, email in ((ada, ADA, ADA_EMAIL), (bob, BOB, BOB_EMAIL)):
        key = window.session.store.reviewer_by_name(name)
        lines.append(f'{email} namespaces="reviewapp" {key.public_key}\n')
    allowed.write_text("".join(lines))
    assert openssh_verify(allowed, ADA_EMAIL, md, tmp_path / "review.md.sig") == 0
    assert openssh_verify(allowed, BOB_EMAIL, md, cosig) == 0


def _review_menu(window):
    menus = [m.menu() for m in window.menuBar().actions() if m.menu()]
    review = next(m for m in menus if m.title().replace("&", "") == "Review")
    return review.actions()


def test_signing_names_the_claims_without_a_status_and_writes_nothing(qtbot, desk_window, tmp_path):
    ada = desk_window(ADA, ADA_EMAIL, MemorySecretStore())
    bob = desk_window(BOB, BOB_EMAIL, MemorySecretStore())
    review_id = ready_review(ada.session.store)
    request = tmp_path / "request.json"
    second.write_request(ada.session.store, review_id, request)
    copy = _import_request_in(bob, request)
    bob.session.set_current_claim(bob.session.data.claims[1].id)
    bob.action_set["claim.status.false"].trigger()  # claims 1 and 3 stay unchecked
    assert bob.second_signing.open_sign() is None
    assert errors_shown(bob) == [
        f"Claims 1, 3 of review {copy} have no status yet (choose unverifiable when you cannot "
        "decide)."
    ]
    assert list(tmp_path.glob("second-assessment-*")) == []
    assert bob.session.editable and not bob.session.data.second_review.assessed
    # Every claim assessed, but nobody named to sign: said before any file dialog opens.
    for claim in bob.session.data.claims:
        bob.session.set_current_claim(claim.id)
        bob.action_set["claim.status.opinion"].trigger()
    bob.prefs = Preferences()
    bob.header.reviewer.setText("")
    bob.header.reviewer.editingFinished.emit()
    assert bob.session.data.review.reviewer == ""
    assert bob.second_signing.open_sign() is None
    assert errors_shown(bob)[-1].startswith("Name who signs the assessment first")


def _signed_record(tmp_path: Path, bob_secrets: MemorySecretStore) -> tuple[Path, int]:
    """Ada's signed, exported record of a second review by Bob (made with the workflows the
    window calls; Bob's library is tmp_path/bob.db and trusts Ada)."""
    with ReviewStore(tmp_path / "ada.db") as ada, ReviewStore(tmp_path / "bob.db") as bob:
        review_id = ready_review(ada)
        examine_suggestions(ada, review_id)
        request = tmp_path / "request.json"
        second.write_request(ada, review_id, request)
        copy = second.import_request(bob, request, reviewer=BOB)
        for claim, (status, note) in zip(bob.claims(copy), BOB_SAYS, strict=True):
            bob.update_claim(claim.id, status=status, note=note)
        back = tmp_path / "back.json"
        second.sign_assessment(bob, copy, BOB, BOB_EMAIL, bob_secrets, output=back)
        bob_key = bob.reviewer_by_name(BOB)
        ada.trust_key(BOB, BOB_EMAIL, bob_key.public_key, bob_key.fingerprint)
        second.import_assessment(ada, back)
        for row in second.open_disagreements(ada, review_id):
            second.settle(ada, review_id, row.number, "opinion", "On reflection")
        sign_off(ada, review_id, ADA, ADA_EMAIL, MemorySecretStore())
        md = tmp_path / "review.md"
        export_review(ada.load_review(review_id), "md", md)
        ada_key = ada.reviewer_by_name(ADA)
        bob.trust_key(ADA, ADA_EMAIL, ada_key.public_key, ada_key.fingerprint)
    return md, copy


def test_a_tampered_record_is_refused_in_one_line_and_nothing_opens(desk_window, tmp_path):
    secrets = MemorySecretStore()
    md, _ = _signed_record(tmp_path, secrets)
    md.write_bytes(md.read_bytes().replace(b"On reflection", b"On no reflection"))
    bob = desk_window(BOB, BOB_EMAIL, secrets)
    bob.second_signing.load_record(md)
    shown = errors_shown(bob)
    assert len(shown) == 1 and "\n" not in shown[0] and "signature does not match" in shown[0]
    assert bob.second_signing.dialog is None
    assert not (tmp_path / "review.md.second.sig").exists()


def test_a_record_naming_someone_else_is_refused_and_not_cosigned(desk_window, tmp_path):
    md, _ = _signed_record(tmp_path, MemorySecretStore())
    # Carol trusts Ada, but the record names Bob's key, which is not hers.
    carol = desk_window("Carol Third", "carol@example.org", MemorySecretStore())
    with ReviewStore(tmp_path / "ada.db") as ada:
        key = ada.reviewer_by_name(ADA)
    carol.session.store.trust_key(ADA, ADA_EMAIL, key.public_key, key.fingerprint)
    carol.second_signing.load_record(md)
    shown = errors_shown(carol)
    assert len(shown) == 1 and "that key is not yours" in shown[0] and BOB in shown[0]
    assert carol.second_signing.dialog is None
    assert not (tmp_path / "review.md.second.sig").exists()


def test_cosigning_a_record_changed_after_it_was_shown_is_refused_in_the_view(
    desk_window, tmp_path
):
    secrets = MemorySecretStore()
    md, _ = _signed_record(tmp_path, secrets)
    bob = desk_window(BOB, BOB_EMAIL, secrets)
    bob.second_signing.load_record(md)
    view = bob.second_signing.dialog
    assert view is not None and view.cosign_button.isEnabled(), errors_shown(bob)
    md.write_bytes(md.read_bytes() + b"\nA line added after signing.\n")
    view.cosign_button.click()
    assert view.outcome.text().startswith("Not co-signed: ")
    assert len(errors_shown(bob)) == 1
    assert not (tmp_path / "review.md.second.sig").exists()
    # Co-sign As… writes where the editor chooses (the file put back as signed).
    md.write_bytes(md.read_bytes().removesuffix(b"\nA line added after signing.\n"))
    chooser = bob.second_signing.open_cosign_as()
    assert chooser is not None
    target = tmp_path / "elsewhere.sig"
    chooser.fileSelected.emit(str(target))
    assert target.exists() and str(target) in view.outcome.text()


def test_reopening_a_signed_assessment_makes_it_editable_again(desk_window, tmp_path):
    secrets = MemorySecretStore()
    _md, copy = _signed_record(tmp_path, secrets)
    bob = desk_window(BOB, BOB_EMAIL, secrets)
    bob.session.open_review(copy)
    assert not bob.session.editable and bob.action_set["review.reopen"].isEnabled()
    assert "assessment signed" in bob.session.status_text()
    dialog = bob.signing.open_reopen()
    assert "second assessment aside" in dialog.findChild(QLabel).text()
    dialog.reason.setText("A second look")
    dialog.accept()
    assert bob.session.editable, errors_shown(bob)
    assert bob.action_set["review.second_sign"].isEnabled()
    assert not bob.session.data.second_review.assessed


def test_no_keyring_is_shown_in_one_message_and_the_copy_stays_as_it_was(
    qtbot, desk_window, tmp_path, monkeypatch
):
    from reviewapp.secrets import KeyringSecretStore

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    ada = desk_window(ADA, ADA_EMAIL, MemorySecretStore())
    bob = desk_window(BOB, BOB_EMAIL, KeyringSecretStore())
    review_id = ready_review(ada.session.store)
    request = tmp_path / "request.json"
    second.write_request(ada.session.store, review_id, request)
    copy = _import_request_in(bob, request)
    _assess_in_window(qtbot, bob)
    chooser = bob.second_signing.open_sign()
    assert chooser is not None, errors_shown(bob)
    back = tmp_path / "back.json"
    chooser.fileSelected.emit(str(back))
    shown = errors_shown(bob)
    assert len(shown) == 1 and shown[0].startswith("No system keyring is available")
    assert not back.exists()
    assert not bob.session.store.second_review(copy).assessed
    assert bob.session.editable and bob.action_set["review.second_sign"].isEnabled()
