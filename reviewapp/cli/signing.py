"""Commands that sign reviews off and check signatures: signoff, reopen, verify, key."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from reviewapp.core.errors import BadInput, GateFailed
from reviewapp.core.gate import GateProblem, GateRule
from reviewapp.core.scales import VERDICTS
from reviewapp.core.states import ClaimStatus, Stance

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context
    from reviewapp.store.signoffs import ReviewerKey


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("signoff", help="sign a review off: check the gate, sign the Markdown")
    p.add_argument("id", type=int, help="review id")
    p.add_argument(
        "--reviewer", default="", metavar="NAME", help="who signs (default: the review's reviewer)"
    )
    p.add_argument(
        "--email", default="", help="the signer's email, their identity in allowed_signers"
    )
    p.add_argument(
        "--new-key", action="store_true", help="make a new key (when the keyring lost the old one)"
    )
    p.set_defaults(handler=cmd_signoff)

    p = sub.add_parser(
        "reopen", help="return a signed-off review to in-review (its sign-off is kept)"
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument("--reason", default="", help="why it is reopened (kept in the history)")
    p.set_defaults(handler=cmd_reopen)

    p = sub.add_parser("verify", help="check an exported review against its .sig file")
    p.add_argument("file", type=Path, metavar="FILE.md")
    p.add_argument("--sig", type=Path, metavar="FILE", help="the signature (default: FILE.md.sig)")
    p.add_argument(
        "--attestation",
        type=Path,
        metavar="FILE",
        help="the signed attestation (default: FILE.intoto.json, checked when it is there)",
    )
    p.add_argument(
        "--allowed-signers",
        type=Path,
        metavar="FILE",
        help="trust the keys in this allowed_signers file, not the db",
    )
    p.add_argument(
        "--warc",
        type=Path,
        metavar="FILE",
        help="also check this WARC file (reviewapp export ID --format warc) against the "
        "captures the signed file lists by SHA-256",
    )
    p.set_defaults(handler=cmd_verify)

    key = sub.add_parser(
        "key", help="show, export and trust reviewers' public keys"
    ).add_subparsers(
        dest="key_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = key.add_parser("show", help="print a reviewer's public key and fingerprint")
    p.add_argument("--reviewer", metavar="NAME", help="whose key (default: every reviewer's)")
    p.set_defaults(handler=cmd_key_show)
    p = key.add_parser(
        "export",
        help="print allowed_signers lines for ssh-keygen -Y verify (default: every key this "
        "database trusts)",
    )
    p.add_argument("--reviewer", metavar="NAME", help="only this reviewer's own key")
    p.set_defaults(handler=cmd_key_export)
    p = key.add_parser(
        "trust",
        help="trust another editor's key, after comparing its fingerprint with them",
        description="Trust the key of an allowed_signers line (as `reviewapp key export` "
        "prints it) or of a file of such lines. Without --fingerprint nothing is written: the "
        "command prints each key's fingerprint, to be compared with its owner (by phone, in "
        "person), and exits 2. Run it again with --fingerprint to trust that key.",
    )
    p.add_argument("source", metavar="LINE|FILE", help="an allowed_signers line, or a file")
    p.add_argument(
        "--name", default="", help="the owner's name (needed when the line names an email)"
    )
    p.add_argument(
        "--fingerprint",
        default="",
        metavar="SHA256:...",
        help="the fingerprint you compared with the key's owner",
    )
    p.set_defaults(handler=cmd_key_trust)
    p = key.add_parser("untrust", help="stop trusting a key trusted with `key trust`")
    p.add_argument("fingerprint", metavar="FINGERPRINT")
    p.set_defaults(handler=cmd_key_untrust)
    p = key.add_parser("list", help="the keys this database trusts: own ones and trusted ones")
    p.set_defaults(handler=cmd_key_list)


def cmd_signoff(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.export import export_filename
    from reviewapp.export.attestation import attestation_name
    from reviewapp.workflows.signoff import sign_off

    store = ctx.store()
    before = store.reviewer_by_name(args.reviewer or store.review(args.id).reviewer)
    try:
        record = sign_off(store, args.id, args.reviewer, args.email, new_key=args.new_key)
    except GateFailed as exc:
        ctx.note(f"reviewapp: review {args.id} cannot be signed off yet; what is missing:")
        for problem in exc.problems:
            ctx.note(f"  - {gate_line(problem)}")
        return exc.exit_code
    who = record.reviewer + (f" <{record.email}>" if record.email else "")
    name = export_filename(store.load_review(args.id), "md")
    ctx.print(f"Signed off review {args.id} as {who} at {record.signed_at}")
    ctx.print(f"  key {record.fingerprint}; signed {len(record.markdown)} bytes of Markdown")
    if before is None or before.fingerprint != record.fingerprint:
        ctx.print(
            f"  a new Ed25519 key was made; its private half is only in the system keyring."
            f" Share the public line: reviewapp key export --reviewer "
            f"{shlex.quote(record.reviewer)}"
        )
    also = (
        f", {name}.sig and {attestation_name(name)}" if record.attestation else f" and {name}.sig"
    )
    ctx.print(
        f"Export it: reviewapp export {args.id} -o {shlex.quote(name)}  (writes {name}{also})"
    )
    ctx.print(f"Verify it: reviewapp verify {shlex.quote(name)}")
    return 0


def gate_line(problem: GateProblem) -> str:
    """A gate problem for the terminal: what is missing, how to fix it, the command that does."""
    rid, numbers = problem.review_id, problem.claim_numbers
    n = str(numbers[0]) if len(numbers) == 1 else "N"  # the real number when there is one
    each = "each" if len(numbers) != 1 else "it"
    fix, command = {
        GateRule.UNCHECKED: (
            f"give {each} a status",
            f"reviewapp claim set {rid} {n} --status ...",
        ),
        GateRule.ANCHORING: (
            "confirm or re-attach to the passage",
            f"reviewapp anchor confirm {rid} {n}",
        ),
        GateRule.SOURCES: (
            "link one or record why none is needed",
            f"reviewapp source add {rid} --url URL --claim {n}, or "
            f"reviewapp claim set {rid} {n} --source-override REASON",
        ),
        GateRule.STANCE: (
            "correct a link's stance or the status, or record why the status stands",
            f"reviewapp source set {rid} S --claim {n}:{_stance_fix(problem)}, "
            f"reviewapp claim set {rid} {n} --status ..., or "
            f"reviewapp claim set {rid} {n} --stance-override REASON",
        ),
        GateRule.SUGGESTIONS: (
            "accept each as a claim or dismiss it with a reason"
            if problem.suggestions_open != 1
            else "accept it as a claim or dismiss it with a reason",
            f"reviewapp suggest {rid} lists them; reviewapp suggest {rid} --accept K, or "
            f"--dismiss K --reason TEXT",
        ),
        GateRule.VERDICT: ("", f"reviewapp review {rid} --verdict {'|'.join(VERDICTS)}"),
        GateRule.REVIEWER: ("give the name of the person signing off", ""),
        GateRule.AI_INVOLVEMENT: (
            "say whether AI helped",
            f"reviewapp review {rid} --ai-assisted yes|no, or --ai-assisted unknown "
            "--ai-unknown-reason TEXT",
        ),
        GateRule.RESPONSIBILITY: (
            "name the person or organisation",
            f"reviewapp review {rid} --responsible NAME --responsible-contact CONTACT",
        ),
        GateRule.SECOND_REVIEW: _second_review_fix(problem),
    }[problem.kind]
    return f"{problem}{f': {fix}' if fix else ''}{f' ({command})' if command else ''}"


def _second_review_fix(problem: GateProblem) -> tuple[str, str]:
    rid = problem.review_id
    if problem.second_review == "missing":
        return (
            "ask a colleague and import their signed assessment",
            f"reviewapp second request {rid} -o FILE, then reviewapp second import FILE; or "
            f"reviewapp review {rid} --require-second no",
        )
    if problem.second_review == "revision":
        return (
            "ask for a second review of this revision",
            f"reviewapp second request {rid} -o FILE",
        )
    return (
        "choose a status for each, with a note",
        f"reviewapp second compare {rid}; reviewapp second settle {rid} N --status S --note TEXT",
    )


def _stance_fix(problem: GateProblem) -> Stance:
    """The stance a link would need for the claim's status to stand."""
    return Stance.REFUTES if problem.claim_status == ClaimStatus.FALSE else Stance.SUPPORTS


