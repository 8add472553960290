"""The local store: durability pragmas, append-only settled tables, outbox, numbering."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from frontdesk.store import audit
from frontdesk.store.crypto import Vault, VaultError, load_key_file, sealed_at
from frontdesk.store.engine import pragmas
from frontdesk.store.migrate import current_revision, head_revision
from frontdesk.store.models import AuditEntry, OutboxEntry, Setting, VisitEvent
from frontdesk.store.numbering import format_number, take_number


def test_fresh_workstation_is_at_head_with_durable_pragmas(ws):
    assert current_revision(ws.db.engine) == head_revision()
    found = pragmas(ws.db.engine)
    assert found["journal_mode"] == "wal"
    assert found["synchronous"] == 2  # FULL
    assert found["foreign_keys"] == 1


def test_settled_tables_refuse_update_and_delete(ws):
    with ws.db.unit_of_work() as uow:
        audit.record(uow.session, actor_id=None, action="test", object_type="x")
        uow.commit()
    conn = sqlite3.connect(ws.db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_entry SET action = 'forged'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_entry")
    finally:
        conn.close()


def test_synced_record_writes_outbox_row_in_same_transaction(ws):
    import uuid

    with ws.db.unit_of_work() as uow:
        audit.record(uow.session, actor_id=None, action="kept", object_type="x")
        uow.commit()
    with ws.db.unit_of_work() as uow:
        audit.record(uow.session, actor_id=None, action="rolled_back", object_type="x")
        # leaving without commit rolls back both the record and its outbox row
    with ws.db.reader() as s:
        rows = s.scalars(select(OutboxEntry)).all()
        assert [json.loads(r.payload)["data"]["action"] for r in rows] == ["kept"]
        envelope = json.loads(rows[0].payload)
        assert envelope["branch"] == "BJ0101" and envelope["workstation"] == "W01"
        assert envelope["type"] == "audit_entry"
        assert uuid.UUID(envelope["id"]) == rows[0].record_id
        assert s.scalar(select(func.count(AuditEntry.id))) == 1


def test_outbox_refuses_same_record_twice(ws):
    with ws.db.unit_of_work() as uow:
        entry = audit.record(uow.session, actor_id=None, action="a", object_type="x")
        uow.commit()
    with ws.db.unit_of_work() as uow, pytest.raises(IntegrityError):
        uow.session.add(OutboxEntry(record_id=entry.id, record_type="audit_entry", payload="{}"))
        uow.session.flush()


def test_numbers_are_gapless_and_rollback_returns_the_number(ws, clock):
    from frontdesk.core.clock import business_date

    day = business_date(clock.now())
    with ws.db.unit_of_work() as uow:
        first = take_number(uow.session, "receipt", "BJ0101", "W01", day)
        uow.commit()
    with ws.db.unit_of_work() as uow:
        take_number(uow.session, "receipt", "BJ0101", "W01", day)  # rolled back
    with ws.db.unit_of_work() as uow:
        second = take_number(uow.session, "receipt", "BJ0101", "W01", day)
        uow.commit()
    assert first == ("BJ0101-W01-20261121-R000001", 1)
    assert second == ("BJ0101-W01-20261121-R000002", 2)
    assert format_number("slip", "B1", "W9", day, 123) == "B1-W9-20261121-S000123"


def test_audit_chain_verifies_and_detects_tampering(ws):
    with ws.db.unit_of_work() as uow:
        for i in range(5):
            audit.record(
                uow.session, actor_id=None, action=f"a{i}", object_type="x", detail={"i": i}
            )
        uow.commit()
    with ws.db.reader() as s:
        report = audit.verify_chain(s)
    assert report.intact and report.entries == 5
    conn = sqlite3.connect(ws.db_path)
    conn.execute("DROP TRIGGER audit_entry_no_update")  # an attacker with file access
    conn.execute("UPDATE audit_entry SET detail = '{\"i\": 99}' WHERE seq = 3")
    conn.commit()
    conn.close()
    with ws.db.reader() as s:
        report = audit.verify_chain(s)
    assert not report.intact and report.first_broken_seq == 3


def test_vault_seals_and_detects_tampering(ws):
    vault = Vault(load_key_file(ws.data_dir))
    at = sealed_at("customer", "id_number_enc", "7d0e2c52-7a3c-4f7e-9d55-0d6f4f1f3b11")
    sealed = vault.seal("11010519491231002X", at)
    assert b"11010519491231002X" not in sealed
    assert vault.open_text(sealed, at) == "11010519491231002X"
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(VaultError):
        vault.open(tampered, at)
    assert vault.lookup_hash("x") == vault.lookup_hash("x") != vault.lookup_hash("y")


def test_database_remembers_its_workstation(ws, tmp_path):
    from frontdesk.config import load_config, write_config
    from frontdesk.services.workstation import Workstation, WorkstationError

    with ws.db.reader() as s:
        stored = {x.key: x.value for x in s.scalars(select(Setting))}
    assert stored["branch_code"] == "BJ0101"
    ws.close()
    config = load_config(ws.data_dir)
    renamed = config.model_copy(
        update={"workstation": config.workstation.model_copy(update={"workstation_code": "W02"})}
    )
    write_config(ws.data_dir, renamed)
    with pytest.raises(WorkstationError, match="W02"):
        Workstation.open(ws.data_dir)


def test_visit_event_payload_is_json(demo_ws, clerk):
    from frontdesk.services.intake import IntakeService

    visit_id = IntakeService(demo_ws).open_visit(clerk)
    with demo_ws.db.reader() as s:
        event = s.scalar(select(VisitEvent).where(VisitEvent.visit_id == visit_id))
        row = s.scalar(select(OutboxEntry).where(OutboxEntry.record_id == event.id))
        payload = json.loads(row.payload)
        assert payload["data"]["event"] == "opened"
        assert payload["data"]["visit_id"] == str(visit_id)
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []


def test_every_synced_table_is_append_only_by_trigger(ws):
    from frontdesk.store.models import APPEND_ONLY_TABLES

    conn = sqlite3.connect(ws.db_path)
    try:
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    finally:
        conn.close()
    assert "day_close" in APPEND_ONLY_TABLES
    for table in APPEND_ONLY_TABLES:
        assert {f"{table}_no_update", f"{table}_no_delete"} <= triggers, table


def test_head_office_accepts_every_record_type_a_workstation_writes():
    """A hand-kept list once left day_close out and head office quarantined it."""
    import uuid

    from frontdesk.headoffice.ingest import check_record
    from frontdesk.store.models import SyncedRecord

    kinds = {m.__sync_type__ for m in SyncedRecord.__subclasses__()}
    assert {"day_close", "queue_event", "slip"} <= kinds
    for kind in kinds:
        rid = str(uuid.uuid4())
        envelope = {
            "v": 1,
            "type": kind,
            "id": rid,
            "branch": "BJ01",
            "workstation": "W01",
            "data": {
                "id": rid,
                "created_at": "2026-11-21T01:30:00+00:00",
                "total_fen": 0,
                "paid_fen": 0,
                "seq": 1,
                "fee_fen": 0,
                "list_fee_fen": 0,
                "line_no": 1,
                "amount_fen": 0,
                "tendered_fen": 0,
                # what head office requires of the kinds its readers join by
                "slip_id": str(uuid.uuid4()),
                "visit_id": str(uuid.uuid4()),
                "complaint_id": str(uuid.uuid4()),
                "event": "opened",
                "party": "customer",
                "business_date": "2026-11-21",
            },
        }
        accepted, reason = check_record(envelope, "BJ01", "W01")
        assert accepted is not None, (kind, reason)
