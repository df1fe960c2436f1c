"""What changed between two revisions: passage changes, an old-to-new offset map, a unified diff.

Everything works on canonical texts (blocks joined by a blank line, no newline inside a block),
so a text can be split back into its blocks without the block list. Offsets are code points.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio, ratio

from reviewapp.core.model import Claim, Revision
from reviewapp.core.states import AnchorState
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
# Which new copy an old copy became is judged in edits: a paragraph moved (COPY_CROSSING_COST,
# also the cost per skeleton block crossed in the estimate for many copies), a copy added or
# deleted (COPY_ADDED_COST). A copy is decided only when every other place for it costs more
# than one edit more (COPY_MARGIN): a draft often moves a paragraph past a boilerplate line
# while another copy of the line is added beside it, and the text then reads as if that copy
# had stayed and the other one were new.
COPY_CROSSING_COST = 2
COPY_ADDED_COST = 2
COPY_MARGIN = 3
# With few enough copies, every way of pairing them is tried and costed exactly: the fewest
# paragraph moves that turn the old order of all paired blocks (copies included) into the new
# one, plus the copies added and deleted. This budget bounds (pairings tried) x (paired blocks)
# for one alignment (about 0.1 s); beyond it the skeleton crossings above estimate the moves.
# A news article (under 100 blocks, a few repeated lines) stays well inside it.
EXACT_COPY_BUDGET = 150_000

# A block that left its place and was edited on the way is recognised when it is at least this
# similar to its old self, and better by MOVED_EDITED_MARGIN than any other candidate on both
# sides (a paragraph with a sentence added scores 0.7-0.95; two paragraphs of the same article
# rarely reach 0.5).
MOVED_EDITED_MIN = 0.6
MOVED_EDITED_MARGIN = 0.1
# The moved-and-edited search compares every left-over old block with every left-over new one;
# beyond this product it is skipped (re-anchoring then finds such passages by search).
MOVED_SEARCH_LIMIT = 40_000
# Two left-over blocks are kin (the same paragraph, heavily edited) when at least this share of
# the word trigrams of the shorter one are in the other (a sentence added to a paragraph or
# one of its sentences rewritten), or KIN_WORDS of all their words are shared, and each is the
# other's best by KIN_MARGIN. In the benchmark, unrelated left-over paragraphs of one article
# share at most about a third of their trigrams (1% share more than 3%) and a fifth of their
# words; kin are used only to tell boilerplate copies apart, never to place a claim.
KIN_MIN = 0.4
KIN_WORDS = 0.3
KIN_MARGIN = 0.15
# ... or when at least half of the shorter one is whole sentences of the other (a paragraph
# kept a short sentence and lost or rewrote the rest); the shorter must be a few words at least.
KIN_SENTENCES = 0.5
KIN_SHORTEST = 12


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
    4. Copies of a repeated block (a boilerplate line) have no identity of their own; the
       paragraphs around them say which is which. Every way of pairing old copies with new ones
       (word for word, or an edited copy) is costed in edits: each paragraph that must move for
       the pairing to keep the order of everything paired (the copies themselves stay put: a
       moved line reads exactly like one deleted and one added), and each copy added or deleted.
       A pair is kept only when every explanation that puts that old copy elsewhere costs at
       least two edits more; otherwise the old copy is *undecided* between the new copies left,
       and a claim on it is never placed firmly. (A paragraph hopping over the claim's copy while
       a copy is added where it was reads exactly like the copy staying and one added beside it:
       one edit apart, so undecided.) With too many copies to try every pairing, the moves are
       estimated by the skeleton blocks crossing each copy; copies decided so far join the
       skeleton. A paragraph edited too much to pair as a passage but sharing much of its
       wording with one left over in the new text (*kin*) counts as staying put here too; kin
       never carry a claim.
    5. A pair out of the heaviest order-keeping run of all pairs (by length of text) moved.

    ``guessed`` pairs each undecided copy as the cheapest explanation does: good enough to show
    a boilerplate line as unchanged in a diff, never used to place a claim.
    """

    def __init__(self, old_text: str, new_text: str):
        self.old_spans = block_spans(old_text)
        self.new_spans = block_spans(new_text)
        old_blocks = [old_text[a:b] for a, b in self.old_spans]
        new_blocks = [new_text[a:b] for a, b in self.new_spans]
        builder = _Aligner(old_blocks, new_blocks)
        self.pairs: tuple[BlockPair, ...] = tuple(builder.pairs())
        self.undecided: dict[int, tuple[int, ...]] = builder.undecided
        self.guessed: tuple[BlockPair, ...] = tuple(builder.guessed_pairs())
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
        self.guessed: dict[int, int] = {}  # undecided old copy -> its likeliest new copy
        self.exact_budget = EXACT_COPY_BUDGET  # what is left for costing copies exactly
        # The skeleton the copies are placed by, as parallel sorted lists (set in step 4).
        self.skeleton_old: list[int] = []
        self.skeleton_new: list[int] = []
        self.kin: list[tuple[int, int]] = []  # heavily edited paragraphs, for copies only
        self.repeated = {
            t for t, olds in self.old_at.items() if len(olds) > 1 or len(self.new_at.get(t, ())) > 1
        }
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
            olds = [
                i for i in range(i0 + 1, i1) if i not in self.image and not self._is_copy_old(i)
            ]
            news = [
                j for j in range(j0 + 1, j1) if j not in self.taken and not self._is_copy_new(j)
            ]
            if not olds or not news:
                continue
            for a, b in _pair_blocks([self.old[i] for i in olds], [self.new[j] for j in news]):
                self._add(olds[a], news[b])

    def _pair_moved_and_edited(self) -> None:
        olds = {
            i: t for i, t in enumerate(self.old) if i not in self.image and t not in self.repeated
        }
        news = {
            j: t for j, t in enumerate(self.new) if j not in self.taken and t not in self.repeated
        }
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
        fresh = {
            j: t for j, t in enumerate(self.new) if j not in self.taken and t not in self.old_at
        }
        self.kin = self._kin_pairs()
        self._place_skeleton()
        for t in sorted(self.repeated & self.old_at.keys(), key=lambda t: self.old_at[t][0]):
            olds = self.old_at[t]
            news = {j for j in self.new_at.get(t, ()) if j not in self.taken}
            if fresh:
                hits = process.extract(
                    t, fresh, scorer=partial_ratio, limit=None, score_cutoff=EDITED_COPY_MIN * 100
                )
                news.update(j for _, _, j in hits if j not in self.taken)
            if not news:
                continue
            candidates = sorted(news)
            decided, likeliest = self._decided_copies(olds, candidates)
            for i, j in decided:
                self._add(i, j)
                self._extend_skeleton(i, j)  # decided copies tell the next repeated block apart
            left = tuple(j for j in candidates if j not in self.taken)
            for i in olds:
                if i not in self.image and left:
                    self.undecided[i] = left
            guessed_new = set(self.guessed.values())
            for i, j in likeliest:
                if i in self.undecided and j not in self.taken and j not in guessed_new:
                    self.guessed[i] = j

    def _place_skeleton(self) -> None:
        """The blocks that keep their order, kin included, that copies are placed by."""
        pairs = sorted([*self.image.items(), *self.kin])
        weights = [len(self.old[i]) for i, _ in pairs]
        skeleton = _heaviest_in_order(pairs, weights, len(self.new))
        self.skeleton_old = [i for i, _ in skeleton]
        self.skeleton_new = [j for _, j in skeleton]

    def _extend_skeleton(self, i: int, j: int) -> None:
        """Add the pair (i, j) to the skeleton when it keeps the skeleton's order."""
        k = bisect.bisect_left(self.skeleton_old, i)
        if k == bisect.bisect_left(self.skeleton_new, j):
            self.skeleton_old.insert(k, i)
            self.skeleton_new.insert(k, j)

    def _kin_pairs(self) -> list[tuple[int, int]]:
        """Left-over (old, new) blocks that share much of their wording (KIN_MIN word
        trigrams, KIN_WORDS of their words or KIN_SENTENCES whole sentences), each the other's
        clear best: a paragraph edited too much to pair as a passage. Used only to tell copies
        of a repeated block apart."""
        olds = {
            i: _Wording.of(t)
            for i, t in enumerate(self.old)
            if i not in self.image and t not in self.repeated
        }
        news = {
            j: _Wording.of(t)
            for j, t in enumerate(self.new)
            if j not in self.taken and t not in self.repeated
        }
        if not olds or not news or len(olds) * len(news) > MOVED_SEARCH_LIMIT:
            return []
        score = {(i, j): _kinship(a, b) for i, a in olds.items() for j, b in news.items()}
        best_new = {i: _clear_top({j: score[i, j] for j in news}) for i in olds}
        best_old = {j: _clear_top({i: score[i, j] for i in olds}) for j in news}
        return sorted((i, j) for i, j in best_new.items() if j is not None and best_old[j] == i)

    def _crossings(self, i: int, j: int) -> int:
        """How many skeleton blocks would have moved across old block i if it became new j.

        The skeleton keeps its order, so that is the difference between the number of skeleton
        blocks before i in the old text and before j in the new text.
        """
        before_old = bisect.bisect_left(self.skeleton_old, i)
        before_new = bisect.bisect_left(self.skeleton_new, j)
        return abs(before_old - before_new)

    def _decided_copies(
        self, olds: list[int], news: list[int]
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The (old copy, new copy) pairs that no other explanation comes close to (step 4),
        and the pairs of the cheapest explanation (the likeliest, decided or not)."""
        if len(olds) * len(news) > COPY_MATCH_LIMIT:
            return [], self._copies_in_place(olds, news)
        work = _pairings(len(olds), len(news)) * (len(self.image) + len(self.kin) + len(olds))
        if work <= self.exact_budget:
            self.exact_budget -= work
            return self._decided_by_moves(olds, news)
        cost = [[COPY_CROSSING_COST * self._crossings(i, j) for j in news] for i in olds]
        best, chosen = _copy_alignment(cost)
        decided = []
        for a, b in chosen:
            # The cheapest explanation in which old copy a is another new copy, or was deleted.
            elsewhere, _ = _copy_alignment(cost, barred=(a, b))
            if elsewhere - best >= COPY_MARGIN:
                decided.append((olds[a], news[b]))
        return decided, [(olds[a], news[b]) for a, b in chosen]

    def _decided_by_moves(
        self, olds: list[int], news: list[int]
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Step 4 costed exactly: every pairing of these copies, each with the fewest paragraph
        moves it needs, and the copies it leaves added or deleted. A copy itself never moves (a
        moved boilerplate line is no different from one deleted and one added): the paragraphs
        paired so far move around the copies. Returns the pairs that beat every alternative by
        COPY_MARGIN, and the pairs of the cheapest pairing."""
        # Kin pairs count as paragraphs that stayed the same passage: a neighbour edited too
        # much to pair still says on which side of it a copy was.
        fixed = sorted([*self.image.items(), *self.kin])
        inf = float("inf")
        best = inf
        chosen: tuple[tuple[int, int], ...] = ()
        with_pair: dict[tuple[int, int], float] = {}  # cheapest pairing holding (old, new)
        without: dict[int, float] = dict.fromkeys(olds, inf)  # cheapest leaving old unpaired
        for pairing in _all_pairings(olds, news):
            moves = _fewest_moves(fixed, pairing)
            if moves is None:
                continue  # the copies would have to cross each other
            left = len(olds) + len(news) - 2 * len(pairing)
            cost = COPY_CROSSING_COST * moves + COPY_ADDED_COST * left
            if cost < best:
                best, chosen = cost, pairing
            for pair in pairing:
                with_pair[pair] = min(with_pair.get(pair, inf), cost)
            for i in set(olds).difference(i for i, _ in pairing):
                without[i] = min(without[i], cost)
        decided: list[tuple[int, int]] = []
        for i, j in chosen:
            elsewhere = min(
                [without[i], *(c for (a, b), c in with_pair.items() if a == i and b != j)]
            )
            if elsewhere - best >= COPY_MARGIN:
                decided.append((i, j))
        return decided, sorted(chosen)

    def _copies_in_place(self, olds: list[int], news: list[int]) -> list[tuple[int, int]]:
        """Too many copies to weigh: pair them in order between the same skeleton blocks."""
        pairs, b = [], 0
        for i in olds:
            while b < len(news) and self._before(news[b], new=True) < self._before(i, new=False):
                b += 1
            if b < len(news) and self._crossings(i, news[b]) == 0:
                pairs.append((i, news[b]))
                b += 1
        return pairs

    def _before(self, block: int, *, new: bool) -> int:
        """How many skeleton blocks come before this block of the new (or old) text."""
        return bisect.bisect_left(self.skeleton_new if new else self.skeleton_old, block)

    def guessed_pairs(self) -> list[BlockPair]:
        """The likeliest new copy of every undecided old copy, marked moved when a skeleton
        block lies between them."""
        return [
            BlockPair(i, j, self.old[i] == self.new[j], self._crossings(i, j) > 0)
            for i, j in sorted(self.guessed.items())
        ]


def _pairings(p: int, q: int) -> int:
    """How many ways p old copies can be paired with q new ones (each used once, or not)."""
    total, term = 0, 1
    for k in range(min(p, q) + 1):
        if k:
            term = term * (p - k + 1) * (q - k + 1) // k
        total += term
    return total


def _all_pairings(olds: list[int], news: list[int]) -> Iterator[tuple[tuple[int, int], ...]]:
    """Every way of pairing old copies with new copies, each copy used at most once."""
    if not olds:
        yield ()
        return
    first, rest = olds[0], olds[1:]
    yield from _all_pairings(rest, news)  # the first old copy was deleted
    for k, j in enumerate(news):
        for tail in _all_pairings(rest, news[:k] + news[k + 1 :]):
            yield ((first, j), *tail)


def _fewest_moves(fixed: list[tuple[int, int]], copies: tuple[tuple[int, int], ...]) -> int | None:
    """How many of the fixed (old, new) pairs, sorted by old, must move for all of them and the
    copy pairs to keep their order, the copies staying put; None when the copies cross."""
    pairs = sorted(copies)
    if any(b[1] < a[1] for a, b in itertools.pairwise(pairs)):
        return None
    copy_old = [i for i, _ in pairs]
    copy_new = [j for _, j in pairs]
    tops: list[int] = []  # longest increasing run of the pairs that can stay, by patience sorting
    for i, j in fixed:
        # A pair can stay only on the same side of every copy in both texts.
        if bisect.bisect_left(copy_old, i) != bisect.bisect_left(copy_new, j):
            continue
        k = bisect.bisect_left(tops, j)
        if k == len(tops):
            tops.append(j)
        else:
            tops[k] = j
    return len(fixed) - len(tops)


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


_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class _Wording:
    """What kinship compares of a block: its text, words, word trigrams and sentences."""

    text: str
    words: frozenset[str]
    trigrams: frozenset[tuple[str, ...]]
    sentences: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Wording:
        words = _TOKEN.findall(text.lower())
        trigrams = frozenset(zip(words, words[1:], words[2:], strict=False))
        return cls(text, frozenset(words), trigrams, tuple(_SENTENCE_END.split(text)))


def _kinship(a: _Wording, b: _Wording) -> float:
    """How much of their wording two blocks share, 0..1 (0 below every kin threshold)."""
    tri = 0.0
    if a.trigrams and b.trigrams:
        tri = len(a.trigrams & b.trigrams) / min(len(a.trigrams), len(b.trigrams))
    words = 0.0
    if a.words and b.words:
        words = len(a.words & b.words) / len(a.words | b.words)
    sentences = _sentences_kept(a, b) if min(len(a.words), len(b.words)) > 1 else 0.0
    if tri < KIN_MIN and words < KIN_WORDS and sentences < KIN_SENTENCES:
        return 0.0
    return max(tri, words, sentences)


def _sentences_kept(a: _Wording, b: _Wording) -> float:
    """The share of the shorter block (in characters) made of whole sentences of the longer."""
    short, long_ = (a, b) if len(a.text) <= len(b.text) else (b, a)
    if len(short.text) < KIN_SHORTEST:
        return 0.0
    if long_.text.startswith(short.text + " ") or long_.text.endswith(" " + short.text):
        return 1.0  # a line with no closing stop ("Extra points") that sentences were added to
    found = set(long_.sentences)
    return sum(len(x) for x in short.sentences if x in found) / len(short.text)


def _clear_top(scores: dict[int, float]) -> int | None:
    """The key with the highest positive score, when it leads the next by KIN_MARGIN."""
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] <= 0:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < KIN_MARGIN:
        return None
    return ranked[0][0]


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
            if (
                last is not None
                and last.same_block
                and not last.moved
                and not pair.moved
                and last.old_end + sep == o0
                and last.new_end + sep == n0
            ):
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
CHANGE_KINDS = ("changed", "moved", "added", "removed")


