"""Summary + PDF + XLSX export of a branch day (2,000 visits) and of a month (SPEC §12).

Targets (issue): a day ≤ 1 s, a month ≤ 5 s, for the summary (grouped SQL + core
arithmetic) plus rendering both the PDF (with charts) and the XLSX.

A throw-away workstation gets 30 business days of 2,000 visits each, written with
bulk inserts straight into the tables the services write (visits, sale slips with 1–3
businesses, 1–2 payments, some voids and refunds, suspended and cancelled visits,
VIP tickets) — building 60,000 visits through the settle path would take an hour and
measure settling, not reporting. Timings are warm (font loaded, as on a running
counter), median of ``--repeat`` runs.

Usage: ``python bench/bench_reports.py [--visits 2000] [--days 30] [--repeat 5] [--json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from frontdesk.core.clock import BUSINESS_TZ, FixedClock  # noqa: E402
from frontdesk.reporting import ReportService  # noqa: E402
from frontdesk.services.demo import load_demo_data  # noqa: E402
from frontdesk.services.workstation import initialise  # noqa: E402
from frontdesk.store.models import (  # noqa: E402
    Payment,
    Slip,
    SlipItem,
    Staff,
    Visit,
    VisitEvent,
)

BUSINESSES = [
    ("TOP_UP", "话费缴纳/充值", 5_000),
    ("REPLACE_SIM", "补(换)卡", 1_000),
    ("BALANCE_ENQUIRY", "话费查询", 0),
    ("NEW_LINE", "入网/装机", 10_000),
    ("PLAN_CHANGE", "产品订购和变更", 0),
    ("HANDSET_SALE", "购机", 299_900),
]
TIERS = ["standard"] * 8 + ["silver", "gold", "diamond"]
METHODS = ["cash", "cash", "wechat", "alipay", "bank_card"]


def populate(ws, days: int, visits_per_day: int, last_day: dt.date, seed: int = 7) -> int:
    rng = random.Random(seed)
    with ws.db.reader() as s:
        clerks = [r[0] for r in s.execute(select(Staff.id).where(Staff.role == "clerk"))]
        manager = s.scalar(select(Staff.id).where(Staff.role == "manager"))
    seq = 0
    total = 0
    for d in range(days):
        day = last_day - dt.timedelta(days=days - 1 - d)
        visits, events, slips, items, payments = [], [], [], [], []
        open_at = dt.datetime.combine(day, dt.time(9), BUSINESS_TZ)
        sale_slips: list[tuple[dict, list[dict], list[dict]]] = []
        for n in range(visits_per_day):
            vid = uuid.uuid4()
            issued = open_at + dt.timedelta(seconds=rng.randint(0, 10 * 3600))
            called = issued + dt.timedelta(seconds=int(rng.expovariate(1 / 420)))
            handling = int(rng.expovariate(1 / 300)) + 60
            ended = called + dt.timedelta(seconds=handling)
            roll = rng.random()
            status = "settled" if roll < 0.94 else ("cancelled" if roll < 0.98 else "suspended")
            clerk = rng.choice(clerks)
            ticket = rng.random() < 0.85
            visits.append(
                dict(
                    id=vid,
                    branch_code="BJ0101",
                    workstation_code="W01",
                    clerk_id=clerk,
                    status=status,
                    ticket_no=f"A{n:03d}" if ticket else None,
                    ticket_tier=rng.choice(TIERS) if ticket else None,
                    ticket_issued_at=issued if ticket else None,
                    called_at=called,
                    opened_at=called,
                    ended_at=ended if status != "suspended" else None,
                    draft={},
                )
            )
            events.append(
                dict(id=uuid.uuid4(), visit_id=vid, event="opened", staff_id=clerk, detail={})
            )
            if rng.random() < 0.03:
                events.append(
                    dict(
                        id=uuid.uuid4(), visit_id=vid, event="suspended", staff_id=clerk, detail={}
                    )
                )
            if status != "settled":
                continue
            seq += 1
            sid = uuid.uuid4()
            chosen = rng.sample(BUSINESSES, rng.choice((1, 1, 1, 2, 3)))
            slip_items = [
                dict(
                    id=uuid.uuid4(),
                    slip_id=sid,
                    line_no=i + 1,
                    business_code=code,
                    business_name=name,
                    fields={},
                    fee_fen=fee,
                    list_fee_fen=fee,
                    overrides=[],
                    account_effect="none",
                )
                for i, (code, name, fee) in enumerate(chosen)
            ]
            total_fen = sum(i["fee_fen"] for i in slip_items)
            slip_payments = []
            if total_fen:
                first = total_fen if rng.random() < 0.8 else total_fen // 2
                for line_no, amount in enumerate([first, total_fen - first], start=1):
                    if amount:
                        method = rng.choice(METHODS)
                        change = rng.choice((0, 0, 500)) if method == "cash" else 0
                        slip_payments.append(
                            dict(
                                id=uuid.uuid4(),
                                slip_id=sid,
                                line_no=line_no,
                                method=method,
                                amount_fen=amount,
                                tendered_fen=amount + change,
                                change_fen=change,
                            )
                        )
            slip = dict(
                id=sid,
                slip_no=f"BJ0101-W01-{day:%Y%m%d}-S{seq:06d}",
                seq=seq,
                kind="sale",
                visit_id=vid,
                branch_code="BJ0101",
                workstation_code="W01",
                clerk_id=clerk,
                total_fen=total_fen,
                paid_fen=total_fen,
                change_fen=sum(p["change_fen"] for p in slip_payments),
                catalogue_version=1,
                ticket_no=f"A{n:03d}" if ticket else None,
                waiting_seconds=int((called - issued).total_seconds()) if ticket else None,
                handling_seconds=handling,
                recheck_required=False,
                recheck_reasons=[],
                verification_code="BENCH",
                business_date=day,
                settled_at=ended,
            )
            slips.append(slip)
            items.extend(slip_items)
            payments.extend(slip_payments)
            sale_slips.append((slip, slip_items, slip_payments))
        for slip, slip_items, slip_payments in rng.sample(sale_slips, len(sale_slips) // 100):
            seq += 1
            cid = uuid.uuid4()
            kind = rng.choice(("void", "refund"))
            slips.append(
                dict(
                    slip,
                    id=cid,
                    slip_no=f"BJ0101-W01-{day:%Y%m%d}-S{seq:06d}",
                    seq=seq,
                    kind=kind,
                    original_slip_id=slip["id"],
                    reason="客户要求",
                    authorised_by=manager,
                    total_fen=-slip["total_fen"],
                    paid_fen=-slip["total_fen"],
                    change_fen=0,
                    waiting_seconds=None,
                    handling_seconds=None,
                )
            )
            items.extend(
                dict(i, id=uuid.uuid4(), slip_id=cid, fee_fen=-i["fee_fen"]) for i in slip_items
            )
            payments.extend(
                dict(p, id=uuid.uuid4(), slip_id=cid, amount_fen=-p["amount_fen"], change_fen=0)
                for p in slip_payments
            )
        with ws.db.unit_of_work() as uow:
            s = uow.session
            s.execute(insert(Visit), visits)
            s.execute(insert(VisitEvent), events)
            s.execute(insert(Slip), slips)
            s.execute(insert(SlipItem), items)
            if payments:
                s.execute(insert(Payment), payments)
            uow.commit()
        total += len(visits)
    return total


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm-up: font load, imports, SQLite page cache
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    last_day = dt.date(2026, 11, 30)
    clock = FixedClock(dt.datetime.combine(last_day, dt.time(21), BUSINESS_TZ))
    with tempfile.TemporaryDirectory() as tmp:
        ws = initialise(Path(tmp) / "ws", branch_code="BJ0101", workstation_code="W01", clock=clock)
        load_demo_data(ws)
        start = time.perf_counter()
        n = populate(ws, args.days, args.visits, last_day)
        build_s = time.perf_counter() - start
        service = ReportService(ws)
        first = last_day - dt.timedelta(days=args.days - 1)
        results = {}
        for label, d0 in (("day", last_day), ("month", first)):
            summary = service.summary(None, d0, last_day)
            parts = {
                "summary": timed(lambda d0=d0: service.summary(None, d0, last_day), args.repeat),
                "pdf": timed(lambda s=summary: service.render(s, "pdf"), args.repeat),
                "xlsx": timed(lambda s=summary: service.render(s, "xlsx"), args.repeat),
                "csv": timed(lambda s=summary: service.render(s, "csv"), args.repeat),
            }

            def whole(d0=d0) -> None:
                s = service.summary(None, d0, last_day)
                service.render(s, "pdf")
                service.render(s, "xlsx")

            parts["summary+pdf+xlsx"] = timed(whole, args.repeat)
            results[label] = {
                "visits": summary.visits.total,
                **{k: round(statistics.median(v), 1) for k, v in parts.items()},
            }
        ws.close()
    report = {"visits_built": n, "build_seconds": round(build_s, 1), "median_ms": results}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"built {n} visits in {build_s:.1f} s")
        for label, r in results.items():
            target = 1000 if label == "day" else 5000
            verdict = "OK" if r["summary+pdf+xlsx"] <= target else "OVER"
            print(
                f"{label:5} ({r['visits']} visits): summary {r['summary']} ms, pdf {r['pdf']} ms, "
                f"xlsx {r['xlsx']} ms, csv {r['csv']} ms; summary+pdf+xlsx "
                f"{r['summary+pdf+xlsx']} ms (target {target} ms: {verdict})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
