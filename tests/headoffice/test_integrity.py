"""Head office anchors each counter's history (issue 18): after a counter's next push
pass, a history rewritten (even with the key file), truncated or re-priced at the
counter lists that counter. Real PostgreSQL, real uvicorn, real workstation files."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from frontdesk.cli import EXIT_OK, EXIT_PROBLEM, main
from frontdesk.core.clock import FixedClock
from frontdesk.headoffice.integrity import changed_counters
from frontdesk.services.syncpass import run_pass
from frontdesk.services.workstation import Workstation
from frontdesk.store import audit
from frontdesk.store.models import AuditEntry
from frontdesk.sync.anchor import anchor
from frontdesk.sync.service import client_for

from .conftest import enrol
from .factory import ServerProcess, new_workstation, write_sales

ADMIN = "integrity-admin-token"


@pytest.fixture(scope="module")
def strict_server(
    ho_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """Head office comparing money totals on every report (default: every 10 minutes)."""
    server = ServerProcess(
        ho_db_url,
        tmp_path_factory.mktemp("ho-integrity"),
        env={"FRONTDESK_HO_INTEGRITY_TOTALS_MINUTES": "0", "FRONTDESK_HO_ADMIN_TOKEN": ADMIN},
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def counter(
    tmp_path: Path, ho_engine: Engine, strict_server: ServerProcess
) -> Iterator[Workstation]:
    ws = new_workstation(tmp_path)
    ws.clock = FixedClock(dt.datetime.now(dt.UTC))
    enrol(ws, ho_engine, strict_server.url)
    write_sales(ws, 3, items=2)
    note(ws, 4)
    assert sync(ws) == "ok"
    yield ws
    ws.close()


def note(ws: Workstation, n: int) -> None:
    with ws.db.unit_of_work() as uow:
        for i in range(n):
            audit.record(
                uow.session,
                actor_id=None,
                action="customer.viewed",
                object_type="x",
                detail={"i": i},
            )
        uow.commit()


def sync(ws: Workstation) -> str:
    """A sync pass 11 minutes after the last one: the counter's totals are due again."""
    ws.clock = FixedClock(ws.clock.now() + dt.timedelta(minutes=11))
    with client_for(ws) as client:
        return run_pass(ws, client).integrity


