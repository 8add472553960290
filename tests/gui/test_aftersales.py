"""The after-sales window (售后三包查询), offscreen, on real services and a real database.

A handset is sold through the services (as the counter window would settle it), then
the window is opened from the counter with Ctrl+W and driven with the keyboard: a
scanner types the IMEI and Enter, F-keys start the 三包 actions, the manager types
their password into the approval dialog. Time moves with the ``clock`` fixture. Every
test asserts what the database holds afterwards. Printing goes to a PDF file through
the real ``DocumentPrinter`` path: only Qt's print dialog is replaced, by one that
chooses "print to file" (no real printer is ever touched).
"""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import func, select

from frontdesk.core.clock import BUSINESS_TZ, business_date
from frontdesk.gui.aftersales import AfterSalesWindow
from frontdesk.gui.i18n import compile_translations, set_language
from frontdesk.gui.qt import QApplication, QDialog, Qt
from frontdesk.gui.settled_dialog import offer_print
from frontdesk.services.intake import IntakeService, SettledSlip
from frontdesk.services.warranty import unreturned_card
from frontdesk.store.models import (
    ArchivedDocument,
    AuditEntry,
    Receipt,
    Slip,
    WarrantyCard,
    WarrantyEvent,
)
from tests.services.helpers import verify_person
from tests.services.test_warranty import IMEI_A, IMEI_B, sale_fields

from .conftest import Clerk

CTRL = Qt.KeyboardModifier.ControlModifier
CARD_NO = "BJ0101-W01-20261121-W000001"


def sell(ws, clerk, serial: str = IMEI_A) -> SettledSlip:
    """A handset sale with its warranty card, settled the way the counter settles it."""
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", face=False, scan=False)
    today = business_date(ws.clock.now()).isoformat()
    fields = sale_fields(serial, sale_date=today, contact_phone="13800138000")
    intake.add_business(clerk, visit, "HANDSET_SALE", fields)
    intake.add_payment(clerk, visit, "bank_card", intake.view(visit).due_fen, reference="POS1")
    return intake.settle(clerk, visit)


@pytest.fixture
def printed(monkeypatch, tmp_path) -> list:
    """Qt's print dialog replaced by one that prints to a PDF file and says OK."""
    files: list = []

    class PrintToFileDialog:
        def __init__(self, printer: QPrinter, parent=None) -> None:
            self._printer = printer

        def setWindowTitle(self, title: str) -> None:
            self.title = title

        def exec(self) -> QDialog.DialogCode:
            path = tmp_path / f"printed-{len(files) + 1}.pdf"
            self._printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self._printer.setOutputFileName(str(path))
            self._printer.setResolution(150)
            files.append(path)
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr("frontdesk.gui.printing.QPrintDialog", PrintToFileDialog)
    return files


def open_window(counter: Clerk) -> tuple[Clerk, AfterSalesWindow]:
    """Ctrl+W on the counter window: the after-sales window opens, the search box focused."""
    counter.key(Qt.Key.Key_W, CTRL)
    # the counter window's own child: an earlier test's window may still await deletion
    window = counter.window.findChild(AfterSalesWindow, "AfterSalesWindow")
    assert window is not None and window.isVisible()
    counter.qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search)
    return Clerk(counter.qtbot, window), window


def search(c: Clerk, window: AfterSalesWindow, key: str) -> None:
    """What a scanner does: select what is there, type the code, Enter."""
    window.focus_search()
    c.qtbot.keyClicks(window.search, key)
    c.enter()


def table_row(window: AfterSalesWindow, row: int = 0) -> list[str]:
    model = window.cards
    return [model.data(model.index(row, col)) for col in range(model.columnCount())]


def parts(window: AfterSalesWindow) -> dict[str, list[str]]:
    model = window.parts
    rows = [[model.data(model.index(r, c)) for c in range(4)] for r in range(model.rowCount())]
    return {row[0]: row[1:] for row in rows}


