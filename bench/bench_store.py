"""Settle and look-up speed at production scale (SPEC §12, issue 2).

Builds a workstation holding N settled slips (3 items, 1 payment, 1 receipt each) and
N customers (1–2 lines each), then measures through the real services:

- settle of a 3-business slip (``IntakeService.settle``), median over repeats;
- the whole visit (open + 3 businesses + payment + settle), for context;
- customer look-up by ID number (keyed hash) and by phone, with and without the audit
  entry every real look-up writes.

Beside them, measured in the same run on the same file with the same pragmas, the
floors: one bare ``sqlite3`` transaction inserting the same rows a settle writes and
committing, and one bare indexed point query.

Usage: ``python bench/bench_store.py [--slips 1000000] [--customers 1000000]
[--repeat 200] [--data DIR]``. Building 1,000,000 of each takes a few minutes and
about 2 GB of disk; ``--data`` reuses a folder built before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from frontdesk.core.clock import BUSINESS_TZ, FixedClock
from frontdesk.core.ids import mod11_2_check
from frontdesk.services.auth import StaffSession
from frontdesk.services.customers import CustomerService
from frontdesk.services.demo import load_demo_data
from frontdesk.services.intake import IntakeService
from frontdesk.services.workstation import Workstation, initialise
from frontdesk.store.models import Staff

NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=BUSINESS_TZ)
BATCH = 50_000


def _ts(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _hex() -> str:
    return uuid.uuid4().hex


def person_number(i: int) -> str:
    """The i-th generated customer's valid 18-digit resident ID number (unique per i)."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=i // 1000)
    body = f"110105{birth:%Y%m%d}{i % 1000:03d}"
    return body + mod11_2_check(body)


def populate(ws: Workstation, n_slips: int, n_customers: int) -> None:
    """Bulk-load history with plain sqlite3 (what years of counter work would leave)."""
    conn = sqlite3.connect(ws.db_path)
    conn.execute("PRAGMA synchronous = OFF")
    clerk = conn.execute("SELECT id FROM staff WHERE username = 'clerk01'").fetchone()[0]
    rng = random.Random(7)
    t0 = time.perf_counter()
    start = NOW - dt.timedelta(days=3 * 365)
    step = dt.timedelta(days=3 * 365) / max(n_slips, 1)
    for base in range(0, n_slips, BATCH):
        slips, items, payments, receipts = [], [], [], []
        for i in range(base, min(base + BATCH, n_slips)):
            seq = i + 1
            at = start + step * i
            slip_id, visit_total = _hex(), 0
            fees = [rng.choice((1_000, 2_000, 5_000, 10_000)) for _ in range(3)]
            for line_no, fee in enumerate(fees, 1):
                items.append(
                    (
                        _hex(),
                        _ts(at),
                        slip_id,
                        line_no,
                        "TOP_UP",
                        "话费缴纳/充值",
                        f"138{rng.randrange(10**8):08d}",
                        "{}",
                        fee,
                        fee,
                        "[]",
                        "top_up",
                    )
                )
                visit_total += fee
            day = at.astimezone(BUSINESS_TZ).date()
            slip_no = f"BJ0101-W01-{day:%Y%m%d}-S{seq:06d}"
            slips.append(
                (
                    slip_id,
                    _ts(at),
                    slip_no,
                    seq,
                    "sale",
                    "BJ0101",
                    "W01",
                    clerk,
                    visit_total,
                    visit_total,
                    0,
                    1,
                    0,
                    "[]",
                    "ABCD1234",
                    day.isoformat(),
                    _ts(at),
                )
            )
            payments.append((_hex(), _ts(at), slip_id, 1, "cash", visit_total, visit_total, 0))
            receipts.append(
                (
                    _hex(),
                    _ts(at),
                    f"BJ0101-W01-{day:%Y%m%d}-R{seq:06d}",
                    seq,
                    "sale",
                    slip_id,
                    visit_total,
                    clerk,
                    _ts(at),
                )
            )
        with conn:
            conn.executemany(
                "INSERT INTO slip (id, created_at, slip_no, seq, kind, branch_code,"
                " workstation_code, clerk_id, total_fen, paid_fen, change_fen,"
                " catalogue_version, recheck_required, recheck_reasons, verification_code,"
                " business_date, settled_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                slips,
            )
            conn.executemany(
                "INSERT INTO slip_item (id, created_at, slip_id, line_no, business_code,"
                " business_name, service_number, fields, fee_fen, list_fee_fen, overrides,"
                " account_effect) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                items,
            )
            conn.executemany(
                "INSERT INTO payment (id, created_at, slip_id, line_no, method, amount_fen,"
                " tendered_fen, change_fen) VALUES (?,?,?,?,?,?,?,?)",
                payments,
            )
            conn.executemany(
                "INSERT INTO receipt (id, created_at, receipt_no, seq, kind, slip_id, total_fen,"
                " cashier_id, issued_at) VALUES (?,?,?,?,?,?,?,?,?)",
                receipts,
            )
        print(
            f"  slips {min(base + BATCH, n_slips):>9,} ({time.perf_counter() - t0:5.0f} s)",
            end="\r",
            flush=True,
        )
    with conn:
        for kind in ("slip", "receipt"):
            conn.execute(
                "INSERT OR REPLACE INTO number_sequence (kind, scope, last_value)"
                " VALUES (?, 'BJ0101-W01', ?)",
                (kind, n_slips),
            )
    print()
    vault = ws.vault
    t0 = time.perf_counter()
    for base in range(0, n_customers, BATCH):
        customers, lines = [], []
        for i in range(base, min(base + BATCH, n_customers)):
            cid = _hex()
            number = person_number(i)
            id_hash = vault.lookup_hash(f"resident_id:{number}")
            phone = f"15{i:09d}"
            customers.append(
                (
                    cid,
                    "person",
                    f"客户{i}",
                    "resident_id",
                    id_hash,
                    number[:6] + "********" + number[-4:],
                    phone,
                    "standard",
                    1,
                    "cache",
                    _ts(NOW),
                    _ts(NOW),
                    0,
                )
            )
            lines.append(
                (
                    _hex(),
                    cid,
                    phone,
                    "mobile",
                    "mob_59",
                    "prepaid",
                    "active",
                    rng.randrange(10_000),
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    _ts(NOW),
                )
            )
            if i % 2:
                lines.append(
                    (
                        _hex(),
                        cid,
                        f"18{i:09d}",
                        "mobile",
                        "mob_129",
                        "postpaid",
                        "active",
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        _ts(NOW),
                    )
                )
        with conn:
            conn.executemany(
                "INSERT INTO customer (id, kind, name, doc_type, id_hash, id_masked,"
                " contact_phone, tier, numbers_with_operator, state_source, state_as_of,"
                " created_at, tier_frozen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                customers,
            )
            conn.executemany(
                "INSERT INTO line (id, customer_id, number, service, plan_code, payment_mode,"
                " status, balance_fen, arrears_fen, deposit_fen, pretty_number_lock,"
                " marketing_lock, moved_without_change, roaming_enabled, state_as_of)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                lines,
            )
        print(
            f"  customers {min(base + BATCH, n_customers):>9,} ({time.perf_counter() - t0:5.0f} s)",
            end="\r",
            flush=True,
        )
    print()
    conn.execute("ANALYZE")
    conn.close()


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def bench_settle(ws: Workstation, repeat: int) -> tuple[list[float], list[float]]:
    with ws.db.reader() as s:
        staff = s.scalar(select(Staff).where(Staff.username == "clerk01"))
        clerk = StaffSession.of(staff, NOW)
    intake = IntakeService(ws)
    settle_times, visit_times = [], []
    for i in range(repeat):
        t0 = time.perf_counter()
        visit = intake.open_visit(clerk)
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "50"}, service_number="13600136000"
        )
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "20"}, service_number="13800138000"
        )
        intake.add_business(clerk, visit, "ENQUIRY", {"enquiry_topic": "资费咨询"})
        intake.add_payment(clerk, visit, "wechat", 3_000, reference=f"WX{i:010d}")
        intake.add_payment(clerk, visit, "cash", 5_000)
        t1 = time.perf_counter()
        intake.settle(clerk, visit)
        t2 = time.perf_counter()
        settle_times.append(t2 - t1)
        visit_times.append(t2 - t0)
    return settle_times, visit_times


