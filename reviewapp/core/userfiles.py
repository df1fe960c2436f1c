"""Reading a file the user named, with a one-line message for every way that can fail."""

from __future__ import annotations

from pathlib import Path

from reviewapp.core.errors import BadInput


def read_user_file(path: Path, what: str) -> bytes:
    """The bytes of path; BadInput saying what is wrong when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise BadInput(f"no {what} at {path}") from exc
    except IsADirectoryError as exc:
        raise BadInput(f"{path} is a folder, not a {what}") from exc
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from exc
