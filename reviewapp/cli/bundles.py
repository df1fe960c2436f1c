"""The import-bundle command: bring reviews exported with --format json into this database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from reviewapp.export.bundle import MAX_BUNDLE_BYTES, read_bundle_files

# Beyond this a bundle cannot be imported within 1 GB of memory anyway (several bytes per byte).
MAX_SIZE_MB = 1024

if TYPE_CHECKING:  # the package imports this module: no runtime import back
    from reviewapp.cli import Context
    from reviewapp.workflows.bundles import BundleImport


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import-bundle",
        help="import reviews from JSON bundles (reviewapp export --format json); signed ones "
        "are verified, reviews already here are skipped",
        description="Import reviews from JSON bundles made by `reviewapp export --format json` "
        "on this or another computer. All files are checked first and written in one "
        "transaction: one bad file imports nothing. A signed-off review is verified (each "
        "signature, the text it signs, and the claims against the signed Markdown); a changed "
        "one is refused with exit code 1. A review already here (same creation time, same "
        "article text) is skipped and reported.",
    )
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="bundle file(s)")
    p.add_argument(
        "--max-size",
        type=_megabytes,
        default=MAX_BUNDLE_BYTES,
        metavar="MB",
        help="refuse bundles larger than this, all files together "
        f"(default {MAX_BUNDLE_BYTES >> 20} MB)",
    )
    p.set_defaults(handler=cmd_import_bundle)


def cmd_import_bundle(args: argparse.Namespace, ctx: Context) -> int:
    from reviewapp.workflows.bundles import check_bundle, import_bundles

    # Every file is read and verified before the database is opened: a bad one writes nothing.
    files = read_bundle_files(args.files, args.max_size)
    checked = [check_bundle(content, str(path)) for path, content in files]
    results = import_bundles(ctx.store(), checked)
    for result in results:
        _report(result, ctx)
    imported = sum(not r.skipped for r in results)
    if len(results) > 1:
        ctx.print(f"{imported} imported, {len(results) - imported} skipped as already here")
    return 0


def _megabytes(value: str) -> int:
    """--max-size: a whole number of megabytes from 1 to 1024, as bytes."""
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_SIZE_MB):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a whole number of megabytes from 1 to {MAX_SIZE_MB}"
        )
    return int(value) << 20


def _report(result: BundleImport, ctx: Context) -> None:
    ctx.print(result.summary())
    for warning in result.warnings():
        ctx.note(f"  note: {warning}")
