"""Report rows for managers only (SPEC §7; issue 17 item 6): head office serves a
branch's rows only with a manager's token of that branch, which it issues after checking
the manager's password against the staff dataset it published itself.

A head office of its own (the staff dataset is global: publishing it here must not change
what other modules' tests pulled), real counters enrolled over HTTP.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import uuid

import pytest

from frontdesk.cli.reports import MANAGER_PASSWORD_ENV
from frontdesk.core.messages import RuleViolation
from frontdesk.gui.manager_screen import ManagerScreen
from frontdesk.gui.qt import Qt
from frontdesk.headoffice.db import make_engine, migrate
from frontdesk.headoffice.managers import AttemptLimit, issue_token, token_key
from frontdesk.reporting import ReportService
from frontdesk.services.dayclose import DayCloseService
from frontdesk.sync.client import HeadOfficeClient, HeadOfficeRefused
from frontdesk.sync.credentials import Credential, CredentialStore
from frontdesk.sync.service import client_for
from tests.reports.conftest import DAY, build_day
from tests.reports.test_exports import cli

from .conftest import enrol
from .factory import ServerProcess, create_database, new_workstation, publish_staff, staff_entry
from .test_report_rows import _WithHeadOffice, connect

TODAY = dt.datetime.now(dt.UTC).date()
STAFF = [
    staff_entry("mgr_a", "MA01", "Manager-A1"),
    staff_entry("clerk_a", "MA01", "Clerk-A1", role="clerk"),
    staff_entry("mgr_b", "MB01", "Manager-B1"),
    staff_entry("old_mgr", "MA01", "Old-A1", active=False),
    staff_entry("it", "", "It-Admin1", role="it_admin"),
    staff_entry("lock_me", "MA01", "Lock-Me1"),
    staff_entry("lock_svc", "MA01", "Lock-Svc1"),
]
REFUSED = "username or password wrong, or not a manager of this branch"


@pytest.fixture(scope="module")
def office(pg_admin_url, tmp_path_factory):
    url = create_database(pg_admin_url, f"fd_mgr_{uuid.uuid4().hex[:8]}")
    migrate(url)
    engine = make_engine(url, pool_size=2)
    server = ServerProcess(url, tmp_path_factory.mktemp("mgr"))
    server.start()
    publish_staff(engine, STAFF)
    yield server, engine
    server.stop()
    engine.dispose()


def counter(office, tmp_path, branch: str):
    server, engine = office
    ws = new_workstation(tmp_path, branch)
    enrol(ws, engine, server.url)
    return ws


def refusal(call) -> HeadOfficeRefused:
    with pytest.raises(HeadOfficeRefused) as refused:
        call()
    return refused.value


def test_a_manager_of_the_branch_reads_the_rows_no_one_else_gets_a_token(office, tmp_path):
    ws = counter(office, tmp_path, "MA01")
    with client_for(ws) as client:
        session = client.manager_session("mgr_a", "Manager-A1")
        assert (session["branch"], session["username"], session["role"]) == (
            "MA01",
            "mgr_a",
            "manager",
        )
        assert 590 <= session["expires_in"] <= 600
        rows = client.report_rows(TODAY, TODAY, session["token"])
        assert rows["workstations"] == ["W01"] and rows["visits"] == []
        it = client.manager_session("it", "It-Admin1")  # IT admin of every branch
        assert it["role"] == "it_admin"
        assert client.report_rows(TODAY, TODAY, it["token"])["workstations"] == ["W01"]
        # a clerk, another branch's manager, a switched-off account, a wrong password,
        # an unknown user: one and the same refusal, naming nothing
        for username, password in (
            ("clerk_a", "Clerk-A1"),
            ("mgr_b", "Manager-B1"),
            ("old_mgr", "Old-A1"),
            ("mgr_a", "manager-a1"),
            ("nobody", "Manager-A1"),
        ):
            refused = refusal(lambda u=username, p=password: client.manager_session(u, p))
            assert (refused.status, refused.error) == (403, "not_a_manager")
            assert refused.message == f"username: {REFUSED}"
    ws.close()


def test_report_rows_without_a_valid_token_of_the_branch_is_403(office, tmp_path):
    _server, engine = office
    ws_a = counter(office, tmp_path, "MA01")
    ws_b = counter(office, tmp_path, "MB01")
    with client_for(ws_a) as a, client_for(ws_b) as b:
        good = a.manager_session("mgr_a", "Manager-A1")["token"]
        of_b = b.manager_session("mgr_b", "Manager-B1")["token"]
        payload, signature = good.split(".")
        with engine.begin() as conn:
            key = token_key(conn)
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)
        expired, _ = issue_token(key, "MA01", "mgr_a", "manager", past)
        forged, _ = issue_token(b"not head office's key", "MA01", "mgr_a", "manager", past)
        for token in (
            None,  # no token: a clerk's counter asking with its workstation credential
            of_b,  # a real manager's token, of another branch
            expired,
            forged,
            payload + "." + signature[::-1],
            payload[:-2] + "AA." + signature,
            "garbage",
        ):
            refused = refusal(lambda t=token: a.report_rows(TODAY, TODAY, t))
            assert (refused.status, refused.error) == (403, "manager_required")
            assert "manager's token of this branch" in refused.message
        assert b.report_rows(TODAY, TODAY, of_b)["workstations"] == ["W01"]
    ws_a.close()
    ws_b.close()


def test_failed_sign_ins_pause_the_username_whether_it_exists_or_not(office, tmp_path):
    ws = counter(office, tmp_path, "MA01")
    with client_for(ws) as client:
        for username in ("lock_me", "ghost"):
            for _ in range(5):
                assert refusal(lambda u=username: client.manager_session(u, "wrong")).status == 403
            locked = refusal(lambda u=username: client.manager_session(u, "Lock-Me1"))
            assert (locked.status, locked.error) == (429, "too_many_attempts")
        # the same words for the real account and the invented one
        assert "wait 5 minutes" in locked.message
    ws.close()


def test_a_pause_ends_and_a_success_clears_the_count():
    limit = AttemptLimit(limit=2, lock_seconds=0)
    limit.failed("MA01", "x")
    limit.succeeded("MA01", "x")
    limit.failed("MA01", "x")
    assert not limit.locked("MA01", "x")
    limit.failed("MA01", "x")
    assert not limit.locked("MA01", "x")  # two failures, but the pause (0 s) is over
    held = AttemptLimit(limit=1, lock_seconds=3600)
    held.failed("MA01", "y")
    assert held.locked("MA01", "y") and not held.locked("MB01", "y")


def test_report_service_refused_locked_unreachable_or_not_enrolled(office, tmp_path):
    ws = counter(office, tmp_path, "MA01")
    reports = ReportService(ws, branch_source=lambda: client_for(ws), known_counters=["W02"])
    with pytest.raises(RuleViolation) as refused:
        reports.sign_in_manager("clerk_a", "Clerk-A1")
    assert refused.value.codes == ["report.manager_refused"]
    assert "不是本营业厅的经理" in refused.value.text("zh")
    assert not reports.manager_signed_in(None)
    # without a manager: head office's day totals (workstation credential), and why
    summary = reports.summary(None, TODAY, branch=True)
    assert summary.source == "head_office" and summary.missing_counters == ("W02",)
    assert any("经理密码" in note for note in summary.notes)
    for _ in range(5):
        with pytest.raises(RuleViolation):
            reports.sign_in_manager("lock_svc", "wrong")
    with pytest.raises(RuleViolation) as locked:
        reports.sign_in_manager("lock_svc", "Lock-Svc1")
    assert locked.value.codes == ["report.manager_locked"]
    assert reports.sign_in_manager("mgr_a", "Manager-A1")
    assert reports.manager_signed_in(None)
    summary = reports.summary(None, TODAY, branch=True)
    assert not any("经理密码" in note for note in summary.notes)

    # head office unreachable: no token, the branch report is this counter's, naming W02
    cred = CredentialStore(ws.data_dir).load()
    down = HeadOfficeClient("http://127.0.0.1:1", cred.token, timeout=2.0)
    offline = ReportService(ws, branch_source=down, known_counters=["W02"])
    assert not offline.sign_in_manager("mgr_a", "Manager-A1")
    summary = offline.summary(None, TODAY, branch=True)
    assert summary.source == "local" and summary.missing_counters == ("W02",)
    down.close()
    # not enrolled (no credential): the same fallback, no traceback
    lone = new_workstation(tmp_path / "lone", "MA01", "W05")
    unenrolled = ReportService(lone, branch_source=lambda: client_for(lone))
    assert not unenrolled.sign_in_manager("mgr_a", "Manager-A1")
    assert not ReportService(lone).sign_in_manager("mgr_a", "Manager-A1")  # no head office
    lone.close()
    ws.close()


def test_manager_screen_wrong_password_and_no_password(
    office, demo_ws, clock, auth, clerk, manager, qtbot
):
    server, engine = office
    build_day(demo_ws, clock, auth, clerk)
    connect(demo_ws, server, engine).close()
    publish_staff(engine, STAFF, ws=demo_ws)
    screen = ManagerScreen(
        ReportService(demo_ws, branch_source=lambda: client_for(demo_ws), known_counters=["W02"]),
        DayCloseService(demo_ws),
        manager,
        auth=auth,
        today=DAY,
    )
    qtbot.addWidget(screen)
    screen.show()
    assert screen.manager_password.isVisible()
    screen.scope.setCurrentIndex(1)
    qtbot.keyClicks(screen.manager_password, "Manager2025")
    qtbot.keyClick(screen.manager_password, Qt.Key.Key_Return)
    assert screen.summary is None and "总部未确认经理身份" in screen.message.text()
    assert screen.manager_password.text() == ""  # a refused password is not kept either
    qtbot.keyClick(screen.manager_password, Qt.Key.Key_Return)  # no password: head office's totals
    assert screen.summary is not None and screen.summary.missing_counters == ("W02",)
    assert "经理密码" in screen.message.text()


def test_cli_manager_from_a_pipe_refused_unreachable_and_misused(
    office, demo_ws, clock, auth, clerk, monkeypatch, capsys, tmp_path
):
    server, engine = office
    build_day(demo_ws, clock, auth, clerk)
    connect(demo_ws, server, engine).close()
    publish_staff(engine, STAFF, ws=demo_ws)
    ws = _WithHeadOffice(demo_ws, server.url)
    monkeypatch.delenv(MANAGER_PASSWORD_ENV, raising=False)
    base = ["report", "summary", "--date", DAY.isoformat(), "--format", "csv"]
    out = ["--out", str(tmp_path / "b.csv")]

    monkeypatch.setattr(sys, "stdin", io.StringIO("Manager2026\n"))
    assert cli(ws, monkeypatch, *base, *out, "--branch", "--manager", "manager01") == 0
    assert "8 visits" in capsys.readouterr().out

    monkeypatch.setenv(MANAGER_PASSWORD_ENV, "Manager2025")
    assert cli(ws, monkeypatch, *base, *out, "--branch", "--manager", "manager01") == 1
    assert "总部未确认经理身份" in capsys.readouterr().err

    assert cli(ws, monkeypatch, *base, *out, "--manager", "manager01") == 2
    assert "--manager needs --branch" in capsys.readouterr().err
    monkeypatch.delenv(MANAGER_PASSWORD_ENV)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli(ws, monkeypatch, *base, *out, "--branch", "--manager", "manager01") == 2
    assert "no manager password" in capsys.readouterr().err

    cred = CredentialStore(demo_ws.data_dir).load()
    CredentialStore(demo_ws.data_dir).save(
        Credential("http://127.0.0.1:1", cred.branch, cred.workstation, cred.token, "now")
    )
    monkeypatch.setenv(MANAGER_PASSWORD_ENV, "Manager2026")
    assert cli(ws, monkeypatch, *base, *out, "--branch", "--manager", "manager01") == 0
    assert "head office unreachable: manager not verified" in capsys.readouterr().err
