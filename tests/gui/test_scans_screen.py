"""留存证件 on the manager screen: a manager sees and exports only watermarked copies."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.clock import business_date
from frontdesk.gui.manager_screen import ManagerScreen
from frontdesk.gui.qt import QApplication, QInputMethodEvent, Qt
from frontdesk.gui.scans_screen import RetainedScansDialog
from frontdesk.reporting import ReportService
from frontdesk.services.dayclose import DayCloseService
from frontdesk.services.scans import ScanService
from frontdesk.store.models import AuditEntry
from tests.services.test_scans import pdf_text, red_share_over_the_image, retained_scan


def _screen(qtbot, ws, staff, auth) -> ManagerScreen:
    screen = ManagerScreen(
        ReportService(ws),
        DayCloseService(ws),
        staff,
        auth=auth,
        today=business_date(ws.clock.now()),
        scans=ScanService(ws),
    )
    qtbot.addWidget(screen)
    return screen


def _commit_text(widget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)  # 拼音输入法 commits Chinese like this
    QApplication.sendEvent(widget, event)


def test_manager_views_and_exports_a_watermarked_copy(
    qtbot, demo_ws, auth, clerk, manager, tmp_path
):
    retained_scan(demo_ws, clerk)
    screen = _screen(qtbot, demo_ws, manager, auth)
    assert not screen.scans_button.isHidden()
    dialog = screen.scans_dialog()
    assert isinstance(dialog, RetainedScansDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.query_button, Qt.MouseButton.LeftButton)
    assert dialog.list.count() == 1 and "张三" in dialog.list.item(0).text()
    assert "110105********" in dialog.list.item(0).text()
    # no purpose: refused, nothing shown
    dialog.purpose.setFocus()
    qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    assert "用途" in dialog.message.text() and dialog.last is None
    _commit_text(dialog.purpose, "资料稽核")
    qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    assert dialog.last is not None
    assert not dialog.preview.pixmap().isNull()
    text = pdf_text(dialog.last.pdf)
    assert "赵经理" in text and "资料稽核" in text and "2026-11-21" in text
    assert red_share_over_the_image(dialog.last.pdf) > 0.02
    exported = dialog.export_to(tmp_path / "copy.pdf")
    assert exported is not None and "已导出" in dialog.message.text()
    assert "资料稽核" in pdf_text((tmp_path / "copy.pdf").read_bytes())
    with demo_ws.db.reader() as s:
        actions = [a for (a,) in s.execute(select(AuditEntry.action)).all()]
    assert {"scan.list", "scan.view", "scan.export"} <= set(actions)


def test_a_clerk_gets_no_retained_copies(qtbot, demo_ws, auth, clerk):
    retained_scan(demo_ws, clerk)
    screen = _screen(qtbot, demo_ws, clerk, auth)
    assert screen.scans_button.isHidden() and screen.scans_dialog() is None
    # even a dialog built by hand for a clerk shows the service's refusal
    dialog = RetainedScansDialog(ScanService(demo_ws), clerk, business_date(demo_ws.clock.now()))
    qtbot.addWidget(dialog)
    assert not dialog.refresh()
    assert "经理" in dialog.message.text() and dialog.list.count() == 0
    assert dialog.show_selected() is None and dialog.export_to("x.pdf") is None
