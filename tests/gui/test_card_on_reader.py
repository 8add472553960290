"""Issue 19 #12: the customer's card is read when it is laid on the reader, and P on the
payment amount takes the payment, settles and prints.

The reader is polled (its find-card call) every half second on the window's worker
thread while a visit waits for its customer's card; a card found goes through the very
path F2 takes. Waits are on what the clerk sees (``qtbot.waitUntil``); "no read" is
proven over several poll intervals and by the card still being readable afterwards.
"""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.devices.id_reader import SimulatedIdCardReader
from frontdesk.gui.card_poll import POLL_INTERVAL_MS
from frontdesk.gui.qt import QApplication, Qt
from frontdesk.store.models import AuditEntry, IdVerification, Payment

CTRL = Qt.KeyboardModifier.ControlModifier
SEVERAL_POLLS_MS = 4 * POLL_INTERVAL_MS


def captures(ws) -> list[str]:
    with ws.db.reader() as s:
        return list(s.scalars(select(IdVerification.capture_method)))


def capture_audits(ws) -> int:
    with ws.db.reader() as s:
        return s.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "id.capture.reader")
        )


def read_on_placing(c, window, person: str, name: str) -> None:
    c.place_card(person)  # no key: the poll finds it
    c.qtbot.waitUntil(lambda: name in window.customer.text())
    c.settle()


# ------------------------------------------------------------------- 1. card on reader


def test_a_card_laid_on_the_reader_is_read_without_a_key(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    assert c.focus is window.verification.read_button
    read_on_placing(c, window, "zhang_san", "张三")
    # exactly what F2 does: the read is captured, checked, audited; focus on the next step
    assert c.focus is window.verification.confirm_button
    assert "已读取 张三 的证件，校验通过" in window.verification.message.text()
    assert captures(demo_ws) == ["reader"] and capture_audits(demo_ws) == 1
    assert window.verification.auto_read == "customer"
    c.enter()  # 人证一致
    assert c.focus is window.verification.scan_button


def test_f2_on_the_card_just_read_shows_that_read_and_records_nothing_more(
    counter, window, demo_ws
):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    read_on_placing(c, window, "zhang_san", "张三")
    c.key(Qt.Key.Key_F2)  # the clerk's habit: F2 after laying the card
    text = window.verification.message.text()
    assert "已读取 张三 的证件" in text and "拿起证件" not in text
    assert c.focus is window.verification.confirm_button
    assert captures(demo_ws) == ["reader"] and capture_audits(demo_ws) == 1


def test_f2_on_a_failed_auto_read_repeats_its_finding(counter, window, demo_ws):
    """An expired card read by the poll: F2 shows the same refusal, not "lift the card"."""
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.place_card("expired")
    c.qtbot.waitUntil(lambda: "证件已过有效期" in window.verification.message.text())
    c.settle()
    window.verification.message.clear_message()
    c.key(Qt.Key.Key_F2)
    assert "证件已过有效期" in window.verification.message.text()
    assert "拿起证件" not in window.verification.message.text()


def test_f2_while_a_poll_runs_is_not_lost(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    poller = window.verification.card_poll
    assert poller.poll() is True  # a tick: the reader is asked, nothing on it yet
    c.place_card("zhang_san")
    c.qtbot.keyClick(c.focus, Qt.Key.Key_F2)  # pressed while that poll may still run
    c.settle()
    assert "张三" in window.customer.text()
    assert c.focus is window.verification.confirm_button
    assert captures(demo_ws) == ["reader"]


def test_no_poll_without_a_visit(counter, window, qtbot):
    c = counter
    c.place_card("zhang_san")
    qtbot.wait(SEVERAL_POLLS_MS)
    assert window.visit_id is None and window.verification.card_poll.poll() is False
    c.key(Qt.Key.Key_N, CTRL)  # the card was never taken: the visit reads it
    qtbot.waitUntil(lambda: "张三" in window.customer.text())


def test_no_poll_once_a_customer_is_read(counter, window, demo_ws, qtbot):
    """The next card (an agent, a new owner, another person) needs its explicit F2."""
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    read_on_placing(c, window, "zhang_san", "张三")
    c.place_card("long_term")
    qtbot.wait(SEVERAL_POLLS_MS)
    assert window.verification.card_poll.poll() is False
    assert "张三" in window.customer.text() and c.dialog("ReplaceCustomerDialog") is None
    assert captures(demo_ws) == ["reader"]
    c.key(Qt.Key.Key_F2)  # F2 still reads it (nothing on the slip yet: it replaces)
    assert "刘建国" in window.customer.text()
    assert captures(demo_ws) == ["reader", "reader"]


def test_no_poll_for_an_agent_party(counter, window, demo_ws, qtbot):
    from .test_real_name_window import set_party

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    set_party(window, "agent")
    c.place_card("long_term")
    qtbot.wait(SEVERAL_POLLS_MS)
    assert window.verification.card_poll.poll() is False and captures(demo_ws) == []
    c.key(Qt.Key.Key_F2)
    assert captures(demo_ws) == ["reader"]


def test_no_poll_while_a_dialog_is_modal(counter, window, demo_ws, qtbot):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_F12)  # 取消接待: its dialog asks for the reason
    assert QApplication.activeModalWidget() is not None
    c.place_card("zhang_san")
    qtbot.wait(SEVERAL_POLLS_MS)
    assert window.verification.card_poll.poll() is False and captures(demo_ws) == []
    c.key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "张三" in window.customer.text())


