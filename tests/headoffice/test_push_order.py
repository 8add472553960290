"""Pipelined push: two batches on the wire, stored at head office in the counter's order.

Head office replays account effects in arrival order (``rx_seq``), so a faster push must
not let a later batch of a counter overtake an earlier one (docs/sync.md).
"""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import select, text

from frontdesk.store.models import OutboxEntry
from frontdesk.sync.client import HeadOfficeClient
from frontdesk.sync.credentials import CredentialStore
from frontdesk.sync.pusher import push_pending
from frontdesk.sync.service import client_for
from frontdesk.sync.status import read_status

from .factory import ServerProcess, write_sales

HEADERS = {
    "X-Frontdesk-Protocol": "2",
    "X-Frontdesk-App": "0.1.0",
    "X-Frontdesk-Schema": "0003",
    "Content-Type": "application/json",
}


def outbox_order(ws) -> list[str]:
    with ws.db.reader() as s:
        return [str(r) for r in s.scalars(select(OutboxEntry.record_id).order_by(OutboxEntry.seq))]


def arrival_order(engine, branch: str) -> list[str]:
    with engine.connect() as conn:
        return [
            str(r)
            for r in conn.execute(
                text("SELECT id FROM ho_record WHERE branch_code = :b ORDER BY rx_seq"),
                {"b": branch},
            ).scalars()
        ]


def test_pipelined_batches_arrive_in_the_counters_order(enrolled, ho_engine):
    ws = enrolled
    write_sales(ws, 150, items=2)  # 750 records: slip, 2 items, payment, receipt each
    with client_for(ws) as client:
        report = push_pending(ws.db, client, batch_size=7, in_flight=2)
    assert report.stored == 750 and report.batches == 108  # ⌈750 / 7⌉
    assert read_status(ws.db).pending == 0
    assert arrival_order(ho_engine, ws.identity.branch_code) == outbox_order(ws)
    with ho_engine.connect() as conn:
        stored_to = conn.execute(
            text("SELECT last_outbox_seq FROM ho_workstation WHERE branch_code = :b"),
            {"b": ws.identity.branch_code},
        ).scalar()
    with ws.db.reader() as s:
        assert stored_to == s.scalar(select(OutboxEntry.seq).order_by(OutboxEntry.seq.desc()))


def _envelope(ws) -> bytes:
    with ws.db.reader() as s:
        payloads = list(s.scalars(select(OutboxEntry.payload).order_by(OutboxEntry.seq)))
    return ('{"records":[' + ",".join(payloads) + "]").encode()


def test_a_batch_whose_predecessor_never_arrives_is_turned_away_busy(
    enrolled, ho_db_url, ho_engine, tmp_path
):
    ws = enrolled
    write_sales(ws, 2)
    config = tmp_path / "headoffice.toml"
    config.write_text("[sync]\npush_order_wait_seconds = 0.3\n", encoding="utf-8")
    server = ServerProcess(ho_db_url, tmp_path / "srv", env={"FRONTDESK_HO_CONFIG": str(config)})
    server.start()
    try:
        token = CredentialStore(ws.data_dir).load().token
        headers = {
            **HEADERS,
            "Authorization": f"Bearer {token}",
            "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat(),
        }
        records = _envelope(ws)
        waiting = records[:1] + b'"follows":999999,"outbox_to":1000000,' + records[1:] + b"}"
        r = httpx.post(server.url + "/v1/push", content=waiting, headers=headers, timeout=30)
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "1"
        assert r.json()["problems"][0]["field"] == "follows"
        assert arrival_order(ho_engine, ws.identity.branch_code) == []  # nothing stored

        # sent again as part of an ordinary pass, the same records are stored once
        with HeadOfficeClient(server.url, token) as client:
            report = push_pending(ws.db, client, in_flight=2)
        assert report.stored == len(outbox_order(ws))
        assert arrival_order(ho_engine, ws.identity.branch_code) == outbox_order(ws)
    finally:
        server.stop()


def test_a_protocol_1_client_without_positions_still_pushes(enrolled, ho_engine, ho_server):
    """The fields are optional: an older counter sends neither and is stored as before."""
    ws = enrolled
    write_sales(ws, 3)
    token = CredentialStore(ws.data_dir).load().token
    with HeadOfficeClient(ho_server.url, token, protocol=1) as client:
        report = push_pending(ws.db, client, batch_size=4, in_flight=2)
    assert report.stored == len(outbox_order(ws))
    assert sorted(arrival_order(ho_engine, ws.identity.branch_code)) == sorted(outbox_order(ws))
