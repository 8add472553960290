"""A branch-wide summary is exact: head office's rows of the other counters plus this
counter's own give the same figures as computing the branch from every counter's own
database (SPEC §7: branch-wide summaries include every counter).

Two counters of branch BJ0101 trade on 2026-11-21: W01 the known day of
tests/reports/conftest.py (tickets, VIP, a void, a refund, a pause, a cancellation, a
suspended visit, complaints, a handset with its warranty card), W02 three more visits.
Both sync to a real head office; W01's manager then asks for the branch — head office
verifies that manager against the staff accounts it published (SPEC: branch figures are
for managers) — through the report service, the manager screen and the command line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
import uuid
from dataclasses import astuple
from pathlib import Path

import pytest

from frontdesk.cli.reports import MANAGER_PASSWORD_ENV
from frontdesk.core.reports import ComplaintCounts, build_summary
from frontdesk.gui.manager_screen import ManagerScreen
from frontdesk.gui.qt import Qt
from frontdesk.headoffice.admin import issue_enrolment_code
from frontdesk.headoffice.db import make_engine, migrate
from frontdesk.reporting import ReportService
from frontdesk.services.auth import AuthService
from frontdesk.services.dayclose import DayCloseService
from frontdesk.services.intake import IntakeService
from frontdesk.services.reports import merge_rows, read_rows
from frontdesk.services.workstation import Workstation, initialise
from frontdesk.sync.client import HeadOfficeClient
from frontdesk.sync.credentials import Credential, CredentialStore
from frontdesk.sync.pusher import push_pending
from frontdesk.sync.service import client_for
from tests.reports.conftest import DAY, at, build_day
from tests.reports.test_exports import cli

from .factory import ServerProcess, create_database, publish_staff, staff_entry


@pytest.fixture
def head_office(pg_admin_url: str, tmp_path: Path):
    """A head office of its own: BJ0101 is the demo branch other tests use too."""
    url = create_database(pg_admin_url, f"fd_rows_{uuid.uuid4().hex[:8]}")
    migrate(url)
    engine = make_engine(url, pool_size=2)
    server = ServerProcess(url, tmp_path / "srv")
    server.start()
    yield server, engine
    server.stop()
    engine.dispose()


def connect(ws: Workstation, server: ServerProcess, engine) -> HeadOfficeClient:
    """Enrol ``ws`` at head office (the credential only: demo customers are already
    stored under the local look-up key, which a real enrolment would refuse to swap)."""
    ident = ws.identity
    with engine.begin() as conn:
        code = issue_enrolment_code(conn, ident.branch_code, ident.workstation_code)
    with HeadOfficeClient(server.url) as client:
        answer = client.enrol(code, ident.branch_code, ident.workstation_code)
    CredentialStore(ws.data_dir).save(
        Credential(server.url, ident.branch_code, ident.workstation_code, answer["token"], "now")
    )
    return HeadOfficeClient(server.url, answer["token"])


def second_counter(demo_template: Path, tmp_path: Path, clock) -> Workstation:
    """W02 of the same branch: the demo workstation's copy renamed W02, so it has the
    branch's staff and customers (as it would have pulled them) but its own identity and
    numbering; the demo records it inherited are W01's and are not sent again."""
    folder = tmp_path / "w02"
    shutil.copytree(demo_template, folder)
    config = folder / "frontdesk.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('"W01"', '"W02"'), encoding="utf-8"
    )
    con = sqlite3.connect(folder / "frontdesk.db")
    with con:
        con.execute("UPDATE setting SET value = 'W02' WHERE key = 'workstation_code'")
        con.execute("UPDATE outbox SET sent_at = '2026-11-21 00:00:00'")
    con.close()
    return Workstation.open(folder, clock=clock)


def trade_at_w02(ws: Workstation, clock) -> None:
    auth = AuthService(ws.db, ws.config.security, ws.clock)
    clerk = auth.sign_in("clerk01", "Counter2026")
    intake = IntakeService(ws)
    clock.set(at(10, 10))
    v1 = intake.open_visit(clerk, ticket_no="V101", ticket_tier="gold", ticket_issued_at=at(10, 0))
    intake.add_business(clerk, v1, "TOP_UP", {"topup_amount": "100"}, service_number="13800138000")
    intake.add_payment(clerk, v1, "cash", 10_000)
    clock.set(at(10, 15))
    intake.settle(clerk, v1)
    v2 = intake.open_visit(clerk)
    intake.add_business(clerk, v2, "TOP_UP", {"topup_amount": "50"}, service_number="13700137000")
    intake.add_payment(clerk, v2, "wechat", 5_000, reference="4200009999202611210001")
    clock.set(at(10, 20))
    intake.settle(clerk, v2)
    v3 = intake.open_visit(clerk)
    clock.set(at(10, 25))
    intake.cancel(clerk, v3, "客户离开")
    clock.set(at(10, 40))


def comparable(summary):
    """The figures, without where they came from (counters, notes, source, time)."""
    return dataclasses.replace(
        summary,
        counters=(),
        missing_counters=(),
        source="",
        notes=(),
        generated_at=None,
        head_office_methods=(),
    )


