"""Branch-wide summary from head office: a branch day (2,000 visits) and a month.

Targets (SPEC §12, as for a counter's own reports): a day ≤ 1 s, a month ≤ 5 s, for
the summary plus its PDF and XLSX — here with every counter's rows coming from head
office (``GET /v1/report-rows``) over HTTP.

Head office gets 30 business days of a branch with 4 counters × 500 visits a day (each
visit: its ``opened`` and ``settled``/``cancelled`` events, a sale slip with 1–3
items, a payment, a receipt; 1 % voided), stored through the real ``store_batch`` as
pushes would store them, plus the same volume for a second branch so the queries must
pick one branch out of a shared table. An empty fifth counter of the branch asks.

Usage: ``python bench/bench_branch_report.py [--visits 500] [--counters 4] [--days 30]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FRONTDESK_NO_KEYRING", "1")

from bench.bench_sync_throughput import start_postgres
from frontdesk.core.clock import BUSINESS_TZ, FixedClock
from frontdesk.headoffice.admin import issue_enrolment_code
from frontdesk.headoffice.db import make_engine, migrate
from frontdesk.headoffice.ingest import store_batch
from frontdesk.headoffice.reports import report_rows
from frontdesk.reporting import ReportService
from frontdesk.services.workstation import initialise
from frontdesk.sync.client import HeadOfficeClient
from tests.headoffice.factory import ServerProcess, create_database

BUSINESSES = [("TOP_UP", "话费充值"), ("REPLACE_SIM", "补(换)卡"), ("PLAN_CHANGE", "套餐变更")]
METHODS = ["cash", "wechat", "alipay", "bank_card"]


def envelope(kind: str, branch: str, ws: str, data: dict) -> dict:
    rid = str(uuid.uuid4())
    return {
        "v": 1,
        "type": kind,
        "id": rid,
        "branch": branch,
        "workstation": ws,
        "data": {"id": rid, **data},
    }


def counter_day(
    branch: str, ws: str, day: dt.date, visits: int, rng: random.Random, seq: list[int]
) -> list[dict]:
    """One counter's records of one business day."""
    out: list[dict] = []
    clerks = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(2)]
    start = dt.datetime.combine(day, dt.time(9), BUSINESS_TZ)
    for n in range(visits):
        visit = str(uuid.uuid4())
        issued = start + dt.timedelta(seconds=n * 60)
        called = issued + dt.timedelta(seconds=rng.randint(30, 1200))
        ended = called + dt.timedelta(seconds=rng.randint(120, 900))
        clerk = rng.choice(clerks)
        tier = rng.choices(["standard", "gold", "diamond"], [8, 1, 1])[0]
        out.append(
            envelope(
                "visit_event",
                branch,
                ws,
                {
                    "visit_id": visit,
                    "event": "opened",
                    "staff_id": clerk,
                    "detail": {
                        "ticket_no": f"A{n:03d}",
                        "ticket_tier": tier,
                        "ticket_issued_at": issued.isoformat(),
                        "called_at": called.isoformat(),
                    },
                    "created_at": called.isoformat(),
                },
            )
        )
        if rng.random() < 0.05:
            out.append(
                envelope(
                    "visit_event",
                    branch,
                    ws,
                    {
                        "visit_id": visit,
                        "event": "cancelled",
                        "staff_id": clerk,
                        "detail": {"reason": "客户离开", "tier": tier},
                        "created_at": ended.isoformat(),
                    },
                )
            )
            continue
        seq[0] += 1
        slip = str(uuid.uuid4())
        fees = [rng.randint(1, 300) * 100 for _ in range(rng.randint(1, 3))]
        total = sum(fees)
        slip_data = {
            "id": slip,
            "slip_no": f"{branch}-{ws}-{day:%Y%m%d}-S{seq[0]:06d}",
            "seq": seq[0],
            "kind": "sale",
            "visit_id": visit,
            "clerk_id": clerk,
            "total_fen": total,
            "paid_fen": total,
            "business_date": day.isoformat(),
            "settled_at": ended.isoformat(),
            "waiting_seconds": int((called - issued).total_seconds()),
            "handling_seconds": int((ended - called).total_seconds()),
            "created_at": ended.isoformat(),
        }
        out.append(
            {
                "v": 1,
                "type": "slip",
                "id": slip,
                "branch": branch,
                "workstation": ws,
                "data": slip_data,
            }
        )
        for line, fee in enumerate(fees, 1):
            code, name = rng.choice(BUSINESSES)
            out.append(
                envelope(
                    "slip_item",
                    branch,
                    ws,
                    {
                        "slip_id": slip,
                        "line_no": line,
                        "business_code": code,
                        "business_name": name,
                        "fee_fen": fee,
                        "list_fee_fen": fee,
                        "account_effect": "none",
                        "created_at": ended.isoformat(),
                    },
                )
            )
        method = rng.choice(METHODS)
        out.append(
            envelope(
                "payment",
                branch,
                ws,
                {
                    "slip_id": slip,
                    "line_no": 1,
                    "method": method,
                    "amount_fen": total,
                    "tendered_fen": total,
                    "change_fen": 0,
                    "created_at": ended.isoformat(),
                },
            )
        )
        out.append(
            envelope(
                "receipt",
                branch,
                ws,
                {
                    "slip_id": slip,
                    "seq": seq[0],
                    "total_fen": total,
                    "created_at": ended.isoformat(),
                },
            )
        )
        out.append(
            envelope(
                "visit_event",
                branch,
                ws,
                {
                    "visit_id": visit,
                    "event": "settled",
                    "staff_id": clerk,
                    "detail": {"slip_no": slip_data["slip_no"], "tier": tier},
                    "created_at": ended.isoformat(),
                },
            )
        )
        if rng.random() < 0.01:
            seq[0] += 1
            void = str(uuid.uuid4())
            out.append(
                {
                    "v": 1,
                    "type": "slip",
                    "id": void,
                    "branch": branch,
                    "workstation": ws,
                    "data": {
                        **slip_data,
                        "id": void,
                        "seq": seq[0],
                        "kind": "void",
                        "slip_no": f"{branch}-{ws}-{day:%Y%m%d}-S{seq[0]:06d}",
                        "visit_id": None,
                        "original_slip_id": slip,
                        "reason": "录入错误",
                        "authorised_by": clerks[0],
                        "total_fen": -total,
                        "paid_fen": -total,
                    },
                }
            )
            out.append(
                envelope(
                    "payment",
                    branch,
                    ws,
                    {
                        "slip_id": void,
                        "line_no": 1,
                        "method": method,
                        "amount_fen": -total,
                        "tendered_fen": -total,
                        "change_fen": 0,
                        "created_at": ended.isoformat(),
                    },
                )
            )
    return out