def approve(c: Clerk) -> None:
    """The duty manager types username and password; the reason is already filled in."""
    assert c.dialog("ManagerAuthDialog") is not None
    c.qtbot.waitUntil(lambda: c.focus is not None and c.focus.objectName() == "managerUsername")
    c.type("manager01")
    c.enter()
    c.type("Manager2026")
    c.enter()
    c.qtbot.waitUntil(lambda: c.dialog("ManagerAuthDialog") is None)
    c.settle()


def events(ws) -> list[tuple[str, dt.date, dict]]:
    with ws.db.reader() as s:
        rows = s.scalars(select(WarrantyEvent).order_by(WarrantyEvent.created_at)).all()
        return [(r.event, r.occurred_on, dict(r.detail)) for r in rows]


def test_lookup_by_imei_phone_slip_and_card_no(counter, window, demo_ws, clerk):
    settled = sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    assert window.verification.read_card is not None  # the counter keeps its own F-keys
    for key in (IMEI_A, "138 0013 8000", settled.slip_no, CARD_NO.lower()):
        search(c, aftersales, key)
        assert aftersales.cards.rowCount() == 1, key
        card_no, device, serial, sold, customer, status = table_row(aftersales)
        assert (card_no, device, serial, sold) == (CARD_NO, "华为 Mate 70", IMEI_A, "2026-11-21")
        assert customer == "张* 138****8000"  # masked: after-sales never sees the full name
        assert "可退货" in status and "在保" in status
        assert c.focus is aftersales.search  # the next scan goes straight in
    assert settled.slip_no in aftersales.facts["card"].text()
    assert "¥5,999.00" in aftersales.facts["sale"].text()
    search(c, aftersales, "000000000000000")
    assert aftersales.cards.rowCount() == 0
    assert "没有找到" in aftersales.message.text()
    assert aftersales.facts["card"].text() == "—"
    # F2 here starts 送修 (no card selected: says so), it does not read an ID card
    c.key(Qt.Key.Key_F2)
    assert "请先查询" in aftersales.message.text()
    assert window.verification.message.text() == ""
    with demo_ws.db.reader() as s:
        lookups = s.scalars(select(AuditEntry).where(AuditEntry.action == "warranty.lookup"))
        hits = [entry.detail["hits"] for entry in lookups]
        assert hits == [1, 1, 1, 1, 0]
        assert s.scalar(select(func.count(WarrantyEvent.id))) == 0
    c.key(Qt.Key.Key_Escape)
    assert not aftersales.isVisible()


def test_status_on_day_3_day_10_and_after_six_months(counter, demo_ws, clerk, clock):
    sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    clock.advance(days=3)
    search(c, aftersales, IMEI_A)
    facts = aftersales.facts
    assert "第 3 天" in facts["sale"].text()
    assert facts["return_window"].text() == "可办理"
    assert facts["exchange_window"].text() == "可办理"  # days 0–7: return, exchange or repair
    assert aftersales.action_buttons["return"].isEnabled()
    assert aftersales.action_buttons["exchange"].isEnabled()
    assert parts(aftersales)["电池"] == ["6 个月", "2027-05-21", "在保"]

    clock.advance(days=7)  # day 10: exchange, no longer return
    search(c, aftersales, IMEI_A)
    assert facts["return_window"].text().startswith("不可办理")
    assert facts["exchange_window"].text() == "可办理"
    assert "可换货" in table_row(aftersales)[5]
    c.key(Qt.Key.Key_F6)  # 退货 asked for anyway: the window says why, nobody is bothered
    assert "已超过 7 天退货期" in aftersales.message.text()
    assert not aftersales.action_form.isVisible() and c.dialog("ManagerAuthDialog") is None

    clock.set(dt.datetime(2027, 6, 1, 10, 0, tzinfo=BUSINESS_TZ))
    search(c, aftersales, IMEI_A)
    shown = parts(aftersales)
    assert shown["电池"] == ["6 个月", "2027-05-21", "已过保"]
    assert shown["主机"] == ["12 个月", "2027-11-21", "在保"]
    assert "部分在保" in table_row(aftersales)[5]
    assert facts["exchange_window"].text().startswith("不可办理")
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(WarrantyEvent.id))) == 0  # looking changes nothing


