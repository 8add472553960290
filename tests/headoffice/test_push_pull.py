"""Enrol, push, pull and revoke against a real PostgreSQL and a real uvicorn server."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from sqlalchemy import select, text

from frontdesk.headoffice.admin import issue_enrolment_code, publish_dataset, revoke
from frontdesk.services.syncpass import run_pass
from frontdesk.store.models import OutboxEntry, Staff, SyncDataset
from frontdesk.sync.client import HeadOfficeClient, HeadOfficeRefused
from frontdesk.sync.credentials import CredentialStore
from frontdesk.sync.puller import pull_datasets
from frontdesk.sync.pusher import push_pending
from frontdesk.sync.service import client_for, enrol_workstation
from frontdesk.sync.status import read_status

from .conftest import enrol
from .factory import ho_counts, new_workstation, write_sales

ARGON = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"


def outbox_ids(ws) -> set[str]:
    with ws.db.reader() as s:
        return {str(r) for r in s.scalars(select(OutboxEntry.record_id))}


def ho_ids(engine, branch: str) -> set[str]:
    with engine.connect() as conn:
        return {
            str(r)
            for r in conn.execute(
                text("SELECT id FROM ho_record WHERE branch_code = :b"), {"b": branch}
            ).scalars()
        }


def test_enrol_push_pull_revoke(enrolled, ho_engine, ho_server):
    ws = enrolled
    cred = CredentialStore(ws.data_dir).load()
    assert cred.token and cred.branch == ws.identity.branch_code
    # the credential is a 0600 file outside the database
    assert (ws.data_dir / "headoffice-credential.json").stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(ws.db_path) as con:
        dump = "\n".join(con.iterdump())
    assert cred.token not in dump
    # head office's look-up key is now the workstation's
    with ho_engine.connect() as conn:
        key = conn.execute(
            text("SELECT value FROM ho_secret WHERE name = 'lookup_key'")
        ).scalar_one()
    import base64

    from frontdesk.store.crypto import load_key_file

    assert load_key_file(ws.data_dir).lookup_key == base64.b64decode(key)

    total = write_sales(ws, 20, items=2)
    with client_for(ws) as client:
        report = push_pending(ws.db, client, batch_size=7)
    assert report.sent == len(outbox_ids(ws)) == report.stored
    assert report.batches >= 2
    assert ho_ids(ho_engine, ws.identity.branch_code) == outbox_ids(ws)
    status = read_status(ws.db)
    assert status.pending == 0 and status.last_success_at is not None
    with ho_engine.connect() as conn:
        money = conn.execute(
            text(
                "SELECT sum((data->>'amount_fen')::bigint) FROM ho_record"
                " WHERE branch_code = :b AND record_type = 'payment'"
            ),
            {"b": ws.identity.branch_code},
        ).scalar_one()
    assert money == total

    # pull: staff (hashes only, own branch), tiers; versions applied atomically
    with ho_engine.begin() as conn:
        v_staff = publish_dataset(
            conn,
            "staff",
            {
                "staff": [
                    {
                        "username": "ho_clerk",
                        "display_name": "总部营业员",
                        "role": "clerk",
                        "branch_code": ws.identity.branch_code,
                        "password_hash": ARGON,
                    },
                    {
                        "username": "elsewhere",
                        "display_name": "别的厅",
                        "role": "clerk",
                        "branch_code": "OTHER1",
                        "password_hash": ARGON,
                    },
                ]
            },
        )
        v_tiers = publish_dataset(conn, "tiers", {"tiers": [{"code": "gold", "rank": 2}]})
    assert v_tiers > v_staff
    with client_for(ws) as client:
        pulled = pull_datasets(ws.db, client)
        assert pulled.applied["staff"] == v_staff and pulled.applied["tiers"] == v_tiers
        again = pull_datasets(ws.db, client)
        assert again.applied == {}
    with ws.db.reader() as s:
        names = {st.username: st for st in s.scalars(select(Staff))}
        assert names["ho_clerk"].source == "head_office"
        assert "elsewhere" not in names
        assert s.get(SyncDataset, "tiers").version == v_tiers

    # revoke: the credential is refused from now on
    with ho_engine.begin() as conn:
        assert revoke(conn, ws.identity.branch_code, ws.identity.workstation_code)
    write_sales(ws, 1)
    with client_for(ws) as client, pytest.raises(HeadOfficeRefused) as info:
        push_pending(ws.db, client)
    assert info.value.status == 403 and info.value.error == "revoked"
    assert read_status(ws.db).pending > 0


def test_enrolment_code_is_one_time_and_bound(tmp_path, ho_engine, ho_server):
    ws = new_workstation(tmp_path)
    other = new_workstation(tmp_path)
    with ho_engine.begin() as conn:
        code = issue_enrolment_code(conn, ws.identity.branch_code, "W01")
    with pytest.raises(HeadOfficeRefused) as info:  # issued for another workstation
        enrol_workstation(other, ho_server.url, code)
    assert info.value.status == 403 and "code" in info.value.message
    with ho_engine.begin() as conn:
        code = issue_enrolment_code(conn, ws.identity.branch_code, "W01")
    enrol_workstation(ws, ho_server.url, code.lower())  # read over the phone: case-free
    with pytest.raises(HeadOfficeRefused):
        enrol_workstation(ws, ho_server.url, code)
    ws.close()
    other.close()


def test_batch_twice_stored_once_and_duplicates_inside_a_batch(enrolled, ho_engine):
    ws = enrolled
    write_sales(ws, 5)
    with ws.db.reader() as s:
        payloads = list(s.scalars(select(OutboxEntry.payload).order_by(OutboxEntry.seq)))
    with client_for(ws) as client:
        first = client.push(payloads + payloads[:3])  # duplicates inside one batch
        assert first.stored == len(payloads) and first.duplicates == 3
        second = client.push(payloads)
        assert second.stored == 0 and second.duplicates == len(payloads)
    n, distinct = ho_counts(ho_engine, ws.identity.branch_code)
    assert n == distinct == len(payloads)


def test_resending_a_90_day_old_batch_is_a_no_op(enrolled, ho_engine):
    ws = enrolled
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    write_sales(ws, 10, when=old)
    with client_for(ws) as client:
        push_pending(ws.db, client)
    with ws.db.unit_of_work() as uow:  # as if the acknowledgement had been lost 90 days ago
        uow.session.execute(text("UPDATE outbox SET sent_at = NULL"))
        uow.commit()
    with client_for(ws) as client:
        again = push_pending(ws.db, client)
    assert again.stored == 0 and again.duplicates == again.sent > 0
    n, distinct = ho_counts(ho_engine, ws.identity.branch_code)
    assert n == distinct == len(outbox_ids(ws))


def test_another_branchs_record_is_refused_while_the_rest_flow(enrolled, ho_engine):
    ws = enrolled
    write_sales(ws, 2)
    with ws.db.unit_of_work() as uow:
        s = uow.session
        row = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).first()
        envelope = json.loads(row.payload)
        envelope["branch"] = "ZZ9999"
        envelope["id"] = envelope["data"]["id"] = "00000000-0000-4000-8000-00000000abcd"
        s.add(
            OutboxEntry(
                record_id=__import__("uuid").UUID(envelope["id"]),
                record_type=envelope["type"],
                payload=json.dumps(envelope),
            )
        )
        uow.commit()
    with client_for(ws) as client:
        report = push_pending(ws.db, client)
    assert len(report.rejected) == 1 and "branch" in report.rejected[0][1]
    assert "00000000-0000-4000-8000-00000000abcd" not in ho_ids(ho_engine, "ZZ9999")
    assert ho_ids(ho_engine, ws.identity.branch_code) == outbox_ids(ws) - {
        "00000000-0000-4000-8000-00000000abcd"
    }
    with ho_engine.connect() as conn:
        reason = conn.execute(
            text("SELECT reason FROM ho_quarantine WHERE record_id = :i"),
            {"i": "00000000-0000-4000-8000-00000000abcd"},
        ).scalar_one()
    assert "credential" in reason
    status = read_status(ws.db)
    assert status.pending == 0 and status.rejected == 1 and status.level == "attention"


def test_poison_record_is_quarantined_and_the_rest_flow(enrolled, ho_engine):
    ws = enrolled
    write_sales(ws, 3)
    with ws.db.unit_of_work() as uow:
        s = uow.session
        row = s.scalars(
            select(OutboxEntry).where(OutboxEntry.record_type == "payment").limit(1)
        ).one()
        envelope = json.loads(row.payload)
        envelope["data"]["amount_fen"] = "12.50"  # can never be summed in fen
        import uuid

        poison_id = uuid.uuid4()
        envelope["id"] = envelope["data"]["id"] = str(poison_id)
        s.add(OutboxEntry(record_id=poison_id, record_type="payment", payload=json.dumps(envelope)))
        uow.commit()
    write_sales(ws, 3)  # records behind the poison one
    with client_for(ws) as client:
        report = push_pending(ws.db, client, batch_size=4)
    assert [r[0] for r in report.rejected] == [poison_id]
    assert "amount_fen" in report.rejected[0][1]
    assert ho_ids(ho_engine, ws.identity.branch_code) == outbox_ids(ws) - {str(poison_id)}
    with ws.db.reader() as s:
        poison = s.scalar(select(OutboxEntry).where(OutboxEntry.record_id == poison_id))
        assert poison.sent_at is not None and "amount_fen" in poison.rejected_reason
        poison_payload = poison.payload
    status = read_status(ws.db)
    assert status.rejected == 1 and status.recent_rejections[0].record_id == str(poison_id)
    with client_for(ws) as client:  # re-sent poison is quarantined once, not twice
        client.push([poison_payload])
    with ho_engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM ho_quarantine WHERE record_id = :i"),
                {"i": str(poison_id)},
            ).scalar_one()
            == 1
        )


def test_previous_protocol_client_still_syncs(enrolled, ho_engine):
    ws = enrolled
    write_sales(ws, 4)
    with client_for(ws, protocol=1) as client:
        report = run_pass(ws, client)
    assert report.push.stored == report.push.sent > 0
    assert ho_ids(ho_engine, ws.identity.branch_code) == outbox_ids(ws)


def test_clock_skew_is_flagged_never_refused(enrolled, ho_engine):
    ws = enrolled
    write_sales(ws, 2)
    with ws.db.reader() as s:
        payloads = list(s.scalars(select(OutboxEntry.payload)))
    cred = CredentialStore(ws.data_dir).load()
    with HeadOfficeClient(cred.url, cred.token) as client:
        late = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).isoformat()
        response = client._http.post(
            "/v1/push",
            content=json.dumps({"batch_id": "x", "records": [json.loads(p) for p in payloads]}),
            headers={"X-Frontdesk-Device-Time": late, "Content-Type": "application/json"},
        )
    assert response.status_code == 200 and response.json()["skew_flagged"] is True
    with ho_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT skew_flagged, clock_skew_seconds, device_time, received_at FROM ho_record"
                " WHERE branch_code = :b"
            ),
            {"b": ws.identity.branch_code},
        ).all()
    assert len(rows) == len(payloads)
    assert all(r.skew_flagged and r.clock_skew_seconds >= 590 for r in rows)
    assert all(r.device_time is not None and r.received_at is not None for r in rows)


def test_a_cloned_identity_is_flagged_not_merged(tmp_path, ho_engine, ho_server):
    import shutil

    from frontdesk.services.workstation import Workstation

    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    ws.close()
    clone_dir = tmp_path / "clone"
    shutil.copytree(ws.data_dir, clone_dir)
    ws = Workstation.open(ws.data_dir)
    clone = Workstation.open(clone_dir)
    write_sales(ws, 3)
    write_sales(clone, 3)  # same receipt numbers, different records
    with client_for(ws) as client:
        push_pending(ws.db, client)
    with client_for(clone) as client, pytest.raises(HeadOfficeRefused) as info:
        push_pending(clone.db, client)
    assert info.value.status == 409 and "clone" in info.value.message
    assert ho_ids(ho_engine, ws.identity.branch_code) == outbox_ids(ws)
    with ho_engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT status FROM ho_workstation WHERE branch_code = :b"),
                {"b": ws.identity.branch_code},
            ).scalar_one()
            == "flagged"
        )
    ws.close()
    clone.close()
