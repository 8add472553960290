"""The 三包凭证 as printed after real sales, repairs and exchanges, read back from the PDF.

Every card comes from a handset sale settled by the intake service on a demo
workstation, with the after-sales events recorded through :class:`WarrantyService`;
the PDFs are read back with pypdf (text, and the positions of the seal and the terms)
and pyzbar (Code 128).
"""

from __future__ import annotations

import datetime as dt
import io

import pypdf
from pypdf.generic import ContentStream

from frontdesk.config import load_config, write_config
from frontdesk.core.serials import luhn_check_digit
from frontdesk.services.warranty import WarrantyService

from .conftest import IMEI, decode_barcodes, pdf_compact

NEW_BODY = "86901234567892"
NEW_IMEI = NEW_BODY + luhn_check_digit(NEW_BODY)


def with_seller_details(ws) -> None:
    """The branch's address, phone and post code as IT configures them (frontdesk.toml)."""
    w = ws.config.workstation.model_copy(
        update={
            "branch_address": "北京市朝阳区建国路88号",
            "branch_phone": "010-65001234",
            "branch_postcode": "100022",
        }
    )
    write_config(ws.data_dir, ws.config.model_copy(update={"workstation": w}))
    ws.config = load_config(ws.data_dir)


def card_no_of(documents, card_id) -> str:
    return documents.archive_warranty_card(card_id).number


def _multiply(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    ]


def image_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) in points of every image drawn on page 1."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    boxes = []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _multiply([float(x) for x in operands], ctm)
        elif op == b"Do":
            boxes.append((ctm[4], ctm[5], ctm[0], ctm[3]))
    return boxes


def text_lines(pdf: bytes, *needles: str) -> list[tuple[float, float]]:
    """(baseline y, font size) of every text run on page 1 containing one of ``needles``."""
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, size) -> None:
        if any(n in text for n in needles):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((y, float(size) * cm[3]))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_the_card_carries_every_field_domain_lists(visits, documents):
    with_seller_details(visits.ws)
    _, card_id = visits.handset_sale_with_card()
    pdf = documents.read_pdf(documents.archive_warranty_card(card_id).document_id)
    text = pdf_compact(pdf)
    for label, value in (
        ("产地", "中国广东东莞"),
        ("配件型号", "电池HB526489EEW,充电器HW-100400C00"),
        ("邮政编码", "100022"),  # the customer's, collected on the sale
        ("客户地址", "北京市朝阳区建国路88号"),
        ("邮编：", "100022"),  # the seller's, from the configuration
        ("电话：", "010-65001234"),
        ("进网标志扰码号", "CTA-2026-1234"),
        ("发票号码", "11002611210001"),
    ):
        assert label in text and value in text, label
    # the windows' last days and the day-counting rule they follow
    assert "7日内（至2026-11-28）" in text and "15日内（至2026-12-06）" in text
    assert "可选择退货、换货或修理" in text
    assert (
        "民法典" in text and "购机当日不计入" in text and "没有对应日的，到该月最后一日止" in text
    )
    assert "2027-11-21" in text  # the handset: the corresponding day a year on
    assert ("CODE128", IMEI) in decode_barcodes(pdf)


def test_the_seal_never_covers_the_terms(visits, documents):
    with_seller_details(visits.ws)
    _, card_id = visits.handset_sale_with_card()
    pdf = documents.read_pdf(documents.archive_warranty_card(card_id).document_id)
    [(_x, y, width, height)] = image_boxes(pdf)  # the seal is the card's only image
    assert width > 50 and height > 50  # a real seal, not a dot
    terms = text_lines(pdf, "购机后", "民法典", "次日起算", "最后一日")
    assert terms
    top_of_terms = max(baseline + size for baseline, size in terms)
    assert y > top_of_terms  # the whole seal lies above the terms' first line
    seller = text_lines(pdf, "销售单位")
    assert seller and y < max(b for b, _ in seller) + 20  # …and beside the seller's name


