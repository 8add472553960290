"""Time for the counter: stored in UTC, business days in China Standard Time.

A branch's business day (what a day close or a slip number's date means) is the
calendar day in Asia/Shanghai, whatever zone the PC's clock is set to. Services take
a :class:`Clock` so tests can hold time still or move it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until moved (tests, benchmarks, demos)."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> dt.datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        self._at += dt.timedelta(**delta)

    def set(self, at: dt.datetime) -> None:
        self._at = at


def business_date(at: dt.datetime) -> dt.date:
    return at.astimezone(BUSINESS_TZ).date()


def local_time(at: dt.datetime) -> dt.datetime:
    return at.astimezone(BUSINESS_TZ)


def utc_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in UTC of business days ``date_from``..``date_to`` (business time)."""
    start = dt.datetime.combine(date_from, dt.time(), BUSINESS_TZ).astimezone(dt.UTC)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), BUSINESS_TZ)
    return start, end.astimezone(dt.UTC)
