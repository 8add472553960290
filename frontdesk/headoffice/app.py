"""The head-office HTTP API (FastAPI). Start it with ``frontdesk headoffice serve``.

Every request states protocol, app and schema versions in headers; every answer to bad
input is a 4xx whose body names the field (``{"error": ..., "problems": [{"field",
"message"}]}``) — never a 500. A push is acknowledged only after its transaction
committed. Endpoints (docs/sync.md has the full contract):

- ``GET  /health`` — liveness + database reachability (no credential)
- ``POST /v1/enrol`` — one-time code → workstation credential + operator look-up key
- ``POST /v1/push`` — a batch of outbox envelopes → stored / duplicates / rejected
- ``POST /v1/pull`` — datasets newer than the versions the counter holds
- ``GET  /v1/number-count/{id_hash}`` — 一证五号 count by keyed hash
- ``GET  /v1/accounts/{id_hash}`` — a customer's current account state by keyed hash
- ``GET  /v1/number-count-all/{id_hash}`` — 一证通查: numbers across operators (adapter)
- ``GET  /v1/summary?date=`` — branch-wide day summary for the caller's branch
- ``POST /v1/manager-session`` — a manager's password → a 10-minute branch token
- ``GET  /v1/report-rows?from=&to=`` — the branch's grouped report rows (every counter),
  for a manager's token of that branch only (header ``X-Frontdesk-Manager``)
- ``GET  /v1/admin/silent`` — counters silent for more than N hours (admin token)
- ``GET  /v1/admin/work-orders?branch=`` — a branch's escalated complaints (admin token)
- ``POST /v1/admin/work-orders/{complaint_id}`` — head office's status change (admin token)
- ``GET  /v1/work-orders/updates?after=`` — the caller's work-order changes since a cursor
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import re
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ..sync.protocol import (
    DATASET_KINDS,
    DATASET_SCHEMA,
    DEFAULT_PUSH_IN_FLIGHT,
    H_APP,
    H_DEVICE_TIME,
    H_MANAGER,
    H_PROTOCOL,
    H_SCHEMA,
    MAX_BATCH_RECORDS,
    MAX_BODY_BYTES,
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
)
from . import accounts, admin
from .admin import (
    canonical_digest,
    normalise_code,
    own_blocks,
    sha256_hex,
    silent_workstations,
)
from .api_types import (
    ApiError,
    ClientVersions,
    Credential,
    bearer_token,
    credential_refusal,
    problem_body,
)
from .db import make_engine, resolve_url
from .integrity import AnchorRequest, changed_counters, record_anchor
from .limits import BodyLimit, CredentialGate
from .managers import AttemptLimit, check_manager, issue_token, token_holder, token_key
from .national import SimulatedNationalCheck, count_all_operators
from .push import authenticate_push, store_push
from .reports import MAX_REPORT_DAYS, report_rows
from .settings import Settings, load_settings
from .workorders import WorkOrderError, add_update, list_work_orders, updates_for

log = logging.getLogger("frontdesk.headoffice")
ID_HASH = re.compile(r"^[0-9a-f]{64}$")
BIGINT_MAX = 2**63 - 1  # PostgreSQL's bigint
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9998, 12, 31)  # report-rows' range
# pushes one credential may have in progress in one process: the counter's pipeline
# plus one retry overlapping a batch whose connection broke
MAX_PUSHES_PER_CREDENTIAL = DEFAULT_PUSH_IN_FLIGHT + 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # line breaks and tabs pass
FAULT_ENV = "FRONTDESK_HO_FAULT"  # test-only fault injection, see _fault()


# -- request / response models ---------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrolRequest(_Strict):
    code: str = Field(min_length=4, max_length=40)
    branch: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    workstation: str = Field(pattern=r"^[A-Z0-9]{2,12}$")


class PushRequest(_Strict):
    batch_id: str | None = Field(default=None, max_length=64)
    records: list[Any] = Field(max_length=MAX_BATCH_RECORDS)
    # Pipelined push (docs/sync.md): the counter's outbox position of this batch's last
    # record, and of the last record of the batch it sent just before (still in flight).
    outbox_to: int | None = Field(default=None, ge=0, le=BIGINT_MAX)
    follows: int | None = Field(default=None, ge=0, le=BIGINT_MAX)


class WorkOrderUpdateRequest(_Strict):
    branch: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    status: str = Field(min_length=1, max_length=16)
    text: str | None = Field(default=None, max_length=1900)
    update_id: uuid.UUID | None = None

    @field_validator("text")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and _CONTROL.search(value):
            raise ValueError("control characters (NUL and the like) are not allowed")
        return value


class ManagerSessionRequest(_Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class PullRequest(_Strict):
    have: dict[str, int] = Field(default_factory=dict)
    schema_: int = Field(default=DATASET_SCHEMA, alias="schema", ge=1)


class ProblemItem(BaseModel):
    field: str
    message: str


class ProblemBody(BaseModel):
    """Every refusal: a machine code and the fields at fault."""

    error: str
    problems: list[ProblemItem]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemBody, "description": text_}
    for status, text_ in (
        (400, "a required header is missing or malformed"),
        (401, "no credential, or one head office does not know"),
        (403, "revoked credential, bad enrolment code, admin token required"),
        (404, "no such record"),
        (409, "workstation flagged, or the change conflicts with what is stored"),
        (413, "request body larger than the limit"),
        (415, "body is not application/json"),
        (422, "the request names a field that is wrong"),
        (426, "protocol version not supported"),
        (429, "too many failed manager sign-ins: wait and try again"),
        (503, "busy or database unavailable: retry shortly"),
    )
}


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """The request body in the OpenAPI schema: bodies are read by :func:`_parse` (orjson,
    then the model), so FastAPI would not describe them by itself."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


