"""Commands that import drafts and annotate reviews: import, list, search, show, claim, source,
takeaway, review."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewapp.cli import accountability
from reviewapp.cli.refs import (
    METAVAR,
    claim_ref,
    is_ref,
    ref_help,
    source_ref,
    takeaway_ref,
)
from reviewapp.core import scales
from reviewapp.core.errors import BadInput, BadItem
from reviewapp.core.model import (
    SOURCE_FIELDS,
    Claim,
    ImportedDraft,
    ReviewData,
    ReviewSummary,
    Revision,
    Signoff,
    Source,
)
from reviewapp.core.stableids import IdKind
from reviewapp.core.states import AnchorState, ClaimStatus, ReviewStatus, Stance, TakeawayKind
from reviewapp.core.userfiles import read_user_file
from reviewapp.export.accountability import accountability_json
from reviewapp.ingest.settings import source_help
from reviewapp.store import NewClaim, ReviewStore

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context
    from reviewapp.workflows.trust import SignerTrust


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="import a draft from a URL or a file; prints the review id")
    p.add_argument("source", help=source_help())
    p.add_argument("--reviewer", default="", help="who reviews it")
    reading_options(p)
    p.add_argument(
        "--revision-of", type=int, metavar="ID", help="import as a newer draft of review ID"
    )
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("list", help="list reviews, newest change first")
    p.add_argument("--status", choices=tuple(scales.REVIEW_STATUSES), default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("search", help="full-text search over articles, claims, sources, takeaways")
    p.add_argument("query")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("show", help="show one review with its claims, sources and takeaways")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    claim = sub.add_parser("claim", help="add, change or remove claims").add_subparsers(
        dest="claim_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = claim.add_parser("add", help="pin a claim (or a file of claims) to quotes of the article")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("--quote", help="the exact words of the claim")
    p.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        type=Path,
        help="add many claims at once, all or none: JSON Lines, one object a line with the "
        "fields of this command (quote, occurrence, status, note, correction)",
    )
    p.add_argument("--occurrence", type=int, metavar="K", help="which occurrence, when repeated")
    _claim_fields(p)
    _added_json(p, "claim")
    p.set_defaults(handler=cmd_claim_add)
    p = claim.add_parser("set", help="change a claim's status, note or correction")
    _review_and_number(p, "claim")
    _claim_fields(p)
    p.add_argument(
        "--source-override",
        metavar="REASON",
        help="sign off without a source for this claim, for this written reason",
    )
    p.add_argument(
        "--stance-override",
        metavar="REASON",
        help="keep a status its sources contradict (verified but only refuted, false but only "
        "supported), for this written reason",
    )
    p.set_defaults(handler=cmd_claim_set)
    p = claim.add_parser("rm", help="remove a claim")
    _review_and_number(p, "claim")
    p.set_defaults(handler=cmd_claim_rm)

    source = sub.add_parser("source", help="add, change or remove sources").add_subparsers(
        dest="source_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = source.add_parser("add", help="add a source and link it to claims")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("--url", default="")
    _source_fields(p)
    _links_option(
        p,
        "link to claim N (a number or a claim id); :refutes or :context says what the source "
        "says about it (plain N: supports; repeatable)",
    )
    _added_json(p, "source")
    p.set_defaults(handler=cmd_source_add)
    p = source.add_parser("set", help="change a source's fields or links")
    _review_and_number(p, "source")
    p.add_argument("--url")
    _source_fields(p)
    _links_option(
        p,
        "link to claim N (a number or a claim id), or change the stance of its link: "
        "N:supports, N:refutes, N:context (plain N: supports; repeatable)",
    )
    _numbers_option(p, "--unlink", "unlink from this claim: number or id (repeatable)")
    p.set_defaults(handler=cmd_source_set)
    p = source.add_parser("rm", help="remove a source")
    _review_and_number(p, "source")
    p.set_defaults(handler=cmd_source_rm)

    takeaway = sub.add_parser("takeaway", help="add or remove takeaways").add_subparsers(
        dest="takeaway_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = takeaway.add_parser("add", help="add a takeaway")
    p.add_argument("id", type=int)
    p.add_argument("text")
    p.add_argument("--kind", choices=tuple(scales.TAKEAWAY_KINDS), default=TakeawayKind.SUMMARY)
    _added_json(p, "takeaway")
    p.set_defaults(handler=cmd_takeaway_add)
    p = takeaway.add_parser("rm", help="remove a takeaway")
    _review_and_number(p, "takeaway")
    p.set_defaults(handler=cmd_takeaway_rm)

    p = sub.add_parser(
        "review",
        help="set the reviewer, the verdict, AI involvement, editorial responsibility and the "
        "review's scope; with no option, show them and the disclosure line found in the draft",
    )
    p.add_argument("id", type=int)
    p.add_argument("--reviewer")
    p.add_argument("--verdict", choices=tuple(scales.VERDICTS))
    p.add_argument(
        "--require-second",
        choices=("yes", "no"),
        help="whether sign-off requires a second reviewer's assessment (default: the "
        "library's setting, `reviewapp second default`)",
    )
    accountability.add_options(p)
    p.set_defaults(handler=cmd_review)


def reading_options(p: argparse.ArgumentParser) -> None:
    """--timeout, --encoding and the limits: how a command reads a draft."""
    p.add_argument("--timeout", type=float, help="fetch deadline in seconds (default 20)")
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="the file's text encoding, e.g. cp1252 or utf-8 (default: UTF-8 if it reads as "
        "such, else a guess, named when it is doubtful)",
    )
    _import_limits(p)


def _import_limits(p: argparse.ArgumentParser) -> None:
    """The bounds of IngestSettings, for one import (the defaults suit every real article)."""
    from reviewapp.ingest.settings import DEFAULT_SETTINGS as d

    limits = p.add_argument_group("limits")
    for flag, kind, default, what in (
        ("--max-bytes", int, d.max_bytes, "largest file or download, bytes"),
        ("--max-seconds", float, d.max_seconds, "time to read the draft once it is here, s"),
        ("--max-elements", int, d.max_elements, "HTML elements in a page"),
        ("--max-unpacked", int, d.max_unpacked, "bytes a .docx may unpack to"),
        ("--max-paragraphs", int, d.max_paragraphs, "paragraphs in a .docx"),
    ):
        limits.add_argument(flag, type=kind, metavar="N", help=f"{what} (default {default})")


def _import_settings(args: argparse.Namespace) -> Any:
    from reviewapp.ingest import IngestSettings

    names = ("timeout", "max_bytes", "max_seconds", "max_elements", "max_unpacked")
    given = {
        n: getattr(args, n)
        for n in (*names, "max_paragraphs", "encoding")
        if getattr(args, n, None) is not None
    }
    return IngestSettings(**given)


def _numbers_option(p: argparse.ArgumentParser, flag: str, help: str) -> None:
    p.add_argument(flag, action="append", default=[], metavar=METAVAR, help=help)


def claim_link(value: str) -> tuple[str, Stance]:
    """--claim N[:STANCE]: a claim (its number or stable id, resolved by cli/refs.claim_ref
    once the library is open) and what the source says about it (default supports)."""
    ref, colon, stance = value.partition(":")
    if not is_ref(ref):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a claim (N, or N:supports, N:refutes, N:context; N a claim "
            "number or a claim id)"
        )
    if not colon:
        return ref, Stance.SUPPORTS
    if stance not in scales.STANCES:
        raise argparse.ArgumentTypeError(
            f"unknown stance {stance!r} in {value!r}; choose one of: {', '.join(Stance)}"
        )
    return ref, Stance(stance)


def _links_option(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument(
        "--claim", type=claim_link, action="append", default=[], metavar="N[:STANCE]", help=help
    )


def _review_and_number(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("id", type=int, help="review id")
    p.add_argument("number", metavar=METAVAR, help=ref_help(IdKind[what.upper()]))


def _added_json(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--json", action="store_true", help=f"print the new {what}'s number and id as JSON"
    )


def _print_added(ctx: Context, args: argparse.Namespace, what: str, number: int, ref: str) -> None:
    """What an add command prints: the number people use and the id scripts keep."""
    if args.json:
        ctx.print_json({"number": number, "id": ref})
    else:
        ctx.print(f"{what} {number} ({ref})")


def _claim_fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", choices=scales.CLAIM_STATUS_KEYS)
    p.add_argument("--note")
    p.add_argument("--correction", help="the wording the draft should have instead")


def _source_fields(p: argparse.ArgumentParser) -> None:
    """--title, --publisher, ... for every source field but the URL and the two choices."""
    for field in SOURCE_FIELDS:
        if field not in ("url", "kind", "credibility"):
            name = scales.SOURCE_FIELD_NAMES.get(field, field.replace("_", " "))
            metavar = "URL" if field == "archive_url" else "TEXT"
            if field in ("published", "accessed_at", "archive_date"):
                metavar, name = "DATE", f"{name}, YYYY-MM-DD"
            p.add_argument(f"--{field.replace('_', '-')}", metavar=metavar, help=name)
    p.add_argument("--kind", choices=tuple(scales.SOURCE_KINDS))
    p.add_argument("--credibility", choices=tuple(scales.CREDIBILITY))


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, str]:
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


# ---------------------------------------------------------------------- handlers
def read_draft(args: argparse.Namespace, ctx: Context) -> ImportedDraft:
    """The draft at args.source, read with the command's limits (the database not yet open:
    bad input must leave it untouched); a doubtful encoding is noted on stderr."""
    import logging

    from reviewapp.ingest import load_source

    settings = _import_settings(args)
    # trafilatura warns about what it discards ("discarding data: None"); on a terminal that is
    # a second line beside the one-line refusal, which already says what went wrong.
    chatter = logging.getLogger("trafilatura")
    level = chatter.level
    if not getattr(args, "verbose", False):
        chatter.setLevel(logging.ERROR)
    try:
        draft = load_source(args.source, settings)
    finally:
        chatter.setLevel(level)
    if draft.encoding_rivals:
        from reviewapp.ingest.decoding import doubt_note

        ctx.note(
            f"note: {doubt_note(draft.source_name, draft.encoding, draft.encoding_rivals)}; if "
            f"letters look wrong, import it again with --encoding {draft.encoding_rivals[0]}"
        )
    return draft


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    draft = read_draft(args, ctx)
    store = ctx.store()
    if args.revision_of is not None:
        from reviewapp.workflows.revisions import import_revision

        report = import_revision(store, args.revision_of, draft)
        ctx.print(args.revision_of)
        for line in report.summary_lines():
            ctx.note(line)
        return 0
    review_id = store.add_article(draft, reviewer=args.reviewer)
    ctx.print(review_id)
    _hint_existing_article(store, review_id, draft.meta.canonical_url, ctx)
    return 0


def _hint_existing_article(store: Any, review_id: int, canonical_url: str, ctx: Context) -> None:
    earlier = store.review_with_canonical_url(canonical_url, exclude=review_id)
    if earlier is not None:
        ctx.note(
            f"note: review {earlier} has the same canonical URL; to follow its claims, import "
            f"this as its new revision: reviewapp import SOURCE --revision-of {earlier}",
        )


def _summary_json(s: ReviewSummary) -> dict[str, Any]:
    return dataclasses.asdict(s)


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.trust import unverified_signoffs

    store = ctx.store()
    rows = store.list_reviews(status=args.status)
    unverified = unverified_signoffs(store, [r.id for r in rows])
    if args.json:
        ctx.print_json(
            [{**_summary_json(r), "signer_verified": _signer_verified(r, unverified)} for r in rows]
        )
        return 0
    if not rows:
        ctx.print("No reviews yet. Import a draft: reviewapp import FILE-OR-URL")
    for r in rows:
        label = scales.REVIEW_STATUSES[r.status]
        mark = "  UNVERIFIED signer" if r.id in unverified else ""
        ctx.print(
            f"{r.id:>5}  {label:<10}  {r.claims:>3} claims ({r.unchecked} unchecked)  "
            f"{r.updated_at}  {r.title or '(untitled)'}{mark}"
        )
    return 0


def _signer_verified(row: ReviewSummary, unverified: dict[int, Any]) -> bool | None:
    """True/False for a signed-off review (is its signer's key trusted here?), else None."""
    return None if row.status != ReviewStatus.SIGNED_OFF else row.id not in unverified


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    hits = ctx.store().search(args.query)
    if args.json:
        ctx.print_json(hits)
        return 0
    for h in hits:
        snippet = " ".join(str(h["snippet"]).split())
        ctx.print(f"{h['review_id']:>5}  {h['kind']:<8}  {h['title']}: {snippet}")
    if not hits:
        ctx.print(f"Nothing matches {args.query!r}.")
    return 0


def review_json(data: ReviewData, trust: dict[int, SignerTrust] | None = None) -> dict[str, Any]:
    """The review as plain JSON values, for show --json; trust: per sign-off id, computed now."""
    trust = trust or {}
    numbers = _Numbers(data)
    return {
        "id": data.review.id,
        "status": data.review.status,
        "reviewer": data.review.reviewer,
        "verdict": data.review.verdict,
        "created_at": data.review.created_at,
        "updated_at": data.review.updated_at,
        "article": _article_json(data.revision),
        "claims": [_claim_json(c, numbers) for c in data.claims],
        "sources": [_source_json(i, s, numbers) for i, s in enumerate(data.sources, start=1)],
        "takeaways": [
            {
                "number": i,
                "id": t.stable_id,
                "text": t.text,
                "kind": t.kind,
                "created_at": t.created_at,
                "updated_at": t.updated_at,
            }
            for i, t in enumerate(data.takeaways, start=1)
        ],
        "signoffs": [_signoff_json(s, trust.get(s.id)) for s in data.signoffs],
        "accountability": accountability_json(data),
    }


class _Numbers:
    """How the JSON names the claims and sources a link points at: numbers and stable ids."""

    def __init__(self, data: ReviewData):
        self.claim = data.claim_number_by_id()
        self.source = {s.id: i for i, s in enumerate(data.sources, start=1)}
        self.claim_ref = {c.id: c.stable_id for c in data.claims}
        self.source_ref = {s.id: s.stable_id for s in data.sources}


def _article_json(rev: Revision) -> dict[str, Any]:
    return {
        "title": rev.meta.title,
        "url": rev.meta.url,
        "canonical_url": rev.meta.canonical_url,
        "site": rev.meta.site,
        "authors": rev.meta.authors,
        "published": rev.meta.published,
        "revision": rev.number,
        "content_hash": rev.content_hash,
        "imported_at": rev.imported_at,
        "importer": rev.importer,
        "source": rev.source_name,
        "characters": len(rev.text),
        "blocks": len(rev.blocks),
    }


def _claim_json(c: Claim, numbers: _Numbers) -> dict[str, Any]:
    return {
        "number": c.number,
        "id": c.stable_id,
        "quote": c.quote,
        "status": c.status,
        "note": c.note,
        "correction": c.correction,
        "anchor_state": c.anchor_state,
        "previous_quote": c.previous_quote,
        "source_override": c.source_override,
        "stance_override": c.stance_override,
        "selectors": {
            "exact": c.quote,
            "prefix": c.prefix,
            "suffix": c.suffix,
            "start": c.start,
            "end": c.end,
        },
        "sources": [numbers.source[s] for s in c.source_ids],
        "source_ids": [numbers.source_ref[s] for s in c.source_ids],
        "links": [{"source": numbers.source[s], "stance": c.stance_of(s)} for s in c.source_ids],
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _source_json(number: int, s: Source, numbers: _Numbers) -> dict[str, Any]:
    return {
        "number": number,
        "id": s.stable_id,
        **{f: getattr(s, f) for f in SOURCE_FIELDS},
        "claims": [numbers.claim[c] for c in s.claim_ids],
        "claim_ids": [numbers.claim_ref[c] for c in s.claim_ids],
        "links": [{"claim": numbers.claim[c], "stance": s.stance_of(c)} for c in s.claim_ids],
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    }


def _signoff_json(s: Signoff, trust: SignerTrust | None) -> dict[str, Any]:
    return {
        "reviewer": s.reviewer,
        "email": s.email,
        "fingerprint": s.fingerprint,
        "signed_at": s.signed_at,
        "superseded_at": s.superseded_at,
        "superseded_reason": s.superseded_reason,
        "signer_verified": trust.verified if trust is not None else None,
        "signer_unverified_reason": trust.reason if trust is not None else "",
    }


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.trust import signer_trust

    store = ctx.store()
    data = store.load_review(args.id)
    trust = {s.id: signer_trust(store, s) for s in data.signoffs}
    if args.json:
        ctx.print_json(review_json(data, trust))
        return 0
    rev, review = data.revision, data.review
    ctx.print(f"Review {review.id}: {rev.meta.title or '(untitled)'}")
    ctx.print(
        f"  {scales.REVIEW_STATUSES[review.status]}"
        + (f" · {scales.VERDICTS[review.verdict]}" if review.verdict else "")
        + (f" · reviewer {review.reviewer}" if review.reviewer else "")
    )
    if rev.meta.url:
        ctx.print(f"  {rev.meta.url}")
    ctx.print(
        f"  revision {rev.number} · sha256 {rev.content_hash[:16]}… · imported {rev.imported_at}"
    )
    for signoff in data.signoffs:
        ctx.print("  " + _signoff_line(signoff, trust[signoff.id]))
    ctx.print("  " + accountability.summary_line(data))
    source_number = {s.id: i for i, s in enumerate(data.sources, start=1)}
    ctx.print(f"\nClaims ({len(data.claims)})")
    for c in data.claims:
        _print_claim(ctx, c, source_number)
    ctx.print(f"\nSources ({len(data.sources)})")
    number = data.claim_number_by_id()
    for i, s in enumerate(data.sources, start=1):
        claims = ", ".join(_linked_claim(number[c], s.stance_of(c)) for c in s.claim_ids)
        claims = claims or "none"
        ctx.print(
            f"  [{i}] {s.stable_id}  {s.title or s.url} · {scales.CREDIBILITY[s.credibility]} "
            f"· claims {claims}"
        )
    ctx.print(f"\nTakeaways ({len(data.takeaways)})")
    for i, t in enumerate(data.takeaways, start=1):
        ctx.print(f"  {i}. {t.stable_id}  {t.text}")
    return 0


def _linked_claim(number: int, stance: Stance) -> str:
    """A claim a source is linked to, as show lists it: "2", or "3 (refutes)"."""
    return str(number) if stance == Stance.SUPPORTS else f"{number} ({stance})"


def _signoff_line(signoff: Signoff, trust: SignerTrust) -> str:
    """Who signed off, and whether this database trusts the key for that reviewer."""
    who = signoff.reviewer + (f" <{signoff.email}>" if signoff.email else "")
    why = f": {signoff.superseded_reason}" if signoff.superseded_reason else ""
    old = f" (superseded {signoff.superseded_at}{why})" if signoff.superseded_at else ""
    if trust.verified:
        return f"signed off by {who} on {signoff.signed_at}{old}: verified, key {trust.fingerprint}"
    return f"signed off by {who} on {signoff.signed_at}{old}: UNVERIFIED, {trust.reason}"


def _print_claim(ctx: Context, c: Claim, source_number: dict[int, int]) -> None:
    state = (
        ""
        if c.anchor_state == AnchorState.ANCHORED
        else f" [{scales.ANCHOR_STATES[c.anchor_state]}]"
    )
    # [1] supports, [2 refutes], [3 context]
    refs = "".join(
        f"[{source_number[s]}]"
        if c.stance_of(s) == Stance.SUPPORTS
        else f"[{source_number[s]} {c.stance_of(s)}]"
        for s in c.source_ids
    )
    label = scales.CLAIM_STATUS[c.status].label
    ctx.print(f"  {c.number}. {c.stable_id}  ({label}){state} \u201c{c.quote}\u201d {refs}")
    if c.note:
        ctx.print(f"     note: {c.note}")
    if c.correction:
        ctx.print(f"     correction: {c.correction}")
    if c.stance_override:
        ctx.print(f"     status kept against its sources because: {c.stance_override}")
    if c.reused_from is not None:
        ctx.print(f"     reused the check of {c.reused_from.label()}")


def cmd_claim_add(args: argparse.Namespace, ctx: Context) -> int:
    if (args.quote is None) == (args.from_file is None):
        raise BadInput("give --quote TEXT, or --from FILE for many claims (not both)")
    if args.from_file is not None:
        return _claim_add_from(args, ctx)
    fields = _given(args, ("status", "note", "correction"))
    store = ctx.store()
    author = store.review(args.id).reviewer  # who decides, as `suggest --accept` records it
    claim = store.add_claim_by_quote(args.id, args.quote, args.occurrence, author=author, **fields)
    _print_added(ctx, args, "claim", claim.number, claim.stable_id)
    return 0


# The fields a line of `claim add --from FILE` may have, and the type each must be.
_BATCH_CLAIM_FIELDS = {
    "quote": str,
    "occurrence": int,
    "status": str,
    "note": str,
    "correction": str,
}


def _claim_add_from(args: argparse.Namespace, ctx: Context) -> int:
    """claim add --from FILE: every line one claim, all added in one transaction or none."""
    given = _given(args, ("status", "note", "correction"))
    if given or args.occurrence is not None:
        raise BadInput("with --from FILE, give each claim's fields on its line, not as options")
    raw = read_user_file(args.from_file, "file of claims")
    try:
        lines = raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise BadInput(f"{args.from_file} is not UTF-8 text: {exc.reason}") from exc
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    claims = [_batch_claim(args.from_file, n, line) for n, line in numbered]
    if not claims:
        raise BadInput(f"{args.from_file} has no claims (one JSON object a line)")
    try:
        store = ctx.store()
        added = store.add_claims(args.id, claims, author=store.review(args.id).reviewer)
    except BadItem as exc:
        line = numbered[exc.position - 1][0]
        raise BadInput(f"{args.from_file} line {line}: {exc}; no claim was added") from exc
    for claim in added:
        _print_added(ctx, args, "claim", claim.number, claim.stable_id)
    return 0


def _batch_claim(path: Path, line_number: int, line: str) -> NewClaim:
    """One line of a claims file as a NewClaim; BadInput naming the line when it is not one."""
    where = f"{path} line {line_number}"
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{where}: not JSON ({exc.msg}); no claim was added") from exc
    if not isinstance(item, dict):
        raise BadInput(f"{where}: not a JSON object; no claim was added")
    unknown = sorted(set(item) - set(_BATCH_CLAIM_FIELDS))
    if unknown:
        raise BadInput(f"{where}: unknown field {', '.join(unknown)}; no claim was added")
    if "quote" not in item:
        raise BadInput(f"{where}: no quote; no claim was added")
    for name, kind in _BATCH_CLAIM_FIELDS.items():
        value = item.get(name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            wanted = "a whole number" if kind is int else "text"
            raise BadInput(f"{where}: {name} must be {wanted}; no claim was added")
    return NewClaim(
        quote=item["quote"],
        occurrence=item.get("occurrence"),
        status=item.get("status") or ClaimStatus.UNCHECKED,
        note=item.get("note") or "",
        correction=item.get("correction") or "",
    )


def cmd_claim_set(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    claim = claim_ref(store, args.id, args.number)
    fields = _given(args, ("status", "note", "correction", "source_override", "stance_override"))
    if not fields:
        raise BadInput(
            "nothing to change: give --status, --note, --correction, --source-override or "
            "--stance-override"
        )
    store.update_claim(claim.id, **fields)
    return 0


def cmd_claim_rm(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    store.delete_claim(claim_ref(store, args.id, args.number).id)
    return 0


def _claim_ids(store: ReviewStore, review_id: int, refs: list[str]) -> list[int]:
    return [claim_ref(store, review_id, ref).id for ref in refs]


def _claim_stances(
    store: ReviewStore, review_id: int, links: list[tuple[str, Stance]]
) -> dict[int, str]:
    """--claim N[:STANCE] options as claim id -> stance (the last one given for a claim wins)."""
    return {claim_ref(store, review_id, ref).id: stance for ref, stance in links}


def cmd_source_add(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    store.review(args.id)
    stances = _claim_stances(store, args.id, args.claim)
    source = store.add_source(args.id, list(stances), stances, **_given(args, SOURCE_FIELDS))
    _print_added(ctx, args, "source", len(store.sources(args.id)), source.stable_id)
    return 0


def cmd_source_set(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    source = source_ref(store, args.id, args.number)
    links = _claim_stances(store, args.id, args.claim)
    unlink_ids = _claim_ids(store, args.id, args.unlink)
    fields = _given(args, SOURCE_FIELDS)
    if not (fields or links or unlink_ids):
        raise BadInput("nothing to change: give a field, --claim N[:STANCE] or --unlink N")
    with store.transaction():
        store.update_source(source.id, **fields)
        for claim_id, stance in links.items():
            store.link(claim_id, source.id, stance)
        for claim_id in unlink_ids:
            store.unlink(claim_id, source.id)
    return 0


def cmd_source_rm(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    store.delete_source(source_ref(store, args.id, args.number).id)
    return 0


def cmd_takeaway_add(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    takeaway = store.add_takeaway(args.id, args.text, kind=args.kind)
    _print_added(ctx, args, "takeaway", takeaway.position + 1, takeaway.stable_id)
    return 0


def cmd_takeaway_rm(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    store.delete_takeaway(takeaway_ref(store, args.id, args.number).id)
    return 0


def cmd_review(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    changes = accountability.any_given(args)
    second = args.require_second
    if args.reviewer is None and args.verdict is None and not changes and second is None:
        accountability.show(store.load_review(args.id), ctx)
        required = store.second_review_required(args.id)
        ctx.print(f"Second review: {'required' if required else 'not required'}")
        return 0
    with store.transaction():  # all the options or none of them
        if args.reviewer is not None or args.verdict is not None:
            store.set_review(args.id, reviewer=args.reviewer, verdict=args.verdict)
        if second is not None:
            store.set_second_review_required(args.id, second == "yes")
        if changes:
            accountability.apply(args, ctx)
    return 0
