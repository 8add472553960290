"""What the tamper checks cost at scale (issue 18): ``frontdesk health``'s integrity
checks and the anchor each sync pass computes, on a workstation holding N settled
slips (3 items, 1 payment, 1 receipt each) whose outbox rows were all sent.

Usage: ``python bench/bench_integrity.py [--slips 200000] [--data DIR]``. The history is
bulk-loaded as ``bench_store.py`` does, plus the outbox copies a real counter keeps.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import NOW, populate

from frontdesk.core.clock import FixedClock
from frontdesk.services.demo import load_demo_data
from frontdesk.services.integrity import check_integrity
from frontdesk.services.workstation import Workstation, initialise
from frontdesk.sync.anchor import anchor

COPIES = {  # what the outbox copy of each record carries for the checks
    "slip": "json_object('slip_no', slip_no, 'total_fen', total_fen, 'paid_fen', paid_fen,"
    " 'change_fen', change_fen)",
    "slip_item": "json_object('fee_fen', fee_fen, 'business_code', business_code)",
    "payment": "json_object('amount_fen', amount_fen, 'method', method)",
    "receipt": "json_object('receipt_no', receipt_no, 'total_fen', total_fen)",
}


def build(folder: Path, slips: int) -> Workstation:
    ws = initialise(folder, branch_code="BJ0101", workstation_code="W01", clock=FixedClock(NOW))
    load_demo_data(ws)
    populate(ws, slips, 0)
    conn = sqlite3.connect(ws.db_path)
    with conn:
        for table, data in COPIES.items():
            conn.execute(
                "INSERT INTO outbox (record_id, record_type, payload, created_at, sent_at,"
                f" attempts) SELECT id, '{table}', json_object('data', json({data})),"
                f" created_at, created_at, 1 FROM {table}"
            )
        conn.execute("UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL")
    conn.close()
    return ws


def timed(fn, repeat: int) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slips", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, help="folder to build in / reuse")
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="bench-integrity-")) / "ws"
    ws = (
        Workstation.open(folder)
        if (folder / "frontdesk.db").exists()
        else build(folder, args.slips)
    )
    try:
        health_s, report = timed(lambda: check_integrity(ws), args.repeat)
        anchor_s, sent = timed(lambda: anchor(ws.db, ws.clock.now()), args.repeat)
        assert "totals" in sent  # type: ignore[operator]
        print(f"slips: {report.checked.get('slips'):,}")  # type: ignore[union-attr]
        print(f"integrity checks (health): {health_s:.2f} s median of {args.repeat}")
        print(f"anchor with totals (every 10 min): {anchor_s * 1000:.0f} ms median")
        print("findings:", report.problem_lines() or "none")  # type: ignore[union-attr]
    finally:
        ws.close()


if __name__ == "__main__":
    main()
