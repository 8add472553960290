"""Screenshots of the visit history (接待记录, F9) and of a counter whose day is closed.

Runs the real windows offscreen on a fresh demo workstation: three visits are settled
(one printed, two not), the visit history is opened on today's visits with the first
slip's documents listed (docs/screenshots/visit_history.png); then the manager closes
the day and the counter shows it (docs/screenshots/counter_day_closed.png).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_day.py [out dir]
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


def save(widget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setFont(QFont("Noto Sans CJK SC", 10))
    from frontdesk.core.clock import business_date
    from frontdesk.gui.context import CounterServices
    from frontdesk.gui.i18n import set_language
    from frontdesk.gui.main_window import CounterWindow
    from frontdesk.gui.settled_dialog import archive_settled, print_all
    from frontdesk.gui.visit_history import VisitHistoryDialog
    from frontdesk.services.auth import AuthService
    from frontdesk.services.dayclose import DayCloseService
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
            services = CounterServices.build(ws)
            services.prefs.print_folder = str(Path(tmp) / "printed")
            auth = AuthService(ws.db, ws.config.security, ws.clock)
            clerk = auth.sign_in("clerk01", "Counter2026")
            manager = auth.sign_in("manager01", "Manager2026")
            intake = services.intake
            window = CounterWindow(services, clerk)
            window.resize(1440, 860)
            window.show()
            for number, yuan, printed in (
                ("13800138000", 50, True),
                ("13600136000", 20, False),
                ("13700137000", 100, False),
            ):
                visit = intake.open_visit(clerk)
                intake.add_business(
                    clerk, visit, "TOP_UP", {"topup_amount": str(yuan)}, service_number=number
                )
                intake.add_payment(clerk, visit, "cash", yuan * 100)
                settled = intake.settle(clerk, visit)
                refs, _ = archive_settled(services, settled.slip_id)
                if printed:
                    print_all(window, services, refs, clerk)
            history = VisitHistoryDialog(services, clerk, window)
            history.resize(1100, 560)
            history.show()
            history.slips.setCurrentCell(2, 0)  # the first visit of the day: printed
            history.documents.setFocus()
            save(history, out / "visit_history.png")
            history.close()

            DayCloseService(ws).close(manager, business_date(ws.clock.now()), 17_000, None, None)
            window.refresh()
            window.queue.setFocus()
            save(window, out / "counter_day_closed.png")
            window.close()
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
