"""The command that lists check-worthiness suggestions for a review's current revision
(read-only: nothing is stored)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from reviewapp.core.checkworthy import Assessment, Scored, assess

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context

ENGLISH_ONLY = "suggestions are English-only, and this text does not read as English"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "suggest",
        help="list the sentences of a review's current revision that look check-worthy "
        "(number K, score, reasons, sentence), found offline",
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_suggest)


def cmd_suggest(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    review = store.review(args.id)
    revision = store.revision(review.revision_id)
    assessment = assess(revision.text)
    suggestions = assessment.suggestions()
    if args.json:
        ctx.print_json(suggestions_json(args.id, revision.number, assessment, suggestions))
        return 0
    if not assessment.english:
        ctx.print(f"Review {args.id}, revision {revision.number}: {ENGLISH_ONLY}.")
        return 0
    ctx.print(
        f"Review {args.id}, revision {revision.number}: {len(suggestions)} of "
        f"{len(assessment.scored)} sentences look check-worthy "
        f"(score >= {assessment.threshold})"
    )
    for k, s in enumerate(suggestions, start=1):
        ctx.print(f"  {k}. {s.score:.2f}  {', '.join(s.reasons)}")
        ctx.print(f"     {s.sentence.text}")
    return 0


def suggestions_json(
    review_id: int, revision: int, assessment: Assessment, suggestions: list[Scored]
) -> dict[str, Any]:
    """The listing as JSON: every suggestion with K, its offsets and hash (its key), score,
    reasons and sentence; `english` false (and a note) when the text is not English."""
    return {
        "review": review_id,
        "revision": revision,
        "english": assessment.english,
        **({} if assessment.english else {"note": ENGLISH_ONLY}),
        "threshold": assessment.threshold,
        "sentences": len(assessment.scored),
        "suggestions": [
            {
                "k": k,
                "start": s.sentence.start,
                "end": s.sentence.end,
                "hash": s.text_hash,
                "score": s.score,
                "reasons": [r.value for r in s.reasons],
                "text": s.sentence.text,
            }
            for k, s in enumerate(suggestions, start=1)
        ],
    }
