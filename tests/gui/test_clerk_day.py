"""Issue 14: a clerk's whole day at the real counter window, keyboard first.

Each test reproduces one thing a clerk did on a real counter that produced a wrong
record or lost a document, and checks what the database, the archive and the window
hold afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from frontdesk.core.clock import FixedClock
from frontdesk.gui.qt import Qt
from frontdesk.reporting import ReportService

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
UTC = dt.UTC

# 14:05 in Beijing, held as the system clock gives it: in UTC
BEIJING_1405 = dt.datetime(2026, 11, 21, 6, 5, tzinfo=UTC)


pytestmark = pytest.mark.usefixtures("close_windows_after")


@pytest.fixture(params=["UTC", "Asia/Shanghai"])
def pc_zone(request):
    """The PC's own zone setting (the TZ environment), which must change nothing."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def top_up(c, window, number: str = "13800138000", amount: str = "50") -> None:
    c.key(Qt.Key.Key_F7)
    c.type("TOP_UP")
    c.enter()
    window.business.form.inputs["service_number"].setEditText(number)
    c.enter()
    c.type(amount)
    c.enter()
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # take the amount due in cash


# ---------------------------------------------------------------- 1. typed ticket time


def test_typed_ticket_time_is_branch_time_whatever_the_pc_zone(
    pc_zone, counter, window, demo_ws, clock: FixedClock
):
    clock.set(BEIJING_1405)
    c = counter
    c.key(Qt.Key.Key_F1)  # no queue service: the clerk types the ticket
    assert c.focus is window.queue.ticket_no
    assert window.queue.issued.text() == "14:05"  # the branch clock, not 06:05 UTC
    c.type("A023")
    c.key(Qt.Key.Key_Tab)
    c.key(Qt.Key.Key_Tab)
    assert c.focus is window.queue.issued
    c.key(Qt.Key.Key_Home)
    c.type("1355")
    c.enter()
    assert window.visit_id is not None
    assert window.queue.waiting.text().startswith("等候 10:00")
    top_up(c, window)
    c.key(Qt.Key.Key_F10)
    assert window.last_settled is not None
    c.enter()  # close the settled dialog
    summary = ReportService(demo_ws).summary(None, dt.date(2026, 11, 21))
    assert summary.waiting.count == 1
    assert summary.waiting.worst_seconds == 10 * 60
    assert summary.waiting.within == 1  # within the 15-minute standard
    assert summary.hourly[13] == 1  # arrived in the 13:00 hour, Beijing time


def test_the_branch_zone_is_a_config_key_checked_against_the_iana_database():
    from frontdesk.config import ConfigError, parse_config
    from frontdesk.core.clock import business_tz, set_business_zone, wall_clock_to_utc

    base = {"workstation": {"branch_code": "XJ0101", "workstation_code": "W01"}}
    assert parse_config(base).workstation.time_zone == "Asia/Shanghai"
    with pytest.raises(ConfigError, match=r"workstation\.time_zone: .*IANA time zone"):
        parse_config({"workstation": {**base["workstation"], "time_zone": "Beijing"}})
    urumqi = parse_config({"workstation": {**base["workstation"], "time_zone": "Asia/Urumqi"}})
    try:
        set_business_zone(urumqi.workstation.time_zone)
        assert business_tz().key == "Asia/Urumqi"
        # 12:05 on an Urumqi wall clock is 06:05 UTC; a ticket typed 11:55 is 05:55 UTC
        assert wall_clock_to_utc(BEIJING_1405, 11, 55) == dt.datetime(
            2026, 11, 21, 5, 55, tzinfo=UTC
        )
        # a time later than now on the wall clock was yesterday's
        assert wall_clock_to_utc(BEIJING_1405, 23, 0).date() == dt.date(2026, 11, 20)
    finally:
        set_business_zone("Asia/Shanghai")


# ------------------------------------------------ 2. every document archived; 接待记录


def settle_top_up(c, window, number="13800138000", amount="50"):
    c.key(Qt.Key.Key_N, CTRL)
    top_up(c, window, number, amount)
    c.key(Qt.Key.Key_F10)
    settled = window.last_settled
    assert settled is not None
    return settled


def printed_files(folder):
    return sorted(p.name for p in folder.glob("*.pdf")) if folder.exists() else []


