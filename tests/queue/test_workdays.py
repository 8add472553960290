"""Working days and complaint deadlines across weekends, holidays and 调休 weekends."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.catalogue import Deadline, load_catalogue
from frontdesk.core.clock import BUSINESS_TZ
from frontdesk.core.workdays import (
    CalendarError,
    WorkCalendar,
    add_working_days,
    deadline_for,
    load_calendar,
    parse_calendar,
)

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return load_calendar()


@pytest.fixture(scope="module")
def rules():
    catalogue = load_catalogue()
    return {r.category: r for r in catalogue.complaint_rules}


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BUSINESS_TZ)


def test_the_2026_notice_is_in_the_file(cal):
    assert not cal.is_working_day(D(2026, 2, 17))  # 春节
    assert not cal.is_working_day(D(2026, 10, 7))  # 国庆
    # 调休: the Saturday before Spring Festival and the Sunday before National Day work
    for day in (D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20)):
        assert day.weekday() >= 5 and cal.is_working_day(day)
    assert cal.is_working_day(D(2026, 10, 10))
    assert not cal.is_provisional(D(2026, 6, 1))


def test_2027_holds_the_statutory_days_and_is_marked_provisional(cal):
    assert cal.covers(D(2027, 1, 1)) and cal.is_provisional(D(2027, 1, 1))
    for day in (D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 6, 9)):
        assert not cal.is_working_day(day)
    assert not cal.is_working_day(D(2027, 9, 15))
    assert cal.is_working_day(D(2027, 2, 9))
    assert not cal.covers(D(2028, 1, 3))
    assert cal.is_working_day(D(2028, 1, 3))  # beyond the file: weekdays only


def test_add_working_days_skips_weekends(cal):
    friday = D(2026, 11, 20)
    assert add_working_days(cal, friday, 1) == D(2026, 11, 23)
    assert add_working_days(cal, friday, 2) == D(2026, 11, 24)
    assert add_working_days(cal, D(2026, 11, 21), 1) == D(2026, 11, 23)  # received Saturday
    assert add_working_days(cal, friday, 0) == friday
    with pytest.raises(ValueError):
        add_working_days(cal, friday, -1)


def test_network_complaint_before_national_day_counts_the_adjusted_weekend(cal, rules):
    # Received Friday 2026-09-18: Sunday 09-20 is a 调休 working day → due that evening? no:
    # working days after 09-18 are 09-20 (Sun, 调休), 09-21 (Mon) → due end of Monday 21st.
    due = deadline_for(rules["network"], at(2026, 9, 18, 16, 0), calendar=cal)
    assert due == at(2026, 9, 21, 23, 59, 59)


def test_network_complaint_across_the_national_day_holiday(cal, rules):
    # Received Wednesday 09-30: 10-01…10-07 are holidays, 10-08 Thu, 10-09 Fri.
    due = deadline_for(rules["network"], at(2026, 9, 30, 10, 0), calendar=cal)
    assert due == at(2026, 10, 9, 23, 59, 59)
    # five working days (non-coverage): 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13
    due5 = deadline_for(rules["non_coverage"], at(2026, 9, 30, 10, 0), calendar=cal)
    assert due5 == at(2026, 10, 13, 23, 59, 59)


def test_spring_festival_2026(cal, rules):
    # Friday 02-13; 02-14 (Sat) works; 02-15…02-23 off; 02-24 Tue.
    due = deadline_for(rules["network"], at(2026, 2, 13, 9, 0), calendar=cal)
    assert due == at(2026, 2, 24, 23, 59, 59)


def test_a_weekend_complaint_is_due_two_working_days_later(cal, rules):
    due = deadline_for(rules["network"], at(2026, 11, 21, 9, 30), calendar=cal)
    assert due == at(2026, 11, 24, 23, 59, 59)


def test_day_boundary_is_beijing_time(cal, rules):
    # 2026-11-20 17:00 UTC is already Saturday 01:00 in Beijing.
    due = deadline_for(
        rules["network"], dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC), calendar=cal
    )
    assert due == at(2026, 11, 24, 23, 59, 59)


def test_broadband_repair_hours_city_and_suburb(rules):
    opened = at(2026, 11, 21, 9, 30)  # a Saturday: repair hours run round the clock
    assert deadline_for(rules["broadband_repair"], opened, "city") == opened + dt.timedelta(
        hours=24
    )
    assert deadline_for(rules["broadband_repair"], opened, "suburb") == opened + dt.timedelta(
        hours=36
    )
    # a rule without a suburban value uses its one value everywhere
    assert deadline_for(rules["broadband_install"], opened, "suburb") == opened + dt.timedelta(
        hours=72
    )


def test_deadline_needs_an_aware_time(rules):
    with pytest.raises(ValueError):
        deadline_for(rules["network"], dt.datetime(2026, 11, 21, 9, 30))


def test_a_bare_deadline_works_too(cal):
    rule = Deadline(kind="working_days", value=1)
    assert deadline_for(rule, at(2026, 12, 31, 10), calendar=cal) == at(2027, 1, 4, 23, 59, 59)


@pytest.mark.parametrize(
    "raw, words",
    [
        ({"schema_version": 2, "years": {}}, "schema_version"),
        (
            {"schema_version": 1, "years": {"2026": {"status": "maybe"}}},
            "status",
        ),
        (
            {
                "schema_version": 1,
                "years": {"2026": {"status": "official", "working_weekends": ["2026-01-05"]}},
            },
            "not a weekend",
        ),
        (
            {
                "schema_version": 1,
                "years": {"2026": {"status": "official", "holidays": {"x": ["2027-01-01"]}}},
            },
            "outside its year",
        ),
        (
            {
                "schema_version": 1,
                "years": {
                    "2026": {
                        "status": "official",
                        "holidays": {"x": ["2026-01-03"]},
                        "working_weekends": ["2026-01-03"],
                    }
                },
            },
            "both",
        ),
        (
            {
                "schema_version": 1,
                "years": {"2026": {"status": "official", "holidays": {"x": ["x"]}}},
            },
            "not a date",
        ),
    ],
)
def test_a_bad_holiday_file_is_refused_with_the_reason(raw, words):
    with pytest.raises(CalendarError, match=words):
        parse_calendar(raw)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CalendarError):
        load_calendar(tmp_path / "nope.json")
