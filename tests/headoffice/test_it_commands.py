"""IT's head-office commands against a real head office: enrol and sync failures as
messages with their exit codes, a restored counter continuing after head office's
numbers, and the audited ``unflag`` of a flagged workstation."""

from __future__ import annotations

import json
import shutil
import socket

import pytest
from sqlalchemy import func, select, text

from frontdesk.cli import main
from frontdesk.core import it_failures as F
from frontdesk.core.messages import RuleViolation
from frontdesk.headoffice.admin import revoke
from frontdesk.services.auth import AuthService
from frontdesk.services.demo import load_demo_data
from frontdesk.services.intake import IntakeService
from frontdesk.services.workstation import Workstation
from frontdesk.store.backup import list_backups
from frontdesk.store.models import OutboxEntry, Receipt
from frontdesk.sync.credentials import CredentialStore

from .conftest import enrol
from .factory import new_workstation, write_sales


@pytest.fixture(autouse=True)
def _logs(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTDESK_LOG_DIR", str(tmp_path / "logs"))


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.suffix != ".lock"}


def test_enrol_with_a_wrong_code_or_no_head_office(tmp_path, ho_server, capsys):
    ws = new_workstation(tmp_path)
    folder = ws.data_dir
    ws.close()
    before = files(folder)
    assert (
        main(["--data-dir", str(folder), "enrol", "--url", ho_server.url, "--code", "XXXX-YYYY"])
        == 5
    )
    err = capsys.readouterr().err
    assert "不接受该注册码" in err and "does not accept this enrolment code" in err
    assert "Traceback" not in err
    down = closed_port_url()
    assert main(["--data-dir", str(folder), "enrol", "--url", down, "--code", "XXXX-YYYY"]) == 4
    err = capsys.readouterr().err
    assert "无法连接" in err and f"head office {down} did not answer" in err
    assert files(folder) == before and not CredentialStore(folder).exists()


def test_sync_refused_or_unreachable(tmp_path, ho_engine, ho_server, capsys):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    write_sales(ws, 2)
    folder, ident = ws.data_dir, ws.identity
    ws.close()
    # head office moved or down: the credential still names the old address
    store = CredentialStore(folder)
    saved = store.path.read_text(encoding="utf-8")
    moved = json.loads(saved)
    moved["url"] = closed_port_url()
    store.path.write_text(json.dumps(moved), encoding="utf-8")
    assert main(["--data-dir", str(folder), "sync"]) == F.EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert moved["url"] in err and "Records not yet sent stay on this PC" in err
    store.path.write_text(saved, encoding="utf-8")
    with ho_engine.begin() as conn:
        revoke(conn, ident.branch_code, ident.workstation_code, "stolen PC")
    assert main(["--data-dir", str(folder), "sync"]) == F.EXIT_REFUSED
    err = capsys.readouterr().err
    assert "拒绝" in err and "403 revoked" in err and "stolen PC" in err
    ws = Workstation.open(folder)
    try:
        with ws.db.reader() as s:  # nothing was marked sent
            assert s.scalar(select(func.count()).where(OutboxEntry.sent_at.is_not(None))) == 0
    finally:
        ws.close()


def _sell(ws: Workstation, amount: int = 50) -> str:
    clerk = AuthService(ws.db, ws.config.security, ws.clock).sign_in("clerk01", "Counter2026")
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": str(amount)}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "cash", amount * 100)
    return intake.settle(clerk, visit).receipt_no


def test_a_restored_counter_continues_after_head_offices_numbers(
    tmp_path, ho_engine, ho_server, capsys
):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    load_demo_data(ws)
    assert _sell(ws).endswith("R000001")
    folder = ws.data_dir
    ws.close()
    assert main(["--data-dir", str(folder), "sync"]) == 0
    assert main(["--data-dir", str(folder), "backup"]) == 0
    backup = list_backups(folder / "backups", "manual")[-1]
    ws = Workstation.open(folder)
    assert _sell(ws).endswith("R000002") and _sell(ws).endswith("R000003")
    ws.close()
    assert main(["--data-dir", str(folder), "sync"]) == 0  # head office has 1..3
    # the PC's disk is replaced by the older backup
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    assert "confirms its last slip and receipt numbers" in capsys.readouterr().out
    ws = Workstation.open(folder)
    try:
        with pytest.raises(RuleViolation) as info:  # no number before head office's are known
            _sell(ws)
        assert info.value.codes == ["it.numbers_unconfirmed"]
        assert backup.name in info.value.text("en")
        with ws.db.reader() as s:
            assert s.scalar(select(func.count(Receipt.id))) == 1
    finally:
        ws.close()
    assert main(["--data-dir", str(folder), "sync"]) == 0  # learns 3, continues after it
    ws = Workstation.open(folder)
    try:
        assert _sell(ws).endswith("R000004")
    finally:
        ws.close()
    assert main(["--data-dir", str(folder), "sync"]) == 0  # not a clone: accepted
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "health"]) == 0, capsys.readouterr().out
    with ho_engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM ho_workstation WHERE branch_code = :b"),
            {"b": ws.identity.branch_code},
        ).scalar_one()
    assert status == "active"