def test_branch_summary_from_head_office_equals_every_counter_computed_together(
    demo_ws,
    demo_template,
    clock,
    auth,
    clerk,
    manager,
    tmp_path,
    head_office,
    qtbot,
    monkeypatch,
    capsys,
):
    server, engine = head_office
    build_day(demo_ws, clock, auth, clerk)
    w02 = second_counter(demo_template, tmp_path, clock)
    trade_at_w02(w02, clock)
    for ws in (demo_ws, w02):
        with connect(ws, server, engine) as client:
            push_pending(ws.db, client)

    publish_staff(engine, [], ws=demo_ws)  # head office's accounts: the demo's manager01

    with connect(demo_ws, server, engine) as client:
        reports = ReportService(demo_ws, branch_source=client)
        assert reports.sign_in_manager("manager01", "Manager2026")
        branch = reports.summary(manager, DAY, branch=True)

    # the same branch computed from both counters' own databases
    now = demo_ws.clock.now()
    own = {}
    for ws in (demo_ws, w02):
        with ws.db.reader() as s:
            own[ws.identity.workstation_code] = read_rows(
                s,
                branch="BJ0101",
                workstation=ws.identity.workstation_code,
                date_from=DAY,
                date_to=DAY,
                now=now,
            )
    w01, w02_rows = own["W01"], own["W02"]
    every_counter = dataclasses.replace(
        merge_rows(w01, w02_rows),
        complaints=ComplaintCounts(
            *(
                a + b
                for a, b in zip(astuple(w01.complaints), astuple(w02_rows.complaints), strict=True)
            )
        ),
        warranty_cards=w01.warranty_cards + w02_rows.warranty_cards,
    )
    together = build_summary(
        every_counter,
        reports.policy,
        scope="branch",
        branch_code="BJ0101",
        workstation_code=None,
        date_from=DAY,
        date_to=DAY,
        generated_at=now,
    )
    assert branch.source == "head_office"
    assert comparable(branch) == comparable(together)
    # and it is really the branch: W02's visits and money are in it
    assert branch.visits.total == 8 + 3
    assert [(c.workstation, c.visits, c.slips, c.source) for c in branch.counters] == [
        ("W01", 8, 8, "local"),
        ("W02", 3, 2, "head_office"),
    ]
    assert not any("经理密码" in n for n in branch.notes)

    # the manager screen: the manager types the password, Enter — the same branch
    screen = ManagerScreen(
        ReportService(demo_ws, branch_source=lambda: client_for(demo_ws)),
        DayCloseService(demo_ws),
        manager,
        auth=auth,
        today=DAY,
    )
    qtbot.addWidget(screen)
    screen.show()
    screen.scope.setCurrentIndex(1)  # 全营业厅
    qtbot.keyClicks(screen.manager_password, "Manager2026")
    qtbot.keyClick(screen.manager_password, Qt.Key.Key_Return)
    assert screen.summary is not None and screen.summary.source == "head_office"
    assert comparable(screen.summary) == comparable(together)
    assert screen.cards["visits"].text() == "11" and screen.manager_password.text() == ""
    assert "经理密码" not in screen.message.text()

    # the command line: --manager, the password from the environment
    monkeypatch.setenv(MANAGER_PASSWORD_ENV, "Manager2026")
    out = tmp_path / "branch.csv"
    assert cli(
        _WithHeadOffice(demo_ws, server.url), monkeypatch, "report", "summary",
        "--date", DAY.isoformat(), "--branch", "--manager", "manager01",
        "--format", "csv", "--out", str(out),
    ) == 0  # fmt: skip
    printed = capsys.readouterr()
    assert "11 visits" in printed.out and "missing" not in printed.err
    w02.close()


class _WithHeadOffice:
    """The demo workstation configured with head office's address, left open."""

    def __init__(self, ws: Workstation, url: str) -> None:
        self._ws = ws
        section = ws.config.head_office.model_copy(update={"url": url})
        self.config = ws.config.model_copy(update={"head_office": section})

    def __getattr__(self, name):
        return getattr(self._ws, name)

    def close(self) -> None:
        pass


def test_report_rows_refuses_a_reversed_or_too_long_range(head_office, tmp_path, clock):
    server, engine = head_office
    ws = initialise(tmp_path / "w09", branch_code="BJ0909", workstation_code="W09", clock=clock)
    publish_staff(engine, [staff_entry("mgr09", "BJ0909", "Branch0909!")])
    with connect(ws, server, engine) as client:
        token = client.manager_session("mgr09", "Branch0909!")["token"]
        for date_from, date_to, why in (
            (DAY, DAY - dt.timedelta(days=1), "before"),
            (DAY - dt.timedelta(days=100), DAY, "92 days"),
        ):
            with pytest.raises(Exception) as refused:
                client.report_rows(date_from, date_to, token)
            assert why in str(refused.value)
        empty = client.report_rows(DAY, DAY, token)
    assert empty["visits"] == [] and empty["workstations"] == ["W09"]
    ws.close()
