"""Fault run: nothing lost, nothing twice, money to the fen — under kill -9.

Run: ``python bench/bench_sync_faults.py [--stations 5] [--records 10000] [--seed N]``.

≥ 5 workstations write random settled sales (≥ 10,000 records in all) while `frontdesk
sync` processes push them; at random moments sync processes are killed with SIGKILL, the
head-office server (uvicorn, 2 workers) is killed with SIGKILL and restarted, some server
lives drop the answer right after committing (``die_after_commit``) and some clients die
right after the acknowledgement arrived (``die_after_ack``) — the two "dropped response"
cases. Afterwards every workstation drains, and the run checks that head office's set of
record UUIDs equals the union of what the workstations committed, with no duplicates,
and that per-branch payment totals agree to the fen. Exit status 0 only if all hold.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FRONTDESK_NO_KEYRING", "1")

from bench.bench_sync_throughput import start_postgres
from frontdesk.headoffice.admin import issue_enrolment_code
from frontdesk.headoffice.db import make_engine, migrate
from frontdesk.sync.pusher import push_pending
from frontdesk.sync.service import client_for, enrol_workstation
from tests.headoffice.factory import (
    REPO,
    ServerProcess,
    committed_payments,
    create_database,
    new_workstation,
    write_sales,
)


def sync_process(data_dir: Path, fault: str | None) -> subprocess.Popen:
    env = {**os.environ, "FRONTDESK_NO_KEYRING": "1"}
    if fault:
        env["FRONTDESK_SYNC_FAULT"] = fault
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "frontdesk.cli",
            "--data-dir",
            str(data_dir),
            "sync",
            "--batch-size",
            "200",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def outbox_order(ws_path: Path) -> list[str]:
    """The workstation's record UUIDs in outbox order (the order they were committed)."""
    import sqlite3

    con = sqlite3.connect(ws_path / "frontdesk.db")
    try:
        rows = con.execute("SELECT record_id FROM outbox ORDER BY seq").fetchall()
    finally:
        con.close()
    return [str(uuid.UUID(r[0])) if len(r[0]) == 32 else r[0] for r in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stations", type=int, default=5)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"seed {args.seed}")
    admin, pg = start_postgres()
    url = create_database(admin, f"fd_faults_{uuid.uuid4().hex[:6]}")
    migrate(url)
    engine = make_engine(url, pool_size=2)
    root = Path(tempfile.mkdtemp(prefix="frontdesk-faults-"))
    server = ServerProcess(url, root / "srv", workers=2)
    server.start()
    stations = [new_workstation(root) for _ in range(args.stations)]
    for ws in stations:
        with engine.begin() as conn:
            code = issue_enrolment_code(conn, ws.identity.branch_code, "W01")
        enrol_workstation(ws, server.url, code)
    written = 0
    kills = {"client": 0, "server": 0, "dropped_by_server": 0, "dropped_by_client": 0}
    running: list[subprocess.Popen] = []
    t0 = time.monotonic()
    while written < args.records:
        ws = rng.choice(stations)
        n = rng.randint(5, 40)
        write_sales(ws, n, rng=rng, items=rng.randint(1, 3), per_transaction=rng.randint(1, 5))
        written = sum(len(committed_payments(w.data_dir)[0]) for w in stations)
        fault = None
        if rng.random() < 0.15:
            fault = f"die_after_ack:{rng.randint(1, 3)}"
            kills["dropped_by_client"] += 1
        running.append(sync_process(ws.data_dir, fault))
        time.sleep(rng.uniform(0.0, 0.3))
        for proc in list(running):
            if proc.poll() is not None:
                running.remove(proc)
            elif rng.random() < 0.3:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                running.remove(proc)
                kills["client"] += 1
        if rng.random() < 0.08:
            server.kill()
            kills["server"] += 1
            env = {}
            if rng.random() < 0.5:
                env["FRONTDESK_HO_FAULT"] = f"die_after_commit:{rng.randint(1, 10)}"
                kills["dropped_by_server"] += 1
            server.start(env=env)
        elif server.proc is not None and server.proc.poll() is not None:
            server.start()  # a fault-injected server life ended: bring it back
    for proc in running:
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    server.kill()
    server.start()  # a clean server for the final drain
    print(f"written {written} records in {time.monotonic() - t0:.0f} s; faults {kills}")
    ok = True
    union: set[str] = set()
    with engine.connect() as conn:
        for ws in stations:
            with client_for(ws) as client:
                push_pending(ws.db, client, batch_size=1000)
            committed, money = committed_payments(ws.data_dir)
            union |= committed
            b = ws.identity.branch_code
            rows, distinct, ho_money = conn.execute(
                text(
                    "SELECT count(*), count(DISTINCT id), coalesce(sum((data->>'amount_fen')"
                    "::bigint) FILTER (WHERE record_type = 'payment'), 0) FROM ho_record"
                    " WHERE branch_code = :b"
                ),
                {"b": b},
            ).one()
            ids = {
                str(i)
                for i in conn.execute(
                    text("SELECT id FROM ho_record WHERE branch_code = :b"), {"b": b}
                ).scalars()
            }
            arrival = [
                str(i)
                for i in conn.execute(
                    text("SELECT id FROM ho_record WHERE branch_code = :b ORDER BY rx_seq"),
                    {"b": b},
                ).scalars()
            ]
            in_order = arrival == outbox_order(ws.data_dir)
            good = (
                ids == committed
                and rows == distinct == len(committed)
                and ho_money == money
                and in_order
            )
            ok &= good
            print(
                f"  {b}: committed {len(committed)}, head office {rows} ({distinct} distinct), "
                f"money {money} vs {ho_money} fen, arrival order = outbox order: {in_order}"
                f" -> {'OK' if good else 'MISMATCH'}"
            )
        all_ids = {
            str(i)
            for i in conn.execute(
                text("SELECT id FROM ho_record WHERE branch_code = ANY(:b)"),
                {"b": [w.identity.branch_code for w in stations]},
            ).scalars()
        }
    ok &= all_ids == union
    print(f"union of workstations {len(union)} == head office {len(all_ids)}: {all_ids == union}")
    print("RESULT:", "PASS" if ok else "FAIL")
    for ws in stations:
        ws.close()
    server.stop()
    engine.dispose()
    if pg is not None:
        pg.cleanup()  # type: ignore[attr-defined]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
