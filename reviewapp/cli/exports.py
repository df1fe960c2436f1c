"""The export command: one review in any format (signed Markdown comes with its .sig)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export", help="write a review as Markdown (signed when signed off) or another format"
    )
    p.add_argument("id", type=int)
    p.add_argument("--format", default="md", help="md, json, w3c, claimreview or csv")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.export.files import export_review

    data = ctx.store().load_review(args.id)
    files = export_review(data, args.format, args.output, archive=ctx.store())
    if args.output is None:
        buffer = getattr(ctx.out, "buffer", None)
        if buffer is not None:
            ctx.out.flush()
            buffer.write(files.content)
            buffer.flush()
        else:
            ctx.out.write(files.content.decode("utf-8"))
    else:
        for path in files.written:
            print(f"wrote {path}", file=ctx.err)
    return 0
