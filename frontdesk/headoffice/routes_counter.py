"""Routes a counter calls with its workstation credential: enrolment, push, pull,
number counts, account state, last numbers, integrity anchors, work-order updates.

docs/sync.md has the contract; ``app.create_app`` includes this router.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from ..protocol.digest import canonical_digest
from ..protocol.wire import DATASET_KINDS, PROTOCOL_VERSION
from . import accounts, admin
from .admin import normalise_code, own_blocks, sha256_hex
from .api_types import ApiError, Credential
from .http import (
    ERRORS,
    MAX_PUSHES_PER_CREDENTIAL,
    Conn,
    Cred,
    EnrolRequest,
    PullRequest,
    PushRequest,
    Versions,
    body_schema,
    checked_id_hash,
    conn_dep,
    now,
    parse_body,
    state_of,
)
from .integrity import AnchorRequest, record_anchor
from .national import count_all_operators
from .push import authenticate_push, store_push
from .workorders import updates_for

router = APIRouter()


@router.get("/health", responses=ERRORS)
def health(conn: Conn) -> dict[str, Any]:
    try:
        conn.execute(text("SELECT 1 FROM ho_secret LIMIT 1"))
    except DBAPIError as exc:
        raise ApiError(503, "database_unavailable", "database not ready (run init-db)") from exc
    return {"status": "ok", "protocol": PROTOCOL_VERSION, "time": now().isoformat()}


@router.post("/v1/enrol", responses=ERRORS, openapi_extra=body_schema(EnrolRequest))
async def enrol(request: Request, versions: Versions, conn: Conn) -> dict[str, Any]:
    body = await parse_body(request, EnrolRequest)
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
        "server_time": now().isoformat(),
    }


def _lookup_key(conn: Connection) -> str:
    value = conn.execute(text("SELECT value FROM ho_secret WHERE name = 'lookup_key'")).scalar()
    if value is None:
        raise ApiError(503, "not_initialised", "head office has no look-up key; run init-db")
    return str(value)


@router.post("/v1/push", responses=ERRORS, openapi_extra=body_schema(PushRequest))
async def push(
    request: Request,
    versions: Versions,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    # The body is read before a database connection is taken: a slow upload of a
    # big batch must not hold one of the pool's connections while it trickles in.
    body = await parse_body(request, PushRequest)
    state = state_of(request)
    settings = state.settings

    def work() -> dict[str, Any]:
        with contextlib.contextmanager(conn_dep)(request) as conn:
            cred = authenticate_push(
                conn, authorization, body.follows, settings.sync.push_order_wait_seconds
            )
            when = now()
            result = store_push(
                conn,
                body.records,
                cred=cred,
                versions=versions,
                outbox_to=body.outbox_to,
                now=when,
                skew_limit=settings.sync.skew_flag_seconds,
            )
        state.after_commit()
        answer: dict[str, Any] = {
            "stored": result.stored,
            "duplicates": result.duplicates,
            "rejected": [
                {"index": r.index, "id": r.record_id, "reason": r.reason} for r in result.rejected
            ],
        }
        if versions.protocol >= 2:
            answer["batch_id"] = body.batch_id
            answer["server_time"] = when.isoformat()
            answer["skew_flagged"] = result.skew_flagged
        return answer

    with state.pushes.enter(authorization) as admitted:
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


@router.post("/v1/pull", responses=ERRORS, openapi_extra=body_schema(PullRequest))
async def pull(request: Request, versions: Versions, cred: Cred, conn: Conn) -> Response:
    body = await parse_body(request, PullRequest)
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
                    s for s in data.get("staff", []) if s.get("branch_code") in (cred.branch, "*")
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
    return {"datasets": out, "server_time": now().isoformat()}


@router.get("/v1/number-count/{id_hash}", responses=ERRORS)
def number_count(id_hash: str, versions: Versions, cred: Cred, conn: Conn) -> dict[str, Any]:
    h = checked_id_hash(id_hash)
    _apply_effects_for(conn)
    count = accounts.count_numbers(conn, h)
    conn.rollback()
    return {"id_hash": h, "count": count, "as_of": now().isoformat()}


@router.get("/v1/number-count-all/{id_hash}", responses=ERRORS)
def number_count_all(
    id_hash: str, request: Request, versions: Versions, cred: Cred, conn: Conn
) -> dict[str, Any]:
    """一证通查: own billing data + the national service's answer for other operators."""
    h = checked_id_hash(id_hash)
    _apply_effects_for(conn)
    answer = count_all_operators(conn, h, state_of(request).national)
    conn.rollback()
    return {"id_hash": h, **answer, "as_of": now().isoformat()}


@router.get("/v1/last-numbers", responses=ERRORS)
def last_numbers(versions: Versions, cred: Cred, conn: Conn) -> dict[str, Any]:
    """The highest slip/receipt sequence stored for this workstation: a counter
    restored from an older backup continues after them (docs/install.md)."""
    found = admin.last_numbers(conn, cred.branch, cred.workstation)
    conn.rollback()
    return {"numbers": found, "as_of": now().isoformat()}


@router.get("/v1/accounts/{id_hash}", responses=ERRORS)
def account(id_hash: str, versions: Versions, cred: Cred, conn: Conn) -> dict[str, Any]:
    h = checked_id_hash(id_hash)
    _apply_effects_for(conn)
    state = accounts.load_state(conn, h)
    conn.rollback()
    return {
        "id_hash": h,
        "known": state is not None,
        "state": accounts.state_json(state) if state is not None else None,
        "as_of": now().isoformat(),
    }


def _apply_effects_for(conn: Connection) -> None:
    """Answers about accounts include every effect already received, not a stale view."""
    try:
        accounts.apply_pending_effects(conn)
        conn.commit()
    except DBAPIError:
        conn.rollback()


# -- tamper evidence: the counter's chain head and totals (headoffice/integrity.py) ------
@router.post("/v1/integrity", responses=ERRORS, openapi_extra=body_schema(AnchorRequest))
async def integrity_anchor(
    request: Request, versions: Versions, cred: Cred, conn: Conn
) -> dict[str, Any]:
    body = await parse_body(request, AnchorRequest)
    minutes = state_of(request).settings.sync.integrity_totals_minutes
    return await asyncio.to_thread(record_anchor, conn, cred, body, totals_every_minutes=minutes)


@router.get("/v1/work-orders/updates", responses=ERRORS)
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
