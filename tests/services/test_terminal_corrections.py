"""Every correction of a handset sale leaves its card and serial in a state 三包 allows.

Void (作废, same day), refund of the handset item, return (退货) and exchange (换货) are
each driven through the real services; after each, the after-sales look-up shows the
card as the rules say it is, and the same serial is offered for sale again: it sells
when the device is back in the shop and is refused (``warranty.serial_sold``) while a
customer still holds it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.core.messages import RuleViolation
from frontdesk.services.corrections import CorrectionService
from frontdesk.services.intake import IntakeService
from frontdesk.services.warranty import WarrantyService
from frontdesk.store.models import AuditEntry, Slip, WarrantyCard, WarrantyEvent

from .helpers import verify_person
from .test_warranty import IMEI_A, IMEI_B, sale_fields

CARD_1 = "BJ0101-W01-20261121-W000001"


def sell(ws, clerk, serial: str = IMEI_A, *, top_up: bool = False) -> str:
    """A handset sale dated the business day, settled; optionally with a top-up beside it."""
    from frontdesk.core.clock import business_date

    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", face=False, scan=False)
    today = business_date(ws.clock.now()).isoformat()
    intake.add_business(
        clerk,
        visit,
        "HANDSET_SALE",
        sale_fields(serial, sale_date=today, contact_phone="13800138000"),
    )
    if top_up:
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "50"}, service_number="13800138000"
        )
    intake.add_payment(clerk, visit, "bank_card", intake.view(visit).due_fen, reference="POS1")
    return intake.settle(clerk, visit).slip_no


def approval(auth, clerk, action: str, reason: str):
    return auth.authorise(
        "manager01", "Manager2026", action=action, reason=reason, requested_by=clerk
    )


def resale_refused(ws, clerk, serial: str) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        sell(ws, clerk, serial)
    assert info.value.codes == ["warranty.serial_sold"], info.value.text("en")
    return info.value


def items_of(ws, slip_no: str) -> list:
    """The ids of the slip's items, in line order."""
    with ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == slip_no))
        return [item.id for item in sorted(slip.items, key=lambda i: i.line_no)]


def count(ws, model) -> int:
    with ws.db.reader() as s:
        return s.scalar(select(func.count(model.id)))


def test_a_void_closes_the_card_and_frees_the_serial_in_its_transaction(demo_ws, clerk, auth):
    slip_no = sell(demo_ws, clerk)
    warranty = WarrantyService(demo_ws)
    result = CorrectionService(demo_ws).void(
        clerk, slip_no, approval(auth, clerk, "void", "录错机型")
    )
    [card] = warranty.lookup(clerk, IMEI_A)
    assert card.status.closed_by == "voided"
    assert not card.status.can_return and not card.status.can_exchange
    [voided] = card.history
    assert voided.event == "voided" and voided.detail["void_slip_no"] == result.slip_no
    with demo_ws.db.reader() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "slip.voided"))
        assert entry.detail["cards_closed"] == [CARD_1]
    # nothing more can be done on the voided card: it sends nobody round in circles
    ok = approval(auth, clerk, "warranty_return", "七日内退货")
    with pytest.raises(RuleViolation) as info:
        warranty.return_device(clerk, CARD_1, ok)
    assert info.value.codes == ["warranty.closed"] and "作废" in info.value.text("zh")
    with pytest.raises(RuleViolation) as info:
        warranty.exchange_device(clerk, CARD_1, IMEI_B, ok)
    assert info.value.codes == ["warranty.closed"]
    with pytest.raises(RuleViolation) as info:
        warranty.record_event(clerk, CARD_1, "repair_in", detail={"fault": "黑屏"})
    assert info.value.codes == ["warranty.closed"]
    # the device is back in the shop: it sells again, under a new card
    sell(demo_ws, clerk)
    cards = warranty.lookup(clerk, IMEI_A)
    assert [c.status.closed_by for c in cards] == ["voided", None]
    assert cards[1].status.can_return


def test_a_void_is_refused_while_the_device_is_in_repair(demo_ws, clerk, auth):
    slip_no = sell(demo_ws, clerk)
    warranty = WarrantyService(demo_ws)
    warranty.record_event(clerk, CARD_1, "repair_in", detail={"fault": "无法开机"})
    corrections = CorrectionService(demo_ws)
    with pytest.raises(RuleViolation) as info:
        corrections.void(clerk, slip_no, approval(auth, clerk, "void", "客户不要了"))
    assert info.value.codes == ["warranty.void_card_busy"]
    assert CARD_1 in info.value.text("zh") and "取机" in info.value.text("zh")
    assert count(demo_ws, Slip) == 1  # nothing written
    [card] = warranty.lookup(clerk, IMEI_A)
    assert card.status.closed_by is None and card.status.in_repair_since is not None
    resale_refused(demo_ws, clerk, IMEI_A)
    warranty.record_event(clerk, CARD_1, "repair_out", detail={"fixed": True})
    corrections.void(clerk, slip_no, approval(auth, clerk, "void", "客户不要了"))
    assert warranty.lookup(clerk, IMEI_A)[0].status.closed_by == "voided"
    sell(demo_ws, clerk)


