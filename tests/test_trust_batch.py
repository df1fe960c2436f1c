"""The library's signer check reads a whole page in one query, and says exactly what the check
of one sign-off at a time said: verified, unknown key, key of someone else, unsigned, superseded."""

from __future__ import annotations

from pathlib import Path

from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.bundles import import_bundle
from reviewapp.workflows.signoff import sign_off
from reviewapp.workflows.trust import SignerTrust, signer_trust, unverified_signoffs
from tests.rawdb import raw_db
from tests.test_bundle_import_support import bundle_bytes
from tests.test_signoff_fixtures import EMAIL, REVIEWER, needs_ssh_keygen, ready_review


def _signed_elsewhere(tmp_path: Path, store: ReviewStore, name: str, reviewer: str) -> int:
    """A review signed off by reviewer in another library (with a key of its own), imported."""
    with ReviewStore(tmp_path / f"{name}.db") as other:
        review_id = ready_review(other, title=name)
        other.set_review(review_id, reviewer=reviewer)
        sign_off(other, review_id, reviewer, "", secrets=MemorySecretStore())
        content = bundle_bytes(other, review_id)
    return import_bundle(store, content, f"{name}.json").review_id


def _one_at_a_time(store: ReviewStore, review_ids: list[int]) -> dict[int, SignerTrust]:
    """The check as it was: each review's sign-offs read on their own."""
    found = {}
    for review_id in review_ids:
        live = [s for s in store.signoffs(review_id) if not s.superseded_at]
        if live and not (trust := signer_trust(store, live[-1])).verified:
            found[review_id] = trust
    return found


@needs_ssh_keygen
def test_a_page_of_signers_is_checked_in_one_query_with_the_same_answers(
    tmp_path, store, monkeypatch
):
    secrets = MemorySecretStore()
    own = ready_review(store, title="Signed here")
    sign_off(store, own, REVIEWER, EMAIL, secrets=secrets)
    unknown = _signed_elsewhere(tmp_path, store, "unknown", "Grace Stranger")
    elsewhere = _signed_elsewhere(tmp_path, store, "rebound", "Linus Other")
    unsigned = ready_review(store, title="Never signed")
    superseded = ready_review(store, title="Signed, then superseded")
    sign_off(store, superseded, REVIEWER, EMAIL, secrets=secrets)
    store.supersede_current(superseded, "2026-12-01T10:00:00Z", "reopened")
    # The second stranger's key is trusted here, but for another person than the record names.
    fingerprint = store.signoffs(elsewhere)[0].fingerprint
    with raw_db(store.path) as conn:
        (public_key,) = conn.execute(
            "SELECT public_key FROM signoffs WHERE review_id = ?", [elsewhere]
        ).fetchone()
    store.trust_key("Margaret Keyholder", "", public_key, fingerprint)
    page = [own, unknown, elsewhere, unsigned, superseded]

    calls: list[str] = []
    for name in ("signoffs", "trusted_key", "current_signers"):
        real = getattr(store, name)
        monkeypatch.setattr(
            store, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a)
        )
    found = unverified_signoffs(store, page)
    assert calls == ["current_signers"]  # one read for the page, none per row
    monkeypatch.undo()

    assert set(found) == {unknown, elsewhere}  # own key verified; unsigned, superseded: nothing
    assert "is not trusted here" in found[unknown].reason
    assert found[elsewhere].reason == f"key {fingerprint} belongs to Margaret Keyholder here"
    assert found == _one_at_a_time(store, page)
    assert unverified_signoffs(store, []) == {}
