"""Placing a claim on a newer revision of its article, in this order (see docs/architecture.md).

1. same text (same content hash): the stored position stands;
2. the stored position, carried through the diff, still holds the exact quote: ``anchored``
   (``moved`` when its paragraph moved). The diff first pairs whole blocks
   (``reviewapp.core.diff.BlockAlignment``): a block found once in each draft is the same
   passage wherever it went, so a claim inside a paragraph that moved unchanged is placed
   exactly and firmly; so is a claim whose words occur once in its block and once in the
   (edited) block it became, and a claim whose whole sentences (20+ code points) occur exactly
   once in each draft, however short its quote and however much its paragraph changed.
   Copies of a repeated block (boilerplate) are paired only when the order of the text leaves
   no close alternative; a claim on an undecided copy is never firm;
3. the exact quote elsewhere, unique or told apart by its context: ``moved``;
4. a scored fuzzy search ``(50*quote + 20*prefix + 20*suffix + 2*proximity) / 92`` around the
   passage the diff points to and around exact fragments of the quote.

Unlike Hypothesis there is a floor: a fuzzy match is never ``anchored`` or ``moved`` (its words
changed, so the verdict about the old words needs a look: ``needs-confirmation``); two near-equal
best places make it ``ambiguous``; nothing plausible leaves it ``orphaned``. Nothing is deleted.

The thresholds below were chosen with ``benchmarks/bench_reanchor.py`` (real articles, realistic
edits); the reason for each is next to it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.fuzz import partial_ratio_alignment, ratio

from reviewapp.core.anchoring import CONTEXT, Selectors, occurrences, select
from reviewapp.core.diff import BlockAlignment, OffsetMap
from reviewapp.core.scales import FIRM_ANCHOR_STATES
from reviewapp.core.states import AnchorState

# --- weights of the fuzzy score of step 4 above (over 92)
W_QUOTE, W_PREFIX, W_SUFFIX, W_PROXIMITY = 50, 20, 20, 2
W_TOTAL = W_QUOTE + W_PREFIX + W_SUFFIX + W_PROXIMITY

# Below this quote similarity (rapidfuzz ratio, 0..1) a fuzzy place is not the claim's passage.
# In the benchmark, lightly edited quotes (typos, swapped words, a changed figure) score 0.8-0.99
# while the best lookalike found for a deleted sentence scores at most about 0.55.
MIN_QUOTE_SIMILARITY = 0.65

# A fuzzy place whose old prefix and suffix both still surround it (the quote was rewritten in
# place) is accepted down to this quote similarity: a rewritten sentence is still "the passage",
# and needs-confirmation shows the editor the old and new words side by side.
MIN_QUOTE_SIMILARITY_IN_PLACE = 0.3
IN_PLACE_CONTEXT = 0.9  # prefix and suffix similarity that counts as "in place"

# The overall floor: below it a candidate is not plausible and the claim is orphaned.
MIN_SCORE = 0.5

# Two candidates whose scores differ by less than this are "near-equal": ambiguous. It is larger
# than the whole proximity weight (2/92 = 0.022) so that nearness alone never decides between two
# places that have the same words and the same context.
AMBIGUITY_MARGIN = 0.03

# An exact quote found at a new place counts as moved only when its context came along (prefix
# or suffix similarity at least MOVED_MIN_CONTEXT), or when it is long and was unique in the old
# draft (a one-sentence paragraph that moved takes new neighbours on both sides). Short quotes such
# as "$4 billion" recur in unrelated sentences; without context they need confirmation. Two
# unrelated 32-character contexts of news text reach a similarity of about 0.5, so 0.8.
MOVED_MIN_LENGTH = 20
MOVED_MIN_CONTEXT = 0.8
# A whole line shorter than that (a heading such as "He said, she said") is still the same
# passage when it is found once, beginning or ending a block of the new draft: a line that
# sentences were added to, wherever it went. Shorter than this it may be a stock phrase.
MIN_LINE_LENGTH = 12

# Fuzzy search: error budget min(256, len/2) code points around a candidate region.
MAX_ERROR_BUDGET = 256
# Fragments of the quote searched for exactly to find moved-and-edited passages: its rarest
# words of at least SEED_MIN_WORD letters, or SEED_PIECES slices of at least SEED_MIN code points
# for text without spaces; with up to SEED_PIECES-1 edits one fragment stays intact. Fragments
# found more than SEED_MAX_HITS times are not distinctive.
SEED_PIECES = 4
SEED_MIN = 8
SEED_MIN_WORD = 4
SEED_MAX_HITS = 8
MAX_SEED_WINDOWS = 4  # fuzzy alignments tried per claim, best-supported places first
# The first fuzzy candidate (where the diff puts the passage) is good enough to skip the
# fragment search when it scores at least this.
GOOD_ENOUGH = 0.9
# Exact repeats scored for context at most (nearest to the expected place first).
MAX_EXACT_CANDIDATES = 64

STATES = tuple(AnchorState)


@dataclass(frozen=True)
class Anchor:
    """A claim's stored selectors; start and end are None for a claim with no place (orphaned)."""

    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None

    @classmethod
    def of(cls, selectors: Selectors) -> Anchor:
        return cls(
            selectors.exact, selectors.prefix, selectors.suffix, selectors.start, selectors.end
        )