def test_repair_and_loan_phone_through_the_keyboard(counter, demo_ws, clerk, clock):
    sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    clock.set(dt.datetime(2027, 3, 1, 10, 0, tzinfo=BUSINESS_TZ))
    search(c, aftersales, IMEI_A)
    c.key(Qt.Key.Key_F2)  # 送修
    assert aftersales.action_form.isVisible() and c.focus.objectName() == "action_fault"
    c.enter()  # nothing typed: asked for, nothing recorded
    assert "故障现象" in aftersales.action_form.message.text()
    c.type("无法开机")
    c.enter()
    assert not aftersales.action_form.isVisible()
    assert "已登记送修" in aftersales.message.text()
    assert aftersales.facts["repair"].text().startswith("维修中：2027-03-01")
    assert not aftersales.action_buttons["repair_in"].isEnabled()
    c.key(Qt.Key.Key_F4)  # 借出备机: the loan phone's IMEI is scanned
    c.type(IMEI_B)
    c.enter()
    assert f"已借出备机 {IMEI_B}" in aftersales.facts["loan"].text()
    c.key(Qt.Key.Key_F2)  # already in repair: the window says so
    assert "已在维修中" in aftersales.message.text()

    clock.set(dt.datetime(2027, 3, 21, 15, 0, tzinfo=BUSINESS_TZ))
    search(c, aftersales, IMEI_A)
    c.key(Qt.Key.Key_F3)  # 取机: fixed? (Enter keeps 已修复), cause, handling, technician
    assert c.focus.objectName() == "action_fixed"
    c.enter()
    assert c.focus.objectName() == "action_cause"
    c.type("主板进水")
    c.enter()
    c.type("更换主板")
    c.enter()
    c.type("刘师傅")
    c.enter()
    c.key(Qt.Key.Key_F5)  # 归还备机: one Enter confirms
    assert c.focus.objectName() == "actionConfirm"
    c.enter()
    assert aftersales.facts["loan"].text() == "无借出"
    assert "不在维修中；累计维修 20 天" in aftersales.facts["repair"].text()
    assert parts(aftersales)["主机"][1] == "2027-12-11（含维修 20 天）"
    history = [aftersales.history.item(i).text() for i in range(aftersales.history.count())]
    assert history == [
        "2027-03-01  送修：无法开机",
        f"2027-03-01  借出备机：{IMEI_B}",
        "2027-03-21  取机：已修复；主板进水；更换主板；刘师傅",
        "2027-03-21  归还备机",
    ]
    # Esc backs out of an open action first, then closes the window
    c.key(Qt.Key.Key_F2)
    c.key(Qt.Key.Key_Escape)
    assert not aftersales.action_form.isVisible() and aftersales.isVisible()
    assert events(demo_ws) == [
        ("repair_in", dt.date(2027, 3, 1), {"fault": "无法开机"}),
        ("loan_out", dt.date(2027, 3, 1), {"loan_serial": IMEI_B}),
        (
            "repair_out",
            dt.date(2027, 3, 21),
            {"fixed": True, "cause": "主板进水", "handling": "更换主板", "technician": "刘师傅"},
        ),
        ("loan_back", dt.date(2027, 3, 21), {}),
    ]


