"""``python -m frontdesk.cli``: the same entry point as the ``frontdesk`` command."""

import sys

from . import main

sys.exit(main())
