"""Benchmark: check-worthiness suggestions against the hand-labelled evaluation set.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_checkworthy.py [--corpus DIR] [--quick] [--show-errors]

The labels (`benchmarks/checkworthy/*.tsv`, rule in `RULE.md`) name sentences of the
evaluation corpus (DIR, kept outside the repository; default ../shared/corpus) by article, code
point offsets and a hash, never by their text: the texts are read from DIR/truth here. Without
the corpus it says so and exits 0 (there is nothing to measure).

It prints, for each labelled set (the development set `labels.tsv`, and the held-out set
`heldout.tsv` that no adjustment of the detector has looked at):

- precision, recall and F1 of `reviewapp.core.checkworthy` at its default threshold (goal:
  recall >= 0.90 at precision >= 0.70);
- a precision-recall table over thresholds;
- the same figures for the naive rule "has a digit or a capitalised word after the first";
- the reasons behind the false positives and the false negatives (counts; --show-errors also
  prints the sentences, for reading on a terminal: never paste them into the repository);
- how often pysbd (when installed) starts a sentence where the core splitter does;
- milliseconds to assess a 100,000-word article built from the corpus (goal < 500), beside a
  floor measured in the same run (splitting it into sentences only). --quick times 20,000
  words once, for CI.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewapp.core.checkworthy import (  # noqa: E402
    DEFAULT_THRESHOLD,
    assess,
    known_names,
    score_sentence,
)
from reviewapp.core.sentences import sentence_hash, split_sentences  # noqa: E402
from reviewapp.core.text import build_document  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SETS = ROOT / "benchmarks" / "checkworthy"
# The first set was measured blind once, then used to adjust the detector (a development set);
# the held-out set was labelled before the adjusted detector ran on it (RULE.md).
LABEL_SETS = (
    ("development set (labels.tsv)", SETS / "labels.tsv"),
    ("held-out set (heldout.tsv)", SETS / "heldout.tsv"),
)
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Item:
    """One labelled sentence, found again in the corpus."""

    article: str
    text: str
    label: bool
    score: float
    reasons: tuple[str, ...]


def article_text(path: Path) -> str:
    """The canonical text the app builds from a corpus article: each non-empty line a paragraph."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return build_document(("paragraph", line) for line in lines if line.strip()).text


def load_items(corpus: Path, labels: Path) -> tuple[list[Item], int]:
    """The labelled sentences of LABELS with their scores, and how many were not found."""
    with labels.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by_article: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_article.setdefault(row["article"], []).append(row)
    items: list[Item] = []
    missing = 0
    for name, labelled in by_article.items():
        path = corpus / "truth" / name
        if not path.is_file():
            missing += len(labelled)
            continue
        text = article_text(path)
        scored = {(s.sentence.start, s.sentence.end): s for s in assess(text).scored}
        by_hash = {sentence_hash(s.text): s for s in split_sentences(text)}
        names = known_names(text)
        for row in labelled:
            start, end = int(row["start"]), int(row["end"])
            span = text[start:end]
            if sentence_hash(span) != row["hash"]:
                # The corpus or the splitter changed: look the sentence up by its hash.
                found = by_hash.get(row["hash"])
                if found is None:
                    missing += 1
                    continue
                start, end, span = found.start, found.end, found.text
            hit = scored.get((start, end))
            score, reasons = (
                (hit.score, hit.reasons) if hit else score_sentence(span, names)
            )  # a span the splitter now cuts differently is still scored whole
            items.append(
                Item(name, span, row["label"] == "1", score, tuple(r.value for r in reasons))
            )
    return items, missing


