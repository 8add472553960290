"""The counter's call panel: call next (VIP first), recall, no-show, transfer, the SLA
clocks, and a whole visit from call to settled slip with its waiting/handling times."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdesk.gui.operations import OperationRunner
from frontdesk.gui.qt import QApplication, Qt
from frontdesk.gui.queue_call import DeskTicketSource, QueueCallPanel
from frontdesk.gui.queue_strip import Ticket
from frontdesk.queuehost.client import RemoteQueue
from frontdesk.services.intake import IntakeService
from frontdesk.services.queue import CounterDesk, LocalQueue
from frontdesk.store.models import Slip

LINES = ("A", "V", "B")


def settle(qtbot) -> None:
    qtbot.waitUntil(lambda: OperationRunner.total_running == 0)
    QApplication.processEvents()


@pytest.fixture
def queue(demo_ws) -> LocalQueue:
    return LocalQueue.for_workstation(demo_ws)


def make_panel(qtbot, ws, queue, counter: str = "W01") -> QueueCallPanel:
    panel = QueueCallPanel(CounterDesk(queue, counter, LINES), ws.catalogue, ws.clock.now)
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    qtbot.waitExposed(panel)
    settle(qtbot)
    return panel


@pytest.fixture
def panel(qtbot, demo_ws, queue) -> QueueCallPanel:
    return make_panel(qtbot, demo_ws, queue)


def key(qtbot, panel, k) -> None:
    qtbot.keyClick(panel, k)
    settle(qtbot)


def test_call_next_serves_the_vip_first_then_recall_and_no_show(qtbot, demo_ws, queue, panel):
    queue.issue("A")
    queue.issue("V", "gold")
    assert panel.ticket is None and "空闲" in panel.ticket_label.text()
    key(qtbot, panel, Qt.Key.Key_F1)
    assert panel.ticket.ticket_no == "V001"
    assert "金卡" in panel.ticket_label.text()
    assert panel.serve_button.isEnabled() and not panel.call_button.isEnabled()
    for _ in range(3):
        key(qtbot, panel, Qt.Key.Key_F3)
    assert panel.ticket.recalls == 3
    assert panel.message.kind == "warning" and "F4" in panel.message.text()
    key(qtbot, panel, Qt.Key.Key_F4)
    assert panel.ticket is None and "V001" in panel.message.text()
    key(qtbot, panel, Qt.Key.Key_F1)
    assert panel.ticket.ticket_no == "A001"


def test_nobody_waiting(qtbot, panel):
    key(qtbot, panel, Qt.Key.Key_F1)
    assert panel.ticket is None and "没有客户等候" in panel.message.text()


def test_transfer_to_another_counter(qtbot, demo_ws, queue, panel):
    queue.issue("B")
    key(qtbot, panel, Qt.Key.Key_F1)
    qtbot.keyClicks(panel.transfer_to, "w02")
    key(qtbot, panel.transfer_to, Qt.Key.Key_Return)
    assert panel.ticket is None and "转移" in panel.message.text()
    other = make_panel(qtbot, demo_ws, queue, "W02")
    qtbot.mouseClick(other.call_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert other.ticket.ticket_no == "B001"


def test_transfer_to_itself_is_refused_with_the_field_named(qtbot, queue, panel):
    queue.issue("A")
    key(qtbot, panel, Qt.Key.Key_F1)
    qtbot.keyClicks(panel.transfer_to, "W01")
    key(qtbot, panel.transfer_to, Qt.Key.Key_Return)
    assert panel.ticket is not None
    assert "转至窗口" in panel.message.text()


def test_the_sla_clocks_change_colour(qtbot, demo_ws, queue, panel):
    queue.issue("V", "gold")
    demo_ws.clock.advance(minutes=8, seconds=30)  # 85 % of the 10-minute VIP limit
    key(qtbot, panel, Qt.Key.Key_F1)
    assert panel.waiting.property("sla") == "near"
    assert "08:30 / 10:00" in panel.waiting.text()
    demo_ws.clock.advance(minutes=11)
    panel.update_clocks()
    assert panel.handling.property("sla") == "over"
    panel.set_handling_limit(15)
    assert panel.handling.property("sla") == "ok"


def test_a_whole_visit_from_call_to_slip(qtbot, demo_ws, queue, panel, clerk):
    """The wiring the counter window uses: start_requested → open the visit →
    visit_started; settle → visit_ended. The slip carries the ticket's times."""
    intake = IntakeService(demo_ws)
    opened = []

    def open_visit(ticket: Ticket | None) -> None:
        visit = intake.open_visit(
            clerk,
            ticket_no=ticket.number if ticket else None,
            ticket_tier=ticket.tier if ticket else None,
            ticket_issued_at=ticket.issued_at if ticket else None,
        )
        opened.append(visit)
        panel.visit_started(visit)

    panel.start_requested.connect(open_visit)
    queue.issue("A")
    demo_ws.clock.advance(minutes=6)
    key(qtbot, panel, Qt.Key.Key_F1)
    assert panel.serve_button.hasFocus()
    key(qtbot, panel.serve_button, Qt.Key.Key_Return)
    assert panel.ticket.status == "serving" and panel.ticket.visit_id == opened[0]
    assert "办理中" in panel.ticket_label.text()
    demo_ws.clock.advance(minutes=3)
    visit = opened[0]
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "30"}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "cash", 3_000)
    settled = intake.settle(clerk, visit)
    panel.visit_ended()
    settle(qtbot)
    assert panel.ticket is None and panel.call_button.isEnabled()
    with demo_ws.db.reader() as s:
        slip = s.scalars(select(Slip).where(Slip.slip_no == settled.slip_no)).one()
        assert (slip.ticket_no, slip.waiting_seconds, slip.handling_seconds) == ("A001", 360, 180)
    assert queue.hall_snapshot().done_today == 1


