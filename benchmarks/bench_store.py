"""ReviewStore speed as ratios against raw sqlite3 doing the same work in the same run.

.venv/bin/python benchmarks/bench_store.py
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document
from reviewapp.store import ReviewStore

N_CLAIMS = 2_000
N_REVIEWS = 10_000
WORDS = [
    "editor",
    "claim",
    "source",
    "verified",
    "figure",
    "billion",
    "model",
    "access",
    "reliability",
]


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def article(i: int) -> ImportedDraft:
    paragraphs = [" ".join(WORDS[(i + j) % len(WORDS)] for j in range(40)) + f" {i}."]
    doc = build_document([("heading", f"Article {i}", 1)] + [("paragraph", p) for p in paragraphs])
    return ImportedDraft(doc, ArticleMeta(title=f"Article {i}"), b"", "text/plain", "bench", "")


def bench_claim_writes(tmp: Path) -> tuple[float, float]:
    store = ReviewStore(tmp / "claims.db")
    text = " ".join(f"word{i}" for i in range(N_CLAIMS * 2))
    doc = build_document([("paragraph", text)])
    rid = store.add_article(ImportedDraft(doc, ArticleMeta(title="t"), b"", "text/plain", "", ""))
    spans = [
        (doc.text.index(f"word{i} "), doc.text.index(f"word{i} ") + len(f"word{i}"))
        for i in range(0, N_CLAIMS * 2, 2)
    ]
    start = time.perf_counter()
    for s, e in spans:
        store.add_claim_at(rid, s, e)
    ours = time.perf_counter() - start
    store.close()

    conn = sqlite3.connect(tmp / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE claims (id INTEGER PRIMARY KEY, review_id, quote, start, end_)")
    start = time.perf_counter()
    for s, e in spans:
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO claims (review_id, quote, start, end_) VALUES (1, ?, ?, ?)",
            [doc.text[s:e], s, e],
        )
        conn.execute("COMMIT")
    floor = time.perf_counter() - start
    conn.close()
    return ours, floor


def bench_library(tmp: Path) -> tuple[float, float, float, float]:
    path = tmp / "library.db"
    store = ReviewStore(path)
    with store.transaction():
        for i in range(N_REVIEWS):
            store.add_article(article(i))
    ours_page = timed(lambda: store.list_reviews(limit=100))
    ours_search = timed(lambda: store.list_reviews(query="reliability 9999", limit=100))
    store.close()
    conn = sqlite3.connect(path)
    floor_page = timed(
        lambda: conn.execute(
            "SELECT rv.id, r.title FROM reviews rv JOIN revisions r ON r.id = rv.revision_id "
            "ORDER BY rv.updated_at DESC LIMIT 100"
        ).fetchall()
    )
    floor_search = timed(
        lambda: conn.execute(
            "SELECT review_id FROM search_index WHERE search_index MATCH 'reliability 9999'"
        ).fetchall()
    )
    conn.close()
    return ours_page, floor_page, ours_search, floor_search


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ours, floor = bench_claim_writes(tmp)
        print(
            f"{N_CLAIMS} claims, one transaction each: ReviewStore {ours:.3f} s, "
            f"raw sqlite3 {floor:.3f} s, ratio {ours / floor:.1f}x"
        )
        page, fpage, search, fsearch = bench_library(tmp)
        print(
            f"library page of 100 from {N_REVIEWS} reviews: {page * 1000:.1f} ms, "
            f"raw {fpage * 1000:.1f} ms, ratio {page / fpage:.1f}x"
        )
        print(
            f"full-text search over {N_REVIEWS} reviews: {search * 1000:.1f} ms, "
            f"raw FTS {fsearch * 1000:.1f} ms, ratio {search / fsearch:.1f}x"
        )


if __name__ == "__main__":
    main()