@dataclass(frozen=True)
class PassageChange:
    """One added, removed, changed or moved passage, with its span in both texts.

    An added passage has an empty old span (where it was inserted); a removed one an empty new
    span (where it was). A moved passage has its old span (where it was) and its new span (where
    it went); ``edited`` says whether its words also changed on the way.
    """

    kind: str  # one of CHANGE_KINDS
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    edited: bool = False  # a moved passage whose words changed too ("changed" ones always have)

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
    """Added, removed, changed and moved passages (blocks) from old to new, in new-text order."""
    return diff_texts(old.text, new.text)


def diff_texts(old_text: str, new_text: str) -> list[PassageChange]:
    """Passage changes between two canonical texts, in the order of the new text.

    A removed passage comes where it was, before what was added in its place; a moved passage
    comes once, where it went. The pairs are BlockAlignment's (so a claim whose paragraph moved
    and the diff agree on it), plus its likeliest guess for copies of a repeated line that it
    leaves undecided: a boilerplate line that stayed is not shown as removed and added.
    """
    if old_text == new_text:
        return []
    return passage_changes(BlockAlignment(old_text, new_text), len(old_text), len(new_text))


def passage_changes(al: BlockAlignment, old_length: int, new_length: int) -> list[PassageChange]:
    """The passage changes an alignment of two texts of these lengths describes."""
    pairs = sorted([*al.pairs, *al.guessed], key=lambda p: p.old)
    # The passages that kept their order; everything else is placed relative to them.
    kept = _in_order([(p.old, p.new) for p in pairs if not p.moved])
    kept_set = set(kept)
    image = {p.old: p for p in pairs}
    source = {p.new: p for p in pairs}
    old_spans, new_spans = al.old_spans, al.new_spans

    def old_point(i: int) -> int:
        return old_spans[i][0] if i < len(old_spans) else old_length

    def new_point(j: int) -> int:
        return new_spans[j][0] if j < len(new_spans) else new_length

    changes: list[PassageChange] = []
    bounds = [(-1, -1), *kept, (len(old_spans), len(new_spans))]
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        for i in range(i0 + 1, i1):
            if i not in image:
                a, b = old_spans[i]
                changes.append(PassageChange("removed", a, b, new_point(j1), new_point(j1)))
        for j in range(j0 + 1, j1):
            pair = source.get(j)
            c, d = new_spans[j]
            if pair is None:
                changes.append(PassageChange("added", old_point(i1), old_point(i1), c, d))
            elif (pair.old, j) not in kept_set:
                a, b = old_spans[pair.old]
                changes.append(PassageChange("moved", a, b, c, d, edited=not pair.same))
        if i1 < len(old_spans) and not image[i1].same:
            (a, b), (c, d) = old_spans[i1], new_spans[j1]
            changes.append(PassageChange("changed", a, b, c, d, edited=True))
    return changes