def test_no_poll_while_the_window_is_locked(qtbot, services, demo_ws):
    from .test_app import sign_in, start

    app = start(qtbot, services)
    sign_in(qtbot, app, "clerk01", "Counter2026")
    qtbot.waitUntil(lambda: app.window is not None)
    window = app.window
    qtbot.addWidget(window)
    window.start_visit(None)
    app.lock()
    qtbot.waitUntil(lambda: app.lock_dialog is not None and app.lock_dialog.isVisible())
    services.reader.place("zhang_san")
    qtbot.wait(SEVERAL_POLLS_MS)
    assert window.covered and window.verification.card_poll.poll() is False
    assert captures(demo_ws) == []
    lock = app.lock_dialog
    qtbot.keyClicks(lock.password, "Counter2026")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.lock_dialog is None)
    qtbot.waitUntil(lambda: "张三" in window.customer.text())  # read once unlocked


def test_an_unreachable_reader_is_said_once_and_polling_stops(counter, window, qtbot):
    reader = SimulatedIdCardReader("zhang_san")  # never opened: the port is not there
    window.services.reader = reader
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: "读卡器不可用" in window.verification.message.text())
    assert "读卡器未打开" in window.verification.message.text()
    assert "Traceback" not in window.verification.message.text()
    window.verification.message.clear_message()
    qtbot.wait(SEVERAL_POLLS_MS)
    assert window.verification.message.text() == ""  # never a message per poll
    assert window.verification.card_poll.poll() is False


def test_a_reader_that_failed_to_open_is_said_once(counter, window, qtbot):
    window.services.reader_problem = "无法打开读卡器端口"
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: "无法打开读卡器端口" in window.verification.message.text())
    assert "放卡自动读取已停止" in window.verification.message.text()
    window.verification.message.clear_message()
    assert window.verification.card_poll.poll() is False
    qtbot.wait(SEVERAL_POLLS_MS)
    assert window.verification.message.text() == ""


def test_a_card_that_fails_to_read_is_said_once_and_polling_goes_on(counter, window, qtbot):
    reader = SimulatedIdCardReader.scenario("read_failure")
    reader.open()
    window.services.reader = reader
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: "读卡失败" in window.verification.message.text())
    window.verification.message.clear_message()
    assert window.verification.card_poll.poll() is True  # still polling: F2 not needed
    c.settle()
    assert window.verification.message.text() == ""  # the same failure is not repeated


def test_a_poll_still_running_when_the_window_closes_is_harmless(qtbot, services, clerk):
    from frontdesk.gui.main_window import CounterWindow
    from frontdesk.gui.operations import OperationRunner

    window = CounterWindow(services, clerk)
    window.show()
    window.start_visit(None)
    assert window.verification.card_poll.poll() is True
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: OperationRunner.total_running == 0)
    QApplication.processEvents()


# ------------------------------------------------------------- 2. P on the amount


def on_the_slip(c, window, amount: str = "50") -> None:
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_U, CTRL)  # 话费充值, number typed
    c.type("13800138000")
    c.enter()
    c.type(amount)
    c.enter()
    assert c.focus is window.slip.method


def payments(ws) -> int:
    with ws.db.reader() as s:
        return s.scalar(select(func.count(Payment.id)))


