"""Benchmark: our HTML extraction against bare trafilatura.extract on the evaluation corpus.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_import.py [--corpus DIR] [--limit N]

DIR is the evaluation corpus, kept outside the repository (default: ../shared/corpus).

Prints precision, recall and F1 (4-word shingles, scored by the corpus's own score.py) and
milliseconds per page for our extractor (the document's canonical text without its title)
and for trafilatura.extract with default settings (the floor), measured in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewapp.core.errors import BadInput  # noqa: E402
from reviewapp.core.model import ImportedDraft  # noqa: E402
from reviewapp.core.text import BLOCK_SEPARATOR  # noqa: E402
from reviewapp.ingest import IngestSettings, extract_html  # noqa: E402

# Beside the checkout, or where REVIEWAPP_CORPUS says (a git worktree sits elsewhere).
DEFAULT_CORPUS = Path(os.environ.get("REVIEWAPP_CORPUS", ROOT.parent / "shared" / "corpus"))


def load_scorer(corpus: Path) -> ModuleType:
    """The corpus ships its metric as score.py; import it by path rather than copy it."""
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {corpus}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def body_text(draft: ImportedDraft) -> str:
    """The canonical text without the title block the importer puts first."""
    blocks = list(draft.document.blocks)
    if blocks and blocks[0].kind == "heading" and blocks[0].text == draft.meta.title:
        blocks = blocks[1:]
    return BLOCK_SEPARATOR.join(b.text for b in blocks)


def ours(settings: IngestSettings) -> Callable[[dict], str]:
    def run(page: dict) -> str:
        try:
            return body_text(extract_html(page["raw"], url=page["url"], settings=settings))
        except BadInput:
            return ""

    return run


def floor(page: dict) -> str:
    import trafilatura

    return trafilatura.extract(page["html"], url=page["url"] or None) or ""


def measure(name: str, extract: Callable[[dict], str], pages: list[dict], score: ModuleType):
    extract(pages[0])  # warm-up: first-call imports and caches are not the extractor's speed
    triples, times, empty = [], [], 0
    for page in pages:
        start = time.perf_counter()
        text = extract(page)
        times.append(time.perf_counter() - start)
        empty += not text.strip()
        triples.append(score.tp_fp_fn(page["truth"], text))
    result = score.aggregate(triples)
    result.update(
        name=name,
        ms=1000 * statistics.mean(times),
        median_ms=1000 * statistics.median(times),
        empty=empty,
    )
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument(
        "--variants",
        action="store_true",
        help="also run ours with fast=False (trafilatura's fallbacks)",
    )
    parser.add_argument("--quick", action="store_true", help="the first 5 pages (--limit 5)")
    args = parser.parse_args(argv)
    if args.quick:
        args.limit = args.limit or 5
    if args.quick and not args.corpus.is_dir():  # CI without the corpus: nothing to run
        print(f"skipped: no corpus at {args.corpus}")
        return

    score = load_scorer(args.corpus)
    pages = score.load_corpus(args.corpus)
    for page in pages:
        path = page["path"]
        data = path.read_bytes()
        page["raw"] = gzip.decompress(data) if path.name.endswith(".gz") else data
    if args.limit:
        pages = pages[: args.limit]

    runs = [
        ("trafilatura.extract (floor)", floor),
        ("reviewapp extract_html", ours(IngestSettings())),
    ]
    if args.variants:
        slow = dataclasses.replace(IngestSettings(), fast=False)
        runs.append(("reviewapp, fast=False", ours(slow)))
    results = [measure(name, fn, pages, score) for name, fn in runs]

    print(f"{len(pages)} pages from {args.corpus}")
    header = ("extractor", "P", "R", "F1", "ms/page", "median", "empty")
    print("{:<30} {:>6} {:>6} {:>6} {:>8} {:>7} {:>5}".format(*header))
    for r in results:
        print(
            f"{r['name']:<30} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
            f"{r['ms']:8.1f} {r['median_ms']:7.1f} {r['empty']:5d}"
        )
    base = results[0]["ms"]
    for r in results[1:]:
        print(f"time ratio {r['name']} / floor: {r['ms'] / base:.2f}")


if __name__ == "__main__":
    main()
