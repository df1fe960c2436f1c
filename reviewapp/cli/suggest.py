"""`reviewapp suggest`: the check-worthy sentences of a review's current revision, what the
editor decided for each and the coverage line; `--accept K` makes one a claim, `--dismiss K
--reason TEXT` records why it needs none."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from reviewapp.core.coverage import ENGLISH_ONLY, Coverage, Decision, Suggestion
from reviewapp.core.errors import BadInput
from reviewapp.workflows.suggestions import (
    DISMISS_REASONS,
    accept_suggestion,
    coverage_for,
    dismiss_suggestion,
)

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context

__all__ = ["ENGLISH_ONLY", "register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "suggest",
        help="list the sentences of a review's current revision that look check-worthy "
        "(number K, score, reasons, what was decided), found offline; --accept K or "
        "--dismiss K --reason TEXT to decide one",
        description="K is a suggestion's number in the listing or its key (START-END-HASH, "
        "shown by --json). Common reasons to dismiss: " + "; ".join(DISMISS_REASONS) + ".",
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument("--json", action="store_true")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--accept", metavar="K", help="make suggestion K a claim")
    act.add_argument("--dismiss", metavar="K", help="record that suggestion K needs no claim")
    p.add_argument("--reason", help="with --dismiss: why the sentence needs no claim")
    p.add_argument(
        "--start", type=int, help="with --accept: claim only from this offset (code points)"
    )
    p.add_argument("--end", type=int, help="with --accept: claim only up to this offset")
    p.add_argument("--reviewer", help="who decides (default: the review's reviewer)")
    p.set_defaults(handler=cmd_suggest)


def cmd_suggest(args: argparse.Namespace, ctx: Context) -> int:
    _check_options(args)
    store = ctx.store()
    if args.accept is None and args.dismiss is None:
        review = store.review(args.id)
        number = store.revision(review.revision_id).number
        found = coverage_for(store, args.id)
        if args.json:
            ctx.print_json(suggestions_json(args.id, number, found))
        else:
            _print_listing(ctx, args.id, number, found)
        return 0
    review = store.review(args.id, to_edit=True)
    reviewer = review.reviewer if args.reviewer is None else args.reviewer
    found = coverage_for(store, args.id)
    if args.accept is not None:
        key = _key(found, args.accept, args.id)
        claim = accept_suggestion(
            store, args.id, key, start=args.start, end=args.end, reviewer=reviewer
        )
        ctx.print(claim)
        ctx.note(f"suggestion {args.accept} is now claim {claim} of review {args.id}")
        return 0
    key = _key(found, args.dismiss, args.id)
    dismiss_suggestion(store, args.id, key, args.reason or "", reviewer=reviewer)
    ctx.note(f"suggestion {args.dismiss} of review {args.id} dismissed: {args.reason.strip()}")
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Options that only belong with another one; BadInput before anything is read."""
    if args.reason is not None and args.dismiss is None:
        raise BadInput("--reason goes with --dismiss K")
    if args.dismiss is not None and not (args.reason or "").strip():
        raise BadInput("--dismiss K needs --reason TEXT (why the sentence needs no claim)")
    if (args.start is not None or args.end is not None) and args.accept is None:
        raise BadInput("--start and --end go with --accept K")
    if (args.start is None) != (args.end is None):
        raise BadInput("give both --start and --end, or neither (the whole sentence)")
    if args.reviewer is not None and args.accept is None and args.dismiss is None:
        raise BadInput("--reviewer goes with --accept K or --dismiss K")
    if args.json and (args.accept is not None or args.dismiss is not None):
        raise BadInput("--json lists the suggestions; it does not go with --accept or --dismiss")


def _key(found: Coverage, given: str, review_id: int) -> str:
    """The key of suggestion GIVEN: its number K in the listing, or its key."""
    text = given.strip()
    if text.isdigit():
        k = int(text)
        if not 1 <= k <= len(found.suggestions):
            raise BadInput(
                f"review {review_id} has no suggestion {k} (it has {len(found.suggestions)}; "
                f"`reviewapp suggest {review_id}` lists them)"
            )
        return found.suggestions[k - 1].key
    return text  # a key: the workflow says when no suggestion has it


def _decision(s: Suggestion) -> str:
    if s.decision is Decision.CLAIMED:
        many = len(s.claim_numbers) != 1
        by = f" by {s.decided_by}" if s.decided_by else ""
        numbers = ", ".join(map(str, s.claim_numbers))
        return f"claimed{by} ({'claims' if many else 'claim'} {numbers})"
    if s.decision is Decision.DISMISSED:
        by = f" by {s.decided_by}" if s.decided_by else ""
        return f"dismissed{by} {s.decided_at}: {s.dismissal_reason}"
    return "OPEN"


def _print_listing(ctx: Context, review_id: int, revision: int, found: Coverage) -> None:
    if not found.english:
        ctx.print(f"Review {review_id}, revision {revision}: {ENGLISH_ONLY}.")
        return
    rule = (
        "sign-off requires every one examined"
        if found.enforced
        else "this library does not require them all examined before sign-off"
    )
    ctx.print(
        f"Review {review_id}, revision {revision}: {found.summary()} "
        f"(score >= {found.threshold}, of {found.sentences} sentences); {rule}"
    )
    for k, s in enumerate(found.suggestions, start=1):
        ctx.print(f"  {k}. {s.score:.2f}  {', '.join(s.reasons)}  [{_decision(s)}]")
        ctx.print(f"     {s.text}")


def suggestions_json(review_id: int, revision: int, found: Coverage) -> dict[str, Any]:
    """The listing as JSON: every suggestion with K, its key (offsets and hash), score,
    reasons, sentence and decision; `english` false (and a note) when the text is not
    English."""
    return {
        "review": review_id,
        "revision": revision,
        "english": found.english,
        **({} if found.english else {"note": ENGLISH_ONLY}),
        "threshold": found.threshold,
        "sentences": found.sentences,
        "examined": found.examined,
        "total": found.total,
        "enforced": found.enforced,
        "suggestions": [
            {
                "k": k,
                "key": s.key,
                "start": s.start,
                "end": s.end,
                "hash": s.key.rsplit("-", 1)[-1],
                "score": s.score,
                "reasons": [r.value for r in s.reasons],
                "text": s.text,
                "decision": s.decision.value,
                "claims": list(s.claim_numbers),
                "reason": s.dismissal_reason,
                "decided_by": s.decided_by,
                "decided_at": s.decided_at,
            }
            for k, s in enumerate(found.suggestions, start=1)
        ],
    }