def test_return_with_manager_approval_refunds_and_frees_the_serial(
    counter, demo_ws, clerk, clock, printed
):
    sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    clock.advance(days=3)
    search(c, aftersales, IMEI_A)
    c.key(Qt.Key.Key_F6)  # 退货
    assert c.focus.objectName() == "action_method"
    c.key(Qt.Key.Key_Down)  # 银行卡, as the customer paid
    c.enter()
    c.type("POS-R-0001")
    c.enter()
    approve(c)
    refund_no = aftersales.last_refund_slip_no
    assert refund_no and refund_no in aftersales.message.text()
    assert "已可重新销售" in aftersales.message.text()
    # the refund's slip and receipt went to the printer at once: the customer's proof
    assert "已打印退款受理单和收据" in aftersales.message.text()
    assert len(printed) == 2 and all(f.stat().st_size > 0 for f in printed)
    with demo_ws.db.reader() as s:
        refund_id = s.scalar(select(Slip.id).where(Slip.slip_no == refund_no))
        docs = s.execute(
            select(
                ArchivedDocument.kind, ArchivedDocument.print_count, ArchivedDocument.relative_path
            )
            .where(ArchivedDocument.object_id.in_(select_refund_documents(refund_id)))
            .order_by(ArchivedDocument.kind.desc())
        ).all()
    assert [(kind, count) for kind, count, _ in docs] == [("slip", 1), ("receipt", 1)]
    archive = counter.window.services.documents.archive_dir
    texts = [
        "".join(p.extract_text() for p in pypdf.PdfReader(archive / path).pages)
        for _, _, path in docs
    ]
    assert refund_no in texts[0] and "退款" in texts[1]
    assert "5,999.00" in texts[1] and "伍仟玖佰玖拾玖元整" in texts[1]
    assert table_row(aftersales)[5] == "已退货"
    assert not aftersales.action_buttons["repair_in"].isEnabled()
    assert not aftersales.action_buttons["reprint"].isEnabled()
    with demo_ws.db.reader() as s:
        [(event, on, detail)] = events(demo_ws)
        assert (event, on) == ("returned", dt.date(2026, 11, 24))
        assert detail == {"refund_slip_no": refund_no, "reason": "七日内退货"}
        refund = s.scalar(select(Slip).where(Slip.slip_no == refund_no))
        assert refund.kind == "refund" and refund.total_fen == -599_900
        assert unreturned_card(s, IMEI_A) is None  # the serial is free again
        approvals = s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.approved"))
        assert [a.detail["action"] for a in approvals] == ["warranty_return"]
    sell(demo_ws, clerk)  # and really sells again
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(WarrantyCard.id))) == 2


def test_exchange_refusal_is_shown_then_a_new_card_is_issued_and_printed(
    counter, demo_ws, clerk, clock, printed
):
    settled = sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    clock.advance(days=10)
    search(c, aftersales, IMEI_A)
    c.key(Qt.Key.Key_F7)  # 换货
    c.type(IMEI_A)  # the old device scanned by mistake
    c.enter()
    approve(c)
    form = aftersales.action_form
    assert form.isVisible() and "不能与原机串号" in form.message.text()
    assert c.focus is form.inputs["new_serial"]  # kept, selected: the next scan replaces it
    c.type(IMEI_B)
    c.enter()
    approve(c)
    new_no = aftersales.last_new_card_no
    assert new_no and new_no in aftersales.message.text()
    assert aftersales.search.text() == settled.slip_no  # old and new card side by side
    assert [table_row(aftersales, r)[5] for r in range(2)] == ["已换货", "可换货、在保"]
    assert aftersales.current.card_no == new_no and aftersales.current.serial == IMEI_B
    assert "已打印保修卡" in aftersales.message.text()
    assert len(printed) == 1 and printed[0].stat().st_size > 0
    with demo_ws.db.reader() as s:
        [(event, _on, detail)] = events(demo_ws)
        assert event == "exchanged" and detail["new_card_no"] == new_no
        assert detail["new_serial"] == IMEI_B
        card = s.scalar(select(WarrantyCard).where(WarrantyCard.card_no == new_no))
        assert card.serial == IMEI_B and card.periods["handset"]["from"] == "2026-12-01"
        doc = s.scalar(select(ArchivedDocument).where(ArchivedDocument.number == new_no))
        assert doc.kind == "warranty_card" and doc.variant == "a4" and doc.print_count == 1


