"""The model from a scanned IMEI for the sale form, and a sale that keeps what the clerk saw."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdesk.core.messages import RuleViolation
from frontdesk.services.handsets import fill_for_serial, price_note
from frontdesk.store.models import SlipItem, WarrantyCard

from .test_warranty import add_sale, imei, refused, sale_fields, sell

KNOWN = imei("86012345678901")  # HUAWEI Mate60 in the shipped terminal catalogue
UNKNOWN = imei("35693803564380")


def test_a_known_tac_fills_the_model_the_price_the_origin_and_the_accessories(demo_ws):
    fill = fill_for_serial(demo_ws.catalogue, "HANDSET_SALE", KNOWN)
    assert fill is not None
    assert dict(fill.values) == {
        "brand": "HUAWEI",
        "model": "Mate60",
        "price": "5999.00",
        "origin": "中国",
        "accessory_models": "电池 HB526489EEW，充电器 HW-110600C00",
    }
    assert fill.listed_price_fen == 599_900
    assert fill.message.code == "handset.filled" and not fill.message.is_error
    assert "HUAWEI Mate60" in fill.message.text("zh") and "¥5,999.00" in fill.message.text("zh")
    assert "terminal catalogue" in fill.message.text("en")


def test_an_unknown_tac_fills_nothing_and_says_so(demo_ws):
    fill = fill_for_serial(demo_ws.catalogue, "HANDSET_SALE", UNKNOWN)
    assert fill is not None and not fill.values and fill.listed_price_fen is None
    assert fill.message.code == "handset.unknown_tac" and not fill.message.is_error
    assert "35693803" in fill.message.text("zh") and "请照包装录入" in fill.message.text("zh")
    assert "nothing was filled in" in fill.message.text("en")


@pytest.mark.parametrize(
    ("business", "serial"),
    [
        ("HANDSET_SALE", "A0000012345678"),  # an MEID has no TAC
        ("HANDSET_SALE", "SN-ABC123456"),  # nor has an S/N
        ("DATA_CARD_SALE", KNOWN),  # the terminal catalogue lists no data card: silent
        ("TOP_UP", KNOWN),  # no serial on that form
        ("NO_SUCH_BUSINESS", KNOWN),
    ],
)
def test_nothing_to_look_up(demo_ws, business, serial):
    assert fill_for_serial(demo_ws.catalogue, business, serial) is None


def test_a_changed_price_gets_a_note_the_listed_one_none(demo_ws):
    fill = fill_for_serial(demo_ws.catalogue, "HANDSET_SALE", KNOWN)
    assert price_note(fill, "5999") is None and price_note(fill, "5,999.00") is None
    note = price_note(fill, "5799")
    assert note is not None and note.field == "price" and not note.is_error
    assert "¥5,999.00" in note.text("zh") and "发票金额" in note.text("zh")
    assert "invoice" in note.text("en")
    assert price_note(fill, "five") is None  # not a price yet: the field's own check says so
    unknown = fill_for_serial(demo_ws.catalogue, "HANDSET_SALE", UNKNOWN)
    assert price_note(unknown, "5799") is None  # nothing listed to differ from


def test_the_sale_keeps_what_the_clerk_saw_not_the_catalogue(demo_ws, clerk):
    """A known TAC, but the clerk kept other values: nothing is re-derived from the IMEI."""
    fields = sale_fields(
        KNOWN,
        brand="华为",
        model="Mate60 Pro",
        invoice_model="Mate60 Pro",
        price="5799",
        invoice_amount="5799",
        origin="中国广东东莞",
    )
    sell(demo_ws, clerk, fields)
    with demo_ws.db.reader() as s:
        item = s.scalar(select(SlipItem).where(SlipItem.business_code == "HANDSET_SALE"))
        card = s.scalar(select(WarrantyCard))
        assert (item.fields["brand"], item.fields["model"]) == ("华为", "Mate60 Pro")
        assert item.fields["origin"] == "中国广东东莞" and item.fee_fen == 579_900
        assert card.model == "Mate60 Pro" and card.amount_fen == 579_900


def test_the_service_never_fills_the_model_from_the_imei(demo_ws, clerk):
    """Left empty, brand and model are refused like any required field, known TAC or not."""
    problem = refused(demo_ws, clerk, sale_fields(KNOWN, brand="", model=""))
    assert {p.field for p in problem.problems} >= {"brand", "model"}
    _, _, item = add_sale(demo_ws, clerk, sale_fields(KNOWN, accessory_models=""))
    assert item.fields["accessory_models"] == ""  # not the catalogue's accessories either
    assert item.fields["brand"] == "华为" and item.fields["origin"] == "中国广东东莞"


def test_the_invoice_still_has_to_agree_with_the_filled_card(demo_ws, clerk):
    """Filling the card does not touch the invoice's own data: a model typed differently
    from the invoice is still refused, naming the field."""
    fill = fill_for_serial(demo_ws.catalogue, "HANDSET_SALE", KNOWN)
    fields = sale_fields(KNOWN, **fill.values, invoice_model="Mate 70")
    with pytest.raises(RuleViolation) as info:
        add_sale(demo_ws, clerk, fields)
    assert "card.model" in [p.field for p in info.value.problems]


def test_a_handset_s_tac_fills_nothing_on_a_data_card_sale(demo_ws):
    """Once head office lists data cards too, a handset's TAC is still not a data card."""
    card = demo_ws.catalogue.handsets[0].model_copy(
        update={"code": "DC-1", "business": "DATA_CARD_SALE", "tacs": ("35000001",)}
    )
    catalogue = demo_ws.catalogue.model_copy(
        update={"handsets": (*demo_ws.catalogue.handsets, card)}
    )
    fill = fill_for_serial(catalogue, "DATA_CARD_SALE", KNOWN)
    assert fill is not None and not fill.values
    assert fill.message.code == "handset.unknown_tac"
    found = fill_for_serial(catalogue, "DATA_CARD_SALE", imei("35000001000001"))
    assert found is not None and found.values["model"] == "Mate60"
