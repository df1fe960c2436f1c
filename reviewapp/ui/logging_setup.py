"""The GUI's logging: the rotating log file (reviewapp.logs) plus Qt's own messages.

Qt prints its warnings to stderr, which a desktop user never sees; routed through Python's
logging they land in the same file as our tracebacks, where a bug report can quote them.

The app's start logs from the beginning (begin_gui_logging) but opens the file after the
window's first paint (open_log_file): what was logged meanwhile is written to it then.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from reviewapp import __version__
from reviewapp.logs import hold_records, setup_file_logging

qt_log = logging.getLogger("reviewapp.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    qt_log.log(_LEVELS.get(kind, logging.WARNING), "%s", message)


def route_qt_messages() -> None:
    """Send Qt's debug, warning and critical messages to the 'reviewapp.qt' logger."""
    qInstallMessageHandler(_qt_message)


def begin_gui_logging(database: Path) -> None:
    """Qt's messages routed and the start logged, all held for the file open_log_file opens."""
    from PySide6.QtCore import qVersion

    hold_records()
    route_qt_messages()
    logging.getLogger("reviewapp").info(
        "reviewapp %s started (Qt %s) on %s", __version__, qVersion(), database
    )


def open_log_file(folder: Path | None = None) -> Path:
    """Open the rotating file (default folder: reviewapp.logs.log_dir()) and write to it what
    was logged since begin_gui_logging; returns its path."""
    return setup_file_logging(folder)


def start_gui_logging(database: Path, folder: Path | None = None) -> Path:
    """Log to the rotating file (default folder: reviewapp.logs.log_dir()); returns its path."""
    begin_gui_logging(database)
    return open_log_file(folder)
