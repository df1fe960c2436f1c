"""A small library for the claim-memory tests: an earlier, signed-off review that checked the
Amazon claim (with a source), a claim about something else, and a new review with the same
claim, the claim with another figure, and an unrelated one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewapp.store import ReviewStore
from tests.conftest import make_draft
from tests.rawdb import raw_db

AMAZON_4 = "Amazon has invested $4 billion in Anthropic"
AMAZON_8 = "Amazon has invested $8 billion in Anthropic"
RIVER = "The river flooded the old mill twice last spring"
EARLIER_NOTE = "SEC filing of 2024 lists the $4 billion investment"
SEC_URL = "https://example.org/sec-filing"


@dataclass
class MemoryLibrary:
    earlier_review: int
    earlier_claim: int  # AMAZON_4, verified, with a note, a correction and a source
    earlier_source: int
    river_claim: int  # in the earlier review too: unrelated to the Amazon claims
    review: int  # the new review (in review)
    same: int  # AMAZON_4 again
    changed: int  # AMAZON_8
    unrelated: int  # a claim about weather


def build_memory_library(store: ReviewStore, *, sign_earlier: bool = True) -> MemoryLibrary:
    earlier = store.add_article(
        make_draft(
            [
                f"{AMAZON_4}, the companies said on Monday.",
                f"{RIVER}, neighbours recalled.",
            ],
            title="Cloud deals in March",
        )
    )
    first = store.add_claim_by_quote(
        earlier, AMAZON_4, status="verified", note=EARLIER_NOTE, correction="say “up to”"
    )
    source = store.add_source(earlier, [first.id], url=SEC_URL, title="SEC filing")
    river = store.add_claim_by_quote(earlier, RIVER, status="unverifiable", note="no records")
    if sign_earlier:
        store.set_status(earlier, "signed-off")
    new = store.add_article(
        make_draft(
            [
                f"{AMAZON_4}, according to a filing.",
                f"Later reports said {AMAZON_8}.",
                "Tomorrow the weather turns cold and windy across the northern hills.",
            ],
            title="Cloud deals in May",
        )
    )
    same = store.add_claim_by_quote(new, AMAZON_4)
    changed = store.add_claim_by_quote(new, AMAZON_8)
    unrelated = store.add_claim_by_quote(new, "the weather turns cold and windy")
    return MemoryLibrary(
        earlier, first.id, source.id, river.id, new, same.id, changed.id, unrelated.id
    )


def rows_of(path: Path) -> dict[str, list]:
    """Every row of every table but the full-text indexes: what "nothing changed" compares."""
    with raw_db(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'search_index%' AND name NOT LIKE 'claim_memory%'"
            )
        ]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def review_rows(path: Path, review_id: int) -> dict[str, list]:
    """The rows of one review: its claims, sources, links and the review itself."""
    with raw_db(path) as conn:
        return {
            "review": conn.execute("SELECT * FROM reviews WHERE id = ?", [review_id]).fetchall(),
            "claims": conn.execute(
                "SELECT * FROM claims WHERE review_id = ? ORDER BY id", [review_id]
            ).fetchall(),
            "sources": conn.execute(
                "SELECT * FROM sources WHERE review_id = ? ORDER BY id", [review_id]
            ).fetchall(),
            "links": conn.execute(
                "SELECT cs.* FROM claim_sources cs JOIN claims c ON c.id = cs.claim_id "
                "WHERE c.review_id = ? ORDER BY 1, 2",
                [review_id],
            ).fetchall(),
        }