def test_exchange_on_day_3_the_customers_choice_within_the_7_days(
    counter, demo_ws, clerk, clock, printed
):
    settled = sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    clock.advance(days=3)
    search(c, aftersales, IMEI_A)
    assert aftersales.facts["exchange_window"].text() == "可办理"
    assert aftersales.facts["return_window"].text() == "可办理"
    c.key(Qt.Key.Key_F7)  # 换货, though a return would be allowed too
    assert c.focus.objectName() == "action_new_serial"
    c.type(IMEI_B)  # the new device's IMEI, scanned
    c.enter()
    reason = c.dialog("ManagerAuthDialog").findChild(type(aftersales.search), "reason")
    assert reason.text() == "七日内性能故障，客户选择换货"  # offered; the manager may change it
    approve(c)
    new_no = aftersales.last_new_card_no
    assert new_no and new_no in aftersales.message.text()
    assert aftersales.search.text() == settled.slip_no
    assert [table_row(aftersales, r)[5] for r in range(2)] == ["已换货", "可退货、在保"]
    assert f"换货新发，原保修卡 {CARD_NO}" in aftersales.facts["card"].text()
    assert len(printed) == 1  # the new card, printed at once
    with demo_ws.db.reader() as s:
        doc_id = s.scalar(select(ArchivedDocument.id).where(ArchivedDocument.number == new_no))
    pdf = counter.window.services.documents.read_pdf(doc_id)  # what went to the printer
    text = "".join(
        "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert f"换下原机串号{IMEI_A}" in text and CARD_NO in text
    with demo_ws.db.reader() as s:
        [(event, on, detail)] = events(demo_ws)
        assert (event, on) == ("exchanged", dt.date(2026, 11, 24))
        assert detail["new_serial"] == IMEI_B and detail["reason"] == "七日内性能故障，客户选择换货"
        card = s.scalar(select(WarrantyCard).where(WarrantyCard.card_no == new_no))
        assert card.periods["handset"] == {
            "months": 12,
            "from": "2026-11-24",
            "until": "2027-11-24",
        }
    # the old card, reprinted (↑ chooses it, Ctrl+P, Enter takes the offered reason)
    c.key(Qt.Key.Key_Up)
    assert aftersales.current.card_no == CARD_NO
    c.key(Qt.Key.Key_P, CTRL)
    c.enter()
    assert "已补打保修卡" in aftersales.message.text() and len(printed) == 2
    with demo_ws.db.reader() as s:
        copy_id = s.scalar(
            select(ArchivedDocument.id).where(
                ArchivedDocument.number == CARD_NO, ArchivedDocument.variant == "a4-r1"
            )
        )
    copy = counter.window.services.documents.read_pdf(copy_id)
    text = "".join(
        "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(copy)).pages).split()
    )
    assert "已换货" in text and new_no in text and IMEI_B in text and "补打" in text


def test_a_voided_sale_shows_its_card_closed(counter, demo_ws, clerk, auth):
    from frontdesk.services.corrections import CorrectionService

    settled = sell(demo_ws, clerk)
    ok = auth.authorise(
        "manager01", "Manager2026", action="void", reason="录错机型", requested_by=clerk
    )
    void = CorrectionService(demo_ws).void(clerk, settled.slip_no, ok)
    c, aftersales = open_window(counter)
    search(c, aftersales, IMEI_A)
    assert table_row(aftersales)[5] == "已作废"
    assert aftersales.facts["return_window"].text() == "销售已作废，保修卡已关闭"
    assert not any(b.isEnabled() for b in aftersales.action_buttons.values())
    history = [aftersales.history.item(i).text() for i in range(aftersales.history.count())]
    assert history == [f"2026-11-21  随销售单作废：冲正受理单 {void.slip_no}"]
    c.key(Qt.Key.Key_F6)  # asked for anyway: why not, and nobody is bothered
    assert "销售已作废" in aftersales.message.text() and c.dialog("ManagerAuthDialog") is None
    sell(demo_ws, clerk)  # the serial is free: it sells again under a new card
    search(c, aftersales, IMEI_A)
    assert [table_row(aftersales, r)[5] for r in range(2)] == ["已作废", "可退货、在保"]


def test_reprint_archives_a_marked_copy_prints_it_and_audits(
    counter, services, demo_ws, clerk, printed
):
    sell(demo_ws, clerk)
    c, aftersales = open_window(counter)
    search(c, aftersales, IMEI_A)
    c.key(Qt.Key.Key_P, CTRL)  # 补打保修卡: the reason is offered, Enter takes it
    assert c.focus.objectName() == "action_reason"
    c.enter()
    assert "已补打保修卡" in aftersales.message.text()
    assert len(printed) == 1  # the copy went to the printer (a PDF file here): one page
    assert len(pypdf.PdfReader(io.BytesIO(printed[0].read_bytes())).pages) == 1
    with demo_ws.db.reader() as s:
        docs = s.scalars(
            select(ArchivedDocument)
            .where(ArchivedDocument.number == CARD_NO)
            .order_by(ArchivedDocument.variant)
        ).all()
        assert [(d.variant, d.print_count) for d in docs] == [("a4", 0), ("a4-r1", 1)]
        copy_id = docs[1].id
        reprinted = s.scalar(select(AuditEntry).where(AuditEntry.action == "document.reprinted"))
        assert reprinted.detail["reason"] == "客户保修卡遗失"
        assert reprinted.detail["variant"] == "a4-r1"
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "document.printed"))
    copy = services.documents.read_pdf(copy_id)  # what was printed is marked 补打
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(copy)).pages)
    assert "补打" in "".join(text.split())


