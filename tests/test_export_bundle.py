"""The JSON bundle: everything about a review, and a reader that refuses broken bundles."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.export import render
from reviewapp.export.bundle import (
    BUNDLE_VERSION,
    MAX_RAW_BYTES,
    MAX_TEXT_CHARS,
    BundleLimits,
    read_bundle,
    store_bundle,
)
from reviewapp.secrets import MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows.signoff import reopen, sign_off
from tests.conftest import record_accountability
from tests.test_export_support import build_hostile_review


def _full_bundle(store: ReviewStore, review_id: int) -> bytes:
    """What a caller with the store renders: every revision and its raw bytes."""
    return store_bundle(store, store.load_review(review_id))


@pytest.fixture
def hostile(store: ReviewStore):
    return store.load_review(build_hostile_review(store).review_id)


def _signed_review(store: ReviewStore, draft_factory) -> int:
    review_id = store.add_article(draft_factory(["The firm has 12 staff."], title="Firm"))
    claim = store.add_claim_by_quote(review_id, "12 staff", status="verified")
    store.add_source(review_id, claim_ids=[claim.id], url="https://registry.example/firm")
    store.set_review(review_id, verdict="publish")
    record_accountability(store, review_id)
    return review_id


def test_bundle_holds_text_blocks_raw_bytes_and_metadata(store: ReviewStore, hostile):
    bundle = read_bundle(_full_bundle(store, hostile.review.id))
    (revision,) = bundle["revisions"]
    assert revision["text"] == hostile.revision.text
    assert revision["content_hash"] == hostile.revision.content_hash
    assert revision["blocks"] == [b.to_json() for b in hostile.revision.blocks]
    assert revision["raw"] == store.raw_source(hostile.revision.id)[0]
    assert revision["meta"]["title"] == hostile.revision.meta.title
    assert revision["meta"]["authors"] == ["Writer | One", "*Two*"]


def test_bundle_holds_claims_sources_links_and_takeaways_exactly(store: ReviewStore, hostile):
    bundle = read_bundle(_full_bundle(store, hostile.review.id))
    assert bundle["review"]["verdict"] == "publish-with-corrections"
    for entry, claim in zip(bundle["claims"], hostile.claims, strict=True):
        quote = entry["selectors"]["quote"]
        assert (quote["exact"], quote["prefix"], quote["suffix"]) == (
            claim.quote,
            claim.prefix,
            claim.suffix,
        )
        assert entry["selectors"]["position"] == {"start": claim.start, "end": claim.end}
        assert (entry["status"], entry["note"], entry["correction"], entry["anchor_state"]) == (
            claim.status,
            claim.note,
            claim.correction,
            claim.anchor_state,
        )
        assert entry["source_override"] == claim.source_override
    assert [s["url"] for s in bundle["sources"]] == [s.url for s in hostile.sources]
    stable = {s.id: s.stable_id for s in hostile.sources}
    assert [c["id"] for c in bundle["claims"]] == [c.stable_id for c in hostile.claims]
    assert [s["id"] for s in bundle["sources"]] == [s.stable_id for s in hostile.sources]
    assert sorted((link["claim_id"], link["source_id"]) for link in bundle["links"]) == sorted(
        (c.stable_id, stable[s]) for c in hostile.claims for s in c.source_ids
    )
    assert [(t["id"], t["text"], t["kind"], t["created_at"]) for t in bundle["takeaways"]] == [
        (t.stable_id, t.text, t.kind, t.created_at) for t in hostile.takeaways
    ]


def test_bundle_carries_every_signoff_with_bytes_that_still_verify(store, draft_factory):
    review_id = _signed_review(store, draft_factory)
    secrets = MemorySecretStore()
    first = sign_off(
        store, review_id, "Ada", "ada@example.org", secrets=secrets, now="2026-11-27T19:03:10Z"
    )
    reopen(store, review_id, reason="typo", now="2026-11-28T08:00:00Z")
    second = sign_off(
        store, review_id, "Ada", "ada@example.org", secrets=secrets, now="2026-11-28T09:00:00Z"
    )
    bundle = read_bundle(_full_bundle(store, review_id))
    assert [s["signed_at"] for s in bundle["signoffs"]] == [first.signed_at, second.signed_at]
    assert bundle["signoffs"][0]["superseded_at"] == "2026-11-28T08:00:00Z"
    for entry, record in zip(bundle["signoffs"], (first, second), strict=True):
        assert entry["markdown"] == record.markdown
        public_key = sshsig.public_key_line(
            sshsig.public_key_from_blob(sshsig.read_signature(entry["signature"]).public_key)
        )
        sshsig.verify(entry["markdown"], entry["signature"], [("ada@example.org", public_key)])


def test_render_without_the_store_marks_raw_bytes_missing(hostile):
    bundle = read_bundle(render(hostile, "json"))
    assert bundle["revisions"][0]["raw_base64"] is None
    assert bundle["revisions"][0]["raw"] is None


def test_same_review_gives_the_same_bytes(store: ReviewStore, hostile, db_path):
    first = _full_bundle(store, hostile.review.id)
    with ReviewStore(db_path) as reopened:
        assert _full_bundle(reopened, hostile.review.id) == first


# ---------------------------------------------------------------------- refusing bad bundles
def _tampered(store: ReviewStore, review_id: int, change) -> bytes:
    bundle: dict[str, Any] = json.loads(_full_bundle(store, review_id))
    change(bundle)
    return json.dumps(bundle).encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda b: b["revisions"][0].update(text=b["revisions"][0]["text"] + "!"),
            "revisions\\[0\\]: the text does not match its content hash",
        ),
        (
            lambda b: b["claims"][0]["selectors"]["position"].update(start=0),
            "claims\\[0\\]: the quote is not at its stored position",
        ),
        (lambda b: b["claims"][0].update(status="maybe"), "claims\\[0\\].status is 'maybe'"),
        (lambda b: b["claims"][0].update(revision_id=999), "claims\\[0\\] points at revision 999"),
        (
            lambda b: b["links"].append(
                {"claim_id": b["claims"][0]["id"], "source_id": "s-99999999"}
            ),
            "links\\[\\d+\\] names a claim or source",
        ),
        (
            lambda b: b["links"].append({"claim_id": 1, "source_id": b["sources"][0]["id"]}),
            "links\\[\\d+\\].claim_id must be text",
        ),
        (
            lambda b: b["links"][0].update(source_id=b["claims"][0]["id"]),
            "links\\[0\\].source_id is 'c-[0-9a-z]{8}', not a source id like s-7k3m9q2a",
        ),
        (
            lambda b: b["revisions"][0].update(raw_base64="***"),
            "revisions\\[0\\].raw_base64 is not base64",
        ),
        (
            lambda b: b["claims"][0].update(id="one"),
            "claims\\[0\\].id is 'one', not a claim id like c-7k3m9q2a",
        ),
        (lambda b: b["claims"][0].update(id=1), "claims\\[0\\].id must be text"),
        (lambda b: b["claims"][0].update(id="c-7K3M9Q2A"), "claims\\[0\\].id is 'c-7K3M9Q2A'"),
        (lambda b: b["takeaways"][0].update(id="t-7k3m9q2u"), "takeaways\\[0\\].id is"),
        (lambda b: b["takeaways"][0].pop("created_at"), "takeaways\\[0\\] has no 'created_at'"),
        (lambda b: b["takeaways"].append(dict(b["takeaways"][0])), "its takeaway ids repeat"),
        (lambda b: b["review"].pop("reviewer"), "review has no 'reviewer'"),
        (lambda b: b.update(revisions=[]), "it has no article revision"),
        (lambda b: b.update(format="other"), "the format field is not 'reviewapp-bundle'"),
        (lambda b: b["sources"][0].update(kind="rumour"), "sources\\[0\\].kind is 'rumour'"),
    ],
)
def test_a_damaged_bundle_is_refused_naming_the_problem(store, hostile, change, message):
    with pytest.raises(BadInput, match="not a valid reviewapp bundle: " + message):
        read_bundle(_tampered(store, hostile.review.id, change))


def test_a_newer_bundle_asks_for_a_newer_reviewapp(store, hostile):
    content = _tampered(store, hostile.review.id, lambda b: b.update(version=BUNDLE_VERSION + 1))
    with pytest.raises(BadInput, match="update reviewapp"):
        read_bundle(content)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe binary", "not UTF-8"), (b"{not json", "not JSON"), (b"[1, 2]", "format field")],
)
def test_non_bundles_are_refused(content, message):
    with pytest.raises(BadInput, match=message):
        read_bundle(content)


# ---------------------------------------------------------------------- bounds
@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (BundleLimits(raw_bytes=100), "revisions\\[0\\].raw_base64 decodes to [\\d,]+ bytes, more"),
        (BundleLimits(text_chars=100), "revisions\\[0\\].text has [\\d,]+ characters, more"),
        (BundleLimits(items=2), "it has \\d+ claims, more than the 2 a bundle may hold"),
        (BundleLimits(blocks=3), "revisions\\[0\\] has \\d+ blocks, more than the 3"),
        (BundleLimits(values=100), "it has more than 100 values"),
    ],
)
def test_a_bundle_over_a_configured_limit_is_refused_by_its_decoded_size(
    store, hostile, limits, message
):
    content = _full_bundle(store, hostile.review.id)
    read_bundle(content)  # within the default limits
    with pytest.raises(BadInput, match="not a valid reviewapp bundle: " + message):
        read_bundle(content, limits)


def test_a_bundle_may_hold_what_an_import_may_keep():
    from reviewapp.ingest.settings import IngestSettings

    ingest_limit = IngestSettings().max_bytes
    assert ingest_limit == MAX_RAW_BYTES
    assert ingest_limit <= MAX_TEXT_CHARS  # the text extracted from the largest file


def test_a_bundle_with_escaped_emoji_reads_as_the_same_text(store, hostile):
    # Other JSON tools write astral characters as surrogate pairs (\ud83d\ude00).
    original = read_bundle(_full_bundle(store, hostile.review.id))
    ascii_only = json.dumps(json.loads(_full_bundle(store, hostile.review.id)), ensure_ascii=True)
    assert "\\ud83d\\ude00" in ascii_only
    assert (
        read_bundle(ascii_only.encode())["revisions"][0]["text"] == original["revisions"][0]["text"]
    )


def test_a_backslash_before_u_d800_in_a_note_is_text_not_a_surrogate(store, hostile):
    note = "a path C:\\ud800\\file"
    content = _tampered(store, hostile.review.id, lambda b: b["claims"][0].update(note=note))
    assert read_bundle(content)["claims"][0]["note"] == note


def test_claims_that_are_not_firmly_anchored_need_no_matching_quote(store, hostile):
    def unsettle(bundle: dict[str, Any]) -> None:
        first, second = bundle["claims"][0], bundle["claims"][1]
        first.update(anchor_state="needs-confirmation")
        first["selectors"]["quote"]["exact"] = "the words of an earlier draft"
        second.update(anchor_state="orphaned")
        second["selectors"]["position"].update(start=None, end=None)

    bundle = read_bundle(_tampered(store, hostile.review.id, unsettle))
    assert [c["anchor_state"] for c in bundle["claims"][:2]] == ["needs-confirmation", "orphaned"]


def test_a_bundle_whose_sign_offs_share_an_id_is_refused(store, draft_factory):
    review_id = _signed_review(store, draft_factory)
    sign_off(store, review_id, "Ada", "ada@example.org", secrets=MemorySecretStore())
    content = _tampered(store, review_id, lambda b: b["signoffs"].append(b["signoffs"][0]))
    with pytest.raises(BadInput, match="its sign-off ids repeat"):
        read_bundle(content)


def test_a_bundle_missing_a_revision_a_claim_needs_is_refused(store: ReviewStore, hostile):
    data = store.load_review(hostile.review.id)
    data.claims[0].revision_id = 12345
    with pytest.raises(BadInput, match="needs revision\\(s\\) 12345"):
        render(data, "json")


def test_raw_bytes_round_trip_through_base64(store: ReviewStore, hostile):
    bundle = json.loads(_full_bundle(store, hostile.review.id))
    raw = base64.b64decode(bundle["revisions"][0]["raw_base64"])
    assert raw == store.raw_source(hostile.revision.id)[0]


def test_export_review_with_the_store_writes_the_lossless_bundle(store, hostile, tmp_path):
    from reviewapp.export.files import export_review

    target = tmp_path / "review.json"
    export_review(hostile, "json", target, archive=store)
    bundle = read_bundle(target.read_bytes())
    assert bundle["revisions"][0]["raw"] == store.raw_source(hostile.revision.id)[0]
