"""Complaints (每诉必录): recorded with a deadline, answered, escalated, closed — never lost."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from frontdesk.core.clock import BUSINESS_TZ
from frontdesk.core.messages import RuleViolation
from frontdesk.services.complaints import ComplaintService, status_of
from frontdesk.services.intake import IntakeService
from frontdesk.store.audit import verify_chain
from frontdesk.store.models import AuditEntry, Complaint, ComplaintEvent, OutboxEntry


def read_card(ws, staff, visit_id, person: str = "zhang_san") -> None:
    """The customer's ID card is read at the counter (identifies them on the visit)."""
    from frontdesk.core.clock import business_date
    from frontdesk.devices.id_reader import SimulatedIdCardReader, demo_card
    from frontdesk.services.verification import VerificationService

    today = business_date(ws.clock.now())
    reader = SimulatedIdCardReader(demo_card(person, today=today), today=today)
    reader.open()
    VerificationService(ws).read_card(staff, visit_id, reader, party="customer")


@pytest.fixture
def complaints(demo_ws) -> ComplaintService:
    return ComplaintService(demo_ws)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BUSINESS_TZ)


def record(complaints, clerk, **kw):
    values = {
        "category": "network",
        "description": "家中室内信号差，通话经常中断",
        "customer_name": "王女士",
        "contact_phone": "13800138000",
    }
    values.update(kw)
    return complaints.record(clerk, **values)


def test_record_numbers_the_complaint_and_sets_the_deadline(demo_ws, complaints, clerk):
    # Saturday 2026-11-21 09:30 → two working days: Mon 23rd, Tue 24th
    view = record(complaints, clerk)
    assert view.complaint_no == "BJ0101-W01-20261121-C000001"
    assert view.deadline_at == at(2026, 11, 24, 23, 59, 59)
    assert view.status == "open" and view.category_name == "移动网络投诉"
    assert view.first_responsible_id == clerk.staff_id
    assert view.first_responsible_name == clerk.display_name
    second = record(complaints, clerk, category="broadband_repair", area="suburb")
    assert second.complaint_no.endswith("C000002")
    assert second.deadline_at == demo_ws.clock.now() + dt.timedelta(hours=36)
    with demo_ws.db.reader() as s:
        types = dict(
            s.execute(
                select(OutboxEntry.record_type, func.count()).group_by(OutboxEntry.record_type)
            ).all()
        )
        detail = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "complaint.recorded")
        ).first()
    assert types["complaint"] == 2
    assert "王" not in str(detail) and "13800138000" not in str(detail)  # no personal data


def test_preview_deadline_matches_the_recorded_one(complaints, clerk):
    preview = complaints.preview_deadline("non_coverage")
    assert record(complaints, clerk, category="non_coverage").deadline_at == preview


def test_the_customer_comes_from_the_visit(demo_ws, complaints, clerk):
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    read_card(demo_ws, clerk, visit)
    view = complaints.record(
        clerk, category="charging_error", description="上月账单多扣了20元", visit_id=visit
    )
    assert view.customer_name == intake.view(visit).customer_name
    assert view.visit_id == visit


def test_every_problem_is_named_at_once(complaints, clerk):
    with pytest.raises(RuleViolation) as info:
        complaints.record(
            clerk, category="weather", description="差", contact_phone="abc", area="moon"
        )
    assert info.value.codes == [
        "complaint.unknown_category",
        "complaint.text_required",
        "complaint.bad_area",
        "complaint.bad_phone",
    ]
    assert all(p.text("zh") and p.text("en") for p in info.value.problems)
    with pytest.raises(RuleViolation) as info:
        complaints.record(clerk, category="network", description="信号不好很久了")
    assert info.value.codes == ["complaint.customer_required"]
    with pytest.raises(RuleViolation) as info:
        record(complaints, clerk, description="长" * 2001)
    assert info.value.codes == ["complaint.text_too_long"]


