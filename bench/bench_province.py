"""A province's day at head office, scaled down in count but not in shape (docs/scaling.md).

Run: ``python bench/bench_province.py [--branches 60] [--workstations 8] [--slips 40]
[--concurrency 16] [--workers 2]``. A province is ~3,000 branches × 8 workstations; this
machine (2 CPUs shared by client, server and PostgreSQL) simulates ``--branches`` of
them with the real shape: every workstation enrolled with its own credential, a day of
visits (opened → slip with 2 items, a payment, a receipt → settled, each with its audit
entry: 8 records per customer) pushed over HTTP in the agent's batches, ``--concurrency``
counters at once, into a real head office (uvicorn, ``--workers``) and PostgreSQL.

Prints: the ingest rate overall and per ``ho_record`` partition (16 hash partitions by
branch: min / median / max, records and records/s), then the report-rows time of one
branch inside the loaded province beside the same branch alone in an empty database —
what partitioning by branch is for: a branch's question costs what its own records cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import orjson
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FRONTDESK_NO_KEYRING", "1")

from bench_sync_throughput import start_postgres

from frontdesk.core.clock import business_date
from frontdesk.headoffice.admin import issue_enrolment_code
from frontdesk.headoffice.db import make_engine, migrate
from tests.headoffice.factory import ServerProcess, create_database

HEADERS = {
    "X-Frontdesk-Protocol": "2",
    "X-Frontdesk-App": "bench",
    "X-Frontdesk-Schema": "0005",
    "Content-Type": "application/json",
}
BATCH = 200  # records per push: a busy counter's 30-second pass


def day_of(branch: str, ws: str, slips: int, day: dt.datetime) -> list[dict]:
    """One workstation's day: 8 records per customer, as the counter writes them."""
    out = []
    clerk = str(uuid.uuid4())

    def rec(kind: str, data: dict, when: dt.datetime) -> dict:
        rid = str(uuid.uuid4())
        return {
            "v": 1,
            "type": kind,
            "id": rid,
            "branch": branch,
            "workstation": ws,
            "data": {"id": rid, "created_at": when.isoformat(), **data},
        }

    for n in range(1, slips + 1):
        when = day + dt.timedelta(minutes=7 * n)
        visit = str(uuid.uuid4())
        detail = {"ticket_issued_at": (when - dt.timedelta(minutes=9)).isoformat()}
        out.append(
            rec(
                "visit_event",
                {"visit_id": visit, "event": "opened", "staff_id": clerk, "detail": detail},
                when,
            )
        )
        fees = [1000 + 37 * n, 5000]
        slip = rec(
            "slip",
            {
                "slip_no": f"{branch}-{ws}-S{n:06d}",
                "seq": n,
                "kind": "sale",
                "visit_id": visit,
                "clerk_id": clerk,
                "total_fen": sum(fees),
                "paid_fen": sum(fees),
                "change_fen": 0,
                "waiting_seconds": 540,
                "handling_seconds": 300,
                "business_date": business_date(when).isoformat(),
                "settled_at": when.isoformat(),
            },
            when,
        )
        out.append(slip)
        for line, fee in enumerate(fees, 1):
            out.append(
                rec(
                    "slip_item",
                    {
                        "slip_id": slip["id"],
                        "line_no": line,
                        "business_code": "TOP_UP",
                        "business_name": "话费充值",
                        "service_number": f"138{n:08d}",
                        "fields": {"amount": fee},
                        "fee_fen": fee,
                        "list_fee_fen": fee,
                        "account_effect": "none",
                    },
                    when,
                )
            )
        out.append(
            rec(
                "payment",
                {
                    "slip_id": slip["id"],
                    "line_no": 1,
                    "method": "wechat",
                    "amount_fen": sum(fees),
                    "tendered_fen": sum(fees),
                    "change_fen": 0,
                },
                when,
            )
        )
        out.append(
            rec(
                "receipt",
                {
                    "receipt_no": f"{branch}-{ws}-R{n:06d}",
                    "seq": n,
                    "slip_id": slip["id"],
                    "total_fen": sum(fees),
                    "cashier_id": clerk,
                    "issued_at": when.isoformat(),
                },
                when,
            )
        )
        out.append(
            rec(
                "visit_event",
                {"visit_id": visit, "event": "settled", "staff_id": clerk, "detail": {}},
                when,
            )
        )
        out.append(
            rec(
                "audit_entry",
                {"seq": n, "action": "slip.settle", "object_type": "slip", "detail": {}},
                when,
            )
        )
    return out