def populate(
    engine, branches: list[str], counters: int, days: int, visits: int, last_day: dt.date
) -> int:
    rng = random.Random(2026)
    stored = 0
    for branch in branches:
        for c in range(1, counters + 1):
            ws = f"W{c:02d}"
            seq = [0]
            for d in range(days):
                day = last_day - dt.timedelta(days=days - 1 - d)
                records = counter_day(branch, ws, day, visits, rng, seq)
                for i in range(0, len(records), 2000):
                    with engine.connect() as conn:
                        stored += store_batch(
                            conn,
                            records[i : i + 2000],
                            branch=branch,
                            workstation=ws,
                            skew_seconds=0,
                            skew_limit=300,
                        ).stored
                        conn.commit()
    return stored


def timed(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=500, help="per counter per day")
    parser.add_argument("--counters", type=int, default=4)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    admin, pg = start_postgres()
    url = create_database(admin, f"fd_brep_{uuid.uuid4().hex[:6]}")
    migrate(url)
    engine = make_engine(url, pool_size=2)
    root = Path(tempfile.mkdtemp(prefix="frontdesk-brep-"))
    last_day = dt.date(2026, 11, 30)
    first_day = last_day - dt.timedelta(days=args.days - 1)
    server = ServerProcess(url, root / "srv", workers=2)
    try:
        t0 = time.perf_counter()
        n = populate(engine, ["BJ0101", "BJ0202"], args.counters, args.days, args.visits, last_day)
        print(
            f"head office: {n:,} records of 2 branches stored in {time.perf_counter() - t0:.0f} s"
        )
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE ho_record")
            conn.commit()
        now = dt.datetime.combine(last_day, dt.time(21), BUSINESS_TZ)
        for label, d0 in (("day", last_day), ("month", first_day)):

            def rows(d0=d0) -> dict:
                with engine.connect() as conn, engine.connect() as helper:
                    return report_rows(conn, "BJ0101", d0, last_day, now, helper=helper)

            visits = len(rows()["visits"])
            ms = timed(rows, args.repeat)
            print(
                f"  report rows, {label}: {visits:,} visits, "
                f"{ms:.0f} ms in head office (median of {args.repeat})"
            )
        server.start()
        with engine.begin() as conn:
            code = issue_enrolment_code(conn, "BJ0101", "W05")
        ws = initialise(
            root / "w05", branch_code="BJ0101", workstation_code="W05", clock=FixedClock(now)
        )
        with HeadOfficeClient(server.url) as c:
            token = c.enrol(code, "BJ0101", "W05")["token"]
        with HeadOfficeClient(server.url, token, timeout=60) as client:
            service = ReportService(ws, branch_source=client)
            for label, d0 in (("day", last_day), ("month", first_day)):
                summary = service.summary(None, d0, last_day, branch=True)
                assert summary.source == "head_office"
                parts = {
                    "summary": timed(
                        lambda d0=d0: service.summary(None, d0, last_day, branch=True), args.repeat
                    ),
                    "pdf": timed(lambda s=summary: service.render(s, "pdf"), args.repeat),
                    "xlsx": timed(lambda s=summary: service.render(s, "xlsx"), args.repeat),
                }

                def whole(d0=d0) -> None:
                    s = service.summary(None, d0, last_day, branch=True)
                    service.render(s, "pdf")
                    service.render(s, "xlsx")

                parts["summary+pdf+xlsx"] = timed(whole, args.repeat)
                print(
                    f"  branch {label} at a counter, over HTTP ({summary.visits.total:,} "
                    "visits): " + ", ".join(f"{k} {v:.0f} ms" for k, v in parts.items())
                )
        ws.close()
    finally:
        server.stop()
        engine.dispose()
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