def test_a_flagged_workstation_is_unflagged_with_a_reason_and_recorded(
    tmp_path, ho_engine, ho_server, ho_db_url, monkeypatch, capsys
):
    from frontdesk.sync.client import HeadOfficeRefused
    from frontdesk.sync.pusher import push_pending
    from frontdesk.sync.service import client_for

    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    ws.close()
    clone_dir = tmp_path / "clone"
    shutil.copytree(ws.data_dir, clone_dir)
    ws = Workstation.open(ws.data_dir)
    clone = Workstation.open(clone_dir)
    write_sales(ws, 2)
    write_sales(clone, 2)
    with client_for(ws) as client:
        push_pending(ws.db, client)
    with client_for(clone) as client, pytest.raises(HeadOfficeRefused):
        push_pending(clone.db, client)
    clone.close()
    b, w = ws.identity.branch_code, ws.identity.workstation_code
    monkeypatch.setenv("FRONTDESK_HO_DATABASE_URL", ho_db_url)
    unflag = ["headoffice", "unflag", "--branch", b, "--workstation", w, "--by", "it-li"]
    assert main([*unflag, "--reason", "ok"]) == 2  # a reason people can read later
    assert "at least 10 characters" in capsys.readouterr().err
    ws.close()
    assert main(["--data-dir", str(ws.data_dir), "sync"]) == F.EXIT_REFUSED
    assert "workstation_flagged" in capsys.readouterr().err
    reason = "clone was a test copy, deleted; original PC checked"
    assert main([*unflag, "--reason", reason]) == 0
    assert main([*unflag, "--reason", reason]) == 2  # not flagged any more
    assert "not flagged" in capsys.readouterr().err
    assert main(["--data-dir", str(ws.data_dir), "sync"]) == 0
    with ho_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT action, reason, actor, previous_status, previous_reason"
                " FROM ho_admin_action WHERE branch_code = :b"
            ),
            {"b": b},
        ).one()
    assert row.action == "unflag" and row.reason == reason and row.actor == "it-li"
    assert row.previous_status == "flagged" and "clone" in row.previous_reason


def test_admin_commands_from_another_folder_do_not_start_a_second_database(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("FRONTDESK_HO_DATABASE_URL", raising=False)
    monkeypatch.delenv("FRONTDESK_HO_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # not where 'serve' was started: no headoffice-pgdata here
    code = main(["headoffice", "issue-code", "--branch", "BJ0101", "--workstation", "W01"])
    assert code == 2
    err = capsys.readouterr().err
    assert "same --config" in err and str(tmp_path / "headoffice-pgdata") in err
    assert not (tmp_path / "headoffice-pgdata").exists()


def test_first_manager_and_it_admin_reach_a_counter_through_the_staff_dataset(
    tmp_path, ho_engine, ho_server, ho_db_url, monkeypatch, capsys
):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    branch, folder = ws.identity.branch_code, ws.data_dir
    ws.close()
    monkeypatch.setenv("FRONTDESK_HO_DATABASE_URL", ho_db_url)
    entry = ["headoffice", "staff-entry", "--branch", branch]
    monkeypatch.setenv("FRONTDESK_STAFF_PASSWORD", "short")
    assert main([*entry, "--username", "wang01", "--name", "王经理", "--role", "manager"]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    monkeypatch.setenv("FRONTDESK_STAFF_PASSWORD", "Start2026go")
    staff = []
    for username, name, role in (("wang01", "王经理", "manager"), ("it01", "李工", "it_admin")):
        assert main([*entry, "--username", username, "--name", name, "--role", role]) == 0
        staff.append(json.loads(capsys.readouterr().out))
    assert all(e["password_hash"].startswith("$argon2") for e in staff)
    assert "Start2026go" not in json.dumps(staff)
    dataset = tmp_path / "staff.json"
    dataset.write_text(json.dumps({"staff": staff}, ensure_ascii=False), encoding="utf-8")
    assert main(["headoffice", "publish", "staff", str(dataset)]) == 0
    assert main(["--data-dir", str(folder), "sync"]) == 0
    ws = Workstation.open(folder)
    try:
        session = AuthService(ws.db, ws.config.security, ws.clock).sign_in("wang01", "Start2026go")
        assert session.role.value == "manager" and session.must_change_password
    finally:
        ws.close()


def test_a_dataset_the_counter_cannot_accept_is_reported_and_not_applied(
    tmp_path, ho_engine, ho_server, ho_db_url, monkeypatch, capsys
):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    folder = ws.data_dir
    ws.close()
    monkeypatch.setenv("FRONTDESK_HO_DATABASE_URL", ho_db_url)
    bad = tmp_path / "tiers.json"
    bad.write_text(json.dumps({"tiers": [{"code": "gold", "rank": -1}]}), encoding="utf-8")
    with ho_engine.connect() as c:
        before = c.scalar(text("SELECT coalesce(max(version), 0) FROM ho_dataset"))
    assert main(["headoffice", "publish", "tiers", str(bad)]) == 0
    try:
        capsys.readouterr()
        assert main(["--data-dir", str(folder), "sync"]) == F.EXIT_PROBLEM
        err = capsys.readouterr().err
        assert "没有接受总部下发的数据" in err and "tiers v" in err and "is invalid" in err
        from frontdesk.sync.puller import pulled

        ws = Workstation.open(folder)
        try:
            assert pulled(ws.db, "tiers") is None or pulled(ws.db, "tiers")[1] != {
                "tiers": [{"code": "gold", "rank": -1}]
            }
        finally:
            ws.close()
    finally:
        # head office is shared by the session's tests: withdraw the bad version again
        with ho_engine.begin() as c:
            c.execute(
                text("DELETE FROM ho_dataset WHERE kind = 'tiers' AND version > :v"),
                {"v": before},
            )