@dataclass(frozen=True)
class Candidate:
    """A place the claim could go, with the parts of its score (each 0..1)."""

    start: int
    end: int
    score: float
    quote: float
    prefix: float
    suffix: float
    proximity: float
    exact: bool


@dataclass(frozen=True)
class Placement:
    """Where a claim goes on the new text and how sure we are."""

    state: AnchorState
    selectors: Selectors | None  # None: orphaned, no place
    score: float
    candidates: tuple[Candidate, ...] = ()

    def words_changed(self, old_quote: str) -> bool:
        return self.selectors is not None and self.selectors.exact != old_quote


def carry_state(old_state: str, new_state: str) -> AnchorState:
    """The state a claim ends in: an open question (not firmly anchored) stays open.

    A claim that needed confirmation still does even if its new words are found exactly: the
    verdict was about the words before. A claim the editor left orphaned that finds a place again
    needs a look.
    """
    if old_state in FIRM_ANCHOR_STATES or new_state not in FIRM_ANCHOR_STATES:
        return AnchorState.parse(new_state)
    if old_state == AnchorState.ORPHANED:
        return AnchorState.NEEDS_CONFIRMATION
    return AnchorState.parse(old_state)


class WordIndex:
    """Where every word of a text starts, to find quotes without scanning the whole text.

    A word strictly inside a quote (not touching its ends) is a whole word wherever the quote
    occurs, so the occurrences of the quote are among those of its rarest inner word. Quotes
    with no inner word (one word, or CJK text written without spaces) fall back to str.find.
    """

    def __init__(self, text: str):
        self.text = text
        self.words: dict[str, list[int]] = {}
        for m in _WORD.finditer(text):
            self.words.setdefault(m.group(), []).append(m.start())
        # Quotes asked for again (many claims on copies of one repeated line, or one claim's
        # quote looked up at several steps) are answered from here: a line repeated thousands
        # of times made each look-up walk every copy, for every claim on it.
        self._found: dict[str, Sequence[int]] = {}

    def inner_words(self, quote: str) -> list[tuple[int, str]]:
        """(offset in quote, word) of the words strictly inside quote, rarest first."""
        inner = [
            (m.start(), m.group())
            for m in _WORD.finditer(quote)
            if m.start() > 0 and m.end() < len(quote)
        ]
        return sorted(inner, key=lambda w: len(self.words.get(w[1], ())))

    def find_all(self, quote: str) -> Sequence[int]:
        """Start offsets of every occurrence of quote (overlapping ones included)."""
        found = self._found.get(quote)
        if found is None:
            found = self._found[quote] = tuple(self._search(quote))
        return found

    def _search(self, quote: str) -> list[int]:
        inner = self.inner_words(quote)
        if not inner:
            return occurrences(self.text, quote)
        offset, word = inner[0]
        starts = (p - offset for p in self.words.get(word, ()))
        return [s for s in starts if s >= 0 and self.text.startswith(quote, s)]

    def count(self, quote: str) -> int:
        return len(self.find_all(quote))


