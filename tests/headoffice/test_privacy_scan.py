"""A demo day, synced to head office, leaves no ID number that can be read or rebuilt.

The 6+4 mask (110105********1239) hides only the birth date, so a birth date kept in
clear next to the mask gives the number back (issue 13, DOMAIN.md). After a counter day
— new line with face comparison, top-ups, a unit served by its agent, a personal agent,
a handset sale with its warranty card, a 过户 whose new owner is read, face-compared,
counted and signs the 涉诈风险告知书, a walk-in who held no line, prints and 补打, a
backup, a sync, head office's account answers, then the retention purge ten years on —
every place personal data can land is scanned: the SQLite file and its WAL (raw bytes and
a logical dump), the backups, the log files, the archived PDFs (bytes and text), the
outbox payloads, and every table of head office's PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import sqlite3
from pathlib import Path

from sqlalchemy import select, text, update

from frontdesk.core.clock import business_date
from frontdesk.devices.id_reader import demo_card
from frontdesk.headoffice.accounts import apply_pending_effects
from frontdesk.ops.backups import ensure_daily_backup
from frontdesk.ops.logs import configure_logging
from frontdesk.services.auth import AuthService
from frontdesk.services.demo import load_demo_data
from frontdesk.services.documents import DocumentService
from frontdesk.services.intake import IntakeService
from frontdesk.services.retention import RetentionService
from frontdesk.services.syncpass import run_pass
from frontdesk.services.verification import VerificationService
from frontdesk.store.backup import take_backup
from frontdesk.store.models import Customer, Line, OutboxEntry
from frontdesk.sync.service import client_for
from tests.printing.conftest import Visits
from tests.services.helpers import verify_person

from .conftest import enrol
from .factory import new_workstation

NEW_OWNER = "foreigner_2023"  # read only as the new owner of a 过户
PEOPLE = ("zhang_san", "long_term", "hmt_resident", "minor", NEW_OWNER)


def _forms(number: str) -> dict[str, list[str]]:
    """What would give ``number`` away: itself, and the pieces the mask hides."""
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return {
        "number": [number, number.lower(), number[:6] + number[8:17]],  # + 15-digit legacy
        "mask": [number[:6] + "*" * 8 + number[14:]],
        "birth": [
            number[6:14],
            birth.isoformat(),
            birth.strftime("%Y/%m/%d"),
            f"{birth.year}年{birth.month}月{birth.day}日",
            f"{birth.year}年{birth.month:02d}月{birth.day:02d}日",
        ],
    }


def _leaks(source: str, blob: str, numbers: dict[str, dict[str, list[str]]]) -> list[str]:
    found = []
    for person, forms in numbers.items():
        for shown in forms["number"]:
            if shown in blob:
                found.append(f"{source}: {person}'s full ID number")
        masked = any(m in blob for m in forms["mask"])
        births = [b for b in forms["birth"] if b in blob]
        if masked and births:
            found.append(f"{source}: {person}'s mask beside the birth date {births[0]}")
    return found


def _sqlite_dump(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _demo_day(ws, manager_password: str = "Manager2026") -> None:
    auth = AuthService(ws.db, ws.config.security, ws.clock)
    clerk = auth.sign_in("clerk01", "Counter2026")
    with client_for(ws) as client:
        intake = IntakeService(ws)
        visits = Visits(ws, clerk, auth, intake)
        verifier = VerificationService(ws, limits=client, accounts=client)
        _, sale = visits.sale()  # new line with face comparison, 一证五号, scan
        _, unit = visits.unit()  # unit customer through its agent, letter retained
        visits.top_up()
        _, two = visits.two_top_ups_by_card()
        visits.refund_last_item(two.slip_no)
        slip_id, card_id = visits.handset_sale_with_card()  # 三包 card: name, phone, address
        # a personal agent (代办): 陈 for 张三, asking head office for the accounts
        visit = intake.open_visit(clerk)
        verifier.read_card(clerk, visit, _reader(ws, "zhang_san"))
        verify_person(ws, clerk, visit, "hmt_resident", party="agent", face=False)
        # the line opened this morning: known to head office whether or not its effect
        # has been applied yet (its answer replaces the demo's local-only lines)
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "20"}, service_number="13812345678"
        )
        intake.add_payment(clerk, visit, "cash", 2_000)
        intake.settle(clerk, visit)
        # 过户: 刘建国 hands 13700137000 to SMITH, JOHN — 入网 for the new owner: card read
        # as "new_owner", face-compared, counted by head office, 涉诈风险告知书 signed
        visit = intake.open_visit(clerk)
        verify_person(ws, clerk, visit, "long_term")
        verify_person(ws, clerk, visit, NEW_OWNER, party="new_owner")
        verifier.check_number_limit(clerk, visit, party="new_owner")
        intake.add_business(
            clerk,
            visit,
            "CHANGE_OWNER",
            {"new_owner_phone": "13812340000"},
            service_number="13700137000",
        )
        intake.record_fraud_notice(clerk, visit, "paper")
        transfer = intake.settle(clerk, visit)
        # a walk-in who never held a line: read, then only an enquiry
        visit = intake.open_visit(clerk)
        verify_person(ws, clerk, visit, "minor", face=False)
        intake.cancel(clerk, visit, "只做咨询")
        documents = DocumentService(ws)
        for settled in (sale, unit, two, transfer):
            documents.archive_settlement(settled.slip_id)
        documents.archive_settlement(slip_id)
        documents.archive_warranty_card(card_id)
        documents.reprint(
            clerk, documents.archive_slip(sale.slip_id).document_id, reason="客户遗失"
        )
        take_backup(ws.db_path, ws.backup_dir, "manual", keep=ws.config.backup.keep)
        ensure_daily_backup(ws.db_path, ws.backup_dir, keep=ws.config.backup.keep)
        run_pass(ws, client)


def _reader(ws, person: str):
    from frontdesk.devices.id_reader import SimulatedIdCardReader

    reader = SimulatedIdCardReader(demo_card(person, today=business_date(ws.clock.now())))
    reader.open()
    return reader


def test_a_demo_day_synced_to_head_office_leaves_no_rebuildable_id_number(
    tmp_path, ho_engine, ho_server
):
    log_dir = tmp_path / "logs"
    configure_logging(log_dir, level=logging.DEBUG)
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    load_demo_data(ws)
    today = business_date(ws.clock.now())
    numbers = {p: _forms(demo_card(p, today=today).id_number) for p in PEOPLE}
    try:
        _demo_day(ws)
        with ho_engine.begin() as conn:
            apply_pending_effects(conn)
        # ten years on, everything closed: the purge, then another sync of its audit entry
        with ws.db.unit_of_work() as uow:
            uow.session.execute(update(Line).values(status="closed", state_as_of=ws.clock.now()))
            uow.commit()
        report = RetentionService(ws).purge(None, ws.clock.now() + dt.timedelta(days=3653))
        assert report.verifications >= 6 and report.scans >= 6
        with client_for(ws) as client:
            run_pass(ws, client)
        # the counter really holds what the day produced (so the scan has something to miss)
        with ws.db.reader() as s:
            payloads = list(s.scalars(select(OutboxEntry.payload)))
            assert s.scalar(select(Customer).where(Customer.name == "张三")) is not None
        kinds = {json.loads(p)["type"] for p in payloads}
        assert {"id_verification", "slip", "warranty_card", "audit_entry"} <= kinds

        leaks: list[str] = []
        db_files = [ws.db_path, ws.db_path.with_name(ws.db_path.name + "-wal")]
        for path in db_files:
            if path.exists():
                leaks += _leaks(path.name, path.read_bytes().decode("utf-8", "replace"), numbers)
        leaks += _leaks("database dump", _sqlite_dump(ws.db_path), numbers)
        backups = [p for p in ws.backup_dir.rglob("*") if p.is_file()]
        assert len(backups) >= 2
        for path in backups:
            leaks += _leaks(
                f"backup {path.name}", path.read_bytes().decode("utf-8", "replace"), numbers
            )
            if path.suffix in (".db", ".sqlite", ".sqlite3", ".bak"):
                leaks += _leaks(f"backup dump {path.name}", _sqlite_dump(path), numbers)
        pdfs = [p for p in ws.archive_dir.rglob("*.pdf")]
        assert len(pdfs) >= 8
        pdf_texts = ""
        for path in pdfs:
            data = path.read_bytes()
            pdf_texts += _pdf_text(data)
            leaks += _leaks(f"pdf {path.name}", data.decode("latin-1"), numbers)
            leaks += _leaks(f"pdf text {path.name}", _pdf_text(data), numbers)
        assert "张三" in pdf_texts and "110105********" in pdf_texts  # slips print the mask
        assert numbers[NEW_OWNER]["mask"][0] in pdf_texts  # the 过户 slip: new owner, masked
        for payload in payloads:
            leaks += _leaks("outbox payload", payload, numbers)
        logging.getLogger("frontdesk").handlers[-1].flush()
        logs = [p for p in log_dir.rglob("*") if p.is_file()]
        assert logs and any(p.stat().st_size for p in logs)
        for path in logs:
            leaks += _leaks(f"log {path.name}", path.read_text("utf-8", "replace"), numbers)
        with ho_engine.connect() as conn:
            tables = conn.execute(
                text(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            ).scalars()
            ho_rows = 0
            for table in tables:
                rows = conn.execute(text(f'SELECT t::text FROM "{table}" t')).scalars().all()
                ho_rows += len(rows)
                leaks += _leaks(f"head office {table}", "\n".join(rows), numbers)
            stored = conn.execute(
                text(
                    "SELECT count(*) FROM ho_record WHERE branch_code = :b"
                    " AND record_type = 'id_verification'"
                ),
                {"b": ws.identity.branch_code},
            ).scalar_one()
        assert stored == 8 and ho_rows > stored  # head office holds the day, masks included
        assert leaks == []
    finally:
        ws.close()
        for handler in list(logging.getLogger("frontdesk").handlers):
            if getattr(handler, "_frontdesk", False):
                logging.getLogger("frontdesk").removeHandler(handler)
                handler.close()


def test_head_office_drops_a_birth_date_an_old_counter_still_sends():
    from frontdesk.headoffice.ingest import check_record

    record = {
        "v": 1,
        "type": "id_verification",
        "id": "6f1c2a52-9d7b-4c52-8a3e-2b9e61c0b001",
        "branch": "BJ0101",
        "workstation": "W01",
        "data": {
            "id": "6f1c2a52-9d7b-4c52-8a3e-2b9e61c0b001",
            "created_at": "2026-11-21T01:30:00+00:00",
            "visit_id": "6f1c2a52-9d7b-4c52-8a3e-2b9e61c0b002",
            "party": "customer",
            "id_masked": "110105********1239",
            "birth_date": "1990-03-07",
            "sex": "M",
            "name": "张三",
        },
    }
    accepted, problem = check_record(record, "BJ0101", "W01")
    assert problem is None and accepted is not None
    assert accepted.packed["d"] == {
        "id": "6f1c2a52-9d7b-4c52-8a3e-2b9e61c0b001",
        "created_at": "2026-11-21T01:30:00+00:00",
        "visit_id": "6f1c2a52-9d7b-4c52-8a3e-2b9e61c0b002",
        "party": "customer",
        "id_masked": "110105********1239",
        "name": "张三",
    }
    assert record["data"]["birth_date"] == "1990-03-07"  # the caller's dict is not mutated


def test_upgrading_head_office_removes_the_birth_dates_it_held(pg_admin_url):
    import uuid

    from alembic import command

    from frontdesk.headoffice.db import alembic_config, make_engine

    from .factory import create_database

    url = create_database(pg_admin_url, f"fd_priv_{uuid.uuid4().hex[:8]}")
    command.upgrade(alembic_config(url), "ho0004")
    engine = make_engine(url, pool_size=1)
    rid = uuid.uuid4()
    data = {"id": str(rid), "id_masked": "110105********1239", "birth_date": "1990-03-07"}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ho_record (id, record_type, branch_code, workstation_code,"
                " envelope_version, data) VALUES (:i, 'id_verification', 'PRV1', 'W01', 1,"
                " CAST(:d AS jsonb))"
            ),
            {"i": rid, "d": json.dumps({**data, "sex": "M"})},
        )
        conn.execute(
            text(
                "INSERT INTO ho_customer (id_hash, kind, tier, tier_frozen, birth_date)"
                " VALUES ('h1', 'person', 'standard', false, '1990-03-07')"
            )
        )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT data FROM ho_record WHERE id = :i"), {"i": rid}).scalar()
        assert kept == {"id": str(rid), "id_masked": "110105********1239"}
        columns = conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'ho_customer'"
            )
        ).scalars()
        assert "birth_date" not in set(columns)
    engine.dispose()
