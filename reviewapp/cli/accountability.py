"""The `review` command's AI involvement, editorial responsibility and scope options, and what
`reviewapp review ID` prints with no option: the record, and the disclosure line it offers."""

from __future__ import annotations

import argparse
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from reviewapp.core import scales
from reviewapp.core.disclosure import DisclosureLine, find_disclosures
from reviewapp.core.errors import BadInput
from reviewapp.core.model import AiInvolvement, EditorialResponsibility, ReviewData, ReviewScope
from reviewapp.core.sourcetypes import SOURCE_TYPE, source_type_label, suggested_source_type
from reviewapp.core.states import AiAssisted, AiRole
from reviewapp.export.accountability import NOT_RECORDED

if TYPE_CHECKING:
    from reviewapp.cli import Context

# --scope words, by ReviewScope field
SCOPE_WORDS = {"claims": "claims_checked", "sources": "sources_assessed"}
SCOPE_WORDS["corrections"] = "corrections_requested"
NONE = "none"


def add_options(p: argparse.ArgumentParser) -> None:
    """The review command's options for AI involvement, responsibility and scope."""
    ai = p.add_argument_group(
        "AI involvement (as the writer declared it; each option replaces what was recorded)"
    )
    ai.add_argument(
        "--ai-assisted", choices=[a.value for a in AiAssisted], help="did AI help write it?"
    )
    ai.add_argument(
        "--ai-unknown-reason", metavar="TEXT", help="why it cannot be known (with unknown)"
    )
    ai.add_argument(
        "--ai-tool",
        action="append",
        metavar="TOOL",
        help="a tool and its version as the writer named it, e.g. 'Claude 3.5 Sonnet' "
        "(repeat for several; '' clears)",
    )
    ai.add_argument(
        "--ai-role",
        action="append",
        choices=[*(r.value for r in AiRole), NONE],
        help="what the AI did (repeat for several; none clears)",
    )
    ai.add_argument(
        "--ai-role-other", metavar="TEXT", help="what else it did (with --ai-role other)"
    )
    ai.add_argument(
        "--ai-source-type",
        choices=(*SOURCE_TYPE, NONE),
        metavar="CODE",
        help="the IPTC digital source type: " + ", ".join(SOURCE_TYPE) + " (or none); "
        "default: the one the roles suggest",
    )
    ai.add_argument(
        "--ai-disclosure",
        metavar="TEXT",
        help="the writer's disclosure line, pinned to the draft when it is there ('' clears)",
    )
    ai.add_argument(
        "--accept-disclosure",
        type=int,
        nargs="?",
        const=1,
        metavar="K",
        help="record the disclosure line found in the draft (the K-th, default the first) "
        "that `reviewapp review ID` suggests",
    )
    who = p.add_argument_group("editorial responsibility and review scope")
    who.add_argument("--responsible", metavar="NAME", help="who holds editorial responsibility")
    who.add_argument(
        "--responsible-role", metavar="ROLE", help="their role, e.g. 'Managing editor'"
    )
    who.add_argument("--responsible-contact", metavar="CONTACT", help="a public email or address")
    who.add_argument(
        "--scope",
        metavar="LIST",
        help="what you attest the review covered, comma-separated: claims (every factual claim "
        "checked against sources), sources (checked for reliability), corrections (requested "
        "from the writer); none for nothing",
    )


def any_given(args: argparse.Namespace) -> bool:
    names = (
        "ai_assisted",
        "ai_unknown_reason",
        "ai_tool",
        "ai_role",
        "ai_role_other",
        "ai_source_type",
        "ai_disclosure",
        "accept_disclosure",
        "responsible",
        "responsible_role",
        "responsible_contact",
        "scope",
    )
    return any(getattr(args, n) is not None for n in names)


def parse_scope(text: str) -> ReviewScope:
    """--scope claims,sources,corrections (or none) as a ReviewScope; BadInput otherwise."""
    words = [w.strip() for w in text.split(",") if w.strip()]
    if words == [NONE]:
        return ReviewScope()
    unknown = [w for w in words if w not in SCOPE_WORDS]
    if unknown or not words:
        raise BadInput(
            f"--scope takes {', '.join(SCOPE_WORDS)} (comma-separated) or none, not {text!r}"
        )
    return ReviewScope(**{SCOPE_WORDS[w]: True for w in words})


def suggestions(data: ReviewData) -> list[tuple[int, DisclosureLine]]:
    """The disclosure lines found in the review's draft, numbered as --accept-disclosure
    counts them, except the one already recorded."""
    pinned = data.ai.disclosure_span(data.revision.text)
    found = enumerate(find_disclosures(data.revision.text), start=1)
    return [(n, d) for n, d in found if (d.start, d.end) != pinned]


