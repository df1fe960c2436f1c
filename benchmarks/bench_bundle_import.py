"""Benchmark: importing large legitimate bundles, against a floor measured in the same run.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_bundle_import.py [--claims 2000]

Three bundles near the 64 MB default limit, each imported by `reviewapp import-bundle` in its
own process (wall time and peak RSS):
1. raw HTML: two revisions, each with 20 MB of raw source (the ingest limit) and 2.5 MB of text;
2. text: two revisions of 15.5 MB of text holding one astral character, so Python stores it
   at 4 bytes a character (the worst case for memory per byte);
3. signed: a signed-off review with --claims claims, each linked to its own source (verifying
   renders the Markdown again; 5,000 is the reader's cap and takes ~90 s to build).
The floor for each is a process that only reads the file and runs json.loads on it. Every
import must stay within 20 s and 1 GB.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewapp.core.model import (  # noqa: E402
    AiInvolvement,
    ArticleMeta,
    EditorialResponsibility,
    ImportedDraft,
)
from reviewapp.core.text import build_document  # noqa: E402
from reviewapp.export.bundle import store_bundle  # noqa: E402
from reviewapp.secrets import MemorySecretStore  # noqa: E402
from reviewapp.store import ReviewStore  # noqa: E402
from reviewapp.workflows.signoff import sign_off  # noqa: E402

BUDGET_SECONDS, BUDGET_MB = 20.0, 1024.0
WORDS = ("the", "editor", "checks", "every", "claim", "against", "its", "source", "before")
# Runs argv[1:] as the CLI (or, with --floor FILE, only reads and parses FILE) and prints the
# process's peak RSS in KB on stderr's last line. VmHWM, not getrusage: ru_maxrss survives
# fork and exec, so a child would report this (large) process's peak.
CHILD = """
import json, re, sys
if sys.argv[1] == "--floor":
    json.loads(open(sys.argv[2], "rb").read())
    code = 0
else:
    from reviewapp.cli import main
    code = main(sys.argv[1:])
status = open("/proc/self/status").read()
print(re.search(r"VmHWM:\\s+(\\d+)", status).group(1), file=sys.stderr)
sys.exit(code)
"""


def _paragraphs(megabytes: float, astral: bool) -> list[str]:
    rng = random.Random(1)
    count = int(megabytes * 1e6 / 280)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(40)) + f" {n}." for n in range(count)]
    if astral:
        paragraphs[0] += " 😀"
    return paragraphs


def _article(store: ReviewStore, paragraphs: list[str], raw: bytes, revisions: int) -> int:
    """A review of an article with this many revisions of the same text and raw bytes."""

    def draft(extra: list[str]) -> ImportedDraft:
        document = build_document(
            [("heading", "Big", 1), *(("paragraph", p) for p in paragraphs + extra)]
        )
        return ImportedDraft(
            document, ArticleMeta(title="Big"), raw, "text/html", "bench", "big.html"
        )

    review_id = store.add_article(draft([]))
    for n in range(1, revisions):  # the article's later drafts (no claims to carry over)
        store.add_revision(review_id, draft([f"Added {n}."]), {})
    return review_id


def raw_html_bundle(folder: Path) -> Path:
    with ReviewStore(folder / "raw.db") as store:
        paragraphs = _paragraphs(2.5, astral=False)
        html = "".join(f"<p>{p}</p>" for p in paragraphs).encode()
        raw = (html * (20 * 1024 * 1024 // len(html) + 1))[: 20 * 1024 * 1024]
        review_id = _article(store, paragraphs, raw, revisions=2)
        path = folder / "raw.json"
        path.write_bytes(store_bundle(store, store.load_review(review_id)))
    return path


def text_bundle(folder: Path) -> Path:
    with ReviewStore(folder / "text.db") as store:
        review_id = _article(store, _paragraphs(15.5, astral=True), b"<p>small</p>", revisions=2)
        path = folder / "text.json"
        path.write_bytes(store_bundle(store, store.load_review(review_id)))
    return path


def signed_bundle(folder: Path, claims: int) -> Path:
    with ReviewStore(folder / "signed.db") as store:
        paragraphs = [f"Sentence number {n} says a thing." for n in range(claims)]
        review_id = _article(store, paragraphs, b"raw", revisions=1)
        with store.transaction():
            for n in range(claims):
                claim = store.add_claim_by_quote(
                    review_id, f"Sentence number {n} says", status="verified"
                )
                store.add_source(review_id, [claim.id], url=f"https://example.org/{n}")
        store.set_review(review_id, reviewer="Ada Editor", verdict="publish")
        store.set_accountability(
            review_id,
            ai=AiInvolvement("yes", tools="ExampleWriter 2"),
            responsibility=EditorialResponsibility("The Daily Example"),
        )
        sign_off(store, review_id, "Ada Editor", "ada@example.org", secrets=MemorySecretStore())
        path = folder / "signed.json"
        path.write_bytes(store_bundle(store, store.load_review(review_id)))
    return path


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB of one child process; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {args}: {done.stderr.strip()}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="only a signed bundle of 200 claims")
    options = parser.parse_args()
    if options.quick:
        options.claims = 200
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bundles = (
            {}
            if options.quick
            else {
                "raw HTML (2 x 20 MB raw)": raw_html_bundle(folder),
                "text (2 x 15.5 MB, astral)": text_bundle(folder),
            }
        )
        bundles[f"signed, {options.claims} claims"] = signed_bundle(folder, options.claims)
        print(
            f"{'bundle':32} {'MB':>6} {'import s':>9} {'peak MB':>8} {'floor s':>8} {'floor MB':>9}"
        )
        for n, (name, path) in enumerate(bundles.items()):
            seconds, peak = run(["--db", str(folder / f"target{n}.db"), "import-bundle", str(path)])
            floor_seconds, floor_peak = run(["--floor", str(path)])
            within = "ok" if seconds <= BUDGET_SECONDS and peak <= BUDGET_MB else "OVER BUDGET"
            size = path.stat().st_size / 1e6
            print(
                f"{name:32} {size:6.1f} {seconds:9.2f} {peak:8.0f} {floor_seconds:8.2f} "
                f"{floor_peak:9.0f}  x{peak / floor_peak:.1f} memory  {within}"
            )


if __name__ == "__main__":
    main()