class Reanchorer:
    """Places claims made on old_text onto new_text; build once per pair of revisions."""

    def __init__(self, old_text: str, new_text: str):
        self.old_text = old_text
        self.new_text = new_text
        self.same = old_text == new_text
        self.offsets = OffsetMap.between(old_text, new_text)
        self._new_index: WordIndex | None = None
        self._old_index: WordIndex | None = None

    @property
    def new_index(self) -> WordIndex:
        if self._new_index is None:  # built on first need: most claims never search
            self._new_index = WordIndex(self.new_text)
        return self._new_index

    @property
    def old_index(self) -> WordIndex:
        if self._old_index is None:
            self._old_index = WordIndex(self.old_text)
        return self._old_index

    def place_all(self, anchors: Iterable[Anchor]) -> list[Placement]:
        return [self.place(a) for a in anchors]

    def place(self, anchor: Anchor) -> Placement:
        new, quote = self.new_text, anchor.exact
        if not quote:
            return Placement(AnchorState.ORPHANED, None, 0.0)
        expected: int | None = None
        mapped: tuple[int, int] | None = None
        carried: int | None = None  # the carried position, when it still holds the quote
        carried_state = AnchorState.ANCHORED
        copies: tuple[int, ...] | None = None
        if anchor.start is not None and anchor.end is not None:
            if self.same:
                return Placement(AnchorState.ANCHORED, select(new, anchor.start, anchor.end), 1.0)
            seg = self.offsets.segment(anchor.start, anchor.end)
            if seg is not None and seg.same_block:
                # Its block is the same passage, word for word, wherever it went.
                start = seg.new_start + anchor.start - seg.old_start
                state = AnchorState.MOVED if seg.moved else AnchorState.ANCHORED
                return Placement(state, select(new, start, start + len(quote)), 1.0)
            in_pair = self._in_its_pair(anchor) or self._in_its_sentence(anchor)
            if in_pair is not None:
                return in_pair
            if seg is not None and new.startswith(
                quote, seg.new_start + anchor.start - seg.old_start
            ):
                start = seg.new_start + anchor.start - seg.old_start
                carried_state = AnchorState.MOVED if seg.moved else AnchorState.ANCHORED
                carried = start
                mapped = (start, start + len(quote))
            else:
                start = self.offsets.start(anchor.start)
                if new.startswith(quote, start):
                    carried = start
                mapped = (start, max(start, self.offsets.end(anchor.end)))
            expected = start
            copies = self._undecided_copies(anchor)

        candidates = self._exact_candidates(anchor, expected)
        # Words that occurred several times in the old draft and now occur fewer times: one copy
        # went, and nothing says it was not the claim's. The others stay; no firm move to them.
        old_copies = self.old_index.count(quote) if carried is None else 0
        new_copies = len(self.new_index.find_all(quote)) if carried is None else 0
        copies_lost = old_copies > 1 and new_copies < old_copies
        distinctive = len(quote) >= MOVED_MIN_LENGTH and old_copies == 1 and new_copies == 1
        firm = any(_sides(c) >= 1 for c in candidates) or (len(candidates) == 1 and distinctive)
        if carried is None and (copies_lost or not firm):
            candidates += self._fuzzy_candidates(anchor, mapped, expected)
        placement = self._decide(candidates, distinctive, carried, carried_state)
        if placement.state in FIRM_ANCHOR_STATES and copies is not None:
            # A copy of a repeated passage that the text cannot tell apart: no firm guess.
            state = AnchorState.AMBIGUOUS if len(copies) > 1 else AnchorState.NEEDS_CONFIRMATION
            return replace(placement, state=state)
        if copies_lost and placement.state == AnchorState.MOVED:
            return replace(placement, state=AnchorState.NEEDS_CONFIRMATION)
        if (
            carried is not None
            and placement.state in FIRM_ANCHOR_STATES
            and self._fewer_in_its_block(anchor, carried)
        ):
            return replace(placement, state=AnchorState.NEEDS_CONFIRMATION)
        return placement

    def _fewer_in_its_block(self, anchor: Anchor, carried: int) -> bool:
        """True when the claim's words occur fewer times in the block holding the carried place
        than in its old block and its context did not come along on both sides: the claim's own
        sentence may have gone, and what now sits at its old place is another sentence with the
        same words (two sentences that begin alike)."""
        al = self.offsets.alignment
        if al is None or anchor.start is None:
            return False
        old_block, new_block = al.old_block(anchor.start), al.new_block(carried)
        if old_block is None or new_block is None:
            return False
        (o0, o1), (n0, n1) = al.old_spans[old_block], al.new_spans[new_block]
        quote = anchor.exact
        if self.new_text.count(quote, n0, n1) >= self.old_text.count(quote, o0, o1):
            return False
        here = self._score(anchor, carried, carried + len(quote), None, 1.0, exact=True)
        return _sides(here) < 2

    def _in_its_pair(self, anchor: Anchor) -> Placement | None:
        """The claim, firmly placed, when its words occur exactly once in its old block and once
        in the new block that became: the same words of the same (edited) passage, wherever
        the edits around them moved them within it."""
        al = self.offsets.alignment
        if al is None or anchor.start is None or anchor.end is None:
            return None
        pair = al.pair_of_old(al.old_block(anchor.start))
        if pair is None:
            return None
        (o0, o1), (n0, n1) = al.old_spans[pair.old], al.new_spans[pair.new]
        quote = anchor.exact
        if anchor.end > o1 or not _unique(self.old_text[o0:o1], quote):
            return None
        block = self.new_text[n0:n1]
        at = block.find(quote)
        if at == -1 or block.find(quote, at + 1) != -1:
            return None
        start = n0 + at
        state = AnchorState.MOVED if pair.moved else AnchorState.ANCHORED
        return Placement(state, select(self.new_text, start, start + len(quote)), 1.0)

    def _in_its_sentence(self, anchor: Anchor) -> Placement | None:
        """The claim, firmly placed, when the whole sentences around its words (at least
        MOVED_MIN_LENGTH code points) occur exactly once in each draft: the same words of the
        same sentence, however short the quote and however much its paragraph changed. A whole
        line of at least MIN_LINE_LENGTH found once at the start or end of a new block counts too.
        """
        al = self.offsets.alignment
        if al is None or anchor.start is None or anchor.end is None:
            return None
        block = al.old_block(anchor.start)
        if block is None:
            return None
        o0, o1 = al.old_spans[block]
        if anchor.end > o1:
            return None
        old = self.old_text
        lo = o0
        for m in _SENTENCE_END.finditer(old, o0, anchor.start):
            lo = m.end()
        stop = _SENTENCE_END.search(old, anchor.end, o1)
        hi = stop.start() if stop is not None else o1
        host = old[lo:hi]
        if not _unique(host, anchor.exact):
            return None
        found = self.new_index.find_all(host)
        if len(found) != 1 or self.old_index.count(host) != 1:
            return None
        if len(host) < MOVED_MIN_LENGTH and not (
            len(host) >= MIN_LINE_LENGTH
            and (lo, hi) == (o0, o1)
            and self._starts_or_ends_block(found[0], len(host))
        ):
            return None
        start = found[0] + anchor.start - lo
        state = (
            AnchorState.ANCHORED if _in_place(al, block, al.new_block(start)) else AnchorState.MOVED
        )
        return Placement(state, select(self.new_text, start, start + len(anchor.exact)), 1.0)

    def _starts_or_ends_block(self, start: int, length: int) -> bool:
        """True when new_text[start:start+length] begins or ends a block of the new text."""
        new, end = self.new_text, start + length
        return (start == 0 or new[start - 1] == "\n") or (end == len(new) or new[end] == "\n")

    def _undecided_copies(self, anchor: Anchor) -> tuple[int, ...] | None:
        """The new blocks a claim on an undecided copy of a repeated block could be on."""
        al = self.offsets.alignment
        if al is None or anchor.start is None:
            return None
        block = al.old_block(anchor.start)
        return None if block is None else al.undecided.get(block)

    def _decide(
        self,
        candidates: list[Candidate],
        distinctive: bool,
        carried: int | None,
        carried_state: AnchorState = AnchorState.ANCHORED,
    ) -> Placement:
        """Pick the state from the scored candidates (the rules in the module docstring)."""
        plausible = sorted((c for c in candidates if _plausible(c)), key=_by_score, reverse=True)
        ranked = _distinct(plausible)
        if not ranked:
            best = max(candidates, key=_by_score, default=None)
            return Placement(
                AnchorState.ORPHANED, None, best.score if best else 0.0, tuple(candidates)
            )
        found = tuple(ranked)
        # Exact copies are told apart by how many sides of their context came along; weighted
        # sums would let a few matching letters decide between two copies of a boilerplate line.
        exact = sorted(
            (c for c in ranked if c.exact), key=lambda c: (_sides(c), c.score), reverse=True
        )
        here = next((c for c in exact if c.start == carried), None)
        if here is not None:
            # Copies with exactly the same surroundings cannot be told apart by anyone: the
            # diff's pairing decides. A copy with different surroundings that fit as well is a
            # real alternative.
            rivals = [
                c
                for c in exact
                if c is not here
                and _sides(c) >= _sides(here)
                and self._context(c) != self._context(here)
            ]
            if not rivals and _sides(here) >= 1:
                return Placement(carried_state, self._select(here), here.score, found)
        if exact and _sides(exact[0]) >= 1:
            top = exact[0]
            peers = [
                c
                for c in exact[1:]
                if _sides(c) == _sides(top) and self._context(c) != self._context(top)
            ]
            state = AnchorState.AMBIGUOUS if peers else AnchorState.MOVED
            return Placement(state, self._select(top), top.score, found)
        best = ranked[0]
        if best.exact:
            if len(exact) > 1:
                state = AnchorState.AMBIGUOUS
            else:
                state = AnchorState.MOVED if distinctive else AnchorState.NEEDS_CONFIRMATION
        elif len(ranked) > 1 and best.score - ranked[1].score < AMBIGUITY_MARGIN:
            state = AnchorState.AMBIGUOUS
        else:
            state = AnchorState.NEEDS_CONFIRMATION
        return Placement(state, self._select(best), best.score, found)

    def _select(self, c: Candidate) -> Selectors:
        return select(self.new_text, c.start, c.end)

    def _context(self, c: Candidate) -> tuple[str, str]:
        new = self.new_text
        return new[max(0, c.start - CONTEXT) : c.start], new[c.end : c.end + CONTEXT]

    # ------------------------------------------------------------------ candidates
    def _exact_candidates(self, anchor: Anchor, expected: int | None) -> list[Candidate]:
        found = self.new_index.find_all(anchor.exact)
        if len(found) > MAX_EXACT_CANDIDATES:
            pivot = expected if expected is not None else 0
            found = sorted(found, key=lambda s: abs(s - pivot))[:MAX_EXACT_CANDIDATES]
        n = len(anchor.exact)
        scored = [self._score(anchor, s, s + n, expected, 1.0, exact=True) for s in found]
        return [c for c in scored if not self._other_passage(anchor, c)]

    def _other_passage(self, anchor: Anchor, c: Candidate) -> bool:
        """True when c is an unchanged copy of another place of the old text, and fits there.

        A second copy of the same words that was already in the old draft is a different passage:
        the claim must not jump to it when its own passage is edited or deleted. The diff can pair
        identical copies wrongly, so the copy is only given to the other place when its
        surroundings fit that place at least as well as the claim's own.
        """
        was = self.offsets.old_start(c.start, c.end)
        if was is None or was == anchor.start:
            return False
        seg = self.offsets.new_segment(c.start, c.end)
        if seg is not None and seg.same_block:
            return True  # an identified block, word for word: that other place, for sure
        old, new = self.old_text, self.new_text
        end = was + len(anchor.exact)
        there = _similarity(
            old[max(0, was - CONTEXT) : was], new[max(0, c.start - CONTEXT) : c.start]
        )
        there += _similarity(old[end : end + CONTEXT], new[c.end : c.end + CONTEXT])
        return there >= c.prefix + c.suffix

    def _fuzzy_candidates(
        self, anchor: Anchor, mapped: tuple[int, int] | None, expected: int | None
    ) -> list[Candidate]:
        quote, new = anchor.exact, self.new_text
        budget = min(MAX_ERROR_BUDGET, max(1, len(quote) // 2))
        found: list[Candidate] = []
        if mapped is not None:
            start, end = mapped
            if end > start:
                found.append(self._scored(anchor, *_grapheme_safe(new, start, end), expected))
            if _best(found) < GOOD_ENOUGH:
                window = self._align(quote, max(0, start - budget), min(len(new), end + budget))
                if window is not None:
                    found.append(self._scored(anchor, *window, expected))
        if _best(found) >= GOOD_ENOUGH:
            return found
        for estimate in self._seed_estimates(quote)[:MAX_SEED_WINDOWS]:
            lo = max(0, estimate - budget)
            hi = min(len(new), estimate + len(quote) + budget)
            window = self._align(quote, lo, hi)
            if window is not None:
                found.append(self._scored(anchor, *window, expected))
        return found

    def _seed_estimates(self, quote: str) -> list[int]:
        """Where the quote may start, judged from exact fragments of it found in the new text.

        The fragments are the quote's rarest words (an edit changes a word or two; the others
        stay), or, for text without inner words (CJK), equal slices of the quote.
        """
        estimates: list[int] = []
        index = self.new_index
        seeds = [
            (offset, word)
            for offset, word in index.inner_words(quote)
            if len(word) >= SEED_MIN_WORD and 0 < len(index.words.get(word, ())) <= SEED_MAX_HITS
        ][:SEED_PIECES]
        for offset, word in seeds:
            estimates.extend(p - offset for p in index.words[word])
        pieces = min(SEED_PIECES, len(quote) // SEED_MIN)
        if not seeds and pieces >= 1:
            size = len(quote) // pieces
            for k in range(pieces):
                offset = k * size
                piece = quote[offset : offset + size]
                hits = occurrences_limited(self.new_text, piece, SEED_MAX_HITS)
                estimates.extend(h - offset for h in hits)
        # Fragments of one passage give nearly the same estimate: one per neighbourhood, the
        # neighbourhoods most fragments agree on first.
        groups: list[list[int]] = []
        for e in sorted(estimates):
            if groups and e - groups[-1][0] <= len(quote) // 2:
                groups[-1].append(e)
            else:
                groups.append([e])
        groups.sort(key=len, reverse=True)
        return [g[0] for g in groups]

    def _align(self, quote: str, lo: int, hi: int) -> tuple[int, int] | None:
        """The best fuzzy place of quote inside new_text[lo:hi], with word-snapped boundaries."""
        window = self.new_text[lo:hi]
        if not window.strip():
            return None
        if len(window) <= len(quote):
            return _grapheme_safe(self.new_text, lo, hi)
        hit = partial_ratio_alignment(quote, window)
        if hit is None or hit.dest_end <= hit.dest_start:
            return None
        return self._refine(quote, lo + hit.dest_start, lo + hit.dest_end)

    def _refine(self, quote: str, start: int, end: int) -> tuple[int, int]:
        """Move the boundaries of a fuzzy place to the nearby positions most like the quote."""
        new = self.new_text
        slack = max(4, min(32, len(quote) // 4))
        lo, hi = max(0, start - slack), min(len(new), end + slack)
        starts, ends = {start}, {end}
        for m in _WORD.finditer(new, lo, hi):
            starts.add(m.start())
            ends.add(m.end())
        starts.update(range(max(0, start - 3), min(len(new), start + 4)))
        ends.update(range(max(0, end - 3), min(len(new), end + 4) + 1))
        best_start = max(
            (s for s in starts if s < end),
            key=lambda s: (ratio(quote, new[s:end]), -abs(s - start)),
        )
        best_end = max(
            (e for e in ends if e > best_start),
            key=lambda e: (ratio(quote, new[best_start:e]), -abs(e - end)),
        )
        return _grapheme_safe(new, best_start, best_end)

    # ------------------------------------------------------------------ scoring
    def _scored(self, anchor: Anchor, start: int, end: int, expected: int | None) -> Candidate:
        similarity = ratio(anchor.exact, self.new_text[start:end]) / 100
        return self._score(anchor, start, end, expected, similarity, exact=False)

    def _score(
        self,
        anchor: Anchor,
        start: int,
        end: int,
        expected: int | None,
        quote: float,
        *,
        exact: bool,
    ) -> Candidate:
        new = self.new_text
        # A context shorter than CONTEXT was cut by the start or end of the old text: compare it
        # with a full-length context here, so that "at the very start" must hold here too.
        before = len(anchor.prefix) if len(anchor.prefix) >= CONTEXT else CONTEXT
        after = len(anchor.suffix) if len(anchor.suffix) >= CONTEXT else CONTEXT
        prefix = _similarity(anchor.prefix, new[max(0, start - before) : start])
        suffix = _similarity(anchor.suffix, new[end : end + after])
        if expected is None:
            proximity = 0.0
        else:
            proximity = max(0.0, 1.0 - abs(start - expected) / max(1, len(new)))
        score = (
            W_QUOTE * quote + W_PREFIX * prefix + W_SUFFIX * suffix + W_PROXIMITY * proximity
        ) / W_TOTAL
        return Candidate(start, end, score, quote, prefix, suffix, proximity, exact)


def _in_place(al: BlockAlignment, old: int, new: int | None) -> bool:
    """True when new block is where old block was: its pair, or between the new places of the
    nearest blocks around old that kept their order."""
    pair = al.pair_of_old(old)
    if pair is not None:
        return pair.new == new and not pair.moved
    if new is None:
        return False
    before = next(
        (
            p.new
            for i in range(old - 1, -1, -1)
            if (p := al.pair_of_old(i)) is not None and not p.moved
        ),
        -1,
    )
    after = next(
        (
            p.new
            for i in range(old + 1, len(al.old_spans))
            if (p := al.pair_of_old(i)) is not None and not p.moved
        ),
        len(al.new_spans),
    )
    return before < new < after


def _plausible(c: Candidate) -> bool:
    if c.exact:
        return True
    if c.prefix >= IN_PLACE_CONTEXT and c.suffix >= IN_PLACE_CONTEXT:
        return c.quote >= MIN_QUOTE_SIMILARITY_IN_PLACE
    return c.quote >= MIN_QUOTE_SIMILARITY and c.score >= MIN_SCORE


def _sides(c: Candidate) -> int:
    """How many sides of the claim's context (prefix, suffix) came along to this place."""
    return (c.prefix >= MOVED_MIN_CONTEXT) + (c.suffix >= MOVED_MIN_CONTEXT)


def _distinct(ranked: list[Candidate]) -> list[Candidate]:
    """Drop candidates that mostly overlap a better one: they are the same place."""
    kept: list[Candidate] = []
    # The kept ones by start, so each candidate is checked only against those it can touch
    # (starting less than the longest kept span before it): the copies of a line repeated
    # hundreds of times made this quadratic.
    starts: list[int] = []
    by_start: list[Candidate] = []
    longest = 0
    for c in ranked:
        near = by_start[bisect_left(starts, c.start - longest) : bisect_left(starts, c.end)]
        if all(_overlap(c, k) < 0.5 for k in near):
            kept.append(c)
            at = bisect_left(starts, c.start)
            starts.insert(at, c.start)
            by_start.insert(at, c)
            longest = max(longest, c.end - c.start)
    return kept


def _overlap(a: Candidate, b: Candidate) -> float:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return max(0, shared) / max(1, min(a.end - a.start, b.end - b.start))


def _best(found: list[Candidate]) -> float:
    return max((c.score for c in found), default=0.0)


def _by_score(c: Candidate) -> tuple[float, float, int]:
    # Ties go to the higher quote similarity, then to the earlier place (deterministic).
    return (c.score, c.quote, -c.start)


def _similarity(old: str, new: str) -> float:
    if not old and not new:
        return 1.0
    return ratio(old, new) / 100


def _unique(text: str, quote: str) -> bool:
    first = text.find(quote)
    return first != -1 and text.find(quote, first + 1) == -1


def occurrences_limited(text: str, needle: str, limit: int) -> list[int]:
    """Start offsets of needle in text; empty when it occurs more than limit times."""
    found: list[int] = []
    i = text.find(needle)
    while i != -1:
        if len(found) == limit:
            return []
        found.append(i)
        i = text.find(needle, i + 1)
    return found


_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def _extends_previous(ch: str) -> bool:
    """True for a character that belongs to the one before it (combining mark, joiner, modifier)."""
    return (
        unicodedata.category(ch).startswith("M")
        or ch in _JOINERS
        or "\U0001f3fb" <= ch <= "\U0001f3ff"  # skin-tone modifiers
        or "\U000e0020" <= ch <= "\U000e007f"  # emoji tag characters
    )


def _grapheme_safe(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so it never splits a base character from its marks or joiners."""
    while start > 0 and _extends_previous(text[start]):
        start -= 1
    while end < len(text) and (_extends_previous(text[end]) or text[end - 1] == "\u200d"):
        end += 1
    return start, end
