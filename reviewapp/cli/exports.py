"""The export command: one review in any format (signed Markdown comes with its .sig), or every
review into a folder (--all)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reviewapp.core import scales
from reviewapp.core.errors import BadInput

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="write a review as Markdown (signed when signed off) or another format; "
        "--all writes every review into a folder",
    )
    p.add_argument("id", type=int, nargs="?", help="review id (or --all)")
    p.add_argument("--all", action="store_true", help="export every review into the folder -o DIR")
    p.add_argument(
        "--status",
        choices=list(scales.REVIEW_STATUSES),
        help="with --all: only reviews with this status",
    )
    p.add_argument(
        "--format",
        default="md",
        help="md, json, w3c, claimreview, csv, or warc (every capture of the review's "
        "sources as one WARC file; .warc.gz unless -o names a .warc file)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="file to write (default: standard output); with --all, the folder to write into",
    )
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.exporting import export_review

    if args.all:
        if args.id is not None:
            raise BadInput("give a review id or --all, not both")
        if args.output is None:
            raise BadInput("--all needs a folder: -o DIR")
        return _export_all(args, ctx)
    if args.id is None:
        raise BadInput("give a review id, or --all -o DIR")
    if args.status:
        raise BadInput("--status only goes with --all")
    files = export_review(ctx.store(), args.id, args.format, args.output)
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
            ctx.note(f"wrote {path}")
    return 0


def _export_all(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.export.batch import export_all

    bar = ProgressBar(ctx.err) if _is_terminal(ctx.err) else None
    try:
        written = export_all(
            ctx.store(),
            args.output,
            args.format,
            args.status or "",
            progress=bar.update if bar else None,
        )
    finally:
        if bar is not None:
            bar.close()
    which = f" {args.status}" if args.status else ""
    if not written:
        ctx.note(f"no{which} reviews to export; nothing was written")
        return 0
    noun = "file" if len(written) == 1 else "files"
    ctx.note(f"wrote {len(written)} {noun} to {args.output}")
    return 0


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class ProgressBar:
    """One line on a terminal, redrawn in place: [#####-----]  50% 5 of 10: review-5-....md"""

    WIDTH = 24
    LINE = 78  # padded to this width so a shorter line wipes out a longer one

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.drawn = False

    def update(self, percent: int, text: str) -> None:
        filled = self.WIDTH * max(0, min(percent, 100)) // 100
        line = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {percent:3d}% {text}"
        if len(line) > self.LINE:
            line = line[: self.LINE - 1] + "…"
        self.stream.write("\r" + line.ljust(self.LINE))
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
