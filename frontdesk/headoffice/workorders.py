"""Work orders (电子流工单): complaints a counter escalated, and head office's answers.

Nothing new is stored for them: an escalated complaint is the ``complaint`` record plus
its ``complaint_event`` "escalated", as pushed by the counter. Head office's status
changes are written as ``complaint_event`` records of the complaint's own branch and
workstation (``staff_id`` null, ``hq_status`` set), in ``ho_record`` like every fact,
so they are deduplicated by UUID, listed with everything else, and pulled back by the
counter in arrival order (``rx_seq``). The counter stores each under the same UUID; the
copy its outbox pushes back is a duplicate here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, text

from ..protocol.records import MAX_WORK_ORDER_UPDATES, WORK_ORDER_STATUSES, work_order_event


class WorkOrderError(Exception):
    def __init__(self, status: int, error: str, message: str, field: str = "complaint_id") -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Update:
    seq: int
    id: uuid.UUID
    complaint_id: uuid.UUID
    status: str
    text: str
    at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "id": str(self.id),
            "complaint_id": str(self.complaint_id),
            "status": self.status,
            "text": self.text,
            "at": self.at.isoformat(),
        }


_EVENTS = (
    "SELECT id, rx_seq, data FROM ho_record WHERE branch_code = :b"
    " AND record_type = 'complaint_event' AND data->>'complaint_id' = :c ORDER BY rx_seq"
)


def list_work_orders(conn: Connection, branch: str, *, include_closed: bool = False) -> list[dict]:
    """The branch's escalated complaints with their history, oldest deadline first."""
    rows = conn.execute(
        text(
            "SELECT c.id, c.workstation_code, c.data FROM ho_record c"
            " WHERE c.branch_code = :b AND c.record_type = 'complaint' AND EXISTS ("
            "  SELECT 1 FROM ho_record e WHERE e.branch_code = :b"
            "  AND e.record_type = 'complaint_event' AND e.data->>'event' = 'escalated'"
            "  AND e.data->>'complaint_id' = c.id::text)"
            " ORDER BY c.data->>'deadline_at'"
        ),
        {"b": branch},
    ).all()
    orders = []
    for row in rows:
        events = conn.execute(text(_EVENTS), {"b": branch, "c": str(row.id)}).all()
        kinds = [e.data.get("event") for e in events]
        closed = "closed" in kinds
        if closed and not include_closed:
            continue
        data = row.data
        orders.append(
            {
                "complaint_id": str(row.id),
                "complaint_no": data.get("complaint_no"),
                "workstation": row.workstation_code,
                "category": data.get("category"),
                "description": data.get("description"),
                "opened_at": data.get("created_at"),
                "deadline_at": data.get("deadline_at"),
                "status": "closed" if closed else "escalated",
                "events": [
                    {
                        "event": e.data.get("event"),
                        "text": e.data.get("text"),
                        "at": e.data.get("created_at"),
                    }
                    for e in events
                ],
            }
        )
    return orders


def add_update(
    conn: Connection,
    branch: str,
    complaint_id: uuid.UUID,
    status: str,
    text_value: str | None,
    *,
    update_id: uuid.UUID | None = None,
    now: dt.datetime,
) -> Update:
    """Record head office's change to one work order (idempotent by ``update_id``)."""
    if status not in WORK_ORDER_STATUSES:
        raise WorkOrderError(422, "bad_status", f"status must be one of {WORK_ORDER_STATUSES}")
    complaint = conn.execute(
        text(
            "SELECT workstation_code FROM ho_record WHERE id = :c AND branch_code = :b"
            " AND record_type = 'complaint'"
        ),
        {"c": complaint_id, "b": branch},
    ).first()
    if complaint is None:
        raise WorkOrderError(404, "unknown_complaint", "no such complaint in this branch")
    update_id = update_id or uuid.uuid4()
    existing = conn.execute(
        text("SELECT rx_seq, record_type, data FROM ho_record WHERE branch_code = :b AND id = :i"),
        {"b": branch, "i": update_id},
    ).first()
    if existing is not None:  # the same change re-sent: answer as the first time
        data = existing.data
        if (
            existing.record_type != "complaint_event"
            or data.get("hq_status") is None
            or data.get("complaint_id") != str(complaint_id)
        ):
            raise WorkOrderError(
                409,
                "update_id_taken",
                "update_id already names another record of this branch",
                "update_id",
            )
        return _update(existing.rx_seq, update_id, data)
    events = [
        e.data.get("event")
        for e in conn.execute(text(_EVENTS), {"b": branch, "c": str(complaint_id)})
    ]
    if "escalated" not in events:
        raise WorkOrderError(409, "not_escalated", "the complaint was not escalated to head office")
    if "closed" in events:
        raise WorkOrderError(409, "closed", "the complaint is already closed")
    event, body = work_order_event(status, text_value)
    data = {
        "id": str(update_id),
        "complaint_id": str(complaint_id),
        "event": event,
        "text": body,
        "staff_id": None,
        "created_at": now.isoformat(),
        "hq_status": status,
        "hq_text": (text_value or "").strip(),  # as typed: the counter derives ``text`` alike
    }
    seq = conn.execute(
        text(
            "INSERT INTO ho_record (id, record_type, branch_code, workstation_code,"
            " envelope_version, data, device_time)"
            " VALUES (:i, 'complaint_event', :b, :w, 1, CAST(:d AS jsonb), :t)"
            " ON CONFLICT (branch_code, id) DO NOTHING RETURNING rx_seq"
        ),
        {
            "i": update_id,
            "b": branch,
            "w": complaint.workstation_code,
            "d": orjson.dumps(data).decode(),
            "t": now,
        },
    ).scalar_one()
    return _update(seq, update_id, data)


def updates_for(
    conn: Connection, branch: str, workstation: str, after: int, limit: int = MAX_WORK_ORDER_UPDATES
) -> list[Update]:
    """Head office's changes to this workstation's work orders, after a cursor."""
    rows = conn.execute(
        text(
            "SELECT id, rx_seq, data FROM ho_record WHERE branch_code = :b"
            " AND workstation_code = :w AND record_type = 'complaint_event'"
            " AND data->>'hq_status' IS NOT NULL AND rx_seq > :after ORDER BY rx_seq LIMIT :n"
        ),
        {"b": branch, "w": workstation, "after": after, "n": limit},
    ).all()
    return [_update(r.rx_seq, r.id, r.data) for r in rows]


def _update(seq: int, update_id: uuid.UUID, data: dict[str, Any]) -> Update:
    return Update(
        seq=int(seq),
        id=uuid.UUID(str(update_id)),
        complaint_id=uuid.UUID(str(data["complaint_id"])),
        status=str(data["hq_status"]),
        text=str(data.get("hq_text") or ""),
        at=dt.datetime.fromisoformat(str(data["created_at"])),
    )
