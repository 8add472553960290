"""What the archived slip of an 入网/过户 shows: every party masked, the fraud notice."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.devices.id_reader import demo_card
from frontdesk.store.models import Slip
from tests.services.helpers import today, verify_person

from .conftest import pdf_compact, valid_iccid


def test_new_line_slip_carries_the_signed_fraud_notice(visits, documents):
    _, settled = visits.sale()
    text = pdf_compact(documents.read_pdf(documents.archive_slip(settled.slip_id).document_id))
    assert "涉诈风险告知书" in text and "已签署（纸质签署）" in text
    assert "反电信网络诈骗法" in text and "二次实人认证" in text


def test_change_owner_slip_names_both_owners_masked(visits, documents):
    ws, intake, clerk = visits.ws, visits.intake, visits.clerk
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "long_term")
    verify_person(ws, clerk, visit, "zhang_san", party="new_owner", limits=True)
    intake.add_business(
        clerk,
        visit,
        "CHANGE_OWNER",
        {"new_owner_phone": "13812340000"},
        service_number="13700137000",
    )
    intake.record_fraud_notice(clerk, visit, "paper")
    settled = intake.settle(clerk, visit)
    text = pdf_compact(documents.render_slip(settled.slip_id))
    with ws.db.reader() as s:
        old_masked = s.scalar(
            select(Slip).where(Slip.slip_no == settled.slip_no)
        ).customer_id_masked
    new_full = demo_card("zhang_san", today=today(ws)).id_number
    new_masked = new_full[:6] + "*" * 8 + new_full[-4:]
    assert "刘建国" in text and old_masked in text  # the owner giving the number up
    assert "新机主" in text and "张三" in text and new_masked in text
    assert new_full not in text and new_full[6:14] not in text
    assert "涉诈风险告知书" in text


def test_minor_slip_prints_the_guardian_and_relationship(visits, documents):
    ws, intake, clerk = visits.ws, visits.intake, visits.clerk
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "minor", purpose="new_line", face=False, limits=True)
    verify_person(ws, clerk, visit, "long_term", party="agent")
    intake.record_guardian(clerk, visit, "guardian")
    intake.add_business(
        clerk,
        visit,
        "NEW_LINE",
        {
            "plan": "mob_59",
            "new_number": "13812345670",
            "sim_iccid": valid_iccid(),
            "prepay_amount": "50",
        },
    )
    intake.add_payment(clerk, visit, "cash", 5_000)
    intake.record_fraud_notice(clerk, visit, "paper")
    settled = intake.settle(clerk, visit)
    text = pdf_compact(documents.render_slip(settled.slip_id))
    assert "监护人与客户关系" in text and "其他法定监护人" in text
    assert "李小明" in text and "刘建国" in text