def test_an_unknown_visit_is_refused(complaints, clerk):
    import uuid

    with pytest.raises(RuleViolation) as info:
        record(complaints, clerk, visit_id=uuid.uuid4())
    assert "complaint.visit_not_found" in info.value.codes


def test_solved_at_the_counter(demo_ws, complaints, clerk):
    view = record(complaints, clerk, category="general")
    demo_ws.clock.advance(minutes=5)
    done = complaints.solve_at_counter(clerk, view.complaint_id, "已为客户重置服务密码，客户满意")
    assert done.status == "closed"
    assert done.closed_at - demo_ws.clock.now() < dt.timedelta(milliseconds=1)
    assert [e.event for e in done.events] == ["answered", "closed"]
    assert not done.is_overdue(demo_ws.clock.now() + dt.timedelta(days=30))
    with pytest.raises(RuleViolation) as info:
        complaints.answer(clerk, view.complaint_id, "再次答复内容")
    assert info.value.codes == ["complaint.closed"]
    assert complaints.open_complaints() == []


def test_answer_keeps_it_open_and_close_needs_a_resolution(complaints, clerk):
    view = record(complaints, clerk)
    answered = complaints.answer(clerk, view.complaint_id, "已告知客户将安排网络优化")
    assert answered.status == "answered"
    with pytest.raises(RuleViolation) as info:
        complaints.close(clerk, view.complaint_id, "  ")
    assert info.value.codes == ["complaint.text_required"]
    closed = complaints.close(clerk, view.complaint_id, "基站调整后信号恢复，客户确认")
    assert closed.status == "closed"


def test_escalate_once(complaints, clerk):
    view = record(complaints, clerk)
    escalated = complaints.escalate(clerk, view.complaint_id, "需总部网优中心现场测试")
    assert escalated.status == "escalated"
    with pytest.raises(RuleViolation) as info:
        complaints.escalate(clerk, view.complaint_id, "再次升级请求")
    assert info.value.codes == ["complaint.already_escalated"]
    assert [c.complaint_id for c in complaints.escalated_open()] == [view.complaint_id]


def test_head_office_updates_are_recorded_once(demo_ws, complaints, clerk):
    view = record(complaints, clerk)
    complaints.escalate(clerk, view.complaint_id, "需总部网优中心现场测试")
    hq1, hq2, hq3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert complaints.apply_head_office_update(
        view.complaint_id, update_id=hq1, status="in_progress", text="已派单网优中心"
    )
    assert not complaints.apply_head_office_update(
        view.complaint_id, update_id=hq1, status="in_progress", text="已派单网优中心"
    )
    assert not complaints.apply_head_office_update(
        uuid.uuid4(), update_id=uuid.uuid4(), status="replied", text=None
    )  # another counter's complaint
    assert complaints.apply_head_office_update(
        view.complaint_id, update_id=hq2, status="closed", text="已新增室分，信号恢复"
    )
    assert not complaints.apply_head_office_update(
        view.complaint_id, update_id=hq3, status="replied", text=None
    )
    final = complaints.view(view.complaint_id)
    assert final.status == "closed"
    assert [e.event for e in final.events] == ["escalated", "hq_update", "closed"]
    assert final.events[1].text == "[in_progress] 已派单网优中心"
    assert final.events[-1].text == "已新增室分，信号恢复"
    assert final.events[-1].staff_name == "总部 / head office"
    with demo_ws.db.reader() as s:
        assert s.get(ComplaintEvent, hq1) is not None  # head office's id, kept
    with pytest.raises(RuleViolation):
        complaints.apply_head_office_update(
            view.complaint_id, update_id=uuid.uuid4(), status="deleted", text=None
        )


