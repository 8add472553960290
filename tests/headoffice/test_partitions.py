"""ho_record is partitioned by branch (SPEC §9: branch-partitioned tables when thousands
of branches report), and upgrading a head office that already holds records keeps
every record, its arrival order and the account effects still queued."""

from __future__ import annotations

import re
import uuid

from alembic import command
from sqlalchemy import text

from frontdesk.headoffice.db import alembic_config, make_engine
from frontdesk.headoffice.ingest import store_batch

from .factory import create_database


def envelope(branch: str, kind: str = "payment") -> dict:
    rid = str(uuid.uuid4())
    return {
        "v": 1,
        "type": kind,
        "id": rid,
        "branch": branch,
        "workstation": "W01",
        "data": {
            "id": rid,
            "created_at": "2026-11-21T01:30:00+00:00",
            "slip_id": str(uuid.uuid4()),
            "amount_fen": 100,
            "tendered_fen": 100,
            "line_no": 1,
            "method": "cash",
        },
    }


def test_a_branch_lives_in_one_of_sixteen_partitions(ho_engine):
    with ho_engine.connect() as conn:
        parts = conn.execute(
            text(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
                " WHERE p.relname = 'ho_record'"
            )
        ).scalar()
        assert parts == 16
        result = store_batch(
            conn,
            [envelope("PART01") for _ in range(20)],
            branch="PART01",
            workstation="W01",
            skew_seconds=0,
            skew_limit=300,
        )
        assert result.stored == 20
        homes = (
            conn.execute(
                text(
                    "SELECT DISTINCT tableoid::regclass::text FROM ho_record"
                    " WHERE branch_code = 'PART01'"
                )
            )
            .scalars()
            .all()
        )
        assert len(homes) == 1 and homes[0].startswith("ho_record_p")
        plan = "\n".join(
            conn.execute(
                text("EXPLAIN SELECT * FROM ho_record WHERE branch_code = 'PART01'")
            ).scalars()
        )
        scanned = set(re.findall(r" on (ho_record_p\d\d)", plan))
        assert scanned == {homes[0]}  # the other 15 partitions are pruned
        conn.rollback()


def test_upgrading_keeps_records_order_and_queued_effects(pg_admin_url):
    url = create_database(pg_admin_url, f"fd_part_{uuid.uuid4().hex[:8]}")
    command.upgrade(alembic_config(url), "ho0003")
    engine = make_engine(url, pool_size=1)
    ids = [uuid.uuid4() for _ in range(5)]
    with engine.begin() as conn:
        for n, rid in enumerate(ids):
            conn.execute(
                text(
                    "INSERT INTO ho_record (id, record_type, branch_code, workstation_code,"
                    " envelope_version, data) VALUES (:i, 'slip_item', :b, 'W01', 1,"
                    " CAST(:d AS jsonb))"
                ),
                {"i": rid, "b": f"UPG{n % 2}", "d": '{"account_effect": "add_line"}'},
            )
        conn.execute(text("INSERT INTO ho_pending_effect (item_id) VALUES (:i)"), {"i": ids[3]})
    command.upgrade(alembic_config(url), "head")
    with engine.begin() as conn:
        kept = conn.execute(text("SELECT id FROM ho_record ORDER BY rx_seq")).scalars().all()
        assert kept == ids  # every record, in arrival order
        queued = conn.execute(text("SELECT item_id, branch_code FROM ho_pending_effect")).all()
        assert [(q.item_id, q.branch_code) for q in queued] == [(ids[3], "UPG1")]
        later = store_batch(
            conn,
            [envelope("UPG0")],
            branch="UPG0",
            workstation="W01",
            skew_seconds=0,
            skew_limit=300,
        )
        assert later.stored == 1
        last = conn.execute(text("SELECT max(rx_seq) FROM ho_record")).scalar()
        newest = conn.execute(
            text("SELECT id FROM ho_record ORDER BY rx_seq DESC LIMIT 1")
        ).scalar()
        assert last > 5 and newest not in ids  # numbering goes on after the copied rows
    engine.dispose()
