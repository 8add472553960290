"""The counter window at 1366×768 and 1920×1080, in Chinese and English (issue 19).

Writes ``docs/screenshots/counter_<size>_<lang>.png``: a visit with the customer's ID
read, a handset sale on the slip and the business picker browsing by category, so the
shortcut bar, status bar, slip columns and form hints can be checked at each size.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_sizes.py [out dir]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontdesk.gui.qt import QApplication, QFont  # noqa: E402

SIZES = ((1366, 768), (1920, 1080))
TASK_BAR = 48


def settle() -> None:
    from frontdesk.gui.operations import OperationRunner

    for _ in range(500):
        QApplication.processEvents()
        if OperationRunner.total_running == 0:
            break
    QApplication.processEvents()


def shoot(ws, language: str, size: tuple[int, int], out: Path) -> Path:
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
    window.resize(size[0], size[1] - TASK_BAR)
    window.show()
    settle()
    window.start_visit(None)
    services.reader.place("zhang_san")
    window.verification.read_card()
    settle()
    window.verification.confirm_photo()
    settle()
    window.business.open_form(ws.catalogue.business("HANDSET_SALE"))
    form = window.business.form
    body = "86012345678901"
    serial = body + luhn_check_digit(body)
    for key, value in (
        ("brand", "Huawei"),
        ("model", "Mate 60"),
        ("device_serial", serial),
        ("card_serial", serial),
        ("price", "5999"),
    ):
        form.set_value(key, value)
    services.intake.add_business(
        session, window.visit_id, "HANDSET_SALE", form.values(), service_number=None
    )
    window.refresh()
    window.business.close_form()
    window.business.focus_search()
    window.slip.focus_method()
    settle()
    path = out / f"counter_{size[0]}x{size[1]}_{language}.png"
    window.grab().save(str(path))
    window.close()
    window.deleteLater()
    settle()
    return path


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setFont(QFont("Noto Sans CJK SC", 10))
    from frontdesk.services.demo import load_demo_data
    from frontdesk.services.workstation import initialise

    with tempfile.TemporaryDirectory() as tmp:
        for n, (language, size) in enumerate(
            (lang, size) for lang in ("zh", "en") for size in SIZES
        ):
            ws = initialise(
                Path(tmp) / f"ws{n}", branch_code="BJ0101", workstation_code="W01",
                branch_name="北京朝阳建国路营业厅",
            )  # fmt: skip
            try:
                load_demo_data(ws)
                print("wrote", shoot(ws, language, size, out).relative_to(ROOT))
            finally:
                ws.close()
    os._exit(0)  # PySide6 can crash while tearing down offscreen windows at exit


if __name__ == "__main__":
    sys.exit(main())