def prf(predicted: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


_NAIVE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def naive(text: str) -> bool:
    """The baseline: a digit, or a capitalised word after the first word."""
    if any(c.isdigit() for c in text):
        return True
    return any(w[0].isupper() for w in _NAIVE_WORD.findall(text)[1:])


def pysbd_agreement(corpus: Path, articles: list[str]) -> str:
    """Share of pysbd's sentence starts that the core splitter also has, on the labelled
    articles (whole texts), or why it cannot be measured."""
    try:
        import pysbd  # type: ignore[import-not-found]
    except ImportError:
        return "pysbd not installed (pip install pysbd==0.3.4 to compare)"
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    same = theirs = ours = 0
    pysbd_s = core_s = 0.0
    for name in articles:
        text = article_text(corpus / "truth" / name)
        began = time.perf_counter()
        mine = {s.start for s in split_sentences(text)}
        core_s += time.perf_counter() - began
        starts: set[int] = set()
        began = time.perf_counter()
        pos = 0
        for block in text.split("\n\n"):
            for span in segmenter.segment(block):
                starts.add(pos + span.start + len(span.sent) - len(span.sent.lstrip()))
            pos += len(block) + 2
        pysbd_s += time.perf_counter() - began
        same += len(starts & mine)
        theirs += len(starts)
        ours += len(mine)
    return (
        f"{same} of pysbd's {theirs} sentence starts are also the core splitter's "
        f"({same / theirs:.1%}; core has {ours}); time on these articles: "
        f"core {core_s * 1000:.0f} ms, pysbd {pysbd_s * 1000:.0f} ms"
    )


def big_article(corpus: Path, words: int) -> str:
    """English corpus articles one after another until WORDS words (the corpus again if short)."""
    texts = [article_text(p) for p in sorted((corpus / "truth").glob("*.txt"))]
    texts = [t for t in texts if assess(t[:5000]).english]
    parts: list[str] = []
    count = 0
    while count < words and texts:
        for t in texts:
            parts.append(t)
            count += len(t.split())
            if count >= words:
                break
    return "\n\n".join(parts)


def timing(text: str, repeats: int) -> tuple[float, float]:
    """Median milliseconds of assess(TEXT) and of the floor split_sentences(TEXT)."""
    runs, floor = [], []
    for _ in range(repeats):
        began = time.perf_counter()
        split_sentences(text)
        floor.append(time.perf_counter() - began)
        began = time.perf_counter()
        assess(text).suggestions()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs) * 1000, statistics.median(floor) * 1000


def describe(items: list[Item]) -> list[str]:
    """The commonest reason sets among ITEMS, as lines."""
    counts = Counter(", ".join(i.reasons) or "(no reason)" for i in items)
    return [f"    {n:>3}  {combo}" for combo, n in counts.most_common(10)]


def report(items: list[Item], missing: int, show_errors: bool) -> None:
    """Precision, recall and F1 of the detector and of the naive rule on ITEMS, a P-R table
    over thresholds, and the reasons behind the errors."""
    truth = [i.label for i in items]
    print(
        f"{len(items)} sentences from {len({i.article for i in items})} articles, "
        f"{sum(truth)} check-worthy"
        + (f"; {missing} labels NOT FOUND in the corpus" if missing else "")
    )
    p, r, f = prf([i.score >= DEFAULT_THRESHOLD for i in items], truth)
    print(
        f"detector at the default threshold {DEFAULT_THRESHOLD}: precision {p:.3f}, recall "
        f"{r:.3f}, F1 {f:.3f} (goal: recall >= 0.90 at precision >= 0.70)"
    )
    p, r, f = prf([naive(i.text) for i in items], truth)
    print(
        "naive rule (a digit or a capitalised word after the first): "
        f"P {p:.3f}, R {r:.3f}, F1 {f:.3f}"
    )
    print("threshold  precision  recall     F1  suggested")
    for t in THRESHOLDS:
        predicted = [i.score >= t for i in items]
        p, r, f = prf(predicted, truth)
        print(f"{t:>9.1f}  {p:>9.3f}  {r:>6.3f}  {f:>5.3f}  {sum(predicted):>9}")
    fps = [i for i in items if i.score >= DEFAULT_THRESHOLD and not i.label]
    fns = [i for i in items if i.score < DEFAULT_THRESHOLD and i.label]
    print(f"false positives ({len(fps)}), by the reasons that fired:")
    print("\n".join(describe(fps)))
    print(f"false negatives ({len(fns)}), by the reasons that fired:")
    print("\n".join(describe(fns)))
    if show_errors:
        for kind, group in (("FP", fps), ("FN", fns)):
            for i in group:
                print(f"{kind} {i.score:.2f} [{', '.join(i.reasons)}] {i.text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="time 20,000 words once (CI)")
    parser.add_argument("--show-errors", action="store_true", help="print the missed sentences")
    args = parser.parse_args()
    if not (args.corpus / "truth").is_dir():
        print(f"skipped: no evaluation corpus at {args.corpus} (its truth/ folder holds the texts)")
        return 0

    articles: set[str] = set()
    for title, labels in LABEL_SETS:
        items, missing = load_items(args.corpus, labels)
        articles |= {i.article for i in items}
        print(f"== {title}")
        report(items, missing, args.show_errors)

    print("splitter: " + pysbd_agreement(args.corpus, sorted(articles)))

    words = 20_000 if args.quick else 100_000
    text = big_article(args.corpus, words)
    ms, floor = timing(text, 1 if args.quick else 5)
    print(
        f"assess a {len(text.split()):,}-word article: {ms:.0f} ms"
        + ("" if args.quick else " (goal < 500)")
        + f"; floor (sentence split only): {floor:.0f} ms, ratio {ms / floor:.1f}"
        + (" [--quick: one run]" if args.quick else " [median of 5]")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
