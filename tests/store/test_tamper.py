"""Settled rows refuse every statement form; sealed values are bound to their row and
column; the audit chain is keyed; migration 0006 re-seals old values (issue 18)."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from frontdesk.services.intake import IntakeService
from frontdesk.services.workstation import Workstation
from frontdesk.store import audit
from frontdesk.store.crypto import VaultError, load_key_file, sealed_at
from frontdesk.store.migrate import upgrade
from frontdesk.store.models import Customer, DocumentScan, IdVerification

FIXTURES = Path(__file__).resolve().parent / "fixtures"

RECEIPT_COLUMNS = (
    "id, created_at, receipt_no, seq, kind, slip_id, original_receipt_id, total_fen,"
    " cashier_id, issued_at"
)
FORGED = RECEIPT_COLUMNS.replace("total_fen", "1")
NEW_ID = RECEIPT_COLUMNS.replace("id, created_at", "lower(hex(randomblob(16))), created_at", 1)
NEW_ID_FORGED = NEW_ID.replace("total_fen", "1")

# every statement form that could change a settled receipt's amount
FORMS = {
    "insert_or_replace": (
        f"INSERT OR REPLACE INTO receipt ({RECEIPT_COLUMNS}) SELECT {FORGED} FROM receipt"
    ),
    "replace_into": f"REPLACE INTO receipt ({RECEIPT_COLUMNS}) SELECT {FORGED} FROM receipt",
    "replace_by_unique_number": (
        f"INSERT OR REPLACE INTO receipt ({RECEIPT_COLUMNS}) SELECT {NEW_ID_FORGED} FROM receipt"
    ),
    "upsert": (
        f"INSERT INTO receipt ({RECEIPT_COLUMNS}) SELECT {RECEIPT_COLUMNS} FROM receipt WHERE true"
        " ON CONFLICT (id) DO UPDATE SET total_fen = 1"
    ),
    "upsert_by_unique_number": (
        f"INSERT INTO receipt ({RECEIPT_COLUMNS}) SELECT {NEW_ID} FROM receipt WHERE true"
        " ON CONFLICT (receipt_no) DO UPDATE SET total_fen = 1"
    ),
    "update": "UPDATE receipt SET total_fen = 1",
    "delete": "DELETE FROM receipt",
}


def settle_top_up(ws: Workstation, clerk, amount: str = "50") -> object:
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": amount}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "cash", int(float(amount) * 100))
    return intake.settle(clerk, visit)


def _receipts(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, receipt_no, total_fen FROM receipt").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("form", sorted(FORMS))
def test_settled_receipt_refuses_every_statement_form_from_the_sqlite3_module(demo_ws, clerk, form):
    settle_top_up(demo_ws, clerk)
    before = _receipts(demo_ws.db_path)
    conn = sqlite3.connect(demo_ws.db_path)  # recursive_triggers off, as the sqlite3 tool
    try:
        with pytest.raises(sqlite3.IntegrityError, match="receipt is append-only"):
            conn.execute(FORMS[form])
        conn.commit()
    finally:
        conn.close()
    assert _receipts(demo_ws.db_path) == before


@pytest.mark.parametrize("form", sorted(FORMS))
def test_settled_receipt_refuses_every_statement_form_on_the_apps_connection(demo_ws, clerk, form):
    settle_top_up(demo_ws, clerk)
    before = _receipts(demo_ws.db_path)
    with demo_ws.db.engine.connect() as conn:
        with pytest.raises(IntegrityError, match="receipt is append-only"):
            conn.exec_driver_sql(FORMS[form])
        conn.rollback()
    assert _receipts(demo_ws.db_path) == before


def test_apps_connection_refuses_replace_even_without_the_insert_trigger(demo_ws, clerk):
    """recursive_triggers on the app's connections: REPLACE's delete fires the
    append-only delete trigger, so the BEFORE INSERT trigger is not the only guard."""
    settle_top_up(demo_ws, clerk)
    before = _receipts(demo_ws.db_path)
    conn = sqlite3.connect(demo_ws.db_path)
    conn.execute("DROP TRIGGER receipt_no_replace")
    conn.commit()
    conn.close()
    with demo_ws.db.engine.connect() as app_conn:
        assert app_conn.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1
        with pytest.raises(IntegrityError, match="receipt is append-only"):
            app_conn.exec_driver_sql(FORMS["insert_or_replace"])
        app_conn.rollback()
    assert _receipts(demo_ws.db_path) == before
    # the sqlite3 tool's default (recursive_triggers off) is exactly the hole issue 18
    # found: without the BEFORE INSERT trigger, REPLACE rewrites the amount silently
    conn = sqlite3.connect(demo_ws.db_path)
    conn.execute(FORMS["insert_or_replace"])
    conn.commit()
    conn.close()
    assert [r[2] for r in _receipts(demo_ws.db_path)] == [1]


def test_a_new_settled_row_is_still_inserted(demo_ws, clerk):
    first = settle_top_up(demo_ws, clerk)
    second = settle_top_up(demo_ws, clerk, "20")
    assert first.receipt_no != second.receipt_no
    assert sorted(r[2] for r in _receipts(demo_ws.db_path)) == [2_000, 5_000]


# -- sealed values bound to their place ------------------------------------------------
def test_a_sealed_value_opens_only_in_its_own_row_and_column(ws):
    a, b = uuid.uuid4(), uuid.uuid4()
    sealed = ws.vault.seal("11010519491231002X", sealed_at("customer", "id_number_enc", a))
    assert ws.vault.open_text(sealed, sealed_at("customer", "id_number_enc", a)) == (
        "11010519491231002X"
    )
    for elsewhere in (
        sealed_at("customer", "id_number_enc", b),  # another customer's row
        sealed_at("id_verification", "id_number_enc", a),  # another table
        sealed_at("customer", "address_enc", a),  # another column
    ):
        with pytest.raises(VaultError, match="integrity check"):
            ws.vault.open(sealed, elsewhere)


def test_swapped_id_number_between_customers_fails_to_open(demo_ws):
    with demo_ws.db.reader() as s:
        first, second = s.scalars(select(Customer.id).order_by(Customer.name).limit(2)).all()
    conn = sqlite3.connect(demo_ws.db_path)
    conn.execute(
        "UPDATE customer SET id_number_enc = (SELECT id_number_enc FROM customer WHERE id = ?)"
        " WHERE id = ?",
        (first.hex, second.hex),
    )
    conn.commit()
    conn.close()
    with demo_ws.db.reader() as s:
        moved = s.get(Customer, second).id_number_enc
    with pytest.raises(VaultError):
        demo_ws.vault.open(moved, sealed_at("customer", "id_number_enc", second))
    assert demo_ws.vault.open(moved, sealed_at("customer", "id_number_enc", first))


def test_verification_sealed_columns_may_be_cleared_but_not_replaced(demo_ws, clerk):
    from frontdesk.core.clock import business_date
    from frontdesk.devices.id_reader import SimulatedIdCardReader, demo_card
    from frontdesk.services.verification import VerificationService

    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    day = business_date(demo_ws.clock.now())
    reader = SimulatedIdCardReader(demo_card("zhang_san", today=day), today=day)
    reader.open()
    verifier = VerificationService(demo_ws)
    verifier.read_card(clerk, visit, reader)
    verifier.attach_scan(clerk, visit, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    with demo_ws.db.reader() as s:
        row = s.scalar(select(IdVerification))
        scan = s.scalar(select(DocumentScan))
        number = demo_ws.vault.open_text(
            row.id_number_enc, sealed_at("id_verification", "id_number_enc", row.id)
        )
        assert number[-4:] == row.id_masked[-4:]
        opened = demo_ws.vault.open(
            scan.ciphertext, sealed_at("document_scan", "ciphertext", scan.id)
        )
        assert opened.startswith(b"\x89PNG")
    conn = sqlite3.connect(demo_ws.db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="id_verification is append-only"):
            conn.execute("UPDATE id_verification SET id_number_enc = x'0201'")
        conn.execute("UPDATE id_verification SET id_number_enc = NULL, address_enc = NULL")
        conn.commit()
    finally:
        conn.close()


# -- the keyed audit chain ---------------------------------------------------------------
def _write_entries(ws: Workstation, n: int) -> None:
    with ws.db.unit_of_work() as uow:
        for i in range(n):
            audit.record(
                uow.session, actor_id=None, action=f"a{i}", object_type="x", detail={"fen": i}
            )
        uow.commit()


def _rechain_unkeyed(path: Path, edit_seq: int) -> None:
    """What issue 18's insider did: edit an entry, recompute every later SHA-256 link."""
    import hashlib
    import json

    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_entry_no_update")
    rows = conn.execute(
        "SELECT id, seq, created_at, actor_id, action, object_type, object_id, detail,"
        " workstation_code FROM audit_entry ORDER BY seq"
    ).fetchall()
    prev = "0" * 64
    for rid, seq, created, actor, action, otype, oid, detail, wsc in rows:
        detail = json.loads(detail)
        if seq == edit_seq:
            detail = {"fen": 999_999}
        fields = {
            "id": str(uuid.UUID(rid)),
            "seq": seq,
            "at": created.replace(" ", "T") + "+00:00",
            "actor": str(uuid.UUID(actor)) if actor else None,
            "action": action,
            "object_type": otype,
            "object_id": oid,
            "detail": detail,
            "workstation": wsc,
        }
        canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256((prev + canonical).encode()).hexdigest()
        conn.execute(
            "UPDATE audit_entry SET detail = ?, prev_hash = ?, entry_hash = ? WHERE seq = ?",
            (json.dumps(detail), prev, digest, seq),
        )
        prev = digest
    conn.commit()
    conn.close()


