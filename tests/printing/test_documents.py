"""Each document rendered for real visits and read back: text, masking, 大写, barcodes."""

from __future__ import annotations

import io

import pypdf
from sqlalchemy import select

from frontdesk.core.money import chinese_capital
from frontdesk.printing.barcodes import parse_slip_qr
from frontdesk.store.models import Slip

from .conftest import IMEI, decode_barcodes, fonts_used, pdf_compact, pdf_text


def test_slip_lists_every_business_with_terms_fees_and_payments(visits, documents):
    _, settled = visits.sale()
    pdf = documents.read_pdf(documents.archive_slip(settled.slip_id).document_id)
    text = pdf_compact(pdf)
    for expected in (
        "业务受理单",
        "北京朝阳建国路营业厅",
        "W01",  # counter
        "王小丽",  # clerk
        settled.slip_no,
        "2026-11-21",
        "张三",
        "入网/装机",
        "话费缴纳",
        "13812345678",
        "13800138000",
        "客户同意按所选套餐资费使用本公司通信服务",  # NEW_LINE terms from the catalogue
        "A023",  # queue ticket
        "¥250.00",
        chinese_capital(25_000),  # 贰佰伍拾元整
        "微信支付",
        "4200001234202611210001",
        "现金",
        "找零",
        "¥50.00",
        "客户签名",
    ):
        assert expected in text, expected
    with visits.ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == settled.slip_no))
        masked, code = slip.customer_id_masked, slip.verification_code
    assert masked in text and "*" in masked
    full_number = "110105"  # the mask keeps the first 6 — but never the birth date
    assert full_number in masked and masked[6:14] == "********"
    codes = decode_barcodes(pdf)
    assert [t for kind, t in codes if kind == "QRCODE"]
    qr = next(t for kind, t in codes if kind == "QRCODE")
    assert parse_slip_qr(qr) == (settled.slip_no, code)
    assert code in text


def test_unit_customer_slip_names_the_unit_and_the_agent_masked(visits, documents):
    _, settled = visits.unit()
    text = pdf_compact(documents.render_slip(settled.slip_id))
    with visits.ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == settled.slip_no))
        credit_code, agent_masked = slip.unit_credit_code, slip.agent_id_masked
    assert "北京示例科技有限公司" in text and credit_code in text
    assert "单位经办人" in text and "刘建国" in text
    assert agent_masked in text and "*" in agent_masked
    assert "经办人签名" in text
    assert "产品订购和变更" in text or "套餐" in text


def test_receipt_in_both_layouts(visits, documents):
    _, settled = visits.sale()
    receipt_id = visits.receipt_id(settled.slip_id)
    for variant in ("a4", "thermal80"):
        ref = documents.archive_receipt(receipt_id, variant)
        pdf = documents.read_pdf(ref.document_id)
        text = pdf_compact(pdf)
        for expected in (
            "收据",
            settled.receipt_no,
            settled.slip_no,
            "入网/装机",
            "¥100.00",
            "¥150.00",
            "¥250.00",
            "大写：贰佰伍拾元整",
            "微信支付",
            "流水号4200001234202611210001",
            "实收¥200.00",
            "收款人：王小丽",
            "北京朝阳建国路营业厅",
        ):
            assert expected in text, (variant, expected)
        assert "补打" not in text and "作废" not in text
        assert text.count("找零") == 1, variant  # the change, once, on its own row
    thermal = pypdf.PdfReader(io.BytesIO(documents.read_pdf(ref.document_id)))
    box = thermal.pages[0].mediabox
    assert len(thermal.pages) == 1
    assert abs(float(box.width) - 226.77) < 0.1  # 80 mm
    assert float(box.height) > float(box.width)  # as long as its content


def test_reprint_says_bupa_with_time_and_is_audited(visits, documents, clerk, clock):
    from frontdesk.store.models import AuditEntry

    _, settled = visits.sale()
    original = documents.archive_receipt(visits.receipt_id(settled.slip_id), "thermal80")
    clock.advance(minutes=42)
    copy = documents.reprint(clerk, original.document_id, reason="客户遗失")
    assert copy.variant == "thermal80-r1" and copy.is_reprint and copy.layout == "thermal80"
    text = pdf_compact(documents.read_pdf(copy.document_id))
    assert "补打" in text and "2026-11-2110:12:00" in text
    assert settled.receipt_no in text
    # the original file is untouched
    assert "补打" not in pdf_compact(documents.read_pdf(original.document_id))
    second = documents.reprint(clerk, copy.document_id)
    assert second.variant == "thermal80-r2"
    with visits.ws.db.reader() as s:
        entries = s.execute(
            select(AuditEntry.detail, AuditEntry.actor_id)
            .where(AuditEntry.action == "document.reprinted")
            .order_by(AuditEntry.seq)
        ).all()
    assert len(entries) == 2
    assert entries[0].detail["number"] == settled.receipt_no
    assert entries[0].detail["reason"] == "客户遗失"
    assert entries[0].actor_id == clerk.staff_id