def test_a_refund_of_the_handset_item_is_sent_to_the_return(demo_ws, clerk, auth, clock):
    slip_no = sell(demo_ws, clerk, top_up=True)
    clock.advance(days=1)  # another day: a void is no longer possible, a refund is
    handset, top_up = items_of(demo_ws, slip_no)
    corrections = CorrectionService(demo_ws)
    with pytest.raises(RuleViolation) as info:
        corrections.refund(
            clerk, slip_no, [handset, top_up], approval(auth, clerk, "refund", "退机")
        )
    assert info.value.codes == ["correction.use_warranty_return"]
    assert CARD_1 in info.value.text("zh") and "退货" in info.value.text("zh")
    assert "return" in info.value.text("en")
    assert count(demo_ws, Slip) == 1 and count(demo_ws, WarrantyEvent) == 0
    # the top-up beside it refunds as before, and leaves the card alone
    corrections.refund(clerk, slip_no, [top_up], approval(auth, clerk, "refund", "充错"))
    warranty = WarrantyService(demo_ws)
    [card] = warranty.lookup(clerk, IMEI_A)
    assert card.status.closed_by is None and card.status.can_return
    resale_refused(demo_ws, clerk, IMEI_A)  # the customer still has the device
    # the way the message points: 退货, which refunds and closes the card together
    refund_no = warranty.return_device(
        clerk, CARD_1, approval(auth, clerk, "warranty_return", "七日内退货")
    )
    with demo_ws.db.reader() as s:
        refund = s.scalar(select(Slip).where(Slip.slip_no == refund_no))
        assert refund.kind == "refund" and refund.total_fen == -599_900
    assert warranty.lookup(clerk, IMEI_A)[0].status.closed_by == "returned"
    sell(demo_ws, clerk)


def test_a_return_closes_the_card_and_then_the_sale_cannot_be_voided(demo_ws, clerk, auth):
    slip_no = sell(demo_ws, clerk)
    warranty = WarrantyService(demo_ws)
    warranty.return_device(clerk, CARD_1, approval(auth, clerk, "warranty_return", "不喜欢"))
    [card] = warranty.lookup(clerk, IMEI_A)
    assert card.status.closed_by == "returned"
    with pytest.raises(RuleViolation) as info:
        CorrectionService(demo_ws).void(clerk, slip_no, approval(auth, clerk, "void", "再作废"))
    assert info.value.codes == ["correction.void_after_refund"]
    sell(demo_ws, clerk)
    assert [c.status.closed_by for c in warranty.lookup(clerk, IMEI_A)] == ["returned", None]


def test_an_exchange_moves_the_card_to_the_new_device(demo_ws, clerk, auth, clock):
    slip_no = sell(demo_ws, clerk)
    clock.advance(days=3)  # within the 7 days: exchange is the customer's choice too
    warranty = WarrantyService(demo_ws)
    new_no = warranty.exchange_device(
        clerk, CARD_1, IMEI_B, approval(auth, clerk, "warranty_exchange", "屏幕坏点")
    )
    [old] = warranty.lookup(clerk, IMEI_A)
    [new] = warranty.lookup(clerk, IMEI_B)
    assert old.status.closed_by == "exchanged" and new.card_no == new_no
    assert new.exchanged_from == CARD_1 and old.exchanged_from is None
    assert new.status.closed_by is None and new.status.can_return  # day 3 of the sale
    sell(demo_ws, clerk, IMEI_A)  # the old device came back to the shop
    resale_refused(demo_ws, clerk, IMEI_B)  # the customer holds the new one
    # the sale item now stands for the new device: a refund of it is its return
    [handset] = items_of(demo_ws, slip_no)
    with pytest.raises(RuleViolation) as info:
        CorrectionService(demo_ws).refund(
            clerk, slip_no, [handset], approval(auth, clerk, "refund", "退机")
        )
    assert info.value.codes == ["correction.use_warranty_return"]
    assert new_no in info.value.text("zh")
    warranty.return_device(clerk, new_no, approval(auth, clerk, "warranty_return", "退货"))
    sell(demo_ws, clerk, IMEI_B)


def test_a_void_after_a_same_day_exchange_closes_the_new_card(demo_ws, clerk, auth):
    slip_no = sell(demo_ws, clerk)
    warranty = WarrantyService(demo_ws)
    new_no = warranty.exchange_device(
        clerk, CARD_1, IMEI_B, approval(auth, clerk, "warranty_exchange", "开箱不亮")
    )
    CorrectionService(demo_ws).void(clerk, slip_no, approval(auth, clerk, "void", "客户不买了"))
    [new] = warranty.lookup(clerk, new_no)
    assert new.status.closed_by == "voided"
    assert warranty.lookup(clerk, CARD_1)[0].status.closed_by == "exchanged"
    sell(demo_ws, clerk, IMEI_A)
    sell(demo_ws, clerk, IMEI_B)
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(WarrantyCard.id))) == 4
        events = s.scalars(select(WarrantyEvent.event).order_by(WarrantyEvent.created_at))
        assert list(events) == ["exchanged", "voided"]


def test_lookup_on_a_later_day_still_shows_the_void(demo_ws, clerk, auth, clock):
    slip_no = sell(demo_ws, clerk)
    CorrectionService(demo_ws).void(clerk, slip_no, approval(auth, clerk, "void", "录错"))
    clock.advance(days=30)
    [card] = WarrantyService(demo_ws).lookup(clerk, IMEI_A, on=dt.date(2026, 12, 21))
    assert card.status.closed_by == "voided" and not card.status.can_exchange
