"""A/B of the push path between two builds of head office, in one run (issue 17).

Run: ``git archive <commit> | tar -x -C /tmp/old && python bench/bench_ingest_ab.py
--old /tmp/old [--days 10] [--repeats 8]``. One counter with ``--days`` of busy trading
(300 slips a day: slip, 2 items, payment, receipt, audit) is drained again and again,
alternately into a head office running the old tree and one running this tree — the
same PostgreSQL, the same database, the same records — so both see the same machine
load. Prints each run and the medians (records/s end to end over HTTP).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_sync_throughput as b

from frontdesk.store.models import OutboxEntry
from frontdesk.sync.client import HeadOfficeClient
from frontdesk.sync.credentials import CredentialStore
from frontdesk.sync.pusher import push_pending
from tests.headoffice import factory

HERE = Path(__file__).resolve().parents[1]


def drain(ws, engine, url: str, token: str) -> float:
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE ho_record, ho_receipt_seq, ho_pending_effect, ho_quarantine"))
        conn.execute(text("UPDATE ho_workstation SET last_outbox_seq = NULL"))
    with ws.db.unit_of_work() as uow:
        uow.session.execute(update(OutboxEntry).values(sent_at=None))
        uow.commit()
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ho_record"))
    with HeadOfficeClient(url, token) as client:
        t0 = time.perf_counter()
        report = push_pending(ws.db, client, batch_size=2000, in_flight=2)
        elapsed = time.perf_counter() - t0
    assert report.stored > 0 and not report.rejected, report
    return report.stored / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True, type=Path, help="the old tree (git archive)")
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=8)
    args = parser.parse_args()
    admin, pg = b.start_postgres()
    url = factory.create_database(admin, f"fd_ab_{uuid.uuid4().hex[:6]}")
    b.migrate(url)
    engine = b.make_engine(url, pool_size=2)
    root = Path(tempfile.mkdtemp(prefix="fd-ab-"))
    new = factory.ServerProcess(url, root / "new", workers=2)
    new.start()
    old = factory.ServerProcess(url, root / "old", workers=2, env={"PYTHONPATH": str(args.old)})
    factory.REPO = args.old.resolve()  # the old server runs from the old tree
    try:
        old.start()
    finally:
        factory.REPO = HERE
    try:
        ws, _ = b.write_counter(url, new, engine, root, args.days)
        token = CredentialStore(ws.data_dir).load().token
        rates: dict[str, list[float]] = {"old": [], "new": []}
        for run in range(args.repeats):
            order = (("old", old), ("new", new)) if run % 2 == 0 else (("new", new), ("old", old))
            for name, server in order:
                rate = drain(ws, engine, server.url, token)
                rates[name].append(rate)
                print(f"run {run + 1} {name}: {rate:,.0f} records/s", flush=True)
        for name, values in rates.items():
            print(f"{name}: median {statistics.median(values):,.0f} records/s over {len(values)}")
        ws.close()
    finally:
        old.stop()
        new.stop()
        engine.dispose()
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
