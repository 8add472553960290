"""Head-office processes share nothing but PostgreSQL (docs/scaling.md): two of them on
different ports, over one database, with counters pushing to both — and one counter
switching between them — store every record once, agree on every answer, and apply
account effects once."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import text, update

from frontdesk.store.models import OutboxEntry
from frontdesk.sync.client import HeadOfficeClient
from frontdesk.sync.credentials import CredentialStore
from frontdesk.sync.pusher import push_pending

from .conftest import enrol
from .factory import (
    ServerProcess,
    ho_counts,
    manager_token,
    new_workstation,
    unique_branch,
    write_sales,
)


def test_two_head_office_processes_share_only_postgresql(tmp_path, ho_db_url, ho_engine):
    first = ServerProcess(ho_db_url, tmp_path / "one")
    second = ServerProcess(ho_db_url, tmp_path / "two")
    first.start()
    second.start()
    branch = unique_branch()
    counters = [new_workstation(tmp_path / f"c{n}", branch, f"W0{n}") for n in (1, 2, 3)]
    try:
        assert first.port != second.port
        for n, ws in enumerate(counters):
            enrol(ws, ho_engine, (first, second)[n % 2].url)  # enrolled on either
        totals = [write_sales(ws, 40, items=2) for ws in counters]
        for n, ws in enumerate(counters):  # each pushes half its outbox to each process
            token = CredentialStore(ws.data_dir).load().token
            for server in (first, second) if n % 2 else (second, first):
                with HeadOfficeClient(server.url, token) as client:
                    push_pending(ws.db, client, batch_size=50, in_flight=2, max_batches=2)
            with HeadOfficeClient(first.url, token) as client:  # the rest, and again
                push_pending(ws.db, client, batch_size=50, in_flight=2)
        n, distinct = ho_counts(ho_engine, branch)
        outbox = 0
        for ws in counters:
            with ws.db.reader() as s:
                outbox += s.execute(text("SELECT count(*) FROM outbox")).scalar_one()
        assert n == distinct == outbox  # every record once, whichever process took it
        with counters[0].db.unit_of_work() as uow:  # a counter re-sends all to the other
            uow.session.execute(update(OutboxEntry).values(sent_at=None))
            uow.commit()
        token = CredentialStore(counters[0].data_dir).load().token
        with HeadOfficeClient(second.url, token) as client:
            again = push_pending(counters[0].db, client, batch_size=50, in_flight=2)
        assert again.stored == 0 and again.duplicates == again.sent > 0
        assert ho_counts(ho_engine, branch) == (n, n)
        day = dt.datetime.now(dt.UTC).astimezone().date()
        token = CredentialStore(counters[0].data_dir).load().token
        headers = {
            "X-Frontdesk-Protocol": "2",
            "X-Frontdesk-App": "0.1.0",
            "X-Frontdesk-Schema": "0005",
            "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat(),
            "Authorization": f"Bearer {token}",
        }
        answers = [
            httpx.get(f"{s.url}/v1/summary?date={day}", headers=headers).json()
            for s in (first, second)
        ]
        assert answers[0] == answers[1]
        assert answers[0]["total_fen"] == sum(totals)
        # one manager token, accepted by both processes: the key lives in PostgreSQL
        manager = manager_token(ho_engine, counters[0].identity.branch_code)
        rows = [
            httpx.get(
                f"{s.url}/v1/report-rows?from={day}&to={day}",
                headers={**headers, "X-Frontdesk-Manager": manager},
                timeout=60,
            ).json()
            for s in (first, second)
        ]
        assert rows[0] == rows[1] and rows[0]["workstations"] == ["W01", "W02", "W03"]
    finally:
        for ws in counters:
            ws.close()
        first.stop()
        second.stop()