def sql(ws: Workstation, *statements: str) -> None:
    conn = sqlite3.connect(ws.db_path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def listed(ho_engine: Engine, ws: Workstation) -> list[str]:
    with ho_engine.connect() as conn:
        for c in changed_counters(conn):
            if (c.branch_code, c.workstation_code) == (ws.identity.branch_code, "W01"):
                return c.findings
    return []


def test_an_untouched_counter_is_not_listed(counter, ho_engine):
    write_sales(counter, 2)
    note(counter, 2)
    assert sync(counter) == "ok"
    assert sync(counter) == "ok"
    assert listed(ho_engine, counter) == []


def test_chain_rewritten_with_the_key_file_is_flagged(
    counter, ho_engine, ho_db_url, capsys, monkeypatch
):
    """The insider has the key file: the local chain verifies again, head office doesn't."""
    sql(counter, "DROP TRIGGER audit_entry_no_update")
    with counter.db.reader() as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        chain_key = s.info[audit.CHAIN_KEY_INFO]
        prev = audit.GENESIS_HASH
        rows = []
        for e in entries:
            if e.seq == 2:
                e.detail = {"i": 999}
            fields = audit._hashed_fields(e)
            digest = audit._entry_hash(prev, fields, audit._key_for(chain_key, e.seq))
            rows.append((prev, digest, e.seq))
            prev = digest
        s.rollback()
    conn = sqlite3.connect(counter.db_path)
    conn.execute("UPDATE audit_entry SET detail = '{\"i\": 999}' WHERE seq = 2")
    conn.executemany("UPDATE audit_entry SET prev_hash = ?, entry_hash = ? WHERE seq = ?", rows)
    conn.commit()
    conn.close()
    with counter.db.reader() as s:
        assert audit.verify_chain(s).intact  # locally consistent again
    assert sync(counter) == "changed"
    found = listed(ho_engine, counter)
    assert any(f"audit entry {len(entries)} is now" in f and "was rewritten" in f for f in found)
    monkeypatch.setenv("FRONTDESK_HO_DATABASE_URL", ho_db_url)
    capsys.readouterr()
    assert main(["headoffice", "integrity"]) == EXIT_PROBLEM
    out = capsys.readouterr().out
    assert f"{counter.identity.branch_code}\tW01\tchanged since" in out
    target = f"{counter.identity.branch_code}/W01"
    assert main(["headoffice", "integrity", "--clear", target]) == EXIT_OK
    assert listed(ho_engine, counter) == []
    assert main(["headoffice", "integrity", "--clear", target]) == EXIT_PROBLEM


def test_entry_rewritten_then_followed_is_flagged(counter, ho_engine):
    """The last pushed entry rewritten (with the key); the next entry links to the
    rewritten one, and head office holds the original."""
    sql(counter, "DROP TRIGGER audit_entry_no_update")
    with counter.db.reader() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        last.detail = {"i": 999}
        key = audit._key_for(s.info[audit.CHAIN_KEY_INFO], last.seq)
        digest = audit._entry_hash(last.prev_hash, audit._hashed_fields(last), key)
        seq = last.seq
        s.rollback()
    sql(
        counter,
        f"UPDATE audit_entry SET detail = '{{\"i\": 999}}', entry_hash = '{digest}'"
        f" WHERE seq = {seq}",
    )
    note(counter, 1)
    assert sync(counter) == "changed"
    found = listed(ho_engine, counter)
    assert any(f"audit entry {seq + 1} does not follow entry {seq}" in f for f in found), found


def test_truncated_chain_is_flagged(counter, ho_engine):
    sql(
        counter,
        "DROP TRIGGER audit_entry_no_delete",
        "DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)",
    )
    assert sync(counter) == "changed"
    assert any("the history was truncated" in f for f in listed(ho_engine, counter))


def test_truncated_then_written_again_is_flagged(counter, ho_engine):
    sql(
        counter,
        "DROP TRIGGER audit_entry_no_delete",
        "DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)",
    )
    note(counter, 1)  # takes the deleted entry's position with other content
    assert sync(counter) == "changed"
    found = listed(ho_engine, counter)
    assert any("arrived again with different content" in f for f in found), found


def test_entry_deleted_before_its_push_is_flagged(counter, ho_engine):
    note(counter, 3)
    sql(
        counter,
        "DROP TRIGGER audit_entry_no_delete",
        "DELETE FROM outbox WHERE record_id = (SELECT id FROM audit_entry WHERE seq = 5)",
        "DELETE FROM audit_entry WHERE seq = 5",
    )
    assert sync(counter) == "changed"
    found = listed(ho_engine, counter)
    assert any("audit entries 5–5 never arrived" in f for f in found), found


def test_edited_amount_is_flagged_by_the_totals(counter, ho_engine):
    sql(
        counter,
        "DROP TRIGGER payment_no_update",
        "UPDATE payment SET amount_fen = amount_fen - 100 WHERE rowid = 1",
    )
    assert sync(counter) == "changed"
    found = listed(ho_engine, counter)
    assert any(f.startswith("payment totals differ: the counter has 3 records") for f in found)
    assert not any(f.startswith("slip totals") for f in found)


def test_admin_list_and_refused_reports(counter, ho_engine, strict_server):
    sql(counter, "DROP TRIGGER slip_no_update", "UPDATE slip SET total_fen = 1")
    assert sync(counter) == "changed"
    answer = httpx.get(
        strict_server.url + "/v1/admin/integrity", headers={"Authorization": f"Bearer {ADMIN}"}
    )
    mine = [c for c in answer.json()["changed"] if c["branch"] == counter.identity.branch_code]
    assert mine and mine[0]["findings"][0].startswith("slip totals differ")
    refused = httpx.get(strict_server.url + "/v1/admin/integrity")
    assert refused.status_code == 403
    with client_for(counter) as client:
        from frontdesk.sync.client import HeadOfficeRefused

        with pytest.raises(HeadOfficeRefused) as bad:
            client.report_anchor({"audit_seq": -1, "audit_head": "x", "outbox_to": 0})
    assert bad.value.status == 422 and "audit_seq" in str(bad.value)


def test_counter_ahead_of_an_older_head_office_goes_on(counter):
    """A head office without ``/v1/integrity`` answers 404 (here: the same server under a
    path it does not serve); the counter's report says so instead of failing the pass."""
    with client_for(counter) as client:
        client._http.base_url = client._http.base_url.join("/older-head-office/")
        assert client.report_anchor({}) == {"status": "not_supported"}


def test_totals_are_sent_every_ten_minutes_and_only_with_nothing_pending(counter):
    now = counter.clock.now()  # the fixture's pass sent totals at this moment
    assert "totals" not in anchor(counter.db, now + dt.timedelta(minutes=9))
    later = now + dt.timedelta(minutes=10)
    sent = anchor(counter.db, later)
    assert sent["totals"]["slip"] == {"count": 3, "fen": sent["totals"]["receipt"]["fen"]}
    write_sales(counter, 1)  # now something waits in the outbox: totals not comparable
    assert "totals" not in anchor(counter.db, later)
    assert anchor(counter.db, later)["audit_seq"] == sent["audit_seq"]
