"""ReviewStore speed as ratios against raw sqlite3 doing the same work in the same run.

.venv/bin/python benchmarks/bench_store.py [--quick]

--quick: a library of 1,000 reviews and fewer repetitions (CI runs it so that it never rots).
"""

from __future__ import annotations

import argparse
import shutil
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
from reviewapp.store import NewClaim, ReviewStore
from reviewapp.store.claims import CLAIM_ORDER
from reviewapp.store.rows import claim_from_row

N_CLAIMS = 2_000
N_READ = 10_000  # claims of the review read whole (issue 14: a review with 10,000 claims)
N_REVIEWS = 10_000
N_EDITS = 200
BATCHES = 7  # runs of the 2,000-claim batch, each way
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


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the store's durability settings: the floor."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def big_review(tmp: Path) -> tuple[Path, int, list[str]]:
    """A review of a 4,000-word text with no claims yet, and 2,000 unique quotes of it."""
    path = tmp / "big.db"
    store = ReviewStore(path)
    doc = build_document([("paragraph", " ".join(f"word{i}" for i in range(N_CLAIMS * 2)))])
    rid = store.add_article(ImportedDraft(doc, ArticleMeta(title="t"), b"", "text/plain", "", ""))
    store.close()
    return path, rid, [f"word{i} word{i + 1}" for i in range(0, N_CLAIMS * 2, 2)]


