"""三包 boundaries through the real services: a sale on an ordinary day, on a 31st and
on 29 February; return and exchange asked for on days 0, 7, 8, 15 and 16; the look-up
on each part's last covered day and the day after.

Every expected date is written out by hand from the rule (民法典 arts. 201–202: the sale
day is not counted, the period ends on the corresponding day of its last month or that
month's last day), never computed by the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.clock import BUSINESS_TZ
from frontdesk.core.messages import RuleViolation
from frontdesk.services.intake import IntakeService
from frontdesk.services.warranty import WarrantyService

from .helpers import verify_person
from .test_warranty import IMEI_A, IMEI_B, sale_fields

ORDINARY, ON_31ST, LEAP_DAY = dt.date(2026, 11, 21), dt.date(2027, 8, 31), dt.date(2028, 2, 29)


def sell_on(ws, clerk, clock, day: dt.date) -> str:
    """A handset sold on ``day`` (the counter's clock set to that day); its card no."""
    clock.set(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=BUSINESS_TZ))
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", face=False, scan=False)
    fields = sale_fields(sale_date=day.isoformat(), contact_phone="13800138000")
    intake.add_business(clerk, visit, "HANDSET_SALE", fields)
    intake.add_payment(clerk, visit, "bank_card", intake.view(visit).due_fen, reference="POS1")
    intake.settle(clerk, visit)
    [view] = WarrantyService(ws).lookup(clerk, IMEI_A)
    return view.card_no


# (sale day, part, last covered day)
LAST_DAYS = [
    (ORDINARY, "handset", dt.date(2027, 11, 21)),
    (ORDINARY, "battery", dt.date(2027, 5, 21)),
    (ORDINARY, "wired_headset", dt.date(2027, 2, 21)),
    (ORDINARY, "charger", dt.date(2027, 11, 21)),
    (ON_31ST, "handset", dt.date(2028, 8, 31)),
    (ON_31ST, "battery", dt.date(2028, 2, 29)),  # February 2028 has a 29th
    (ON_31ST, "wired_headset", dt.date(2027, 11, 30)),  # November has no 31st
    (ON_31ST, "charger", dt.date(2028, 8, 31)),
    (LEAP_DAY, "handset", dt.date(2029, 2, 28)),  # February 2029 has no 29th
    (LEAP_DAY, "battery", dt.date(2028, 8, 29)),
    (LEAP_DAY, "wired_headset", dt.date(2028, 5, 29)),
    (LEAP_DAY, "charger", dt.date(2029, 2, 28)),
]


@pytest.mark.parametrize("sale", [ORDINARY, ON_31ST, LEAP_DAY], ids=str)
def test_each_part_is_looked_up_covered_through_its_last_day(demo_ws, clerk, clock, sale):
    card_no = sell_on(demo_ws, clerk, clock, sale)
    warranty = WarrantyService(demo_ws)
    for day, part, last in LAST_DAYS:
        if day != sale:
            continue
        on_last = warranty.lookup(clerk, card_no, on=last)[0].status.part(part)
        after = warranty.lookup(clerk, card_no, on=last + dt.timedelta(days=1))[0].status
        assert on_last.covered and on_last.end == last, (part, last)
        assert not after.part(part).covered, (part, last)


# (sale day, asked on, return allowed, exchange allowed): days 0, 7, 8, 15, 16
WINDOWS = [
    (ORDINARY, dt.date(2026, 11, 21), True, True),
    (ORDINARY, dt.date(2026, 11, 28), True, True),
    (ORDINARY, dt.date(2026, 11, 29), False, True),
    (ORDINARY, dt.date(2026, 12, 6), False, True),
    (ORDINARY, dt.date(2026, 12, 7), False, False),
    (ON_31ST, dt.date(2027, 9, 7), True, True),
    (ON_31ST, dt.date(2027, 9, 8), False, True),
    (ON_31ST, dt.date(2027, 9, 15), False, True),
    (ON_31ST, dt.date(2027, 9, 16), False, False),
    (LEAP_DAY, dt.date(2028, 3, 7), True, True),
    (LEAP_DAY, dt.date(2028, 3, 8), False, True),
    (LEAP_DAY, dt.date(2028, 3, 15), False, True),
    (LEAP_DAY, dt.date(2028, 3, 16), False, False),
]


def ask_on(clock, day: dt.date) -> None:
    clock.set(dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=BUSINESS_TZ))


@pytest.mark.parametrize(("sale", "on", "may_return", "_"), WINDOWS, ids=str)
def test_return_on_the_boundary_days(demo_ws, clerk, clock, auth, sale, on, may_return, _):
    card_no = sell_on(demo_ws, clerk, clock, sale)
    ask_on(clock, on)
    warranty = WarrantyService(demo_ws)
    approval = auth.authorise(
        "manager01", "Manager2026", action="warranty_return", reason="退货", requested_by=clerk
    )
    if may_return:
        warranty.return_device(clerk, card_no, approval)
        assert warranty.lookup(clerk, card_no)[0].status.closed_by == "returned"
    else:
        with pytest.raises(RuleViolation) as info:
            warranty.return_device(clerk, card_no, approval)
        assert info.value.codes == ["warranty.return_window"]
        assert warranty.lookup(clerk, card_no)[0].status.closed_by is None


@pytest.mark.parametrize(("sale", "on", "_", "may_exchange"), WINDOWS, ids=str)
def test_exchange_on_the_boundary_days(demo_ws, clerk, clock, auth, sale, on, _, may_exchange):
    card_no = sell_on(demo_ws, clerk, clock, sale)
    ask_on(clock, on)
    warranty = WarrantyService(demo_ws)
    approval = auth.authorise(
        "manager01", "Manager2026", action="warranty_exchange", reason="换货", requested_by=clerk
    )
    if may_exchange:
        new_no = warranty.exchange_device(clerk, card_no, IMEI_B, approval)
        [new] = warranty.lookup(clerk, new_no)
        assert new.serial == IMEI_B and new.status.closed_by is None
    else:
        with pytest.raises(RuleViolation) as info:
            warranty.exchange_device(clerk, card_no, IMEI_B, approval)
        assert info.value.codes == ["warranty.exchange_window"]
        last_day = on - dt.timedelta(days=1)  # day 16 refused: the message names day 15
        assert last_day.isoformat() in info.value.text("zh")