# -- dependencies (module level: FastAPI resolves annotations in module globals) ------
def conn_dep(request: Request) -> Iterator[Connection]:
    try:
        conn = request.app.state.engine.connect()
    except PoolTimeoutError as exc:  # overloaded: every connection busy — retry shortly
        raise ApiError(503, "busy", "head office is busy; retry shortly") from exc
    except (OperationalError, DBAPIError) as exc:
        raise ApiError(503, "database_unavailable", "head office database unreachable") from exc
    try:
        yield conn
    finally:
        conn.close()


Conn = Annotated[Connection, Depends(conn_dep)]


async def versions_dep(
    protocol: Annotated[str | None, Header(alias=H_PROTOCOL)] = None,
    app_version: Annotated[str | None, Header(alias=H_APP)] = None,
    schema: Annotated[str | None, Header(alias=H_SCHEMA)] = None,
    device_time: Annotated[str | None, Header(alias=H_DEVICE_TIME)] = None,
) -> ClientVersions:
    if protocol is None:
        raise ApiError(400, "missing_header", f"header {H_PROTOCOL} is required", H_PROTOCOL)
    try:
        proto = int(protocol)
    except ValueError:
        raise ApiError(400, "bad_header", f"{H_PROTOCOL} must be an integer", H_PROTOCOL) from None
    if proto not in SUPPORTED_PROTOCOLS:
        raise ApiError(
            426,
            "unsupported_protocol",
            f"protocol {proto} not supported; this server speaks "
            f"{sorted(SUPPORTED_PROTOCOLS)} — update the counter software",
            H_PROTOCOL,
        )
    for name, value in ((H_APP, app_version), (H_SCHEMA, schema)):
        if not value:
            raise ApiError(400, "missing_header", f"header {name} is required", name)
        if len(value) > 32:
            raise ApiError(400, "bad_header", f"{name} is longer than 32 characters", name)
    when = None
    if device_time:
        try:
            when = dt.datetime.fromisoformat(device_time)
        except ValueError:
            raise ApiError(
                400, "bad_header", f"{H_DEVICE_TIME} must be an ISO 8601 time", H_DEVICE_TIME
            ) from None
        if when.tzinfo is None:
            raise ApiError(
                400, "bad_header", f"{H_DEVICE_TIME} must carry a UTC offset", H_DEVICE_TIME
            )
    elif proto >= 2:
        raise ApiError(400, "missing_header", f"header {H_DEVICE_TIME} is required", H_DEVICE_TIME)
    return ClientVersions(proto, str(app_version), str(schema), when)


