"""Domain states are enums whose values are the stored spellings: a library written before the
enums existed (schema 1, built here with raw sqlite3) opens and reads back enum members, and a
spelling this version does not know is refused where it is read, with a one-line message."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reviewapp.core import scales
from reviewapp.core.states import (
    AnchorState,
    ClaimStatus,
    Credibility,
    ReviewStatus,
    SourceKind,
    TakeawayKind,
    UnknownState,
    Verdict,
)
from reviewapp.core.text import build_document
from reviewapp.store import ReviewStore
from reviewapp.store.migrations import MIGRATIONS
from tests.rawdb import raw_db

NOW = "2026-11-27T19:03:10Z"
PARAGRAPHS = [f"Paragraph {i} says something that an editor would want to check." for i in range(6)]


def old_library(path: Path, *, claim_status: str = "false") -> int:
    """A schema-1 library as the app wrote it before the enums, with every state spelled once.

    Returns the review id. Claim 1 has claim_status; claims 2-6 the other statuses, one anchor
    state each; one source per kind and credibility; one takeaway per kind.
    """
    doc = build_document([("paragraph", p) for p in PARAGRAPHS])
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO articles (id, title, created_at) VALUES (1, 'Old', ?)", (NOW,))
    conn.execute(
        "INSERT INTO revisions (id, article_id, number, text, blocks, raw, content_hash, "
        "imported_at, importer) VALUES (1, 1, 1, ?, ?, ?, ?, ?, 'text')",
        (doc.text, json.dumps(doc.blocks_json()), doc.text.encode(), doc.content_hash, NOW),
    )
    conn.execute(
        "INSERT INTO reviews (id, article_id, revision_id, reviewer, status, verdict, "
        "created_at, updated_at) VALUES (1, 1, 1, 'Ada', 'in-review', "
        "'publish-with-corrections', ?, ?)",
        (NOW, NOW),
    )
    statuses = [claim_status, "unchecked", "verified", "partly-true", "unverifiable", "opinion"]
    anchors = ["anchored", "moved", "needs-confirmation", "ambiguous", "orphaned", "anchored"]
    for i, (status, anchor) in enumerate(zip(statuses, anchors, strict=True)):
        quote = f"Paragraph {i} says"
        start = doc.text.index(quote)
        conn.execute(
            'INSERT INTO claims (review_id, revision_id, quote, start, "end", status, '
            "anchor_state, created_at, updated_at) VALUES (1, 1, ?, ?, ?, ?, ?, ?, ?)",
            (quote, start, start + len(quote), status, anchor, NOW, NOW),
        )
    kinds = ["primary", "news", "official", "data", "expert", "other"]
    credibility = ["undetermined", "credible", "uncertain", "not-credible", "credible", "credible"]
    for kind, cred in zip(kinds, credibility, strict=True):
        conn.execute(
            "INSERT INTO sources (review_id, url, kind, credibility, created_at, updated_at) "
            "VALUES (1, ?, ?, ?, ?, ?)",
            (f"https://example.org/{kind}", kind, cred, NOW, NOW),
        )
    for position, kind in enumerate(["summary", "concern", "follow-up"]):
        conn.execute(
            "INSERT INTO takeaways (review_id, text, kind, position, created_at, updated_at) "
            "VALUES (1, ?, ?, ?, ?, ?)",
            (f"A {kind}", kind, position, NOW, NOW),
        )
    conn.commit()
    conn.close()
    return 1


def test_an_old_library_reads_back_every_state_as_an_enum_member(tmp_path):
    path = tmp_path / "old.db"
    review_id = old_library(path)
    with ReviewStore(path) as store:
        data = store.load_review(review_id)
        (summary,) = store.list_reviews()
    assert data.review.status is ReviewStatus.IN_REVIEW
    assert data.review.verdict is Verdict.PUBLISH_WITH_CORRECTIONS
    assert (summary.status, summary.verdict) == (
        ReviewStatus.IN_REVIEW,
        Verdict.PUBLISH_WITH_CORRECTIONS,
    )
    assert isinstance(summary.status, ReviewStatus)
    assert [c.status for c in data.claims] == [
        ClaimStatus.FALSE,
        ClaimStatus.UNCHECKED,
        ClaimStatus.VERIFIED,
        ClaimStatus.PARTLY_TRUE,
        ClaimStatus.UNVERIFIABLE,
        ClaimStatus.OPINION,
    ]
    assert {c.anchor_state for c in data.claims} == set(AnchorState)
    assert [s.kind for s in data.sources] == list(SourceKind)
    assert {s.credibility for s in data.sources} == set(Credibility)
    assert [t.kind for t in data.takeaways] == list(TakeawayKind)
    for record, attrs in [
        (data.review, ("status", "verdict")),
        *((c, ("status", "anchor_state")) for c in data.claims),
        *((s, ("kind", "credibility")) for s in data.sources),
        *((t, ("kind",)) for t in data.takeaways),
    ]:
        for attr in attrs:
            assert type(getattr(record, attr)) is not str, (record, attr)


def test_the_enum_values_are_the_stored_spellings_and_the_scales_cover_them():
    assert [s.value for s in ReviewStatus] == ["draft", "in-review", "signed-off"]
    assert list(scales.REVIEW_STATUSES) == list(ReviewStatus)
    assert list(scales.CLAIM_STATUS) == list(ClaimStatus)
    assert list(scales.ANCHOR_STATES) == list(AnchorState)
    assert list(scales.VERDICTS) == list(Verdict)
    assert list(scales.SOURCE_KINDS) == list(SourceKind)
    assert list(scales.CREDIBILITY) == list(Credibility)
    assert list(scales.TAKEAWAY_KINDS) == list(TakeawayKind)
    assert scales.FIRM_ANCHOR_STATES == (AnchorState.ANCHORED, AnchorState.MOVED)
    # A member is its spelling: it compares, formats, serialises and is stored as the string.
    assert ReviewStatus.SIGNED_OFF == "signed-off"
    assert f"{ClaimStatus.PARTLY_TRUE}" == "partly-true"
    assert json.dumps([AnchorState.NEEDS_CONFIRMATION]) == '["needs-confirmation"]'


def test_every_state_the_app_stores_is_a_member(store):
    from tests.test_signoff_fixtures import ready_review

    review_id = ready_review(store)
    store.add_takeaway(review_id, "Worth a follow-up", kind="follow-up")
    columns = {
        "reviews": {"status": ReviewStatus, "verdict": Verdict},
        "claims": {"status": ClaimStatus, "anchor_state": AnchorState},
        "sources": {"kind": SourceKind, "credibility": Credibility},
        "takeaways": {"kind": TakeawayKind},
    }
    with raw_db(store.path) as conn:
        for table, enums in columns.items():
            for column, enum in enums.items():
                stored = {row[0] for row in conn.execute(f'SELECT "{column}" FROM {table}')}
                assert stored, (table, column)
                assert stored <= {m.value for m in enum}, (table, column, stored)


def test_an_unknown_spelling_in_a_row_is_refused_when_read_with_a_clear_message(tmp_path):
    path = tmp_path / "old.db"
    review_id = old_library(path, claim_status="disputed")
    with ReviewStore(path) as store, pytest.raises(UnknownState) as info:
        store.load_review(review_id)
    message = str(info.value)
    assert message.startswith("unknown claim status 'disputed'; this version knows: unchecked,")
    assert "\n" not in message


def test_an_unknown_spelling_reaches_the_cli_as_a_one_line_refusal(tmp_path, cli):
    path = tmp_path / "old.db"
    review_id = old_library(path, claim_status="disputed")
    result = cli("show", review_id, db=path)
    assert result.code == 2
    assert result.err.startswith("reviewapp: unknown claim status 'disputed'")
    assert "Traceback" not in result.err


def test_parse_accepts_members_and_spellings_only():
    assert ClaimStatus.parse("verified") is ClaimStatus.VERIFIED
    assert ClaimStatus.parse(ClaimStatus.OPINION) is ClaimStatus.OPINION
    for bad in ("Verified", "", None, 3):
        with pytest.raises(UnknownState, match="unknown claim status"):
            ClaimStatus.parse(bad)
