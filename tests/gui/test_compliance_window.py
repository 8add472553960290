"""Legal "never" rules tried at the counter window (issue 13, docs/compliance.md).

The service refuses these (tests/services/test_real_name.py, test_intake.py); here the
clerk tries the same forbidden path with the keyboard and finds no way past it: no
business is added and no manager can be asked to authorise it.
"""

from __future__ import annotations

from frontdesk.core.clock import business_date
from frontdesk.devices.id_reader import demo_card
from frontdesk.gui.qt import Qt

from .test_real_name_window import fill_new_line, try_override
from .test_visits import CTRL, pick


def refused_without_override(c, window, words: str) -> None:
    assert words in window.business.form.message.text()
    assert not window.view.items
    assert not window.business.override_button.isVisible()
    try_override(c)
    assert c.dialog("ManagerAuthDialog") is None  # nobody can authorise past it


def test_an_expired_card_read_at_the_window_is_refused_with_no_override(counter, window):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.place_card("expired")
    c.key(Qt.Key.Key_F2)
    assert "证件已过有效期" in window.verification.message.text()
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    refused_without_override(c, window, "证件已过有效期")


def test_a_hand_typed_resident_card_is_never_enough_for_a_new_line(counter, window, demo_ws):
    card = demo_card("zhang_san", today=business_date(demo_ws.clock.now()))
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_M, CTRL)
    assert c.dialog("ManualEntryDialog") is not None
    for value in (
        card.id_number,
        card.name,
        card.birth_date.isoformat(),
        card.valid_from.isoformat(),
        card.valid_to.isoformat(),
        card.address,
    ):
        c.type(value)
        c.enter()
    assert c.dialog("ManagerAuthDialog") is not None  # manual entry itself needs a manager
    for value in ("manager01", "Manager2026", "读卡器故障"):
        c.type(value)
        c.enter()
    assert c.dialog("ManagerAuthDialog") is None
    window.verification.confirm_photo()
    c.drop_scan()
    window.verification.attach_scan(pick=False)
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    refused_without_override(c, window, "不允许手工录入居民身份证")


def test_a_serial_sold_once_is_refused_at_the_window_until_returned(counter, window):
    from .test_handset_sale import QR, finish_sale, settle_cash, start_sale

    c = counter
    start_sale(c)
    c.type(QR)
    c.enter()
    finish_sale(c)
    assert settle_cash(c, window)
    assert c.focus.objectName() == "doneButton"
    c.enter()  # the visit is finished
    start_sale(c)  # the next customer, the same box
    c.type(QR)
    c.enter()
    finish_sale(c)
    form = window.business.form
    assert "未办理退货不能再次销售" in form.notes["device_serial"].text()
    c.key(Qt.Key.Key_Return, CTRL)  # Ctrl+Enter: onto the slip anyway
    assert window.business.form is form and form.isVisible()
    assert not window.view.items  # nothing on the slip
    assert not window.business.override_button.isVisible()


def test_a_change_of_owner_never_settles_without_the_signed_fraud_notice(counter, window, demo_ws):
    from sqlalchemy import func, select

    from frontdesk.store.models import Slip

    from .test_real_name_window import set_party, transfer_form
    from .test_visits import verify_with_reader

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "long_term", face=True)
    set_party(window, "new_owner")
    verify_with_reader(c, "zhang_san", face=True)
    transfer_form(c, window)
    assert c.focus is window.slip.settle_button
    c.enter()
    assert c.dialog("FraudNoticeDialog") is not None
    c.key(Qt.Key.Key_Escape)  # the customer will not sign the 涉诈风险告知书
    assert c.dialog("FraudNoticeDialog") is None and window.last_settled is None
    assert [i.business_code for i in window.view.items] == ["CHANGE_OWNER"]  # kept as a draft
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(Slip.id))) == 0  # nothing settled
    window.slip.settle_button.setFocus()
    c.enter()  # asked again: the notice comes back every time
    assert c.dialog("FraudNoticeDialog") is not None


def test_a_minor_with_an_adult_who_is_not_recorded_as_guardian_gets_no_line(counter, window):
    from .test_real_name_window import set_party
    from .test_visits import verify_with_reader

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "minor", face=False)
    set_party(window, "agent")
    verify_with_reader(c, "long_term", face=True)  # an adult, but no relationship recorded
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    refused_without_override(c, window, "监护人")


def test_an_exchange_on_day_16_is_refused_at_the_after_sales_window(counter, demo_ws, clerk, clock):
    from .test_aftersales import IMEI_A, open_window, search, sell

    sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    clock.advance(days=16)
    search(c, aftersales, IMEI_A)
    c.key(Qt.Key.Key_F7)  # 换货 asked for anyway
    assert "换货须在销售后 15 天内办理" in aftersales.message.text()
    assert "第 16 天" in aftersales.message.text()
    assert not aftersales.action_form.isVisible()  # no form to fill, no manager to ask
    assert c.dialog("ManagerAuthDialog") is None
