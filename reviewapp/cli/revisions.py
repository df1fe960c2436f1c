"""Commands about revisions: diff between two revisions, and settling re-anchored claims
(anchor confirm, anchor reattach, anchor orphan). Importing a revision is `import --revision-of`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reviewapp.cli.articles import read_draft, reading_options
from reviewapp.cli.refs import METAVAR, claim_ref, ref_help
from reviewapp.core.diff import (
    CHANGE_KINDS,
    PassageChange,
    TouchedClaims,
    block_number,
    diff_texts,
    touched_claims,
    unified_diff,
)
from reviewapp.core.errors import BadInput
from reviewapp.core.model import Claim, Revision
from reviewapp.core.scales import ANCHOR_STATES
from reviewapp.core.stableids import IdKind
from reviewapp.store.reviews import ReviewStore

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diff",
        help="what changed between two revisions of a review's article, as a unified diff, "
        "with the claims each change touches",
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument(
        "--from",
        dest="from_number",
        type=int,
        metavar="R1",
        help="revision to compare from (default: the one before --to)",
    )
    p.add_argument(
        "--to",
        dest="to_number",
        type=int,
        metavar="R2",
        help="revision to compare to (default: the current one)",
    )
    p.add_argument("--context", type=int, default=3, metavar="N", help="unchanged lines around")
    p.set_defaults(handler=cmd_diff)

    p = sub.add_parser(
        "check-published",
        help="is the published text the one signed off? exit 0 when it is, 1 when it changed "
        "(the changed passages and the claims they touch are printed)",
    )
    p.add_argument("id", type=int, help="review id (signed off)")
    p.add_argument("source", help="the published version: a URL or a file (it is not stored)")
    p.add_argument("--context", type=int, default=3, metavar="N", help="unchanged lines around")
    reading_options(p)
    p.set_defaults(handler=cmd_check_published)

    anchor = sub.add_parser(
        "anchor", help="settle claims that re-anchoring could not place firmly"
    ).add_subparsers(
        dest="anchor_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = anchor.add_parser("confirm", help="accept the claim on the passage it was placed on")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("number", metavar=METAVAR, help=ref_help(IdKind.CLAIM))
    p.set_defaults(handler=cmd_anchor_confirm)
    p = anchor.add_parser("reattach", help="pin the claim to another quote of the current draft")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("number", metavar=METAVAR, help=ref_help(IdKind.CLAIM))
    p.add_argument("--quote", required=True, help="the exact words of the current draft")
    p.add_argument("--occurrence", type=int, metavar="K", help="which occurrence, when repeated")
    p.set_defaults(handler=cmd_anchor_reattach)
    p = anchor.add_parser(
        "orphan", help="keep the claim with no place in the current draft, with a note"
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument("number", metavar=METAVAR, help=ref_help(IdKind.CLAIM))
    p.add_argument("--note", default="", help="why it is kept (added to the claim's note)")
    p.set_defaults(handler=cmd_anchor_orphan)


# ---------------------------------------------------------------------- diff
def _revision_by_number(store: ReviewStore, review_id: int, number: int) -> Revision:
    revisions = store.revisions(store.review(review_id).article_id)
    for rev in revisions:
        if rev.number == number:
            return rev
    known = ", ".join(str(r.number) for r in revisions)
    raise BadInput(f"review {review_id} has no revision {number}; it has {known}")


def cmd_check_published(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.published import check_published

    draft = read_draft(args, ctx)  # read before the library opens: nothing is stored
    check = check_published(ctx.store(), args.id, draft)
    signed = f"signed revision {check.signed.number}"
    if check.identical:
        apart = f", apart from {' and '.join(check.cosmetic)}" if check.cosmetic else ""
        ctx.print(f"published = reviewed: the published text is the {signed}'s{apart}")
        return 0
    old, new = check.signed, check.published
    ctx.write(unified_diff(old.text, new.text, signed, "published", args.context))
    n = len(check.changes)
    ctx.print(
        f"\nChanged since sign-off: {n} passage{'s' if n != 1 else ''} differ from the {signed}"
    )
    claims = touched_claim_lines(check.changes, check.touched, old, new)
    if claims:
        ctx.print("Claims touched:")
        for line in claims:
            ctx.print(f"  {line}")
    return 1


def cmd_diff(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    review = store.review(args.id)
    if args.context < 0:
        raise BadInput("--context must be 0 or more")
    current = store.revision(review.revision_id)
    to_number = current.number if args.to_number is None else args.to_number
    new = _revision_by_number(store, args.id, to_number)
    if args.from_number is None:
        if to_number <= 1:
            raise BadInput(
                f"review {args.id} has only revision {to_number} to compare; import a newer "
                f"draft with: reviewapp import SOURCE --revision-of {args.id}"
            )
        from_number = to_number - 1
    else:
        from_number = args.from_number
    old = _revision_by_number(store, args.id, from_number)
    diff = unified_diff(
        old.text, new.text, f"revision {old.number}", f"revision {new.number}", args.context
    )
    ctx.write(diff)
    changes = diff_texts(old.text, new.text)
    touched = touched_claims(changes, store.claims(args.id), old, new, review.revision_id)
    for line in summary_lines(changes, touched, old, new):
        ctx.print(line)
    return 0


def summary_lines(
    changes: list[PassageChange], touched: TouchedClaims, old: Revision, new: Revision
) -> list[str]:
    """The summary printed after the unified diff: counts, moved passages, touched claims.

    A unified diff can only show a moved paragraph as removed in one place and added in another;
    the summary says where each one went. Empty when the texts are the same.
    """
    if not changes:
        return []
    counts = [f"{n} {kind}" for kind in CHANGE_KINDS if (n := sum(c.kind == kind for c in changes))]
    lines = [
        "",
        f"Summary: revision {old.number} -> revision {new.number}: "
        f"{', '.join(counts)} passage{'s' if len(changes) != 1 else ''}",
    ]
    moved = [c for c in changes if c.kind == "moved"]
    if moved:
        lines.append("Moved passages:")
        for c in moved:
            words = "its words changed too" if c.edited else "word for word"
            lines.append(
                f"  paragraph {block_number(old.text, c.old_start)} ({c.old_start}-{c.old_end}) "
                f"of revision {old.number} -> paragraph {block_number(new.text, c.new_start)} "
                f"({c.new_start}-{c.new_end}) of revision {new.number}, {words}: "
                f"\u201c{_short(new.text[c.new_start : c.new_end])}\u201d"
            )
    claims = touched_claim_lines(changes, touched, old, new)
    if claims:
        lines.append("Claims touched:")
        lines.extend(f"  {line}" for line in claims)
    return lines


def touched_claim_lines(
    changes: list[PassageChange], touched: TouchedClaims, old: Revision, new: Revision
) -> list[str]:
    """One line per claim a change touches (in claim order), then the claims with no place."""
    if touched.note:
        return [f"({touched.note})"]
    rev, text = (new, new.text) if touched.side == "new" else (old, old.text)
    found = sorted(
        (
            (claim, changes[index])
            for index, claims in touched.by_change.items()
            for claim in claims
        ),
        key=lambda x: x[0].number,
    )
    lines = []
    for claim, change in found:
        start, end = (
            (change.new_start, change.new_end)
            if touched.side == "new"
            else (change.old_start, change.old_end)
        )
        assert claim.start is not None and claim.end is not None  # placeless ones are apart
        lines.append(
            f"claim {claim.number} ({_state(claim)}) touched by {change.kind} passage at "
            f"{start}-{end} of revision {rev.number}: "
            f"\u201c{_short(text[claim.start : claim.end])}\u201d"
        )
    for claim in touched.placeless:
        lines.append(
            f"claim {claim.number} ({_state(claim)}) has no place in revision "
            f"{new.number}: \u201c{_short(claim.quote)}\u201d"
        )
    return lines


def _state(claim: Claim) -> str:
    return ANCHOR_STATES[claim.anchor_state].lower()


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------- anchor
def cmd_anchor_confirm(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.revisions import confirm_claim

    store = ctx.store()
    confirm_claim(store, claim_ref(store, args.id, args.number).id)
    return 0


def cmd_anchor_reattach(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.revisions import reattach_claim_by_quote

    store = ctx.store()
    claim = reattach_claim_by_quote(
        store, claim_ref(store, args.id, args.number).id, args.quote, args.occurrence
    )
    # Numbers follow the text, so the claim may have a new one; its id stays.
    ctx.print(f"claim {claim.number} ({claim.stable_id})")
    return 0


def cmd_anchor_orphan(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.revisions import keep_orphaned

    store = ctx.store()
    keep_orphaned(store, claim_ref(store, args.id, args.number).id, args.note)
    return 0
