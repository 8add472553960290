"""The manager screen verifies and exports the audit chain (SPEC §6; issue 13 item 11)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from frontdesk.core.messages import RuleViolation
from frontdesk.gui.manager_screen import ManagerScreen
from frontdesk.gui.qt import Qt
from frontdesk.reporting import ReportService
from frontdesk.services.dayclose import DayCloseService
from frontdesk.services.integrity import AuditService


def screen_for(qtbot, ws, staff, auth) -> ManagerScreen:
    screen = ManagerScreen(
        ReportService(ws), DayCloseService(ws), staff, auth=auth, audit=AuditService(ws)
    )
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_manager_verifies_and_exports_the_chain(qtbot, demo_ws, auth, manager, tmp_path):
    screen = screen_for(qtbot, demo_ws, manager, auth)
    assert screen.audit_verify_button.isVisible() and screen.audit_verify_button.isEnabled()
    qtbot.mouseClick(screen.audit_verify_button, Qt.MouseButton.LeftButton)
    assert screen.message.text().startswith("审计日志完好：共 ")
    target = tmp_path / "审计日志.jsonl"
    assert screen.export_audit_to(target)
    assert "已导出审计日志" in screen.message.text() and "链条完好" in screen.message.text()
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["intact"] and lines[-1]["action"] == "audit.verified"  # the click above


def test_manager_sees_a_broken_chain(qtbot, demo_ws, auth, manager, tmp_path):
    conn = sqlite3.connect(demo_ws.db_path)
    conn.execute("DROP TRIGGER audit_entry_no_update")
    conn.execute("UPDATE audit_entry SET action = 'forged' WHERE seq = 1")
    conn.commit()
    conn.close()
    screen = screen_for(qtbot, demo_ws, manager, auth)
    qtbot.mouseClick(screen.audit_verify_button, Qt.MouseButton.LeftButton)
    text = screen.message.text()
    assert text.startswith("审计日志有问题，请联系 IT：")
    assert "审计日志链在第 1 条断开：内容或哈希被改动。" in text
    assert screen.export_audit_to(tmp_path / "a.jsonl")
    assert "链条有断点，请联系 IT 核查" in screen.message.text()
    assert not screen.export_audit_to(tmp_path / "no-such-folder" / "a.jsonl")
    assert "审计日志无法写入所选位置" in screen.message.text()


def test_clerk_can_neither_verify_nor_export(qtbot, demo_ws, auth, clerk, tmp_path):
    screen = screen_for(qtbot, demo_ws, clerk, auth)
    assert not screen.audit_verify_button.isEnabled()
    assert not screen.audit_export_button.isEnabled()
    assert not screen.verify_audit()  # even if the button were reached
    assert "仅限经理或 IT 管理员" in screen.message.text()
    assert not screen.export_audit_to(tmp_path / "a.jsonl")
    assert not (tmp_path / "a.jsonl").exists()
    with pytest.raises(RuleViolation) as refused:
        AuditService(demo_ws).export(clerk, tmp_path / "b.jsonl")
    assert refused.value.codes == ["audit.manager_only"]


def test_screen_without_audit_service_hides_the_buttons(qtbot, demo_ws, auth, manager):
    screen = ManagerScreen(ReportService(demo_ws), DayCloseService(demo_ws), manager, auth=auth)
    qtbot.addWidget(screen)
    screen.show()
    assert not screen.audit_verify_button.isVisible()