def test_rechaining_with_plain_sha256_is_found(ws):
    _write_entries(ws, 5)
    _rechain_unkeyed(ws.db_path, 3)
    with ws.db.reader() as s:
        report = audit.verify_chain(s)
    assert not report.intact
    assert report.first_broken_seq == 1  # the very first entry is keyed already
    assert report.reason == "its content or hash was changed"


def test_deleted_middle_entry_is_named(ws):
    _write_entries(ws, 4)
    conn = sqlite3.connect(ws.db_path)
    conn.execute("DROP TRIGGER audit_entry_no_delete")
    conn.execute("DELETE FROM audit_entry WHERE seq = 2")
    conn.commit()
    conn.close()
    with ws.db.reader() as s:
        report = audit.verify_chain(s)
    assert (report.intact, report.first_broken_seq) == (False, 2)
    assert report.describe() == ("audit chain broken at entry 2: entry 2 is missing (next is 3)")


# -- migration 0006: old sealed values re-sealed, the chain keyed from then on ----------
def test_first_released_schema_is_resealed_and_keyed(tmp_path, clock):
    folder = tmp_path / "old"
    shutil.copytree(FIXTURES / "schema_0001", folder)
    before = load_key_file(folder)
    assert before.audit_key is None
    conn = sqlite3.connect(folder / "frontdesk.db")
    old = dict(conn.execute("SELECT id, id_number_enc FROM customer").fetchall())
    legacy_chain = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    conn.close()
    assert {v[0] for v in old.values()} == {1}  # format 1: unbound
    ws = Workstation.open(folder, clock=clock)
    try:
        material = load_key_file(folder)
        assert material.audit_key is not None
        assert material.audit_keyed_from == legacy_chain + 1
        # derived, not random: a second process upgrading at once writes the same file
        assert material == before.with_audit_key(legacy_chain + 1)
        with ws.db.reader() as s:
            customers = [(c.id, c.id_number_enc, c.id_masked) for c in s.scalars(select(Customer))]
        assert len(customers) == len(old) == 4
        for cid, sealed, masked in customers:
            assert sealed[0] == 2 and sealed != old[cid.hex]
            number = ws.vault.open_text(sealed, sealed_at("customer", "id_number_enc", cid))
            assert number[-4:] == masked[-4:]
        _write_entries(ws, 1)
        with ws.db.reader() as s:
            report = audit.verify_chain(s)
        assert report.intact and report.entries == legacy_chain + 1
    finally:
        ws.close()


