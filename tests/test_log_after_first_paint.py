"""The window opens its log file after its first paint: what is logged before that is kept and
written to the file first, in order, filtered as the file filters; nothing else changes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp import logs


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger as a CLI run leaves it (a stderr handler at WARNING); restored after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stderr = logging.StreamHandler()
    root.handlers[:] = [stderr]
    root.setLevel(logging.WARNING)
    yield root
    for handler in root.handlers:
        if handler is not stderr:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_what_is_logged_before_the_file_opens_is_written_to_it_first(root_logger, tmp_path: Path):
    held = logs.hold_records()
    assert logs.hold_records() is held  # asked again: the same keeper
    logging.getLogger("reviewapp.ui").info("started on the library")
    logging.getLogger("trafilatura.core").info("a library's info line")
    logging.getLogger("reviewapp.store").warning("migrated the library")
    path = logs.setup_file_logging(tmp_path)
    logging.getLogger("reviewapp.ui").info("after the file opened")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "started on the library",
        "migrated the library",
        "after the file opened",
    ]
    # the keeper is gone and empty: nothing is kept twice, nor kept for ever
    assert not any(isinstance(h, logs.HeldRecords) for h in root_logger.handlers)
    assert held.records == []
    # the CLI's stderr handler still shows warnings only
    (stderr,) = [h for h in root_logger.handlers if type(h) is logging.StreamHandler]
    assert stderr.level == logging.WARNING


def test_a_private_key_logged_before_the_file_opens_never_reaches_it(root_logger, tmp_path):
    logs.hold_records()
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----"
    logging.getLogger("reviewapp.signing").error("a key: %s", key)
    text = logs.setup_file_logging(tmp_path).read_text(encoding="utf-8")
    assert "b3BlbnNzaC1rZXk" not in text and f"a key: {logs.REDACTED}" in text
