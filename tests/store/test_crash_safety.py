"""SIGKILL a process at random moments while it settles slips; nothing settled is lost,
nothing is partial, and receipt numbers have no gaps or repeats."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.services.workstation import Workstation
from frontdesk.store.audit import verify_chain
from frontdesk.store.models import (
    NumberSequence,
    OutboxEntry,
    Payment,
    Receipt,
    Slip,
    SlipItem,
    Visit,
)

WORKER = Path(__file__).with_name("crash_worker.py")
TARGET_SLIPS = 300
# Kills come after a random wall-clock delay, so a loaded machine settles fewer slips
# per round: the cap only bounds a worker that never settles anything.
MAX_ROUNDS = 400


def _run_round(data_dir: Path, rng: random.Random, committed: list[str]) -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    if first != "ready":
        proc.kill()
        raise AssertionError(f"worker failed to start: {first} {proc.stderr.read()}")
    time.sleep(rng.uniform(0.05, 1.2))
    os.kill(proc.pid, signal.SIGKILL)
    out, _err = proc.communicate()
    committed.extend(line for line in out.split() if line.startswith("BJ0101-"))


@pytest.mark.slow
def test_sigkill_during_settles_leaves_only_whole_slips(demo_template, tmp_path):
    data_dir = tmp_path / "crash-ws"
    shutil.copytree(demo_template, data_dir)
    rng = random.Random(20261121)
    committed: list[str] = []
    rounds = 0
    while len(committed) < TARGET_SLIPS and rounds < MAX_ROUNDS:
        _run_round(data_dir, rng, committed)
        rounds += 1
    assert len(committed) >= TARGET_SLIPS, f"only {len(committed)} slips in {rounds} rounds"

    ws = Workstation.open(data_dir)
    try:
        with ws.db.reader() as s:
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            slips = s.scalars(select(Slip).order_by(Slip.seq)).all()
            numbers = [x.slip_no for x in slips]
            # every slip whose commit returned is there (durability), none twice
            assert set(committed) <= set(numbers)
            assert len(numbers) == len(set(numbers))
            # gapless, never reused
            assert [x.seq for x in slips] == list(range(1, len(slips) + 1))
            receipts = s.scalars(select(Receipt).order_by(Receipt.seq)).all()
            assert [r.seq for r in receipts] == list(range(1, len(receipts) + 1))
            assert len(receipts) == len(slips)
            seqs = dict(s.execute(select(NumberSequence.kind, NumberSequence.last_value)).all())
            assert seqs == {"slip": len(slips), "receipt": len(receipts)}
            outbox = Counter(s.scalars(select(OutboxEntry.record_id)).all())
            assert all(count == 1 for count in outbox.values())
            for slip in slips:
                items = s.scalars(select(SlipItem).where(SlipItem.slip_id == slip.id)).all()
                payments = s.scalars(select(Payment).where(Payment.slip_id == slip.id)).all()
                receipt = s.scalars(select(Receipt).where(Receipt.slip_id == slip.id)).all()
                assert len(items) == 3 and len(payments) == 2 and len(receipt) == 1
                assert sum(i.fee_fen for i in items) == slip.total_fen
                assert sum(p.amount_fen for p in payments) == slip.total_fen == slip.paid_fen
                assert receipt[0].total_fen == slip.total_fen
                for record in (slip, *items, *payments, *receipt):
                    assert outbox[record.id] == 1, record
            # a visit is settled exactly when it has a slip; killed visits stayed open
            settled_visits = set(s.scalars(select(Visit.id).where(Visit.status == "settled")))
            assert settled_visits == {x.visit_id for x in slips}
            payloads = s.scalars(
                select(OutboxEntry.payload).where(OutboxEntry.record_type == "slip")
            ).all()
            assert {json.loads(p)["data"]["slip_no"] for p in payloads} == set(numbers)
            assert verify_chain(s).intact
            open_visits = s.scalar(select(func.count()).where(Visit.status == "open"))
    finally:
        ws.close()
    print(f"\n{rounds} kills, {len(slips)} slips settled, {open_visits} visits left open")
