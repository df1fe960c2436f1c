import sys

from reviewapp.cli import main

sys.exit(main())
