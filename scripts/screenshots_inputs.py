"""The issue-19 input savings as a clerk sees them, at 1366×768 in Chinese and English.

Writes ``docs/screenshots/``:
- ``new_line_number_<lang>.png``: the 入网 form with the pool's first free number
  pre-filled (Enter accepts it) and ``number_picker_<lang>.png``: ↓ opened the 选号 list,
  narrowed to numbers ending 88;
- ``handset_from_imei_<lang>.png``: the 购机 form right after the IMEI scan, brand,
  model, price and 产地 filled from the terminal catalogue, the focus on the S/N label.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_inputs.py [out dir]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontdesk.gui.qt import QApplication, QFont, Qt  # noqa: E402

SIZE = (1366, 768 - 48)  # a 1366×768 laptop under its task bar


def settle() -> None:
    from frontdesk.gui.operations import OperationRunner

    for _ in range(500):
        QApplication.processEvents()
        if OperationRunner.total_running == 0:
            break
    QApplication.processEvents()


def keys(text: str) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClicks(QApplication.focusWidget(), text)
    settle()


def key(k) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(QApplication.focusWidget(), k)
    settle()


def shoot(ws, language: str, out: Path) -> list[Path]:
    from frontdesk.core.serials import luhn_check_digit
    from frontdesk.gui.context import CounterServices
    from frontdesk.gui.i18n import set_language
    from frontdesk.gui.main_window import CounterWindow
    from frontdesk.services.auth import AuthService

    set_language(language)
    services = CounterServices.build(ws)
    services.scanner_folder.mkdir(exist_ok=True)
    session = AuthService(ws.db, ws.config.security, ws.clock).sign_in("clerk01", "Counter2026")
    window = CounterWindow(services, session)
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    settle()
    window.start_visit(None)
    services.reader.place("zhang_san")
    window.verification.read_card()
    settle()
    window.verification.confirm_photo()
    settle()
    written = []
    # 入网: the number comes from the pool
    window.business.open_form(ws.catalogue.business("NEW_LINE"))
    settle()
    form = window.business.form
    form.inputs["new_number"].setFocus()
    settle()
    path = out / f"new_line_number_{language}.png"
    window.grab().save(str(path))
    written.append(path)
    key(Qt.Key.Key_Down)  # opens 选号
    keys("88")
    picker = next(
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "NumberPickerDialog" and w.isVisible()
    )
    path = out / f"number_picker_{language}.png"
    picker.grab().save(str(path))
    written.append(path)
    picker.reject()
    settle()
    window.business.close_form()
    settle()
    # 购机: the IMEI fills the model
    window.business.open_form(ws.catalogue.business("HANDSET_SALE"))
    settle()
    body = "86012345678901"
    keys(body + luhn_check_digit(body))
    key(Qt.Key.Key_Return)
    path = out / f"handset_from_imei_{language}.png"
    window.grab().save(str(path))
    written.append(path)
    window.close()
    window.deleteLater()
    settle()
    return written


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setFont(QFont("Noto Sans CJK SC", 10))
    from frontdesk.services.demo import load_demo_data
    from frontdesk.services.workstation import initialise

    with tempfile.TemporaryDirectory() as tmp:
        for n, language in enumerate(("zh", "en")):
            ws = initialise(
                Path(tmp) / f"ws{n}", branch_code="BJ0101", workstation_code="W01",
                branch_name="北京朝阳建国路营业厅",
            )  # fmt: skip
            try:
                load_demo_data(ws)
                for path in shoot(ws, language, out):
                    print("wrote", path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            finally:
                ws.close()
    os._exit(0)  # PySide6 can crash while tearing down offscreen windows at exit


if __name__ == "__main__":
    sys.exit(main())
