"""三包 periods, windows and consistency at every boundary (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core.warranty import (
    CardFacts,
    SaleEvidence,
    WarrantyEventFact,
    add_months,
    check_consistency,
    event_problems,
    period_end,
    warranty_status,
)

SALE = dt.date(2026, 11, 21)
PERIODS = {"handset": 12, "battery": 6, "wired_headset": 3, "charger": 12}


def status(on: dt.date, *events: WarrantyEventFact):
    return warranty_status(SALE, PERIODS, events, on)


# The last covered day of each part, worked out by hand from 民法典 arts. 201–202 (the
# sale day not counted; the corresponding day of the last month, or its last day): a
# sale on an ordinary day, on a 31st and on 29 February.
LAST_DAYS = [
    (dt.date(2026, 11, 21), "handset", dt.date(2027, 11, 21)),
    (dt.date(2026, 11, 21), "battery", dt.date(2027, 5, 21)),
    (dt.date(2026, 11, 21), "wired_headset", dt.date(2027, 2, 21)),
    (dt.date(2026, 11, 21), "charger", dt.date(2027, 11, 21)),
    (dt.date(2026, 8, 31), "handset", dt.date(2027, 8, 31)),
    (dt.date(2026, 8, 31), "battery", dt.date(2027, 2, 28)),
    (dt.date(2026, 8, 31), "wired_headset", dt.date(2026, 11, 30)),
    (dt.date(2026, 8, 31), "charger", dt.date(2027, 8, 31)),
    (dt.date(2028, 2, 29), "handset", dt.date(2029, 2, 28)),
    (dt.date(2028, 2, 29), "battery", dt.date(2028, 8, 29)),
    (dt.date(2028, 2, 29), "wired_headset", dt.date(2028, 5, 29)),
    (dt.date(2028, 2, 29), "charger", dt.date(2029, 2, 28)),
]


@pytest.mark.parametrize(("sale", "part", "last_day"), LAST_DAYS)
def test_each_part_is_covered_through_its_last_day_only(sale, part, last_day):
    def on(day: dt.date):
        return warranty_status(sale, PERIODS, [], day).part(part)

    assert on(last_day).covered and on(last_day).end == last_day
    assert not on(last_day + dt.timedelta(days=1)).covered
    assert not on(sale - dt.timedelta(days=1)).covered
    assert on(sale).covered


def test_a_sale_on_31_august_2026_is_covered_through_31_august_2027():
    assert period_end(dt.date(2026, 8, 31), months=12) == dt.date(2027, 8, 31)
    assert period_end(dt.date(2026, 11, 21), days=7) == dt.date(2026, 11, 28)
    with pytest.raises(ValueError):
        period_end(dt.date(2026, 11, 21), months=1, days=1)


# (sale, day, can return, can exchange): days 0, 7, 8, 15, 16 after three kinds of sale
# day, the calendar dates written out by hand
WINDOWS = [
    (dt.date(2026, 11, 21), dt.date(2026, 11, 21), True, True),  # day 0
    (dt.date(2026, 11, 21), dt.date(2026, 11, 28), True, True),  # day 7
    (dt.date(2026, 11, 21), dt.date(2026, 11, 29), False, True),  # day 8
    (dt.date(2026, 11, 21), dt.date(2026, 12, 6), False, True),  # day 15
    (dt.date(2026, 11, 21), dt.date(2026, 12, 7), False, False),  # day 16
    (dt.date(2026, 8, 31), dt.date(2026, 9, 7), True, True),  # day 7
    (dt.date(2026, 8, 31), dt.date(2026, 9, 8), False, True),  # day 8
    (dt.date(2026, 8, 31), dt.date(2026, 9, 15), False, True),  # day 15
    (dt.date(2026, 8, 31), dt.date(2026, 9, 16), False, False),  # day 16
    (dt.date(2028, 2, 29), dt.date(2028, 3, 7), True, True),  # day 7
    (dt.date(2028, 2, 29), dt.date(2028, 3, 8), False, True),  # day 8
    (dt.date(2028, 2, 29), dt.date(2028, 3, 15), False, True),  # day 15
    (dt.date(2028, 2, 29), dt.date(2028, 3, 16), False, False),  # day 16
]


@pytest.mark.parametrize(("sale", "on", "can_return", "can_exchange"), WINDOWS)
def test_return_days_0_to_7_exchange_days_0_to_15(sale, on, can_return, can_exchange):
    st_ = warranty_status(sale, PERIODS, [], on)
    assert (st_.can_return, st_.can_exchange) == (can_return, can_exchange)
    codes = [p.code for p in event_problems(st_, "exchanged", 7, 15)]
    assert codes == ([] if can_exchange else ["warranty.exchange_window"])
    codes = [p.code for p in event_problems(st_, "returned", 7, 15)]
    assert codes == ([] if can_return else ["warranty.return_window"])


def test_window_refusals_name_the_last_day():
    day16 = status(dt.date(2026, 12, 7))
    [refusal] = event_problems(day16, "exchanged", 7, 15)
    assert "2026-12-06" in refusal.text("zh") and "2026-12-06" in refusal.text("en")
    [refusal] = event_problems(day16, "returned", 7, 15)
    assert "2026-11-28" in refusal.text("zh") and "2026-11-21" in refusal.text("zh")


def test_a_voided_card_is_closed():
    voided = status(SALE, WarrantyEventFact("voided", SALE))
    assert voided.closed_by == "voided" and not voided.can_return and not voided.can_exchange
    [closed] = event_problems(voided, "repair_in", 7, 15)
    assert closed.code == "warranty.closed" and "作废" in closed.text("zh")


def test_repair_days_extend_every_period_even_while_open():
    repair = [
        WarrantyEventFact("repair_in", dt.date(2027, 3, 1)),
        WarrantyEventFact("repair_out", dt.date(2027, 3, 21), {"fixed": True}),
    ]
    done = status(dt.date(2027, 11, 30), *repair)
    assert done.repair_days == 20
    assert done.part("handset").end == dt.date(2027, 12, 11) and done.part("handset").covered
    open_repair = status(dt.date(2027, 3, 11), WarrantyEventFact("repair_in", dt.date(2027, 3, 1)))
    assert open_repair.repair_days == 10 and open_repair.in_repair_since == dt.date(2027, 3, 1)


def test_replacement_due_after_two_failed_repairs_or_a_long_hold():
    failed = [
        WarrantyEventFact("repair_in", dt.date(2027, 1, 1)),
        WarrantyEventFact("repair_out", dt.date(2027, 1, 5), {"fixed": False}),
        WarrantyEventFact("repair_in", dt.date(2027, 2, 1)),
        WarrantyEventFact("repair_out", dt.date(2027, 2, 5), {"fixed": False}),
    ]
    assert not status(dt.date(2027, 1, 10), *failed[:2]).replacement_due
    due = status(dt.date(2027, 2, 10), *failed)
    assert due.replacement_due and due.can_exchange
    long_hold = [
        WarrantyEventFact("repair_in", dt.date(2027, 1, 1)),
        WarrantyEventFact("repair_out", dt.date(2027, 3, 3), {"fixed": True}),
    ]
    assert status(dt.date(2027, 3, 4), *long_hold).replacement_due  # 61 days
    sixty = [
        WarrantyEventFact("repair_in", dt.date(2027, 1, 1)),
        WarrantyEventFact("repair_out", dt.date(2027, 3, 2), {"fixed": True}),
    ]
    assert not status(dt.date(2027, 3, 4), *sixty).replacement_due  # exactly 60


def test_events_are_checked_against_the_card_state():
    fresh = status(SALE + dt.timedelta(days=20))
    codes = lambda st_, ev: [p.code for p in event_problems(st_, ev, 7, 15)]  # noqa: E731
    assert codes(fresh, "returned") == ["warranty.return_window"]
    assert codes(fresh, "exchanged") == ["warranty.exchange_window"]
    assert codes(fresh, "repair_out") == ["warranty.not_in_repair"]
    assert codes(fresh, "loan_back") == ["warranty.no_loan_out"]
    assert codes(fresh, "repair_in") == []
    returned = status(SALE + dt.timedelta(days=3), WarrantyEventFact("returned", SALE))
    assert codes(returned, "repair_in") == ["warranty.closed"]


def test_invoice_and_card_must_agree_field_by_field():
    evidence = SaleEvidence("invoice", "04400012", SALE, "Mate 70", "356938035643809", 599_900)
    same = CardFacts(SALE, "mate 70", "356938035643809", 599_900)
    assert check_consistency(evidence, same) == []
    other = CardFacts(SALE + dt.timedelta(days=1), "Mate 70 Pro", "356938035643817", 599_800)
    problems = check_consistency(evidence, other)
    assert [p.field for p in problems] == [
        "card.sale_date",
        "card.model",
        "card.serial",
        "card.amount",
    ]
    assert "发票" in problems[2].text("zh") and "356938035643809" in problems[2].text("zh")


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)), st.integers(1, 36))
def test_add_months_lands_in_the_right_month_never_past_its_end(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