def test_a_walk_in_without_a_ticket(qtbot, panel):
    with qtbot.waitSignal(panel.start_requested) as signal:
        qtbot.keyClick(panel, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert signal.args == [None]


def test_a_restarted_counter_picks_up_its_ticket(qtbot, demo_ws, queue):
    queue.issue("A")
    queue.call_next("W01", LINES)
    panel = make_panel(qtbot, demo_ws, queue)
    assert panel.ticket.ticket_no == "A001" and panel.recall_button.isEnabled()


def test_the_queue_host_down_leaves_walk_ins_working(qtbot, demo_ws):
    remote = RemoteQueue("http://127.0.0.1:9", "x" * 16, timeout=0.5)
    panel = make_panel(qtbot, demo_ws, remote)
    assert "叫号服务器无法连接" in panel.message.text()
    key(qtbot, panel, Qt.Key.Key_F1)
    assert "散客" in panel.message.text()
    assert panel.walk_in_button.isEnabled()
    with qtbot.waitSignal(panel.start_requested) as signal:
        qtbot.mouseClick(panel.walk_in_button, Qt.MouseButton.LeftButton)
    assert signal.args == [None]
    remote.close()


def test_desk_ticket_source_feeds_the_window_hook(demo_ws, queue, clerk):
    queue.issue("V", "diamond")
    source = DeskTicketSource(CounterDesk(queue, "W01", LINES))
    ticket = source.call_next(clerk)
    assert ticket == Ticket("V001", "diamond", ticket.issued_at, ticket.called_at)
    assert ticket.called_at is not None and ticket.called_at >= ticket.issued_at
    assert source.desk.ticket.status == "called"
    visit = IntakeService(demo_ws).open_visit(
        clerk, ticket_no=ticket.number, called_at=ticket.called_at
    )
    source.visit_started(visit)  # the window's hooks: serving, then done
    assert source.desk.ticket.status == "serving"
    source.visit_ended()
    assert source.desk.ticket is None
    assert source.call_next(clerk) is None
