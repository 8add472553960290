"""Backups, restore, migrations and the provisioning config: clear errors, no damage."""

from __future__ import annotations

import sqlite3

import pytest

from frontdesk.config import ConfigError, load_config, parse_config
from frontdesk.store.backup import BackupError, list_backups, restore_backup, take_backup
from frontdesk.store.engine import make_engine
from frontdesk.store.migrate import SchemaTooNewError, upgrade


def _count(db_path, table):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_backup_is_consistent_and_rotated(demo_ws):
    for _ in range(4):
        take_backup(demo_ws.db_path, demo_ws.backup_dir, "daily", keep=3)
    backups = list_backups(demo_ws.backup_dir, "daily")
    assert len(backups) == 3
    assert _count(backups[-1], "staff") == 5
    assert not list(demo_ws.backup_dir.glob("*.partial"))


def test_restore_brings_back_the_backup_and_keeps_the_replaced_copy(demo_ws):
    info = take_backup(demo_ws.db_path, demo_ws.backup_dir, "manual")
    conn = sqlite3.connect(demo_ws.db_path)
    conn.execute("DELETE FROM line")
    conn.commit()
    conn.close()
    demo_ws.close()
    first = restore_backup(info.path, demo_ws.db_path)
    assert _count(demo_ws.db_path, "line") == 7
    assert _count(first, "line") == 0
    # a second restore keeps its own copy: the first one (the only copy of the work
    # done before the first restore) is not overwritten
    second = restore_backup(info.path, demo_ws.db_path)
    assert second != first and _count(first, "line") == 0 and _count(second, "line") == 7
    assert list_backups(demo_ws.backup_dir, "before-restore") == [first, second]


def test_restore_refuses_a_damaged_backup(demo_ws, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises((BackupError, sqlite3.DatabaseError)):
        restore_backup(bad, demo_ws.db_path)
    assert _count(demo_ws.db_path, "staff") == 5


def test_database_from_a_newer_build_is_refused_untouched(ws):
    conn = sqlite3.connect(ws.db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    engine = make_engine(ws.db_path)
    with pytest.raises(SchemaTooNewError, match="9999"):
        upgrade(engine, ws.db_path, ws.backup_dir)
    engine.dispose()
    assert _count(ws.db_path, "staff") == 0  # nothing dropped or rebuilt


def test_upgrade_from_empty_then_idempotent(tmp_path):
    db = tmp_path / "x.db"
    engine = make_engine(db)
    first = upgrade(engine, db, tmp_path / "b")
    again = upgrade(engine, db, tmp_path / "b")
    assert first.before is None and first.after == again.after == again.before
    assert again.backup is None
    engine.dispose()


def test_config_errors_name_the_key(tmp_path):
    with pytest.raises(ConfigError, match="frontdesk init"):
        load_config(tmp_path)
    (tmp_path / "frontdesk.toml").write_text("[workstation\nbranch_code=", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(tmp_path)
    with pytest.raises(ConfigError) as info:
        parse_config(
            {
                "workstation": {"branch_code": "bj 01", "workstation_code": "W01"},
                "ui": {"language": "fr"},
                "extra": {},
            }
        )
    message = str(info.value)
    assert "workstation.branch_code" in message
    assert "ui.language" in message
    assert "extra" in message
    with pytest.raises(ConfigError) as info:
        parse_config(
            {
                "workstation": {
                    "branch_code": "BJ01",
                    "workstation_code": "W01",
                    "branch_postcode": "1000",
                }
            }
        )
    assert "workstation.branch_postcode" in str(info.value) and "6-digit" in str(info.value)
    ok = parse_config(
        {
            "workstation": {
                "branch_code": "BJ01",
                "workstation_code": "W01",
                "branch_postcode": " 100022 ",
            }
        }
    )
    assert ok.workstation.branch_postcode == "100022"


def test_cli_init_health_and_bad_folder(tmp_path, capsys):
    from frontdesk.cli import main

    data = tmp_path / "counter"
    assert (
        main(["--data-dir", str(data), "init", "--branch", "SH0201", "--workstation", "W03"]) == 0
    )
    assert main(["--data-dir", str(data), "health"]) == 0
    out = capsys.readouterr().out
    assert "status: OK" in out and "SH0201/W03" in out and "journal_mode=wal" in out
    assert (
        main(["--data-dir", str(data), "init", "--branch", "SH0201", "--workstation", "W03"]) == 2
    )
    assert "already initialised" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "nowhere"), "health"]) == 2
    assert "frontdesk init" in capsys.readouterr().err


def test_a_restarted_counter_uses_the_catalogue_pulled_from_head_office(ws, clock):
    import json

    from frontdesk.core.catalogue import default_catalogue_path
    from frontdesk.services.workstation import Workstation
    from frontdesk.store.models import SyncDataset

    shipped = json.loads(default_catalogue_path().read_text(encoding="utf-8"))
    newer = dict(shipped, version=shipped["version"] + 5)
    with ws.db.unit_of_work() as uow:
        uow.session.add(
            SyncDataset(
                kind="catalogue",
                version=newer["version"],
                schema=1,
                digest="x" * 64,
                body=json.dumps(newer),
            )
        )
        uow.commit()
    ws.close()
    again = Workstation.open(ws.data_dir, clock=clock)
    try:
        assert again.catalogue.version == shipped["version"] + 5
    finally:
        again.close()
