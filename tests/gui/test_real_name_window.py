"""Real-name rules through the counter window (issue 13): what the clerk can't get past.

The forbidden paths a clerk could try at the counter — a manager's override against a
legal limit, a minor with any adult, a 过户 without the new owner — are tried with the
keyboard; the allowed paths (a guardian, a verified new owner) settle, with the
涉诈风险告知书 signed on the way.
"""

from __future__ import annotations

from sqlalchemy import select, update

from frontdesk.gui.qt import Qt
from frontdesk.store.models import Customer, Slip

from .test_visits import CTRL, iccid, pick, verify_with_reader

SHIFT = Qt.KeyboardModifier.ShiftModifier


def fill_new_line(c, number: str) -> None:
    """Plan (third choice), the new number, the SIM's barcode: Enter submits."""
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    c.enter()
    c.type(number)
    c.enter()
    c.type(iccid("8986011234567890123"))
    c.enter()


def set_party(window, party: str) -> None:
    combo = window.verification.party
    combo.setCurrentIndex(combo.findData(party))


def try_override(c) -> None:
    """The clerk asks for a manager anyway: Ctrl+Shift+A."""
    c.key(Qt.Key.Key_A, CTRL | SHIFT)


def slip_item_fields(ws, slip_no: str) -> dict:
    with ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == slip_no))
        return dict(slip.items[0].fields)


def settle_with_notice(c, window) -> None:
    assert c.focus is window.slip.settle_button
    c.enter()
    assert c.dialog("FraudNoticeDialog") is not None
    c.enter()  # signed on paper
    assert window.last_settled is not None


def test_minor_read_on_the_reader_meets_the_age_rule_and_no_override(counter, window):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "minor", face=False)
    steps = " ".join(
        window.verification.steps.item(i).text() for i in range(window.verification.steps.count())
    )
    assert "16" in steps  # the age rule was applied when the card was read
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    form = window.business.form
    assert form is not None and "监护人" in form.message.text()
    assert not window.view.items
    assert not window.business.override_button.isVisible()
    try_override(c)
    assert c.dialog("ManagerAuthDialog") is None  # nobody can authorise past it


def test_sixth_mobile_number_offers_no_override(counter, window, demo_ws):
    with demo_ws.db.unit_of_work() as uow:
        uow.session.execute(
            update(Customer).where(Customer.name == "张三").values(numbers_with_operator=5)
        )
        uow.commit()
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=True)
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    assert "一证五号" in window.business.form.message.text()
    assert not window.business.override_button.isVisible()
    try_override(c)
    assert c.dialog("ManagerAuthDialog") is None
    assert not window.view.items


def test_minor_opens_a_line_with_the_guardian_as_agent(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "minor", face=False)
    set_party(window, "agent")
    verify_with_reader(c, "long_term", face=True)  # the guardian, present, face-compared
    panel = window.verification
    panel.relationship.setCurrentIndex(panel.relationship.findData("parent"))
    panel.guardian_button.setFocus()
    c.enter()
    assert "监护人" in panel.message.text()
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    assert [i.business_code for i in window.view.items] == ["NEW_LINE"]
    c.key(Qt.Key.Key_1)  # 1 现金
    c.key(Qt.Key.Key_A, CTRL)
    c.type("50")
    c.enter()
    settle_with_notice(c, window)
    fields = slip_item_fields(demo_ws, window.last_settled.slip_no)
    assert fields["guardian_relationship"] == "父母" and fields["guardian_name"] == "刘建国"
    assert fields["fraud_notice"] == "已签署（纸质签署）"


def transfer_form(c, window) -> None:
    pick(c, "过户", "CHANGE_OWNER")
    form = window.business.form
    assert "new_owner_id_number" not in form.inputs  # never typed in: read from the card
    form.inputs["service_number"].setEditText("13700137000")
    form.inputs["new_owner_phone"].setFocus()
    c.type("13812340000")
    c.key(Qt.Key.Key_Return, CTRL)


def test_change_owner_without_the_new_owner_is_refused(counter, window):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "long_term", face=True)
    transfer_form(c, window)
    assert "新机主" in window.business.form.message.text()
    assert not window.business.override_button.isVisible()
    try_override(c)
    assert c.dialog("ManagerAuthDialog") is None
    assert not window.view.items


