"""core/coverage.py on its own: which claims cover which suggestion, keys, carry-over."""

from __future__ import annotations

from reviewapp.core.checkworthy import assess
from reviewapp.core.coverage import (
    Decision,
    carry_dismissals,
    coverage,
    parse_key,
    suggestion_key,
)
from reviewapp.core.model import Claim, Dismissal, SuggestionRecord
from reviewapp.core.states import AnchorState, ClaimStatus

A = "Amazon has committed $4 billion to the startup."
B = "Sales of the device rose 40% last year, according to the company."
TEXT = f"{A} {B}"


def _claim(n: int, start: int | None, end: int | None, key: str = "") -> Claim:
    quote = TEXT[start:end] if start is not None else "gone"
    return Claim(
        id=n, review_id=1, number=n, quote=quote, prefix="", suffix="", start=start, end=end,
        revision_id=1, status=ClaimStatus.UNCHECKED, note="", correction="",
        anchor_state=AnchorState.ANCHORED if start is not None else AnchorState.ORPHANED,
        created_at=f"2026-01-0{n}T00:00:00Z", suggestion_key=key,
    )  # fmt: skip


def _decisions(claims) -> list[tuple[Decision, tuple[int, ...]]]:
    found = coverage(TEXT, claims, SuggestionRecord())
    return [(s.decision, s.claim_numbers) for s in found.suggestions]


def test_a_claim_covers_every_sentence_it_shares_a_character_with():
    b_start = TEXT.index(B)
    assert _decisions([_claim(1, b_start - 3, b_start + 1)]) == [
        (Decision.CLAIMED, (1,)),
        (Decision.CLAIMED, (1,)),
    ]
    # touching is not sharing: a claim that ends where the sentence starts does not cover it
    assert _decisions([_claim(1, 0, len(A))]) == [(Decision.CLAIMED, (1,)), (Decision.OPEN, ())]


def test_a_claim_accepted_from_a_suggestion_covers_it_even_when_it_lost_its_place():
    key = suggestion_key(assess(TEXT).suggestions()[1])
    assert _decisions([_claim(1, None, None, key)]) == [
        (Decision.OPEN, ()),
        (Decision.CLAIMED, (1,)),
    ]


def test_a_dismissal_counts_only_for_its_own_sentence():
    key = suggestion_key(assess(TEXT).suggestions()[0])
    record = SuggestionRecord(
        dismissals=(Dismissal(key, A, 0.9, ("figure",), "common knowledge", "Ada", "t"),)
    )
    found = coverage(TEXT, [], record)
    assert [s.decision for s in found.suggestions] == [Decision.DISMISSED, Decision.OPEN]
    assert (found.examined, found.total, found.complete) == (1, 2, False)
    assert found.summary() == "1 of 2 check-worthy sentences examined"


def test_keys_read_back_and_a_malformed_one_is_refused():
    scored = assess(TEXT).suggestions()[0]
    key = suggestion_key(scored)
    assert parse_key(key) == scored.key
    for bad in ("", "1-2", "a-b-0123456789abcdef", "1-2-XYZ", "1-2-0123456789abcdef0"):
        assert parse_key(bad) is None


def test_carry_over_follows_the_words_not_the_offsets():
    old = assess(TEXT).suggestions()
    dismissals = [
        Dismissal(suggestion_key(s), s.sentence.text, s.score, (), "why", "Ada", "t") for s in old
    ]
    new_text = f"{B} {A.replace('$4', '$5')}"  # B moved to the front, A changed
    kept, dropped = carry_dismissals(dismissals, new_text)
    assert [d.sentence for d in kept] == [B] and [d.sentence for d in dropped] == [A]
    start, end, _ = parse_key(kept[0].key)
    assert new_text[start:end] == B
    # a change of case is a change of words: asked again
    kept, dropped = carry_dismissals(dismissals[1:], TEXT.replace("Sales", "SALES"))
    assert (kept, [d.sentence for d in dropped]) == ([], [B])