def _in_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (old, new) pairs, sorted by old, whose new indexes also increase.

    Pairs that are not marked moved already keep their order; this only guards the diff
    against a guessed copy that does not.
    """
    return _heaviest_in_order(pairs, [1] * len(pairs), 1 + max((j for _, j in pairs), default=0))


def block_number(text: str, offset: int) -> int:
    """The 1-based number of the block (paragraph) of a canonical text at or after offset."""
    return bisect.bisect_right([a for a, _ in block_spans(text)], offset) or 1


# ---------------------------------------------------------------------- claims a change touches
@dataclass(frozen=True)
class TouchedClaims:
    """Which claims each change touches, and the claims with no place in the newer text.

    The one rule that ``reviewapp diff`` and the Compare Drafts dialog both show.
    """

    by_change: dict[int, list[Claim]]  # index into the list of changes -> the claims it touches
    placeless: list[Claim]  # orphaned: no place in the newer revision
    side: str = ""  # "old" or "new": the side of the comparison the claims sit on
    note: str = ""  # why no claim can be matched (they sit on neither revision)

    @property
    def count(self) -> int:
        return sum(len(claims) for claims in self.by_change.values())


def touched_claims(
    changes: Sequence[PassageChange],
    claims: Sequence[Claim],
    old: Revision,
    new: Revision,
    current_revision_id: int,
) -> TouchedClaims:
    """The claims each change touches.

    Claims sit on the review's current revision, so they are matched on whichever side of the
    comparison that revision is; a claim counts once, for the first change its span overlaps
    (or, for an added or removed passage, borders).
    """
    if current_revision_id == new.id:
        side = "new"
    elif current_revision_id == old.id:
        side = "old"
    else:
        note = (
            f"the claims sit on neither revision {old.number} nor {new.number}; compare with "
            "the current revision to see which claims a change touches"
        )
        return TouchedClaims(by_change={}, placeless=[], side="", note=note)
    by_change: dict[int, list[Claim]] = {}
    placeless = []
    for claim in claims:
        if claim.start is None or claim.end is None:
            if side == "new" and claim.anchor_state == AnchorState.ORPHANED:
                placeless.append(claim)
            continue
        for index, change in enumerate(changes):
            touches = change.touches_new if side == "new" else change.touches_old
            if touches(claim.start, claim.end):
                by_change.setdefault(index, []).append(claim)
                break
    return TouchedClaims(by_change, placeless, side)


def _pair_blocks(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of similar blocks, in order, maximising total similarity."""
    n, m = len(old), len(new)
    if n * m > PAIRING_LIMIT:
        return [
            (k, k) for k in range(min(n, m)) if ratio(old[k], new[k]) / 100 >= CHANGED_PASSAGE_MIN
        ]
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
