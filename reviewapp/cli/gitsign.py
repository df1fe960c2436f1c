"""``python -m reviewapp.cli.gitsign --account ACCOUNT -Y ...``: git's signing program.

The archive's working copy names a small wrapper script as ``gpg.ssh.program``; it runs this
module with the editor's keyring account. ``-Y sign`` is answered here with the key from the
keyring (``reviewapp.workflows.gitsign``); every other ``-Y`` operation goes to ssh-keygen.
Errors are one line on stderr and exit code 1 (git then says the signing failed).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence

from reviewapp.core.errors import ReviewAppError


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    account = ""
    if args[:1] == ["--account"] and len(args) >= 2:
        account, args = args[1], args[2:]
    from reviewapp.secrets import default_secret_store
    from reviewapp.workflows.gitsign import parse_sign_request, sign_file

    try:
        request = parse_sign_request(args)
        if request is None:
            return _ssh_keygen(args)
        if not account:
            raise ReviewAppError("no --account: which reviewer's key should sign?")
        sign_file(request, default_secret_store(), account)
    except ReviewAppError as exc:
        print(f"reviewapp (git signing): {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"reviewapp (git signing): {exc}", file=sys.stderr)
        return 1
    return 0


def _ssh_keygen(args: list[str]) -> int:
    program = shutil.which("ssh-keygen")
    if program is None:
        print("reviewapp (git signing): ssh-keygen is not installed", file=sys.stderr)
        return 1
    sys.stdout.flush()
    os.execv(program, [program, *args])
    return 1  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main())