def _new_ai(args: argparse.Namespace, data: ReviewData, ctx: Context) -> AiInvolvement:
    ai = data.ai
    if args.ai_assisted is not None:
        ai = replace(ai, assisted=args.ai_assisted)
    if args.ai_unknown_reason is not None:
        ai = replace(ai, unknown_reason=args.ai_unknown_reason)
    if args.ai_tool is not None:
        ai = replace(ai, tools="; ".join(t.strip() for t in args.ai_tool if t.strip()))
    if args.ai_role is not None:
        roles = () if args.ai_role == [NONE] else tuple(args.ai_role)
        if NONE in roles:
            raise BadInput("--ai-role none clears the roles; give it alone")
        ai = replace(ai, roles=roles)
        if AiRole.OTHER not in ai.roles and args.ai_role_other is None:
            ai = replace(ai, role_other="")
    if args.ai_role_other is not None:
        ai = replace(ai, role_other=args.ai_role_other)
    if args.ai_disclosure is not None:
        ai = _typed_disclosure(ai, args.ai_disclosure, data.revision.text)
    if args.accept_disclosure is not None:
        ai = _accepted(ai, args.accept_disclosure, data)
    if args.ai_source_type is not None:
        ai = replace(ai, source_type="" if args.ai_source_type == NONE else args.ai_source_type)
    elif not ai.source_type and (args.ai_role is not None or args.ai_assisted is not None):
        suggested = suggested_source_type(ai.assisted, ai.roles)
        if suggested:
            ai = replace(ai, source_type=suggested)
            ctx.note(
                f"digital source type: {suggested} ({source_type_label(suggested)}), as the "
                "answers suggest; change it with --ai-source-type"
            )
    return ai


def _typed_disclosure(ai: AiInvolvement, text: str, draft: str) -> AiInvolvement:
    """The disclosure as typed: pinned where it occurs once in the draft, else unpinned."""
    text = text.strip()
    found = draft.find(text) if text else -1
    if found >= 0 and draft.find(text, found + 1) < 0:
        return replace(
            ai, disclosure=text, disclosure_start=found, disclosure_end=found + len(text)
        )
    return replace(ai, disclosure=text, disclosure_start=None, disclosure_end=None)


def _accepted(ai: AiInvolvement, k: int, data: ReviewData) -> AiInvolvement:
    found = find_disclosures(data.revision.text)
    if not found:
        raise BadInput(f"no disclosure line was found in the draft of review {data.review.id}")
    if not 1 <= k <= len(found):
        raise BadInput(f"--accept-disclosure {k}: the draft has {len(found)} disclosure line(s)")
    line = found[k - 1]
    return replace(ai, disclosure=line.text, disclosure_start=line.start, disclosure_end=line.end)


def _new_responsibility(
    args: argparse.Namespace, old: EditorialResponsibility
) -> EditorialResponsibility:
    return EditorialResponsibility(
        old.holder if args.responsible is None else args.responsible,
        old.role if args.responsible_role is None else args.responsible_role,
        old.contact if args.responsible_contact is None else args.responsible_contact,
    )


def apply(args: argparse.Namespace, ctx: Context) -> None:
    """Write what the options say, in one transaction (nothing when an option is bad)."""
    store = ctx.store()
    data = store.load_review(args.id)
    scope = parse_scope(args.scope) if args.scope is not None else None
    ai = _new_ai(args, data, ctx)
    store.set_accountability(
        args.id, ai=ai, responsibility=_new_responsibility(args, data.responsibility), scope=scope
    )


def summary_line(data: ReviewData) -> str:
    """One line for `show`: AI involvement and who is responsible (details: `review ID`)."""
    if not data.accountability_recorded:
        return "AI involvement and editorial responsibility: not recorded"
    ai = data.ai
    what = scales.AI_ASSISTED[ai.assisted] if ai.known else "not answered"
    if ai.source_type:
        what += f" ({source_type_label(ai.source_type)})"
    return f"AI: {what} · responsible: {data.responsibility.holder or 'nobody named'}"


def show(data: ReviewData, ctx: Context) -> None:
    """The record as `reviewapp review ID` prints it, with the disclosure it suggests."""
    review = data.review
    ctx.print(f"Review {review.id}: {data.revision.meta.title or '(untitled)'}")
    ctx.print(f"  reviewer: {review.reviewer or '(none)'}")
    verdict = scales.VERDICTS[review.verdict] if review.verdict else "(none)"
    ctx.print(f"  verdict: {verdict}")
    if not data.accountability_recorded:
        ctx.print(f"  {NOT_RECORDED}")
    ai, resp = data.ai, data.responsibility
    assisted = scales.AI_ASSISTED[ai.assisted]
    if ai.assisted == AiAssisted.UNKNOWN:
        assisted += f" ({ai.unknown_reason})" if ai.unknown_reason else " (no reason given)"
    ctx.print("AI involvement")
    ctx.print(f"  assisted: {assisted}")
    ctx.print(f"  tools: {ai.tools or '(none named)'}")
    roles = [scales.AI_ROLES[r] for r in ai.roles]
    if ai.role_other:
        roles.append(f"({ai.role_other})")
    ctx.print(f"  roles: {', '.join(roles) or '(none)'}")
    source = f"{ai.source_type} ({source_type_label(ai.source_type)})" if ai.source_type else ""
    ctx.print(f"  digital source type: {source or '(none)'}")
    ctx.print(f"  disclosure: {ai.disclosure or '(none recorded)'}")
    for n, line in suggestions(data):
        ctx.print(
            f"  suggested disclosure {n}, found in the draft at {line.start}-{line.end}: "
            f"{line.text}\n    (record it with: reviewapp review {review.id} "
            f"--accept-disclosure {n})"
        )
    ctx.print("Editorial responsibility")
    ctx.print(f"  holder: {resp.holder or '(nobody named)'}")
    ctx.print(f"  role: {resp.role or '(none)'}")
    ctx.print(f"  contact: {resp.contact or '(none)'}")
    ctx.print("Review scope (attested by the reviewer)")
    for f in fields(ReviewScope):
        ctx.print(
            f"  [{'x' if getattr(data.scope, f.name) else ' '}] {scales.REVIEW_SCOPE[f.name]}"
        )