def test_a_slip_closed_without_printing_is_archived_and_printed_from_the_history(
    counter, window, demo_ws, print_folder
):
    c = counter
    settled = settle_top_up(c, window)
    done = c.dialog("SettledDialog")
    assert c.focus is done.done_button
    c.enter()  # the default button: closes without printing
    refs = window.services.documents.documents_of_slip(settled.slip_id)
    assert sorted(r.kind for r in refs) == ["receipt", "slip"]  # archived all the same
    assert all(r.path.exists() and r.print_count == 0 for r in refs)
    assert printed_files(print_folder) == []

    c.key(Qt.Key.Key_F9)
    history = c.dialog("VisitHistoryDialog")
    assert history is not None and c.focus is history.search
    c.enter()  # empty: today's visits
    assert [r.slip_no for r in history.rows] == [settled.slip_no]
    assert c.focus is history.slips
    assert "未打印 2" in history.slips.item(0, 7).text()
    c.enter()  # onto the documents
    assert c.focus is history.documents
    assert "未打印" in history.documents.item(0).text()
    first = history.refs[0]
    c.enter()  # print the selected document
    assert f"已打印 {first.kind_name} {first.number}" in history.message.text()
    assert window.services.documents.document(first.document_id).print_count == 1
    from frontdesk.gui.qt import QApplication, QTimer

    previews = []

    def close_preview():
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and w.windowTitle().startswith("打印预览"):
                previews.append(w.windowTitle())
                w.reject()
                return
        QTimer.singleShot(50, close_preview)

    QTimer.singleShot(50, close_preview)
    c.key(Qt.Key.Key_E, CTRL)  # a preview on request; closed without printing
    assert previews and first.number in previews[0]
    assert window.services.documents.document(first.document_id).print_count == 1
    c.key(Qt.Key.Key_P, CTRL)  # again: a 补打 copy, audited
    assert "已补打" in history.message.text()
    assert "补打 1 次" in history.documents.item(0).text()
    files = printed_files(print_folder)
    assert len(files) == 2 and any("-r1" in f for f in files)
    from sqlalchemy import select

    from frontdesk.store.models import AuditEntry

    with demo_ws.db.reader() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert actions.count("document.printed") == 2 and "document.reprinted" in actions

    # the search box: by phone, by slip number, by date; a bad query names the field
    for query in ("13800138000", settled.slip_no[-6:], "2026-11-21"):
        history.search.setFocus()
        c.key(Qt.Key.Key_A, CTRL)
        c.type(query)
        c.enter()
        assert [r.slip_no for r in history.rows] == [settled.slip_no], query
    for query, words in (("13900000000", "没有找到"), ("2026-11-20", "没有找到")):
        history.search.setFocus()
        c.key(Qt.Key.Key_A, CTRL)
        c.type(query)
        c.enter()
        assert words in history.message.text()
    for query, words in (("a?", "无法识别"), ("2027-01-01", "还未到"), ("2026-13-01", "无法识别")):
        history.search.setFocus()
        c.key(Qt.Key.Key_A, CTRL)
        c.type(query)
        c.enter()
        assert "受理单号 / 手机号 / 日期" in history.message.text() and words in (
            history.message.text()
        ), query
    c.key(Qt.Key.Key_Escape)
    assert c.dialog("VisitHistoryDialog") is None


# ------------------------------------------- 8, 9. print all, page sizes, 补打, keyboard


def test_print_all_in_one_key_on_each_layouts_page_then_a_second_p_is_a_reprint(
    counter, window, print_folder
):
    import io

    import pypdf

    c = counter
    settled = settle_top_up(c, window)
    done = c.dialog("SettledDialog")
    # every print control is reachable with Tab from where the focus lands
    reached = set()
    for _ in range(4):
        c.key(Qt.Key.Key_Tab)
        reached.add(c.focus.objectName())
    assert {"printButton", "previewButton", "doneButton"} <= reached
    c.key(Qt.Key.Key_P)  # print all, no preview
    assert "已打印" in done.message.text() and "未打印" not in done.message.text()
    files = printed_files(print_folder)
    assert len(files) == 2
    sizes = {
        name.split("-")[0]: pypdf.PdfReader(io.BytesIO((print_folder / name).read_bytes()))
        .pages[0]
        .mediabox
        for name in files
    }
    mm = 72 / 25.4
    assert abs(float(sizes["receipt"].width) - 80 * mm) < 1.5  # the 80 mm roll, not Letter
    assert abs(float(sizes["slip"].width) - 210 * mm) < 1.5  # A4
    assert abs(float(sizes["slip"].height) - 297 * mm) < 1.5
    assert "已打印 1 次" in done.documents.text()
    c.key(Qt.Key.Key_P)  # a second print is a 补打, and says so
    assert "已补打" in done.message.text()
    assert len(printed_files(print_folder)) == 4
    copies = [
        r for r in window.services.documents.documents_of_slip(settled.slip_id) if r.is_reprint
    ]
    assert len(copies) == 2
    text = "".join(page.extract_text() for page in pypdf.PdfReader(copies[0].path).pages)
    assert "补打" in text
    c.enter()
    assert c.dialog("SettledDialog") is None


