"""Service clocks (DOMAIN.md, 002): what starts them and what stops them (issue 13, item 12).

A mobile network complaint is judged on its first reply (2 working days), not on its
close; 障碍申告, broadband installs and moves start their clocks when the slip settles:
repair 24 h city / 36 h suburbs / 48 h rural, install or move 72 h.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontdesk.core.clock import BUSINESS_TZ
from frontdesk.services.complaints import ComplaintService
from frontdesk.services.intake import IntakeService
from frontdesk.store.models import Complaint
from tests.services.helpers import verify_person
from tests.services.test_intake import valid_iccid


@pytest.fixture
def complaints(demo_ws) -> ComplaintService:
    return ComplaintService(demo_ws)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BUSINESS_TZ)


def record(complaints, clerk, category: str):
    return complaints.record(
        clerk,
        category=category,
        description="家中室内信号差，通话经常中断",
        customer_name="王女士",
        contact_phone="13800138000",
    )


def test_network_complaint_is_judged_on_its_first_reply(demo_ws, complaints, clerk):
    network = record(complaints, clerk, "network")  # due Tue 24th 23:59:59
    general = record(complaints, clerk, "general")  # judged on its close
    demo_ws.clock.set(at(2026, 11, 23, 10, 0))
    complaints.answer(clerk, network.complaint_id, "已答复客户：基站扩容中，预计下周完成")
    complaints.answer(clerk, general.complaint_id, "已答复客户处理进度")
    later = at(2026, 11, 30, 12, 0)  # neither is closed
    assert [c.complaint_id for c in complaints.overdue(later)] == [general.complaint_id]
    assert not complaints.view(network.complaint_id).is_overdue(later)
    assert complaints.view(general.complaint_id).is_overdue(later)
    assert complaints.view(network.complaint_id).clock_stopped_at == at(2026, 11, 23, 10, 0)
    day = complaints.day_counts(dt.date(2026, 11, 30))
    assert day.overdue_open == 1 and day.open_total == 2


def test_network_complaint_without_a_reply_is_overdue(demo_ws, complaints, clerk):
    network = record(complaints, clerk, "network")
    later = at(2026, 11, 25, 0, 0)
    assert [c.complaint_id for c in complaints.overdue(later)] == [network.complaint_id]
    demo_ws.clock.set(later)
    complaints.answer(clerk, network.complaint_id, "已答复客户")
    assert complaints.view(network.complaint_id).is_overdue(later)  # replied too late


def settle_fault(demo_ws, clerk, area: str, fault: str = "broadband_down"):
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk,
        visit,
        "FAULT_REPORT",
        {"fault_type": fault, "service_area": area, "contact_phone": "13800138000"},
        service_number="13800138000",
    )
    return intake.settle(clerk, visit)


def orders(demo_ws) -> list[tuple[str, dt.timedelta]]:
    with demo_ws.db.reader() as s:
        rows = s.scalars(select(Complaint).order_by(Complaint.complaint_no)).all()
        return [(c.category, c.deadline_at - c.created_at) for c in rows]


def test_fault_report_starts_the_repair_clock_by_area(demo_ws, clerk, complaints):
    for area in ("city", "suburb", "rural"):
        settle_fault(demo_ws, clerk, area)
    assert orders(demo_ws) == [
        ("broadband_repair", dt.timedelta(hours=24)),
        ("broadband_repair", dt.timedelta(hours=36)),
        ("broadband_repair", dt.timedelta(hours=48)),
    ]
    [first, *_] = complaints.open_complaints()
    assert first.first_responsible_id == clerk.staff_id and "障碍申告" in first.description
    assert complaints.overdue(demo_ws.clock.now() + dt.timedelta(hours=25)) == [first]


def test_no_signal_is_a_network_complaint_with_its_reply_clock(demo_ws, clerk):
    settle_fault(demo_ws, clerk, "city", fault="no_signal")
    [(category, _)] = orders(demo_ws)
    assert category == "network"


def test_broadband_install_and_move_start_the_72_hour_clock(demo_ws, clerk):
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", purpose="new_line", limits=True)
    intake.add_business(
        clerk,
        visit,
        "NEW_LINE",
        {
            "plan": "mob_59",
            "service": "broadband",
            "new_number": "01065001234",
            "prepay_amount": "0",
            "install_address": "北京市朝阳区建国路88号院3号楼2单元501",
        },
    )
    intake.add_business(  # a mobile line starts no install clock
        clerk,
        visit,
        "NEW_LINE",
        {
            "plan": "mob_59",
            "new_number": "13812345678",
            "sim_iccid": valid_iccid(),
            "prepay_amount": "0",
        },
    )
    intake.record_fraud_notice(clerk, visit, "paper")
    intake.settle(clerk, visit)
    assert orders(demo_ws) == [("broadband_install", dt.timedelta(hours=72))]
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False)
    intake.add_business(
        clerk,
        visit,
        "MOVE_ADDRESS",
        {"new_address": "北京市朝阳区光华路1号", "contact_phone": "13800138000"},
        service_number="13800138000",
    )
    intake.add_payment(clerk, visit, "cash", 5_000)
    intake.settle(clerk, visit)
    assert [o[0] for o in orders(demo_ws)] == ["broadband_install", "broadband_install"]