def test_settling_a_handset_sale_offers_its_warranty_card(
    qtbot, window, services, demo_ws, clerk, monkeypatch, tmp_path
):
    from frontdesk.gui.printing import DocumentPrinter

    settled = sell(demo_ws, clerk)
    offered = []

    def print_to_file(self, ref, parent=None):
        printer = self.make_printer(ref)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / f"{ref.kind}.pdf"))
        printer.setResolution(150)
        offered.append(ref.kind)
        return self.print_to(ref, printer)

    monkeypatch.setattr(DocumentPrinter, "preview_and_print", print_to_file)
    message = offer_print(window, services, settled, clerk)
    assert offered == ["slip", "receipt", "warranty_card"]
    assert f"保修卡 {CARD_NO}" in message and message.startswith("已打印")
    with demo_ws.db.reader() as s:
        doc = s.scalar(select(ArchivedDocument).where(ArchivedDocument.kind == "warranty_card"))
        assert doc.number == CARD_NO and doc.print_count == 1


def test_english_window(counter, demo_ws, clerk):
    assert compile_translations()
    sell(demo_ws, clerk)
    set_language("en")
    c, aftersales = open_window(counter)
    assert aftersales.windowTitle() == "After-sales / warranty look-up"
    search(c, aftersales, IMEI_A)
    assert aftersales.cards.headerData(0, Qt.Orientation.Horizontal) == "Card no."
    assert aftersales.facts["return_window"].text() == "Open"
    assert aftersales.facts["exchange_window"].text() == "Open"  # day 0 too
    assert "Battery" in parts(aftersales)
    c.key(Qt.Key.Key_F3)
    assert "no open repair" in aftersales.message.text()


def select_refund_documents(refund_id):
    """The refund slip and its receipt(s): what a refund's print archives."""
    return (
        select(Receipt.id)
        .where(Receipt.slip_id == refund_id)
        .union(select(Slip.id).where(Slip.id == refund_id))
    )
