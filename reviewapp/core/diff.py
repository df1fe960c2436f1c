"""What changed between two revisions: passage changes, an old-to-new offset map, a unified diff.

Everything works on canonical texts (blocks joined by a blank line, no newline inside a block),
so a text can be split back into its blocks without the block list. Offsets are code points.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio, ratio

from reviewapp.core.text import BLOCK_SEPARATOR, Document

# Two blocks in a replaced run are "the same passage, changed" when at least this similar
# (rapidfuzz ratio, 0..1); below it, the old one counts as removed and the new one as added.
# A paragraph with a rewritten sentence stays above 0.5; two unrelated paragraphs of news text
# score about 0.3-0.45.
CHANGED_PASSAGE_MIN = 0.5

# Character-level alignment inside a replaced run costs about len(old)*len(new)/64 machine
# words (rapidfuzz's bit-parallel Levenshtein). Above this product the run is left unaligned:
# re-anchoring then finds quotes there by search rather than through the map.
CHAR_ALIGN_LIMIT = 400_000_000

# Runs of equal characters shorter than this inside a rewritten passage are coincidences
# (a shared space or letter), not anchors; dropping them keeps the map from pointing into
# unrelated words.
MIN_EQUAL_RUN = 3

# Pairing blocks inside a replaced run is quadratic; beyond this many block pairs we pair them
# in order instead.
PAIRING_LIMIT = 2_500


def block_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every block of a canonical text."""
    spans: list[tuple[int, int]] = []
    if not text:
        return spans
    start = 0
    step = len(BLOCK_SEPARATOR)
    while True:
        cut = text.find(BLOCK_SEPARATOR, start)
        if cut == -1:
            spans.append((start, len(text)))
            return spans
        spans.append((start, cut))
        start = cut + step


def _block_opcodes(
    old_blocks: Sequence[str], new_blocks: Sequence[str]
) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes (equal, replace, delete, insert) between two lists of blocks."""
    matches: list[tuple[int, int]] = []
    _patience(old_blocks, new_blocks, 0, len(old_blocks), 0, len(new_blocks), matches, 0)
    opcodes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for mi, mj in [*matches, (len(old_blocks), len(new_blocks))]:
        if i < mi or j < mj:
            tag = "replace" if i < mi and j < mj else ("delete" if i < mi else "insert")
            opcodes.append((tag, i, mi, j, mj))
        if mi < len(old_blocks):
            last = opcodes[-1] if opcodes else None
            if last and last[0] == "equal" and last[2] == mi and last[4] == mj:
                opcodes[-1] = ("equal", last[1], mi + 1, last[3], mj + 1)
            else:
                opcodes.append(("equal", mi, mi + 1, mj, mj + 1))
        i, j = mi + 1, mj + 1
    return opcodes


# Deeper than this, a run of blocks is matched by difflib alone (a guard, never reached by text
# that people write).
_PATIENCE_DEPTH = 64


def _patience(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int,
    out: list[tuple[int, int]], depth: int,
) -> None:  # fmt: skip
    """Matched block pairs, in order: a patience diff.

    Blocks that occur once on each side anchor the match first, so a repeated line (a
    "Sign up for our newsletter" boilerplate paragraph) is only ever matched to a copy between
    the same two anchors, never to a copy in another part of the article.
    """
    head: list[tuple[int, int]] = []
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        head.append((alo, blo))
        alo, blo = alo + 1, blo + 1
    tail: list[tuple[int, int]] = []
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
        tail.append((ahi, bhi))
    out.extend(head)
    if alo < ahi and blo < bhi:
        anchors = _unique_anchors(a, b, alo, ahi, blo, bhi) if depth < _PATIENCE_DEPTH else []
        if anchors:
            i, j = alo, blo
            for ai, bj in anchors:
                _patience(a, b, i, ai, j, bj, out, depth + 1)
                out.append((ai, bj))
                i, j = ai + 1, bj + 1
            _patience(a, b, i, ahi, j, bhi, out, depth + 1)
        else:
            # autojunk off: repeated blocks must still be matched, not ignored as noise.
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            for m in matcher.get_matching_blocks():
                out.extend((alo + m.a + k, blo + m.b + k) for k in range(m.size))
    out.extend(reversed(tail))


def _unique_anchors(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Blocks found exactly once in each range, as the longest run in the same order."""
    count_a: dict[str, int] = {}
    where_a: dict[str, int] = {}
    for i in range(alo, ahi):
        count_a[a[i]] = count_a.get(a[i], 0) + 1
        where_a[a[i]] = i
    count_b: dict[str, int] = {}
    where_b: dict[str, int] = {}
    for j in range(blo, bhi):
        count_b[b[j]] = count_b.get(b[j], 0) + 1
        where_b[b[j]] = j
    pairs = sorted(
        (where_a[t], where_b[t]) for t, n in count_a.items() if n == 1 and count_b.get(t) == 1
    )
    return _in_order(pairs)


