"""The db commands: check the library file, and salvage a damaged one into a new file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="check the database file, or recover a damaged one")
    actions = db.add_subparsers(
        dest="db_command", metavar="ACTION", required=True, parser_class=sub._parser_class
    )
    p = actions.add_parser(
        "check", help="check the whole file with SQLite's integrity_check; exit 0 ok, 3 damaged"
    )
    p.add_argument("--quick", action="store_true", help="quick_check only (faster, finds less)")
    p.set_defaults(handler=cmd_check)
    p = actions.add_parser(
        "recover",
        help="copy everything still readable into a new library file; the damaged file is "
        "only read",
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="NEW.db")
    p.set_defaults(handler=cmd_recover)


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.store.database import damaged
    from reviewapp.store.recovery import check_file

    problems = check_file(ctx.db_path, full=not args.quick)
    if not problems:
        ctx.print("ok")
        return 0
    for problem in problems:
        ctx.print(problem)
    raise damaged(ctx.db_path, problems[0])


def cmd_recover(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.store.recovery import recover

    salvage = recover(ctx.db_path, args.output)
    lost = sum(salvage.lost.values())
    ctx.print(
        f"recovered {salvage.reviews} reviews and {salvage.claims} claims into {args.output} "
        f"({salvage.method}; {lost} unreadable or orphaned rows left behind)"
    )
    ctx.print(f"open it: reviewapp --db {args.output} list")
    return 0
