"""Scan the IMEI, see the model (issue 19 #12): the sale form fills brand, model, price,
产地 and accessory models from the terminal catalogue and skips them; an unknown TAC
fills nothing and says so; the clerk can change any value. Real window, keystrokes,
real services and database; the 三包 card read back from its PDF."""

from __future__ import annotations

import io

import pypdf
from sqlalchemy import select

from frontdesk.gui.qt import Qt
from frontdesk.store.models import ArchivedDocument, SlipItem, WarrantyCard

from .test_aftersales import IMEI_A
from .test_handset_sale import QR, settle_cash
from .test_visits import pick, verify_with_reader

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
KNOWN = "860123456789014"  # TAC 86012345: HUAWEI Mate60 in the demo terminal catalogue
FILLED = {
    "brand": "HUAWEI",
    "model": "Mate60",
    "price": "5999.00",
    "origin": "中国",
    "accessory_models": "电池 HB526489EEW，充电器 HW-110600C00",
}


def open_sale(c) -> None:
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    pick(c, "gj", "HANDSET_SALE")
    assert c.focus.objectName() == "device_serial"  # scanner first


def scan(c, code: str) -> None:
    c.type(code)
    c.enter()  # the scanner's own Enter


def texts(form) -> dict[str, str]:
    return {key: form.inputs[key].text() for key in FILLED}


def invoice_and_slip(c, amount: str) -> None:
    """The invoice's own data, from its QR code and typed from the paper: never filled."""
    assert c.focus.objectName() == "invoice_qr"
    scan(c, QR)
    assert c.focus.objectName() == "invoice_model"
    c.type("Mate60")
    c.enter()
    assert c.focus.objectName() == "invoice_serial"
    scan(c, KNOWN)
    assert c.focus.objectName() == "invoice_amount"
    c.type(amount)
    c.enter()  # origin filled, sale date today, name and phone from the visit: on the slip


def test_scanning_the_imei_fills_the_model_and_the_card_prints_it(counter, window, demo_ws):
    c = counter
    open_sale(c)
    form = window.business.form
    scan(c, KNOWN)
    assert texts(form) == FILLED  # the clerk sees what the catalogue gave
    assert "已按终端目录填写：HUAWEI Mate60，零售价 ¥5,999.00，产地 中国" in form.message.text()
    assert c.focus.objectName() == "card_serial"  # brand and model filled: skipped
    scan(c, KNOWN)  # the S/N label on the warranty card
    assert c.focus.objectName() == "invoice_qr"  # the price filled: skipped
    # the invoice's own data stays evidence: nothing of it was copied from the card
    for key in ("invoice_no", "invoice_model", "invoice_serial", "invoice_amount"):
        assert form.inputs[key].text() == "", key
    invoice_and_slip(c, "5999")
    assert [i.business_code for i in window.view.items] == ["HANDSET_SALE"]
    settle_cash(c, window)
    with demo_ws.db.reader() as s:
        item = s.scalar(select(SlipItem).where(SlipItem.business_code == "HANDSET_SALE"))
        assert {k: item.fields[k] for k in ("brand", "model", "origin")} == {
            "brand": "HUAWEI",
            "model": "Mate60",
            "origin": "中国",
        }
        assert item.fee_fen == 599_900
        card = s.scalar(select(WarrantyCard))
        doc_id = s.scalar(
            select(ArchivedDocument.id).where(
                ArchivedDocument.kind == "warranty_card",
                ArchivedDocument.number == card.card_no,
            )
        )
    pdf = window.services.documents.read_pdf(doc_id)
    text = "".join(
        "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "HUAWEI" in text and "Mate60" in text and KNOWN in text
    assert "产地中国" in text
    assert "HB526489EEW" in text and "HW-110600C00" in text  # the accessory models


def test_an_unknown_tac_fills_nothing_and_the_clerk_types_as_before(counter, window):
    c = counter
    open_sale(c)
    form = window.business.form
    scan(c, IMEI_A)  # TAC 35693803: not in the terminal catalogue
    assert "串号 35693803 开头的机型不在终端目录中，未自动填写" in form.message.text()
    assert form.message.kind == "warning"
    assert all(value == "" for value in texts(form).values())
    assert c.focus.objectName() == "brand"  # the clerk types the model from the box
    c.type("华为")
    c.enter()
    assert c.focus.objectName() == "model"


def test_a_second_scan_replaces_only_what_the_clerk_left_as_filled(counter, window):
    c = counter
    open_sale(c)
    form = window.business.form
    scan(c, KNOWN)
    assert c.focus.objectName() == "card_serial"
    c.key(Qt.Key.Key_Tab, SHIFT)
    assert c.focus.objectName() == "model"
    c.key(Qt.Key.Key_A, CTRL)
    c.type("Mate60 Pro")  # the box says otherwise: the clerk changes it
    c.key(Qt.Key.Key_Tab, SHIFT)
    c.key(Qt.Key.Key_Tab, SHIFT)
    assert c.focus.objectName() == "device_serial"
    c.key(Qt.Key.Key_A, CTRL)
    scan(c, IMEI_A)  # another box, of a model the catalogue does not list
    assert texts(form) == {
        "brand": "",
        "model": "Mate60 Pro",  # the clerk's own value stays
        "price": "",
        "origin": "",
        "accessory_models": "",
    }
    assert c.focus.objectName() == "brand"
    assert "不在终端目录中" in form.message.text()


def test_the_clerk_overrides_the_price_and_the_sale_keeps_it(counter, window, demo_ws):
    c = counter
    open_sale(c)
    form = window.business.form
    scan(c, KNOWN)
    scan(c, KNOWN)
    assert c.focus.objectName() == "invoice_qr"
    c.key(Qt.Key.Key_Tab, SHIFT)  # back to the filled price
    assert c.focus.objectName() == "price"
    c.key(Qt.Key.Key_A, CTRL)
    c.type("5799")  # the branch's offer today
    c.enter()
    assert c.focus.objectName() == "invoice_qr"
    note = form.notes["price"]
    assert note.isVisible() and note.property("kind") == "warning"
    assert "与终端目录零售价 ¥5,999.00 不同" in note.text()
    invoice_and_slip(c, "5799")  # the invoice shows the price actually charged
    assert window.view.due_fen == 579_900
    settle_cash(c, window)
    with demo_ws.db.reader() as s:
        item = s.scalar(select(SlipItem).where(SlipItem.business_code == "HANDSET_SALE"))
        assert item.fee_fen == 579_900 and item.fields["model"] == "Mate60"
        assert s.scalar(select(WarrantyCard.amount_fen)) == 579_900


def test_a_price_outside_the_field_s_limits_is_refused_beside_it(counter, window):
    c = counter
    open_sale(c)
    form = window.business.form
    scan(c, KNOWN)
    scan(c, KNOWN)
    c.key(Qt.Key.Key_Tab, SHIFT)
    c.key(Qt.Key.Key_A, CTRL)
    c.type("50001")  # above the price field's ¥50,000.00
    c.enter()
    assert c.focus.objectName() == "price"  # stays: the limit is the field's, not waived
    assert form.notes["price"].property("kind") == "error"
    assert "¥50,000.00" in form.notes["price"].text()
