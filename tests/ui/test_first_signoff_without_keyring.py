"""The first sign-off on a machine with no Secret Service: the dialog says what to install for
this desktop, and the review stays exactly as it was (still in review, nothing recorded)."""

from __future__ import annotations

from reviewapp.core.system_packages import this_distro
from reviewapp.secrets import KeyringSecretStore, keyring_store
from tests.conftest import ROOT
from tests.ui.conftest import answer_accountability, select_quote


def test_no_keyring_names_gnome_keyring_and_keeps_the_review(sample_window, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    ubuntu = this_distro([ROOT / "tests" / "fixtures" / "os-release" / "ubuntu-24.04"])
    monkeypatch.setattr(keyring_store, "this_distro", lambda: ubuntu)
    window = sample_window
    window.signing.secrets = KeyringSecretStore()  # the real keyring path, as installed
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.opinion"].trigger()
    window.header.verdict.set_key("publish")
    window.header.verdict.chosen.emit("publish")
    answer_accountability(window)
    store, review_id = window.session.store, window.session.review_id
    before = (store.review(review_id), store.claims(review_id))

    dialog = window.signing.open_signoff()
    dialog.name.setText("Ada Editor")
    dialog.email.setText("ada@example.org")
    dialog.accept()

    assert dialog.isVisible()  # the editor can install the keyring and press Sign again
    shown = dialog.error.text()
    assert shown.startswith("no system keyring is available (keyring backend: fail.Keyring); ")
    assert "install and unlock GNOME Keyring (sudo apt install gnome-keyring, then log out" in shown
    assert (
        "KeePassXC with its Secret Service integration turned on (sudo apt install keepassxc)"
        in (shown)
    )
    assert (store.review(review_id), store.claims(review_id)) == before
    assert before[0].status == "in-review"
    assert store.reviewer_by_name("Ada Editor") is None
    assert window.action_set["claim.add"].isEnabled()  # still editable
