"""Reading a file the user named, with a one-line message for every way that can fail."""

from __future__ import annotations

from pathlib import Path

from reviewapp.core.errors import BadInput

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def human_size(n: int) -> str:
    """A byte count as people read it: 812 bytes, 64 KB, 20.0 MB."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n // 1024} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def read_user_file(path: Path, what: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of path; BadInput saying what is wrong when it cannot be read.

    At most max_bytes are read, whatever the file system says its size is (a FIFO, a device
    or a file still growing can claim less than it gives).
    """
    try:
        with path.open("rb") as handle:
            content = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise BadInput(f"no {what} at {path}") from exc
    except IsADirectoryError as exc:
        raise BadInput(f"{path} is a folder, not a {what}") from exc
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(content) > max_bytes:
        raise BadInput(f"{path} is larger than {human_size(max_bytes)}: too large for a {what}")
    return content
