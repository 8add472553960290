"""A clerk's whole day (issue 14 acceptance), through the real windows and keys.

Reception issues tickets; the clerk calls and serves them — a top-up printed with one
key, a visit where another customer's card lands on the reader mid-visit, a visit
suspended and resumed after signing out and in — and a walk-in paid by WeChat Pay;
the manager signs in, closes the day against the cash drawer and the WeChat terminal,
and exports the summary. Every figure of the export is then checked against the
visits, slips and payments the database holds.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import openpyxl
import pytest
from sqlalchemy import select

from frontdesk.gui.qt import Qt
from frontdesk.gui.queue_call import DeskTicketSource
from frontdesk.gui.reception import ReceptionScreen
from frontdesk.services.queue import CounterDesk, LocalQueue
from frontdesk.store.models import DayClose, Payment, Slip, SlipItem, Visit

from .conftest import Clerk
from .test_app import sign_in, start
from .test_clerk_day_close import open_reports, top_up_form

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
DAY = dt.date(2026, 11, 21)


@pytest.fixture(autouse=True)
def close_windows_after():
    """The report screen, dialogs and history are windows of their own: close them so
    the next test starts with the counter alone."""
    yield
    from frontdesk.gui.qt import QApplication

    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    QApplication.processEvents()


def counter_of(qtbot, app, user, password):
    sign_in(qtbot, app, user, password)
    qtbot.waitUntil(lambda: app.window is not None)
    window = app.window
    window.services.prefs.print_folder = str(app.services.ws.data_dir / "printed")
    return window, Clerk(qtbot, window)


def sign_out(qtbot, c, app):
    c.key(Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: app.window is None)


def sheet_rows(book, title):
    sheet = next(ws for ws in book.worksheets if ws.title.startswith(title))
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_a_clerks_day(qtbot, services, clock):
    from .test_visits import iccid, pick, verify_with_reader

    ws = services.ws
    queue = LocalQueue.for_workstation(ws)
    services.tickets = DeskTicketSource(CounterDesk(queue, "W01", ("A", "V", "B")))

    # 09:30 reception issues three tickets with its number key
    reception = ReceptionScreen(queue, ws.catalogue, ws.clock.now, auto_refresh=False)
    qtbot.addWidget(reception)
    reception.show()
    qtbot.waitExposed(reception)
    Clerk(qtbot, None).settle()  # the lines have loaded
    for _ in range(3):
        qtbot.keyClick(reception, Qt.Key.Key_1)
        Clerk(qtbot, None).settle()
        clock.advance(minutes=1)  # one customer after another
    assert reception.ticket_label.text() == "A003"

    app = start(qtbot, services)
    window, c = counter_of(qtbot, app, "clerk01", "Counter2026")

    # 09:35 A001: a top-up, all documents printed with one key
    clock.advance(minutes=5)
    c.key(Qt.Key.Key_F1)
    assert window.ticket.number == "A001"
    top_up_form(c, window, "13800138000", "50")
    c.key(Qt.Key.Key_1)  # 1 现金 (issue 19: the method is chosen, not assumed)
    c.enter()  # cash
    c.key(Qt.Key.Key_F10)
    c.key(Qt.Key.Key_P)
    assert "已打印" in c.dialog("SettledDialog").message.text()
    c.enter()

    # 09:42 A002: 张三 starts a SIM replacement and pays; then 刘建国's card is read:
    # the clerk is asked and confirms, and serves 刘建国's top-up instead
    clock.advance(minutes=7)
    c.key(Qt.Key.Key_F1)
    assert window.ticket.number == "A002"
    verify_with_reader(c, "zhang_san", face=False)
    pick(c, "bk", "REPLACE_SIM")
    c.type(iccid("8986011234567890127"))
    c.enter()  # 补换卡原因 pre-filled 丢失: onto the slip
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # ¥10 cash
    c.place_card("long_term")
    c.key(Qt.Key.Key_F2)
    assert c.dialog("ReplaceCustomerDialog") is not None
    c.key(Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: c.dialog("ReplaceCustomerDialog") is None)
    c.settle()
    assert window.view.customer_name == "刘建国" and not window.view.items
    top_up_form(c, window, "13700137000", "30")
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # the ¥20 still due, in cash
    c.key(Qt.Key.Key_F10)
    c.enter()  # closed without printing: archived all the same

    # 09:50 A003: a top-up is suspended; the clerk signs out and back in, then resumes
    clock.advance(minutes=8)
    c.key(Qt.Key.Key_F1)
    assert window.ticket.number == "A003"
    top_up_form(c, window, "13600136000", "20")
    c.key(Qt.Key.Key_F11)
    sign_out(qtbot, c, app)
    clock.advance(minutes=3)
    window, c = counter_of(qtbot, app, "clerk01", "Counter2026")
    assert window.suspended_count.text() == "挂起待恢复：1（Shift+F11）"
    c.key(Qt.Key.Key_F11, SHIFT)
    c.enter()
    c.key(Qt.Key.Key_F8)  # nothing chosen yet: the method list
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # ¥20 cash
    c.key(Qt.Key.Key_F10)
    c.enter()

    # 10:00 a walk-in pays a ¥100 top-up by WeChat Pay
    clock.advance(minutes=7)
    c.key(Qt.Key.Key_N, CTRL)
    top_up_form(c, window, "13800138000", "100")
    c.key(Qt.Key.Key_3)  # 3 微信支付
    c.enter()
    c.type("4200001234202611210099")
    c.enter()
    c.enter()  # settle
    c.enter()
    sign_out(qtbot, c, app)

    # 18:00 the manager closes the day: ¥100 counted, the WeChat terminal says ¥100
    clock.advance(hours=8)
    window, c = counter_of(qtbot, app, "manager01", "Manager2026")
    screen = open_reports(c)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    qtbot.keyClick(screen, Qt.Key.Key_D, CTRL)
    c.settle()
    from frontdesk.gui.day_close_dialog import DayCloseDialog

    (day_close,) = [d for d in screen.findChildren(DayCloseDialog) if d.isVisible()]
    day_close.counted.setFocus()
    c.type("100")
    c.key(Qt.Key.Key_Tab)
    c.type("100")  # the WeChat terminal's settlement figure
    c.enter()
    qtbot.waitUntil(lambda: not day_close.isVisible())
    assert window.closed_banner.isVisible()
    out = screen.export_to("xlsx", ws.data_dir / "day.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(out.path.read_bytes()))

    # every figure of the export against the records
    with ws.db.reader() as s:
        visits = [(v.status, v.ticket_issued_at, v.called_at) for v in s.scalars(select(Visit))]
        slips = [
            slip.total_fen for slip in s.scalars(select(Slip).where(Slip.business_date == DAY))
        ]
        payments = [(p.method, p.amount_fen) for p in s.scalars(select(Payment))]
        items = [i.business_code for i in s.scalars(select(SlipItem))]
        counted = s.scalar(select(DayClose.counted_cash_fen))
    waits = sorted(int((called - issued).total_seconds()) for _, issued, called in visits if issued)
    overview = {row[0]: row[1] for row in sheet_rows(book, "概况")[1:]}
    assert overview["接待量"] == len(visits) == 4
    assert overview["已结算"] == sum(v[0] == "settled" for v in visits) == 4
    assert overview["受理单（销售）"] == len(slips) == 4
    sales = sum(slips)
    assert sales == 20_000 and float(overview["销售金额"]) == sales / 100
    takings = sum(fen for _, fen in payments)
    assert float(overview["实收（不含余额）"]) == takings / 100 == 200
    assert overview["VIP 接待"] == 1  # 刘建国 (钻石, no arrears) as the counter showed him
    methods = {row[0]: row for row in sheet_rows(book, "收款方式")[1:]}
    by_method = Counter()
    for method, fen in payments:
        by_method[method] += fen
    assert float(methods["现金"][4]) == by_method["cash"] / 100 == 100
    assert float(methods["微信支付"][4]) == by_method["wechat"] / 100 == 100
    business = {row[0]: row for row in sheet_rows(book, "业务类型")[1:]}
    assert sorted(items) == ["TOP_UP"] * 4  # no SIM for 张三
    assert list(business) == ["TOP_UP"]
    assert business["TOP_UP"][2] == items.count("TOP_UP") and float(business["TOP_UP"][5]) == 200
    assert waits == [480, 840, 1260]  # A001 8 min, A002 14 min, A003 21 min (of 15)
    sla = sheet_rows(book, "服务时限")[1:]
    waiting = sla[0]  # the standard waiting limit, all tickets
    assert waiting[2] == len(waits) and waiting[5] == 21.0
    # within: A001 only — A002 became 刘建国's visit, judged by 钻石's 10 minutes
    assert waiting[6] == 1
    assert float(waiting[3]) == round(sum(waits) / len(waits) / 60, 1)
    day_close_rows = sheet_rows(book, "日结")[1:]
    assert len(day_close_rows) == 1
    row = day_close_rows[0]
    assert float(row[4]) == counted / 100 == 100 and float(row[5]) == 0
    assert "微信支付" in row[7] and "相符" in row[7]
