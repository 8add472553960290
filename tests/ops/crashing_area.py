"""An area command that fails in a way nobody foresaw (for the CLI's last-resort test)."""

from __future__ import annotations

import argparse


def _crash(_args: argparse.Namespace) -> int:
    raise RuntimeError("an area nobody finished")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("crash", help="fails")
    p.set_defaults(func=_crash)
