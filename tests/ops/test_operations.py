"""IT operations: upgrades of real old data, restore safety, backups, logs, disk errors."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.cli import main
from frontdesk.ops.backups import ensure_daily_backup
from frontdesk.ops.logs import configure_logging, mask_personal
from frontdesk.services.intake import IntakeService
from frontdesk.services.workstation import Workstation
from frontdesk.store.audit import verify_chain
from frontdesk.store.backup import list_backups
from frontdesk.store.database import StorageError
from frontdesk.store.migrate import head_revision
from frontdesk.store.models import Customer, QueueEvent, Slip, Staff

FIXTURES = Path(__file__).resolve().parents[1] / "store" / "fixtures"


def test_first_released_schema_upgrades_with_its_data_intact(tmp_path, clock):
    folder = tmp_path / "old"
    shutil.copytree(FIXTURES / "schema_0001", folder)
    ws = Workstation.open(folder, clock=clock)
    try:
        assert ws.migration.before == "0001" and ws.migration.after == head_revision()
        assert ws.migration.backup is not None and ws.migration.backup.exists()
        with ws.db.reader() as s:
            assert s.scalar(select(func.count(Staff.id))) == 5
            assert s.scalar(select(func.count(Customer.id))) == 4
            slip = s.scalar(select(Slip))
            assert slip.total_fen == 8_880 and slip.items[0].business_code == "TOP_UP"
            assert verify_chain(s).intact
            assert s.scalar(select(func.count(QueueEvent.id))) == 0  # new table is there
        # the upgraded database keeps working: settle the next slip, numbers continue
        from frontdesk.services.auth import AuthService

        clerk = AuthService(ws.db, ws.config.security, clock).sign_in("clerk01", "Counter2026")
        intake = IntakeService(ws)
        visit = intake.open_visit(clerk)
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "10"}, service_number="13800138000"
        )
        intake.add_payment(clerk, visit, "cash", 1_000)
        assert intake.settle(clerk, visit).receipt_no.endswith("R000002")
    finally:
        ws.close()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn = sqlite3.connect(folder / "frontdesk.db")
        try:
            conn.execute("DELETE FROM slip")
        finally:
            conn.close()


def test_restore_refuses_another_workstations_backup_unless_forced(tmp_path, capsys):
    a = tmp_path / "a"
    b = tmp_path / "b"
    assert main(["--data-dir", str(a), "init", "--branch", "BJ0101", "--workstation", "W01"]) == 0
    assert main(["--data-dir", str(b), "init", "--branch", "BJ0101", "--workstation", "W02"]) == 0
    assert main(["--data-dir", str(a), "backup"]) == 0
    backup = list_backups(a / "backups", "manual")[-1]
    capsys.readouterr()
    assert main(["--data-dir", str(b), "restore", str(backup)]) == 2
    err = capsys.readouterr().err
    assert "BJ0101/W01" in err and "--force" in err
    assert main(["--data-dir", str(b), "health"]) == 0  # untouched
    assert main(["--data-dir", str(b), "restore", str(backup), "--force"]) == 0
    out = capsys.readouterr().out
    assert "now BJ0101/W01" in out and "keys import" in out
    assert main(["--data-dir", str(b), "health"]) == 8  # W02's keys can't open W01's data
    os.environ["FRONTDESK_KEYS_PASSPHRASE"] = "take-over-W01-keys"
    try:
        assert main(["--data-dir", str(a), "keys", "export", "--out", str(tmp_path / "k")]) == 0
        assert main(["--data-dir", str(b), "keys", "import", str(tmp_path / "k")]) == 0
    finally:
        del os.environ["FRONTDESK_KEYS_PASSPHRASE"]
    assert main(["--data-dir", str(b), "health"]) == 0  # the PC took over W01
    assert len(list_backups(b / "backups", "before-restore")) == 1


def test_restore_of_own_backup_brings_data_back(demo_ws, tmp_path, capsys):
    assert main(["--data-dir", str(demo_ws.data_dir), "backup"]) == 0
    backup = list_backups(demo_ws.backup_dir, "manual")[-1]
    demo_ws.close()
    conn = sqlite3.connect(demo_ws.db_path)
    conn.execute("DELETE FROM line")
    conn.commit()
    conn.close()
    assert main(["--data-dir", str(demo_ws.data_dir), "restore", str(backup)]) == 0
    conn = sqlite3.connect(demo_ws.db_path)
    assert conn.execute("SELECT count(*) FROM line").fetchone()[0] == 7
    conn.close()


def test_daily_backup_once_a_day_and_rotated(demo_ws):
    now = dt.datetime.now(dt.UTC)
    first = ensure_daily_backup(demo_ws.db_path, demo_ws.backup_dir, keep=2, now=now)
    assert first is not None
    assert ensure_daily_backup(demo_ws.db_path, demo_ws.backup_dir, keep=2, now=now) is None
    tomorrow = now + dt.timedelta(days=1, minutes=1)
    for _ in range(3):
        assert (
            ensure_daily_backup(demo_ws.db_path, demo_ws.backup_dir, keep=2, now=tomorrow)
            is not None
        )
        tomorrow += dt.timedelta(days=1)
    assert len(list_backups(demo_ws.backup_dir, "daily")) == 2


def test_logs_are_rotated_and_never_hold_an_id_or_phone_number(tmp_path):
    path = configure_logging(tmp_path / "logs")
    log = logging.getLogger("frontdesk.test")
    log.info("looked up 11010519491231002X for 13800138000")
    for handler in logging.getLogger("frontdesk").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "11010519491231002X" not in text and "13800138000" not in text
    assert "110105********002X" in text and "138****8000" in text
    handler = next(
        h for h in logging.getLogger("frontdesk").handlers if getattr(h, "_frontdesk", False)
    )
    assert handler.maxBytes == 5 * 1024 * 1024 and handler.backupCount == 10
    assert mask_personal("no numbers here") == "no numbers here"


def test_corrupt_config_and_unwritable_folder_get_clear_errors(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert main(["--data-dir", str(folder), "init", "--branch", "BJ01", "--workstation", "W1"]) == 0
    (folder / "frontdesk.toml").write_text(
        "[workstation]\nbranch_code = 'BJ01'\n", encoding="utf-8"
    )
    assert main(["--data-dir", str(folder), "health"]) == 2
    assert "workstation.workstation_code" in capsys.readouterr().err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = main(
            ["--data-dir", str(locked / "ws"), "init", "--branch", "BJ01", "--workstation", "W1"]
        )
        import os

        if os.geteuid() != 0:  # root ignores permissions; the check is meaningful otherwise
            assert code == 2 and "不可写" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)


def test_a_full_disk_refuses_the_settle_cleanly_and_keeps_the_draft(demo_ws, clerk):
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "30"}, service_number="13600136000"
    )
    intake.add_payment(clerk, visit, "cash", 3_000)
    pages = sqlite3.connect(demo_ws.db_path).execute("PRAGMA page_count").fetchone()[0]

    from sqlalchemy import event

    @event.listens_for(demo_ws.db.engine, "connect")
    def _cap(dbapi_conn, _rec):  # the disk "fills up": no page beyond what exists
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    demo_ws.db.engine.dispose()
    with pytest.raises(StorageError, match="磁盘空间已满"):
        for _ in range(50):  # until a write needs a new page
            intake.settle(clerk, visit)
    event.remove(demo_ws.db.engine, "connect", _cap)
    demo_ws.db.engine.dispose()
    view = intake.view(visit)
    assert view.status == "open" and view.total_fen == 3_000 and view.paid_fen == 3_000
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(Slip.id))) == 0
    assert intake.settle(clerk, visit).receipt_no.endswith("R000001")


def test_selfcheck_command_passes_from_source(capsys):
    assert main(["selfcheck", "--no-gui"]) == 0
    out = capsys.readouterr().out
    assert "ok   pdf" in out and "FAIL" not in out


def test_version_option(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and "frontdesk 0.1.0" in capsys.readouterr().out
