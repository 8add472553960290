"""The counter application refuses to open a workstation that a restore holds, or whose
key file belongs to another counter, and says so on the sign-in window."""

from __future__ import annotations

import shutil

from frontdesk.gui.app import CounterApp
from frontdesk.ops.lock import WorkstationLock
from frontdesk.services.workstation import initialise


def test_the_app_does_not_open_a_workstation_while_a_restore_runs(qtbot, demo_template, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    with WorkstationLock(folder).acquire(exclusive=True):
        app = CounterApp(folder)
        qtbot.addWidget(app.signin)
        app.start()
        qtbot.waitUntil(lambda: "a restore is running" in app.signin.message.text(), timeout=20_000)
    assert not app.signin.button.isEnabled() and app.services is None
    assert "正在使用中" in app.signin.message.text()


def test_the_app_refuses_another_counters_key_file(qtbot, demo_template, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    other = initialise(tmp_path / "w02", branch_code="BJ0101", workstation_code="W02")
    other.close()
    shutil.copyfile(tmp_path / "w02" / "keys.json", folder / "keys.json")
    app = CounterApp(folder)
    qtbot.addWidget(app.signin)
    app.start()
    qtbot.waitUntil(lambda: "keys import" in app.signin.message.text(), timeout=20_000)
    assert "不是这个数据库的密钥文件" in app.signin.message.text()
    assert not app.signin.button.isEnabled() and app.services is None
