"""The GUI's logging: the rotating log file (reviewapp.logs) plus Qt's own messages.

Qt prints its warnings to stderr, which a desktop user never sees; routed through Python's
logging they land in the same file as our tracebacks, where a bug report can quote them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from reviewapp import __version__
from reviewapp.logs import setup_file_logging

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


def start_gui_logging(database: Path, folder: Path | None = None) -> Path:
    """Log to the rotating file (default folder: reviewapp.logs.log_dir()); returns its path."""
    from PySide6.QtCore import qVersion

    path = setup_file_logging(folder)
    route_qt_messages()
    logging.getLogger("reviewapp").info(
        "reviewapp %s started (Qt %s) on %s", __version__, qVersion(), database
    )
    return path
