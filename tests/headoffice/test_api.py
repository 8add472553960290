"""The API's answers: malformed input gets a 4xx naming the problem (never a 500), the
questions the counter asks (一证五号, accounts, day summary), health and silent lists."""

from __future__ import annotations

import datetime as dt
import json
import time

import httpx
import pytest
from sqlalchemy import select, text

from frontdesk.core.accounts import CustomerState, LineState
from frontdesk.headoffice.accounts import apply_pending_effects, save_state
from frontdesk.headoffice.admin import publish_dataset, silent_workstations
from frontdesk.services.demo import load_demo_data
from frontdesk.services.intake import IntakeService
from frontdesk.services.syncpass import SyncAgent, run_pass
from frontdesk.store.models import IdVerification, Setting, SyncDataset
from frontdesk.sync.client import HeadOfficeClient
from frontdesk.sync.credentials import CredentialStore
from frontdesk.sync.puller import pull_datasets, switch_catalogue_if_idle
from frontdesk.sync.retry import Backoff
from frontdesk.sync.service import client_for

from .conftest import enrol
from .factory import ServerProcess, new_workstation, write_sales

GOOD = {
    "X-Frontdesk-Protocol": "2",
    "X-Frontdesk-App": "0.1.0",
    "X-Frontdesk-Schema": "0003",
    "X-Frontdesk-Device-Time": "2026-11-22T00:00:00+00:00",
}


@pytest.fixture
def token(enrolled) -> str:
    return CredentialStore(enrolled.data_dir).load().token


DROP = None  # a header value meaning "leave this header out"


@pytest.mark.parametrize(
    ("headers", "body", "status", "field"),
    [
        ({"X-Frontdesk-Protocol": DROP}, b'{"records": []}', 400, "X-Frontdesk-Protocol"),
        ({"X-Frontdesk-Protocol": "abc"}, b'{"records": []}', 400, "X-Frontdesk-Protocol"),
        ({"X-Frontdesk-Protocol": "0"}, b'{"records": []}', 426, "X-Frontdesk-Protocol"),
        ({"X-Frontdesk-App": DROP}, b'{"records": []}', 400, "X-Frontdesk-App"),
        ({"X-Frontdesk-Device-Time": "yesterday"}, b'{"records": []}', 400, "Device-Time"),
        ({"X-Frontdesk-Device-Time": DROP}, b'{"records": []}', 400, "Device-Time"),
        ({}, b"not json at all", 422, "body"),
        ({}, b"", 422, "body"),
        ({}, b'{"records": 5}', 422, "records"),
        ({}, b'{"records": [], "extra": 1}', 422, "extra"),
        ({}, b"[1, 2]", 422, "body"),
        ({}, b'{"batch_id": 7, "records": []}', 422, "batch_id"),
        ({"Authorization": "Bearer nope"}, b'{"records": []}', 401, "Authorization"),
        ({"Authorization": DROP}, b'{"records": []}', 401, "Authorization"),
    ],
)
def test_malformed_push_gets_a_4xx_naming_the_problem(
    ho_server, token, headers, body, status, field
):
    sent = {**GOOD, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for key, value in headers.items():
        if value is DROP:
            sent.pop(key)
        else:
            sent[key] = value
    r = httpx.post(ho_server.url + "/v1/push", content=body, headers=sent)
    assert r.status_code == status, r.text
    problems = r.json()["problems"]
    assert field in " ".join(p["field"] + " " + p["message"] for p in problems)


def test_bad_records_and_queries_never_500(ho_server, token):
    auth = {**GOOD, "Authorization": f"Bearer {token}"}
    weird = [
        None,
        1,
        "x",
        [],
        {"v": "1"},
        {"v": 1, "type": "slip", "id": "not-a-uuid"},
        {
            "v": 1,
            "type": "slip",
            "id": "00000000-0000-4000-8000-000000000001",
            "branch": None,
            "workstation": None,
            "data": {},
        },
    ]
    r = httpx.post(ho_server.url + "/v1/push", json={"records": weird}, headers=auth)
    assert r.status_code == 200
    assert len(r.json()["rejected"]) == len(weird)  # quarantined, each with a reason
    for path in (
        "/v1/number-count/ABC",
        "/v1/accounts/" + "z" * 64,
        "/v1/summary?date=2026-13-45",
        "/v1/summary",
    ):
        r = httpx.get(ho_server.url + path, headers=auth)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["problems"][0]["field"]
    r = httpx.post(ho_server.url + "/v1/pull", json={"have": {"nope": 1}}, headers=auth)
    assert r.status_code == 422 and "have.nope" in r.text
    r = httpx.post(ho_server.url + "/v1/enrol", json={"code": "x"}, headers=GOOD)
    assert r.status_code == 422 and "code" in r.text


def test_questions_the_counter_asks(tmp_path, ho_engine, ho_server):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)  # before any customer: takes head office's key
    load_demo_data(ws)
    from frontdesk.services.auth import AuthService
    from tests.services.helpers import verify_person
    from tests.services.test_intake import valid_iccid

    clerk = AuthService(ws.db, ws.config.security, ws.clock).sign_in("clerk01", "Counter2026")
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", purpose="new_line", limits=True)
    intake.add_business(
        clerk,
        visit,
        "NEW_LINE",
        {
            "plan": "mob_59",
            "new_number": "13812345678",
            "sim_iccid": valid_iccid(),
            "prepay_amount": "100",
        },
    )
    intake.add_payment(clerk, visit, "cash", 10_000)
    intake.record_fraud_notice(clerk, visit, "paper")
    settled = intake.settle(clerk, visit)
    with ws.db.reader() as s:
        id_hash = s.scalar(select(IdVerification.id_hash).where(IdVerification.party == "customer"))
    with client_for(ws) as client:
        before = client.count_numbers(id_hash)
        run_pass(ws, client)
        with ho_engine.begin() as conn:  # the applier normally runs every second
            apply_pending_effects(conn)
        assert client.count_numbers(id_hash) == before + 1
        state = client.account_state(id_hash)
        assert state is not None and state.line("13812345678").payment_mode == "prepaid"
        assert client.account_state("0" * 64) is None
        summary = client.day_summary(ws.clock.now().date())
    assert summary["workstations"][0]["slips"] == 1
    assert summary["total_fen"] == settled.total_fen
    ws.close()


