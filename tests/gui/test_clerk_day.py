"""Issue 14: a clerk's whole day at the real counter window, keyboard first.

Each test reproduces one thing a clerk did on a real counter that produced a wrong
record or lost a document, and checks what the database, the archive and the window
hold afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from frontdesk.core.clock import FixedClock
from frontdesk.gui.qt import Qt
from frontdesk.services.reports import ReportService

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
UTC = dt.UTC

# 14:05 in Beijing, held as the system clock gives it: in UTC
BEIJING_1405 = dt.datetime(2026, 11, 21, 6, 5, tzinfo=UTC)


@pytest.fixture(params=["UTC", "Asia/Shanghai"])
def pc_zone(request):
    """The PC's own zone setting (the TZ environment), which must change nothing."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def top_up(c, window, number: str = "13800138000", amount: str = "50") -> None:
    c.key(Qt.Key.Key_F7)
    c.type("TOP_UP")
    c.enter()
    window.business.form.inputs["service_number"].setEditText(number)
    c.enter()
    c.type(amount)
    c.enter()
    c.enter()  # take the amount due in cash


# ---------------------------------------------------------------- 1. typed ticket time


def test_typed_ticket_time_is_branch_time_whatever_the_pc_zone(
    pc_zone, counter, window, demo_ws, clock: FixedClock
):
    clock.set(BEIJING_1405)
    c = counter
    c.key(Qt.Key.Key_F1)  # no queue service: the clerk types the ticket
    assert c.focus is window.queue.ticket_no
    assert window.queue.issued.text() == "14:05"  # the branch clock, not 06:05 UTC
    c.type("A023")
    c.key(Qt.Key.Key_Tab)
    c.key(Qt.Key.Key_Tab)
    assert c.focus is window.queue.issued
    c.key(Qt.Key.Key_Home)
    c.type("1355")
    c.enter()
    assert window.visit_id is not None
    assert window.queue.waiting.text().startswith("等候 10:00")
    top_up(c, window)
    c.key(Qt.Key.Key_F10)
    assert window.last_settled is not None
    summary = ReportService(demo_ws).summary(None, dt.date(2026, 11, 21))
    assert summary.waiting.count == 1
    assert summary.waiting.worst_seconds == 10 * 60
    assert summary.waiting.within == 1  # within the 15-minute standard
    assert summary.hourly[13] == 1  # arrived in the 13:00 hour, Beijing time


def test_the_branch_zone_is_a_config_key_checked_against_the_iana_database():
    from frontdesk.config import ConfigError, parse_config
    from frontdesk.core.clock import business_tz, set_business_zone, wall_clock_to_utc

    base = {"workstation": {"branch_code": "XJ0101", "workstation_code": "W01"}}
    assert parse_config(base).workstation.time_zone == "Asia/Shanghai"
    with pytest.raises(ConfigError, match=r"workstation\.time_zone: .*IANA time zone"):
        parse_config({"workstation": {**base["workstation"], "time_zone": "Beijing"}})
    urumqi = parse_config({"workstation": {**base["workstation"], "time_zone": "Asia/Urumqi"}})
    try:
        set_business_zone(urumqi.workstation.time_zone)
        assert business_tz().key == "Asia/Urumqi"
        # 12:05 on an Urumqi wall clock is 06:05 UTC; a ticket typed 11:55 is 05:55 UTC
        assert wall_clock_to_utc(BEIJING_1405, 11, 55) == dt.datetime(
            2026, 11, 21, 5, 55, tzinfo=UTC
        )
        # a time later than now on the wall clock was yesterday's
        assert wall_clock_to_utc(BEIJING_1405, 23, 0).date() == dt.date(2026, 11, 20)
    finally:
        set_business_zone("Asia/Shanghai")
