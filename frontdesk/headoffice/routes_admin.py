"""Head office's own routes, behind the admin token: silent counters, changed history
(tamper evidence) and the escalated complaints' work orders (docs/complaints.md)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from sqlalchemy import Connection

from .admin import silent_workstations
from .api_types import ApiError
from .http import (
    ERRORS,
    Conn,
    WorkOrderUpdateRequest,
    body_schema,
    now,
    parse_body,
    require_admin,
    state_of,
)
from .integrity import changed_counters
from .workorders import WorkOrderError, add_update, list_work_orders

router = APIRouter()


@router.get("/v1/admin/silent", responses=ERRORS)
def silent(
    request: Request,
    conn: Conn,
    authorization: Annotated[str | None, Header()] = None,
    hours: Annotated[int, Query(ge=1, le=24 * 365)] = 24,
) -> dict[str, Any]:
    token = state_of(request).settings.sync.admin_token
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


@router.get("/v1/admin/integrity", responses=ERRORS)
def integrity_changed(
    request: Request, conn: Conn, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    require_admin(state_of(request).settings, authorization)
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


# -- work orders (escalated complaints, docs/complaints.md) ------------------------------
@router.get("/v1/admin/work-orders", responses=ERRORS)
def work_orders(
    request: Request,
    conn: Conn,
    branch: Annotated[str, Query(pattern=r"^[A-Z0-9]{2,12}$")],
    authorization: Annotated[str | None, Header()] = None,
    include_closed: bool = False,
) -> dict[str, Any]:
    require_admin(state_of(request).settings, authorization)
    orders = list_work_orders(conn, branch, include_closed=include_closed)
    conn.rollback()
    return {"branch": branch, "work_orders": orders}


@router.post(
    "/v1/admin/work-orders/{complaint_id}",
    responses=ERRORS,
    openapi_extra=body_schema(WorkOrderUpdateRequest),
)
async def work_order_update(
    complaint_id: uuid.UUID,
    request: Request,
    conn: Conn,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    require_admin(state_of(request).settings, authorization)
    body = await parse_body(request, WorkOrderUpdateRequest)
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
            now=now(),
        )
    except WorkOrderError as exc:
        conn.rollback()
        raise ApiError(exc.status, exc.error, exc.message, exc.field) from None
    conn.commit()
    return {"update": update.to_json()}
