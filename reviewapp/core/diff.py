"""What changed between two revisions: passage changes, an old-to-new offset map, a unified diff.

Everything works on canonical texts (blocks joined by a blank line, no newline inside a block),
so a text can be split back into its blocks without the block list. Offsets are code points.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

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
    # Longest increasing subsequence of the b positions (patience sorting), O(k log k).
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


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both revisions."""

    old_start: int
    new_start: int
    length: int


class OffsetMap:
    """Maps code-point offsets of an old text to the new text through their common runs."""

    def __init__(self, segments: Sequence[Segment], new_length: int):
        self.segments = tuple(segments)
        self._old_starts = [s.old_start for s in self.segments]
        self._new_starts = [s.new_start for s in self.segments]  # ascending too: no crossings
        self.new_length = new_length

    @classmethod
    def between(cls, old_text: str, new_text: str) -> OffsetMap:
        return cls(_segments(old_text, new_text), len(new_text))

    def _index(self, offset: int) -> int:
        """Index of the last segment starting at or before offset (-1 if none)."""
        return bisect.bisect_right(self._old_starts, offset) - 1

    def start(self, offset: int) -> int:
        """Where a span starting at offset starts now; inside a change, at the change's start."""
        i = self._index(offset)
        if i < 0:
            return 0
        seg = self.segments[i]
        if offset < seg.old_start + seg.length:
            return seg.new_start + offset - seg.old_start
        return seg.new_start + seg.length

    def end(self, offset: int) -> int:
        """Where a span ending at offset ends now; inside a change, at the change's end."""
        i = self._index(offset - 1) if offset > 0 else -1
        if i >= 0:
            seg = self.segments[i]
            if offset <= seg.old_start + seg.length:
                return seg.new_start + offset - seg.old_start
        nxt = i + 1
        if nxt < len(self.segments):
            return self.segments[nxt].new_start
        return self.new_length

    def old_start(self, start: int, end: int) -> int | None:
        """Where the new span [start, end) was in the old text, if it lies in one common run."""
        i = bisect.bisect_right(self._new_starts, start) - 1
        if i < 0:
            return None
        seg = self.segments[i]
        if end <= seg.new_start + seg.length:
            return seg.old_start + start - seg.new_start
        return None

    def unchanged(self, start: int, end: int) -> bool:
        """True when old text [start, end) lies inside one common run."""
        i = self._index(start)
        if i < 0:
            return False
        seg = self.segments[i]
        return end <= seg.old_start + seg.length


def _segments(old_text: str, new_text: str) -> list[Segment]:
    if old_text == new_text:
        return [Segment(0, 0, len(old_text))] if old_text else []
    old_spans, new_spans = block_spans(old_text), block_spans(new_text)
    old_blocks = [old_text[a:b] for a, b in old_spans]
    new_blocks = [new_text[a:b] for a, b in new_spans]
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in _block_opcodes(old_blocks, new_blocks):
        if tag == "equal":
            o, n = old_spans[i1][0], new_spans[j1][0]
            segments.append(Segment(o, n, old_spans[i2 - 1][1] - o))
        elif tag == "replace":
            o0, o1 = old_spans[i1][0], old_spans[i2 - 1][1]
            n0, n1 = new_spans[j1][0], new_spans[j2 - 1][1]
            if (o1 - o0) * (n1 - n0) > CHAR_ALIGN_LIMIT:
                continue
            for block in Levenshtein.opcodes(old_text[o0:o1], new_text[n0:n1]).as_matching_blocks():
                if block.size >= MIN_EQUAL_RUN:
                    segments.append(Segment(o0 + block.a, n0 + block.b, block.size))
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