def _in_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (old, new) pairs, sorted by old, whose new indexes also increase.

    A longest increasing subsequence by patience sorting, O(k log k).
    """
    tops: list[int] = []
    top_index: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tops, j)
        if pos == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[pos] = j
            top_index[pos] = k
        back[k] = top_index[pos - 1] if pos else -1
    chain: list[tuple[int, int]] = []
    k = top_index[-1] if top_index else -1
    while k != -1:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _heaviest_in_order(
    pairs: list[tuple[int, int]], weights: list[int], size: int
) -> list[tuple[int, int]]:
    """The run of (old, new) pairs, sorted by old, whose new indexes increase and whose
    weights add up to the most; new indexes lie in range(size). O(n log size)."""
    # A Fenwick tree over new indexes holding the best (total, pair index) ending below each.
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)
    back = [-1] * len(pairs)
    totals = [0] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        best, at = 0, -1
        x = j  # the best run ending at a new index < j
        while x > 0:
            if tree[x][0] > best:
                best, at = tree[x]
            x -= x & -x
        totals[k], back[k] = best + weights[k], at
        x = j + 1
        while x <= size:
            if tree[x][0] < totals[k]:
                tree[x] = (totals[k], k)
            x += x & -x
    k = max(range(len(pairs)), key=totals.__getitem__, default=-1)
    chain: list[tuple[int, int]] = []
    while k != -1:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


# ---------------------------------------------------------------------- block alignment
# A new block that holds a repeated old block at least this closely (rapidfuzz partial_ratio: a
# typo fixed in a boilerplate line, or sentences written next to it) may be an edited copy of
# it, and competes with the word-for-word copies for its identity.
EDITED_COPY_MIN = 0.9

# Pairing the copies of one repeated block costs about old copies x (old copies x new copies)
# steps; beyond this many (old copies x new copies) they all stay undecided.
COPY_MATCH_LIMIT = 2_500
# Which new copy an old copy became is judged by how many skeleton blocks would have had to
# move across it, each such paragraph move costing as much as an added or a deleted copy. A copy
# is decided only when every other place for it costs more than one edit more (COPY_MARGIN): a
# draft often moves a paragraph past a boilerplate line while another copy of the line is added
# beside it, and the text then reads as if that copy had stayed and the other one were new.
COPY_CROSSING_COST = 2
COPY_ADDED_COST = 2
COPY_MARGIN = 3

# A block that left its place and was edited on the way is recognised when it is at least this
# similar to its old self, and better by MOVED_EDITED_MARGIN than any other candidate on both
# sides (a paragraph with a sentence added scores 0.7-0.95; two paragraphs of the same article
# rarely reach 0.5).
MOVED_EDITED_MIN = 0.6
MOVED_EDITED_MARGIN = 0.1
# The moved-and-edited search compares every left-over old block with every left-over new one;
# beyond this product it is skipped (re-anchoring then finds such passages by search).
MOVED_SEARCH_LIMIT = 40_000


@dataclass(frozen=True)
class BlockPair:
    """An old block and the new block it became."""

    old: int  # index of the block in the old text
    new: int  # index of the block in the new text
    same: bool  # word for word the same
    moved: bool  # out of order with the blocks around it: the passage moved


class BlockAlignment:
    """Which block of the old text became which block of the new text.

    1. A block found exactly once in each text is the same passage, wherever it went; the run of
       those that keeps their order and holds the most text is the skeleton.
    2. Between two skeleton blocks, the blocks left (copies of repeated blocks aside) are paired
       in order by similarity: edited passages.
    3. What is still left is searched for a moved-and-edited counterpart anywhere.
    4. Copies of a repeated block (a boilerplate line) have no identity of their own; they keep
       their order of occurrence, and the skeleton says where each belongs. Old copies are paired
       with new copies (word for word, or an edited copy) the cheapest way, counting each
       skeleton block that would have moved across a copy and each added or deleted copy. A pair
       is kept only when every other explanation for that old copy costs more than one edit
       more; otherwise the old copy is *undecided* between the new copies left, and a claim on
       it is never placed firmly.
    5. A pair out of the heaviest order-keeping run of all pairs (by length of text) moved.
    """

    def __init__(self, old_text: str, new_text: str):
        self.old_spans = block_spans(old_text)
        self.new_spans = block_spans(new_text)
        old_blocks = [old_text[a:b] for a, b in self.old_spans]
        new_blocks = [new_text[a:b] for a, b in self.new_spans]
        builder = _Aligner(old_blocks, new_blocks)
        self.pairs: tuple[BlockPair, ...] = tuple(builder.pairs())
        self.undecided: dict[int, tuple[int, ...]] = builder.undecided
        self._by_old = {p.old: p for p in self.pairs}
        self._by_new = {p.new: p for p in self.pairs}
        self._old_starts = [a for a, _ in self.old_spans]
        self._new_starts = [a for a, _ in self.new_spans]

    def old_block(self, offset: int) -> int | None:
        """Index of the old block holding the character at offset (None: between blocks)."""
        return _block_at(self._old_starts, self.old_spans, offset)

    def new_block(self, offset: int) -> int | None:
        """Index of the new block holding the character at offset (None: between blocks)."""
        return _block_at(self._new_starts, self.new_spans, offset)

    def pair_of_old(self, block: int | None) -> BlockPair | None:
        return None if block is None else self._by_old.get(block)

    def pair_of_new(self, block: int | None) -> BlockPair | None:
        return None if block is None else self._by_new.get(block)


def _block_at(starts: list[int], spans: list[tuple[int, int]], offset: int) -> int | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0 or offset >= spans[i][1]:
        return None
    return i


class _Aligner:
    """Builds the pairs of a BlockAlignment (the steps in its docstring)."""

    def __init__(self, old: Sequence[str], new: Sequence[str]):
        self.old, self.new = old, new
        self.old_at: dict[str, list[int]] = {}
        self.new_at: dict[str, list[int]] = {}
        for i, t in enumerate(old):
            self.old_at.setdefault(t, []).append(i)
        for j, t in enumerate(new):
            self.new_at.setdefault(t, []).append(j)
        self.image: dict[int, int] = {}  # old block -> the new block it became
        self.taken: set[int] = set()  # new blocks that are some old block's image
        self.undecided: dict[int, tuple[int, ...]] = {}
        # The skeleton the copies are placed by, as parallel sorted lists (set in step 4).
        self.skeleton_old: list[int] = []
        self.skeleton_new: list[int] = []
        self.repeated = {t for t, olds in self.old_at.items()
                         if len(olds) > 1 or len(self.new_at.get(t, ())) > 1}  # fmt: skip
        for t, olds in self.old_at.items():
            if t not in self.repeated and t in self.new_at:
                self._add(olds[0], self.new_at[t][0])
        self._pair_gaps(self._skeleton())
        self._pair_moved_and_edited()
        self._match_copies()

    def pairs(self) -> list[BlockPair]:
        """Every pair, in old-text order, with its moved flag (step 5)."""
        in_order = set(self._skeleton())
        return [
            BlockPair(i, j, self.old[i] == self.new[j], (i, j) not in in_order)
            for i, j in sorted(self.image.items())
        ]

    def _skeleton(self) -> list[tuple[int, int]]:
        """The pairs so far that keep their order, chosen so that the most text keeps its
        order: a long paragraph outweighs a short heading."""
        pairs = sorted(self.image.items())
        return _heaviest_in_order(pairs, [len(self.old[i]) for i, _ in pairs], len(self.new))

    def _add(self, i: int, j: int) -> None:
        self.image[i] = j
        self.taken.add(j)

    def _is_copy_old(self, i: int) -> bool:
        return self.old[i] in self.repeated

    def _is_copy_new(self, j: int) -> bool:
        return self.new[j] in self.repeated

    # ---------------------------------------------------------------- steps 2 and 3
    def _pair_gaps(self, skeleton: list[tuple[int, int]]) -> None:
        bounds = [(-1, -1), *skeleton, (len(self.old), len(self.new))]
        for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
            olds = [i for i in range(i0 + 1, i1)
                    if i not in self.image and not self._is_copy_old(i)]  # fmt: skip
            news = [j for j in range(j0 + 1, j1)
                    if j not in self.taken and not self._is_copy_new(j)]  # fmt: skip
            if not olds or not news:
                continue
            for a, b in _pair_blocks([self.old[i] for i in olds], [self.new[j] for j in news]):
                self._add(olds[a], news[b])

    def _pair_moved_and_edited(self) -> None:
        olds = {i: t for i, t in enumerate(self.old)
                if i not in self.image and t not in self.repeated}  # fmt: skip
        news = {j: t for j, t in enumerate(self.new)
                if j not in self.taken and t not in self.repeated}  # fmt: skip
        if not olds or not news or len(olds) * len(news) > MOVED_SEARCH_LIMIT:
            return
        cutoff = MOVED_EDITED_MIN * 100
        for i, text in olds.items():
            j = _clear_best(text, news, cutoff)
            if j is not None and _clear_best(news[j], olds, cutoff) == i:
                self._add(i, j)
                del news[j]

    # ---------------------------------------------------------------- step 4: repeated blocks
    def _match_copies(self) -> None:
        # New blocks left unpaired whose words are in no old block: where edited copies can be.
        fresh = {j: t for j, t in enumerate(self.new)
                 if j not in self.taken and t not in self.old_at}  # fmt: skip
        skeleton = self._skeleton()
        self.skeleton_old = [i for i, _ in skeleton]
        self.skeleton_new = [j for _, j in skeleton]
        for t in sorted(self.repeated & self.old_at.keys(), key=lambda t: self.old_at[t][0]):
            olds = self.old_at[t]
            news = {j for j in self.new_at.get(t, ()) if j not in self.taken}
            if fresh:
                hits = process.extract(t, fresh, scorer=partial_ratio, limit=None,
                                       score_cutoff=EDITED_COPY_MIN * 100)  # fmt: skip
                news.update(j for _, _, j in hits if j not in self.taken)
            if not news:
                continue
            candidates = sorted(news)
            for i, j in self._decided_copies(olds, candidates):
                self._add(i, j)
            left = tuple(j for j in candidates if j not in self.taken)
            for i in olds:
                if i not in self.image and left:
                    self.undecided[i] = left

    def _crossings(self, i: int, j: int) -> int:
        """How many skeleton blocks would have moved across old block i if it became new j.

        The skeleton keeps its order, so that is the difference between the number of skeleton
        blocks before i in the old text and before j in the new text.
        """
        before_old = bisect.bisect_left(self.skeleton_old, i)
        before_new = bisect.bisect_left(self.skeleton_new, j)
        return abs(before_old - before_new)

    def _decided_copies(self, olds: list[int], news: list[int]) -> list[tuple[int, int]]:
        """The (old copy, new copy) pairs that no other explanation comes close to (step 4)."""
        if len(olds) * len(news) > COPY_MATCH_LIMIT:
            return []
        cost = [[COPY_CROSSING_COST * self._crossings(i, j) for j in news] for i in olds]
        best, chosen = _copy_alignment(cost)
        decided = []
        for a, b in chosen:
            # The cheapest explanation in which old copy a is another new copy, or was deleted.
            elsewhere, _ = _copy_alignment(cost, barred=(a, b))
            if elsewhere - best >= COPY_MARGIN:
                decided.append((olds[a], news[b]))
        return decided


def _copy_alignment(
    cost: list[list[int]], barred: tuple[int, int] | None = None
) -> tuple[float, list[tuple[int, int]]]:
    """Cheapest order-keeping pairing of old copies (rows) with new copies (columns).

    A pair costs cost[a][b]; an old copy left out (deleted) or a new copy left out (added) costs
    COPY_ADDED_COST. With barred = (a, b), old copy a may not pair with b. Returns the cost and,
    without barred, the pairs of one cheapest pairing.
    """
    inf = float("inf")
    bar_a, bar_b = barred if barred is not None else (-1, -1)
    p, q = len(cost), len(cost[0]) if cost else 0
    best = [[0.0] * (q + 1) for _ in range(p + 1)]
    for b in range(1, q + 1):
        best[0][b] = b * COPY_ADDED_COST
    for a in range(1, p + 1):
        best[a][0] = best[a - 1][0] + COPY_ADDED_COST
        row, above, costs = best[a], best[a - 1], cost[a - 1]
        for b in range(1, q + 1):
            pair = inf if (a - 1, b - 1) == (bar_a, bar_b) else above[b - 1] + costs[b - 1]
            row[b] = min(pair, above[b] + COPY_ADDED_COST, row[b - 1] + COPY_ADDED_COST)
    chosen: list[tuple[int, int]] = []
    a, b = p, q
    while barred is None and a and b:
        if best[a][b] == best[a - 1][b - 1] + cost[a - 1][b - 1]:
            chosen.append((a - 1, b - 1))
            a, b = a - 1, b - 1
        elif best[a][b] == best[a][b - 1] + COPY_ADDED_COST:
            b -= 1
        else:
            a -= 1
    return best[p][q], chosen[::-1]


def _clear_best(text: str, choices: dict[int, str], cutoff: float) -> int | None:
    """The key of the choice most like text, when it is clearly better than the next one."""
    hits = process.extract(text, choices, scorer=ratio, limit=2, score_cutoff=cutoff)
    if not hits:
        return None
    runner_up = hits[1][1] if len(hits) > 1 else 0.0
    if hits[0][1] - runner_up < MOVED_EDITED_MARGIN * 100:
        return None
    return int(hits[0][2])


# ---------------------------------------------------------------------- offset map
@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both revisions."""

    old_start: int
    new_start: int
    length: int
    same_block: bool = False  # inside blocks that are word for word the same (identified)
    moved: bool = False  # inside a block that moved

    @property
    def old_end(self) -> int:
        return self.old_start + self.length

    @property
    def new_end(self) -> int:
        return self.new_start + self.length


