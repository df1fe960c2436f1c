"""Helpers for the bundle import tests (this module holds no tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reviewapp.core.model import ImportedDraft
from reviewapp.export.bundle import store_bundle
from reviewapp.store import ReviewStore
from reviewapp.store.rows import ClaimPlace
from tests.conftest import make_draft
from tests.rawdb import raw_db


def bundle_bytes(store: ReviewStore, review_id: int) -> bytes:
    """What `reviewapp export ID --format json` writes: every revision with its raw bytes."""
    return store_bundle(store, store.load_review(review_id))


def write_bundle(store: ReviewStore, review_id: int, path: Path) -> Path:
    path.write_bytes(bundle_bytes(store, review_id))
    return path


def tampered(content: bytes, change) -> bytes:
    """The bundle after change(bundle_dict) edits it, re-serialised."""
    bundle: dict[str, Any] = json.loads(content)
    change(bundle)
    return json.dumps(bundle, ensure_ascii=False, indent=2).encode()


def add_second_revision(store: ReviewStore, review_id: int, extra: str) -> int:
    """A newer draft of the article (its text plus one paragraph); the review moves onto it
    and its claims stay pinned to the same quotes, as re-anchoring an unchanged passage does.
    Written straight into the tables: this is test setup, not the feature under test."""
    review = store.review(review_id)
    old = store.revision(review.revision_id)
    parts = [(b.kind, b.text, b.level) for b in old.blocks] + [("paragraph", extra, 0)]
    from reviewapp.core.text import build_document

    raw = (old.text + "\n\n" + extra).encode()
    draft = ImportedDraft(build_document(parts), old.meta, raw, "text/plain", "test", "second.txt")
    # Claim 1 moves to the new revision; the others stay on the old one, so both revisions
    # are referenced and must both travel.
    first = store.claims(review_id)[0]
    place = ClaimPlace(
        quote=first.quote,
        prefix=first.prefix,
        suffix=first.suffix,
        start=first.start,
        end=first.end,
        anchor_state="moved",
        anchor_score=1.0,
        previous_quote="an earlier wording",
    )
    return store.add_revision(review_id, draft, {first.id: place}).id


def normalised(content: bytes) -> dict[str, Any]:
    """A bundle with every database id replaced by what identifies the row in any library:
    revisions by number, claims and sources by their order; the review's own id dropped."""
    bundle: dict[str, Any] = json.loads(content)
    rev_number = {r["id"]: r["number"] for r in bundle["revisions"]}
    claim_no = {c["id"]: n for n, c in enumerate(bundle["claims"], start=1)}
    source_no = {s["id"]: n for n, s in enumerate(bundle["sources"], start=1)}
    for rev in bundle["revisions"]:
        rev["id"] = rev["number"]
    bundle["review"]["id"] = None
    bundle["review"]["revision_id"] = rev_number[bundle["review"]["revision_id"]]
    for claim in bundle["claims"]:
        claim["id"] = claim_no[claim["id"]]
        claim["revision_id"] = rev_number[claim["revision_id"]]
    for source in bundle["sources"]:
        source["id"] = source_no[source["id"]]
    for link in bundle["links"]:
        link["claim_id"], link["source_id"] = (
            claim_no[link["claim_id"]],
            source_no[link["source_id"]],
        )
    for takeaway in bundle["takeaways"]:
        takeaway["id"] = None
    for signoff in bundle["signoffs"]:
        signoff["id"] = None
        signoff["revision_id"] = rev_number[signoff["revision_id"]]
    return bundle


def other_library(path: Path) -> ReviewStore:
    """A library that already holds a review, so imported rows cannot keep their ids."""
    store = ReviewStore(path)
    for n in range(3):
        store.add_article(make_draft([f"Someone else's draft number {n}."], title=f"Other {n}"))
    return store


def table_counts(store: ReviewStore) -> dict[str, int]:
    tables = (
        "articles",
        "revisions",
        "reviews",
        "claims",
        "sources",
        "claim_sources",
        "takeaways",
        "signoffs",
        "events",
    )
    with raw_db(store.path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