def test_old_format_is_read_only_to_be_resealed(ws):
    material = load_key_file(ws.data_dir)
    header = bytes([1, material.key_id])
    nonce = b"\x00" * 12
    legacy = header + nonce + AESGCM(material.data_key).encrypt(nonce, b"110105", header)
    at = sealed_at("customer", "id_number_enc", uuid.uuid4())
    with pytest.raises(VaultError, match="old unbound format"):
        ws.vault.open(legacy, at)
    resealed = ws.vault.reseal(legacy, at)
    assert ws.vault.open(resealed, at) == b"110105"
    assert ws.vault.reseal(resealed, at) == resealed  # already bound: kept as it is
    with pytest.raises(VaultError, match="unknown format"):
        ws.vault.open(b"\x07" + resealed[1:], at)
    with pytest.raises(VaultError, match="this workstation holds key"):
        ws.vault.open(bytes([2, 9]) + resealed[2:], at)


def test_migration_by_hand_stops_when_sealed_data_needs_the_key(tmp_path):
    folder = tmp_path / "old"
    shutil.copytree(FIXTURES / "schema_0001", folder)
    from frontdesk.store.engine import make_engine

    engine = make_engine(folder / "frontdesk.db")
    try:
        with pytest.raises(RuntimeError, match="must be re-sealed with the workstation's key"):
            upgrade(engine, None, None)
    finally:
        engine.dispose()


def test_key_file_without_audit_key_gets_one_from_the_chain_position(ws, clock):
    """A key file from before issue 18 whose database lost the migration's note: the
    key covers the chain from the entry after the last one."""
    import json

    ws.db.chain_key = None  # as a build before issue 18 wrote them: plain SHA-256
    _write_entries(ws, 3)
    folder = ws.data_dir
    ws.close()
    raw = json.loads((folder / "keys.json").read_text())
    del raw["audit_key"], raw["audit_keyed_from"]
    (folder / "keys.json").write_text(json.dumps(raw))
    conn = sqlite3.connect(folder / "frontdesk.db")
    conn.execute("DELETE FROM setting WHERE key = 'audit_keyed_from'")
    conn.commit()
    conn.close()
    reopened = Workstation.open(folder, clock=clock)
    try:
        assert load_key_file(folder).audit_keyed_from == 4
        _write_entries(reopened, 1)
        with reopened.db.reader() as s:
            assert audit.verify_chain(s).intact  # 1–3 plain SHA-256 now, 4 keyed
    finally:
        reopened.close()


def test_key_file_with_a_short_audit_key_is_refused(ws):
    import base64
    import json

    raw = json.loads((ws.data_dir / "keys.json").read_text())
    raw["audit_key"] = base64.b64encode(b"short").decode()
    (ws.data_dir / "keys.json").write_text(json.dumps(raw))
    with pytest.raises(VaultError, match="wrong length"):
        load_key_file(ws.data_dir)
