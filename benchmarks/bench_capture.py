"""Benchmark: capturing a 5 MB page, the part beyond the fetch, against raw sqlite3.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_capture.py [--quick]

A 5 MB HTML page (paragraphs of news-like words) is served by a local http.server on
127.0.0.1. Measured, median of the runs:
- fetch: `fetch_response` over the local socket (reported, not judged: the network's part);
- thin check: is the page a login or block wall? (tags stripped; trafilatura on small pages);
- record: the WARC request + response records with SHA-256 digests, gzip-compressed;
- store: `ReviewStore.add_capture` (one transaction, WAL);
- floor: a raw sqlite3 INSERT of the same record bytes into a BLOB column, in one transaction
  on a WAL database, in the same run.
Goal (issue 17): record + store under 1 s beyond the fetch; the thin check is reported beside
it (it reads the page, it does not store it).
"""

from __future__ import annotations

import argparse
import http.server
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewapp.core.model import utc_now  # noqa: E402
from reviewapp.ingest.capture import build_capture, thin_page  # noqa: E402
from reviewapp.ingest.fetch import fetch_response  # noqa: E402
from reviewapp.ingest.settings import IngestSettings  # noqa: E402
from reviewapp.store import ReviewStore  # noqa: E402
from tests.conftest import make_draft  # noqa: E402

BUDGET = 1.0
WORDS = [
    *[
        "the",
        "company",
        "said",
        "on",
        "Tuesday",
        "that",
        "its",
        "investment",
        "of",
        "four",
        "billion",
        "dollars",
    ],
    *[
        "in",
        "the",
        "startup",
        "would",
        "be",
        "reviewed",
        "by",
        "regulators",
        "before",
        "the",
        "end",
        "of",
        "the",
        "year",
    ],
]


def page(size: int) -> bytes:
    rng = random.Random(17)
    parts = ["<html><head><title>A long report</title></head><body><article><h1>Report</h1>"]
    total = 0
    while total < size:  # sections of 100 paragraphs: within the import's element bounds
        section = (
            "<section>"
            + "".join(
                "<p>" + " ".join(rng.choice(WORDS) for _ in range(80)) + ".</p>\n"
                for _ in range(100)
            )
            + "</section>\n"
        )
        parts.append(section)
        total += len(section)
    parts.append("</article></body></html>")
    return "".join(parts).encode()


def serve(body: bytes) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/report"


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a 1 MB page, two runs")
    args = parser.parse_args()
    size, runs = (1_000_000, 2) if args.quick else (5 * 1024 * 1024, 5)
    body = page(size)
    server, url = serve(body)
    settings = IngestSettings(timeout=60.0)
    figures: dict[str, list[float]] = {k: [] for k in ("fetch", "thin", "record", "store", "floor")}
    try:
        with tempfile.TemporaryDirectory() as folder:
            store = ReviewStore(Path(folder) / "bench.db")
            review_id = store.add_article(make_draft(["A draft that cites a long report."]))
            source_id = store.add_source(review_id, url=url).id
            raw = sqlite3.connect(Path(folder) / "floor.db", isolation_level=None)
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, warc BLOB NOT NULL)")
            for _ in range(runs):
                seconds, response = timed(lambda: fetch_response(url, settings))
                figures["fetch"].append(seconds)
                seconds, thin = timed(
                    lambda r=response: thin_page(
                        r.status, r.decoded, r.content_type, r.final_url, settings
                    )
                )
                figures["thin"].append(seconds)
                seconds, record = timed(lambda r=response, t=thin: build_capture(r, utc_now(), t))
                figures["record"].append(seconds)
                seconds, _ = timed(
                    lambda rec=record: store.add_capture(source_id, rec.capture, rec.warc)
                )
                figures["store"].append(seconds)

                def floor(data: bytes = record.warc) -> None:
                    raw.execute("BEGIN")
                    raw.execute("INSERT INTO t (warc) VALUES (?)", [data])
                    raw.execute("COMMIT")

                figures["floor"].append(timed(floor)[0])
            store.close()
            raw.close()
    finally:
        server.shutdown()
        server.server_close()
    median = {k: statistics.median(v) for k, v in figures.items()}
    beyond = median["record"] + median["store"]
    print(f"page: {len(body) / 2**20:.1f} MB of HTML, {runs} runs, medians")
    print(f"  fetch (local socket, not judged)  {median['fetch'] * 1000:8.1f} ms")
    print(f"  thin check (text size, trafilatura){median['thin'] * 1000:8.1f} ms")
    print(f"  WARC records (SHA-256, gzip)      {median['record'] * 1000:8.1f} ms")
    print(f"  store (add_capture)               {median['store'] * 1000:8.1f} ms")
    print(f"  floor: raw sqlite3 INSERT         {median['floor'] * 1000:8.1f} ms")
    print(
        f"record + store: {beyond * 1000:.1f} ms = {beyond / median['floor']:.1f}x the floor; "
        f"store alone {median['store'] / median['floor']:.2f}x the floor"
    )
    with_thin = beyond + median["thin"]
    verdict = "ok" if beyond < BUDGET else "OVER"
    print(f"goal: record + store under {BUDGET:g} s beyond the fetch: {verdict}")
    print(f"with the thin check: {with_thin * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
