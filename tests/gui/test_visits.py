"""Whole visits through the real counter window, keyboard first; the database after."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.serials import luhn_check_digit
from frontdesk.gui.qt import Qt
from frontdesk.services.demo import DEMO_UNIT_CREDIT_CODE
from frontdesk.store.models import (
    DocumentScan,
    IdVerification,
    Line,
    Payment,
    Slip,
    SlipItem,
    Visit,
    VisitEvent,
)

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def iccid(body19: str) -> str:
    return body19 + luhn_check_digit(body19)


def slip_of(ws, slip_no):
    """The settled slip's header (detached copy), its items and its payments."""
    with ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == slip_no))
        items = [(i.business_code, i.service_number, i.fee_fen) for i in slip.items]
        payments = [
            (p.method, p.amount_fen, p.tendered_fen, p.change_fen, p.reference)
            for p in slip.payments
        ]
        s.expunge(slip)
        return slip, items, payments


def verify_with_reader(c, person: str, *, face: bool) -> None:
    c.place_card(person)
    c.key(Qt.Key.Key_F2)
    assert c.focus is c.window.verification.confirm_button  # the next step has the focus
    if face:
        c.key(Qt.Key.Key_F3)
    else:
        c.enter()  # 人证一致
    assert c.focus is c.window.verification.scan_button
    c.drop_scan()
    c.enter()
    assert c.focus is c.window.business.search


def pick(c, query: str, code: str) -> None:
    c.key(Qt.Key.Key_F7)
    c.type(query)
    c.enter()
    assert c.window.business.form is not None
    assert c.window.business.form.business.code == code


def test_new_line_with_sim_for_a_verified_resident(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=True)
    steps = [
        window.verification.steps.item(i).text() for i in range(window.verification.steps.count())
    ]
    assert any("人像比对通过" in s for s in steps)
    assert any("一证五号" in s and "已有 2 个号码" in s for s in steps)
    pick(c, "rw", "NEW_LINE")
    assert c.focus.objectName() == "plan"  # the first input that still needs the clerk
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    c.enter()
    c.type("13812345678")
    c.enter()
    assert c.focus.objectName() == "sim_iccid"
    c.type(iccid("8986011234567890123"))  # the barcode scanner: digits + Enter
    c.enter()  # nothing else needs the clerk (prepayment defaults to ¥50): onto the slip
    assert c.focus is window.slip.method  # no payment without choosing its method
    c.key(Qt.Key.Key_1)  # 1 现金
    assert c.focus is window.slip.amount and window.slip.amount.text() == "50.00"
    c.key(Qt.Key.Key_A, CTRL)
    c.type("100")
    c.enter()
    assert "找零 ¥50.00" in window.slip.totals.text()
    assert c.focus is window.slip.settle_button
    c.enter()
    # 入网: the 涉诈风险告知书 is read out and signed before the slip settles
    notice = c.dialog("FraudNoticeDialog")
    assert notice is not None and window.last_settled is None
    assert c.focus.objectName() == "paperSigned"
    c.enter()
    settled = window.last_settled
    assert settled is not None and settled.change_fen == 5_000
    slip, items, payments = slip_of(demo_ws, settled.slip_no)
    assert slip.customer_name == "张三" and "*" in slip.customer_id_masked
    assert items == [("NEW_LINE", "13812345678", 5_000)]  # served under its new number
    assert payments == [("cash", 5_000, 10_000, 5_000, None)]
    assert "id_number_limit_offline" in slip.recheck_reasons
    with demo_ws.db.reader() as s:
        line = s.scalar(select(Line).where(Line.number == "13812345678"))
        assert line.plan_code == "mob_59" and line.payment_mode == "prepaid"
        verification = s.scalar(
            select(IdVerification).where(IdVerification.visit_id == slip.visit_id)
        )
        assert verification.capture_method == "reader"
        assert s.scalar(select(func.count(DocumentScan.id))) == 1
    assert not list(window.services.scanner_folder.iterdir())  # no clear copy left behind
    done = c.dialog("SettledDialog")
    assert done is not None and settled.slip_no in " ".join(
        w.text() for w in done.findChildren(type(window.customer))
    )


