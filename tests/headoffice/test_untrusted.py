"""Every pushed record is untrusted: one bad record from one counter is quarantined with
its reason and stops nothing — not the rest of its batch, not billing for any branch, not
the branch's reports, not the work orders (issue 17: each case here once answered 500 or
stopped a counter's sync for good)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import Engine, text

from frontdesk.core.accounts import CustomerState, LineState
from frontdesk.headoffice.accounts import (
    MAX_ATTEMPTS_BEFORE_SKIP,
    apply_pending_effects,
    load_state,
    save_state,
)
from frontdesk.sync.credentials import CredentialStore

from .conftest import enrol
from .factory import ServerProcess, manager_token, new_workstation, unique_branch

ADMIN = "untrusted-records-admin-token-01"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DROP = object()


def headers(token: str, device_time: dt.datetime | None = None) -> dict[str, str]:
    return {
        "X-Frontdesk-Protocol": "2",
        "X-Frontdesk-App": "0.1.0",
        "X-Frontdesk-Schema": "0005",
        "X-Frontdesk-Device-Time": (device_time or NOW).isoformat(),
        "Authorization": f"Bearer {token}",
    }


@pytest.fixture(scope="module")
def ho_admin(ho_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = ServerProcess(
        ho_db_url, tmp_path_factory.mktemp("ho-untrusted"), env={"FRONTDESK_HO_ADMIN_TOKEN": ADMIN}
    )
    server.start()
    yield server
    server.stop()


class Counter:
    """An enrolled counter, speaking HTTP by hand: it can send anything."""

    def __init__(self, ws, url: str) -> None:
        self.ws = ws
        self.url = url
        self.branch = ws.identity.branch_code
        self.token = CredentialStore(ws.data_dir).load().token
        self.manager = ""

    def envelope(self, kind: str, data: dict) -> dict:
        rid = str(uuid.uuid4())
        return {
            "v": 1,
            "type": kind,
            "id": rid,
            "branch": self.branch,
            "workstation": "W01",
            "data": {"id": rid, "created_at": NOW.isoformat(), **data},
        }

    def day(self) -> list[dict]:
        """A visit with a settled top-up and an escalated complaint: every reader's input."""
        visit = str(uuid.uuid4())
        staff = str(uuid.uuid4())
        slip = self.envelope(
            "slip",
            {
                "slip_no": f"S{uuid.uuid4().hex[:8]}",
                "seq": int(uuid.uuid4().int % 10**9),
                "kind": "sale",
                "visit_id": visit,
                "clerk_id": staff,
                "total_fen": 5000,
                "paid_fen": 5000,
                "change_fen": 0,
                "waiting_seconds": 30,
                "handling_seconds": 60,
                "business_date": NOW.astimezone().date().isoformat(),
                "settled_at": NOW.isoformat(),
            },
        )
        sid = slip["id"]
        complaint = self.envelope(
            "complaint",
            {
                "complaint_no": f"C{uuid.uuid4().hex[:8]}",
                "category": "billing",
                "description": "charged twice",
                "first_responsible_id": staff,
                "deadline_at": (NOW + dt.timedelta(days=2)).isoformat(),
                "branch_code": self.branch,
            },
        )
        return [
            self.envelope(
                "visit_event",
                {
                    "visit_id": visit,
                    "event": "opened",
                    "staff_id": staff,
                    "detail": {"ticket_issued_at": (NOW - dt.timedelta(minutes=5)).isoformat()},
                },
            ),
            slip,
            self.envelope(
                "slip_item",
                {
                    "slip_id": sid,
                    "line_no": 1,
                    "business_code": "TOP_UP",
                    "business_name": "话费充值",
                    "service_number": "13800000000",
                    "fields": {"amount": 5000},
                    "fee_fen": 5000,
                    "list_fee_fen": 5000,
                    "account_effect": "top_up",
                },
            ),
            self.envelope(
                "payment",
                {
                    "slip_id": sid,
                    "line_no": 1,
                    "method": "cash",
                    "amount_fen": 5000,
                    "tendered_fen": 5000,
                    "change_fen": 0,
                },
            ),
            self.envelope(
                "visit_event",
                {"visit_id": visit, "event": "settled", "staff_id": staff, "detail": {}},
            ),
            complaint,
            self.envelope(
                "complaint_event",
                {"complaint_id": complaint["id"], "event": "escalated", "text": "to HQ"},
            ),
        ]

    def push(self, records: list, **extra) -> httpx.Response:
        return httpx.post(
            self.url + "/v1/push", json={"records": records, **extra}, headers=headers(self.token)
        )

    def get(self, path: str) -> httpx.Response:
        # report rows are a manager's: the header of a manager signed in at head office
        extra = {"X-Frontdesk-Manager": self.manager} if path.startswith("/v1/report-rows") else {}
        return httpx.get(self.url + path, headers={**headers(self.token), **extra})


