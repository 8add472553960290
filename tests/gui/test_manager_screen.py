"""The manager screen and the day-close dialog, real widgets offscreen."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.gui.day_close_dialog import DayCloseDialog
from frontdesk.gui.manager_screen import ManagerScreen
from frontdesk.gui.qt import QDialogButtonBox, Qt
from frontdesk.reporting import ReportService
from frontdesk.services.dayclose import DayCloseService
from frontdesk.store.models import DayClose
from tests.reports.conftest import DAY, build_day


def screen_for(qtbot, ws, staff, auth, **kw) -> ManagerScreen:
    screen = ManagerScreen(
        ReportService(ws, **kw), DayCloseService(ws), staff, auth=auth, today=DAY
    )
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    return screen


def test_manager_sees_branch_figures_and_exports(
    qtbot, demo_ws, clock, auth, clerk, manager, tmp_path
):
    build_day(demo_ws, clock, auth, clerk)
    screen = screen_for(qtbot, demo_ws, manager, auth, known_counters=["W01", "W02"])
    assert screen.scope.isEnabled()
    screen.scope.setCurrentIndex(1)  # 全营业厅
    assert screen.refresh()
    assert screen.cards["visits"].text() == "8"
    assert screen.cards["takings"].text() == "¥6,269.00"
    assert screen.cards["waiting"].text() == "60.0%"
    assert "W02" in screen.message.text()
    titles = [screen.table_list.item(i).text() for i in range(screen.table_list.count())]
    assert titles[:3] == ["概况", "收款方式", "业务类型"] and "各柜台" in titles
    screen.table_list.setCurrentRow(1)
    model = screen.view.model()
    assert model.headerData(0, Qt.Orientation.Horizontal, 0) == "支付方式"
    assert model.index(0, 0).data() == "现金" and model.index(0, 4).data() == "90.00"
    result = screen.export_to("pdf", tmp_path / "branch.pdf")
    assert result is not None and result.path.exists() and "已导出" in screen.message.text()


def test_clerk_is_held_to_the_counter_and_closes_with_a_manager(qtbot, demo_ws, clock, auth, clerk):
    build_day(demo_ws, clock, auth, clerk)
    screen = screen_for(qtbot, demo_ws, clerk, auth)
    assert not screen.scope.isEnabled()
    assert screen.refresh() and screen.summary.scope == "counter"
    dialog = screen.day_close_dialog()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, DayCloseDialog)
    dialog.counted.setText("88")
    assert dialog.difference.text() == "-¥2.00（短款）"
    dialog.manager_user.setText("manager01")
    dialog.manager_password.setText("Manager2026")
    dialog.submit()  # no reason for the difference: refused, form kept
    assert "差异原因" in dialog.message.text() and dialog.result_view is None
    assert dialog.manager_password.text() == ""
    assert "银行卡终端的结算金额" in dialog.message.text()  # each terminal is reconciled
    dialog.reason.setText("找零多找 2 元")
    for method, fen in {"bank_card": 604_900, "wechat": 10_000, "alipay": 3_000}.items():
        dialog.terminals[method].setText(f"{fen / 100:.2f}")
        assert dialog.terminal_differences[method].text() == "¥0.00（相符）"
    dialog.manager_password.setText("Manager2026")
    dialog.submit()
    assert dialog.result_view is not None and dialog.result_view.difference_fen == -200
    with demo_ws.db.reader() as s:
        assert s.scalar(select(DayClose.counted_cash_fen)) == 8_800
    again = screen.day_close_dialog()
    qtbot.addWidget(again)
    assert "已日结" in again.message.text()
    assert not again.ok_button.isEnabled()
    assert again.findChild(QDialogButtonBox) is not None
