"""GB/T 2260 administrative-division codes (行政区划代码), as used in ID numbers.

The table in ``resources/regions/gb2260.csv`` holds every code the sources knew since
1980, current and abolished: a 居民身份证 number keeps the address code of the county
where it was first issued, even after that county was merged or renamed, so an
abolished code is still a valid part of a number. ``abolished`` gives the last year a
code was in the table (empty while it is current). Source and licence:
``resources/regions/SOURCE.md``.

The table is read once, lazily, on first use. ``FRONTDESK_RESOURCES`` points at another
resources folder (used by packaged builds and tests).
"""

from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Region",
    "is_abolished",
    "is_known",
    "region",
    "region_name",
    "region_path",
    "resources_dir",
]


def resources_dir() -> Path:
    """The top-level ``resources`` folder (env ``FRONTDESK_RESOURCES`` overrides)."""
    override = os.environ.get("FRONTDESK_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    abolished: int | None  # last year in the table; None while the code is current

    @property
    def is_current(self) -> bool:
        return self.abolished is None


@functools.cache
def _table() -> dict[str, Region]:
    path = resources_dir() / "regions" / "gb2260.csv"
    table: dict[str, Region] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            ended = row.get("abolished") or ""
            table[row["code"]] = Region(row["code"], row["name"], int(ended) if ended else None)
    return table


def region(code: str) -> Region | None:
    """The entry for a 6-digit code, or ``None`` when the table does not know it."""
    return _table().get(code)


def region_name(code: str) -> str | None:
    """The name of a 6-digit code (its last known name for an abolished code)."""
    entry = region(code)
    return entry.name if entry else None


def is_known(code: str) -> bool:
    """Whether the code is (or was) a GB/T 2260 code."""
    return code in _table()


def is_abolished(code: str) -> bool:
    entry = region(code)
    return entry is not None and entry.abolished is not None


def region_path(code: str) -> list[str]:
    """Province, prefecture and county names for a code, those that exist, top down.

    ``region_path("110105")`` → ``["北京市", "市辖区", "朝阳区"]``. Unknown levels are
    skipped; an unknown code gives an empty list.
    """
    if len(code) != 6 or not code.isdigit():
        return []
    candidates = dict.fromkeys((code[:2] + "0000", code[:4] + "00", code))  # ordered, unique
    return [name for c in candidates if (name := region_name(c)) is not None]
