"""Time for the counter: stored in UTC, shown and typed in the branch's time zone.

A branch's business day (what a day close or a slip number's date means) and every
time a person types or reads is in the branch's zone — ``workstation.time_zone`` in
the config, Asia/Shanghai by default, from the IANA database (the ``tzdata`` package
where the system has none, as on Windows) — whatever zone the PC's clock is set to.
Services take a :class:`Clock` so tests can hold time still or move it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")  # the default branch zone
_zone: ZoneInfo = BUSINESS_TZ


def set_business_zone(name: str) -> ZoneInfo:
    """Use the IANA zone ``name`` for business days and shown/typed times (config)."""
    global _zone
    _zone = ZoneInfo(name)
    return _zone


def business_tz() -> ZoneInfo:
    """The branch's time zone in force (``workstation.time_zone``)."""
    return _zone


def wall_clock_to_utc(now: dt.datetime, hour: int, minute: int) -> dt.datetime:
    """The latest moment at or before ``now`` whose branch wall clock reads hour:minute.

    A time typed by a person (a ticket's 取号时间) is branch time, never UTC; the result
    is in UTC for storage.
    """
    local = now.astimezone(_zone)
    typed = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if typed > local:
        typed = (local - dt.timedelta(days=1)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
    return typed.astimezone(dt.UTC)


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
    return at.astimezone(_zone).date()


def local_time(at: dt.datetime) -> dt.datetime:
    return at.astimezone(_zone)


def utc_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in UTC of business days ``date_from``..``date_to`` (business time)."""
    start = dt.datetime.combine(date_from, dt.time(), _zone).astimezone(dt.UTC)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), _zone)
    return start, end.astimezone(dt.UTC)
