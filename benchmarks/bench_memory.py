"""Claim memory ("Checked before") in a library of 100,000 claims, against the raw FTS5 query.

.venv/bin/python benchmarks/bench_memory.py [--quick]

The library is built with the store's own batch writes (add_article, add_claims: the
claim_memory triggers index every claim as it is written) from a seeded generator: news-like
claims over a vocabulary of content words drawn with Zipf weights (a few words are common, as
in real text; the template words, "invested", "rose", "reached", are in a quarter of all
claims), figures that vary, one claim in ten repeating an earlier one (half of those with
another figure), and most claims checked with a note. Then, for the same sample of claims:

- floor: the raw FTS5 query alone on a plain sqlite3 connection: the words the store searches
  for (the claim's rarest, core/similarity.py rarest_words), OR'd, ranked by bm25, as many rows
  as the store asks for;
- for comparison, the same query with every word of the claim (what a plain search would do);
- ours: workflows.memory.checked_before (the same query through the store, filtering, rapidfuzz
  ranking, the checks, numbers and sources of the results).

Goal: ours p95 under 30 ms. --quick: 5,000 claims (CI runs it so that it never rots).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.similarity import (
    CANDIDATES,
    fts_words_query,
    rarest_words,
    search_words,
)
from reviewapp.core.text import build_document
from reviewapp.store import NewClaim, ReviewStore
from reviewapp.store.memory import _OVERFETCH
from reviewapp.workflows.memory import checked_before

GOAL_P95_MS = 30.0
CLAIMS_PER_REVIEW = 200
SAMPLE = 300
STATUSES = ("verified", "verified", "false", "partly-true", "unverifiable", "opinion", "unchecked")
SYLLABLES = tuple(
    [
        "ka",
        "lo",
        "mi",
        "ne",
        "su",
        "ra",
        "to",
        "vi",
        "be",
        "da",
        "fe",
        "go",
        "hu",
        "ji",
        "pe",
        "qu",
        "si",
        "ta",
        "wo",
        "xe",
        "yo",
        "zu",
        "an",
        "el",
        "in",
        "or",
    ]
)


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Claims:
    """A seeded source of news-like claims."""

    def __init__(self, seed: int = 17):
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng, 4_000)
        self.names = [w.capitalize() for w in vocabulary(self.rng, 1_500)]
        # Zipf weights over content words: word k is drawn in proportion to 1/(k + 50), as if
        # the 50 commonest words of the language (the function words, which the search leaves
        # out) had been taken away from a 1/k law.
        self.weights = [1.0 / (k + 50) for k in range(len(self.words))]
        self.earlier: list[str] = []

    def _words(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, self.weights, k=n))

    def _figure(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return f"${self.rng.randint(1, 99)} billion"
        if r < 0.7:
            return f"{self.rng.randint(1, 99)} percent"
        return f"{self.rng.randint(2, 9_999):,}"

    def fresh(self) -> str:
        name, other = self.rng.choice(self.names), self.rng.choice(self.names)
        shape = self.rng.randrange(4)
        if shape == 0:
            return f"{name} has invested {self._figure()} in {other} {self._words(4)}"
        if shape == 1:
            return f"{name} said {self._words(5)} rose by {self._figure()} in {other}"
        if shape == 2:
            return f"The {self._words(2)} of {name} reached {self._figure()} {self._words(6)}"
        return f"{name} and {other} {self._words(8)} since {self.rng.randint(1990, 2026)}"

    def next(self) -> str:
        r = self.rng.random()
        if self.earlier and r < 0.05:
            return self.rng.choice(self.earlier)  # the same claim, met again
        if self.earlier and r < 0.10:  # the same claim with another figure
            claim = self.rng.choice(self.earlier)
            return claim.replace(str(self.rng.randint(1, 9)), str(self.rng.randint(1, 9)), 1)
        claim = self.fresh()
        self.earlier.append(claim)
        return claim

    def note(self) -> str:
        return f"Checked against {self.rng.choice(self.names)} records: {self._words(6)}"


def draft(title: str, sentences: list[str]) -> ImportedDraft:
    document = build_document([("heading", title, 1)] + [("paragraph", s + ".") for s in sentences])
    return ImportedDraft(document, ArticleMeta(title=title), b"", "text/plain", "bench", "bench")


def build(path: Path, total: int) -> None:
    gen = Claims()
    with ReviewStore(path) as store:
        for n in range(0, total, CLAIMS_PER_REVIEW):
            sentences = []
            while len(sentences) < min(CLAIMS_PER_REVIEW, total - n):
                claim = gen.next()
                if claim not in sentences:  # a quote must occur once in its draft
                    sentences.append(claim)
            with store.transaction():
                review_id = store.add_article(draft(f"Review {n // CLAIMS_PER_REVIEW}", sentences))
                store.add_claims(
                    review_id,
                    [
                        NewClaim(
                            quote=s,
                            status=(status := gen.rng.choice(STATUSES)),
                            note="" if status == "unchecked" else gen.note(),
                        )
                        for s in sentences
                    ],
                )
                if gen.rng.random() < 0.3:
                    store.set_status(review_id, "signed-off")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 claims (CI)")
    args = parser.parse_args()
    total = 5_000 if args.quick else 100_000
    sample_size = 50 if args.quick else SAMPLE
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "memory.db"
        began = time.perf_counter()
        build(db, total)
        print(f"setup: {total:,} claims written in {time.perf_counter() - began:.1f} s")
        rng = random.Random(3)
        with ReviewStore(db) as store:
            raw = sqlite3.connect(db)
            quotes = {int(r[0]): str(r[1]) for r in raw.execute("SELECT id, quote FROM claims")}
            sample = rng.sample(sorted(quotes), sample_size)
            sql = (
                "SELECT rowid FROM claim_memory WHERE claim_memory MATCH ? "
                "ORDER BY bm25(claim_memory, 2.0, 1.0) LIMIT ?"
            )
            for claim_id in sample[:10]:  # warm the page cache for both
                raw.execute(sql, [fts_words_query(search_words(quotes[claim_id])), 1]).fetchall()
                checked_before(store, claim_id)
            floor, naive, ours, found, same = [], [], [], 0, 0
            for claim_id in sample:
                words = search_words(quotes[claim_id])
                chosen = rarest_words(store.word_frequencies(words))
                t0 = time.perf_counter()
                raw.execute(sql, [fts_words_query(chosen), CANDIDATES * _OVERFETCH]).fetchall()
                t1 = time.perf_counter()
                results = checked_before(store, claim_id)
                t2 = time.perf_counter()
                raw.execute(sql, [fts_words_query(words), CANDIDATES * _OVERFETCH]).fetchall()
                t3 = time.perf_counter()
                floor.append((t1 - t0) * 1000)
                ours.append((t2 - t1) * 1000)
                naive.append((t3 - t2) * 1000)
                found += len(results)
                same += sum(r.strength == "same" for r in results)
            raw.close()
    f50, f95 = statistics.median(floor), percentile(floor, 95)
    o50, o95 = statistics.median(ours), percentile(ours, 95)
    print(
        f"\n| {total:,} claims, {sample_size} claims asked | p50 | p95 | goal |\n|---|---|---|---|"
    )
    n50, n95 = statistics.median(naive), percentile(naive, 95)
    print(f"| raw FTS5 query, the same words (floor) | {f50:.1f} ms | {f95:.1f} ms | |")
    print(
        f"| Checked before (checked_before) | {o50:.1f} ms | {o95:.1f} ms | "
        f"p95 under {GOAL_P95_MS:.0f} ms: {'met' if o95 < GOAL_P95_MS else 'MISSED'} |"
    )
    print(f"| raw FTS5 query, every word of the claim | {n50:.1f} ms | {n95:.1f} ms | |")
    print(f"| ratio to the floor | {o50 / f50:.1f}x | {o95 / f95:.1f}x | |")
    print(
        f"\n{found / sample_size:.1f} earlier claims listed per claim asked, "
        f"{same / sample_size:.2f} of them the same claim"
    )


if __name__ == "__main__":
    main()
