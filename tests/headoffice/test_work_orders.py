"""Escalated complaints as work orders, round trip through the real head office:
counter escalates → push → head office lists it and changes its status → the counter
pulls the changes → the complaint closes locally, each change stored once on each side."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text

from frontdesk.services.auth import StaffSession
from frontdesk.services.complaints import ComplaintService
from frontdesk.services.syncpass import run_pass
from frontdesk.store.models import Role
from frontdesk.sync.service import client_for

from .conftest import enrol
from .factory import ServerProcess, new_workstation

ADMIN = "work-order-desk-token-0001"


@pytest.fixture(scope="module")
def ho_admin(ho_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A head office with its admin endpoints switched on (the work-order desk)."""
    server = ServerProcess(
        ho_db_url, tmp_path_factory.mktemp("ho-admin"), env={"FRONTDESK_HO_ADMIN_TOKEN": ADMIN}
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def counter(tmp_path: Path, ho_engine: Engine, ho_admin: ServerProcess):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_admin.url)
    yield ws
    ws.close()


def clerk_of(ws) -> StaffSession:
    return StaffSession(
        uuid.uuid4(),
        "clerk01",
        "王小丽",
        Role.CLERK,
        ws.identity.branch_code,
        False,
        dt.datetime.now(dt.UTC),
    )


def desk(server: ServerProcess) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {ADMIN}"})


def test_escalation_round_trip(counter, ho_admin, ho_engine):
    ws = counter
    branch = ws.identity.branch_code
    staff = clerk_of(ws)
    complaints = ComplaintService(ws)
    escalated = complaints.record(
        staff,
        category="network",
        description="小区室内无信号，已持续一周",
        contact_phone="13800138000",
    )
    complaints.escalate(staff, escalated.complaint_id, "需总部网优中心现场测试")
    local_only = complaints.record(
        staff, category="general", description="咨询账单明细", contact_phone="13900139000"
    )
    with client_for(ws) as client:
        first = run_pass(ws, client)
    assert first.push.stored >= 3 and first.work_orders == 0

    with desk(ho_admin) as http:
        assert (
            httpx.get(f"{ho_admin.url}/v1/admin/work-orders", params={"branch": branch}).status_code
            == 403
        )
        orders = http.get("/v1/admin/work-orders", params={"branch": branch}).json()["work_orders"]
        assert [o["complaint_no"] for o in orders] == [escalated.complaint_no]
        assert orders[0]["status"] == "escalated" and orders[0]["workstation"] == "W01"
        url = f"/v1/admin/work-orders/{escalated.complaint_id}"
        progress_id = str(uuid.uuid4())
        progress = http.post(
            url,
            json={
                "branch": branch,
                "status": "in_progress",
                "text": "已派网优工程师",
                "update_id": progress_id,
            },
        )
        assert progress.status_code == 200
        again = http.post(
            url,
            json={
                "branch": branch,
                "status": "in_progress",
                "text": "已派网优工程师",
                "update_id": progress_id,
            },
        )
        assert again.json() == progress.json()  # the same change re-sent is stored once
        refused = http.post(
            f"/v1/admin/work-orders/{local_only.complaint_id}",
            json={"branch": branch, "status": "replied"},
        )
        assert refused.status_code == 409 and refused.json()["error"] == "not_escalated"
        assert (
            http.post(
                f"/v1/admin/work-orders/{uuid.uuid4()}",
                json={"branch": branch, "status": "replied"},
            ).status_code
            == 404
        )
        assert http.post(url, json={"branch": branch, "status": "deleted"}).status_code == 422
        assert (
            http.post(url, json={"branch": branch, "status": "closed", "bogus": 1}).status_code
            == 422
        )
        closed = http.post(
            url, json={"branch": branch, "status": "closed", "text": "已新增室内分布，信号恢复"}
        )
        assert closed.status_code == 200
        late = http.post(url, json={"branch": branch, "status": "replied"})
        assert late.status_code == 409 and late.json()["error"] == "closed"

    # the counter pulls head office's changes; the complaint closes here too
    with client_for(ws) as client:
        second = run_pass(ws, client)
    assert second.work_orders == 2
    view = complaints.view(escalated.complaint_id)
    assert view.status == "closed"
    assert [e.event for e in view.events] == ["escalated", "hq_update", "closed"]
    assert view.events[1].text == "[in_progress] 已派网优工程师"
    assert view.events[2].text == "已新增室内分布，信号恢复"
    assert complaints.overdue(dt.datetime.now(dt.UTC) + dt.timedelta(days=30)) == [
        complaints.view(local_only.complaint_id)
    ]

    # the counter's copies of head office's events go back as duplicates; nothing doubles
    with client_for(ws) as client:
        third = run_pass(ws, client)
    assert third.push.sent == 2 and third.push.duplicates == 2 and third.push.stored == 0
    assert third.work_orders == 0
    with ho_engine.connect() as conn:
        events = conn.execute(
            text(
                "SELECT count(*) FROM ho_record WHERE branch_code = :b"
                " AND record_type = 'complaint_event' AND data->>'complaint_id' = :c"
            ),
            {"b": branch, "c": str(escalated.complaint_id)},
        ).scalar_one()
    assert events == 3
    with desk(ho_admin) as http:
        open_orders = http.get("/v1/admin/work-orders", params={"branch": branch}).json()
        everything = http.get(
            "/v1/admin/work-orders", params={"branch": branch, "include_closed": "true"}
        ).json()
    assert open_orders["work_orders"] == []
    assert everything["work_orders"][0]["status"] == "closed"


def test_a_counter_only_gets_its_own_work_orders(tmp_path, ho_engine, ho_admin):
    first = new_workstation(tmp_path, ws_code="W01")
    branch = first.identity.branch_code
    second = new_workstation(tmp_path, branch=branch, ws_code="W02")
    try:
        for ws in (first, second):
            enrol(ws, ho_engine, ho_admin.url)
        complaints = ComplaintService(first)
        staff = clerk_of(first)
        view = complaints.record(
            staff, category="network", description="地下车库无信号", contact_phone="13800138000"
        )
        complaints.escalate(staff, view.complaint_id, "需总部处理")
        with client_for(first) as client:
            run_pass(first, client)
        with desk(ho_admin) as http:
            r = http.post(
                f"/v1/admin/work-orders/{view.complaint_id}",
                json={"branch": branch, "status": "accepted"},
            )
            assert r.status_code == 200
        with client_for(second) as client:
            assert run_pass(second, client).work_orders == 0
        with client_for(first) as client:
            assert run_pass(first, client).work_orders == 1
        assert ComplaintService(first).view(view.complaint_id).status == "escalated"
    finally:
        first.close()
        second.close()