def bench_batch_and_edit(tmp: Path, edits: int, batches: int) -> tuple[float, float, float, float]:
    """add_claims of 2,000 claims vs raw inserts of the same rows (one transaction each way),
    the median of `batches` runs of each, taken in turn on fresh copies of the same library
    (a shared machine's noise then falls on both sides alike); then one durable note edit
    (update_claim) vs a raw UPDATE + COMMIT, both on the same schema with its FTS triggers."""
    path, rid, quotes = big_review(tmp)
    ours_times, floor_times_batch = [], []
    for run in range(batches):
        ours_path, raw_path = tmp / f"batch-{run}.db", tmp / f"batch-raw-{run}.db"
        shutil.copy(path, ours_path)
        shutil.copy(path, raw_path)
        store = ReviewStore(ours_path)
        start = time.perf_counter()
        claims = store.add_claims(rid, [NewClaim(q, note="n") for q in quotes])
        ours_times.append(time.perf_counter() - start)
        store.close()

        conn = raw_connection(raw_path)
        revision = conn.execute("SELECT revision_id FROM reviews WHERE id = ?", [rid]).fetchone()
        rows = [
            (rid, revision[0], q, "", "", 14 * i, 14 * i + len(q), "n", "x", "x", f"c-{i:08d}")
            for i, q in enumerate(quotes)
        ]
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(
            'INSERT INTO claims (review_id, revision_id, quote, prefix, suffix, start, "end", '
            "note, created_at, updated_at, stable_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
        floor_times_batch.append(time.perf_counter() - start)
        conn.close()

    # The note edits, on the last copies (2,000 claims each).
    store = ReviewStore(ours_path)
    ids = [c.id for c in claims]
    edit_times = []
    for i in range(edits):
        start = time.perf_counter()
        store.update_claim(ids[i % len(ids)], note=f"note {i}")
        edit_times.append(time.perf_counter() - start)
    store.close()
    conn = raw_connection(raw_path)
    raw_ids = [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY id")]
    floor_times = []
    for i in range(edits):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("UPDATE claims SET note = ? WHERE id = ?", [f"note {i}", raw_ids[i]])
        conn.execute("COMMIT")
        floor_times.append(time.perf_counter() - start)
    conn.close()
    return (
        statistics.median(ours_times),
        statistics.median(floor_times_batch),
        statistics.median(edit_times),
        statistics.median(floor_times),
    )


def bench_claims_read(tmp: Path, n_claims: int, repeat: int) -> tuple[float, float, float]:
    """store.claims() of a review with n_claims claims (each linked to a source every tenth),
    against raw sqlite3 fetching the same rows and links as tuples (the floor) and against the
    generic mapping the read used before (a dict per row, rows.claim_from_row), in turn."""
    path = tmp / "read.db"
    store = ReviewStore(path)
    words = " ".join(f"w{i}" for i in range(n_claims * 2))
    doc = build_document([("paragraph", words)])
    rid = store.add_article(ImportedDraft(doc, ArticleMeta(title="t"), b"", "text/plain", "", ""))
    claims = store.add_claims(rid, [NewClaim(f"w{i} w{i + 1}") for i in range(0, n_claims * 2, 2)])
    source = store.add_source(rid, url="https://example.org/s")
    for claim in claims[::10]:
        store.link(claim.id, source.id, "refutes")
    links_sql = (
        "SELECT cs.claim_id, cs.source_id, cs.stance FROM claim_sources cs JOIN claims c "
        "ON c.id = cs.claim_id WHERE c.review_id = ? ORDER BY cs.source_id"
    )
    rows_sql = f"SELECT * FROM claims WHERE review_id = ? ORDER BY {CLAIM_ORDER}"

    def generic() -> list[object]:
        links: dict[int, dict[int, str]] = {}
        for row in store._db.query(links_sql, [rid]):
            links.setdefault(row["claim_id"], {})[row["source_id"]] = row["stance"]
        return [
            claim_from_row(row, n, list(st), st)
            for n, row in enumerate(store._db.query(rows_sql, [rid]), start=1)
            for st in [links.get(row["id"], {})]
        ]

    conn = raw_connection(path)

    def raw() -> None:
        conn.execute(links_sql, [rid]).fetchall()
        conn.execute(rows_sql, [rid]).fetchall()

    ours, floor, before = [], [], []
    for _ in range(repeat):
        ours.append(timed(lambda: store.claims(rid), 1))
        floor.append(timed(raw, 1))
        before.append(timed(generic, 1))
    conn.close()
    store.close()
    return statistics.median(ours), statistics.median(floor), statistics.median(before)


def bench_library(tmp: Path, n_reviews: int, repeat: int) -> tuple[float, float, float, float]:
    path = tmp / "library.db"
    store = ReviewStore(path)
    with store.transaction():
        for i in range(n_reviews):
            store.add_article(article(i))
    ours_page = timed(lambda: store.list_reviews(limit=100), repeat)
    ours_search = timed(lambda: store.list_reviews(query="reliability 9999", limit=100), repeat)
    store.close()
    conn = sqlite3.connect(path)
    floor_page = timed(
        lambda: conn.execute(
            "SELECT rv.id, r.title FROM reviews rv JOIN revisions r ON r.id = rv.revision_id "
            "ORDER BY rv.updated_at DESC LIMIT 100"
        ).fetchall(),
        repeat,
    )
    floor_search = timed(
        lambda: conn.execute(
            "SELECT review_id FROM search_index WHERE search_index MATCH 'reliability 9999'"
        ).fetchall(),
        repeat,
    )
    conn.close()
    return ours_page, floor_page, ours_search, floor_search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small library, few repetitions")
    args = parser.parse_args()
    n_reviews, repeat, edits = (1_000, 2, 20) if args.quick else (N_REVIEWS, 5, N_EDITS)
    batches = 1 if args.quick else BATCHES
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        batch, fbatch, edit, fedit = bench_batch_and_edit(tmp, edits, batches)
        print(
            f"one note edit (update_claim), median of {edits}: ReviewStore {edit * 1000:.2f} ms, "
            f"raw UPDATE + COMMIT with FTS {fedit * 1000:.2f} ms, ratio {edit / fedit:.1f}x"
        )
        print(
            f"{N_CLAIMS} claims in one batch (add_claims), median of {batches}: "
            f"ReviewStore {batch:.3f} s, "
            f"raw inserts with FTS {fbatch:.3f} s, ratio {batch / fbatch:.1f}x"
        )
        ours, floor = bench_claim_writes(tmp)
        print(
            f"{N_CLAIMS} claims, one transaction each: ReviewStore {ours:.3f} s, "
            f"raw sqlite3 {floor:.3f} s, ratio {ours / floor:.1f}x"
        )
        n_read = 1_000 if args.quick else N_READ
        read, fread, generic = bench_claims_read(tmp, n_read, repeat + 4)
        print(
            f"read a review's {n_read:,} claims (store.claims): {read * 1000:.1f} ms, "
            f"raw sqlite3 fetch of the same rows {fread * 1000:.1f} ms, ratio {read / fread:.1f}x; "
            f"the generic row mapping {generic * 1000:.1f} ms ({generic / read:.1f}x slower)"
        )
        page, fpage, search, fsearch = bench_library(tmp, n_reviews, repeat)
        print(
            f"library page of 100 from {n_reviews} reviews: {page * 1000:.1f} ms, "
            f"raw {fpage * 1000:.1f} ms, ratio {page / fpage:.1f}x"
        )
        print(
            f"full-text search over {n_reviews} reviews: {search * 1000:.1f} ms, "
            f"raw FTS {fsearch * 1000:.1f} ms, ratio {search / fsearch:.1f}x"
        )


if __name__ == "__main__":
    main()
