"""Handset sales with warranty cards, after-sales look-up and 三包 events, end to end."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.core.messages import RuleViolation
from frontdesk.core.serials import luhn_check_digit
from frontdesk.services.intake import IntakeService
from frontdesk.services.warranty import WarrantyService, read_invoice_qr
from frontdesk.store.models import OutboxEntry, Slip, WarrantyCard, WarrantyEvent

from .helpers import verify_person


def imei(body14: str) -> str:
    return body14 + luhn_check_digit(body14)


IMEI_A = imei("35693803564380")
IMEI_B = imei("35693803564381")


def sale_fields(serial: str = IMEI_A, **changes) -> dict:
    """A handset sale's fields; the invoice's own data typed as printed on it (its date
    follows the sale date unless a test changes it)."""
    fields = {
        "brand": "华为",
        "model": "Mate 70",
        "device_serial": serial,
        "card_serial": serial,
        "price": "5999",
        "invoice_no": "04400012345",
        "invoice_date": changes.get("sale_date", "2026-11-21"),
        "invoice_model": "Mate 70",
        "invoice_serial": serial,
        "invoice_amount": "5999.00",
        "sale_date": "2026-11-21",
        "accessory_serials": "BAT-778812, CHG-99001",
        "accessory_models": "电池 HB526489EEW, 充电器 HW-100400C00",
        "origin": "中国广东东莞",
        "access_label_code": "AB12-CD34",
    }
    fields.update(changes)
    return fields


def sell(ws, clerk, fields: dict) -> str:
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", face=False, scan=False)
    intake.add_business(clerk, visit, "HANDSET_SALE", fields)
    intake.add_payment(
        clerk, visit, "bank_card", intake.view(visit).due_fen, reference="POS20261121"
    )
    return intake.settle(clerk, visit).slip_no


def test_sale_issues_a_card_in_the_settle_transaction(demo_ws, clerk):
    slip_no = sell(demo_ws, clerk, sale_fields())
    with demo_ws.db.reader() as s:
        card = s.scalar(select(WarrantyCard))
        assert card.card_no == "BJ0101-W01-20261121-W000001"
        assert (card.serial, card.serial_kind, card.model) == (IMEI_A, "imei", "Mate 70")
        assert card.customer_name == "张三" and card.customer_phone == "13800138000"
        assert card.amount_fen == 599_900 and card.access_label_code == "AB12-CD34"
        assert card.periods["handset"] == {
            "months": 12,
            "from": "2026-11-21",
            "until": "2027-11-21",
        }
        assert card.periods["battery"]["until"] == "2027-05-21"
        assert s.scalar(select(func.count()).where(OutboxEntry.record_id == card.id)) == 1
        slip = s.scalar(select(Slip).where(Slip.slip_no == slip_no))
        assert slip.total_fen == 599_900


def test_card_that_disagrees_with_the_invoice_is_refused_naming_the_field(demo_ws, clerk):
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False, scan=False)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "HANDSET_SALE", sale_fields(card_serial=IMEI_B))
    # the label on the card is neither the device's serial nor the invoice's
    assert [p.field for p in info.value.problems] == ["card.serial", "card.serial"]
    device, invoice = (p.text("zh") for p in info.value.problems)
    assert device.startswith("机身上的串号") and IMEI_B in device
    assert invoice.startswith("发票上的串号") and IMEI_A in invoice


def add_sale(ws, clerk, fields: dict):
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", face=False, scan=False)
    return intake, visit, intake.add_business(clerk, visit, "HANDSET_SALE", fields)


def refused(ws, clerk, fields: dict) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        add_sale(ws, clerk, fields)
    return info.value


def test_a_sale_without_invoice_or_agreement_is_refused(demo_ws, clerk):
    problem = refused(demo_ws, clerk, sale_fields(invoice_no=""))
    assert problem.codes == ["warranty.evidence_missing"]
    assert "发票号码" in problem.text("zh") and "入网协议编号" in problem.text("zh")
    # an access agreement instead of an invoice is evidence too
    _, _, item = add_sale(demo_ws, clerk, sale_fields(invoice_no="", agreement_no="XY-2026-01"))
    assert item.fields["agreement_no"] == "XY-2026-01"


@pytest.mark.parametrize(
    ("change", "field", "shown"),
    [
        ({"invoice_model": "Mate 70 Pro"}, "card.model", "Mate 70 Pro"),
        ({"invoice_serial": IMEI_B}, "card.serial", IMEI_B),
        ({"invoice_amount": "5899"}, "card.amount", "¥5,899.00"),
        ({"invoice_date": "2026-11-20"}, "card.sale_date", "2026-11-20"),
    ],
)
def test_the_invoice_as_typed_from_the_paper_must_agree_with_the_card(
    demo_ws, clerk, change, field, shown
):
    problem = refused(demo_ws, clerk, sale_fields(**change))
    assert problem.codes == ["warranty.mismatch"]
    assert [p.field for p in problem.problems] == [field]
    assert shown in problem.text("zh") and problem.text("zh").startswith("发票上的")


def test_a_data_card_sale_needs_the_same_evidence(demo_ws, clerk):
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False, scan=False)
    fields = sale_fields(model="E3372", invoice_model="E3372", price="299", invoice_amount="299")
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "DATA_CARD_SALE", {**fields, "invoice_no": ""})
    assert info.value.codes == ["warranty.evidence_missing"]
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "DATA_CARD_SALE", {**fields, "invoice_amount": "199"})
    assert [p.field for p in info.value.problems] == ["card.amount"]
    item = intake.add_business(clerk, visit, "DATA_CARD_SALE", fields)
    assert item.fields["origin"] == "中国广东东莞"


def test_a_missing_sale_field_is_named_once_not_compared(demo_ws, clerk):
    problem = refused(demo_ws, clerk, sale_fields(price="", invoice_model=""))
    assert problem.codes == ["field.required", "field.required"]
    assert [p.field for p in problem.problems] == ["price", "invoice_model"]


def test_the_invoice_date_is_required(demo_ws, clerk):
    problem = refused(demo_ws, clerk, sale_fields(invoice_date=""))
    assert problem.codes == ["field.required"] and problem.problems[0].field == "invoice_date"
    assert "票据日期" in problem.text("zh")


QR = "01,32,,24112000000012345678,5308.85,20261121,,A1B2"


def test_the_invoice_qr_code_gives_number_and_date(demo_ws, clerk, auth):
    # the counter filled the date from the code; the number comes from it too
    fields = sale_fields(invoice_no="", invoice_date="2026-11-21", invoice_qr=QR)
    intake, visit, _ = add_sale(demo_ws, clerk, fields)
    intake.add_payment(clerk, visit, "bank_card", 599_900, reference="POS1")
    intake.settle(clerk, visit)
    with demo_ws.db.reader() as s:
        card = s.scalar(select(WarrantyCard))
        assert card.invoice_no == "24112000000012345678"
    assert read_invoice_qr(QR) == ("24112000000012345678", dt.date(2026, 11, 21))
    with pytest.raises(RuleViolation) as info:
        read_invoice_qr("not an invoice")
    assert info.value.codes == ["warranty.invoice_qr_unreadable"]


@pytest.mark.parametrize(
    ("change", "code", "field", "shown"),
    [
        (
            {"invoice_qr": "https://example.invalid/x"},
            "warranty.invoice_qr_unreadable",
            "invoice_qr",
            "01,",
        ),
        (
            {"invoice_qr": "01,32,,2411200000001234567X,1,20261121,,"},
            "warranty.invoice_qr_unreadable",
            "invoice_qr",
            "二维码",
        ),
        (
            {"invoice_qr": "01,32,,24112000000012345678,1,20261341,,"},
            "warranty.invoice_qr_unreadable",
            "invoice_qr",
            "二维码",
        ),
        (
            {"invoice_qr": "01,32,,24112000000012345678,1,2026112,,"},
            "warranty.invoice_qr_unreadable",
            "invoice_qr",
            "二维码",
        ),
        (
            {"invoice_qr": QR, "invoice_no": "04400012345"},
            "warranty.invoice_qr_differs",
            "invoice_no",
            "04400012345",
        ),
        (
            {"invoice_qr": QR, "invoice_no": "", "invoice_date": "2026-11-20"},
            "warranty.invoice_qr_differs",
            "invoice_date",
            "2026-11-20",
        ),
    ],
)
def test_a_qr_code_that_is_not_the_invoice_typed_is_refused(
    demo_ws, clerk, change, code, field, shown
):
    problem = refused(demo_ws, clerk, sale_fields(**change))
    assert problem.codes == [code] and problem.problems[0].field == field
    assert shown in problem.text("zh")


def test_a_serial_sold_once_is_refused_until_returned(demo_ws, clerk, auth):
    sell(demo_ws, clerk, sale_fields())
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False, scan=False)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "HANDSET_SALE", sale_fields())
    assert info.value.codes == ["warranty.serial_sold"]
    assert "W000001" in info.value.text("zh")
    intake.cancel(clerk, visit, "串号已售")
    # return within 7 days: refund and free the serial in one transaction
    warranty = WarrantyService(demo_ws)
    ok = auth.authorise(
        "manager01",
        "Manager2026",
        action="warranty_return",
        reason="七日内无理由退货",
        requested_by=clerk,
    )
    refund_no = warranty.return_device(
        clerk, "BJ0101-W01-20261121-W000001", ok, method="bank_card", reference="POS-R"
    )
    with demo_ws.db.reader() as s:
        refund = s.scalar(select(Slip).where(Slip.slip_no == refund_no))
        assert refund.kind == "refund" and refund.total_fen == -599_900
        assert s.scalar(select(WarrantyEvent.event)) == "returned"
    sell(demo_ws, clerk, sale_fields())  # the same serial sells again
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(WarrantyCard.id))) == 2


def test_look_up_by_each_key_shows_masked_customer_and_status(demo_ws, clerk):
    slip_no = sell(demo_ws, clerk, sale_fields())
    warranty = WarrantyService(demo_ws)
    for key in (IMEI_A, "13800138000", slip_no, "BJ0101-W01-20261121-W000001"):
        [view] = warranty.lookup(clerk, key)
        assert view.customer_name_masked == "张*"
        assert view.customer_phone_masked == "138****8000"
        assert view.slip_no == slip_no
    later = warranty.lookup(clerk, IMEI_A, on=dt.date(2027, 6, 1))[0].status
    assert later.part("handset").covered and not later.part("battery").covered
    assert not later.can_return and not later.can_exchange
    assert warranty.lookup(clerk, "000000000000000") == []


def test_repairs_and_loan_phone_are_logged_and_extend_the_warranty(demo_ws, clerk, clock):
    sell(demo_ws, clerk, sale_fields())
    warranty = WarrantyService(demo_ws)
    card = "BJ0101-W01-20261121-W000001"
    warranty.record_event(
        clerk, card, "repair_in", on=dt.date(2027, 3, 1), detail={"fault": "无法开机"}
    )
    with pytest.raises(RuleViolation) as info:
        warranty.record_event(clerk, card, "repair_in", on=dt.date(2027, 3, 2))
    assert info.value.codes == ["warranty.already_in_repair"]
    warranty.record_event(
        clerk, card, "loan_out", on=dt.date(2027, 3, 1), detail={"loan_serial": IMEI_B}
    )
    view = warranty.record_event(
        clerk,
        card,
        "repair_out",
        on=dt.date(2027, 3, 21),
        detail={"fixed": True, "handling": "更换主板", "technician": "刘师傅"},
    )
    assert view.status.loan_phone_out == IMEI_B
    view = warranty.record_event(clerk, card, "loan_back", on=dt.date(2027, 3, 21))
    assert view.status.loan_phone_out is None
    end = warranty.lookup(clerk, card, on=dt.date(2027, 12, 1))[0].status.part("handset")
    assert end.end == dt.date(2027, 12, 11) and end.covered
    assert [e.event for e in view.history] == ["repair_in", "loan_out", "repair_out", "loan_back"]


def test_exchange_on_day_10_issues_a_new_card_and_frees_nothing_twice(demo_ws, clerk, auth, clock):
    sell(demo_ws, clerk, sale_fields())
    clock.advance(days=10)
    warranty = WarrantyService(demo_ws)
    ok = auth.authorise(
        "manager01",
        "Manager2026",
        action="warranty_exchange",
        reason="屏幕坏点",
        requested_by=clerk,
    )
    with pytest.raises(RuleViolation) as info:
        warranty.exchange_device(clerk, "BJ0101-W01-20261121-W000001", IMEI_A, ok)
    assert info.value.codes == ["warranty.same_serial"]
    new_no = warranty.exchange_device(clerk, "BJ0101-W01-20261121-W000001", IMEI_B, ok)
    [new] = warranty.lookup(clerk, IMEI_B)
    assert new.card_no == new_no and new.sale_date == dt.date(2026, 11, 21)
    # the exchanged device's periods restart on the exchange day
    assert new.status.part("handset").base_end == dt.date(2027, 12, 1)
    [old] = warranty.lookup(clerk, IMEI_A)
    assert old.status.closed_by == "exchanged"