def test_change_owner_reads_and_compares_the_new_owner(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "long_term", face=True)
    set_party(window, "new_owner")
    verify_with_reader(c, "zhang_san", face=True)
    steps = " ".join(
        window.verification.steps.item(i).text() for i in range(window.verification.steps.count())
    )
    assert "新机主：张三" in steps and "已有 2 个号码" in steps  # 一证五号 counted for them
    transfer_form(c, window)
    assert [i.business_code for i in window.view.items] == ["CHANGE_OWNER"]
    settle_with_notice(c, window)
    fields = slip_item_fields(demo_ws, window.last_settled.slip_no)
    assert fields["new_owner_name"] == "张三" and "*" in fields["new_owner_id_masked"]
    assert "new_owner_id_number" not in fields


def test_fee_waiver_approval_is_bound_to_the_item_and_used_once(counter, window, demo_ws):
    from frontdesk.store.models import AuditEntry

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    pick(c, "bk", "REPLACE_SIM")
    c.type(iccid("8986011234567890127"))
    c.enter()  # 补换卡原因 pre-filled 丢失: onto the slip
    assert "¥10.00" in window.slip.totals.text()
    c.key(Qt.Key.Key_D, CTRL)
    waive = c.dialog("WaiveDialog")  # issue 19: the clerk names the amount first
    assert waive is not None and waive.amount.text() == "10.00"
    c.enter()  # the whole fee
    assert c.dialog("ManagerAuthDialog") is not None
    c.type("manager01")
    c.enter()
    c.type("Manager2026")
    c.enter()
    c.type("VIP")
    c.enter()
    assert c.dialog("ManagerAuthDialog") is None
    assert window.view.items[0].fee_fen == 0
    with demo_ws.db.reader() as s:
        given = s.scalar(select(AuditEntry).where(AuditEntry.action == "auth.approved"))
        assert given.detail["action"] == "fee_waiver"
        assert given.detail["subject"] == "REPLACE_SIM" and given.detail["amount_fen"] == 1_000
        assert given.detail["visit_id"] == str(window.visit_id)
        used = s.scalar(select(AuditEntry).where(AuditEntry.action == "auth.approval_used"))
        assert used.object_id == given.object_id


def test_flagged_line_refuses_business_at_the_window(counter, window, demo_ws):
    from frontdesk.store.models import Line

    with demo_ws.db.unit_of_work() as uow:
        uow.session.execute(
            update(Line).where(Line.number == "13800138000").values(reverify_required=True)
        )
        uow.commit()
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    pick(c, "cz", "TOP_UP")
    form = window.business.form
    form.inputs["service_number"].setEditText("13800138000")
    form.inputs["topup_amount"].setFocus()
    c.type("50")
    c.key(Qt.Key.Key_Return, CTRL)
    assert "二次实人认证" in window.business.form.message.text()
    assert not window.business.override_button.isVisible()
    try_override(c)
    assert c.dialog("ManagerAuthDialog") is None
    assert not window.view.items


def test_personal_agent_opens_a_line_for_the_absent_customer(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.place_card("zhang_san")  # the agent hands over the customer's original card
    c.key(Qt.Key.Key_F2)
    set_party(window, "agent")
    verify_with_reader(c, "long_term", face=True)  # the agent, present: face-compared
    steps = " ".join(
        window.verification.steps.item(i).text() for i in range(window.verification.steps.count())
    )
    assert "已有 2 个号码" in steps  # 一证五号 counted for the customer, not the agent
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    assert [i.business_code for i in window.view.items] == ["NEW_LINE"]
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # cash, the amount due
    settle_with_notice(c, window)
    with demo_ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == window.last_settled.slip_no))
        assert (slip.customer_name, slip.agent_name) == ("张三", "刘建国")


def test_other_settle_refusals_are_shown_without_the_notice(counter, window):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=True)
    pick(c, "rw", "NEW_LINE")
    fill_new_line(c, "13812345678")
    c.key(Qt.Key.Key_F10)  # settle before taking the money: the slip says what is due
    assert c.dialog("FraudNoticeDialog") is None and window.last_settled is None
    assert window.slip.message.text()
