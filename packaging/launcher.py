"""Entry script of the frozen app: the same ``main`` as the ``reviewapp`` console script."""

import sys

from reviewapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
