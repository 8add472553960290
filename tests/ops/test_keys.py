"""A replacement PC reads the old PC's sealed data only with the old PC's keys: the
passphrase-protected export/import, and a database refusing another counter's key file
(docs/install.md §4, "Replacing a counter PC")."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import select

from frontdesk.cli import main
from frontdesk.core import it_failures as F
from frontdesk.services.workstation import Workstation
from frontdesk.store.backup import list_backups
from frontdesk.store.crypto import sealed_at
from frontdesk.store.models import Customer

PASS = "counter-PC-2026-replacement"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("FRONTDESK_KEYS_PASSPHRASE", PASS)


def _first_id_number(folder) -> str:
    ws = Workstation.open(folder)
    try:
        with ws.db.reader() as s:
            customer = s.scalars(
                select(Customer).where(Customer.id_number_enc.is_not(None)).order_by(Customer.id)
            ).first()
            return ws.vault.open_text(
                customer.id_number_enc, sealed_at("customer", "id_number_enc", customer.id)
            )
    finally:
        ws.close()


def test_replacement_pc_flow_reads_the_old_pcs_sealed_numbers(demo_template, tmp_path, capsys):
    import shutil

    old = tmp_path / "old-pc"
    shutil.copytree(demo_template, old)
    expected = _first_id_number(old)
    export = tmp_path / "usb" / "BJ0101-W01.fdkeys"
    export.parent.mkdir()
    assert main(["--data-dir", str(old), "keys", "export", "--out", str(export)]) == 0
    assert main(["--data-dir", str(old), "backup"]) == 0
    backup = list_backups(old / "backups", "manual")[-1]
    assert oct(export.stat().st_mode & 0o777) == "0o600"
    header = json.loads(export.read_text(encoding="utf-8"))
    assert header["workstation"] == "BJ0101/W01" and "data_key" not in export.read_text()
    capsys.readouterr()
    assert main(["--data-dir", str(old), "keys", "export", "--out", str(export)]) == 2
    assert "already exists and was not overwritten" in capsys.readouterr().err

    # the new PC: provisioned as the same counter, the old backup restored
    new = tmp_path / "new-pc"
    assert main(["--data-dir", str(new), "init", "--branch", "BJ0101", "--workstation", "W01"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(new), "restore", str(backup)]) == 0
    assert "frontdesk keys import" in capsys.readouterr().out
    # its own fresh keys can't read the old data: refused, not "OK"
    for command in ("health", "backup"):
        assert main(["--data-dir", str(new), command]) == F.EXIT_KEYS
        err = capsys.readouterr().err
        assert "不是这个数据库的密钥文件" in err and "keys import" in err
    with pytest.raises(Exception, match="not the key file of this database"):
        Workstation.open(new)

    os.environ["FRONTDESK_KEYS_PASSPHRASE"] = "a wrong passphrase!"
    assert main(["--data-dir", str(new), "keys", "import", str(export)]) == F.EXIT_KEYS
    assert "wrong passphrase" in capsys.readouterr().err
    os.environ["FRONTDESK_KEYS_PASSPHRASE"] = PASS
    assert main(["--data-dir", str(new), "keys", "import", str(export)]) == 0
    assert main(["--data-dir", str(new), "health"]) == 0
    assert _first_id_number(new) == expected
    assert list(new.glob("keys.json.replaced-*"))  # the new PC's own keys are kept aside


def test_another_counters_key_file_is_refused(demo_template, tmp_path, capsys):
    import shutil

    mine = tmp_path / "w01"
    shutil.copytree(demo_template, mine)
    other = tmp_path / "w02"
    assert (
        main(["--data-dir", str(other), "init", "--branch", "BJ0101", "--workstation", "W02"]) == 0
    )
    before = (mine / "frontdesk.db").read_bytes()
    shutil.copyfile(other / "keys.json", mine / "keys.json")  # IT copied the wrong file
    capsys.readouterr()
    assert main(["--data-dir", str(mine), "health"]) == F.EXIT_KEYS
    assert "another counter's" in capsys.readouterr().err
    assert (mine / "frontdesk.db").read_bytes() == before
    # and importing W02's export into W01's folder is refused too
    export = tmp_path / "w02.fdkeys"
    assert main(["--data-dir", str(other), "keys", "export", "--out", str(export)]) == 0
    assert main(["--data-dir", str(mine), "keys", "import", str(export)]) == F.EXIT_KEYS
    assert "exported from BJ0101/W02" in capsys.readouterr().err


def test_a_short_passphrase_or_a_damaged_export_is_refused(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "ws"
    assert (
        main(["--data-dir", str(folder), "init", "--branch", "BJ0101", "--workstation", "W01"]) == 0
    )
    monkeypatch.setenv("FRONTDESK_KEYS_PASSPHRASE", "short")
    assert main(["--data-dir", str(folder), "keys", "export", "--out", str(tmp_path / "k")]) == 8
    assert "at least 12 characters" in capsys.readouterr().err
    monkeypatch.setenv("FRONTDESK_KEYS_PASSPHRASE", PASS)
    export = tmp_path / "k"
    assert main(["--data-dir", str(folder), "keys", "export", "--out", str(export)]) == 0
    doc = json.loads(export.read_text(encoding="utf-8"))
    doc["workstation"] = "BJ0101/W09"  # the clear header is authenticated too
    export.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["--data-dir", str(folder), "keys", "import", str(export)]) == 8
    assert "altered" in capsys.readouterr().err
    export.write_text("not json", encoding="utf-8")
    assert main(["--data-dir", str(folder), "keys", "import", str(export)]) == 8
    assert "not a frontdesk key export" in capsys.readouterr().err


def test_importing_a_file_that_is_not_there_names_it(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert (
        main(["--data-dir", str(folder), "init", "--branch", "BJ0101", "--workstation", "W01"]) == 0
    )
    keys = (folder / "keys.json").read_bytes()
    missing = tmp_path / "usb" / "BJ0101-W01.fdkeys"
    assert main(["--data-dir", str(folder), "keys", "import", str(missing)]) == F.EXIT_USAGE
    err = capsys.readouterr().err
    assert "找不到文件" in err and f"the file {missing} was not found" in err
    assert (folder / "keys.json").read_bytes() == keys
