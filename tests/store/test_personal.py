"""Birth dates: sealed by one helper, dropped in clear by migration 0006."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.services.workstation import Workstation
from frontdesk.store.crypto import KeyMaterial, Vault, VaultError, sealed_at
from frontdesk.store.models import Customer
from frontdesk.store.personal import open_birth_date, seal_birth_date

ROW = "0b4ad9a8-6f3c-4b55-9d1e-6a2f0f3b7c11"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_seal_and_open() -> None:
    vault = Vault(KeyMaterial.generate())
    sealed = seal_birth_date(vault, dt.date(1991, 9, 22), "customer", ROW)
    assert sealed is not None and b"1991" not in sealed
    assert open_birth_date(vault, sealed, "customer", ROW) == dt.date(1991, 9, 22)
    assert seal_birth_date(vault, None, "customer", ROW) is None
    assert open_birth_date(vault, None, "customer", ROW) is None


def test_a_damaged_or_foreign_seal_is_an_error_never_an_unknown_date() -> None:
    vault = Vault(KeyMaterial.generate())
    with pytest.raises(VaultError):
        open_birth_date(
            vault,
            vault.seal("not a date", sealed_at("customer", "birth_date_enc", ROW)),
            "customer",
            ROW,
        )
    other = seal_birth_date(
        Vault(KeyMaterial.generate(key_id=2)), dt.date(2000, 1, 1), "customer", ROW
    )
    with pytest.raises(VaultError):
        open_birth_date(vault, other, "customer", ROW)


def test_migration_0006_leaves_no_birth_date_in_clear(tmp_path, clock) -> None:
    folder = tmp_path / "old"
    shutil.copytree(FIXTURES / "schema_0001", folder)
    before = sqlite3.connect(folder / "frontdesk.db")
    births = [b for (b,) in before.execute("SELECT birth_date FROM customer") if b]
    before.close()
    assert births == ["1991-09-22", "1966-09-12", "1986-08-23"]
    ws = Workstation.open(folder, clock=clock)
    try:
        with ws.db.reader() as s:
            zhang = s.scalar(select(Customer).where(Customer.name == "张三"))
            assert zhang.birth_date_enc is None  # dropped; sealed again at the next card read
        con = sqlite3.connect(folder / "frontdesk.db")
        columns = {
            t: {row[1] for row in con.execute(f"PRAGMA table_info({t})")}
            for t in ("customer", "id_verification")
        }
        assert all("birth_date" not in c and "birth_date_enc" in c for c in columns.values())
        dump = "\n".join(con.iterdump())
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        raw = (folder / "frontdesk.db").read_bytes()
        for birth in births:
            assert birth not in dump and birth.encode() not in raw
        # the append-only guard still holds for every other column
        con = sqlite3.connect(folder / "frontdesk.db")
        trigger = con.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'id_verification_no_update'"
        ).fetchone()[0]
        con.close()
        assert ", name," in trigger and "birth_date_enc" not in trigger
    finally:
        ws.close()