def enrol(engine, url: str, branch: str, ws: str) -> str:
    with engine.begin() as conn:
        code = issue_enrolment_code(conn, branch, ws)
    r = httpx.post(
        url + "/v1/enrol",
        json={"code": code, "branch": branch, "workstation": ws},
        headers={**HEADERS, "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat()},
    )
    r.raise_for_status()
    return str(r.json()["token"])


def push_day(url: str, token: str, records: list[dict]) -> int:
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    stored = 0
    with httpx.Client(base_url=url, timeout=120) as http:
        for start in range(0, len(records), BATCH):
            headers["X-Frontdesk-Device-Time"] = dt.datetime.now(dt.UTC).isoformat()
            body = orjson.dumps({"records": records[start : start + BATCH]})
            r = http.post("/v1/push", content=body, headers=headers)
            r.raise_for_status()
            answer = r.json()
            assert not answer["rejected"], answer["rejected"][:2]
            stored += answer["stored"]
    return stored


def report_rows_seconds(engine, url: str, token: str, day: dt.date, repeats: int = 5) -> float:
    """Median time of the branch's report rows for the day, statistics fresh (both
    databases ANALYZEd, so neither is timed on a plan for an empty table)."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    headers = {
        **HEADERS,
        "Authorization": f"Bearer {token}",
        "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat(),
    }
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        r = httpx.get(f"{url}/v1/report-rows?from={day}&to={day}", headers=headers, timeout=120)
        times.append(time.perf_counter() - t0)
        r.raise_for_status()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=60)
    parser.add_argument("--workstations", type=int, default=8)
    parser.add_argument("--slips", type=int, default=40, help="customers per workstation")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    admin, pg = start_postgres()
    root = Path(tempfile.mkdtemp(prefix="frontdesk-province-"))
    province = create_database(admin, f"fd_prov_{uuid.uuid4().hex[:6]}")
    alone = create_database(admin, f"fd_alone_{uuid.uuid4().hex[:6]}")
    for url in (province, alone):
        migrate(url)
    engine = make_engine(province, pool_size=2)
    server = ServerProcess(province, root / "province", workers=args.workers)
    server.start()
    day = dt.datetime.now(dt.UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    try:
        counters = [
            (f"P{b:04d}", f"W{w:02d}")
            for b in range(1, args.branches + 1)
            for w in range(1, args.workstations + 1)
        ]
        tokens = {c: enrol(engine, server.url, *c) for c in counters}
        days = {c: day_of(*c, args.slips, day) for c in counters}
        total = sum(len(d) for d in days.values())
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            stored = sum(pool.map(lambda c: push_day(server.url, tokens[c], days[c]), counters))
        elapsed = time.perf_counter() - t0
        assert stored == total, (stored, total)
        with engine.connect() as conn:
            per_partition = [
                int(n)
                for (n,) in conn.execute(
                    text("SELECT count(*) FROM ho_record GROUP BY tableoid ORDER BY 1")
                )
            ]
        print(
            f"province day: {args.branches} branches x {args.workstations} workstations x"
            f" {args.slips} customers = {total:,} records from {len(counters)} counters"
            f" ({args.concurrency} pushing at once, batches of {BATCH})"
        )
        print(f"  ingest: {elapsed:.1f} s = {total / elapsed:,.0f} records/s over HTTP")
        lo, med, hi = min(per_partition), statistics.median(per_partition), max(per_partition)
        print(
            f"  per partition ({len(per_partition)} of 16 hold records): {lo:,} / {med:,.0f} /"
            f" {hi:,} records (min / median / max) = {lo / elapsed:,.0f} / {med / elapsed:,.0f}"
            f" / {hi / elapsed:,.0f} records/s"
        )
        branch = counters[0][0]
        in_province = report_rows_seconds(engine, server.url, tokens[counters[0]], day.date())
        server.stop()
        lone = ServerProcess(alone, root / "alone", workers=args.workers)
        lone.start()
        try:
            lone_engine = make_engine(alone, pool_size=2)
            own = [c for c in counters if c[0] == branch]
            lone_tokens = {c: enrol(lone_engine, lone.url, *c) for c in own}
            for c in own:
                push_day(lone.url, lone_tokens[c], days[c])
            by_itself = report_rows_seconds(lone_engine, lone.url, lone_tokens[own[0]], day.date())
            lone_engine.dispose()
        finally:
            lone.stop()
        print(
            f"  report rows of branch {branch} ({args.workstations * args.slips} visits):"
            f" {in_province * 1000:.0f} ms inside the province beside"
            f" {by_itself * 1000:.0f} ms alone in its own database"
            f" (ratio {in_province / by_itself:.2f})"
        )
    finally:
        server.stop()
        engine.dispose()
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