class OffsetMap:
    """Maps code-point offsets of an old text to the new text through their common runs.

    Runs inside moved blocks cross the others; a position inside a change falls back on the
    runs of its own block pair, or, for a block with no counterpart, on the runs in order.
    """

    def __init__(
        self,
        segments: Sequence[Segment],
        new_length: int,
        alignment: BlockAlignment | None = None,
    ):
        self.segments = tuple(sorted(segments, key=lambda s: s.old_start))
        self._old_starts = [s.old_start for s in self.segments]
        self._by_new = sorted(self.segments, key=lambda s: s.new_start)
        self._new_starts = [s.new_start for s in self._by_new]
        self._in_order = [s for s in self.segments if not s.moved]
        self._in_order_starts = [s.old_start for s in self._in_order]
        self.new_length = new_length
        self.alignment = alignment

    @classmethod
    def between(cls, old_text: str, new_text: str) -> OffsetMap:
        if old_text == new_text:
            segments = [Segment(0, 0, len(old_text), True)] if old_text else []
            return cls(segments, len(new_text))
        alignment = BlockAlignment(old_text, new_text)
        return cls(_segments(old_text, new_text, alignment), len(new_text), alignment)

    def segment(self, start: int, end: int) -> Segment | None:
        """The run holding the whole old span [start, end), if one does."""
        i = bisect.bisect_right(self._old_starts, start) - 1
        if i < 0:
            return None
        seg = self.segments[i]
        return seg if end <= seg.old_end else None

    def start(self, offset: int) -> int:
        """Where a span starting at offset starts now; inside a change, at the change's start."""
        i = bisect.bisect_right(self._old_starts, offset) - 1
        if i >= 0 and offset < self.segments[i].old_end:
            seg = self.segments[i]
            return seg.new_start + offset - seg.old_start
        pair_span = self._pair_span(offset)
        if pair_span is not None:
            (old_lo, _), (new_lo, _) = pair_span
            if i >= 0 and self.segments[i].old_start >= old_lo:
                return self.segments[i].new_end
            return new_lo
        k = bisect.bisect_right(self._in_order_starts, offset) - 1
        return self._in_order[k].new_end if k >= 0 else 0

    def end(self, offset: int) -> int:
        """Where a span ending at offset ends now; inside a change, at the change's end."""
        i = bisect.bisect_right(self._old_starts, offset - 1) - 1 if offset > 0 else -1
        if i >= 0 and offset <= self.segments[i].old_end:
            seg = self.segments[i]
            return seg.new_start + offset - seg.old_start
        pair_span = self._pair_span(offset - 1)
        if pair_span is not None:
            (_, old_hi), (_, new_hi) = pair_span
            nxt = i + 1
            if nxt < len(self.segments) and self.segments[nxt].old_start < old_hi:
                return self.segments[nxt].new_start
            return new_hi
        k = bisect.bisect_left(self._in_order_starts, offset)
        return self._in_order[k].new_start if k < len(self._in_order) else self.new_length

    def _pair_span(self, offset: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Old and new spans of the block pair holding the old offset, if it has a pair."""
        al = self.alignment
        if al is None or offset < 0:
            return None
        pair = al.pair_of_old(al.old_block(offset))
        if pair is None:
            return None
        return al.old_spans[pair.old], al.new_spans[pair.new]

    def old_start(self, start: int, end: int) -> int | None:
        """Where the new span [start, end) was in the old text, if it lies in one common run."""
        i = bisect.bisect_right(self._new_starts, start) - 1
        if i < 0:
            return None
        seg = self._by_new[i]
        if end <= seg.new_end:
            return seg.old_start + start - seg.new_start
        return None

    def new_segment(self, start: int, end: int) -> Segment | None:
        """The run holding the whole new span [start, end), if one does."""
        i = bisect.bisect_right(self._new_starts, start) - 1
        if i < 0:
            return None
        seg = self._by_new[i]
        return seg if end <= seg.new_end else None

    def unchanged(self, start: int, end: int) -> bool:
        """True when old text [start, end) lies inside one common run."""
        return self.segment(start, end) is not None


def _segments(old_text: str, new_text: str, alignment: BlockAlignment) -> list[Segment]:
    segments: list[Segment] = []
    old_spans, new_spans = alignment.old_spans, alignment.new_spans
    for pair in alignment.pairs:
        (o0, o1), (n0, n1) = old_spans[pair.old], new_spans[pair.new]
        if pair.same:
            last = segments[-1] if segments else None
            sep = len(BLOCK_SEPARATOR)
            if (last is not None and last.same_block and not last.moved and not pair.moved
                    and last.old_end + sep == o0 and last.new_end + sep == n0):  # fmt: skip
                # Blocks that stayed together form one run, so a span across them maps too.
                segments[-1] = Segment(last.old_start, last.new_start, o1 - last.old_start, True)
            else:
                segments.append(Segment(o0, n0, o1 - o0, True, pair.moved))
            continue
        if (o1 - o0) * (n1 - n0) > CHAR_ALIGN_LIMIT:
            continue
        for block in Levenshtein.opcodes(old_text[o0:o1], new_text[n0:n1]).as_matching_blocks():
            if block.size >= MIN_EQUAL_RUN:
                segments.append(Segment(o0 + block.a, n0 + block.b, block.size, False, pair.moved))
    return segments


# ---------------------------------------------------------------------- passage changes
@dataclass(frozen=True)
class PassageChange:
    """One added, removed or changed passage, with its span in both texts.

    An added passage has an empty old span (where it was inserted); a removed one an empty new span.
    """

    kind: str  # "added", "removed" or "changed"
    old_start: int
    old_end: int
    new_start: int
    new_end: int

    def touches_new(self, start: int, end: int) -> bool:
        """True when the new-text span [start, end) overlaps or borders this change."""
        return _overlaps(start, end, self.new_start, self.new_end)

    def touches_old(self, start: int, end: int) -> bool:
        """True when the old-text span [start, end) overlaps or borders this change."""
        return _overlaps(start, end, self.old_start, self.old_end)


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    if b0 == b1:  # an empty span (insertion point) touches a span that contains it
        return a0 <= b0 <= a1 and a0 < a1
    return a0 < b1 and b0 < a1


def diff_documents(old: Document, new: Document) -> list[PassageChange]:
    """Added, removed and changed passages (blocks) from old to new, in text order."""
    return diff_texts(old.text, new.text)


def diff_texts(old_text: str, new_text: str) -> list[PassageChange]:
    """Passage changes between two canonical texts."""
    if old_text == new_text:
        return []
    old_spans, new_spans = block_spans(old_text), block_spans(new_text)
    old_blocks = [old_text[a:b] for a, b in old_spans]
    new_blocks = [new_text[a:b] for a, b in new_spans]

    def old_point(i: int) -> int:
        return old_spans[i][0] if i < len(old_spans) else len(old_text)

    def new_point(j: int) -> int:
        return new_spans[j][0] if j < len(new_spans) else len(new_text)

    changes: list[PassageChange] = []
    for tag, i1, i2, j1, j2 in _block_opcodes(old_blocks, new_blocks):
        if tag == "equal":
            continue
        pairs = _pair_blocks(old_blocks[i1:i2], new_blocks[j1:j2]) if tag == "replace" else []
        i, j = i1, j1
        for pi, pj in [*((i1 + a, j1 + b) for a, b in pairs), (i2, j2)]:
            for k in range(i, pi):
                a, b = old_spans[k]
                changes.append(PassageChange("removed", a, b, new_point(j), new_point(j)))
            for k in range(j, pj):
                a, b = new_spans[k]
                changes.append(PassageChange("added", old_point(pi), old_point(pi), a, b))
            if pi < i2:
                (a, b), (c, d) = old_spans[pi], new_spans[pj]
                changes.append(PassageChange("changed", a, b, c, d))
            i, j = pi + 1, pj + 1
    return changes


def _pair_blocks(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of similar blocks, in order, maximising total similarity."""
    n, m = len(old), len(new)
    if n * m > PAIRING_LIMIT:
        return [(k, k) for k in range(min(n, m))
                if ratio(old[k], new[k]) / 100 >= CHANGED_PASSAGE_MIN]  # fmt: skip
    sim = [[ratio(a, b) / 100 for b in new] for a in old]
    # best[i][j]: best total similarity pairing old[i:] with new[j:] (an alignment, no crossing)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= CHANGED_PASSAGE_MIN else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= CHANGED_PASSAGE_MIN and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def unified_diff(
    old_text: str, new_text: str, from_label: str = "old", to_label: str = "new", context: int = 3
) -> str:
    """A unified diff of two canonical texts, one block per line."""
    lines = difflib.unified_diff(
        old_text.split("\n"), new_text.split("\n"), from_label, to_label, lineterm="", n=context
    )
    return "".join(line + "\n" for line in lines)
