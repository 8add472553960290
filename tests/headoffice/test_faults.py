"""Crashes at the worst moments, with real processes and kill -9.

Each case ends with the same check: head office's set of record UUIDs equals what the
workstations committed, each stored once, and the money agrees to the fen.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select, text

from frontdesk.store.models import OutboxEntry
from frontdesk.sync.client import HeadOfficeClient, HeadOfficeUnreachable
from frontdesk.sync.credentials import CredentialStore
from frontdesk.sync.pusher import push_pending
from frontdesk.sync.service import client_for
from frontdesk.sync.status import read_status

from .conftest import enrol
from .factory import REPO, ServerProcess, committed_payments, new_workstation, write_sales


def ho_state(engine, branch: str) -> tuple[set[str], int, int]:
    with engine.connect() as conn:
        ids = [
            str(r)
            for r in conn.execute(
                text("SELECT id FROM ho_record WHERE branch_code = :b"), {"b": branch}
            ).scalars()
        ]
        money = conn.execute(
            text(
                "SELECT coalesce(sum((data->>'amount_fen')::bigint), 0) FROM ho_record"
                " WHERE branch_code = :b AND record_type = 'payment'"
            ),
            {"b": branch},
        ).scalar_one()
    return set(ids), len(ids), int(money)


def assert_converged(engine, ws) -> None:
    ids, rows, money = ho_state(engine, ws.identity.branch_code)
    committed, total = committed_payments(ws.data_dir)
    assert ids == committed
    assert rows == len(committed)  # no duplicates
    assert money == total  # to the fen
    # and in the counter's order: account effects are replayed in arrival order
    with engine.connect() as conn:
        arrival = [
            str(i)
            for i in conn.execute(
                text("SELECT id FROM ho_record WHERE branch_code = :b ORDER BY rx_seq"),
                {"b": ws.identity.branch_code},
            ).scalars()
        ]
    with ws.db.reader() as s:
        in_order = select(OutboxEntry.record_id).order_by(OutboxEntry.seq)
        outbox = [str(r) for r in s.scalars(in_order)]
    assert arrival == outbox


def test_server_killed_after_commit_before_answering(tmp_path, ho_db_url, ho_engine):
    server = ServerProcess(ho_db_url, tmp_path / "srv")
    server.start(env={"FRONTDESK_HO_FAULT": "die_after_commit:1"})
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, server.url)
    write_sales(ws, 10)
    with client_for(ws) as client, pytest.raises(HeadOfficeUnreachable):
        push_pending(ws.db, client)
    assert read_status(ws.db).pending > 0  # no answer: nothing marked sent
    ids, _, _ = ho_state(ho_engine, ws.identity.branch_code)
    assert ids  # ... yet head office had committed the batch
    server.proc.wait(10)
    server.start()  # same port, no fault
    with client_for(ws) as client:
        again = push_pending(ws.db, client)
    assert again.stored == 0 and again.duplicates == again.sent
    assert read_status(ws.db).pending == 0
    assert_converged(ho_engine, ws)
    server.stop()
    ws.close()


def _sync_cli(ws, env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = {**os.environ, "FRONTDESK_NO_KEYRING": "1", **(env_extra or {})}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "frontdesk.cli",
            "--data-dir",
            str(ws.data_dir),
            "sync",
            "--batch-size",
            "5",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_client_killed_between_send_and_acknowledgement(enrolled, ho_engine):
    ws = enrolled
    write_sales(ws, 4)
    proc = _sync_cli(ws, {"FRONTDESK_SYNC_FAULT": "die_after_ack:1"})
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 137, out
    pending_before = read_status(ws.db).pending
    assert pending_before == len(committed_payments(ws.data_dir)[0])  # nothing marked sent
    # but the acknowledged batch is stored — and perhaps the one pipelined behind it
    assert ho_state(ho_engine, ws.identity.branch_code)[1] in (5, 10)
    proc = _sync_cli(ws)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert b"already there" in out
    assert read_status(ws.db).pending == 0
    assert_converged(ho_engine, ws)


@pytest.mark.slow
def test_kill_minus_9_of_clients_and_server_at_random_moments(tmp_path, ho_db_url, ho_engine):
    """3 workstations, ~1,500 records, sync processes and the server killed at random."""
    rng = random.Random(20261122)
    server = ServerProcess(ho_db_url, tmp_path / "srv")
    server.start()
    stations = [new_workstation(tmp_path) for _ in range(3)]
    for ws in stations:
        enrol(ws, ho_engine, server.url)
    deadline = time.monotonic() + 12
    running: list[subprocess.Popen] = []
    while time.monotonic() < deadline:
        ws = rng.choice(stations)
        write_sales(ws, rng.randint(5, 25), rng=rng, items=rng.randint(1, 3))
        running.append(_sync_cli(ws))
        time.sleep(rng.uniform(0.05, 0.4))
        for proc in list(running):
            if proc.poll() is not None:
                running.remove(proc)
            elif rng.random() < 0.4:
                os.killpg(proc.pid, signal.SIGKILL)  # a client dies mid-sync
                proc.wait()
                running.remove(proc)
        if rng.random() < 0.15:
            server.kill()  # head office dies mid-request
            server.start()
    for proc in running:
        proc.wait(60)
    for ws in stations:  # the link is back: everything drains
        with client_for(ws) as client:
            push_pending(ws.db, client)
        assert read_status(ws.db).pending == 0
        assert_converged(ho_engine, ws)
        ws.close()
    server.stop()


def test_unreachable_head_office_is_a_connection_error(enrolled):
    cred = CredentialStore(enrolled.data_dir).load()
    with HeadOfficeClient("http://127.0.0.1:9", cred.token, timeout=1) as dead:
        with pytest.raises(ConnectionError):
            dead.count_numbers("a" * 64)
        assert not dead.health()