def bench_bare_commit(db_path: Path, repeat: int) -> list[float]:
    """The same rows a settle writes (slip, 3 items, 2 payments, receipt, visit event,
    audit entry, their 9 outbox rows, 2 sequence updates, the visit update), raw."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    clerk = conn.execute("SELECT id FROM staff WHERE username = 'clerk01'").fetchone()[0]
    times = []
    now = _ts(NOW)
    for i in range(repeat):
        slip_id = _hex()
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE number_sequence SET last_value = last_value + 1 WHERE kind='slip'")
        conn.execute("UPDATE number_sequence SET last_value = last_value + 1 WHERE kind='receipt'")
        conn.execute(
            "INSERT INTO slip (id, created_at, slip_no, seq, kind, branch_code,"
            " workstation_code, clerk_id, total_fen, paid_fen, change_fen, catalogue_version,"
            " recheck_required, recheck_reasons, verification_code, business_date, settled_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                slip_id,
                now,
                f"BARE-{i}-{slip_id[:8]}",
                10**8 + i,
                "sale",
                "BJ0101",
                "W01",
                clerk,
                7000,
                7000,
                0,
                1,
                0,
                "[]",
                "X",
                "2026-11-21",
                now,
            ),
        )
        for line_no in (1, 2, 3):
            conn.execute(
                "INSERT INTO slip_item (id, created_at, slip_id, line_no, business_code,"
                " business_name, service_number, fields, fee_fen, list_fee_fen, overrides,"
                " account_effect) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    _hex(),
                    now,
                    slip_id,
                    line_no,
                    "TOP_UP",
                    "充值",
                    "13600136000",
                    "{}",
                    100,
                    100,
                    "[]",
                    "top_up",
                ),
            )
        for line_no in (1, 2):
            conn.execute(
                "INSERT INTO payment (id, created_at, slip_id, line_no, method, amount_fen,"
                " tendered_fen, change_fen) VALUES (?,?,?,?,?,?,?,?)",
                (_hex(), now, slip_id, line_no, "cash", 100, 100, 0),
            )
        conn.execute(
            "INSERT INTO receipt (id, created_at, receipt_no, seq, kind, slip_id, total_fen,"
            " cashier_id, issued_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (_hex(), now, f"BARE-R-{i}-{slip_id[:8]}", 10**8 + i, "sale", slip_id, 300, clerk, now),
        )
        conn.executemany(
            "INSERT INTO outbox (record_id, record_type, payload, created_at, attempts)"
            " VALUES (?,?,?,?,0)",
            [(_hex(), "slip", json.dumps({"x": "y" * 300}), now) for _ in range(9)],
        )
        conn.execute("COMMIT")
        times.append(time.perf_counter() - t0)
    conn.close()
    return times


def bench_lookups(ws: Workstation, n_customers: int, repeat: int) -> dict[str, list[float]]:
    customers = CustomerService(ws)
    rng = random.Random(3)
    results: dict[str, list[float]] = {"id": [], "phone": [], "phone_audited": [], "bare": []}
    with ws.db.reader() as s:
        staff = s.scalar(select(Staff).where(Staff.username == "clerk01"))
        clerk = StaffSession.of(staff, NOW)
    conn = sqlite3.connect(ws.db_path)
    for _ in range(repeat):
        i = rng.randrange(n_customers) if n_customers else 0
        number = person_number(i)
        id_hash = ws.vault.lookup_hash(f"resident_id:{number}")
        phone = f"15{i:09d}"
        t0 = time.perf_counter()
        with ws.db.reader() as s:
            from frontdesk.store.models import Customer

            found = s.scalars(select(Customer).where(Customer.id_hash == id_hash)).all()
            customers._summaries(s, found)
        results["id"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        customers.find_by_phone(clerk, phone, audited=False)
        results["phone"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        customers.find_by_phone(clerk, phone, audited=True)
        results["phone_audited"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        conn.execute("SELECT id, name FROM customer WHERE id_hash = ?", (id_hash,)).fetchall()
        results["bare"].append(time.perf_counter() - t0)
    # the document look-up as the service does it (normalise + hash + query [+ audit])
    service, audited = [], []
    for _ in range(repeat):
        number = person_number(rng.randrange(n_customers) if n_customers else 0)
        t0 = time.perf_counter()
        customers.find_by_document(clerk, "resident_id", number, audited=False)
        service.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        customers.find_by_document(clerk, "resident_id", number, audited=True)
        audited.append(time.perf_counter() - t0)
    results["id_service"], results["id_service_audited"] = service, audited
    conn.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slips", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--data", type=Path, help="folder to build in / reuse")
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="frontdesk-bench-")) / "ws"
    clock = FixedClock(NOW)
    if (folder / "frontdesk.toml").exists():
        ws = Workstation.open(folder, clock=clock)
        print(f"reusing {folder}")
    else:
        ws = initialise(folder, branch_code="BJ0101", workstation_code="W01", clock=clock)
        load_demo_data(ws)
        print(f"building {args.slips:,} slips and {args.customers:,} customers in {folder}")
        populate(ws, args.slips, args.customers)
    size_mb = ws.db_path.stat().st_size / 1e6
    print(f"database: {size_mb:,.0f} MB")
    settle, visit = bench_settle(ws, args.repeat)
    bare = bench_bare_commit(ws.db_path, args.repeat)
    lookups = bench_lookups(ws, args.customers, args.repeat)
    print(
        f"\nsettle 3-business slip      median {median_ms(settle):6.2f} ms  "
        f"p95 {p95_ms(settle):6.2f} ms   (target <= 25 ms)"
    )
    print(
        f"  floor: bare commit        median {median_ms(bare):6.2f} ms  "
        f"ratio {median_ms(settle) / median_ms(bare):5.1f}x"
    )
    print(f"whole visit (open+3+pay+settle) median {median_ms(visit):6.2f} ms")
    print(
        f"look-up by ID hash (query)  median {median_ms(lookups['id']):6.3f} ms  "
        f"p95 {p95_ms(lookups['id']):6.3f} ms   (target <= 5 ms)"
    )
    print(f"look-up by ID (service)     median {median_ms(lookups['id_service']):6.3f} ms")
    print(f"  with audit entry          median {median_ms(lookups['id_service_audited']):6.3f} ms")
    print(
        f"look-up by phone (service)  median {median_ms(lookups['phone']):6.3f} ms  "
        f"p95 {p95_ms(lookups['phone']):6.3f} ms"
    )
    print(f"  with audit entry          median {median_ms(lookups['phone_audited']):6.3f} ms")
    print(
        f"  floor: bare point query   median {median_ms(lookups['bare']):6.3f} ms  "
        f"ratio {median_ms(lookups['id']) / median_ms(lookups['bare']):5.1f}x"
    )
    ws.close()
    if args.data is None:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
