"""``python -m reviewapp.cli.gitsign --account ACCOUNT -Y ...``: git's signing program.

The program lives in ``reviewapp.workflows.gitsign`` (``main``) so that git reaches it without
this package's start-up cost; the archive's wrapper script runs it directly (``python -P -c``),
and ``reviewapp --git-sign`` (the console script and the frozen app) does the same. This module
stays as the documented ``-m`` entry point.
"""

from __future__ import annotations

import sys

from reviewapp.workflows.gitsign import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