@pytest.fixture(scope="module")
def counter(tmp_path_factory, ho_engine: Engine, ho_admin: ServerProcess) -> Iterator[Counter]:
    ws = new_workstation(tmp_path_factory.mktemp("untrusted"))
    enrol(ws, ho_engine, ho_admin.url)
    found = Counter(ws, ho_admin.url)
    found.manager = manager_token(ho_engine, found.branch)
    yield found
    ws.close()


def readers_answer(counter: Counter) -> None:
    """Everything that reads stored records answers 200 for this branch."""
    day = NOW.astimezone().date()
    paths = [
        f"/v1/report-rows?from={day - dt.timedelta(days=1)}&to={day + dt.timedelta(days=1)}",
        f"/v1/summary?date={day}",
        "/v1/number-count/" + "a" * 64,
        "/v1/accounts/" + "a" * 64,
        "/v1/work-orders/updates?after=0",
    ]
    for path in paths:
        r = counter.get(path)
        assert r.status_code == 200, (path, r.text)
    r = httpx.get(
        counter.url + f"/v1/admin/work-orders?branch={counter.branch}&include_closed=true",
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 200, r.text


# (record type, field, bad value, words the reason must contain)
POISONS = [
    ("complaint", "description", "line one\x00line two", "NUL"),
    ("complaint", "created_at", "2026-11-21T09:00:00+20:00", "created_at"),
    ("complaint", "deadline_at", "nope", "deadline_at"),
    ("slip", "created_at", "2026-13-01T09:00:00+00:00", "created_at"),
    ("slip", "waiting_seconds", "abc", "waiting_seconds"),
    ("slip", "waiting_seconds", 1e30, "waiting_seconds"),
    ("slip", "original_slip_id", "nope", "original_slip_id"),
    ("slip", "business_date", "2026-02-30", "business_date"),
    ("slip", "total_fen", 2**63, "total_fen"),
    ("payment", "change_fen", "x", "change_fen"),
    ("slip_item", "slip_id", "not-a-uuid", "slip_id"),
    ("slip_item", "fields", [1, 2], "fields"),
    ("slip_item", "business_name", {"\x00": 1}, "business_name"),
    ("visit_event", "detail", {"ticket_issued_at": "2026-13-01T09:00:00+00:00"}, "ticket"),
    ("visit_event", "detail", {"called_at": "2026-11-21T09:00:00+20:00"}, "called_at"),
    ("complaint_event", "complaint_id", DROP, "complaint_id"),
    ("complaint_event", "hq_status", "replied\x00", "hq_status"),
    ("audit_entry", "detail", {"note": "a\x00b"}, "NUL"),
]


@pytest.mark.parametrize(("kind", "field", "value", "words"), POISONS)
def test_a_poison_record_is_quarantined_and_nothing_stops(
    counter, ho_engine, kind, field, value, words
):
    day = counter.day()
    if kind == "audit_entry":
        day.append(counter.envelope("audit_entry", {"seq": 1, "action": "x"}))
    poison = next(r for r in day if r["type"] == kind)
    if value is DROP:
        del poison["data"][field]
    else:
        poison["data"][field] = copy.deepcopy(value)
    r = counter.push(day)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert [x["id"] for x in answer["rejected"]] == [poison["id"]]
    assert words in answer["rejected"][0]["reason"]
    assert answer["stored"] == len(day) - 1  # the rest of the batch is stored
    with ho_engine.connect() as conn:
        reason = conn.execute(
            text("SELECT reason FROM ho_quarantine WHERE record_id = :i"), {"i": poison["id"]}
        ).scalar_one()
    assert words in reason
    with ho_engine.begin() as conn:
        apply_pending_effects(conn)
    readers_answer(counter)


def test_request_fields_past_postgresql_are_refused_not_500(counter):
    r = counter.push([], outbox_to=2**63)
    assert r.status_code == 422 and "outbox_to" in r.text
    r = counter.push([], follows=2**64)
    assert r.status_code == 422 and "follows" in r.text
    bad = httpx.post(
        counter.url + "/v1/push",
        content=b'{"records": [Infinity, NaN]}',
        headers={**headers(counter.token), "Content-Type": "application/json"},
    )
    assert bad.status_code == 422 and "finite" in bad.text


@pytest.mark.parametrize("years", [70, -70, -2000])
def test_a_device_clock_decades_off_is_flagged_not_500(counter, years):
    when = NOW + dt.timedelta(days=365 * years)
    r = httpx.post(
        counter.url + "/v1/push",
        json={"records": counter.day()},
        headers=headers(counter.token, when),
    )
    assert r.status_code == 200, r.text
    assert r.json()["skew_flagged"] is True and r.json()["stored"] == 7


def test_work_order_updates_that_once_answered_500(counter, ho_engine):
    day = counter.day()
    assert counter.push(day).json()["stored"] == len(day)
    complaint = next(r for r in day if r["type"] == "complaint")
    slip = next(r for r in day if r["type"] == "slip")
    url = f"{counter.url}/v1/admin/work-orders/{complaint['id']}"
    admin = {"Authorization": f"Bearer {ADMIN}"}
    taken = httpx.post(
        url,
        json={"branch": counter.branch, "status": "accepted", "update_id": slip["id"]},
        headers=admin,
    )
    assert taken.status_code == 409 and taken.json()["problems"][0]["field"] == "update_id"
    nul = httpx.post(
        url, json={"branch": counter.branch, "status": "replied", "text": "ok\x00"}, headers=admin
    )
    assert nul.status_code == 422 and "text" in nul.text
    fine = httpx.post(
        url, json={"branch": counter.branch, "status": "replied", "text": "ok"}, headers=admin
    )
    assert fine.status_code == 200, fine.text
    readers_answer(counter)


def test_the_applier_skips_a_bad_effect_and_serves_every_other_branch(ho_engine):
    """Records stored before ingest checked them (an older head office) must not stop
    billing either: a failing effect is retried, then skipped, and never blocks."""
    bad_branch, good_branch = unique_branch(), unique_branch()
    number = f"139{uuid.uuid4().int % 10**8:08d}"
    owner = uuid.uuid4().hex * 2
    bad_item, bad_fields_item, good_item = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    slip = uuid.uuid4()
    with ho_engine.begin() as conn:
        save_state(conn, owner, CustomerState(lines=(LineState(number, "prepaid"),)))
        rows = [
            (
                bad_branch,
                bad_item,
                "slip_item",
                {"slip_id": "not-a-uuid", "account_effect": "top_up"},
            ),
            (bad_branch, slip, "slip", {"kind": "sale"}),
            (
                bad_branch,
                bad_fields_item,
                "slip_item",
                {
                    "slip_id": str(slip),
                    "account_effect": "change_plan",
                    "service_number": number,
                    "fields": [1, 2],
                },
            ),
            (good_branch, slip, "slip", {"kind": "sale"}),
            (
                good_branch,
                good_item,
                "slip_item",
                {
                    "slip_id": str(slip),
                    "account_effect": "top_up",
                    "service_number": number,
                    "fee_fen": 700,
                },
            ),
        ]
        for branch, rid, kind, data in rows:
            conn.execute(
                text(
                    "INSERT INTO ho_record (id, record_type, branch_code, workstation_code,"
                    " envelope_version, data) VALUES (:i, :t, :b, 'W01', 1, CAST(:d AS jsonb))"
                ),
                {"i": rid, "t": kind, "b": branch, "d": orjson.dumps(data).decode()},
            )
            if kind == "slip_item":
                conn.execute(
                    text("INSERT INTO ho_pending_effect (item_id, branch_code) VALUES (:i, :b)"),
                    {"i": rid, "b": branch},
                )
    with ho_engine.begin() as conn:
        apply_pending_effects(conn, limit=10_000)
        assert load_state(conn, owner).lines[0].balance_fen == 700  # the good branch billed
        problems = dict(
            conn.execute(
                text(
                    "SELECT item_id, last_problem FROM ho_pending_effect WHERE item_id IN (:a, :b)"
                ),
                {"a": bad_item, "b": bad_fields_item},
            ).all()
        )
    assert problems[bad_item] == "waiting for related records"  # its slip can't be found
    assert "AttributeError" in problems[bad_fields_item]
    with ho_engine.begin() as conn:
        conn.execute(
            text("UPDATE ho_pending_effect SET attempts = :n WHERE item_id IN (:a, :b)"),
            {"n": MAX_ATTEMPTS_BEFORE_SKIP, "a": bad_item, "b": bad_fields_item},
        )
        apply_pending_effects(conn, limit=10_000)
        outcomes = dict(
            conn.execute(
                text("SELECT item_id, outcome FROM ho_effect_log WHERE item_id IN (:a, :b)"),
                {"a": bad_item, "b": bad_fields_item},
            ).all()
        )
        left = conn.execute(
            text("SELECT count(*) FROM ho_pending_effect WHERE item_id IN (:a, :b)"),
            {"a": bad_item, "b": bad_fields_item},
        ).scalar_one()
    assert left == 0
    assert outcomes[bad_item].startswith(f"skipped after {MAX_ATTEMPTS_BEFORE_SKIP} attempts")
    assert "AttributeError" in outcomes[bad_fields_item]


def test_a_batch_postgresql_refuses_is_stored_record_by_record(ho_engine):
    """The schema is the first line; should PostgreSQL still refuse a value in a batch,
    the batch is stored again one record at a time and only that record quarantined."""
    from frontdesk.headoffice.ingest import BatchResult, store_checked

    branch = unique_branch()
    good = [
        {"i": str(uuid.uuid4()), "t": "complaint", "v": 1, "d": {"n": n}, "dt": NOW.isoformat()}
        for n in range(3)
    ]
    refused = {"i": str(uuid.uuid4()), "t": "complaint", "v": 1, "d": {}, "dt": "not a time"}
    result, quarantine = BatchResult(), []
    with ho_engine.begin() as conn:
        store_checked(
            conn,
            [*good[:2], refused, good[2]],
            [0, 1, 2, 3],
            result,
            quarantine,
            branch=branch,
            workstation="W01",
            skew_seconds=0,
            flagged=False,
        )
        stored = conn.execute(
            text("SELECT count(*) FROM ho_record WHERE branch_code = :b"), {"b": branch}
        ).scalar_one()
    assert stored == 3 and result.stored == 3 and result.duplicates == 0
    assert [(r.index, r.record_id) for r in result.rejected] == [(2, refused["i"])]
    assert "could not store" in result.rejected[0].reason
    assert "timestamp" in result.rejected[0].reason
    assert quarantine[0]["r"] == result.rejected[0].reason


def test_a_second_counter_of_the_branch_is_unaffected(tmp_path: Path, counter, ho_engine, ho_admin):
    """Another counter keeps pushing while the first one sends poison."""
    ws = new_workstation(tmp_path, branch=counter.branch, ws_code="W02")
    enrol(ws, ho_engine, ho_admin.url)
    other = Counter(ws, ho_admin.url)
    other.manager = counter.manager  # the branch's manager, at the other counter
    day = other.day()
    for rec in day:
        rec["workstation"] = "W02"
    poison = counter.day()
    poison[0]["data"]["event"] = "opened\x00"
    assert counter.push(poison).json()["rejected"][0]["id"] == poison[0]["id"]
    assert other.push(day).json()["stored"] == len(day)
    readers_answer(other)
    ws.close()


def test_a_counter_that_pushed_a_nul_record_drains_the_rest_of_its_outbox(
    tmp_path: Path, ho_engine, ho_admin
):
    """End to end, as reported: a complaint whose text carries a NUL (typed before the
    counter refused control characters) sits in the outbox between sales. The pass
    quarantines it and stores everything else; the counter shows one rejection."""
    from sqlalchemy import select

    from frontdesk.services.syncpass import run_pass
    from frontdesk.store.models import Complaint, OutboxEntry
    from frontdesk.sync.service import client_for
    from frontdesk.sync.status import read_status

    from .factory import write_sales

    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_admin.url)
    write_sales(ws, 5)
    with ws.db.unit_of_work() as uow:
        complaint = Complaint(
            complaint_no="C-NUL-1",
            category="billing",
            description="扣费\x00两次",
            contact_phone="13800138000",
            first_responsible_id=uuid.uuid4(),
            deadline_at=NOW + dt.timedelta(days=2),
            branch_code=ws.identity.branch_code,
        )
        uow.session.add(complaint)
        uow.commit()
        poison = complaint.id
    write_sales(ws, 5)
    with client_for(ws) as client:
        report = run_pass(ws, client)
    assert [r[0] for r in report.push.rejected] == [poison]
    status = read_status(ws.db)
    assert status.pending == 0 and status.rejected == 1
    with ws.db.reader() as s:
        sent = {str(r) for r in s.scalars(select(OutboxEntry.record_id))} - {str(poison)}
    with ho_engine.connect() as conn:
        stored = {
            str(r)
            for r in conn.execute(
                text("SELECT id FROM ho_record WHERE branch_code = :b"),
                {"b": ws.identity.branch_code},
            ).scalars()
        }
    assert stored == sent
    write_sales(ws, 2)  # and the passes after it go on as usual
    with client_for(ws) as client:
        assert run_pass(ws, client).push.stored > 0
    assert read_status(ws.db).pending == 0
    ws.close()


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=0001-01-01&to=0001-01-02", "from"), ("from=9998-12-30&to=9999-01-01", "to")],
)
def test_report_rows_at_the_edges_of_the_calendar_are_refused_not_500(counter, query, field):
    r = counter.get("/v1/report-rows?" + query)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == field


