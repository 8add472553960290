"""Working days in mainland China and complaint deadlines (每诉必录 time limits).

A complaint rule such as "reply within 2 working days" (DOMAIN.md, seed 002) counts
days the operator's back office works: Monday to Friday, minus the public holidays,
plus the weekends the State Council declares working days (调休上班). Those two lists
change every year by notice, so they are data (``resources/calendar/holidays.json``,
sources in ``resources/calendar/SOURCE.md``), not code.

A year marked ``provisional`` holds only the statutory holidays of the 放假办法 (the
annual notice with its 调休 weekends was not yet available): deadlines then come out
no later than the real ones, never later — the safe side for the customer. A date in a
year the file does not cover is judged by weekday alone; :meth:`WorkCalendar.covers`
lets callers warn about that.

Everything here is pure: dates in, dates out. Deadlines are computed in the business
zone (Asia/Shanghai) and returned as aware datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .catalogue import ComplaintRule, Deadline
from .clock import BUSINESS_TZ

Area = Literal["city", "suburb", "rural"]  # 城区 / 郊县 / 农村
AREAS: tuple[Area, ...] = ("city", "suburb", "rural")


class CalendarError(ValueError):
    """The holiday file is malformed; the message names the year and the date."""


@dataclass(frozen=True)
class WorkCalendar:
    """Public holidays and adjusted working weekends, by date."""

    holidays: frozenset[dt.date] = frozenset()
    working_weekends: frozenset[dt.date] = frozenset()
    years: Mapping[int, str] = field(default_factory=dict)  # year → official|provisional

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_weekends:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def covers(self, day: dt.date) -> bool:
        """True when the year of ``day`` is in the holiday file at all."""
        return day.year in self.years

    def is_provisional(self, day: dt.date) -> bool:
        return self.years.get(day.year) == "provisional"

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        return add_working_days(self, day, n)


def add_working_days(calendar: WorkCalendar, day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself never counts).

    n = 0 gives ``day`` back. A complaint received on a Saturday counts its first
    working day on Monday, as one received on Friday does.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    for _ in range(n):
        day = calendar.next_working_day(day)
    return day


def deadline_for(
    rule: ComplaintRule | Deadline,
    opened_at: dt.datetime,
    area: Area = "city",
    calendar: WorkCalendar | None = None,
) -> dt.datetime:
    """When a complaint opened at ``opened_at`` must be answered or solved.

    - ``working_days`` N: the end (23:59:59, Beijing time) of the N-th working day after
      the day it was received — "2 个工作日内" as a back office reads it: a complaint
      received Friday afternoon is due at the end of Tuesday.
    - ``hours`` N: N clock hours after receipt (broadband repair runs round the clock);
      ``value_suburb`` applies to suburban and rural addresses (城区 24 h, 郊县 36 h).
    """
    if opened_at.tzinfo is None:
        raise ValueError("opened_at must be timezone-aware")
    deadline = rule.deadline if isinstance(rule, ComplaintRule) else rule
    value = deadline.value
    if area in ("suburb", "rural") and deadline.value_suburb is not None:
        value = deadline.value_suburb
    if area == "rural" and deadline.value_rural is not None:
        value = deadline.value_rural  # town ≤ 36 h, rural ≤ 48 h (DOMAIN.md)
    if deadline.kind == "hours":
        return opened_at + dt.timedelta(hours=value)
    cal = calendar if calendar is not None else load_calendar()
    local = opened_at.astimezone(BUSINESS_TZ)
    due_day = add_working_days(cal, local.date(), value)
    return dt.datetime.combine(due_day, dt.time(23, 59, 59), tzinfo=BUSINESS_TZ)


# ----------------------------------------------------------------------------- loading


def default_calendar_path() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "calendar" / "holidays.json"


_cache: dict[Path, WorkCalendar] = {}


def load_calendar(path: Path | None = None) -> WorkCalendar:
    """Read (once per path) and check the holiday file."""
    path = Path(path or default_calendar_path())
    cached = _cache.get(path)
    if cached is None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CalendarError(f"节假日文件 {path} 无法读取 / can't read {path}: {exc}") from exc
        cached = parse_calendar(raw)
        _cache[path] = cached
    return cached


def parse_calendar(raw: Mapping[str, Any]) -> WorkCalendar:
    """Check every rule a holiday file must keep, then build the calendar.

    Refused: a date outside its year, a date listed both as holiday and as working
    weekend, a "working weekend" that is not a Saturday or Sunday, an unknown status.
    """
    if raw.get("schema_version") != 1:
        raise CalendarError("节假日文件版本不受支持 / unsupported holiday file schema_version")
    holidays: set[dt.date] = set()
    working: set[dt.date] = set()
    years: dict[int, str] = {}
    for year_text, entry in dict(raw.get("years", {})).items():
        year = int(year_text)
        status = entry.get("status")
        if status not in ("official", "provisional"):
            raise CalendarError(f"{year}: status must be official or provisional")
        years[year] = status
        these = set(_dates(year, _flatten(entry.get("holidays", {}).values())))
        extra = set(_dates(year, entry.get("working_weekends", [])))
        for day in extra:
            if day.weekday() < 5:
                raise CalendarError(f"{year}: {day} 不是周末 / {day} is not a weekend day")
        both = these & extra
        if both:
            first = min(both)
            raise CalendarError(f"{year}: {first} 同时是假日和上班日 / both holiday and working")
        holidays |= these
        working |= extra
    return WorkCalendar(frozenset(holidays), frozenset(working), years)


def _flatten(groups: Iterable[Iterable[str]]) -> list[str]:
    return [day for group in groups for day in group]


def _dates(year: int, texts: Iterable[str]) -> Iterable[dt.date]:
    for text in texts:
        try:
            day = dt.date.fromisoformat(text)
        except (TypeError, ValueError) as exc:
            raise CalendarError(f"{year}: {text!r} 不是日期 / not a date") from exc
        if day.year != year:
            raise CalendarError(f"{year}: {day} 不在该年份 / outside its year")
        yield day
