"""Claim memory on the command line: `similar` (checked before) and `reuse` (an earlier check)."""

from __future__ import annotations

import argparse
from typing import Any

from reviewapp.cli import Context
from reviewapp.cli.refs import METAVAR, claim_ref, ref_help
from reviewapp.core import scales
from reviewapp.core.errors import BadInput
from reviewapp.core.stableids import IdKind, kind_of, typed_stable_id
from reviewapp.store import ReviewStore
from reviewapp.workflows.memory import CheckedBefore, checked_before, reuse_check


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "similar",
        help="earlier claims anywhere in the library worded like this one, with their checks",
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument("number", metavar=METAVAR, help=ref_help(IdKind.CLAIM))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_similar)

    p = sub.add_parser(
        "reuse",
        help="reuse an earlier claim's check: link its sources, quote its note, record where "
        "it came from",
    )
    p.add_argument("id", type=int, help="review id (not signed off)")
    p.add_argument("number", metavar=METAVAR, help=ref_help(IdKind.CLAIM))
    p.add_argument(
        "--from",
        dest="origin",
        required=True,
        metavar="R:N|ID",
        help="the earlier claim: review R's claim N (number or stable id), or a claim's "
        "stable id alone",
    )
    p.set_defaults(handler=cmd_reuse)


def cmd_similar(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    store.review(args.id)  # NotFound names the review, not a claim of it
    claim = claim_ref(store, args.id, args.number)
    found = checked_before(store, claim.id)
    if args.json:
        ctx.print_json([_as_json(item) for item in found])
        return 0
    if not found:
        ctx.print(f"Nothing worded like claim {claim.number} was checked before.")
        return 0
    ctx.print(f"Checked before, like claim {claim.number} \u201c{claim.quote}\u201d:")
    for n, item in enumerate(found, start=1):
        _print_item(ctx, n, item)
    return 0


def _print_item(ctx: Context, n: int, item: CheckedBefore) -> None:
    earlier = item.earlier
    claim = earlier.claim
    review = "signed off" if earlier.signed_off else scales.REVIEW_STATUSES[earlier.review_status]
    title = f" \u201c{earlier.review_title}\u201d" if earlier.review_title else ""
    ctx.print(
        f"  {n}. {item.strength.value}: review {claim.review_id}{title} ({review}), "
        f"claim {claim.number} {claim.stable_id} · {scales.CLAIM_STATUS[claim.status].label} "
        f"· score {item.score:.0f}"
    )
    ctx.print(f"     \u201c{claim.quote}\u201d")
    for label, text in (("note", claim.note), ("correction", claim.correction)):
        if text.strip():
            ctx.print(f"     {label}: " + text.strip().replace("\n", "\n       "))
    for source in earlier.sources:
        stance = claim.stance_of(source.id)
        ctx.print(f"     source ({stance}): {source.title or source.url} {source.url}".rstrip())


def _as_json(item: CheckedBefore) -> dict[str, Any]:
    earlier = item.earlier
    claim = earlier.claim
    return {
        "strength": item.strength.value,
        "score": round(item.score, 1),
        "review": {
            "id": claim.review_id,
            "title": earlier.review_title,
            "status": earlier.review_status.value,
            "signed_off": earlier.signed_off,
        },
        "claim": {
            "id": claim.stable_id,
            "number": claim.number,
            "quote": claim.quote,
            "status": claim.status.value,
            "note": claim.note,
            "correction": claim.correction,
        },
        "sources": [
            {
                "id": s.stable_id,
                "url": s.url,
                "title": s.title,
                "stance": claim.stance_of(s.id).value,
            }
            for s in earlier.sources
        ],
    }


def cmd_reuse(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    store.review(args.id)
    claim = claim_ref(store, args.id, args.number)
    earlier_id = _earlier_claim_id(store, args.origin)
    result = reuse_check(store, claim.id, earlier_id)
    ctx.print(
        f"claim {result.claim.number} reuses {result.origin.label()}: "
        f"{len(result.added_sources)} source(s) copied, "
        f"{len(result.linked_sources)} linked, note quoted"
    )
    return 0


def _earlier_claim_id(store: ReviewStore, origin: str) -> int:
    """The claim --from names: "R:N" (review R, claim number or id N) or a claim's stable id."""
    text = origin.strip()
    stable_id = typed_stable_id(text)
    if stable_id is not None and ":" not in text:
        owner = store.stable_id_owner(stable_id) if kind_of(stable_id) == IdKind.CLAIM else None
        if owner is None:
            raise BadInput(f"no claim has the id {stable_id}; nothing was changed")
        return owner[1]
    review, sep, ref = text.partition(":")
    if not sep or not review.strip().isdigit() or not ref.strip() or len(review.strip()) > 18:
        raise BadInput(
            f"--from {origin!r}: give the earlier claim as R:N (review R, claim N), "
            "e.g. --from 12:3, or a claim id like c-7k3m9q2a"
        )
    store.review(int(review))
    return claim_ref(store, int(review), ref).id