Versions = Annotated[ClientVersions, Depends(versions_dep)]


def credential_dep(
    conn: Conn,
    versions: Versions,
    authorization: Annotated[str | None, Header()] = None,
) -> Credential:
    token_hash = sha256_hex(bearer_token(authorization))
    # A plain read: bookkeeping (last seen, versions) rides in the push transaction, or a
    # throttled update below, so authentication costs no extra commit (fsync) per request.
    row = conn.execute(
        text(
            "SELECT branch_code, workstation_code, status, status_reason,"
            " last_seen_at IS NULL OR last_seen_at < now() - interval '60 seconds' AS stale"
            " FROM ho_workstation WHERE token_hash = :h"
        ),
        {"h": token_hash},
    ).first()
    refusal = credential_refusal(row)
    if row is None or row.status == "revoked":
        conn.rollback()
        assert refusal is not None
        raise refusal
    if row.stale:  # a flagged workstation is still seen: IT wants to know it is alive
        conn.execute(
            text(
                "UPDATE ho_workstation SET last_seen_at = now(), last_app_version = :a,"
                " last_protocol = :p, last_schema = :s WHERE token_hash = :h"
            ),
            {"h": token_hash, "a": versions.app, "p": versions.protocol, "s": versions.schema},
        )
        conn.commit()
    else:
        conn.rollback()
    if refusal is not None:  # flagged: refused, but its bookkeeping above is kept
        raise refusal
    return Credential(row.branch_code, row.workstation_code)


Cred = Annotated[Credential, Depends(credential_dep)]


