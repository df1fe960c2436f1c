"""``source capture``: keep a copy of a source as fetched (a WARC record in the library)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reviewapp.cli.refs import METAVAR, ref_help
from reviewapp.core.stableids import IdKind

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context


def _source_actions(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The actions of the ``source`` command (cli/articles.py registers it, before this
    module: commands are registered in module name order)."""
    source = sub.choices["source"]
    for action in source._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the source command has no actions")  # a programming error


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from reviewapp.ingest.settings import DEFAULT_SETTINGS as d

    p = _source_actions(sub).add_parser(
        "capture",
        help="fetch a source's URL and keep the response (bytes, status, headers, time, "
        "SHA-256) as a WARC record in the library",
    )
    p.add_argument("id", type=int, help="review id")
    p.add_argument("number", metavar=METAVAR, help=ref_help(IdKind.SOURCE))
    p.add_argument(
        "--timeout", type=float, metavar="S", help=f"deadline for the fetch (default {d.timeout:g})"
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        metavar="N",
        help=f"largest response, bytes (default {d.max_bytes})",
    )
    p.add_argument("--json", action="store_true", help="print the capture as JSON")
    p.set_defaults(handler=cmd_source_capture)


def cmd_source_capture(args: argparse.Namespace, ctx: Context) -> int:
    import dataclasses

    from reviewapp.cli.refs import source_ref
    from reviewapp.core.errors import BadInput
    from reviewapp.ingest.settings import IngestSettings
    from reviewapp.workflows.captures import capture_source, describe

    given = {
        name: getattr(args, name)
        for name in ("timeout", "max_bytes")
        if getattr(args, name) is not None
    }
    if given.get("timeout", 1) <= 0 or given.get("max_bytes", 1) <= 0:
        raise BadInput("--timeout and --max-bytes must be greater than 0")
    store = ctx.store()
    source = source_ref(store, args.id, args.number)
    capture = capture_source(store, source.id, IngestSettings(**given))
    if args.json:
        ctx.print_json(dataclasses.asdict(capture))
    else:
        ctx.print(describe(capture))
    return 0