def test_a_uuid_resent_with_different_content_is_quarantined_not_called_duplicate(
    counter, ho_engine
):
    """A cloned or faulty counter re-using a UUID for another fact would lose data
    silently if head office answered "duplicate" without looking."""
    day = counter.day()
    assert counter.push(day).json()["stored"] == len(day)
    payment = copy.deepcopy(next(r for r in day if r["type"] == "payment"))
    same = counter.push([copy.deepcopy(payment)]).json()
    assert same["duplicates"] == 1 and same["rejected"] == []
    payment["data"]["amount_fen"] = 1  # the same UUID, another fact
    changed = counter.push([payment]).json()
    assert changed["duplicates"] == 0 and changed["stored"] == 0
    assert [r["id"] for r in changed["rejected"]] == [payment["id"]]
    assert "different content" in changed["rejected"][0]["reason"]
    with ho_engine.connect() as conn:
        kept = conn.execute(
            text("SELECT data->>'amount_fen' FROM ho_record WHERE id = :i"), {"i": payment["id"]}
        ).scalar_one()
    assert kept == "5000"  # the first one stays
    twice = counter.day()
    other = copy.deepcopy(twice[1])
    other["data"]["total_fen"] = 1
    answer = counter.push([*twice, other]).json()
    assert answer["stored"] == len(twice)
    assert [r["index"] for r in answer["rejected"]] == [len(twice)]
    assert "sent twice in this batch" in answer["rejected"][0]["reason"]