# -- application ---------------------------------------------------------------------
def create_app(settings: Settings | None = None, url: str | None = None) -> FastAPI:
    """Build the app; ``uvicorn --factory frontdesk.headoffice.app:create_app`` works too."""
    settings = settings or load_settings()
    db_url = url or resolve_url(settings)
    engine = make_engine(
        db_url, settings.database.pool_size, settings.database.pool_timeout_seconds
    )
    fault = _Fault(os.environ.get(FAULT_ENV, ""))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(
            _effect_loop(engine, settings.server.apply_effects_every_seconds)
        )
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            engine.dispose()

    # No /docs, /redoc or /openapi.json: head office faces every counter of the province,
    # and its schema is for the test suite (``create_app(...).openapi()``), not the world.
    app = FastAPI(
        title="frontdesk head office",
        version=str(PROTOCOL_VERSION),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    _install_error_handlers(app)
    pushes = CredentialGate(MAX_PUSHES_PER_CREDENTIAL)
    manager_attempts = AttemptLimit()
    signing_keys: list[bytes] = []  # the manager-token key, read once per process

    def manager_key(conn: Connection) -> bytes:
        if not signing_keys:
            signing_keys.append(token_key(conn))
            conn.commit()
        return signing_keys[0]

    @app.get("/health", responses=ERRORS)
    def health(conn: Conn) -> dict[str, Any]:
        try:
            conn.execute(text("SELECT 1 FROM ho_secret LIMIT 1"))
        except DBAPIError as exc:
            raise ApiError(503, "database_unavailable", "database not ready (run init-db)") from exc
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "time": _now().isoformat()}

    @app.post("/v1/enrol", responses=ERRORS, openapi_extra=_body(EnrolRequest))
    async def enrol(request: Request, versions: Versions, conn: Conn) -> dict[str, Any]:
        body = await _parse(request, EnrolRequest)
        return await asyncio.to_thread(_enrol, conn, body)

    def _enrol(conn: Connection, body: EnrolRequest) -> dict[str, Any]:
        claimed = conn.execute(
            text(
                "UPDATE ho_enrolment_code SET used_at = now() WHERE code_hash = :h"
                " AND used_at IS NULL AND expires_at > now()"
                " RETURNING branch_code, workstation_code"
            ),
            {"h": sha256_hex(normalise_code(body.code))},
        ).first()
        if claimed is None or (claimed.branch_code, claimed.workstation_code) != (
            body.branch,
            body.workstation,
        ):
            conn.rollback()
            raise ApiError(
                403,
                "bad_enrolment_code",
                "enrolment code unknown, used, expired or issued for another workstation",
                "code",
            )
        token = secrets.token_urlsafe(32)
        conn.execute(
            text(
                "INSERT INTO ho_workstation (branch_code, workstation_code, token_hash, status,"
                " enrolled_at) VALUES (:b, :w, :t, 'active', now()) ON CONFLICT"
                " (branch_code, workstation_code) DO UPDATE SET token_hash = :t, status = 'active',"
                " status_reason = NULL, enrolled_at = now()"
            ),
            {"b": body.branch, "w": body.workstation, "t": sha256_hex(token)},
        )
        key = _lookup_key(conn)
        conn.commit()
        return {
            "branch": body.branch,
            "workstation": body.workstation,
            "token": token,
            "lookup_key": key,
            "server_time": _now().isoformat(),
        }

    @app.post("/v1/push", responses=ERRORS, openapi_extra=_body(PushRequest))
    async def push(
        request: Request,
        versions: Versions,
        authorization: Annotated[str | None, Header()] = None,
    ) -> Response:
        # The body is read before a database connection is taken: a slow upload of a
        # big batch must not hold one of the pool's connections while it trickles in.
        body = await _parse(request, PushRequest)

        def work() -> dict[str, Any]:
            with contextlib.contextmanager(conn_dep)(request) as conn:
                cred = authenticate_push(
                    conn, authorization, body.follows, settings.sync.push_order_wait_seconds
                )
                now = _now()
                result = store_push(
                    conn,
                    body.records,
                    cred=cred,
                    versions=versions,
                    outbox_to=body.outbox_to,
                    now=now,
                    skew_limit=settings.sync.skew_flag_seconds,
                )
            fault.after_commit()
            answer: dict[str, Any] = {
                "stored": result.stored,
                "duplicates": result.duplicates,
                "rejected": [
                    {"index": r.index, "id": r.record_id, "reason": r.reason}
                    for r in result.rejected
                ],
            }
            if versions.protocol >= 2:
                answer["batch_id"] = body.batch_id
                answer["server_time"] = now.isoformat()
                answer["skew_flagged"] = result.skew_flagged
            return answer

        with pushes.enter(authorization) as admitted:
            if not admitted:
                raise ApiError(
                    503,
                    "busy",
                    f"this credential already has {MAX_PUSHES_PER_CREDENTIAL} pushes in"
                    " progress; retry shortly",
                    "Authorization",
                )
            result = await asyncio.to_thread(work)
        return Response(orjson.dumps(result), media_type="application/json")

    @app.post("/v1/pull", responses=ERRORS, openapi_extra=_body(PullRequest))
    async def pull(request: Request, versions: Versions, cred: Cred, conn: Conn) -> Response:
        body = await _parse(request, PullRequest)
        for kind in body.have:
            if kind not in DATASET_KINDS:
                raise ApiError(422, "invalid_request", f"unknown dataset {kind!r}", f"have.{kind}")
        result = await asyncio.to_thread(_pull, conn, body, cred)
        return Response(orjson.dumps(result), media_type="application/json")

    def _pull(conn: Connection, body: PullRequest, cred: Credential) -> dict[str, Any]:
        out = []
        for kind in DATASET_KINDS:
            row = conn.execute(
                text(
                    "SELECT version, schema, body FROM ho_dataset WHERE kind = :k AND schema <= :s"
                    " ORDER BY version DESC LIMIT 1"
                ),
                {"k": kind, "s": body.schema_},
            ).first()
            if row is None or row.version <= body.have.get(kind, 0):
                continue
            data = row.body
            if kind == "staff":  # a counter only learns its own branch's staff
                data = {
                    "staff": [
                        s
                        for s in data.get("staff", [])
                        if s.get("branch_code") in (cred.branch, "*")
                    ]
                }
            elif kind == "numbers":  # a counter only learns its own block (号码资源)
                data = {"blocks": own_blocks(data, cred.branch, cred.workstation)}
            out.append(
                {
                    "kind": kind,
                    "version": row.version,
                    "schema": row.schema,
                    "digest": canonical_digest(data),
                    "body": data,
                }
            )
        conn.rollback()
        return {"datasets": out, "server_time": _now().isoformat()}

    def _id_hash(id_hash: str) -> str:
        if not ID_HASH.match(id_hash):
            raise ApiError(
                422,
                "invalid_request",
                "must be 64 lowercase hex characters (keyed hash)",
                "id_hash",
            )
        return id_hash

    @app.get("/v1/number-count/{id_hash}", responses=ERRORS)
    def number_count(id_hash: str, versions: Versions, cred: Cred, conn: Conn) -> dict[str, Any]:
        h = _id_hash(id_hash)
        _apply_effects_for(conn, h)
        count = accounts.count_numbers(conn, h)
        conn.rollback()
        return {"id_hash": h, "count": count, "as_of": _now().isoformat()}

    national = SimulatedNationalCheck()

    @app.get("/v1/number-count-all/{id_hash}", responses=ERRORS)
    def number_count_all(
        id_hash: str, versions: Versions, cred: Cred, conn: Conn
    ) -> dict[str, Any]:
        """一证通查: own billing data + the national service's answer for other operators."""
        h = _id_hash(id_hash)
        _apply_effects_for(conn, h)
        answer = count_all_operators(conn, h, national)
        conn.rollback()
        return {"id_hash": h, **answer, "as_of": _now().isoformat()}

    @app.get("/v1/last-numbers", responses=ERRORS)
    def last_numbers(versions: Versions, cred: Cred, conn: Conn) -> dict[str, Any]:
        """The highest slip/receipt sequence stored for this workstation: a counter
        restored from an older backup continues after them (docs/install.md)."""
        found = admin.last_numbers(conn, cred.branch, cred.workstation)
        conn.rollback()
        return {"numbers": found, "as_of": _now().isoformat()}

    @app.get("/v1/accounts/{id_hash}", responses=ERRORS)
    def account(id_hash: str, versions: Versions, cred: Cred, conn: Conn) -> dict[str, Any]:
        h = _id_hash(id_hash)
        _apply_effects_for(conn, h)
        state = accounts.load_state(conn, h)
        conn.rollback()
        return {
            "id_hash": h,
            "known": state is not None,
            "state": accounts.state_json(state) if state is not None else None,
            "as_of": _now().isoformat(),
        }

    def _apply_effects_for(conn: Connection, id_hash: str) -> None:
        """Answers about accounts include every effect already received, not a stale view."""
        try:
            accounts.apply_pending_effects(conn)
            conn.commit()
        except DBAPIError:
            conn.rollback()

    @app.get("/v1/summary", responses=ERRORS)
    def summary(
        versions: Versions,
        cred: Cred,
        conn: Conn,
        date: Annotated[dt.date, Query(description="business date, YYYY-MM-DD")],
    ) -> dict[str, Any]:
        rows = conn.execute(
            text(
                "SELECT workstation_code, count(*) AS slips,"
                " coalesce(sum((data->>'total_fen')::bigint), 0) AS total_fen"
                " FROM ho_record WHERE branch_code = :b AND record_type = 'slip'"
                " AND data->>'business_date' = :d GROUP BY workstation_code ORDER BY 1"
            ),
            {"b": cred.branch, "d": date.isoformat()},
        ).all()
        pay = conn.execute(
            text(
                "SELECT p.data->>'method' AS method, sum((p.data->>'amount_fen')::bigint) AS fen"
                " FROM ho_record s JOIN ho_record p ON p.record_type = 'payment'"
                " AND p.branch_code = s.branch_code AND p.data->>'slip_id' = s.id::text"
                " WHERE s.branch_code = :b AND s.record_type = 'slip'"
                " AND s.data->>'business_date' = :d GROUP BY 1 ORDER BY 1"
            ),
            {"b": cred.branch, "d": date.isoformat()},
        ).all()
        conn.rollback()
        return {
            "branch": cred.branch,
            "date": date.isoformat(),
            "workstations": [
                {"workstation": r.workstation_code, "slips": r.slips, "total_fen": int(r.total_fen)}
                for r in rows
            ],
            "payments_fen": {r.method: int(r.fen) for r in pay},
            "total_fen": sum(int(r.total_fen) for r in rows),
        }

    @app.post("/v1/manager-session", responses=ERRORS, openapi_extra=_body(ManagerSessionRequest))
    async def manager_session(
        request: Request, versions: Versions, cred: Cred, conn: Conn
    ) -> dict[str, Any]:
        body = await _parse(request, ManagerSessionRequest)
        return await asyncio.to_thread(_manager_session, conn, cred, body)

    def _manager_session(
        conn: Connection, cred: Credential, body: ManagerSessionRequest
    ) -> dict[str, Any]:
        """A manager (or IT admin) of the caller's branch, checked against the staff
        dataset head office published: the same refusal for every wrong case."""
        if manager_attempts.locked(cred.branch, body.username):
            conn.rollback()
            raise ApiError(
                429,
                "too_many_attempts",
                "too many failed sign-ins for this username at this branch; wait 5 minutes",
                "username",
            )
        role = check_manager(conn, cred.branch, body.username, body.password)
        if role is None:
            conn.rollback()
            manager_attempts.failed(cred.branch, body.username)
            raise ApiError(
                403,
                "not_a_manager",
                "username or password wrong, or not a manager of this branch",
                "username",
            )
        manager_attempts.succeeded(cred.branch, body.username)
        key = manager_key(conn)
        conn.rollback()
        token, expires = issue_token(key, cred.branch, body.username, role, _now())
        return {
            "token": token,
            "branch": cred.branch,
            "username": body.username,
            "role": role,
            "expires_at": expires.isoformat(),
            "expires_in": int((expires - _now()).total_seconds()),
        }

    @app.get("/v1/report-rows", responses=ERRORS)
    def report_rows_of_branch(
        request: Request,
        versions: Versions,
        cred: Cred,
        conn: Conn,
        date_from: Annotated[dt.date, Query(alias="from", description="first business day")],
        date_to: Annotated[dt.date, Query(alias="to", description="last business day")],
        manager: Annotated[str | None, Header(alias=H_MANAGER)] = None,
    ) -> Response:
        holder = token_holder(manager_key(conn), manager, _now())
        if holder is None or holder.branch != cred.branch:
            raise ApiError(
                403,
                "manager_required",
                f"{H_MANAGER}: the branch's report rows need a manager's token of this branch"
                " (POST /v1/manager-session); absent, expired or not valid here",
                H_MANAGER,
            )
        for name, day in (("from", date_from), ("to", date_to)):
            if not FIRST_DAY <= day <= LAST_DAY:  # year 1 in UTC+8 is before year 1 in UTC
                raise ApiError(
                    422,
                    "invalid_request",
                    f"{name}: must be between {FIRST_DAY} and {LAST_DAY}",
                    name,
                )
        if date_to < date_from:
            raise ApiError(422, "invalid_request", "to: before from", "to")
        if (date_to - date_from).days + 1 > MAX_REPORT_DAYS:
            raise ApiError(
                422, "invalid_request", f"to: at most {MAX_REPORT_DAYS} days per request", "to"
            )
        # a second connection reads the visits beside the money, in the same snapshot
        with contextlib.contextmanager(conn_dep)(request) as helper:
            rows = report_rows(conn, cred.branch, date_from, date_to, _now(), helper=helper)
            helper.rollback()
        conn.rollback()
        return Response(orjson.dumps(rows), media_type="application/json")

    @app.get("/v1/admin/silent", responses=ERRORS)
    def silent(
        conn: Conn,
        authorization: Annotated[str | None, Header()] = None,
        hours: Annotated[int, Query(ge=1, le=24 * 365)] = 24,
    ) -> dict[str, Any]:
        token = settings.sync.admin_token
        if not token or authorization != f"Bearer {token}":
            raise ApiError(403, "admin_only", "admin token required", "Authorization")
        found = silent_workstations(conn, hours)
        return {
            "hours": hours,
            "workstations": [
                {
                    "branch": s.branch_code,
                    "workstation": s.workstation_code,
                    "status": s.status,
                    "last_seen_at": s.last_seen_at.isoformat() if s.last_seen_at else None,
                }
                for s in found
            ],
        }

    def _admin_only(authorization: str | None) -> None:
        token = settings.sync.admin_token
        given = (authorization or "").encode("utf-8")
        if not token or not secrets.compare_digest(given, f"Bearer {token}".encode()):
            raise ApiError(403, "admin_only", "admin token required", "Authorization")

    # -- tamper evidence: the counter's chain head and totals (headoffice/integrity.py) --
    @app.post("/v1/integrity", responses=ERRORS, openapi_extra=_body(AnchorRequest))
    async def integrity_anchor(
        request: Request, versions: Versions, cred: Cred, conn: Conn
    ) -> dict[str, Any]:
        body = await _parse(request, AnchorRequest)
        minutes = settings.sync.integrity_totals_minutes
        return await asyncio.to_thread(
            record_anchor, conn, cred, body, totals_every_minutes=minutes
        )

    @app.get("/v1/admin/integrity", responses=ERRORS)
    def integrity_changed(
        conn: Conn, authorization: Annotated[str | None, Header()] = None
    ) -> dict[str, Any]:
        _admin_only(authorization)
        found = changed_counters(conn)
        conn.rollback()
        return {
            "changed": [
                {
                    "branch": c.branch_code,
                    "workstation": c.workstation_code,
                    "changed_at": c.changed_at.isoformat() if c.changed_at else None,
                    "findings": c.findings,
                }
                for c in found
            ]
        }

    # -- work orders (escalated complaints, docs/complaints.md) ----------------------
    @app.get("/v1/admin/work-orders", responses=ERRORS)
    def work_orders(
        conn: Conn,
        branch: Annotated[str, Query(pattern=r"^[A-Z0-9]{2,12}$")],
        authorization: Annotated[str | None, Header()] = None,
        include_closed: bool = False,
    ) -> dict[str, Any]:
        _admin_only(authorization)
        orders = list_work_orders(conn, branch, include_closed=include_closed)
        conn.rollback()
        return {"branch": branch, "work_orders": orders}

    @app.post(
        "/v1/admin/work-orders/{complaint_id}",
        responses=ERRORS,
        openapi_extra=_body(WorkOrderUpdateRequest),
    )
    async def work_order_update(
        complaint_id: uuid.UUID,
        request: Request,
        conn: Conn,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        _admin_only(authorization)
        body = await _parse(request, WorkOrderUpdateRequest)
        return await asyncio.to_thread(_work_order_update, conn, complaint_id, body)

    def _work_order_update(
        conn: Connection, complaint_id: uuid.UUID, body: WorkOrderUpdateRequest
    ) -> dict[str, Any]:
        try:
            update = add_update(
                conn,
                body.branch,
                complaint_id,
                body.status,
                body.text,
                update_id=body.update_id,
                now=_now(),
            )
        except WorkOrderError as exc:
            conn.rollback()
            raise ApiError(exc.status, exc.error, exc.message, exc.field) from None
        conn.commit()
        return {"update": update.to_json()}

    @app.get("/v1/work-orders/updates", responses=ERRORS)
    def work_order_updates(
        versions: Versions,
        cred: Cred,
        conn: Conn,
        after: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        found = updates_for(conn, cred.branch, cred.workstation, after)
        conn.rollback()
        return {
            "updates": [u.to_json() for u in found],
            "last_seq": found[-1].seq if found else after,
        }

    return app


def _lookup_key(conn: Connection) -> str:
    value = conn.execute(text("SELECT value FROM ho_secret WHERE name = 'lookup_key'")).scalar()
    if value is None:
        raise ApiError(503, "not_initialised", "head office has no look-up key; run init-db")
    return str(value)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


M = TypeVar("M", bound=BaseModel)


async def _parse(request: Request, model: type[M]) -> M:
    """Parse and validate the raw body; every error names its field."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"body larger than {MAX_BODY_BYTES} bytes", "body")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"body larger than {MAX_BODY_BYTES} bytes", "body")
    if not raw:
        raise ApiError(422, "invalid_request", "request body is empty; JSON expected", "body")
    try:
        # orjson builds the Python objects about twice as fast as pydantic's JSON mode
        # (a push carries thousands of records); pydantic then checks the shape of the
        # few top-level fields. Anything orjson can't read goes to pydantic's own parser,
        # whose errors name the field; what only pydantic reads (Infinity, NaN) is refused
        # — it would be stored as null.
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            model.model_validate_json(raw)  # its error names what is wrong, and where
            # valid to pydantic, not to orjson: Infinity, NaN or a number past a double
            raise ApiError(
                422,
                "invalid_request",
                "body: numbers must be finite (no Infinity, NaN or 1e400)",
                "body",
            ) from None
        return model.model_validate(parsed)
    except ValidationError as exc:
        raise _validation_error(exc.errors()) from None


def _validation_error(errors: Any) -> ApiError:
    problems = _problems(errors)
    first = problems[0] if problems else {"field": "body", "message": "invalid"}
    err = ApiError(422, "invalid_request", f"{first['field']}: {first['message']}", first["field"])
    err.problems = problems  # type: ignore[attr-defined]
    return err


def _problems(errors: Any) -> list[dict[str, str]]:
    out = []
    for e in list(errors)[:20]:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body",)]
        out.append({"field": ".".join(loc) or "body", "message": str(e.get("msg", "invalid"))})
    return out


def _install_error_handlers(app: FastAPI) -> None:
    """Every refusal is JSON naming the field; unexpected bugs are logged, not leaked."""

    async def _drain(request: Request) -> None:
        """Read what is left of the request body before answering early (503 while the
        body is unread): otherwise the server must drop the keep-alive connection and
        a client still sending sees a reset instead of the answer."""
        with contextlib.suppress(Exception):
            await request.body()

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        if exc.status == 503:
            await _drain(_request)
        problems = getattr(exc, "problems", None) or [
            {"field": exc.field or "", "message": exc.message}
        ]
        headers = {"Retry-After": "1"} if exc.status == 503 else None
        return JSONResponse(
            problem_body(exc.error, problems), status_code=exc.status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(problem_body("invalid_request", _problems(exc.errors())), 422)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            problem_body("http_error", [{"field": "", "message": str(exc.detail)}]),
            exc.status_code,
        )

    @app.exception_handler(PoolTimeoutError)
    async def _busy(_request: Request, exc: PoolTimeoutError) -> JSONResponse:
        log.warning("all database connections busy: answering 503")
        await _drain(_request)
        return JSONResponse(
            problem_body("busy", [{"field": "", "message": "head office is busy; retry shortly"}]),
            503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return JSONResponse(
            problem_body("database_unavailable", [{"field": "", "message": "retry later"}]), 503
        )


class _Fault:
    """Test-only fault injection (``FRONTDESK_HO_FAULT=die_after_commit:N``): the process
    dies with SIGKILL semantics right after the N-th push commit, before answering — the
    exact moment the acceptance tests must survive. Unset in production."""

    def __init__(self, spec: str) -> None:
        self.kind, _, count = spec.partition(":")
        self.remaining = int(count) if count.isdigit() else 1

    def after_commit(self) -> None:
        if self.kind != "die_after_commit":
            return
        self.remaining -= 1
        if self.remaining <= 0:
            os._exit(137)


async def _effect_loop(engine: Engine, every: float) -> None:
    """Apply queued account effects in the background; several processes may run it."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(_apply_effects, engine)
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("applying account effects failed")


def _apply_effects(engine: Engine) -> None:
    with engine.begin() as conn:
        while accounts.apply_pending_effects(conn) >= 500:
            pass
