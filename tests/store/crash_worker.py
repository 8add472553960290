"""Settles 3-business slips in a loop until killed; prints each slip number once its
commit has returned. Run by test_crash_safety.py, which kills it with SIGKILL."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from frontdesk.services.auth import StaffSession
from frontdesk.services.intake import IntakeService
from frontdesk.services.workstation import Workstation
from frontdesk.store.models import Staff


def main(data_dir: str) -> None:
    ws = Workstation.open(Path(data_dir))
    with ws.db.reader() as s:
        staff = s.scalar(select(Staff).where(Staff.username == "clerk01"))
        clerk = StaffSession.of(staff, ws.clock.now())
    intake = IntakeService(ws)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        visit = intake.open_visit(clerk)
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": f"{10 + n % 50}"}, service_number="13600136000"
        )
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "20.50"}, service_number="13800138000"
        )
        intake.add_business(clerk, visit, "ENQUIRY", {"enquiry_topic": "套餐资费咨询"})
        due = intake.view(visit).due_fen
        intake.add_payment(clerk, visit, "wechat", 1_000, reference=f"WX{n:08d}")
        intake.add_payment(clerk, visit, "cash", due - 1_000 + 500)
        settled = intake.settle(clerk, visit)
        print(settled.slip_no, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