def test_sim_replacement(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    pick(c, "bk", "REPLACE_SIM")
    form = window.business.form
    assert form.inputs["service_number"].currentText() == "13800138000"
    assert c.focus.objectName() == "sim_iccid"
    assert form.inputs["sim_reason"].currentText() == "丢失"  # the default, shown
    c.type(iccid("8986011234567890127"))
    c.enter()  # 补换卡原因 pre-filled 丢失: onto the slip with the scan's Enter
    assert "¥10.00" in window.slip.totals.text()
    c.key(Qt.Key.Key_1)  # cash
    c.enter()  # take the ¥10.00 due
    c.key(Qt.Key.Key_F10)
    slip, items, payments = slip_of(demo_ws, window.last_settled.slip_no)
    assert items == [("REPLACE_SIM", "13800138000", 1_000)]
    assert payments == [("cash", 1_000, 1_000, 0, None)]
    with demo_ws.db.reader() as s:
        item = s.scalar(select(SlipItem).where(SlipItem.slip_id == slip.id))
        assert item.fields["sim_reason"] == "lost"


def test_top_up_with_split_payment(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    pick(c, "TOP_UP", "TOP_UP")  # no ID needed: the customer just gives the number
    window.business.form.inputs["service_number"].setEditText("13800138000")
    assert c.focus.objectName() == "service_number"
    c.enter()
    c.type("150")
    c.enter()
    slip_panel = window.slip
    assert c.focus is slip_panel.method
    c.key(Qt.Key.Key_Down)  # 现金
    c.key(Qt.Key.Key_Down)  # 银行卡
    c.key(Qt.Key.Key_Down)  # 微信支付
    c.enter()
    assert c.focus is slip_panel.amount
    c.key(Qt.Key.Key_A, CTRL)
    c.type("100")
    c.enter()
    assert c.focus is slip_panel.reference  # WeChat Pay needs its reference
    c.type("4200001234202611210001")
    c.enter()
    assert "待收 ¥50.00" in slip_panel.totals.text()
    assert c.focus is slip_panel.method
    c.key(Qt.Key.Key_1)
    c.key(Qt.Key.Key_A, CTRL)
    c.type("100")
    c.enter()  # cash ¥100 for the ¥50 left: ¥50 change
    c.enter()  # settle
    _, items, payments = slip_of(demo_ws, window.last_settled.slip_no)
    assert items == [("TOP_UP", "13800138000", 15_000)]
    assert payments == [
        ("wechat", 10_000, 10_000, 0, "4200001234202611210001"),
        ("cash", 5_000, 10_000, 5_000, None),
    ]
    with demo_ws.db.reader() as s:
        assert s.scalar(select(Line.balance_fen).where(Line.number == "13800138000")) == 20_000


def test_unit_customer_with_agent(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_F6)
    c.type("北京示例科技有限公司")
    c.enter()
    c.type(DEMO_UNIT_CREDIT_CODE[:-1] + "0")  # a wrong check character
    c.enter()
    assert "统一社会信用代码" in window.verification.message.text()
    c.key(Qt.Key.Key_A, CTRL)
    c.type(DEMO_UNIT_CREDIT_CODE)
    c.enter()
    assert window.verification.current_party() == "agent"
    assert c.focus is window.verification.read_button
    verify_with_reader(c, "long_term", face=False)
    pick(c, "cpdg", "PLAN_CHANGE")
    form = window.business.form
    form.inputs["service_number"].setEditText("13500135001")
    form.inputs["plan"].setCurrentIndex(form.inputs["plan"].findData("bundle_199"))
    c.key(Qt.Key.Key_Return, CTRL)
    assert "委托" in form.message.text()  # the authorisation letter is still missing
    c.drop_scan("letter.png")
    window.verification.letter_button.setFocus()
    c.enter()
    c.key(Qt.Key.Key_F7)
    c.type("cpdg")
    c.enter()
    form = window.business.form
    form.inputs["service_number"].setEditText("13500135001")
    form.inputs["plan"].setCurrentIndex(form.inputs["plan"].findData("bundle_199"))
    c.key(Qt.Key.Key_Return, CTRL)
    assert window.view.items and c.focus is window.slip.settle_button
    c.enter()
    slip, items, _ = slip_of(demo_ws, window.last_settled.slip_no)
    assert (
        slip.unit_name == "北京示例科技有限公司" and slip.unit_credit_code == DEMO_UNIT_CREDIT_CODE
    )
    assert slip.agent_name == "刘建国" and "*" in slip.agent_id_masked
    assert items == [("PLAN_CHANGE", "13500135001", 0)]
    with demo_ws.db.reader() as s:
        kinds = s.scalars(select(DocumentScan.kind).order_by(DocumentScan.created_at)).all()
        assert sorted(kinds) == ["authorisation_letter", "id_document"]


def test_refused_business_explains_and_manager_can_override(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    pick(c, "改号", "CHANGE_NUMBER")
    form = window.business.form
    form.inputs["service_number"].setEditText("13900139000")
    form.inputs["new_number"].setFocus()
    c.type("13912345678")
    c.enter()
    text = form.message.text() + form.notes["service_number"].text()
    assert "¥128.00" in text and "缴费" in text  # the rule's own words: pay the arrears
    assert window.business.override_button.isVisible()  # only a manager could let it through
    assert not window.view.items
    c.key(Qt.Key.Key_Escape)
    assert c.focus is window.business.search
    with demo_ws.db.reader() as s:
        visit = s.get(Visit, window.visit_id)
        assert visit.draft["items"] == []


def test_manual_entry_with_manager_authorisation(counter, window, demo_ws):
    from frontdesk.core.clock import business_date
    from frontdesk.devices.id_reader import demo_card

    card = demo_card("zhang_san", today=business_date(demo_ws.clock.now()))
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_M, CTRL)
    dialog = c.dialog("ManualEntryDialog")
    assert dialog is not None
    c.type(card.id_number)
    c.enter()
    c.type(card.name)
    c.enter()
    c.type(card.birth_date.isoformat())
    c.enter()
    c.type(card.valid_from.isoformat())
    c.enter()
    c.type(card.valid_to.isoformat())
    c.enter()
    c.type(card.address)
    c.enter()  # submit: the manager is asked next
    auth = c.dialog("ManagerAuthDialog")
    assert auth is not None and c.focus.objectName() == "managerUsername"
    c.type("clerk02")  # a clerk cannot authorise
    c.enter()
    c.type("Counter2026b")
    c.enter()
    c.type("读卡器故障")
    c.enter()
    assert "授权" in auth.message.text() and auth.isVisible()
    auth.username.clear()
    auth.username.setFocus()
    c.type("manager01")
    c.enter()
    c.type("Manager2026")
    c.enter()
    assert c.dialog("ManagerAuthDialog") is None  # approved and closed
    assert "校验通过" in window.verification.message.text()
    with demo_ws.db.reader() as s:
        stored = s.scalar(select(IdVerification).where(IdVerification.visit_id == window.visit_id))
        assert stored.capture_method == "manual" and stored.manual_reason == "读卡器故障"
        assert stored.authorised_by is not None
    # 入网 refuses a hand-typed resident ID card, with the rule's words
    window.verification.confirm_photo()
    c.drop_scan()
    window.verification.attach_scan(pick=False)
    c.settle()
    pick(c, "hfcx", "BALANCE_ENQUIRY")
    c.key(Qt.Key.Key_Return, CTRL)
    assert [i.business_code for i in window.view.items] == ["BALANCE_ENQUIRY"]


def test_suspend_and_resume(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    pick(c, "cz", "TOP_UP")
    window.business.form.inputs["service_number"].setEditText("13600136000")
    c.enter()
    c.type("20")
    c.enter()
    visit = window.visit_id
    c.key(Qt.Key.Key_F11)
    assert window.visit_id is None
    with demo_ws.db.reader() as s:
        assert s.get(Visit, visit).status == "suspended"
    c.key(Qt.Key.Key_F11, SHIFT)
    dialog = c.dialog("ResumeDialog")
    assert dialog is not None
    c.enter()
    assert window.visit_id == visit and [i.business_code for i in window.view.items] == ["TOP_UP"]
    c.key(Qt.Key.Key_F8)
    assert c.focus is window.slip.method
    c.key(Qt.Key.Key_1)
    c.enter()
    c.enter()
    _, items, _ = slip_of(demo_ws, window.last_settled.slip_no)
    assert items == [("TOP_UP", "13600136000", 2_000)]
    with demo_ws.db.reader() as s:
        events = s.scalars(
            select(VisitEvent.event)
            .where(VisitEvent.visit_id == visit)
            .order_by(VisitEvent.created_at)
        ).all()
        assert events == ["opened", "suspended", "resumed", "settled"]


def test_cancel_with_a_reason(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "hmt_resident", face=False)
    visit = window.visit_id
    c.key(Qt.Key.Key_F12)
    dialog = c.dialog("CancelDialog")
    assert dialog is not None
    c.enter()  # no reason yet: the dialog asks for one
    assert dialog.isVisible() and "原因" in dialog.message.text()
    c.type("客户证件不全，改日再来")
    c.enter()
    assert window.visit_id is None
    with demo_ws.db.reader() as s:
        stored = s.get(Visit, visit)
        assert stored.status == "cancelled" and stored.cancel_reason == "客户证件不全，改日再来"
        assert s.scalar(select(func.count(Slip.id))) == 0
        assert s.scalar(select(func.count(Payment.id))) == 0


def test_ctrl_u_opens_the_top_up_on_the_customers_own_number_or_an_empty_one(
    counter, window, demo_ws
):
    """Issue 19 #12: Ctrl+U starts a top-up without the search; the number is the
    identified customer's own line (focus on the amount), else typed by the clerk."""
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.place_card("hmt_resident")
    c.key(Qt.Key.Key_F2)
    own = window.view.lines[0].number if window.view.lines else None
    c.key(Qt.Key.Key_U, CTRL)
    form = window.business.form
    assert form is not None and form.business.code == "TOP_UP"
    assert own and form.inputs["service_number"].currentText() == own
    assert c.focus.objectName() == "topup_amount"
    c.type("100")
    c.enter()
    assert [(i.business_code, i.service_number) for i in window.view.items] == [("TOP_UP", own)]
    c.key(Qt.Key.Key_1)  # cash, chosen
    c.enter()
    c.key(Qt.Key.Key_P)  # settled and printed
    assert window.last_settled is not None
    c.enter()

    c.key(Qt.Key.Key_N, CTRL)  # a walk-in with no ID: the number is typed
    c.key(Qt.Key.Key_U, CTRL)
    form = window.business.form
    assert form is not None and form.business.code == "TOP_UP"
    assert form.inputs["service_number"].currentText() == ""
    assert c.focus is form.inputs["service_number"] or (
        c.focus is form.inputs["service_number"].lineEdit()
    )
