"""Each tampering of issue 18, done with the sqlite3 module on a real workstation file
as a dishonest insider would; then ``frontdesk health`` exits non-zero naming it, and
``frontdesk audit verify`` / ``export`` report the chain."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.cli import EXIT_OK, EXIT_PROBLEM, main
from frontdesk.services.intake import IntakeService
from frontdesk.services.integrity import check_integrity, export_audit, verify_audit
from frontdesk.services.workstation import Workstation
from frontdesk.store.models import AuditEntry

from .helpers import verify_person


@pytest.fixture
def settled(demo_ws: Workstation, clerk) -> Path:
    """A demo counter with a verified customer and two settled slips, then closed."""
    intake = IntakeService(demo_ws)
    for amount in ("50", "30"):
        visit = intake.open_visit(clerk)
        verify_person(demo_ws, clerk, visit, face=False)
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": amount}, service_number="13800138000"
        )
        intake.add_payment(clerk, visit, "cash", int(amount) * 100)
        intake.settle(clerk, visit)
    assert check_integrity(demo_ws).intact
    folder = demo_ws.data_dir
    demo_ws.close()
    return folder


def sql(folder: Path, *statements: str) -> None:
    conn = sqlite3.connect(folder / "frontdesk.db")
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def health(folder: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(folder), "health"])
    return code, capsys.readouterr().out


def test_untouched_counter_is_healthy(settled, capsys):
    code, out = health(settled, capsys)
    assert code == EXIT_OK, out
    assert "status: OK" in out and "recursive_triggers=1" in out
    assert "checked: triggers 46, sealed values" in out and "slips 2" in out


def test_insert_or_replace_of_a_receipt_amount_is_named(settled, capsys):
    sql(
        settled,
        "DROP TRIGGER receipt_no_replace",
        "INSERT OR REPLACE INTO receipt (id, created_at, receipt_no, seq, kind, slip_id,"
        " original_receipt_id, total_fen, cashier_id, issued_at) SELECT id, created_at,"
        " receipt_no, seq, kind, slip_id, original_receipt_id, 1, cashier_id, issued_at"
        " FROM receipt WHERE seq = 1",
    )
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "status: PROBLEM" in out
    assert "Guard triggers of settled tables are missing: receipt_no_replace" in out
    assert (
        "1 slips do not add up (e.g. BJ0101-W01-20261121-S000001: total 5000, items 5000, "
        "payments 5000, receipts 1)" in out
    )
    assert (
        "1 receipt records differ from the copy written when they were settled (e.g. "
        "BJ0101-W01-20261121-R000001, fields total_fen)" in out
    )
    assert "已结账表的防改触发器缺失" in out  # the same findings in Chinese


def test_edited_payment_amount_is_named(settled, capsys):
    sql(settled, "DROP TRIGGER payment_no_update", "UPDATE payment SET amount_fen = 100")
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "payment_no_update" in out
    assert "2 slips do not add up" in out
    assert "2 payment records differ from the copy written when they were settled" in out
    assert "fields amount_fen" in out


def test_deleted_middle_audit_entry_is_named(settled, capsys):
    sql(settled, "DROP TRIGGER audit_entry_no_delete", "DELETE FROM audit_entry WHERE seq = 3")
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "The audit chain is broken at entry 3: entry 3 is missing (next is 4)." in out
    assert "审计日志链在第 3 条断开" in out
    assert "The outbox holds 1 audit_entry records that are gone from the table" in out


def test_deleted_last_audit_entry_is_named(settled, capsys):
    sql(
        settled,
        "DROP TRIGGER audit_entry_no_delete",
        "DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)",
    )
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "The outbox holds 1 audit_entry records that are gone from the table" in out
    assert "audit chain" not in out.split("problem:")[1]  # the chain itself still links


def test_dropped_triggers_are_named(settled, capsys):
    sql(settled, "DROP TRIGGER slip_no_update", "DROP TRIGGER id_verification_sealed_clear_only")
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert (
        "Guard triggers of settled tables are missing: id_verification_sealed_clear_only, "
        "slip_no_update." in out
    )


def test_many_dropped_triggers_are_counted(settled, capsys):
    conn = sqlite3.connect(settled / "frontdesk.db")
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM and "(+40)" in out


def test_rechained_audit_entry_is_named(settled, capsys):
    """Issue 18 item 3: an entry's amount rewritten and the chain recomputed (SHA-256)."""
    import hashlib

    conn = sqlite3.connect(settled / "frontdesk.db")
    conn.execute("DROP TRIGGER audit_entry_no_update")
    rows = conn.execute("SELECT seq, prev_hash FROM audit_entry ORDER BY seq").fetchall()
    conn.execute(
        "UPDATE audit_entry SET detail = json_set(detail, '$.total_fen', 1)"
        " WHERE action = 'slip.settled'"
    )
    prev = rows[0][1]
    for seq, _ in rows:
        digest = hashlib.sha256(f"{prev}{seq}".encode()).hexdigest()
        conn.execute(
            "UPDATE audit_entry SET prev_hash = ?, entry_hash = ? WHERE seq = ?",
            (prev, digest, seq),
        )
        prev = digest
    conn.commit()
    conn.close()
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "The audit chain is broken at entry 1: its content or hash was changed." in out
    capsys.readouterr()
    assert main(["--data-dir", str(settled), "audit", "verify"]) == EXIT_PROBLEM
    verified = capsys.readouterr().out
    assert "audit chain broken at entry 1: its content or hash was changed" in verified
    assert "audit_entry records differ from the copy written" in verified