def test_overdue_and_near_due(demo_ws, complaints, clerk):
    clock = demo_ws.clock
    network = record(complaints, clerk)  # due Tue 24th 23:59:59
    repair = record(complaints, clerk, category="broadband_repair")  # due Sun 22nd 09:30
    install = record(complaints, clerk, category="broadband_install")  # due Tue 24th 09:30
    now = at(2026, 11, 22, 8, 0)
    assert complaints.overdue(now) == []
    near = complaints.near_due(now, within=dt.timedelta(hours=2))
    assert [c.complaint_id for c in near] == [repair.complaint_id]
    now = at(2026, 11, 24, 12, 0)
    assert [c.complaint_id for c in complaints.overdue(now)] == [
        repair.complaint_id,
        install.complaint_id,
    ]
    assert [c.complaint_id for c in complaints.near_due(now, dt.timedelta(hours=12))] == [
        network.complaint_id
    ]
    clock.set(now)
    complaints.close(clerk, repair.complaint_id, "已修复，客户确认可以上网")
    assert [c.complaint_id for c in complaints.overdue(now)] == [install.complaint_id]
    late = complaints.view(repair.complaint_id)
    assert late.is_overdue(now)  # closed, but after its deadline


def test_day_counts_for_the_summary(demo_ws, complaints, clerk):
    clock = demo_ws.clock
    a = record(complaints, clerk, category="broadband_repair")  # due 22nd 09:30
    b = record(complaints, clerk)
    complaints.escalate(clerk, b.complaint_id, "升级总部网优中心")
    c = record(complaints, clerk, category="general")
    complaints.solve_at_counter(clerk, c.complaint_id, "当场答复客户，客户满意")
    day = complaints.day_counts(dt.date(2026, 11, 21))
    assert (day.opened, day.closed, day.escalated) == (3, 1, 1)
    assert (day.open_total, day.overdue_open, day.closed_late) == (2, 0, 0)
    clock.set(at(2026, 11, 22, 10, 0))
    complaints.close(clerk, a.complaint_id, "已修复，客户确认可以上网")
    day2 = complaints.day_counts(dt.date(2026, 11, 22))
    assert (day2.opened, day2.closed, day2.closed_late, day2.open_total) == (0, 1, 1, 1)


def test_nothing_can_be_deleted_or_edited(demo_ws, complaints, clerk):
    view = record(complaints, clerk)
    complaints.answer(clerk, view.complaint_id, "已答复客户处理进度")
    with demo_ws.db.unit_of_work() as uow, pytest.raises(DatabaseError):
        uow.session.execute(delete(Complaint).where(Complaint.id == view.complaint_id))
    with demo_ws.db.unit_of_work() as uow, pytest.raises(DatabaseError):
        uow.session.execute(update(ComplaintEvent).values(text="改写"))
    assert complaints.view(view.complaint_id).status == "answered"
    with demo_ws.db.reader() as s:
        assert verify_chain(s).intact


def test_status_of_events():
    assert status_of([]) == "open"
    assert status_of(["answered"]) == "answered"
    assert status_of(["answered", "escalated", "hq_update"]) == "escalated"
    assert status_of(["escalated", "closed"]) == "closed"


def test_field_labels_agree_with_the_catalogues_complaint_business():
    """The catalogue registers its field labels too; a different label for the same key
    would make whichever module loads second fail at import."""
    from frontdesk.core import messages
    from frontdesk.core.catalogue import load_catalogue

    for business in load_catalogue().businesses:
        for field in business.fields:
            if field.key.startswith("complaint"):
                assert messages.field_label(field.key, "zh") == field.label_zh
                assert messages.field_label(field.key, "en") == field.label_en


def test_control_characters_are_refused_naming_the_field(complaints, clerk):
    """A NUL once travelled to head office inside a complaint and stopped sync."""
    with pytest.raises(RuleViolation) as info:
        record(complaints, clerk, description="信号差\x00通话中断", customer_name="王\x07女士")
    assert info.value.codes == ["field.control_chars", "field.control_chars"]
    assert [p.field for p in info.value.problems] == ["complaint_description", "complaint_customer"]
    assert all(p.text("zh") and p.text("en") for p in info.value.problems)
    view = record(complaints, clerk)
    with pytest.raises(RuleViolation) as info:
        complaints.answer(clerk, view.complaint_id, "已答复\x00")
    assert info.value.codes == ["field.control_chars"]
