"""Benchmark: coverage of check-worthiness suggestions (issue 16) on a long article.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_coverage.py [--quick]

The article is the bundled sample draft repeated to about 100,000 words (--quick: 20,000),
with a claim every 300 characters. It prints, beside a floor measured in the same run (assessing
the text once, which the suggestions cost anyway):

- the first coverage of the text (it assesses the text, then matches claims and dismissals);
- coverage again (what the gate, the Sign Off dialog and the header ask on each change: the
  assessment is remembered, so only the matching is paid), and the gate itself;
as milliseconds and as ratios to the floor. Goal: asking again costs a small part of the floor
(well under one frame of the Sign Off dialog's checklist on an ordinary article).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewapp.core import coverage as cov  # noqa: E402
from reviewapp.core.checkworthy import assess  # noqa: E402
from reviewapp.core.gate import gate_problems  # noqa: E402
from reviewapp.core.model import (  # noqa: E402
    ArticleMeta,
    Claim,
    Review,
    ReviewData,
    Revision,
    SuggestionRecord,
)
from reviewapp.core.states import AnchorState, ClaimStatus, ReviewStatus  # noqa: E402
from reviewapp.core.text import build_document  # noqa: E402

SAMPLE = ROOT / "seeds" / "amazon-anthropic-ai-assisted-draft.txt"


def article(words: int) -> str:
    paragraphs = [p.strip() for p in SAMPLE.read_text(encoding="utf-8").split("\n") if p.strip()]
    out: list[str] = []
    while sum(len(p.split()) for p in out) < words:
        out.extend(paragraphs)
    return build_document([("paragraph", p) for p in out]).text


def claims_on(text: str, every: int = 300) -> list[Claim]:
    return [
        Claim(
            id=n,
            review_id=1,
            number=n,
            quote=text[start : start + 40],
            prefix="",
            suffix="",
            start=start,
            end=start + 40,
            revision_id=1,
            status=ClaimStatus.OPINION,
            note="",
            correction="",
            anchor_state=AnchorState.ANCHORED,
        )
        for n, start in enumerate(range(0, len(text) - 40, every), start=1)
    ]


def best_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20,000 words, fewer repetitions")
    args = parser.parse_args()
    words, repeat = (20_000, 2) if args.quick else (100_000, 5)
    text = article(words)
    claims = claims_on(text)
    record = SuggestionRecord()
    floor = best_ms(lambda: assess(text), repeat)
    first = []
    for _ in range(repeat):
        cov._assessed.cache_clear()
        began = time.perf_counter()
        found = cov.coverage(text, claims, record)
        first.append((time.perf_counter() - began) * 1000)
    again = best_ms(lambda: cov.coverage(text, claims, record), repeat)
    revision = Revision(1, 1, 1, text, (), "", ArticleMeta(), "", "", "", "")
    review_data = ReviewData(
        review=Review(1, 1, 1, "Ada", ReviewStatus.IN_REVIEW, "publish", "", ""),
        revision=revision,
        claims=claims,
        sources=[],
        takeaways=[],
        signoffs=[],
        suggestions=record,
    )
    gate = best_ms(lambda: gate_problems(review_data), repeat)
    n_words = len(text.split())
    print(
        f"article: {n_words:,} words, {found.sentences:,} sentences, {found.total:,} suggestions, "
        f"{len(claims):,} claims"
    )
    print(f"floor: assess the text once: {floor:.0f} ms")
    print(
        f"first coverage (assesses): {statistics.median(first):.0f} ms "
        f"({statistics.median(first) / floor:.2f} x floor)"
    )
    print(f"coverage asked again: {again:.1f} ms ({again / floor:.3f} x floor)")
    print(f"sign-off gate asked again: {gate:.1f} ms ({gate / floor:.3f} x floor)")


if __name__ == "__main__":
    main()