def test_void_receipt_and_voided_original_say_zuofei_with_reason_and_number(
    visits, documents, clerk
):
    _, settled = visits.top_up("50")
    original_receipt = visits.receipt_id(settled.slip_id)
    first = documents.archive_receipt(original_receipt, "a4")
    void = visits.void(settled.slip_no, "充错号码")
    refs = documents.archive_settlement(void.slip_id, receipt_variants=("a4", "thermal80"))
    assert [r.kind for r in refs] == ["slip", "receipt", "receipt"]
    void_receipt = pdf_compact(documents.read_pdf(refs[1].document_id))
    for expected in (
        "收据（红字冲正）",
        void.receipt_no,
        settled.receipt_no,
        "充错号码",
        "红字冲正",
        "冲正原收据号",
        "-¥50.00",
    ):
        assert expected in void_receipt, expected
    assert "冲正合计" in void_receipt and "负伍拾元整" in void_receipt
    # a reversal, not a second voided receipt: no 作废 watermark or line on it
    assert "作废" not in void_receipt
    thermal = pdf_compact(documents.read_pdf(refs[2].document_id))
    assert "冲正" in thermal and "充错号码" in thermal and "作废" not in thermal
    # the original as archived before the void stays as it was; a reprint says 作废
    assert "作废" not in pdf_compact(documents.read_pdf(first.document_id))
    copy = pdf_compact(documents.read_pdf(documents.reprint(clerk, first.document_id).document_id))
    assert "已作废" in copy and void.receipt_no in copy and "充错号码" in copy and "补打" in copy
    slip_copy = pdf_compact(documents.render_slip(settled.slip_id))
    assert "已作废" in slip_copy and void.slip_no in slip_copy


def test_refund_prints_its_own_receipt_pointing_at_the_original(visits, documents):
    _, settled = visits.two_top_ups_by_card()
    refund = visits.refund_last_item(settled.slip_no)
    refs = documents.archive_settlement(refund.slip_id)
    slip_text = pdf_compact(documents.read_pdf(refs[0].document_id))
    assert "业务受理单（退款）" in slip_text and settled.slip_no in slip_text
    text = pdf_compact(documents.read_pdf(refs[1].document_id))
    for expected in (
        "退款收据",
        refund.receipt_no,
        "原收据号",
        settled.receipt_no,
        "重复充值",
        "退款合计",
        "-¥20.00",
        "负贰拾元整",
        "银行卡",
        "POS-R-1",
    ):
        assert expected in text, expected
    assert "13800138000" in text and "13600136000" not in text


def test_warranty_card_masks_the_phone_and_carries_a_code128_serial(visits, documents):
    _, card_id = visits.handset_sale_with_card()
    ref = documents.archive_warranty_card(card_id)
    pdf = documents.read_pdf(ref.document_id)
    text = pdf_compact(pdf)
    for expected in (
        "保修卡",
        "张三",
        "138****8000",
        "2026-11-21",
        "华为",
        "Mate70Pro",
        IMEI,
        "11002611210001",
        "¥5,999.00",
        "伍仟玖佰玖拾玖元整",
        "主机",
        "12个月",
        "2027-11-21",
        "电池",
        "2027-05-21",
        "有线耳机",
        "CTA-2026-1234",
        "北京朝阳建国路营业厅",
        "王小丽",
    ):
        assert expected in text, expected
    assert "13800138000" not in text
    codes = decode_barcodes(pdf)
    assert ("CODE128", IMEI) in codes


def test_every_document_embeds_its_cjk_font(visits, documents):
    _, settled = visits.sale()
    pdfs = [
        documents.read_pdf(r.document_id) for r in documents.archive_settlement(settled.slip_id)
    ]
    for pdf in pdfs:
        embedded, referenced = fonts_used(pdf)
        # the CJK font travels inside the PDF (a subset: "ABCDEF+Name"); only the PDF
        # standard Latin fonts, which every viewer has, are referenced by name
        assert embedded and all("+" in name for name in embedded)
        assert referenced <= {"/Helvetica", "/Helvetica-Bold"}
    # same records, same bytes: the archive's digests mean something
    assert documents.render_slip(settled.slip_id) == pdfs[0]


def test_several_pages_when_a_visit_has_many_businesses(visits, documents):
    intake, clerk = visits.intake, visits.clerk
    visit = intake.open_visit(clerk)
    for i in range(14):
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": str(10 + i)}, service_number="13600136000"
        )
    intake.add_payment(clerk, visit, "cash", intake.view(visit).due_fen)
    settled = intake.settle(clerk, visit)
    pdf = documents.render_slip(settled.slip_id)
    text = pdf_text(pdf)
    assert "第 2 页" in text
    assert chinese_capital(sum(10 + i for i in range(14)) * 100) in "".join(text.split())
