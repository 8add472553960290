"""Branch-wide figures for a counter's branch: the day summary, a manager's session and
the branch's report rows (a manager's token of that branch only; docs/reports.md)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, text

from ..protocol.wire import H_MANAGER
from .api_types import ApiError, Credential
from .http import (
    ERRORS,
    FIRST_DAY,
    LAST_DAY,
    AppState,
    Conn,
    Cred,
    ManagerSessionRequest,
    Versions,
    body_schema,
    conn_dep,
    now,
    parse_body,
    state_of,
)
from .managers import check_manager, issue_token, token_holder
from .reports import MAX_REPORT_DAYS, report_rows

router = APIRouter()


@router.get("/v1/summary", responses=ERRORS)
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


@router.post(
    "/v1/manager-session", responses=ERRORS, openapi_extra=body_schema(ManagerSessionRequest)
)
async def manager_session(
    request: Request, versions: Versions, cred: Cred, conn: Conn
) -> dict[str, Any]:
    body = await parse_body(request, ManagerSessionRequest)
    return await asyncio.to_thread(_manager_session, state_of(request), conn, cred, body)


def _manager_session(
    state: AppState, conn: Connection, cred: Credential, body: ManagerSessionRequest
) -> dict[str, Any]:
    """A manager (or IT admin) of the caller's branch, checked against the staff
    dataset head office published: the same refusal for every wrong case."""
    attempts = state.manager_attempts
    if attempts.locked(cred.branch, body.username):
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
        attempts.failed(cred.branch, body.username)
        raise ApiError(
            403,
            "not_a_manager",
            "username or password wrong, or not a manager of this branch",
            "username",
        )
    attempts.succeeded(cred.branch, body.username)
    key = state.manager_key(conn)
    conn.rollback()
    token, expires = issue_token(key, cred.branch, body.username, role, now())
    return {
        "token": token,
        "branch": cred.branch,
        "username": body.username,
        "role": role,
        "expires_at": expires.isoformat(),
        "expires_in": int((expires - now()).total_seconds()),
    }


@router.get("/v1/report-rows", responses=ERRORS)
def report_rows_of_branch(
    request: Request,
    versions: Versions,
    cred: Cred,
    conn: Conn,
    date_from: Annotated[dt.date, Query(alias="from", description="first business day")],
    date_to: Annotated[dt.date, Query(alias="to", description="last business day")],
    manager: Annotated[str | None, Header(alias=H_MANAGER)] = None,
) -> Response:
    holder = token_holder(state_of(request).manager_key(conn), manager, now())
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
        rows = report_rows(conn, cred.branch, date_from, date_to, now(), helper=helper)
        helper.rollback()
    conn.rollback()
    return Response(orjson.dumps(rows), media_type="application/json")
