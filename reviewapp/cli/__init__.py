"""The command line: parse arguments, call the functions the GUI calls, map errors to exit codes.

Exit codes: 0 success, 1 verification failed, 2 bad usage or bad input (one line on stderr,
nothing written). Each module in this package that defines ``register(subparsers)`` adds commands.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import pkgutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from reviewapp import __version__
from reviewapp.core.errors import ReviewAppError
from reviewapp.store import ReviewStore, default_db_path

log = logging.getLogger("reviewapp")


@dataclass
class Context:
    """What a command handler gets besides its arguments."""

    db_path: Path
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _store: ReviewStore | None = None

    def store(self) -> ReviewStore:
        if self._store is None:
            self._store = ReviewStore(self.db_path)
        return self._store

    def print(self, *parts: object) -> None:
        print(*parts, file=self.out)

    def print_json(self, value: Any) -> None:
        json.dump(value, self.out, indent=2, ensure_ascii=False, sort_keys=True)
        self.out.write("\n")

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as our one-line message and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


class UsageError(ReviewAppError):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reviewapp",
        description="Review AI-assisted drafts claim by claim, and sign the review off. "
        "With no command, opens the application window.",
    )
    parser.add_argument("--version", action="version", version=f"reviewapp {__version__}")
    parser.add_argument(
        "--db", type=Path, help="the database file (default: $REVIEWAPP_DB or the user data dir)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation on a throwaway database (sample import, window drawn "
        "offscreen, sign-off with a memory key, export verified); exit 0 when all checks pass",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _command_modules():
        module.register(sub)
    return parser


def _command_modules() -> list[Any]:
    import reviewapp.cli as package

    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"reviewapp.cli.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return modules


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.self_test:
        return _self_test()
    ctx = Context(db_path=args.db or default_db_path())
    handler = getattr(args, "handler", None)
    if handler is None:
        return _open_gui(ctx)
    try:
        return int(handler(args, ctx) or 0)
    except ReviewAppError as exc:
        log.debug("command failed", exc_info=True)
        print(f"reviewapp: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("reviewapp: interrupted", file=sys.stderr)
        return 130
    finally:
        ctx.close()


def _self_test() -> int:
    try:
        from reviewapp.ui.selftest import run_self_test
    except ImportError as exc:
        print(f"FAIL qt: the window cannot start ({exc})", file=sys.stderr)
        return 1
    return run_self_test()


def _open_gui(ctx: Context) -> int:
    try:
        from reviewapp.ui.app import run_app
    except ImportError as exc:
        print(
            f"reviewapp: the window cannot start ({exc}); the commands work: reviewapp --help",
            file=sys.stderr,
        )
        return 2
    return run_app(ctx.db_path)
