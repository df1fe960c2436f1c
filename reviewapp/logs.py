"""The application log: a rotating file in the user's log folder, with secrets kept out.

The GUI writes here (the CLI prints to stderr instead): what it started with, migrations, and
every unexpected error with its traceback, while the editor sees one line. No Qt here, so
the About dialog, the CLI and tests can all ask where the log lives.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

import platformdirs

from reviewapp import APP_NAME

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


def setup_file_logging(folder: Path | None = None) -> Path:
    """Log INFO and above to a rotating file in folder (default: log_dir()); returns its path.

    Handlers already on the root logger (the CLI's stderr) keep showing what they showed
    before; only the file gets the INFO lines. Calling it again adds no second handler.
    """
    path = (folder or log_dir()) / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(
            handler.baseFilename
        ) == path.resolve(strict=False):
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(RedactingFormatter(FORMAT))
    handler.setLevel(logging.INFO)
    handler.addFilter(_ours_or_warning)
    previous = root.getEffectiveLevel()
    for existing in root.handlers:
        if existing.level == logging.NOTSET:
            existing.setLevel(previous)
    root.addHandler(handler)
    if previous > logging.INFO:
        root.setLevel(logging.INFO)
    return path
