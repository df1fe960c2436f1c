"""The command line: parse arguments, call the functions the GUI calls, map errors to exit codes.

Exit codes: see EXIT_CODES (one line on stderr, nothing written, never a traceback). Each module
in this package that defines ``register(subparsers)`` adds commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import re
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from reviewapp import __version__
from reviewapp.core.errors import ReviewAppError
from reviewapp.launch import open_gui, self_test

if TYPE_CHECKING:  # a command imports the store when it opens it; the window, after gc is off
    from reviewapp.store import ReviewStore

log = logging.getLogger("reviewapp")

EXIT_UNEXPECTED = 4
EXIT_CODES = (
    "exit codes: 0 success; 1 verification failed; 2 bad usage or bad input (nothing written); "
    "3 the database is damaged (nothing written; see 'reviewapp db check' and 'db recover'); "
    f"{EXIT_UNEXPECTED} an unexpected error (a bug: the message says where the log with the "
    "details is)"
)
SQLITE_MAX_INT = 2**63 - 1

# Characters a terminal would act on instead of showing: C0 controls but tab and newline, DEL,
# C1 controls (ESC's 8-bit twins), bidi overrides and isolates, line separators, and the lone
# surrogates Python uses for bytes that were not UTF-8.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
# In JSON, json.dump already escapes C0; these it leaves raw.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """text with every character a terminal would act on shown as an escape (\\x1b, \\u202e)."""
    return _UNSAFE.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with the control and bidi characters json.dump leaves raw written as \\uXXXX."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass
class Context:
    """What a command handler gets besides its arguments."""

    db_path: Path
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _store: ReviewStore | None = None
    _created: list[Path] = field(default_factory=list)

    def store(self) -> ReviewStore:
        if self._store is None:
            from reviewapp.store import ReviewStore

            self._created = _missing_paths(self.db_path)
            self._store = ReviewStore(self.db_path)
        return self._store

    def print(self, *parts: object) -> None:
        """Print for a terminal: control characters from article text are shown, not obeyed."""
        print(*(terminal_safe(str(part)) for part in parts), file=self.out)

    def write(self, text: str) -> None:
        """Text as it is (no newline added), terminal-safe like print."""
        self.out.write(terminal_safe(text))

    def note(self, *parts: object) -> None:
        """A note or warning on stderr, as terminal-safe as print."""
        print(*(terminal_safe(str(part)) for part in parts), file=self.err)

    def print_json(self, value: Any) -> None:
        text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
        self.out.write(json_safe(text) + "\n")

    def close(self, failed: bool = False) -> None:
        """Close the library; after a failed command, remove a library this command created."""
        if self._store is not None:
            empty = failed and bool(self._created) and _holds_nothing(self._store)
            self._store.close()
            self._store = None
            if empty:
                _remove_created(self.db_path, self._created)


def _missing_paths(db: Path) -> list[Path]:
    """The database file and the folders above it that do not exist yet (deepest first)."""
    missing = []
    for path in (db, *db.absolute().parents):
        if path.exists():
            break
        missing.append(path)
    return missing


def _holds_nothing(store: ReviewStore) -> bool:
    """True when no table of the library has a row (a failed command wrote nothing)."""
    try:
        return store.is_empty()
    except (sqlite3.Error, ReviewAppError):
        return False


def _remove_created(db: Path, created: list[Path]) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    for folder in created[1:]:
        try:
            folder.rmdir()
        except OSError:  # not empty: something else put a file there
            break


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as our one-line message and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


class UsageError(ReviewAppError):
    pass


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; without the commands only the options the window takes."""
    parser = _Parser(
        prog="reviewapp",
        description="Review AI-assisted drafts claim by claim, and sign the review off. "
        "With no command, opens the application window.",
        epilog=EXIT_CODES,
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
    if not with_commands:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _command_modules():
        module.register(sub)
    return parser


def _window_parser(argv: list[str]) -> argparse.ArgumentParser | None:
    """The options-only parser when argv opens the window (no command, no help), else None.

    Registering the commands imports every command module and what they need (the diff, the
    exporters, the suggestion detector: ~75 ms); the window's start does not wait for them.
    """
    if any(a in ("-h", "--help") or a.startswith("--he") for a in argv):
        return None
    parser = build_parser(with_commands=False)
    try:
        _, rest = parser.parse_known_args(argv)
    except UsageError:
        return None
    return None if rest else parser


def _command_modules() -> list[Any]:
    import importlib
    import pkgutil

    import reviewapp.cli as package

    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"reviewapp.cli.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return modules


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--git-sign"]:  # git's signing program (docs/archive.md), nothing else
        from reviewapp.workflows.gitsign import main as git_sign

        return git_sign(argv[1:])
    parser = _window_parser(argv) or build_parser()
    try:
        args = parser.parse_args(argv)
        check_arguments(args)
    except UsageError as exc:
        print(terminal_safe(str(exc)), file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.self_test:
        return self_test()
    handler = getattr(args, "handler", None)
    if handler is None:
        return open_gui(args.db)  # None: the default library
    from reviewapp.store import default_db_path

    ctx = Context(db_path=args.db or default_db_path())
    code = EXIT_UNEXPECTED
    try:
        code = _run(handler, args, ctx)
        return code
    finally:
        _close_quietly(ctx, failed=code != 0)


def _run(handler: Any, args: argparse.Namespace, ctx: Context) -> int:
    """The handler's exit code; every error becomes one line on stderr and its code."""
    try:
        return int(handler(args, ctx) or 0)
    except ReviewAppError as exc:
        return _fail(exc, ctx)
    except sqlite3.DatabaseError as exc:  # not met on a damaged or busy file: translated before
        return _fail(_database_failure(exc, ctx), ctx)
    except KeyboardInterrupt:
        print("reviewapp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (| head): nothing left to tell it
        _silence_stdout()
        return 141
    except OSError as exc:
        log.debug("command failed", exc_info=True)
        what = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
        print(terminal_safe(f"reviewapp: {what}"), file=sys.stderr)
        return 2
    except Exception as exc:
        return _unexpected(exc)


def _fail(exc: ReviewAppError, ctx: Context) -> int:
    log.debug("command failed", exc_info=True)
    print(terminal_safe(f"reviewapp: {exc}"), file=sys.stderr)
    return exc.exit_code


def _database_failure(exc: sqlite3.DatabaseError, ctx: Context) -> ReviewAppError:
    """An SQLite error the store did not expect: damage unless the file checks out whole."""
    from reviewapp.store.database import damaged, translate_error

    translated = translate_error(exc, ctx.db_path)
    if translated is not None:
        return translated
    if ctx._store is not None and not _checks_out(ctx._store):
        return damaged(ctx.db_path, str(exc))
    log.error("database error on a whole file", exc_info=exc)
    return ReviewAppError(f"the database refused the command ({exc}); nothing was written")


def _checks_out(store: ReviewStore) -> bool:
    try:
        return store.is_whole()
    except (sqlite3.Error, ReviewAppError):
        return False


def _unexpected(exc: Exception) -> int:
    """A bug: the traceback goes to the log file, the user gets one line saying where."""
    from reviewapp.logs import log_path, setup_file_logging

    try:
        setup_file_logging()
        where = f"the details are in {log_path()}"
    except OSError as log_error:
        where = f"the log could not be written ({log_error}); run with -v for the details"
    log.error("unexpected error", exc_info=exc)
    line = f"reviewapp: unexpected error ({type(exc).__name__}: {exc}); this is a bug; {where}"
    print(terminal_safe(line), file=sys.stderr)
    return EXIT_UNEXPECTED


def _close_quietly(ctx: Context, failed: bool) -> None:
    try:
        ctx.close(failed=failed)
    except (sqlite3.Error, ReviewAppError, OSError) as exc:
        log.warning("closing the database: %s", exc)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (a test's buffer): nothing will flush to a pipe


# ---------------------------------------------------------------------- arguments
def check_arguments(args: argparse.Namespace) -> None:
    """Refuse text that is not UTF-8 and numbers SQLite cannot store, before anything opens."""
    for name, value in _argument_values(args):
        if isinstance(value, str | Path):
            _check_text(name, str(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            if not 0 <= value <= SQLITE_MAX_INT:
                raise UsageError(
                    f"reviewapp: argument {name}: {value} is out of range (0 to {SQLITE_MAX_INT})"
                )
        elif isinstance(value, float) and not (math.isfinite(value) and value >= 0):
            raise UsageError(f"reviewapp: argument {name}: {value} is not a positive number")


def _argument_values(args: argparse.Namespace) -> Iterator[tuple[str, Any]]:
    for dest, value in vars(args).items():
        name = dest.replace("_", "-")
        for item in value if isinstance(value, list | tuple) else [value]:
            # an option parsed into parts (--claim N:STANCE is (N, stance)): check each part
            for part in item if isinstance(item, tuple) else [item]:
                yield name, part


def _check_text(name: str, text: str) -> None:
    bad = _SURROGATE.search(text)
    if bad is not None:
        byte = ord(bad.group()) - 0xDC00
        raise UsageError(
            f"reviewapp: argument {name} is not valid UTF-8 (byte 0x{byte:02x} at character "
            f"{bad.start() + 1}); give it in UTF-8"
        )
