"""A clerk's day, second half (moved from test_clerk_day.py): the day close with the
terminals' figures, another person's card mid-visit, sign-out with money taken, one tier
rule for counter and report, and the failures a clerk can run into."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.gui.qt import Qt
from frontdesk.services.reports import ReportService

from .test_clerk_day import CTRL, SHIFT, printed_files, settle_top_up, top_up

pytestmark = pytest.mark.usefixtures("close_windows_after")

# ------------------------------- 3, 6. day close: terminals, slip, export, closed counter


def wechat_and_cash_top_up(c, window, amount="150", wechat="100"):
    """A top-up paid partly by WeChat Pay (with its reference), the rest in cash."""
    c.key(Qt.Key.Key_N, CTRL)
    top_up_form(c, window, "13800138000", amount)
    slip = window.slip
    c.key(Qt.Key.Key_3)  # 3 微信支付
    c.key(Qt.Key.Key_A, CTRL)
    c.type(wechat)
    c.enter()
    c.type("4200001234202611210001")
    c.enter()
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # the rest in cash
    assert slip.settle_button.hasFocus()
    c.enter()
    settled = window.last_settled
    c.enter()  # close the settled dialog
    return settled


def top_up_form(c, window, number, amount):
    c.key(Qt.Key.Key_F7)
    c.type("TOP_UP")
    c.enter()
    window.business.form.inputs["service_number"].setEditText(number)
    c.enter()
    c.type(amount)
    c.enter()


def open_reports(c):
    from frontdesk.gui.manager_screen import ManagerScreen
    from frontdesk.gui.qt import QApplication

    c.key(Qt.Key.Key_R, CTRL)
    screens = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ManagerScreen) and w.isVisible()
    ]
    assert screens
    screen = screens[-1]
    screen.activateWindow()
    screen.setFocus()
    return screen


def close_the_day(c, screen, *, counted, terminal, reason):
    """Ctrl+D on the report screen; the clerk counts, the manager reads the terminal."""
    screen.activateWindow()
    c.qtbot.waitUntil(screen.isActiveWindow)
    c.qtbot.keyClick(screen, Qt.Key.Key_D, CTRL)
    c.settle()
    dialog = c.dialog("DayCloseDialog")
    assert dialog is not None
    dialog.activateWindow()
    dialog.counted.setFocus()
    c.type(counted)
    c.key(Qt.Key.Key_Tab)
    assert c.focus.objectName() == "terminal_wechat"
    c.type(terminal)
    c.key(Qt.Key.Key_Tab)
    assert c.focus is dialog.reason
    if reason:
        c.type(reason)
    c.key(Qt.Key.Key_Tab)
    c.type("manager01")
    c.key(Qt.Key.Key_Tab)
    c.type("Manager2026")
    c.enter()
    return dialog


def test_day_close_reconciles_each_terminal_prints_its_slip_and_closes_the_counter(
    counter, window, demo_ws, print_folder
):
    import io

    import openpyxl
    import pypdf
    from sqlalchemy import func, select

    from frontdesk.core.messages import RuleViolation
    from frontdesk.store.models import DayClose, Visit

    c = counter
    wechat_and_cash_top_up(c, window)  # ¥100 WeChat + ¥50 cash
    screen = open_reports(c)
    dialog = close_the_day(c, screen, counted="49.50", terminal="99", reason="")
    # the WeChat terminal says ¥99.00 against ¥100.00 taken: the reason is asked for
    assert dialog.isVisible()
    assert "微信" in dialog.message.text() and "差异原因" in dialog.message.text()
    assert dialog.terminal_differences["wechat"].text().startswith("-¥1.00")
    dialog.reason.setFocus()
    c.type("微信退款一笔未到账；现金短 5 角")
    dialog.manager_password.setFocus()
    c.type("Manager2026")
    c.enter()
    assert not dialog.isVisible()
    with demo_ws.db.reader() as s:
        row = s.scalar(select(DayClose))
        close_id = row.id
        assert row.counted_cash_fen == 4_950 and row.difference_fen == -50
        assert row.figures["terminals"] == {
            "wechat": {"expected_fen": 10_000, "terminal_fen": 9_900, "difference_fen": -100}
        }
    # the day-close slip was archived and printed for signing
    assert "已打印日结单" in screen.message.text()
    slips = [f for f in printed_files(print_folder) if f.startswith("day_close")]
    assert len(slips) == 1
    archived = window.services.documents.archive_day_close(close_id)  # the one archived
    assert archived.print_count == 1
    text = "".join(p.extract_text() for p in pypdf.PdfReader(archived.path).pages)
    for words in ("日结单", "实点现金", "49.50", "终端对账", "99.00", "微信退款一笔未到账"):
        assert words in text, words

    # the counter shows the closed day and refuses a new visit before anything is taken
    window.activateWindow()
    c.qtbot.waitUntil(window.isActiveWindow)
    assert window.closed_banner.isVisible() and "已日结" in window.closed_banner.text()
    assert not window.queue.walk_in_button.isEnabled()
    with demo_ws.db.reader() as s:
        visits_before = s.scalar(select(func.count(Visit.id)))
    c.qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    c.settle()
    assert window.visit_id is None and "已日结" in window.message.text()
    c.qtbot.keyClick(window, Qt.Key.Key_F2)  # reading a card would open a visit: refused too
    c.settle()
    assert window.visit_id is None
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(Visit.id))) == visits_before
    with pytest.raises(RuleViolation) as refused:  # the service refuses on its own as well
        window.services.intake.open_visit(window.session)
    assert refused.value.codes == ["dayclose.closed"]

    # a closed day opens read-only; Ctrl+P prints the day-close slip again as a 补打
    screen.activateWindow()
    c.qtbot.waitUntil(screen.isActiveWindow)
    c.qtbot.keyClick(screen, Qt.Key.Key_D, CTRL)
    c.settle()
    again = [d for d in screen.findChildren(type(dialog)) if d.isVisible() and d is not dialog][-1]
    assert again.counted.isReadOnly() and again.counted.text() == "49.50"
    assert again.terminals["wechat"].isReadOnly() and again.terminals["wechat"].text() == "99.00"
    assert not again.ok_button.isEnabled()
    again.activateWindow()
    again.counted.setFocus()
    c.key(Qt.Key.Key_P, CTRL)
    assert "已补打日结单" in again.message.text()
    assert len([f for f in printed_files(print_folder) if f.startswith("day_close")]) == 2
    again.reject()

    # the export carries the close: counted cash, difference, reason, terminals
    out = screen.export_to("xlsx", print_folder.parent / "day.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(out.path.read_bytes()))
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("日结"))
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    assert "49.5" in flat and "-0.5" in flat and "微信退款一笔未到账" in flat
    assert "微信" in flat and "99.00" in flat
    pdf = screen.export_to("pdf", print_folder.parent / "day.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf.path).pages).replace("\n", "")
    assert "日结" in text and "49.50" in text and "微信退款一笔未到账" in text


# ------------------------------------------- 4. another person's card in a visit with items


def test_another_persons_card_mid_visit_asks_before_replacing_the_customer(
    counter, window, demo_ws
):
    from sqlalchemy import func, select

    from frontdesk.store.models import AuditEntry, IdVerification, Visit

    from .test_visits import iccid, pick, verify_with_reader

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    pick(c, "bk", "REPLACE_SIM")
    c.type(iccid("8986011234567890127"))
    c.enter()  # 补换卡原因 pre-filled 丢失: onto the slip
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # ¥10.00 taken in cash
    assert window.view.paid_fen == 1_000 and len(window.view.items) == 1

    c.place_card("long_term")  # the next customer's card lands on the reader
    c.key(Qt.Key.Key_F2)
    box = c.dialog("ReplaceCustomerDialog")
    assert box is not None, window.verification.message.text()
    assert "张三" in box.text() and "刘建国" in box.text()
    assert "1 项业务" in box.text() and "¥10.00" in box.text()
    assert c.focus.objectName() == "keepCustomerButton"  # a stray Enter keeps the customer
    c.key(Qt.Key.Key_Escape)
    assert c.dialog("ReplaceCustomerDialog") is None
    assert window.view.customer_name == "张三" and len(window.view.items) == 1
    with demo_ws.db.reader() as s:  # nothing of the other card was recorded
        assert s.scalar(select(func.count(IdVerification.id))) == 1

    c.place_card("long_term")
    c.key(Qt.Key.Key_F2)
    assert c.dialog("ReplaceCustomerDialog") is not None
    assert c.focus.objectName() == "keepCustomerButton"
    c.key(Qt.Key.Key_Y)  # the clerk confirms the change (the button animates its click)
    c.qtbot.waitUntil(lambda: c.dialog("ReplaceCustomerDialog") is None)
    c.settle()
    assert window.view.customer_name == "刘建国"
    assert not window.view.items
    assert window.view.paid_fen == 1_000  # the money is still listed for the clerk
    assert "已更换客户" in window.verification.message.text()
    with demo_ws.db.reader() as s:
        visit = s.scalar(select(Visit).where(Visit.id == window.visit_id))
        assert visit.draft["items"] == []
        assert "visit.customer_replaced" in list(s.scalars(select(AuditEntry.action)))
    # the same person's card again is no replacement: no question asked
    c.place_card("long_term")
    c.key(Qt.Key.Key_F2)
    assert c.dialog("ReplaceCustomerDialog") is None
    assert window.view.customer_name == "刘建国"


# ---------------------------- 5. sign-out warning, suspended count, the resume list


def test_sign_out_with_money_taken_warns_and_the_next_clerk_sees_it_waiting(qtbot, services):

    from frontdesk.store.models import Visit

    from .conftest import Clerk
    from .test_app import sign_in, start

    app = start(qtbot, services)
    sign_in(qtbot, app, "clerk01", "Counter2026")
    qtbot.waitUntil(lambda: app.window is not None)
    window = app.window  # deleted by the sign-out below
    c = Clerk(qtbot, window)
    c.key(Qt.Key.Key_N, CTRL)
    top_up(c, window, "13800138000", "50")  # ¥50.00 taken in cash, not yet settled
    visit = window.visit_id
    c.key(Qt.Key.Key_Q, CTRL)
    box = c.dialog("SignOutWarning")
    assert box is not None and "已收款 ¥50.00" in box.text() and "1 项业务" in box.text()
    assert c.focus.objectName() == "backToVisit"  # a stray Enter keeps the clerk signed in
    c.key(Qt.Key.Key_Escape)
    assert app.window is window and window.visit_id == visit
    assert "已取消签退" in window.message.text()
    c.key(Qt.Key.Key_Q, CTRL)
    assert c.dialog("SignOutWarning") is not None
    c.key(Qt.Key.Key_S)
    qtbot.waitUntil(lambda: app.window is None)
    with services.ws.db.reader() as s:
        assert s.get(Visit, visit).status == "suspended"

    # the next clerk sees a suspended visit waiting, and their own come first
    sign_in(qtbot, app, "manager01", "Manager2026")
    qtbot.waitUntil(lambda: app.window is not None)
    window = app.window
    qtbot.addWidget(window)
    c = Clerk(qtbot, window)
    assert window.suspended_count.text() == "挂起待恢复：1（Shift+F11）"
    c.key(Qt.Key.Key_N, CTRL)
    top_up(c, window, "13600136000", "20")
    own = window.visit_id
    c.key(Qt.Key.Key_F11)
    assert window.suspended_count.text() == "挂起待恢复：2（Shift+F11）"
    c.key(Qt.Key.Key_F11, SHIFT)
    dialog = c.dialog("ResumeDialog")
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "（本人）" in rows[0] and "¥20.00" in rows[0]
    assert "王小丽" in rows[1] and "话费" in rows[1] and "已收 ¥50.00" in rows[1]
    c.enter()  # the selected (own) visit
    assert window.visit_id == own
    assert window.suspended_count.text() == "挂起待恢复：1（Shift+F11）"


# ------------------------------------ 7. one tier, one handling target: counter = report


def test_the_report_judges_a_visit_by_the_tier_and_minutes_the_counter_showed(
    counter, window, demo_ws, clock
):
    from .test_visits import iccid, pick, verify_with_reader

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)  # 金卡, but a line is in arrears
    # issue 19: the held tier is shown with why it is frozen; the counter serves as 普通
    assert "金卡（已冻结：13900139000 欠费 ¥128.00，缴清后恢复；现按普通客户服务）" in (
        window.customer.text()
    )
    pick(c, "bk", "REPLACE_SIM")
    c.type(iccid("8986011234567890127"))
    c.enter()  # 补换卡原因 pre-filled 丢失: onto the slip
    assert window.queue.handling.text().endswith("/ 08:00")  # the catalogue's 8 minutes
    clock.advance(minutes=9)
    window.queue.update_clocks()
    assert window.queue.handling.property("sla") == "over"
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # cash
    c.key(Qt.Key.Key_F10)
    c.enter()
    summary = ReportService(demo_ws).summary(None, dt.date(2026, 11, 21))
    assert summary.vip_visits == 0 and summary.tiers == ()  # reported as the counter showed
    assert summary.handling.count == 1 and summary.handling.within == 0  # 9 min > 8 min


# ------------------------------------------------------- failures a clerk can run into


def test_a_print_that_fails_is_kept_for_the_history_and_an_archive_that_fails_is_said(
    counter, window, demo_ws, tmp_path
):
    import shutil

    c = counter
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the print folder should be")
    window.services.prefs.print_folder = str(blocked / "printed")
    settled = settle_top_up(c, window)
    done = c.dialog("SettledDialog")
    c.key(Qt.Key.Key_P)
    assert "未打印" in done.message.text() and "接待记录（F9）" in done.message.text()
    refs = window.services.documents.documents_of_slip(settled.slip_id)
    assert all(r.last_print_error for r in refs)
    c.enter()

    # the history offers the retry: nothing to choose on an empty day is said politely
    c.key(Qt.Key.Key_F9)
    history = c.dialog("VisitHistoryDialog")
    c.enter()
    assert "未打印 2" in history.slips.item(0, 7).text()
    c.enter()
    assert "打印失败" in history.documents.item(0).text()
    history.search.setFocus()
    c.type("2026-11-20")
    c.enter()
    c.key(Qt.Key.Key_P, CTRL)
    assert "请先选择一份单据" in history.message.text()
    c.key(Qt.Key.Key_P, CTRL | SHIFT)
    assert "请先选择一张受理单" in history.message.text()
    c.key(Qt.Key.Key_Escape)

    # the archive can't be written (disk or folder trouble): the slip is settled all the
    # same and the settled dialog says what happened
    archive = demo_ws.archive_dir
    shutil.rmtree(archive, ignore_errors=True)
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_text("not a folder")
    try:
        second = settle_top_up(c, window, "13600136000", "20")
        done = c.dialog("SettledDialog")
        assert "存档" in done.message.text()
        assert window.services.documents.documents_of_slip(second.slip_id) == []
        c.enter()
        # the day is closed all the same; the 日结单 that can't be archived is said
        screen = open_reports(c)
        c.qtbot.waitUntil(screen.isActiveWindow)
        c.qtbot.keyClick(screen, Qt.Key.Key_D, CTRL)
        c.settle()
        dialog = c.dialog("DayCloseDialog")
        dialog.counted.setFocus()
        c.type("70")  # cash only today: no terminal to reconcile
        c.key(Qt.Key.Key_Tab)
        assert c.focus is dialog.reason
        c.key(Qt.Key.Key_Tab)
        c.type("manager01")
        c.key(Qt.Key.Key_Tab)
        c.type("Manager2026")
        c.enter()
        assert c.dialog("DayCloseDialog") is None
        assert "存档" in screen.message.text()
        assert window.closed_banner.isVisible()
    finally:
        archive.unlink()
