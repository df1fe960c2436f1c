"""Addresses are kept without credentials, and reading a named file is bounded."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.core.urls import without_credentials
from reviewapp.core.userfiles import read_user_file


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("http://alice:secret@example.org/a?b=1#c", "http://example.org/a?b=1#c"),
        ("https://alice@example.org:8443/x", "https://example.org:8443/x"),
        ("https://a:b@c@example.org/", "https://example.org/"),
        ("https://example.org/page@2", "https://example.org/page@2"),
        ("mailto:ed@example.org", "mailto:ed@example.org"),
        ("http://[::1", "http://[::1"),
        ("", ""),
    ],
)
def test_credentials_never_survive_in_an_address(url: str, kept: str) -> None:
    assert without_credentials(url) == kept
    assert "secret" not in without_credentials(url)


def test_a_file_is_read_up_to_its_limit_and_refused_past_it(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b"x" * 100)
    assert read_user_file(path, "bundle", max_bytes=100) == b"x" * 100
    with pytest.raises(BadInput, match="larger than 99 bytes: too large for a bundle"):
        read_user_file(path, "bundle", max_bytes=99)


def test_a_fifo_that_never_ends_is_cut_at_the_limit(tmp_path: Path) -> None:
    """A FIFO's size says 0; the reader must stop at the limit, not at the end."""
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)

    def write_more_than_the_limit() -> None:
        try:
            with open(fifo, "wb") as out:
                for _ in range(64):
                    out.write(b"y" * 4096)
        except BrokenPipeError:  # the reader stopped at its limit and closed the pipe
            pass

    writer = threading.Thread(target=write_more_than_the_limit)
    writer.start()
    try:
        with pytest.raises(BadInput, match="too large"):
            read_user_file(fifo, "bundle", max_bytes=10_000)
    finally:
        writer.join(timeout=10)
    assert not writer.is_alive()
