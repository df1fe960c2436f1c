"""The application log: a rotating file in the user's log folder, with secrets kept out.

The GUI writes here (the CLI prints to stderr instead): what it started with, migrations, and
every unexpected error with its traceback, while the editor sees one line. No Qt here, so
the About dialog, the CLI and tests can all ask where the log lives.

The window opens its log file after its first paint (``logging.handlers`` and ``platformdirs``
cost ~13 ms to import): until then ``hold_records`` keeps what is logged, and
``setup_file_logging`` writes it to the file first.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from reviewapp import APP_NAME

if TYPE_CHECKING:  # imported by setup_file_logging: the window's first paint does without
    from logging.handlers import RotatingFileHandler

LOG_FILE = "reviewapp.log"
MAX_BYTES = 1_000_000  # per file; with the backups at most ~4 MB on disk
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# A private key in the OpenSSH (or any PEM) format: never written to the log, whoever logs it.
_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.S
)
REDACTED = "[private key removed]"


def log_dir() -> Path:
    """The folder of the log files (e.g. ~/.local/state/reviewapp/log on Linux)."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_path() -> Path:
    return log_dir() / LOG_FILE


def redact(text: str) -> str:
    """The text with every private key block replaced by a marker."""
    return _PRIVATE_KEY.sub(REDACTED, text)


def _ours_or_warning(record: logging.LogRecord) -> bool:
    """The app's own INFO lines, and only warnings and errors from the libraries it uses."""
    return record.levelno >= logging.WARNING or record.name.split(".")[0] == APP_NAME


class RedactingFormatter(logging.Formatter):
    """Formats as usual (traceback included), then removes private keys from the line."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class HeldRecords(logging.Handler):
    """Keeps the records the log file would get, until setup_file_logging writes them to it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.addFilter(_ours_or_warning)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def hold_records() -> HeldRecords:
    """Keep what is logged from now on for the log file, which setup_file_logging opens later;
    handlers already on the root logger (the CLI's stderr) show what they showed before."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, HeldRecords):
            return handler
    held = HeldRecords()
    _add_to_root(held)
    return held


def setup_file_logging(folder: Path | None = None) -> Path:
    """Log INFO and above to a rotating file in folder (default: log_dir()); returns its path.

    Handlers already on the root logger (the CLI's stderr) keep showing what they showed
    before; only the file gets the INFO lines. Calling it again adds no second handler. What
    hold_records kept is written to the file first.
    """
    from logging.handlers import RotatingFileHandler

    path = (folder or log_dir()) / LOG_FILE
    root = logging.getLogger()
    for existing in root.handlers:
        if isinstance(existing, RotatingFileHandler) and Path(
            existing.baseFilename
        ) == path.resolve(strict=False):
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(RedactingFormatter(FORMAT))
    handler.setLevel(logging.INFO)
    handler.addFilter(_ours_or_warning)
    _add_to_root(handler)
    _hand_over_held(handler)
    return path


def _add_to_root(handler: logging.Handler) -> None:
    """Add an INFO handler to the root logger, the others keeping the level they had."""
    root = logging.getLogger()
    previous = root.getEffectiveLevel()
    for existing in root.handlers:
        if existing.level == logging.NOTSET:
            existing.setLevel(previous)
    root.addHandler(handler)
    if previous > logging.INFO:
        root.setLevel(logging.INFO)


def _hand_over_held(handler: RotatingFileHandler) -> None:
    """Write what hold_records kept to the file, in order, and stop holding."""
    root = logging.getLogger()
    for held in [h for h in root.handlers if isinstance(h, HeldRecords)]:
        root.removeHandler(held)
        for record in held.records:
            handler.handle(record)
        held.records.clear()
