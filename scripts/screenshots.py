"""Screenshots of the counter window's main states for the docs (docs/screenshots/gui_*.png).

Runs the real windows offscreen on a fresh demo workstation, drives them with the
keyboard to each state and saves ``QWidget.grab()`` images: sign-in, ID verification,
a business form, the slip with split payments, and the after-sales window (aftersales.png)
with a handset just sold, sent for repair and a loan phone lent. Chinese renders through fontconfig
(install fonts-noto-cjk on Linux).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [out dir]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_gui_inputs import CTRL, PNG_SCAN, Driver, handset_sale, iccid, imei  # noqa: E402

from frontdesk.gui.qt import QApplication, QFont, Qt, QWidget  # noqa: E402


def save(widget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setFont(QFont("Noto Sans CJK SC", 10))
    from frontdesk.gui.context import CounterServices
    from frontdesk.gui.i18n import set_language
    from frontdesk.gui.main_window import CounterWindow
    from frontdesk.gui.signin import SignInWindow
    from frontdesk.services.auth import AuthService
    from frontdesk.services.demo import load_demo_data
    from frontdesk.services.workstation import initialise

    set_language("zh")
    with tempfile.TemporaryDirectory() as tmp:
        ws = initialise(
            Path(tmp) / "ws", branch_code="BJ0101", workstation_code="W01",
            branch_name="北京朝阳建国路营业厅",
        )  # fmt: skip
        try:
            load_demo_data(ws)
            signin = SignInWindow("北京朝阳建国路营业厅  BJ0101/W01", "zh")
            signin.show()
            signin.username.setText("clerk01")
            signin.password.setText("Counter2026")
            signin.password.setFocus()
            signin.status.setText(signin.tr("就绪"))
            save(signin, out / "gui_signin.png")
            signin.close()

            services = CounterServices.build(ws)
            services.scanner_folder.mkdir(exist_ok=True)
            session = AuthService(ws.db, ws.config.security, ws.clock).sign_in(
                "clerk01", "Counter2026"
            )
            window = CounterWindow(services, session)
            window.resize(1440, 860)
            window.show()
            window.activateWindow()
            d = Driver(window)
            window.queue.focus_ticket()
            window.queue.ticket_no.setText("V008")
            window.queue.tier.setCurrentIndex(window.queue.tier.findData("gold"))
            window.queue.issued.setText("09:21")
            window.queue.ticket_no.setFocus()
            d.enter()
            services.reader.place("zhang_san")
            (services.scanner_folder / "scan.png").write_bytes(PNG_SCAN)
            d.key(Qt.Key.Key_F2)
            d.key(Qt.Key.Key_F3)
            d.enter()
            save(window, out / "gui_verification.png")

            d.type("rw")
            d.enter()
            d.key(Qt.Key.Key_Down)
            d.key(Qt.Key.Key_Down)
            d.enter()
            d.type("1381234567")  # one digit short: the form says so as the clerk types
            save(window, out / "gui_business_form.png")

            d.type("8")
            d.enter()
            d.scan(iccid("8986011234567890123"))
            d.key(Qt.Key.Key_F7)
            d.type("cz")
            d.enter()
            d.enter()
            d.type("150")
            d.enter()
            d.key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
            d.key(Qt.Key.Key_Down)
            d.key(Qt.Key.Key_Down)
            d.enter()
            d.key(Qt.Key.Key_A, CTRL)
            d.type("100")
            d.enter()
            d.type("4200001234202611210001")
            d.enter()
            d.key(Qt.Key.Key_A, CTRL)
            d.type("200")
            d.enter()
            save(window, out / "gui_slip_payments.png")
            window.close()

            window = CounterWindow(services, session)  # a handset sold, back for a repair
            window.show()
            window.activateWindow()
            d = Driver(window)
            handset_sale(d)
            for dialog in QApplication.topLevelWidgets():
                if dialog.objectName() == "SettledDialog":
                    dialog.accept()
            window.activateWindow()
            d.wait()
            d.key(Qt.Key.Key_W, CTRL)
            aftersales = window.findChild(QWidget, "AfterSalesWindow")
            aftersales.resize(1280, 820)
            d.scan(imei("86012345678901"))
            d.key(Qt.Key.Key_F2)
            d.type("屏幕闪烁，偶尔无法开机")
            d.enter()
            d.key(Qt.Key.Key_F4)
            d.scan(imei("86012345678902"))
            save(aftersales, out / "aftersales.png")
            window.close()
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
