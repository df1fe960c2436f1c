"""The whole-review claim read (store.claims, the path load_review and the GUI take) gives the
same claims, field by field and type by type, as the store's generic row mapping
(rows.claim_from_row over SELECT * rows), for a review with every kind of claim."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest

from reviewapp.core.model import Claim, ReuseOrigin
from reviewapp.core.states import AnchorState, ClaimStatus, Stance, UnknownState
from reviewapp.store import ReviewStore
from reviewapp.store.claims import CLAIM_ORDER
from reviewapp.store.rows import claim_from_row
from tests.conftest import make_draft

PARAS = [f"Paragraph {n} says the figure {n * 7} rose in year {1990 + n}." for n in range(30)]


def generic_claims(path: Path, review_id: int) -> list[Claim]:
    """The review's claims through the generic mapping: a dict per row, claim_from_row."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    links: dict[int, dict[int, str]] = {}
    for row in conn.execute(
        "SELECT cs.claim_id, cs.source_id, cs.stance FROM claim_sources cs JOIN claims c "
        "ON c.id = cs.claim_id WHERE c.review_id = ? ORDER BY cs.source_id",
        [review_id],
    ):
        links.setdefault(row["claim_id"], {})[row["source_id"]] = row["stance"]
    rows = conn.execute(
        f"SELECT * FROM claims WHERE review_id = ? ORDER BY {CLAIM_ORDER}", [review_id]
    ).fetchall()
    conn.close()
    return [
        claim_from_row(dict(row), number, list(stances), stances)
        for number, row in enumerate(rows, start=1)
        for stances in [links.get(row["id"], {})]
    ]


@pytest.fixture
def varied(store: ReviewStore, db_path: Path) -> int:
    """A review whose claims have every status and anchor state, corrections, notes, links
    with each stance (several on one claim), a reused check, suggestion keys, authors, and
    two claims with no place (listed last)."""
    review_id = store.add_article(make_draft(PARAS))
    claims = [
        store.add_claim_by_quote(review_id, f"Paragraph {n} says", author=f"editor {n % 3}")
        for n in range(14)
    ]
    for claim, status in zip(claims, ClaimStatus, strict=False):
        store.update_claim(claim.id, status=status)
    store.update_claim(claims[2].id, correction="It fell.", note="Checked with the office.")
    store.update_claim(claims[3].id, stance_override="The refuting source is out of date.")
    store.update_claim(claims[4].id, source_override="Seen in the printed report.")
    first = store.add_source(review_id, url="https://example.org/a", title="A")
    second = store.add_source(review_id, url="https://example.org/b", kind="official")
    for claim, stance in zip(claims[5:8], Stance, strict=True):
        store.link(claim.id, first.id, stance)
    store.link(claims[5].id, second.id, Stance.REFUTES)
    store.record_reuse(claims[8].id, "as before", ReuseOrigin(7, 3, "c-abcdefgh", "Older piece"))
    conn = sqlite3.connect(db_path)
    with conn:
        for claim, state in zip(claims[9:], AnchorState, strict=True):
            conn.execute("UPDATE claims SET anchor_state = ? WHERE id = ?", [state, claim.id])
        conn.execute(
            "UPDATE claims SET suggestion_key = 'k-1990', previous_quote = 'old words' "
            "WHERE id = ?",
            [claims[10].id],
        )
        conn.execute(
            'UPDATE claims SET start = NULL, "end" = NULL WHERE id IN (?, ?)',
            [claims[1].id, claims[13].id],
        )
    conn.close()
    return review_id


def test_the_fast_read_equals_the_generic_mapping_field_by_field(store, db_path, varied):
    fast = store.claims(varied)
    slow = generic_claims(db_path, varied)
    assert [c.number for c in fast] == list(range(1, 15))
    assert len(fast) == len(slow) == 14
    names = {f.name for f in fields(Claim)}
    for a, b in zip(fast, slow, strict=True):
        assert set(vars(a)) == names  # every field set, none extra
        for name in names:
            mine, theirs = getattr(a, name), getattr(b, name)
            assert mine == theirs, (a.number, name)
            # a status read as a plain str would still compare equal: the types must match too
            assert type(mine) is type(theirs), (a.number, name)
        assert [type(s) for s in a.source_stances.values()] == [Stance] * len(a.source_stances)
    # what the fixture made is really there, so the comparison covered it
    assert {c.status for c in fast} == set(ClaimStatus)
    assert {c.anchor_state for c in fast} == set(AnchorState)
    assert [c.start for c in fast[-2:]] == [None, None]  # no place: last
    linked = next(c for c in fast if len(c.source_ids) == 2)
    assert set(linked.source_stances.values()) == {Stance.SUPPORTS, Stance.REFUTES}
    reused = next(c for c in fast if c.reused_from is not None)
    assert reused.reused_from == ReuseOrigin(7, 3, "c-abcdefgh", "Older piece")
    assert {c.author for c in fast} == {"editor 0", "editor 1", "editor 2"}
    assert any(c.suggestion_key == "k-1990" for c in fast)
    assert store.load_review(varied).claims == fast


def test_each_claim_read_is_its_own_object(store, varied):
    """The panes edit claims in place; no two share a list or a stance map."""
    claims = store.claims(varied)
    claims[0].source_ids.append(99)
    claims[0].source_stances[99] = Stance.CONTEXT
    assert all(99 not in c.source_ids and 99 not in c.source_stances for c in claims[1:])
    assert 99 not in store.claims(varied)[0].source_ids


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("status", "half-true", "unknown claim status 'half-true'"),
        ("anchor_state", "floating", "unknown anchor state 'floating'"),
    ],
)
def test_a_state_this_version_does_not_know_is_named(
    store, db_path, varied, column, value, message
):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            f"UPDATE claims SET {column} = ? WHERE id = (SELECT min(id) FROM claims)", [value]
        )
    conn.close()
    with pytest.raises(UnknownState, match=message):
        store.claims(varied)
