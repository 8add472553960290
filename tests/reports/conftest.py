"""A branch day with known visits, built through the real services (see ``build_day``).

Timeline of 2026-11-21 (China Standard Time) at counter W01; every figure the tests
assert follows from it:

| visit | ticket / tier | issued → called | business | payments | settled | notes |
|---|---|---|---|---|---|---|
| V1 | A001 standard | 09:20 → 09:30 (10 min) | top-up ¥100 | cash 150, change 50 | 09:34 | |
| V2 | V001 gold | 09:22 → 09:34 (12 min, breach) | top-up ¥150 | WeChat 100 + card 50 | 09:40 | |
| V3 | walk-in (clerk02) | — | top-up ¥50 | cash 50 | 09:42 | voided 09:43 |
| V4 | A002 standard | 09:30 → 09:50 (20 min, breach) | handset ¥5,999 | card | 10:02 | |
| V5 | V002 diamond | 09:57 → 10:02 (5 min) | top-up ¥30 | Alipay | 10:05 | refunded in cash |
| V6 | A003 standard | 10:06 → 10:07 (1 min) | top-up ¥20 | cash | 10:15 | paused 10:09–12 |
| V7 | walk-in | — | — | — | — | cancelled 10:21 |
| V8 | walk-in | — | top-up ¥10 | — | — | left suspended 10:31 |

Complaints: one opened 09:00 with a 10:00 deadline (overdue), one opened 09:10 and
closed 09:50, one from the day before (deadline in 4 days). The report runs at 10:40.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from frontdesk.core.clock import BUSINESS_TZ, FixedClock
from frontdesk.services.auth import AuthService, StaffSession
from frontdesk.services.corrections import CorrectionService
from frontdesk.services.intake import IntakeService
from frontdesk.services.workstation import Workstation
from frontdesk.store.models import Complaint, ComplaintEvent, Slip
from tests.services.helpers import verify_person
from tests.services.test_warranty import sale_fields

DAY = dt.date(2026, 11, 21)


def at(hh: int, mm: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=BUSINESS_TZ)


@dataclass
class BuiltDay:
    slips: dict[str, str]  # visit label → slip no.
    v8: object  # the visit left suspended
    void_slip_no: str
    refund_slip_no: str


def build_day(
    ws: Workstation, clock: FixedClock, auth: AuthService, clerk: StaffSession
) -> BuiltDay:
    intake = IntakeService(ws)
    corrections = CorrectionService(ws)
    clerk2 = auth.sign_in("clerk02", "Counter2026b")
    slips: dict[str, str] = {}

    def top_up(staff, visit, fen: int, number: str) -> None:
        intake.add_business(
            staff, visit, "TOP_UP", {"topup_amount": str(fen // 100)}, service_number=number
        )

    clock.set(at(9, 30))
    v1 = intake.open_visit(
        clerk, ticket_no="A001", ticket_tier="standard", ticket_issued_at=at(9, 20)
    )
    top_up(clerk, v1, 10_000, "13600136000")
    intake.add_payment(clerk, v1, "cash", 15_000)
    clock.set(at(9, 34))
    slips["V1"] = intake.settle(clerk, v1).slip_no

    v2 = intake.open_visit(clerk, ticket_no="V001", ticket_tier="gold", ticket_issued_at=at(9, 22))
    top_up(clerk, v2, 15_000, "13800138000")
    intake.add_payment(clerk, v2, "wechat", 10_000, reference="4200001234202611210001")
    intake.add_payment(clerk, v2, "bank_card", 5_000, reference="POS0001")
    clock.set(at(9, 40))
    slips["V2"] = intake.settle(clerk, v2).slip_no

    v3 = intake.open_visit(clerk2)
    top_up(clerk2, v3, 5_000, "13600136000")
    intake.add_payment(clerk2, v3, "cash", 5_000)
    clock.set(at(9, 42))
    slips["V3"] = intake.settle(clerk2, v3).slip_no
    clock.set(at(9, 43))
    ok = auth.authorise(
        "manager01", "Manager2026", action="void", reason="录错号码", requested_by=clerk2
    )
    void = corrections.void(clerk2, slips["V3"], ok)

    clock.set(at(9, 50))
    v4 = intake.open_visit(
        clerk, ticket_no="A002", ticket_tier="standard", ticket_issued_at=at(9, 30)
    )
    verify_person(ws, clerk, v4, "zhang_san", face=False, scan=False)
    intake.add_business(clerk, v4, "HANDSET_SALE", sale_fields())
    intake.add_payment(clerk, v4, "bank_card", 599_900, reference="POS0002")
    clock.set(at(10, 2))
    slips["V4"] = intake.settle(clerk, v4).slip_no

    v5 = intake.open_visit(
        clerk, ticket_no="V002", ticket_tier="diamond", ticket_issued_at=at(9, 57)
    )
    top_up(clerk, v5, 3_000, "13700137000")
    intake.add_payment(clerk, v5, "alipay", 3_000, reference="2026112122001")
    clock.set(at(10, 5))
    slips["V5"] = intake.settle(clerk, v5).slip_no
    clock.set(at(10, 6))
    ok = auth.authorise(
        "manager01", "Manager2026", action="refund", reason="客户充错号码", requested_by=clerk
    )
    with ws.db.reader() as s:
        from sqlalchemy import select

        slip = s.scalar(select(Slip).where(Slip.slip_no == slips["V5"]))
        item_ids = [i.id for i in slip.items]
    refund = corrections.refund(clerk, slips["V5"], item_ids, ok, method="cash")

    clock.set(at(10, 7))
    v6 = intake.open_visit(
        clerk, ticket_no="A003", ticket_tier="standard", ticket_issued_at=at(10, 6)
    )
    top_up(clerk, v6, 2_000, "13600136000")
    clock.set(at(10, 9))
    intake.suspend(clerk, v6)
    clock.set(at(10, 12))
    intake.resume(clerk, v6)
    intake.add_payment(clerk, v6, "cash", 2_000)
    clock.set(at(10, 15))
    slips["V6"] = intake.settle(clerk, v6).slip_no

    clock.set(at(10, 20))
    v7 = intake.open_visit(clerk)
    clock.set(at(10, 21))
    intake.cancel(clerk, v7, "客户改变主意")

    clock.set(at(10, 30))
    v8 = intake.open_visit(clerk)
    top_up(clerk, v8, 1_000, "13600136000")
    clock.set(at(10, 31))
    intake.suspend(clerk, v8)

    with ws.db.unit_of_work() as uow:
        s = uow.session
        base = dict(
            category="network",
            description="信号差",
            first_responsible_id=clerk.staff_id,
            branch_code="BJ0101",
        )
        overdue = Complaint(complaint_no="C1", deadline_at=at(10, 0), created_at=at(9, 0), **base)
        closed = Complaint(complaint_no="C2", deadline_at=at(18, 0), created_at=at(9, 10), **base)
        older = Complaint(
            complaint_no="C3",
            deadline_at=at(9, 0, DAY + dt.timedelta(days=4)),
            created_at=at(15, 0, DAY - dt.timedelta(days=1)),
            **base,
        )
        s.add_all([overdue, closed, older])
        s.flush()
        s.add(
            ComplaintEvent(
                complaint_id=closed.id,
                event="closed",
                text="已处理",
                staff_id=clerk.staff_id,
                created_at=at(9, 50),
            )
        )
        uow.commit()
    clock.set(at(10, 40))
    return BuiltDay(slips, v8, void.slip_no, refund.slip_no)


@pytest.fixture
def day(demo_ws, clock, auth, clerk) -> BuiltDay:
    return build_day(demo_ws, clock, auth, clerk)
