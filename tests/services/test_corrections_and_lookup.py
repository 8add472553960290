"""Voids and refunds as new records; customer look-ups by document and phone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontdesk.core.messages import RuleViolation
from frontdesk.services.corrections import CorrectionService
from frontdesk.services.customers import CustomerService
from frontdesk.services.intake import IntakeService
from frontdesk.store.models import AuditEntry, Payment, Receipt, Slip

from .helpers import today


def _top_up_slip(ws, clerk, amount_yuan: str, number: str = "13600136000"):
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": amount_yuan}, service_number=number
    )
    view = intake.view(visit)
    intake.add_payment(clerk, visit, "cash", view.due_fen)
    return intake.settle(clerk, visit)


def test_void_creates_a_reversing_slip_and_receipt(demo_ws, clerk, auth):
    settled = _top_up_slip(demo_ws, clerk, "50")
    ok = auth.authorise(
        "manager01", "Manager2026", action="void", reason="充错号码", requested_by=clerk
    )
    result = CorrectionService(demo_ws).void(clerk, settled.slip_no, ok)
    assert result.amount_fen == -5_000
    assert result.receipt_no == "BJ0101-W01-20261121-R000002"
    with demo_ws.db.reader() as s:
        void = s.scalar(select(Slip).where(Slip.slip_no == result.slip_no))
        assert void.kind == "void" and void.reason == "充错号码"
        assert void.authorised_by == ok.manager_id
        assert [p.amount_fen for p in void.payments] == [-5_000]
        receipts = s.scalars(select(Receipt).order_by(Receipt.seq)).all()
        assert [r.seq for r in receipts] == [1, 2]
        assert receipts[1].original_receipt_id == receipts[0].id
        net = s.scalar(select(func.sum(Payment.amount_fen)))
        assert net == 0
        assert s.scalar(select(func.count()).where(AuditEntry.action == "slip.voided")) == 1
    with pytest.raises(RuleViolation) as info:
        CorrectionService(demo_ws).void(clerk, settled.slip_no, ok)
    assert info.value.codes == ["correction.already_voided"]


def test_void_only_on_the_same_business_day(demo_ws, clerk, auth, clock):
    settled = _top_up_slip(demo_ws, clerk, "20")
    clock.advance(days=1)
    ok = auth.authorise("manager01", "Manager2026", action="void", reason="x", requested_by=clerk)
    with pytest.raises(RuleViolation) as info:
        CorrectionService(demo_ws).void(clerk, settled.slip_no, ok)
    assert info.value.codes == ["correction.void_other_day"]


def test_refund_of_chosen_items_once_only(demo_ws, clerk, auth):
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "30"}, service_number="13600136000"
    )
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "20"}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "bank_card", 5_000, reference="POS778899")
    settled = intake.settle(clerk, visit)
    with demo_ws.db.reader() as s:
        item_ids = [
            i.id for i in s.scalar(select(Slip).where(Slip.slip_no == settled.slip_no)).items
        ]
    ok = auth.authorise(
        "manager01", "Manager2026", action="refund", reason="重复充值", requested_by=clerk
    )
    corrections = CorrectionService(demo_ws)
    result = corrections.refund(
        clerk, settled.slip_no, [item_ids[1]], ok, method="bank_card", reference="POS-R-1"
    )
    assert result.amount_fen == -2_000
    with pytest.raises(RuleViolation) as info:
        corrections.refund(clerk, settled.slip_no, [item_ids[1]], ok)
    assert info.value.codes == ["correction.item_refunded"]
    with pytest.raises(RuleViolation) as info:
        corrections.void(clerk, settled.slip_no, ok)
    assert info.value.codes == ["correction.void_after_refund"]
    with pytest.raises(RuleViolation) as info:
        corrections.refund(clerk, "BJ0101-W01-20261121-S999999", [item_ids[0]], ok)
    assert info.value.codes == ["correction.slip_not_found"]


def test_customer_look_up_by_document_and_phone_is_audited(demo_ws, clerk):
    from frontdesk.devices.id_reader import demo_card

    customers = CustomerService(demo_ws)
    number = demo_card("zhang_san", today=today(demo_ws)).id_number
    found = customers.find_by_document(clerk, "resident_id", number.lower())
    assert [c.name for c in found] == ["张三"]
    assert found[0].numbers == ("13800138000", "13900139000")
    assert found[0].id_masked == number[:6] + "********" + number[-4:]
    by_phone = customers.find_by_phone(clerk, "+86 139-0013-9000")
    assert [c.name for c in by_phone] == ["张三"]
    assert customers.find_by_phone(clerk, "13000000000") == []
    with demo_ws.db.reader() as s:
        entries = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.like("customer.lookup.%"))
            .order_by(AuditEntry.seq)
        ).all()
        assert [e.detail["hits"] for e in entries] == [1, 1, 0]
        assert all(number not in str(e.detail) for e in entries)
        assert entries[1].detail["key"] == "139****9000"
