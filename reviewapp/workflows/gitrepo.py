"""Running the git command-line tool: a timeout, a cancel flag, and one-line errors.

The shared archive is a plain git repository, written and read by the real git (2.34 or newer
verifies SSH-signed commits), so what reviewapp writes is what any newsroom's git reads.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.errors import BadInput, ReviewAppError

log = logging.getLogger(__name__)

# Network operations (fetch, push) may be slow; anything local answers within seconds.
NETWORK_TIMEOUT = 300.0
LOCAL_TIMEOUT = 60.0
_POLL = 0.1  # how often a running git is checked for a cancel


class GitMissing(BadInput):
    """There is no git program on PATH."""


class GitFailed(BadInput):
    """git ran and failed; the message holds its own first line of explanation."""

    def __init__(self, message: str, stderr: str = ""):
        super().__init__(message)
        self.stderr = stderr


class GitCancelled(ReviewAppError):
    """The editor cancelled while git was running; git was stopped."""


@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")


def git_program() -> str:
    """The path of git, or GitMissing with what to install."""
    found = shutil.which("git")
    if found is None:
        raise GitMissing(
            "git is not installed (no 'git' program on PATH); the shared archive needs it: "
            "install git (Debian/Ubuntu: apt-get install git) and try again"
        )
    return found


def _environment(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    # Messages we read must be in English, and git must never stop to ask for anything.
    env.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""})
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env.update(extra or {})
    return env


def run_git(
    args: Sequence[str],
    cwd: Path | None = None,
    *,
    input: bytes | None = None,
    timeout: float = LOCAL_TIMEOUT,
    cancel: threading.Event | None = None,
    check: bool = True,
    env: Mapping[str, str] | None = None,
) -> GitResult:
    """Run ``git ARGS`` in cwd; GitFailed (one line) on a non-zero exit when check is set."""
    command = [git_program(), *args]
    log.debug("git %s (in %s)", " ".join(args), cwd)
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(env),
    )
    waited = 0.0
    pending = input
    while True:
        try:
            out, err = process.communicate(pending, timeout=_POLL)
            break
        except subprocess.TimeoutExpired:
            pending = None  # communicate keeps feeding the input it was first given
            waited += _POLL
            if cancel is not None and cancel.is_set():
                _stop(process)
                raise GitCancelled("cancelled; git was stopped") from None
            if waited >= timeout:
                _stop(process)
                raise GitFailed(
                    f"git {args[0]} did not finish within {timeout:.0f} s and was stopped"
                ) from None
    stderr = err.decode("utf-8", errors="replace")
    result = GitResult(process.returncode, out, stderr)
    if check and process.returncode != 0:
        raise GitFailed(f"git {args[0]} failed: {first_line(stderr)}", stderr)
    return result


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.communicate()


def first_line(stderr: str) -> str:
    """git's most telling line: the first 'fatal:' or 'error:' line, else the first line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else "(no message)"


def read_objects(repo: Path, names: Sequence[str]) -> list[bytes | None]:
    """The content of each object (``SHA``, ``REV:path``) in one git process; None if missing."""
    if not names:
        return []
    query = "".join(f"{name}\n" for name in names).encode("utf-8")
    out = run_git(["cat-file", "--batch"], repo, input=query).stdout
    contents: list[bytes | None] = []
    pos = 0
    for _ in names:
        end = out.index(b"\n", pos)
        header = out[pos:end].split(b" ")
        pos = end + 1
        if header[-1] == b"missing" or len(header) != 3:
            contents.append(None)
            continue
        size = int(header[2])
        contents.append(out[pos : pos + size])
        pos += size + 1  # the object is followed by a newline
    return contents
