"""The second-review commands: request, import, sign, compare, settle, record, cosign,
default."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from reviewapp.core import scales

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    second = sub.add_parser(
        "second",
        help="a second reviewer: ask a colleague for a blind review of the same claims",
        description="The first editor writes a request (the text and the claims' passages, "
        "none of their statuses, notes or sources); the colleague imports it, assesses the "
        "claims and signs their assessment; the first editor imports that, compares, settles "
        "the claims not agreed and signs off; the colleague co-signs the signed Markdown.",
    ).add_subparsers(
        dest="second_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = second.add_parser("request", help="write a blind request for a second review of ID")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--reviewer", default="", metavar="NAME", help="who asks (default: the review's)"
    )
    p.set_defaults(handler=cmd_request)

    p = second.add_parser(
        "import",
        help="import a request (as a new review to assess) or a colleague's signed assessment",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument(
        "--reviewer", default="", metavar="NAME", help="your name, for an imported request"
    )
    p.set_defaults(handler=cmd_import)

    p = second.add_parser("sign", help="sign your assessment of a second review and write it")
    p.add_argument("id", type=int, help="the review made by importing the request")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument("--reviewer", default="", metavar="NAME", help="who signs")
    p.add_argument("--email", default="", help="the signer's email")
    p.set_defaults(handler=cmd_sign)

    p = second.add_parser("compare", help="each claim: both statuses and notes, agree or not")
    p.add_argument("id", type=int, help="review id")
    p.set_defaults(handler=cmd_compare)

    p = second.add_parser("settle", help="settle a claim the two did not agree on")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("number", type=int, metavar="N", help="claim number")
    p.add_argument("--status", required=True, choices=scales.CLAIM_STATUS_KEYS)
    p.add_argument("--note", required=True, help="why (goes on the signed record)")
    p.set_defaults(handler=cmd_settle)

    p = second.add_parser(
        "record",
        help="the first editor's signed record beside your assessment (you are the second "
        "reviewer)",
    )
    p.add_argument("file", type=Path, metavar="FILE.md")
    p.set_defaults(handler=cmd_record)

    p = second.add_parser(
        "cosign", help="co-sign a signed-off review that names you as its second reviewer"
    )
    p.add_argument("file", type=Path, metavar="FILE.md")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where the co-signature goes (default FILE.md.second.sig, where verify looks)",
    )
    p.set_defaults(handler=cmd_cosign)

    p = second.add_parser(
        "default", help="whether this library's reviews require a second review by default"
    )
    p.add_argument("required", nargs="?", choices=("yes", "no"))
    p.set_defaults(handler=cmd_default)


def cmd_request(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import write_request

    request = write_request(ctx.store(), args.id, args.output, args.reviewer)
    ctx.print(
        f"Wrote {args.output}: a blind request for a second review of review {args.id} "
        f"({len(request.claims)} claims; none of your statuses, notes or sources)"
    )
    ctx.print(f"Send it to your colleague: reviewapp second import {shlex.quote(args.output.name)}")
    return 0


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import import_file

    store = ctx.store()
    kind, review_id = import_file(store, args.file, args.reviewer)
    if kind == "assessment":
        record = store.load_review(review_id).second_review
        assert record is not None
        ctx.print(
            f"Imported the signed assessment of {record.assessor} (key "
            f"{record.assessor_fingerprint}) into review {review_id}"
        )
        ctx.print(f"Compare: reviewapp second compare {review_id}")
        return 0
    ctx.print(
        f"Imported the request as review {review_id}: assess each claim "
        f"(reviewapp claim set {review_id} N --status ...), then "
        f"reviewapp second sign {review_id} -o FILE"
    )
    return 0


def cmd_sign(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import sign_assessment

    signed = sign_assessment(ctx.store(), args.id, args.reviewer, args.email, output=args.output)
    a = signed.assessment
    ctx.print(
        f"Signed the assessment of {len(a.claims)} claims as {a.assessor} (key "
        f"{a.fingerprint}); wrote {args.output}"
    )
    ctx.print(f"Send it back: reviewapp second import {shlex.quote(args.output.name)}")
    return 0


def cmd_compare(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.export.second_review import status_label
    from reviewapp.workflows.second_review import comparison

    store = ctx.store()
    rows = comparison(store, args.id)
    record = store.load_review(args.id).second_review
    assert record is not None
    ctx.print(f"Second reviewer: {record.assessor} (key {record.assessor_fingerprint})")
    for row in rows:
        settled = ""
        if row.settlement is not None:
            settled = f"; settled as {status_label(row.settlement.status)}: {row.settlement.note}"
        elif not row.settled:
            settled = "; to settle"
        ctx.print(
            f"{row.number}. {row.agreement}: you {status_label(row.first_status)}, second reviewer "
            f"{status_label(row.second_status)}{settled}"
        )
        ctx.print(f"   quote: {row.quote}")
        ctx.print(f"   your note: {row.first_note or '(none)'}")
        ctx.print(f"   their note: {row.second_note or '(none)'}")
    left = sum(1 for r in rows if not r.settled)
    if left:
        ctx.print(f"{left} to settle: reviewapp second settle {args.id} N --status S --note TEXT")
    return 0


def cmd_settle(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import settle

    store = ctx.store()
    row = settle(
        store, args.id, args.number, args.status, args.note, store.review(args.id).reviewer
    )
    ctx.print(f"Claim {row.number} settled as {args.status}")
    return 0


def cmd_record(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.export.second_review import status_label
    from reviewapp.workflows.second_record import read_first_record

    record = read_first_record(ctx.store(), args.file)
    first = record.first
    ctx.print(
        f"Good signature by {first.reviewer or first.principal}, key {first.fingerprint}; "
        f"it names your signed assessment (review {record.review_id})"
    )
    for row in record.rows:
        settled = ""
        if row.settlement is not None:
            settled = f"; settled as {status_label(row.settlement.status)}: {row.settlement.note}"
        ctx.print(
            f"{row.number}. {row.agreement}: first editor {status_label(row.first_status)}, you "
            f"{status_label(row.second_status)}{settled}"
        )
        ctx.print(f"   quote: {row.quote}")
        ctx.print(f"   their note: {row.first_note or '(none)'}")
        ctx.print(f"   your note: {row.second_note or '(none)'}")
    ctx.print(f"Co-sign it: reviewapp second cosign {shlex.quote(str(args.file))}")
    return 0


def cmd_cosign(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.export.second_review import SECOND_HEADING
    from reviewapp.workflows.second_record import cosign_record

    done = cosign_record(ctx.store(), args.file, output=args.output)
    first = done.first
    ctx.print(
        f"Good signature by {first.reviewer}"
        + (f" <{first.email}>" if first.email else "")
        + f", key {first.fingerprint}"
    )
    text = done.markdown.decode("utf-8", errors="replace")
    section = text[text.index(SECOND_HEADING) :].split("\n## ", 1)[0]
    ctx.print("You co-sign this file, which says of the second review:")
    ctx.write(section.rstrip("\n") + "\n")
    ctx.print(
        f"Co-signed {len(done.markdown)} bytes with key {done.fingerprint}; wrote {done.path}"
    )
    return 0


def cmd_default(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    if args.required is not None:
        store.set_second_review_default(args.required == "yes")
    state = "require" if store.second_review_default() else "do not require"
    ctx.print(f"Reviews of this library {state} a second review unless set otherwise")
    return 0