def test_a_reprint_after_repairs_prints_the_repair_log(visits, documents, clerk):
    _, card_id = visits.handset_sale_with_card()
    card_no = card_no_of(documents, card_id)
    warranty = WarrantyService(visits.ws)
    sale_day = dt.date(2026, 11, 21)
    warranty.record_event(
        clerk,
        card_no,
        "repair_in",
        on=sale_day + dt.timedelta(days=30),
        detail={"fault": "无法开机"},
    )
    warranty.record_event(
        clerk,
        card_no,
        "repair_out",
        on=sale_day + dt.timedelta(days=36),
        detail={
            "fixed": False,
            "cause": "主板电源芯片虚焊",
            "handling": "重新焊接",
            "technician": "刘师傅",
        },
    )
    warranty.record_event(
        clerk, card_no, "repair_in", on=dt.date(2027, 1, 10), detail={"fault": "听筒无声"}
    )
    original = documents.archive_warranty_card(card_id)
    copy = documents.reprint(clerk, original.document_id, reason="维修后补打")
    text = pdf_compact(documents.read_pdf(copy.document_id))
    assert "补打" in text and "维修记录" in text
    for expected in (
        "送修日期",
        "故障现象",
        "故障原因",
        "处理情况",
        "取机日期",
        "维修人员",
        "2026-12-21",
        "无法开机",
        "主板电源芯片虚焊",
        "重新焊接（未修复）",
        "2026-12-27",
        "刘师傅",
        "2027-01-10",
        "听筒无声",
        "维修中",
    ):
        assert expected in text, expected
    # six days in finished repairs: every period runs on by six days
    assert "2027-11-27（含维修6天）" in text
    # the card printed at the sale had no repair log and still hasn't
    assert "维修记录" not in pdf_compact(documents.read_pdf(original.document_id))


def test_exchange_links_the_new_card_and_the_old_one(visits, documents, clerk, clock):
    _, card_id = visits.handset_sale_with_card()
    old_no = card_no_of(documents, card_id)
    clock.advance(days=3)  # day 3: within the 7 days, the customer chose an exchange
    approval = visits.approval("warranty_exchange", "开箱屏幕坏点")
    warranty = WarrantyService(visits.ws)
    new_no = warranty.exchange_device(clerk, old_no, NEW_IMEI, approval)
    [new_view] = warranty.lookup(clerk, new_no)
    new_pdf = documents.read_pdf(documents.archive_warranty_card(new_view.card_id).document_id)
    new_text = pdf_compact(new_pdf)
    assert new_no in new_text and "换货记录" in new_text
    assert f"2026-11-24换货发出：换下原机串号{IMEI}，原保修卡号{old_no}" in new_text
    assert "2027-11-24" in new_text  # the new device's handset period starts again
    assert "7日内（至2026-11-28）" in new_text  # the windows stay those of the sale
    assert ("CODE128", NEW_IMEI) in decode_barcodes(new_pdf)
    # the old card, reprinted, says 已换货 with the new card's number
    old_ref = documents.archive_warranty_card(card_id)  # archived at the sale, unchanged
    assert "已换货" not in pdf_compact(documents.read_pdf(old_ref.document_id))
    old_text = pdf_compact(
        documents.read_pdf(documents.reprint(clerk, old_ref.document_id).document_id)
    )
    assert "已换货" in old_text and new_no in old_text and NEW_IMEI in old_text
    assert "以新保修卡为准" in old_text and "补打" in old_text


def test_a_returned_or_voided_card_says_so_on_a_reprint(visits, documents, clerk):
    slip_id, card_id = visits.handset_sale_with_card()
    ref = documents.archive_warranty_card(card_id)
    with visits.ws.db.reader() as s:
        from frontdesk.store.models import Slip

        slip_no = s.get(Slip, slip_id).slip_no
    void = visits.void(slip_no, "录错机型")
    text = pdf_compact(documents.read_pdf(documents.reprint(clerk, ref.document_id).document_id))
    assert "已作废" in text and void.slip_no in text

    _, other_id = visits.handset_sale_with_card()  # the serial, freed by the void, sells again
    other = documents.archive_warranty_card(other_id)
    refund_no = WarrantyService(visits.ws).return_device(
        clerk, other.number, visits.approval("warranty_return", "七日内退货")
    )
    text = pdf_compact(documents.read_pdf(documents.reprint(clerk, other.document_id).document_id))
    assert "已退货" in text and refund_no in text