def test_p_on_the_settle_button_settles_and_prints_every_document_in_one_key(
    counter, window, print_folder
):
    """Issue 19 #12: once the amount is taken, P on 结算 settles and prints it all."""
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    top_up(c, window)
    assert c.focus is window.slip.settle_button
    assert printed_files(print_folder) == []
    c.key(Qt.Key.Key_P)
    settled = window.last_settled
    done = c.dialog("SettledDialog")
    assert settled is not None and done is not None
    assert "已打印" in done.message.text() and "未打印" not in done.documents.text()
    assert len(printed_files(print_folder)) == 2  # slip and receipt
    refs = window.services.documents.documents_of_slip(settled.slip_id)
    assert refs and all(r.print_count == 1 for r in refs)
    c.enter()
    assert c.dialog("SettledDialog") is None


def test_p_on_settle_prints_nothing_until_the_fraud_notice_is_signed(counter, window, print_folder):
    """P on 结算 of a 过户 asks for the 涉诈风险告知书 first: refused, nothing is settled or
    printed; signed, the slip settles and every document prints."""
    from .test_real_name_window import set_party, transfer_form
    from .test_visits import verify_with_reader

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "long_term", face=True)
    set_party(window, "new_owner")
    verify_with_reader(c, "zhang_san", face=True)
    transfer_form(c, window)
    assert c.focus is window.slip.settle_button
    c.key(Qt.Key.Key_P)
    assert c.dialog("FraudNoticeDialog") is not None
    c.key(Qt.Key.Key_Escape)  # the customer will not sign
    assert window.last_settled is None and c.dialog("SettledDialog") is None
    assert printed_files(print_folder) == []
    window.slip.settle_button.setFocus()
    c.key(Qt.Key.Key_P)
    assert c.focus.objectName() == "paperSigned"
    c.enter()  # signed on paper → settled and printed
    settled = window.last_settled
    assert settled is not None and c.dialog("SettledDialog") is not None
    refs = window.services.documents.documents_of_slip(settled.slip_id)
    assert refs and all(r.print_count == 1 for r in refs)
    assert len(printed_files(print_folder)) == len(refs)


def test_preview_on_request_from_the_settled_dialog(counter, window, print_folder, qtbot):
    from frontdesk.gui.qt import QApplication, QTimer

    c = counter
    settle_top_up(c, window)
    done = c.dialog("SettledDialog")
    seen = []

    def close_previews():
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and w.windowTitle().startswith("打印预览"):
                seen.append(w.windowTitle())
                w.reject()
        if len(seen) < 2:
            QTimer.singleShot(50, close_previews)

    QTimer.singleShot(50, close_previews)
    c.key(Qt.Key.Key_V)
    assert len(seen) == 2  # one preview per document; closed without printing
    assert printed_files(print_folder) == []
    assert "未打印" in done.documents.text()


def test_a_receipt_on_a_sheet_a_driver_kept_at_letter_is_not_enlarged(
    qtbot, demo_ws, clerk, tmp_path
):
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    from frontdesk.gui.printing import paint_pdf, pdf_page_images
    from frontdesk.gui.qt import QSize
    from frontdesk.services.documents import DocumentService
    from frontdesk.services.intake import IntakeService

    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "50"}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "cash", 5_000)
    settled = intake.settle(clerk, visit)
    docs = DocumentService(demo_ws)
    (receipt,) = [
        r
        for r in docs.archive_settlement(settled.slip_id, receipt_variants=("thermal80",))
        if r.kind == "receipt"
    ]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "letter.pdf"))
    printer.setResolution(150)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setFullPage(True)
    paint_pdf(docs.read_pdf(receipt.document_id), printer)
    (page,) = pdf_page_images((tmp_path / "letter.pdf").read_bytes(), 72)
    assert page.size() == QSize(612, 792)  # the Letter sheet
    dark = [
        x
        for x in range(page.width())
        for y in range(0, page.height(), 4)
        if page.pixelColor(x, y).lightness() < 128
    ]
    assert max(dark) - min(dark) < 80 * 72 / 25.4 + 2  # drawn 80 mm wide, not 8.5 inches