def cmd_reopen(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.signoff import reopen

    superseded = reopen(ctx.store(), args.id, reason=args.reason)
    kept = (
        f"; the sign-off of {superseded.signed_at} is kept, marked superseded" if superseded else ""
    )
    ctx.print(f"Reopened review {args.id}: it is in review again{kept}")
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.second_review import verify_cosignature
    from reviewapp.workflows.verify import verify_file

    store = None
    if args.allowed_signers is None:
        if not ctx.db_path.exists():
            raise BadInput(
                f"there is no database at {ctx.db_path} to take reviewer keys from; "
                "give --allowed-signers FILE (the signer's `reviewapp key export` line)"
            )
        store = ctx.store()
    result = verify_file(args.file, args.sig, args.allowed_signers, store, args.attestation)
    if store is not None:  # the trust set binds the key to a name and an email
        who = result.reviewer + (f" <{result.email}>" if result.email else "")
    else:  # an allowed-signers line vouches for the principal only, not for a name
        named = result.reviewer if result.reviewer != result.principal else ""
        who = result.principal + (f" (named {named} in the file)" if named else "")
    when = f", signed {result.signed_at}" if result.signed_at else ""
    ctx.print(f"Good signature by {who}{when}, key {result.fingerprint}")
    if result.attestation:
        ctx.print(
            f"Good attestation {Path(result.attestation).name}: signed by the same key, "
            "naming this file and the reviewed text"
        )
    cosigner = verify_cosignature(args.file, store, args.allowed_signers)
    if cosigner is not None:
        named = cosigner.reviewer + (f" <{cosigner.email}>" if cosigner.email else "")
        ctx.print(
            f"Good co-signature by {named} (second reviewer), key {cosigner.fingerprint}, "
            f"over the same file ({Path(args.file).name}.second.sig)"
        )
    if result.superseded_at:
        ctx.print(
            f"Note: this sign-off was superseded on {result.superseded_at} (the review was "
            "reopened); a newer signed version may exist"
            + (f". Why: {result.superseded_reason}" if result.superseded_reason else "")
        )
    if args.warc is not None:
        from reviewapp.workflows.verify import verify_warc

        ctx.print(verify_warc(args.file, args.warc))
    return 0


def _chosen(ctx: Context, name: str | None) -> list[ReviewerKey]:

    store = ctx.store()
    if name is not None:
        found = store.reviewer_by_name(name)
        if found is None or not found.public_key:
            raise BadInput(
                f"reviewer {name!r} has no key yet; a key is made at their first sign-off"
            )
        return [found]
    chosen = [r for r in store.reviewers() if r.public_key]
    if not chosen:
        raise BadInput("no reviewer has a key yet; a key is made at the first sign-off")
    return chosen


def cmd_key_show(args: argparse.Namespace, ctx: Context) -> int:
    for i, reviewer in enumerate(_chosen(ctx, args.reviewer)):
        if i:
            ctx.print()
        ctx.print(reviewer.name + (f" <{reviewer.email}>" if reviewer.email else ""))
        ctx.print(f"  fingerprint {reviewer.fingerprint}")
        ctx.print(f"  {reviewer.public_key}")
    return 0


def cmd_key_export(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.signing.allowed_signers import signer_line

    if args.reviewer is not None:
        keys = [(r.principal, r.public_key) for r in _chosen(ctx, args.reviewer)]
    else:  # the database's whole trust set, so ssh-keygen trusts exactly what verify trusts
        keys = [(k.principal, k.public_key) for k in ctx.store().trusted_keys()]
        if not keys:
            raise BadInput("no reviewer has a key yet; a key is made at the first sign-off")
    for principal, public_key in keys:
        ctx.print(signer_line(principal, public_key))
    return 0


_ORIGINS = {"own": "own key (signed here)", "editor": "trusted by the editor"}


def cmd_key_list(args: argparse.Namespace, ctx: Context) -> int:

    keys = ctx.store().trusted_keys()
    if not keys:
        ctx.print(
            "No trusted keys yet: a key is made at the first sign-off; trust another "
            "editor's key with `reviewapp key trust`"
        )
    for key in keys:
        ctx.print(f"{key.fingerprint}  {key.who}  · {_ORIGINS[key.origin]}, since {key.added_at}")
    return 0


def cmd_key_trust(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.signing.allowed_signers import trust_candidates
    from reviewapp.signing.keys import check_identity

    candidates = trust_candidates(args.source)
    if not args.fingerprint:
        for candidate in candidates:
            ctx.print(f"{candidate.principal}  key {candidate.fingerprint}")
        raise BadInput(
            "nothing was trusted: compare the fingerprint with its owner (by phone, in person), "
            "then run this again with --fingerprint SHA256:... (and --name NAME)"
        )
    chosen = next((c for c in candidates if c.fingerprint == args.fingerprint.strip()), None)
    if chosen is None:
        shown = ", ".join(c.fingerprint for c in candidates)
        raise BadInput(
            f"the fingerprint {args.fingerprint.strip()} is not the one of the key given "
            f"({shown}); nothing was trusted: check it with its owner again"
        )
    name, email = chosen.identity(args.name)
    check_identity(name, email)
    key = ctx.store().trust_key(name, email, chosen.key_line, chosen.fingerprint)
    ctx.print(f"Trusted key {key.fingerprint} as {key.who}: its signatures now verify here")
    return 0


def cmd_key_untrust(args: argparse.Namespace, ctx: Context) -> int:

    key = ctx.store().untrust_key(args.fingerprint.strip())
    ctx.print(f"Key {key.fingerprint} ({key.who}) is no longer trusted here")
    return 0
