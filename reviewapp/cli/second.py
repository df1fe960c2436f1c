"""The second-review commands: request, import, sign, compare, settle, record, cosign,
default."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from reviewapp.core import scales
from reviewapp.core.errors import BadInput

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
    p = second.add_parser(
        "request",
        help="write a blind request for a second review of ID (or push it to the shared archive)",
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument("-o", "--output", type=Path, metavar="FILE")
    p.add_argument(
        "--archive",
        action="store_true",
        help="send it through the shared archive (second/<review uid>/request.json), pushed",
    )
    p.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="EMAIL",
        help="with --archive: the colleague it is for (repeatable; default: anyone who pulls)",
    )
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

    p = second.add_parser(
        "sign", help="sign your assessment of a second review and write it (or push it)"
    )
    p.add_argument("id", type=int, help="the review made by importing the request")
    p.add_argument("-o", "--output", type=Path, metavar="FILE")
    p.add_argument(
        "--archive",
        action="store_true",
        help="push it to the shared archive (second/<review uid>/assessment-<key>.json)",
    )
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
    p.add_argument(
        "--archive",
        action="store_true",
        help="also push the co-signature beside the review in the shared archive",
    )
    p.set_defaults(handler=cmd_cosign)

    p = second.add_parser(
        "import-cosignature",
        help="keep your second reviewer's co-signature (FILE.md.second.sig) with the review",
    )
    p.add_argument("file", type=Path, metavar="FILE.md.second.sig")
    p.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE.md",
        help="the signed Markdown it co-signs (default: the file beside it, else found by key)",
    )
    p.set_defaults(handler=cmd_import_cosignature)

    p = second.add_parser(
        "default", help="whether this library's reviews require a second review by default"
    )
    p.add_argument("required", nargs="?", choices=("yes", "no"))
    p.set_defaults(handler=cmd_default)


def cmd_request(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import write_request

    if args.archive:
        return _request_through_archive(args, ctx)
    if args.to:
        raise BadInput("--to goes with --archive (a file goes to whoever you send it to)")
    if args.output is None:
        raise BadInput("say where the request goes: -o FILE, or --archive")
    request = write_request(ctx.store(), args.id, args.output, args.reviewer)
    ctx.print(
        f"Wrote {args.output}: a blind request for a second review of review {args.id} "
        f"({len(request.claims)} claims; none of your statuses, notes or sources)"
    )
    ctx.print(f"Send it to your colleague: reviewapp second import {shlex.quote(args.output.name)}")
    return 0


def _request_through_archive(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.secrets import default_secret_store
    from reviewapp.workflows.second_archive import request_through_archive

    if args.output is not None:
        raise BadInput("give -o FILE or --archive, not both")
    sent = request_through_archive(
        ctx.store(), default_secret_store(), ctx.db_path, args.id, args.to, args.reviewer
    )
    who = ", ".join(args.to) if args.to else "anyone who pulls"
    ctx.print(
        f"Pushed a blind request for a second review of review {args.id} to the shared archive "
        f"({sent.path}, for {who}; {len(sent.request.claims)} claims; none of your statuses, "
        f"notes or sources) in commit {sent.published.commit[:12] or '(already there)'}"
    )
    ctx.print("Your colleague's `reviewapp archive pull` imports it as a review to assess")
    return 0


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import import_file

    if _is_signature(args.file):
        return cmd_import_cosignature(argparse.Namespace(file=args.file, markdown=None), ctx)
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


def _is_signature(path: Path) -> bool:
    """An SSH signature file (a co-signature) rather than a JSON request or assessment."""
    try:
        with open(path, "rb") as handle:
            return handle.read(64).lstrip().startswith(b"-----BEGIN SSH SIGNATURE-----")
    except OSError:
        return False  # import_file says what is wrong with the path


def cmd_import_cosignature(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import import_cosignature

    store = ctx.store()
    review_id = import_cosignature(store, args.file, args.markdown)
    signoff = store.load_review(review_id).current_signoff
    assert signoff is not None and signoff.cosignature is not None
    c = signoff.cosignature
    who = c.signer + (f" <{c.email}>" if c.email else "")
    ctx.print(
        f"Kept the co-signature by {who} (second reviewer, key {c.fingerprint}) with the "
        f"sign-off of review {review_id}"
    )
    ctx.print(f"Export writes it beside the Markdown: reviewapp export {review_id} -o FILE.md")
    return 0


def cmd_sign(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import sign_assessment

    if args.archive:
        return _sign_through_archive(args, ctx)
    if args.output is None:
        raise BadInput("say where the assessment goes: -o FILE, or --archive")
    signed = sign_assessment(ctx.store(), args.id, args.reviewer, args.email, output=args.output)
    a = signed.assessment
    ctx.print(
        f"Signed the assessment of {len(a.claims)} claims as {a.assessor} (key "
        f"{a.fingerprint}); wrote {args.output}"
    )
    ctx.print(f"Send it back: reviewapp second import {shlex.quote(args.output.name)}")
    return 0


def _sign_through_archive(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.secrets import default_secret_store
    from reviewapp.workflows.second_archive import sign_through_archive

    if args.output is not None:
        raise BadInput("give -o FILE or --archive, not both")
    sent = sign_through_archive(
        ctx.store(), default_secret_store(), ctx.db_path, args.id, args.reviewer, args.email
    )
    a = sent.signed.assessment
    ctx.print(
        f"Signed the assessment of {len(a.claims)} claims as {a.assessor} (key "
        f"{a.fingerprint}); pushed {sent.path} in commit "
        f"{sent.published.commit[:12] or '(already there)'}"
    )
    ctx.print("The first editor's `reviewapp archive pull` imports it")
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

    if args.archive:
        from reviewapp.secrets import default_secret_store
        from reviewapp.workflows.second_archive import cosign_through_archive

        sent = cosign_through_archive(
            ctx.store(), default_secret_store(), ctx.db_path, args.file, output=args.output
        )
        done = sent.cosigned
    else:
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
    if args.archive:
        ctx.print(
            f"Pushed {sent.path} in commit {sent.published.commit[:12] or '(already there)'}; "
            "the first editor's `reviewapp archive pull` keeps it with the review"
        )
    return 0


def cmd_default(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    if args.required is not None:
        store.set_second_review_default(args.required == "yes")
    state = "require" if store.second_review_default() else "do not require"
    ctx.print(f"Reviews of this library {state} a second review unless set otherwise")
    return 0
