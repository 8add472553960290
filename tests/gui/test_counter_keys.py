"""Issue 19: fewer keystrokes and no wrong field — the counter window driven by keys."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.serials import luhn_check_digit
from frontdesk.gui.qt import Qt
from frontdesk.store.models import Payment

from .test_visits import CTRL, slip_of, verify_with_reader


def imei(body14: str) -> str:
    return body14 + luhn_check_digit(body14)


def scan(c, code: str) -> None:
    """A barcode scanner (keyboard wedge): the code, then its own Enter."""
    c.type(code)
    c.enter()


# -- item 6: scanner safety -----------------------------------------------------------------


def test_bad_scan_keeps_the_focus_and_a_stray_enter_takes_no_payment(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    c.type("gj")
    c.enter()
    form = window.business.form
    assert form.business.code == "HANDSET_SALE"
    assert c.focus.objectName() == "device_serial"  # scanner first
    good = imei("86012345678901")
    scan(c, good[:-1] + str((int(good[-1]) + 1) % 10))  # a misread: the Luhn check fails
    assert c.focus.objectName() == "device_serial"  # the next scan lands here again
    assert form.notes["device_serial"].isVisible()
    assert form.notes["device_serial"].property("kind") == "error"
    assert form.inputs["device_serial"].selectedText()  # the next scan replaces it
    scan(c, good)
    assert c.focus.objectName() == "card_serial"
    scan(c, "12345")  # not an S/N
    assert c.focus.objectName() == "card_serial"
    scan(c, good)  # price filled from the terminal catalogue (TAC 86012345): skipped
    assert c.focus.objectName() == "invoice_qr"  # issue 14: the invoice's own data comes next
    c.type("01,32,,24112000000012345678,5308.85,20261121,,A1B2")  # its QR code scanned
    c.enter()
    for value in ("Mate60", good, "5999"):  # model, serial, amount (origin filled)
        c.type(value)
        c.enter()
    assert [i.business_code for i in window.view.items] == ["HANDSET_SALE"]
    assert c.focus is window.slip.method and window.slip.method.currentIndex() < 0
    c.enter()  # one more Enter from the scanner or the clerk: nothing is taken
    c.enter()
    assert not window.view.payments and window.view.due_fen == 599_900
    assert c.focus is window.slip.method
    assert "收款方式" in window.slip.message.text()
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(Payment.id))) == 0
    c.key(Qt.Key.Key_F8)  # F8 as well: the method comes first
    assert c.focus is window.slip.method
    window.slip.amount.setFocus()  # even Enter on the amount (a click there) takes nothing
    c.enter()
    assert not window.view.payments and c.focus is window.slip.method
    window.slip.pay_button.click()
    c.settle()
    assert not window.view.payments and "未收款" in window.slip.message.text()
    c.key(Qt.Key.Key_2)  # 2 银行卡
    assert c.focus is window.slip.amount and window.slip.amount.text() == "5999.00"
    c.enter()
    assert c.focus is window.slip.reference
    scan(c, "6222021234567890")
    assert c.focus is window.slip.settle_button
    c.enter()
    _, _, payments = slip_of(demo_ws, window.last_settled.slip_no)
    assert payments == [("bank_card", 599_900, 599_900, 0, "6222021234567890")]


# -- item 5: business picker ------------------------------------------------------------------


def _rows(window):
    results = window.business.results
    return [results.item(i) for i in range(results.count())]


def test_browse_by_category_most_used_first_without_codes(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_F7)
    rows = _rows(window)
    names = [r.text() for r in rows]
    catalogue = demo_ws.catalogue
    every = [b.name_zh for b in catalogue.businesses]
    assert all(n in names for n in every)  # all 30, not 12
    for heading in ("缴费充值", "号码与卡", "套餐与服务", "终端销售"):
        assert heading in names
    assert not any(b.code in n for n in names for b in catalogue.businesses)  # no codes
    assert names.index("缴费充值") < names.index("话费缴纳/充值")
    assert names.index("号码与卡") < names.index("补(换)卡")
    assert names.index("套餐与服务") < names.index("产品订购和变更")
    assert names.index("终端销售") < names.index("购机")
    assert "常用" not in names  # nothing settled here yet
    # browsing by keys: Down skips the headings; Enter opens the chosen business
    assert window.business.results.currentRow() == 1  # the first business, not its heading
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    current = window.business.results.currentItem()
    assert current.data(Qt.ItemDataRole.UserRole)  # a business, never a heading
    # a settled top-up makes 话费缴纳/充值 the first of 常用 after the visit
    c.key(Qt.Key.Key_Escape)
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_F7)
    c.type("cz")
    c.enter()
    window.business.form.inputs["service_number"].setEditText("13600136000")
    c.enter()
    c.type("20")
    c.enter()
    c.key(Qt.Key.Key_1)
    c.enter()
    c.enter()
    assert window.last_settled is not None
    c.key(Qt.Key.Key_Escape)  # the settled dialog
    c.key(Qt.Key.Key_F7)
    names = [r.text() for r in _rows(window)]
    assert names[0] == "常用" and names[1] == "话费缴纳/充值"
    c.key(Qt.Key.Key_Up)  # the heading is never chosen
    assert window.business.results.currentRow() == 1


def test_ambiguous_initials_offer_a_choice(counter, window):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_F7)
    c.type("gh")
    names = [r.text() for r in _rows(window)]
    assert names == ["1  过户", "2  改号/换号"]
    assert window.business.results.currentItem() is None
    assert "2 项业务" in window.business.message.text()
    c.enter()  # Enter alone picks nothing
    assert window.business.form is None
    assert "多项业务" in window.business.message.text()
    c.key(Qt.Key.Key_2)
    assert window.business.form.business.code == "CHANGE_NUMBER"
    c.key(Qt.Key.Key_Escape)
    assert c.focus is window.business.search
    c.type("gh")
    c.key(Qt.Key.Key_Down)
    c.enter()
    assert window.business.form.business.code == "CHANGE_OWNER"


# -- item 7: manual ID entry ----------------------------------------------------------------


def test_manual_entry_checks_first_and_keeps_the_fields(counter, window, demo_ws):
    from frontdesk.core.clock import business_date
    from frontdesk.devices.id_reader import demo_card
    from frontdesk.store.models import AuditEntry, IdVerification

    card = demo_card("zhang_san", today=business_date(demo_ws.clock.now()))
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_M, CTRL)
    dialog = c.dialog("ManualEntryDialog")
    typo = card.id_number[:-2] + card.id_number[-1] + card.id_number[-2]  # two digits swapped
    assert typo != card.id_number
    c.type(typo)
    c.enter()  # checked before anyone is fetched: Enter stays on the number
    assert c.focus is dialog.number and "校验" in dialog.message.text()
    assert c.dialog("ManagerAuthDialog") is None
    c.key(Qt.Key.Key_A, CTRL)
    c.type(card.id_number)
    c.enter()
    assert c.focus is dialog.name
    c.type(card.name)
    c.enter()
    c.type("1990-13-40")  # not a date
    c.enter()
    assert c.focus is dialog.birth and "出生日期" in dialog.message.text()
    c.key(Qt.Key.Key_A, CTRL)
    c.type(card.birth_date.isoformat())
    c.enter()
    c.type(card.valid_from.isoformat())
    c.enter()
    c.type(card.valid_to.isoformat())
    c.enter()
    c.type(card.address)
    c.enter()  # everything checks: only now the manager is asked
    auth = c.dialog("ManagerAuthDialog")
    assert auth is not None
    c.key(Qt.Key.Key_Escape)  # the manager isn't there: nothing lost
    assert c.dialog("ManagerAuthDialog") is None
    dialog = c.dialog("ManualEntryDialog")
    assert dialog is not None and dialog.number.text() == card.id_number
    assert dialog.name.text() == card.name and dialog.address.text() == card.address
    dialog.address.setFocus()
    c.enter()  # submit again, the fields as they were
    c.type("manager01")
    c.enter()
    c.type("wrong-password")
    c.enter()
    c.type("读卡器故障")
    c.enter()
    auth = c.dialog("ManagerAuthDialog")
    assert auth is not None and auth.message.text()
    c.key(Qt.Key.Key_Escape)
    dialog = c.dialog("ManualEntryDialog")
    assert dialog is not None and dialog.number.text() == card.id_number  # still kept
    dialog.address.setFocus()
    c.enter()
    c.type("manager01")
    c.enter()
    c.type("Manager2026")
    c.enter()
    c.type("读卡器故障")
    c.enter()
    assert c.dialog("ManagerAuthDialog") is None and c.dialog("ManualEntryDialog") is None
    assert "校验通过" in window.verification.message.text()
    with demo_ws.db.reader() as s:
        stored = s.scalar(select(IdVerification).where(IdVerification.visit_id == window.visit_id))
        assert stored.capture_method == "manual" and stored.manual_reason == "读卡器故障"
        approvals = s.scalars(
            select(AuditEntry.action).where(AuditEntry.action == "auth.approved")
        ).all()
        assert len(approvals) == 1  # one authorisation, used once


# -- item 8: pre-fill what the system knows --------------------------------------------------


def test_forms_start_from_what_the_system_knows(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_F1)  # no queue service: the clerk types the ticket no.
    c.type("A023")
    c.enter()
    assert "A023" in window.queue.serving.text()  # the ticket being served, on the strip
    verify_with_reader(c, "zhang_san", face=False)
    # gold, but 13900139000 owes ¥128: the line says why the tier is frozen
    text = window.customer.text()
    assert "金卡" in text and "已冻结" in text and "13900139000 欠费 ¥128.00" in text
    c.type("cz")
    c.enter()
    form = window.business.form
    assert form.inputs["service_number"].currentText() == "13900139000"  # the one in arrears
    assert form.inputs["topup_amount"].text() == "128.00"
    assert c.focus.objectName() == "topup_amount"
    c.enter()  # number and amount already right: onto the slip
    assert [(i.business_code, i.service_number, i.fee_fen) for i in window.view.items] == [
        ("TOP_UP", "13900139000", 12_800)
    ]
    c.key(Qt.Key.Key_F7)
    c.type("cpdg")
    c.enter()
    form = window.business.form
    plans = form.inputs["plan"]
    labels = [plans.itemText(i) for i in range(plans.count())]
    number = form.inputs["service_number"].currentText()
    assert number == "13800138000"
    assert any("畅享套餐59元" in label and "当前" in label for label in labels)  # mob_59
    assert not any("宽带" in label and "融合" not in label for label in labels)  # mobile only
    assert not any("固话" in label for label in labels)
    c.key(Qt.Key.Key_Escape)
    c.key(Qt.Key.Key_F7)
    c.type("yj")  # 移机: the contact phone comes from the customer
    c.enter()
    form = window.business.form
    assert form.inputs["contact_phone"].text() == "13800138000"
    c.key(Qt.Key.Key_Escape)
    c.key(Qt.Key.Key_F7)
    c.type("zasg")  # 障碍申告: phone and the address on the ID card
    c.enter()
    form = window.business.form
    assert form.inputs["contact_phone"].text() == "13800138000"
    from frontdesk.core.clock import business_date
    from frontdesk.devices.id_reader import demo_card

    card = demo_card("zhang_san", today=business_date(demo_ws.clock.now()))
    assert form.inputs["contact_address"].text() == card.address


# -- item 9: fee waiver ----------------------------------------------------------------------


def test_fee_waiver_names_business_and_amount_and_may_be_partial(counter, window, demo_ws):
    from frontdesk.store.models import AuditEntry, SlipItem

    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=False)
    c.type("bk")
    c.enter()
    from .test_visits import iccid

    c.key(Qt.Key.Key_Tab)  # the clerk changes the pre-filled 补换卡原因 (丢失) ...
    c.key(Qt.Key.Key_Down)  # ... to 损坏
    c.key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back to the ICCID
    scan(c, iccid("8986011234567890127"))  # its Enter puts the card on the slip
    assert window.view.items[0].fee_fen == 1_000
    assert window.view.items[0].fields["sim_reason"] == "damaged"
    c.key(Qt.Key.Key_D, CTRL)
    dialog = c.dialog("WaiveDialog")
    assert dialog is not None and "补(换)卡" in dialog.business.text()
    assert dialog.fee.text() == "¥10.00" and dialog.amount.text() == "10.00"
    assert c.focus is dialog.amount
    c.type("20")  # more than the fee
    c.enter()
    assert dialog.isVisible() and "¥10.00" in dialog.message.text()
    assert c.dialog("ManagerAuthDialog") is None
    c.key(Qt.Key.Key_A, CTRL)
    c.type("4")
    c.enter()
    auth = c.dialog("ManagerAuthDialog")
    assert auth is not None
    heading = " ".join(w.text() for w in auth.findChildren(type(window.customer)))
    assert "补(换)卡" in heading and "¥10.00" in heading and "¥4.00" in heading
    c.type("manager01")
    c.enter()
    c.type("Manager2026")
    c.enter()
    c.type("卡面损坏，客户投诉后补偿")
    c.enter()
    assert c.dialog("ManagerAuthDialog") is None
    assert window.view.items[0].fee_fen == 600 and window.view.due_fen == 600
    assert "¥4.00" in window.message.text()
    with demo_ws.db.reader() as s:
        detail = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "auth.approved")
        ).one()
        assert detail["business"] == "REPLACE_SIM" and detail["amount_fen"] == 400
        waived = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "fee.waived")).one()
        assert waived["waived"] == 400
    c.key(Qt.Key.Key_1)
    c.enter()
    c.enter()
    with demo_ws.db.reader() as s:
        item = s.scalars(select(SlipItem)).one()
        assert item.fee_fen == 600 and item.list_fee_fen == 1_000 and item.waiver_reason


def test_nothing_to_waive_on_a_free_business(counter, window):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "hmt_resident", face=False)
    c.type("hfcx")
    c.enter()
    c.key(Qt.Key.Key_Return, CTRL)
    assert window.view.items[0].fee_fen == 0
    c.key(Qt.Key.Key_D, CTRL)
    assert c.dialog("WaiveDialog") is None
    assert "无需减免" in window.slip.message.text()


# -- item 10: windows --------------------------------------------------------------------------


def _open(kind):
    from frontdesk.gui.qt import QApplication

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


def test_esc_closes_reception_hall_view_and_reports(counter, window):
    from frontdesk.gui.hall_view import HallView
    from frontdesk.gui.manager_screen import ManagerScreen
    from frontdesk.gui.reception import ReceptionScreen

    c = counter
    for keys, kind in (
        ((Qt.Key.Key_T, CTRL), ReceptionScreen),
        ((Qt.Key.Key_H, CTRL), HallView),
        ((Qt.Key.Key_R, CTRL), ManagerScreen),
    ):
        window.activateWindow()
        c.qtbot.waitUntil(window.isActiveWindow)
        window.queue.walk_in_button.setFocus()
        c.key(*keys)
        opened = _open(kind)
        assert opened is not None
        opened.activateWindow()
        c.qtbot.waitUntil(lambda w=opened: w.isActiveWindow())
        c.key(Qt.Key.Key_Escape)
        assert not opened.isVisible()


def test_reports_window_by_keyboard(counter, window, demo_ws, tmp_path):
    from frontdesk.gui.day_close_dialog import DayCloseDialog
    from frontdesk.gui.manager_screen import ManagerScreen

    c = counter
    # a settled top-up, so the report has something to count
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_F7)
    c.type("cz")
    c.enter()
    window.business.form.inputs["service_number"].setEditText("13600136000")
    c.enter()
    c.type("20")
    c.enter()
    c.key(Qt.Key.Key_1)
    c.enter()
    c.enter()
    c.key(Qt.Key.Key_Escape)
    c.key(Qt.Key.Key_R, CTRL)
    screen = _open(ManagerScreen)
    screen.activateWindow()
    c.qtbot.waitUntil(screen.isActiveWindow)
    assert c.focus is screen.date_from  # typing the date comes first
    c.enter()  # Enter queries
    assert screen.summary is not None and screen.cards["visits"].text() == "1"
    c.key(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # the second table
    assert screen.table_list.currentRow() == 1 and c.focus is screen.view
    c.key(Qt.Key.Key_D, CTRL)  # 日结…
    dialog = _open(DayCloseDialog)
    assert dialog is not None
    dialog.reject()
    c.settle()
    screen.activateWindow()
    c.qtbot.waitUntil(screen.isActiveWindow)
    c.key(Qt.Key.Key_Escape)
    assert not screen.isVisible()


def test_lock_screen_hides_the_customer(qtbot, services):
    from tests.gui.test_app import sign_in, start

    app = start(qtbot, services)
    sign_in(qtbot, app, "clerk01", "Counter2026")
    qtbot.waitUntil(lambda: app.window is not None)
    window = app.window
    qtbot.addWidget(window)
    window.start_visit(None)
    services.reader.place("zhang_san")
    window.verification.read_card()
    qtbot.waitUntil(lambda: "张三" in window.customer.text())
    app.lock()
    qtbot.waitUntil(lambda: app.lock_dialog is not None and app.lock_dialog.isVisible())
    assert not window.customer.isVisible() and not window.slip.isVisible()
    assert not window.verification.isVisible()
    lock = app.lock_dialog
    qtbot.keyClicks(lock.password, "Counter2026")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.lock_dialog is None)
    assert window.customer.isVisible() and "张三" in window.customer.text()


# -- item 4: small things a clerk notices -----------------------------------------------------


def test_form_header_reads_as_words_and_messages_do_not_outlive_the_visit(counter, window):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_F7)
    c.type("cz")
    c.enter()
    info = window.business.form.findChild(type(window.customer), "formInfo").text()
    assert "[" not in info and "'" not in info  # no raw Python list
    assert "号码状态为正常、停机" in info
    assert "。；" not in info and info.endswith("。")
    c.key(Qt.Key.Key_Escape)
    c.type("gh")
    c.enter()  # ambiguous: a message on the business panel
    assert window.business.message.isVisible()
    c.key(Qt.Key.Key_F12)
    c.type("客户离开")
    c.enter()
    assert window.visit_id is None
    assert not window.business.message.isVisible() and not window.slip.message.isVisible()


# -- item 2: screens and fonts -------------------------------------------------------------------


def test_the_window_takes_its_screen_and_fits_a_1366x768_laptop(window):
    area = window.screen().availableGeometry()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert window.width() >= area.width() - 20  # not a fixed 1280×800 box
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768 - 48  # the task bar too
    window.resize(1366, 768 - 48)
    bar = window.statusBar()
    assert bar.geometry().bottom() <= window.height() and window.help.isVisible()


def test_larger_text_setting(qtbot, services):
    from frontdesk.gui.qt import QApplication
    from frontdesk.gui.screen import apply_text_scale
    from frontdesk.gui.settings_page import SettingsPage

    base = QApplication.font().pointSizeF()
    try:
        page = SettingsPage(services)
        qtbot.addWidget(page)
        page.text_scale.setCurrentIndex(page.text_scale.findData(1.25))
        page.save()
        assert services.config.ui.text_scale == 1.25
        size = apply_text_scale(services.config.ui.text_scale)
        assert QApplication.font().pointSizeF() == size and size > base
    finally:
        apply_text_scale(1.0)
    assert QApplication.font().pointSizeF() == base


def test_manual_entry_keeps_the_fields_when_the_capture_is_refused(counter, window, demo_ws):
    from frontdesk.core.clock import business_date
    from frontdesk.devices.id_reader import demo_card

    card = demo_card("zhang_san", today=business_date(demo_ws.clock.now()))
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_M, CTRL)
    dialog = c.dialog("ManualEntryDialog")
    for text in (
        card.id_number,
        card.name,
        card.birth_date.isoformat(),
        card.valid_from.isoformat(),
        card.valid_to.isoformat(),
        card.address,
    ):
        c.type(text)
        c.enter()
    assert c.dialog("ManagerAuthDialog") is not None
    # meanwhile the visit was cancelled (another window): the capture is refused
    window.services.intake.cancel(window.session, window.visit_id, "客户离开")
    c.type("manager01")
    c.enter()
    c.type("Manager2026")
    c.enter()
    c.type("读卡器故障")
    c.enter()
    dialog = c.dialog("ManualEntryDialog")
    assert dialog is not None and dialog.message.isVisible() and dialog.message.text()
    assert dialog.number.text() == card.id_number and dialog.address.text() == card.address


def test_reports_window_in_english(qtbot, demo_ws, clerk):
    from frontdesk.gui.i18n import set_language
    from frontdesk.gui.manager_screen import ManagerScreen
    from frontdesk.reporting import ReportService
    from frontdesk.services.dayclose import DayCloseService

    set_language("en")
    screen = ManagerScreen(ReportService(demo_ws), DayCloseService(demo_ws), clerk)
    qtbot.addWidget(screen)
    assert screen.refresh()
    titles = [screen.table_list.item(i).text() for i in range(screen.table_list.count())]
    assert titles[0] == screen.tables[0].en
    rows = [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())]
    assert "Visits" in rows and "Green-channel visits" in rows
    assert screen.windowTitle() == "Reports and day close"