def test_effects_from_the_billing_side(ho_engine):
    """Head office applies the counter's effects with the core's own rules, once."""
    with ho_engine.begin() as conn:
        save_state(
            conn,
            "e" * 64,
            CustomerState(lines=(LineState("13900000001", "prepaid", arrears_fen=500),)),
        )
        from frontdesk.headoffice.accounts import count_numbers, load_state

        assert count_numbers(conn, "e" * 64) == 1
        assert load_state(conn, "e" * 64).lines[0].arrears_fen == 500


def test_day_summary_agrees_with_the_counter(enrolled):
    ws = enrolled
    total = write_sales(ws, 12, items=2)
    with client_for(ws) as client:
        run_pass(ws, client)
        summary = client.day_summary(dt.datetime.now(dt.UTC).astimezone().date())
    assert summary["total_fen"] == total == sum(summary["payments_fen"].values())


def test_health_and_silent_workstations(enrolled, ho_engine, ho_server):
    assert httpx.get(ho_server.url + "/health").json()["status"] == "ok"
    ident = enrolled.identity
    with ho_engine.connect() as conn:
        silent = {(s.branch_code, s.workstation_code) for s in silent_workstations(conn)}
    assert (ident.branch_code, "W01") in silent  # enrolled, never heard from since
    with client_for(enrolled) as client:
        run_pass(enrolled, client)
    with ho_engine.begin() as conn:
        silent = {(s.branch_code, s.workstation_code) for s in silent_workstations(conn)}
        assert (ident.branch_code, "W01") not in silent
        conn.execute(
            text(
                "UPDATE ho_workstation SET last_seen_at = now() - interval '25 hours'"
                " WHERE branch_code = :b"
            ),
            {"b": ident.branch_code},
        )
        silent = {(s.branch_code, s.workstation_code) for s in silent_workstations(conn)}
    assert (ident.branch_code, "W01") in silent


def test_pull_schema_bump_reloads_once_and_catalogue_waits_for_the_visit(enrolled, ho_engine):
    from frontdesk.core.catalogue import default_catalogue_path

    ws = enrolled
    body = json.loads(default_catalogue_path().read_text(encoding="utf-8"))
    body["version"] = ws.catalogue.version + 1
    with ho_engine.begin() as conn:
        version = publish_dataset(conn, "catalogue", body)
    with client_for(ws) as client:
        assert pull_datasets(ws.db, client).applied.get("catalogue") == version
        # a new build reads a new dataset schema: exactly one full reload, then quiet
        with ws.db.unit_of_work() as uow:
            uow.session.get(Setting, "sync.dataset_schema").value = "0"
            uow.commit()
        reload = pull_datasets(ws.db, client)
        assert reload.full_reload and "catalogue" in reload.applied
        quiet = pull_datasets(ws.db, client)
        assert not quiet.full_reload and quiet.applied == {}
    with ws.db.reader() as s:
        assert s.get(SyncDataset, "catalogue").version == version
    # an open visit keeps its catalogue; the swap happens between visits
    from frontdesk.services.demo import load_demo_data as _  # noqa: F401

    old = ws.catalogue
    from frontdesk.store.models import Visit

    with ws.db.unit_of_work() as uow:
        from frontdesk.store.models import Staff

        staff = Staff(
            username="x", display_name="x", role="clerk", branch_code="X", password_hash="x"
        )
        uow.session.add(staff)
        uow.session.flush()
        visit = Visit(branch_code="X", workstation_code="W01", clerk_id=staff.id)
        uow.session.add(visit)
        uow.commit()
    assert not switch_catalogue_if_idle(ws) and ws.catalogue is old
    with ws.db.unit_of_work() as uow:
        uow.session.get(Visit, visit.id).status = "settled"
        uow.commit()
    assert switch_catalogue_if_idle(ws) and ws.catalogue.version == old.version + 1


def test_agent_drains_within_seconds_of_the_link_returning(tmp_path, ho_db_url, ho_engine):
    server = ServerProcess(ho_db_url, tmp_path / "srv")
    server.start()
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, server.url)
    server.stop()  # the link goes down
    write_sales(ws, 30)
    token = CredentialStore(ws.data_dir).load().token
    agent = SyncAgent(
        ws,
        interval_seconds=60,
        probe_seconds=0.5,
        backoff=Backoff(base_seconds=60, cap_seconds=60),  # long back-off: the probe must win
        client_factory=lambda: HeadOfficeClient(server.url, token, timeout=2),
    )
    agent.start()
    try:
        time.sleep(1.5)
        status = agent.status()
        assert status.pending > 0 and status.last_error and status.level == "offline"
        assert status.running and status.next_attempt_at is not None
        server.start()  # the link returns
        came_back = time.monotonic()
        while agent.status().pending and time.monotonic() - came_back < 10:
            time.sleep(0.2)
        assert agent.status().pending == 0
        assert time.monotonic() - came_back < 5
        assert agent.status().level == "ok"
    finally:
        agent.stop()
        server.stop()
        ws.close()
    assert not agent.running
