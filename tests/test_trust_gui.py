"""The window says "unverified signer" for a review signed by a key this library does not trust,
and stops saying it once the editor trusts the key (nothing is rewritten)."""

from __future__ import annotations

import pytest

from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.ui.models import SUBTITLE_ROLE
from reviewapp.workflows.bundles import import_bundle
from reviewapp.workflows.signoff import sign_off
from tests.rawdb import raw_db
from tests.test_bundle_import_support import bundle_bytes
from tests.test_signoff_fixtures import EMAIL, REVIEWER, ready_review
from tests.ui.conftest import make_window, settings_path  # noqa: F401


@pytest.fixture
def imported_id(tmp_path, db_path) -> int:
    """A review signed off in another library and imported into this test's library."""
    with ReviewStore(tmp_path / "other.db") as other:
        review_id = ready_review(other)
        sign_off(other, review_id, REVIEWER, EMAIL, secrets=MemorySecretStore())
        content = bundle_bytes(other, review_id)
    with ReviewStore(db_path) as store:
        return import_bundle(store, content, "other.json").review_id


def _library_subtitle(window, review_id: int) -> str:
    model = window.library.model
    return str(model.index(model.row_of(review_id)).data(SUBTITLE_ROLE))


def test_the_library_row_and_the_header_say_unverified_signer_until_the_key_is_trusted(
    make_window,  # noqa: F811
    imported_id,
):
    window = make_window()
    assert "unverified signer" in _library_subtitle(window, imported_id)
    window.session.open_review(imported_id)
    history = window.header.history.text()
    assert "unverified signer" in history and "is not trusted here" in history

    store = window.session.store
    signoff = store.signoffs(imported_id)[0]
    with raw_db(store.path) as conn:
        (public_key,) = conn.execute(
            "SELECT public_key FROM signoffs WHERE id = ?", [signoff.id]
        ).fetchone()
    store.trust_key(REVIEWER, EMAIL, public_key, signoff.fingerprint)
    window.library.model.reload()
    window.session.refresh_review()
    assert "unverified signer" not in _library_subtitle(window, imported_id)
    assert "unverified" not in window.header.history.text()


def test_a_reviewer_name_with_a_control_character_is_refused_in_the_window(
    make_window,  # noqa: F811
    tmp_path,
    db_path,
):
    with ReviewStore(db_path) as store:
        review_id = ready_review(store)
    window = make_window()
    window.session.open_review(review_id)
    errors: list[str] = []
    window.session.errorRaised.connect(errors.append)
    window.header.reviewer.setText("Ada\x07Editor")
    window.header.reviewer.editingFinished.emit()
    assert errors and "control character" in errors[0]
    assert window.session.store.review(review_id).reviewer == REVIEWER
