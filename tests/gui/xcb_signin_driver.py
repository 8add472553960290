"""Run the real counter application on a real X display and sign in by keyboard.

``python xcb_signin_driver.py <data dir> <screenshot.png>`` under ``xvfb-run`` with
``QT_QPA_PLATFORM=xcb``: starts :class:`CounterApp` as ``frontdesk gui`` does, types the
demo clerk's name and password into the sign-in window, waits for the counter window
and grabs the whole screen. Exit 0 with ``platform <name>`` printed; 3 when the counter
window never came (after a bounded number of steps).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtTest import QTest

from frontdesk.gui.app import CounterApp
from frontdesk.gui.qt import QApplication, Qt, QTimer

MAX_STEPS = 600  # × 100 ms of event loop


def main() -> int:
    data_dir, shot = Path(sys.argv[1]), Path(sys.argv[2])
    qt = QApplication(sys.argv[:1])
    app = CounterApp(data_dir)
    app.start()
    state = {"steps": 0, "typed": False, "code": 3}

    def step() -> None:
        state["steps"] += 1
        if state["steps"] > MAX_STEPS:
            qt.exit(3)
            return
        if app.services is None:  # the workstation opens on a worker thread
            QTimer.singleShot(100, step)
            return
        if not state["typed"]:
            signin = app.signin
            signin.activateWindow()
            QTest.keyClicks(signin.username, "clerk01")
            QTest.keyClick(signin.username, Qt.Key.Key_Return)
            QTest.keyClicks(signin.password, "Counter2026")
            QTest.keyClick(signin.password, Qt.Key.Key_Return)
            state["typed"] = True
        window = app.window
        if window is None or not window.isVisible():
            QTimer.singleShot(100, step)
            return
        for _ in range(20):
            qt.processEvents()
            QTest.qWait(20)
        pixmap = qt.primaryScreen().grabWindow(0)
        pixmap.save(str(shot), "PNG")
        print(f"platform {qt.platformName()}", flush=True)
        print(f"window {window.windowTitle()}", flush=True)
        qt.exit(0)

    QTimer.singleShot(100, step)
    code = qt.exec()
    if app.services is not None:
        app.services.stop_sync()
        app.services.ws.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
