"""Sync benchmarks (SPEC §12): throughput beside raw COPY, 30-day catch-up, 200 counters.

Run: ``python bench/bench_sync_throughput.py [--days 30] [--repeats 3]``. Starts its own
PostgreSQL (pgserver; or ``FRONTDESK_TEST_PG_URL``) and a real uvicorn head office on
loopback, and prints the figures recorded in docs/benchmarks/sync.md.

1. catch-up: one busy counter offline for 30 days (300 slips/day, each with 2 items, a
   payment, a receipt and an audit row) drains its real outbox through the real pusher
   over HTTP into PostgreSQL — records/s end to end and the wall time (target ≤ 10 s),
   ``--repeats`` times (head office emptied in between), pipelined as the product ships
   and, once, one batch at a time for comparison.
2. raw COPY of exactly the same rows into an identical table in the same run: the
   physical ceiling, printed beside (1) as a ratio.
3. 200 workstations pushing at once, driven by ``wrk`` (Debian package ``wrk``; one
   connection and one enrolled credential per workstation, fresh records every batch,
   bench/wrk_push.lua): p50/p90/p99 batch latency (target p99 ≤ 500 ms) in an open
   model — each counter pushes every N seconds at a random phase, as the sync agent
   does (every 30 s in the product) — and in a closed loop where every counter pushes
   back to back, which measures head office's saturation rather than a counter's
   experience. wrk is C: a Python load generator used a whole core of this two-core
   machine by itself and distorted the figures it measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FRONTDESK_NO_KEYRING", "1")

from frontdesk.headoffice.admin import issue_enrolment_code
from frontdesk.headoffice.db import make_engine, migrate
from frontdesk.store.models import OutboxEntry
from frontdesk.sync.protocol import DEFAULT_BATCH_RECORDS, DEFAULT_PUSH_IN_FLIGHT
from frontdesk.sync.pusher import push_pending
from frontdesk.sync.service import client_for, enrol_workstation
from tests.headoffice.factory import (
    ServerProcess,
    create_database,
    new_workstation,
    write_sales,
)

HEADERS = {
    "X-Frontdesk-Protocol": "2",
    "X-Frontdesk-App": "bench",
    "X-Frontdesk-Schema": "0004",
    "Content-Type": "application/json",
}


def start_postgres() -> tuple[str, object | None]:
    given = os.environ.get("FRONTDESK_TEST_PG_URL")
    if given:
        return given.replace("postgresql://", "postgresql+psycopg://", 1), None
    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="frontdesk-bench-pg-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder, cleanup_mode="delete")
    return "postgresql+psycopg://" + server.get_uri()[len("postgresql://") :], server


def write_counter(url: str, server: ServerProcess, engine, root: Path, days: int):
    """One enrolled counter with ``days`` of busy trading in its outbox."""
    ws = new_workstation(root)
    with engine.begin() as conn:
        code = issue_enrolment_code(conn, ws.identity.branch_code, "W01")
    enrol_workstation(ws, server.url, code)
    rng = random.Random(7)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    t0 = time.perf_counter()
    for day in range(days):
        write_sales(
            ws,
            300,
            rng=rng,
            when=start + dt.timedelta(days=day),
            items=2,
            audit=True,
            per_transaction=50,
        )
    return ws, time.perf_counter() - t0


def catch_up(ws, engine, batch: int, in_flight: int) -> tuple[int, float]:
    """Empty head office and mark the outbox unsent, then drain it: (records, seconds)."""
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE ho_record, ho_receipt_seq, ho_pending_effect, ho_quarantine"))
        conn.execute(text("UPDATE ho_workstation SET last_outbox_seq = NULL"))
    with ws.db.unit_of_work() as uow:
        uow.session.execute(update(OutboxEntry).values(sent_at=None))
        uow.commit()
    with ws.db.reader() as s:
        n = s.query(OutboxEntry).count()
    with engine.connect() as conn:  # a clean start for every run: no dead rows to skip
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ho_record"))
    with client_for(ws) as client:
        t0 = time.perf_counter()
        report = push_pending(ws.db, client, batch_size=batch, in_flight=in_flight)
        elapsed = time.perf_counter() - t0
    assert report.stored == n, (report, n)
    return n, elapsed


def raw_copy(engine, branch: str) -> tuple[int, float]:
    """COPY the very rows head office stored, into a twin table: the ceiling."""
    with engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT id, record_type, branch_code, workstation_code, envelope_version,"
                " data::text, device_time FROM ho_record WHERE branch_code = :b"
            ),
            {"b": branch},
        ).all()
        conn.execute(text("DROP TABLE IF EXISTS bench_copy"))
        conn.execute(
            text(
                "CREATE TABLE bench_copy (LIKE ho_record INCLUDING DEFAULTS INCLUDING"
                " IDENTITY INCLUDING INDEXES)"
            )
        )
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        t0 = time.perf_counter()
        with cur.copy(
            "COPY bench_copy (id, record_type, branch_code, workstation_code,"
            " envelope_version, data, device_time) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        elapsed = time.perf_counter() - t0
    finally:
        raw.close()
    return len(rows), elapsed


def wrk_stations(
    server: ServerProcess,
    engine,
    root: Path,
    stations: int,
    *,
    batch: int,
    every_ms: int,
    seconds: int,
    prefix: str,
) -> dict:
    """Enrol ``stations`` workstations and let wrk push for ``seconds``; wrk's summary."""
    lines = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for i in range(stations):
            branch = f"{prefix}{i:04d}"
            with engine.begin() as conn:
                code = issue_enrolment_code(conn, branch, "W01")
            r = http.post(
                "/v1/enrol",
                json={"code": code, "branch": branch, "workstation": "W01"},
                headers={**HEADERS, "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat()},
            )
            r.raise_for_status()
            lines.append(f"{branch} {r.json()['token']}")
    tokens = root / f"tokens-{prefix}.txt"
    tokens.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {
        **os.environ,
        "FRONTDESK_WRK_TOKENS": str(tokens),
        "FRONTDESK_WRK_BATCH": str(batch),
        "FRONTDESK_WRK_EVERY_MS": str(every_ms),
        "FRONTDESK_WRK_DEVICE_TIME": dt.datetime.now(dt.UTC).isoformat(),
    }
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(stations),
            "-c",
            str(stations),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(Path(__file__).with_name("wrk_push.lua")),
            server.url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    summary = json.loads(out.strip().splitlines()[-1])
    summary["batches_per_s"] = summary["requests"] / summary["seconds"]
    return summary


def print_stations(label: str, r: dict, batch: int) -> None:
    print(
        f"  {label}: {r['requests']} batches of {batch}, {r['batches_per_s']:,.0f} batches/s"
        f" ({r['batches_per_s'] * batch:,.0f} records/s): p50 {r['p50_ms']:.0f} ms,"
        f" p90 {r['p90_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms;"
        f" non-200 answers {r['non_200']}, socket errors {r['socket_errors']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH_RECORDS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    args = parser.parse_args()
    admin, pg = start_postgres()
    url = create_database(admin, f"fd_bench_{uuid.uuid4().hex[:6]}")
    migrate(url)
    engine = make_engine(url, pool_size=2)
    root = Path(tempfile.mkdtemp(prefix="frontdesk-bench-"))
    server = ServerProcess(url, root / "srv", workers=args.workers)
    server.start()
    try:
        ws, write_s = write_counter(url, server, engine, root, args.days)
        rates = []
        for run in range(args.repeats):
            n, push_s = catch_up(ws, engine, args.batch, DEFAULT_PUSH_IN_FLIGHT)
            rates.append(n / push_s)
            print(
                f"catch-up run {run + 1}: {n} records ({args.days} days x 300 slips) pushed over"
                f" HTTP into PostgreSQL in {push_s:.2f} s = {n / push_s:,.0f} records/s"
                f" ({DEFAULT_PUSH_IN_FLIGHT} batches of {args.batch} in flight)"
            )
        n, push_s = catch_up(ws, engine, args.batch, 1)
        print(f"  one batch at a time instead: {push_s:.2f} s = {n / push_s:,.0f} records/s")
        copies = [raw_copy(engine, ws.identity.branch_code) for _ in range(args.repeats)]
        copy_rates = [c / s for c, s in copies]
        print(
            f"  raw COPY of the same {copies[0][0]} rows: "
            + ", ".join(f"{r:,.0f}" for r in copy_rates)
            + " rows/s"
        )
        median, copy_median = statistics.median(rates), statistics.median(copy_rates)
        print(
            f"  median: HTTP end to end {median:,.0f} records/s, raw COPY {copy_median:,.0f}"
            f" rows/s, ratio {median / copy_median:.2f} (local writing took {write_s:.0f} s)"
        )
        ws.close()
        if shutil.which("wrk") is None:
            print("200 workstations: SKIPPED — wrk is not installed (apt install wrk)")
            return
        print(f"{args.stations} workstations, wrk, {args.seconds} s each:")
        for every_ms, size, label in (
            (30_000, 10, "open model, every ~30 s (the agent's interval)"),
            (1_000, 10, "open model, every ~1 s (30x the agent)"),
            (1_000, 50, "open model, every ~1 s (30x the agent)"),
            (0, 10, "closed loop, back to back (saturation)"),
            (0, 50, "closed loop, back to back (saturation)"),
        ):
            seconds = max(args.seconds, 2 * every_ms // 1000)
            r = wrk_stations(
                server,
                engine,
                root,
                args.stations,
                batch=size,
                every_ms=every_ms,
                seconds=seconds,
                prefix=f"B{every_ms // 1000:02d}{size:02d}",
            )
            print_stations(label, r, size)
    finally:
        server.stop()
        engine.dispose()
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
