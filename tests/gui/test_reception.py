"""The reception screen: tickets per line with the VIP tier, the hall picture, errors."""

from __future__ import annotations

import pytest

from frontdesk.gui.operations import OperationRunner
from frontdesk.gui.qt import QApplication, Qt
from frontdesk.gui.reception import ReceptionScreen
from frontdesk.queuehost.client import RemoteQueue
from frontdesk.services.queue import LocalQueue


def settle(qtbot) -> None:
    qtbot.waitUntil(lambda: OperationRunner.total_running == 0)
    QApplication.processEvents()


@pytest.fixture
def queue(ws) -> LocalQueue:
    return LocalQueue.for_workstation(ws)


@pytest.fixture
def screen(qtbot, ws, queue) -> ReceptionScreen:
    widget = ReceptionScreen(queue, ws.catalogue, ws.clock.now, auto_refresh=False)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot)
    return widget


def test_a_button_per_line(screen):
    assert list(screen.line_buttons) == ["A", "V", "B"]
    assert "VIP" in screen.line_buttons["V"].text()


def test_issue_a_vip_ticket_then_a_standard_one_by_number_key(qtbot, screen, queue):
    screen.tier.setCurrentIndex(screen.tier.findData("gold"))
    with qtbot.waitSignal(screen.issued) as signal:
        qtbot.mouseClick(screen.line_buttons["V"], Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert signal.args[0].ticket_no == "V001" and signal.args[0].tier == "gold"
    assert screen.ticket_label.text() == "V001"
    assert "金卡" in screen.ticket_info.text() and "10 分钟" in screen.ticket_info.text()
    assert screen.tier.currentData() == "standard"  # the next customer starts as standard
    qtbot.keyClick(screen, Qt.Key.Key_1)
    settle(qtbot)
    assert screen.ticket_label.text() == "A001"
    assert "前面还有 1 位" in screen.ticket_info.text()  # the gold customer goes first
    rows = {screen.lines_model.text(r, 0): screen.lines_model.text(r, 1) for r in range(3)}
    assert rows == {"A 综合业务": "1", "V VIP专席": "1", "B 宽带业务": "0"}
    assert queue.hall_snapshot().issued_today == 2


def test_f8_puts_a_missed_ticket_back_in_line(qtbot, screen, queue, clock):
    missed = queue.issue("A")
    queue.issue("A")
    called = queue.call_next("W01", ["A"])
    queue.no_show(called.ticket_id, "W01")
    clock.advance(minutes=3)  # the customer comes back
    qtbot.keyClick(screen, Qt.Key.Key_F8)
    assert QApplication.focusWidget() is screen.requeue_input
    qtbot.keyClicks(screen.requeue_input, "a001")  # digits type, they issue no ticket
    assert queue.hall_snapshot().issued_today == 2
    qtbot.keyClick(screen.requeue_input, Qt.Key.Key_Return)
    settle(qtbot)
    assert screen.ticket_label.text() == "A001" and screen.last_ticket.status == "waiting"
    assert "前面还有 1 位" in screen.ticket_info.text()  # behind A002, who kept waiting
    assert screen.requeue_input.text() == ""
    assert [t.ticket_id for t in queue.hall_snapshot().waiting][-1] == missed.ticket_id
    # a second time is refused, and the field is named
    queue.no_show(queue.call_next("W01", ["A"]).ticket_id, "W01")  # A002 missed now
    qtbot.keyClick(screen, Qt.Key.Key_F8)
    qtbot.keyClicks(screen.requeue_input, "A009")
    qtbot.keyClick(screen.requeue_input, Qt.Key.Key_Return)
    settle(qtbot)
    assert screen.message.kind == "error" and "A009" in screen.message.text()


def test_a_refused_ticket_says_why(qtbot, screen):
    qtbot.mouseClick(screen.line_buttons["V"], Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert screen.message.isVisible() and screen.message.kind == "error"
    assert "VIP专席" in screen.message.text()
    assert screen.ticket_label.text() == "—"


def test_an_unreachable_host_is_a_message_not_a_crash(qtbot, ws):
    remote = RemoteQueue("http://127.0.0.1:9", "x" * 16, timeout=0.5)
    widget = ReceptionScreen(remote, ws.catalogue, ws.clock.now, auto_refresh=False)
    qtbot.addWidget(widget)
    settle(qtbot)
    assert "叫号服务器无法连接" in widget.message.text()
    remote.close()


def test_the_managers_hall_view(qtbot, demo_ws):
    import datetime as dt

    from frontdesk.gui.hall_view import HallView
    from frontdesk.services.complaints import ComplaintService
    from frontdesk.services.queue import QueueSetup

    queue = LocalQueue.for_workstation(demo_ws, QueueSetup(counters=("W01", "W02")))
    complaints = ComplaintService(demo_ws)
    staff = None
    from frontdesk.services.auth import AuthService

    staff = AuthService(demo_ws.db, demo_ws.config.security, demo_ws.clock).sign_in(
        "clerk01", "Counter2026"
    )
    start = demo_ws.clock.now()
    demo_ws.clock.set(start - dt.timedelta(hours=21))  # yesterday 12:30: due today 12:30
    complaints.record(
        staff,
        category="broadband_repair",
        description="宽带无法上网，光猫红灯",
        contact_phone="13800138000",
    )
    demo_ws.clock.set(start)
    queue.issue("A")
    queue.issue("V", "gold")
    demo_ws.clock.advance(minutes=9)
    queue.call_next("W02", ["V"])
    view = HallView(
        queue, demo_ws.clock.now, complaints, catalogue=demo_ws.catalogue, auto_refresh=False
    )
    qtbot.addWidget(view)
    view.show()
    settle(qtbot)
    assert "等候 1 人" in view.summary.text() and "忙 1 / 闲 1" in view.summary.text()
    assert view.counters_model.text(1, 0) == "W02" and view.counters_model.text(1, 2) == "V001"
    assert view.waiting_model.text(0, 0) == "A001"
    assert view.complaints_model.rowCount() == 1
    assert view.complaints_model.text(0, 1) == "宽带修障"
    assert "超时 0" in view.complaints_box.title()
    demo_ws.clock.advance(hours=3)
    qtbot.keyClick(view, Qt.Key.Key_F5)
    settle(qtbot)
    assert "超时 1" in view.complaints_box.title()
    assert view.complaints_model.text(0, 5).startswith("-")
    assert isinstance(view.hall.at, dt.datetime)


def test_f2_marks_the_green_channel_and_it_is_called_first(qtbot, screen, queue):
    qtbot.keyClick(screen, Qt.Key.Key_1)  # a standard customer first
    settle(qtbot)
    qtbot.keyClick(screen, Qt.Key.Key_F2)  # 老年人
    assert screen.green.currentData() == "elderly"
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    assert screen.green.currentData() == "pregnant"
    qtbot.keyClick(screen, Qt.Key.Key_1)
    settle(qtbot)
    assert screen.last_ticket.green_channel == "pregnant"
    assert "绿色通道（孕妇）" in screen.ticket_info.text()
    assert screen.green.currentData() is None  # the next customer starts unmarked
    assert queue.call_next("W01", ["A"]).ticket_no == "A002"


def test_esc_closes_the_reception_screen(qtbot, screen):
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert not screen.isVisible()
