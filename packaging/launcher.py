"""Entry script of the frozen app: the same ``main`` as the ``reviewapp`` console script.

``--git-sign`` (git's signing program for the shared archive, run once per signed commit) is
answered before the command line package is imported: it only needs the keyring and the key.
"""

import sys
from multiprocessing import freeze_support

if __name__ == "__main__":
    # First of all: in a worker process of the window (workflows/workers.py, spawned as this
    # executable with --multiprocessing-fork) this runs the worker and exits.
    freeze_support()
    if sys.argv[1:2] == ["--git-sign"]:
        from reviewapp.workflows.gitsign import main as git_sign

        sys.exit(git_sign(sys.argv[2:]))
    from reviewapp.cli import main

    sys.exit(main())