def test_p_on_the_amount_pays_settles_and_prints(counter, window, demo_ws, tmp_path):
    window.services.prefs.print_folder = str(tmp_path / "printed")
    c = counter
    on_the_slip(c, window)
    c.key(Qt.Key.Key_1)  # cash: the amount due is pre-filled
    assert c.focus is window.slip.amount and window.slip.amount.text() == "50.00"
    c.key(Qt.Key.Key_P)
    settled = window.last_settled
    assert settled is not None and c.dialog("SettledDialog") is not None
    refs = window.services.documents.documents_of_slip(settled.slip_id)
    assert sorted(r.kind for r in refs) == ["receipt", "slip"]
    assert all(r.print_count == 1 for r in refs)
    assert len(list((tmp_path / "printed").glob("*.pdf"))) == 2
    assert payments(demo_ws) == 1


def test_p_on_an_over_tendered_cash_amount_gives_change(counter, window, demo_ws):
    c = counter
    on_the_slip(c, window)
    c.key(Qt.Key.Key_1)
    c.key(Qt.Key.Key_A, CTRL)
    c.type("100")
    c.key(Qt.Key.Key_P)
    assert window.last_settled is not None and window.last_settled.change_fen == 5_000


def test_p_on_the_amount_without_a_method_is_refused(counter, window, demo_ws):
    c = counter
    on_the_slip(c, window)
    c.key(Qt.Key.Key_Tab)  # past the method list without choosing
    assert c.focus is window.slip.amount
    c.key(Qt.Key.Key_P)
    assert "尚未选择收款方式" in window.slip.message.text()
    assert c.focus is window.slip.method
    assert window.last_settled is None and payments(demo_ws) == 0 and not window.view.payments


def test_p_on_a_short_amount_is_refused_and_enter_still_takes_part(counter, window, demo_ws):
    c = counter
    on_the_slip(c, window)
    c.key(Qt.Key.Key_1)
    c.key(Qt.Key.Key_A, CTRL)
    c.type("20")
    c.key(Qt.Key.Key_P)
    text = window.slip.message.text()
    assert "收款金额" in text and "¥20.00" in text and "¥50.00" in text and "未收款" in text
    assert window.slip.amount.text() == "20"  # P was not typed into the amount
    assert c.focus is window.slip.amount
    assert window.last_settled is None and not window.view.payments
    c.enter()  # Enter keeps its meaning: a part payment
    assert [p.amount_fen for p in window.view.payments] == [2_000]
    assert window.last_settled is None


def test_p_on_a_bad_amount_is_refused_naming_the_field(counter, window, demo_ws):
    c = counter
    on_the_slip(c, window)
    c.key(Qt.Key.Key_1)
    c.key(Qt.Key.Key_A, CTRL)
    c.key(Qt.Key.Key_Delete)
    c.key(Qt.Key.Key_P)
    assert window.slip.message.text() and window.last_settled is None
    assert payments(demo_ws) == 0


def test_p_on_a_card_amount_needs_the_terminal_reference(counter, window, demo_ws):
    c = counter
    on_the_slip(c, window)
    c.key(Qt.Key.Key_2)  # 银行卡
    c.key(Qt.Key.Key_P)
    assert "交易参考号" in window.slip.message.text()
    assert c.focus is window.slip.reference
    assert window.last_settled is None and not window.view.payments


def test_p_on_the_amount_of_a_new_line_asks_for_the_fraud_notice_first(
    counter, window, demo_ws, tmp_path
):
    from .test_visits import iccid, pick, verify_with_reader

    window.services.prefs.print_folder = str(tmp_path / "printed")
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=True)
    pick(c, "rw", "NEW_LINE")
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    c.enter()
    c.type("13812345678")
    c.enter()
    c.type(iccid("8986011234567890123"))
    c.enter()
    c.key(Qt.Key.Key_1)
    c.key(Qt.Key.Key_P)
    assert c.dialog("FraudNoticeDialog") is not None and window.last_settled is None
    c.key(Qt.Key.Key_Escape)  # not signed: nothing settles or prints; the cash is on the slip
    assert window.last_settled is None and not (tmp_path / "printed").exists()
    assert [p.amount_fen for p in window.view.payments] == [5_000]
    assert c.focus is window.slip.settle_button
    c.key(Qt.Key.Key_P)  # P on 结算 from here, as before
    assert c.focus.objectName() == "paperSigned"
    c.enter()
    settled = window.last_settled
    assert settled is not None
    refs = window.services.documents.documents_of_slip(settled.slip_id)
    assert refs and all(r.print_count == 1 for r in refs)
