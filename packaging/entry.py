"""Entry point of the bundled executable: the same command line as ``frontdesk``."""

import sys

from frontdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
