"""What every command module shares: exit codes and the data folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..paths import default_data_dir

# exit codes: the whole table is frontdesk/core/it_failures.py and docs/install.md
EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # as a shell reports a command killed by SIGPIPE

DEMO_BRANCH = "BJ0101"
DEMO_WORKSTATION = "W01"


def data_dir_of(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()
