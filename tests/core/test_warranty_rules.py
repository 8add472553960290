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
    warranty_status,
)

SALE = dt.date(2026, 11, 21)
PERIODS = {"handset": 12, "battery": 6, "wired_headset": 3, "charger": 12}


def status(on: dt.date, *events: WarrantyEventFact):
    return warranty_status(SALE, PERIODS, events, on)


@pytest.mark.parametrize(
    ("part", "last_day"),
    [
        ("handset", dt.date(2027, 11, 20)),
        ("battery", dt.date(2027, 5, 20)),
        ("wired_headset", dt.date(2027, 2, 20)),
        ("charger", dt.date(2027, 11, 20)),
    ],
)
def test_each_part_is_covered_through_its_last_day_only(part, last_day):
    assert status(last_day).part(part).covered
    assert not status(last_day + dt.timedelta(days=1)).part(part).covered
    assert not status(SALE - dt.timedelta(days=1)).part(part).covered


def test_return_days_0_to_7_exchange_8_to_15():
    assert status(SALE).can_return and status(SALE + dt.timedelta(days=7)).can_return
    day8 = status(SALE + dt.timedelta(days=8))
    assert not day8.can_return and day8.can_exchange
    assert status(SALE + dt.timedelta(days=15)).can_exchange
    day16 = status(SALE + dt.timedelta(days=16))
    assert not day16.can_exchange and not day16.can_return


def test_repair_days_extend_every_period_even_while_open():
    repair = [
        WarrantyEventFact("repair_in", dt.date(2027, 3, 1)),
        WarrantyEventFact("repair_out", dt.date(2027, 3, 21), {"fixed": True}),
    ]
    done = status(dt.date(2027, 11, 30), *repair)
    assert done.repair_days == 20
    assert done.part("handset").end == dt.date(2027, 12, 10) and done.part("handset").covered
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