def test_swapped_sealed_id_number_is_named(settled, capsys):
    sql(
        settled,
        "UPDATE customer SET id_number_enc = (SELECT id_number_enc FROM customer c2"
        " WHERE c2.id != customer.id ORDER BY c2.id LIMIT 1)",
    )
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "sealed values do not open with this workstation's key (e.g. customer.id_number_enc" in (
        out
    )


def test_wrong_key_file_is_named_and_missing_key_file_stops(settled, capsys):
    keys = json.loads((settled / "keys.json").read_text())
    keys["data_key"] = base64.b64encode(b"\x01" * 32).decode()
    (settled / "keys.json").write_text(json.dumps(keys))
    capsys.readouterr()
    # the database knows its data key's fingerprint: refused at open (issue 16 item 7)
    assert main(["--data-dir", str(settled), "health"]) == 8
    assert "is not the key file of this database" in capsys.readouterr().err
    # a database from before fingerprints: the sealed values themselves name the key
    sql(settled, "DELETE FROM setting WHERE key = 'data_key_fingerprint'")
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "sealed values do not open with this workstation's key" in out
    (settled / "keys.json").unlink()
    capsys.readouterr()
    assert main(["--data-dir", str(settled), "health"]) == 8  # keys (docs/install.md §7)
    assert "keys.json not found; run 'frontdesk init' first" in capsys.readouterr().err


def test_audit_verify_and_export_of_an_intact_chain(settled, capsys, tmp_path):
    capsys.readouterr()
    assert main(["--data-dir", str(settled), "audit", "verify"]) == EXIT_OK
    assert "审计链完好 / audit chain intact:" in capsys.readouterr().out
    out_file = tmp_path / "audit.jsonl"
    assert main(["--data-dir", str(settled), "audit", "export", "--out", str(out_file)]) == 0
    assert "chain 完好 / intact" in capsys.readouterr().out
    lines = [json.loads(line) for line in out_file.read_text().splitlines()]
    header, entries = lines[0], lines[1:]
    assert header["intact"] and header["entries"] == len(entries) and header["branch"] == "BJ0101"
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert entries[-1]["prev_hash"] == entries[-2]["entry_hash"]
    ws = Workstation.open(settled)
    try:
        with ws.db.reader() as s:
            last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
            assert last.action == "audit.exported"
            assert last.detail == {"entries": len(entries), "file": "audit.jsonl", "intact": True}
        assert verify_audit(ws).intact
    finally:
        ws.close()


def test_export_of_a_broken_chain_says_so(settled, capsys, tmp_path):
    sql(settled, "DROP TRIGGER audit_entry_no_delete", "DELETE FROM audit_entry WHERE seq = 2")
    capsys.readouterr()
    out_file = tmp_path / "audit.jsonl"
    code = main(["--data-dir", str(settled), "audit", "export", "--out", str(out_file)])
    assert code == EXIT_PROBLEM
    assert "BROKEN (see 'frontdesk audit verify')" in capsys.readouterr().out
    header = json.loads(out_file.read_text().splitlines()[0])
    assert header["intact"] is False and header["first_broken_seq"] == 2
    ws = Workstation.open(settled)
    try:
        done = export_audit(ws, tmp_path / "again.jsonl", actor_id=None)
        assert not done.intact
    finally:
        ws.close()


def test_record_missing_from_outbox_is_named(settled, capsys):
    sql(settled, "DELETE FROM outbox WHERE record_type = 'slip'")
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "2 slip records are not in the outbox (e.g. BJ0101-W01-20261121-S000001)" in out


def test_wrong_key_file_is_named_before_any_customer_is_stored(ws, capsys):
    """The key check sealed at first start: a fresh counter given another PC's keys, on a
    database that has not recorded its key's fingerprint (made before issue 16)."""
    folder = ws.data_dir
    ws.close()
    sql(folder, "DELETE FROM setting WHERE key = 'data_key_fingerprint'")
    keys = json.loads((folder / "keys.json").read_text())
    keys["data_key"] = base64.b64encode(b"\x02" * 32).decode()
    (folder / "keys.json").write_text(json.dumps(keys))
    code, out = health(folder, capsys)
    assert code == EXIT_PROBLEM
    assert "1 sealed values do not open with this workstation's key (e.g. setting key_check)" in out


def test_export_to_a_folder_that_does_not_exist_says_so(settled, capsys, tmp_path):
    capsys.readouterr()
    target = tmp_path / "missing" / "audit.jsonl"
    assert main(["--data-dir", str(settled), "audit", "export", "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "No such file or directory" in err


def test_unreadable_key_check_is_named(settled, capsys):
    sql(settled, "UPDATE setting SET value = '!!not base64!!' WHERE key = 'key_check'")
    code, out = health(settled, capsys)
    assert code == EXIT_PROBLEM
    assert "(e.g. setting key_check)" in out
