"""Sync benchmarks (SPEC §12): throughput beside raw COPY, 30-day catch-up, 200 counters.

Run: ``python bench/bench_sync_throughput.py [--days 30] [--stations 200]``. Starts its own
PostgreSQL (pgserver; or ``FRONTDESK_TEST_PG_URL``) and a real uvicorn head office on
loopback, and prints the figures recorded in docs/benchmarks/sync.md.

1. catch-up: one busy counter offline for 30 days (300 slips/day, each with 2 items, a
   payment, a receipt and an audit row) drains its real outbox through the real pusher
   over HTTP into PostgreSQL — records/s end to end, and the wall time (target ≤ 10 s).
2. raw COPY of exactly the same rows into an identical table in the same run: the
   physical ceiling, printed beside (1) as a ratio.
3. 200 workstations pushing batches at once: p50/p99 latency per batch (target p99 ≤
   500 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import orjson
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FRONTDESK_NO_KEYRING", "1")

from frontdesk.headoffice.admin import issue_enrolment_code
from frontdesk.headoffice.db import make_engine, migrate
from frontdesk.store.models import OutboxEntry
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
    "X-Frontdesk-Schema": "0003",
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


def catch_up(url: str, server: ServerProcess, engine, root: Path, days: int, batch: int):
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
    write_s = time.perf_counter() - t0
    with ws.db.reader() as s:
        n = s.query(OutboxEntry).count()
    with client_for(ws) as client:
        t0 = time.perf_counter()
        report = push_pending(ws.db, client, batch_size=batch)
        push_s = time.perf_counter() - t0
    assert report.stored == n, (report, n)
    return ws, n, push_s, write_s


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


def fake_records(branch: str, n: int, rng: random.Random) -> list[dict]:
    now = dt.datetime.now(dt.UTC).isoformat()
    out = []
    for _ in range(n):
        rid = str(uuid.uuid4())
        amount = rng.randint(100, 50_000)
        out.append(
            {
                "v": 1,
                "type": "payment",
                "id": rid,
                "branch": branch,
                "workstation": "W01",
                "data": {
                    "id": rid,
                    "created_at": now,
                    "slip_id": str(uuid.uuid4()),
                    "line_no": 1,
                    "method": "cash",
                    "amount_fen": amount,
                    "tendered_fen": amount,
                    "change_fen": 0,
                    "reference": None,
                    "balance_number": None,
                },
            }
        )
    return out


async def many_stations(
    server: ServerProcess,
    engine,
    stations: int,
    rounds: int,
    size: int,
    every: float = 0.0,
    prefix: str = "BN",
):
    """``every`` = 0: each station sends its batches back to back, all stations starting
    in the same instant (a wave). ``every`` > 0: each station sends one batch every
    ``every`` seconds (± 20 % jitter), as counters do while they work (steady load)."""
    rng = random.Random(11)
    tokens = []
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=httpx.Limits(max_connections=stations + 10)
    ) as http:
        for i in range(stations):
            branch = f"{prefix}{i:04d}"
            with engine.begin() as conn:
                code = issue_enrolment_code(conn, branch, "W01")
            r = await http.post(
                "/v1/enrol",
                json={"code": code, "branch": branch, "workstation": "W01"},
                headers={**HEADERS, "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat()},
            )
            r.raise_for_status()
            tokens.append((branch, r.json()["token"]))
        latencies: list[float] = []
        busy: list[int] = []

        # bodies are built before the clock starts: the figure is the server's latency,
        # not this process encoding JSON for 200 simulated counters on the same CPUs
        bodies = {
            branch: [
                orjson.dumps(
                    {"batch_id": str(uuid.uuid4()), "records": fake_records(branch, size, rng)}
                )
                for _ in range(rounds)
            ]
            for branch, _ in tokens
        }

        async def station(branch: str, token: str) -> None:
            await asyncio.sleep(rng.uniform(0, every or 0.2))
            headers = {**HEADERS, "Authorization": f"Bearer {token}"}
            for n, body in enumerate(bodies[branch]):
                if every and n:
                    await asyncio.sleep(every * rng.uniform(0.8, 1.2))
                t0 = time.perf_counter()
                while True:  # 503 "busy": wait as told and send again, as the client does
                    r = await http.post(
                        "/v1/push",
                        content=body,
                        headers={
                            **headers,
                            "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat(),
                        },
                    )
                    if r.status_code != 503:
                        break
                    busy.append(1)
                    await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
                latencies.append(time.perf_counter() - t0)  # until stored, retries included
                r.raise_for_status()

        t0 = time.perf_counter()
        await asyncio.gather(*(station(b, t) for b, t in tokens))
        wall = time.perf_counter() - t0
    print(f"  503 busy answers (retried): {len(busy)}")
    return latencies, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--station-batch", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--steady-every",
        type=float,
        default=10.0,
        help="also run the steady model: each station pushes one batch every N seconds",
    )
    parser.add_argument("--steady-batch", type=int, default=10, help="records per steady batch")
    args = parser.parse_args()
    admin, pg = start_postgres()
    url = create_database(admin, f"fd_bench_{uuid.uuid4().hex[:6]}")
    migrate(url)
    engine = make_engine(url, pool_size=2)
    root = Path(tempfile.mkdtemp(prefix="frontdesk-bench-"))
    server = ServerProcess(url, root / "srv", workers=args.workers)
    server.start()
    try:
        ws, n, push_s, write_s = catch_up(url, server, engine, root, args.days, args.batch)
        print(
            f"catch-up: {args.days} days x 300 slips = {n} records "
            f"(written locally in {write_s:.1f} s)"
        )
        print(f"  pushed over HTTP into PostgreSQL in {push_s:.2f} s = {n / push_s:,.0f} records/s")
        copied, copy_s = raw_copy(engine, ws.identity.branch_code)
        print(
            f"  raw COPY of the same {copied} rows: {copy_s:.2f} s = {copied / copy_s:,.0f} rows/s"
        )
        print(f"  ratio HTTP end-to-end / raw COPY = {(n / push_s) / (copied / copy_s):.2f}")
        ws.close()
        lat, wall = asyncio.run(
            many_stations(server, engine, args.stations, args.rounds, args.station_batch)
        )
        lat.sort()
        p50 = statistics.median(lat) * 1000
        p99 = lat[int(len(lat) * 0.99) - 1] * 1000
        total = len(lat) * args.station_batch
        print(
            f"{args.stations} workstations x {args.rounds} batches of {args.station_batch}: "
            f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {lat[-1] * 1000:.0f} ms, "
            f"{total / wall:,.0f} records/s overall"
        )
        if args.steady_every > 0:
            lat, wall = asyncio.run(
                many_stations(
                    server,
                    engine,
                    args.stations,
                    args.rounds,
                    args.steady_batch,
                    every=args.steady_every,
                    prefix="BS",
                )
            )
            lat.sort()
            print(
                f"steady: {args.stations} workstations each pushing {args.steady_batch} records "
                f"every ~{args.steady_every:g} s ({len(lat)} batches): "
                f"p50 {statistics.median(lat) * 1000:.0f} ms, "
                f"p99 {lat[int(len(lat) * 0.99) - 1] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms"
            )
    finally:
        server.stop()
        engine.dispose()
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
