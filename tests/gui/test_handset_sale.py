"""A handset sale at the counter window, keyboard first: the invoice's own data is taken
from the invoice — its QR code scanned, or typed from the paper — and the card must
agree with it. Real services and database; the card and the slip item afterwards."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.gui.qt import Qt
from frontdesk.store.models import SlipItem, WarrantyCard

from .test_aftersales import IMEI_A
from .test_visits import pick, verify_with_reader

CTRL = Qt.KeyboardModifier.ControlModifier
QR = "01,32,,24112000000012345678,5308.85,20261121,,A1B2"


def start_sale(c) -> None:
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    pick(c, "gj", "HANDSET_SALE")
    assert c.focus.objectName() == "device_serial"  # scanner first
    c.type(IMEI_A)  # scanned from the box (a TAC the terminal catalogue does not list)
    c.enter()
    assert c.focus.objectName() == "brand"
    c.type("华为")
    c.enter()
    c.type("Mate 70")
    c.enter()
    assert c.focus.objectName() == "card_serial"
    c.type(IMEI_A)  # the S/N label stuck on the card, scanned back
    c.enter()
    c.type("5999")
    c.enter()
    assert c.focus.objectName() == "invoice_qr"  # the invoice comes next


def finish_sale(c, amount: str = "5999") -> None:
    """The invoice's lines typed as printed on it, then origin; Enter puts it on the slip."""
    assert c.focus.objectName() == "invoice_model"
    c.type("Mate 70")
    c.enter()
    assert c.focus.objectName() == "invoice_serial"
    c.type(IMEI_A)
    c.enter()
    assert c.focus.objectName() == "invoice_amount"
    c.type(amount)
    c.enter()
    assert c.focus.objectName() == "origin"  # sale date defaults to today; extras skipped
    c.type("中国广东东莞")
    c.enter()


def settle_cash(c, window) -> str:
    assert c.focus is window.slip.method  # issue 19: the method is chosen, not assumed
    c.key(Qt.Key.Key_1)  # 1 现金
    assert c.focus is window.slip.amount
    c.enter()  # take the amount due in cash
    c.key(Qt.Key.Key_F10)
    return window.last_settled.slip_no


def test_invoice_qr_code_scanned_fills_number_and_date(counter, window, demo_ws):
    c = counter
    start_sale(c)
    form = window.business.form
    c.type("01,32,,not-a-number,1,20261121,,")  # a QR code that is no invoice's
    c.enter()
    assert c.focus.objectName() == "invoice_qr"  # stays: scan again
    assert "无法识别" in form.notes["invoice_qr"].text()
    c.key(Qt.Key.Key_A, CTRL)
    c.type(QR)
    c.enter()
    assert form.inputs["invoice_no"].text() == "24112000000012345678"
    assert form.inputs["invoice_date"].text() == "2026-11-21"
    assert "已读取：发票号码 24112000000012345678" in form.message.text()
    finish_sale(c)
    slip_no = settle_cash(c, window)
    with demo_ws.db.reader() as s:
        card = s.scalar(select(WarrantyCard))
        assert card.invoice_no == "24112000000012345678" and card.serial == IMEI_A
        item = s.scalar(select(SlipItem).where(SlipItem.business_code == "HANDSET_SALE"))
        assert item.fields["invoice_qr"] == QR and item.fields["origin"] == "中国广东东莞"
    assert slip_no


def test_invoice_typed_from_paper_and_a_mismatch_is_refused(counter, window, demo_ws):
    c = counter
    start_sale(c)
    form = window.business.form
    c.key(Qt.Key.Key_Tab)  # no QR code on this invoice: on to its number
    assert c.focus.objectName() == "invoice_no"
    c.type("04400012345")
    c.enter()
    assert c.focus.objectName() == "invoice_date"
    c.type("2026-11-21")
    c.enter()
    finish_sale(c, amount="5899")  # the invoice says ¥5,899.00, the card ¥5,999.00
    assert form is window.business.form and form.isVisible()  # refused, nothing added
    refusal = form.message.text()
    assert "发票上的金额" in refusal and "¥5,899.00" in refusal and "¥5,999.00" in refusal
    with demo_ws.db.reader() as s:
        assert s.scalar(select(WarrantyCard)) is None
    form.inputs["invoice_amount"].setFocus()  # the clerk clicks the amount, checks the paper
    c.key(Qt.Key.Key_A, CTRL)
    c.type("5999")
    c.key(Qt.Key.Key_Return, CTRL)  # Ctrl+Enter: onto the slip
    settle_cash(c, window)
    with demo_ws.db.reader() as s:
        card = s.scalar(select(WarrantyCard))
        assert card.invoice_no == "04400012345" and card.amount_fen == 599_900


def test_a_sale_without_invoice_or_agreement_number_is_refused(counter, window, demo_ws):
    c = counter
    start_sale(c)
    form = window.business.form
    c.enter()  # no QR code
    assert c.focus.objectName() == "invoice_date"  # the number was skipped (optional)
    c.type("2026-11-21")
    c.enter()
    finish_sale(c)
    assert form is window.business.form and form.isVisible()
    note = form.notes["invoice_no"].text()
    assert "发票号码" in note and "入网协议编号" in note
    form.inputs["agreement_no"].setFocus()  # this one was sold on an access agreement
    c.type("XY-2026-0001")
    c.key(Qt.Key.Key_Return, CTRL)
    settle_cash(c, window)
    with demo_ws.db.reader() as s:
        card = s.scalar(select(WarrantyCard))
        assert card.agreement_no == "XY-2026-0001" and card.invoice_no is None
