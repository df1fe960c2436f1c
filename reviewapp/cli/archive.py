"""The archive commands: a shared git repository of signed reviews (init, clone, push, pull,
status, trust)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context
    from reviewapp.workflows.archive import PullResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    archive = sub.add_parser(
        "archive",
        help="share signed reviews through a git repository (init, clone, push, pull, status)",
        description="A shared archive is a git repository of signed reviews with an "
        "allowed_signers file at its root. Every commit is SSH-signed with the editor's key "
        "from the keyring; pull verifies every new commit and review before importing. The "
        "working copy is the folder <database name>-archive beside the database.",
    ).add_subparsers(
        dest="archive_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = archive.add_parser(
        "init", help="start an archive at PATH (made when missing) or an empty repository URL"
    )
    p.add_argument("url", metavar="PATH_OR_URL")
    p.add_argument("--reviewer", default="", metavar="NAME", help="who signs (a key holder here)")
    p.set_defaults(handler=cmd_archive_init)

    p = archive.add_parser("clone", help="join an archive: verify its history, import its reviews")
    p.add_argument("url", metavar="URL")
    p.add_argument(
        "--fingerprint",
        default="",
        metavar="SHA256:...",
        help="the key the archive's first commit must be signed by (ask who started it)",
    )
    p.set_defaults(handler=cmd_archive_clone)

    p = archive.add_parser(
        "push", help="add every signed-off review the archive lacks, in a signed commit"
    )
    p.add_argument("--reviewer", default="", metavar="NAME", help="who signs the commit")
    p.set_defaults(handler=cmd_archive_push)

    p = archive.add_parser("pull", help="fetch, verify and import the reviews others pushed")
    p.set_defaults(handler=cmd_archive_pull)

    p = archive.add_parser("status", help="what is ahead (to push) and behind (to pull)")
    p.add_argument(
        "--offline", action="store_true", help="do not fetch; compare with the last fetch"
    )
    p.set_defaults(handler=cmd_archive_status)

    p = archive.add_parser(
        "trust",
        help="let another editor sign in the archive (a commit signed by you adds their key)",
    )
    p.add_argument("source", metavar="LINE|FILE", help="their `reviewapp key export` line")
    p.add_argument(
        "--fingerprint",
        required=True,
        metavar="SHA256:...",
        help="the fingerprint you compared with the key's owner",
    )
    p.add_argument("--reviewer", default="", metavar="NAME", help="who signs the commit")
    p.set_defaults(handler=cmd_archive_trust)


def cmd_archive_init(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.secrets import default_secret_store
    from reviewapp.workflows.archive import init_archive

    copy = init_archive(ctx.store(), default_secret_store(), ctx.db_path, args.url, args.reviewer)
    ctx.print(f"Started the shared archive {copy.url}")
    ctx.print(f"  working copy: {copy.path}")
    ctx.print(f"  trusted signer: {copy.config('user.email')} ({copy.signing_fingerprint})")
    ctx.print("Push the signed-off reviews: reviewapp archive push")
    return 0


def cmd_archive_clone(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.archive import archive_path, clone_archive

    result = clone_archive(ctx.store(), ctx.db_path, args.url, args.fingerprint)
    ctx.print(f"Cloned the shared archive into {archive_path(ctx.db_path)}")
    return _report_pull(result, ctx)


def cmd_archive_pull(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.archive import pull_archive

    return _report_pull(pull_archive(ctx.store(), ctx.db_path), ctx)


def _report_pull(result: PullResult, ctx: Context) -> int:
    for line in result.lines():
        ctx.print(line)
    for imported in result.imported:
        for warning in imported.warnings():
            ctx.note(f"  note: {warning}")
    for refused in result.refused:
        ctx.note(f"reviewapp: REFUSED {refused}")
    return 1 if result.refused else 0


def cmd_archive_push(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.secrets import default_secret_store
    from reviewapp.workflows.archive import push_archive

    result = push_archive(ctx.store(), default_secret_store(), ctx.db_path, args.reviewer)
    for line in result.pulled.lines()[:-1]:  # what came in first (the count line is noise)
        ctx.print(line)
    for line in result.lines():
        ctx.print(line)
    return 0


def cmd_archive_status(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.archive import archive_status

    for line in archive_status(ctx.store(), ctx.db_path, fetch=not args.offline).lines():
        ctx.print(line)
    return 0


def cmd_archive_trust(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.secrets import default_secret_store
    from reviewapp.workflows.archive import trust_in_archive

    line = trust_in_archive(
        ctx.store(),
        default_secret_store(),
        ctx.db_path,
        args.source,
        args.fingerprint,
        args.reviewer,
    )
    ctx.print(f"The archive trusts: {line}")
    return 0
