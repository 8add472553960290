"""Pull head office's changes to this counter's work orders (escalated complaints).

Head office answers an escalated complaint with status changes (accepted, in progress,
replied, closed). Each arrives with its head-office id and arrival number; this module
pages through them and hands each to a :class:`WorkOrderSink`, which records it as a
complaint event under that same id. The sink is the complaint service
(:meth:`~frontdesk.services.complaints.ComplaintService.apply_head_office_update`),
given by the caller (``frontdesk.services.syncpass``): sync imports no service, so the
mapping from a head-office change to a complaint event lives on the services side only.
Re-pulling after a crash stores nothing twice, and the outbox copy sent back is a
duplicate at head office. The cursor (``sync.work_orders_after``) moves only after the
changes before it were applied.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Protocol

from ..protocol.records import MAX_WORK_ORDER_UPDATES
from . import state
from .client import HeadOfficeClient


class WorkOrderSink(Protocol):
    """Where a pulled work-order change goes (the counter's complaint service)."""

    def apply_head_office_update(
        self,
        complaint_id: uuid.UUID,
        *,
        update_id: uuid.UUID,
        status: str,
        text: str | None,
        at: dt.datetime | None = None,
    ) -> bool:
        """Record the change; True when something new was recorded."""
        ...


def pull_work_orders(ws: Any, client: HeadOfficeClient, sink: WorkOrderSink) -> int:
    """Apply every new change through ``sink``; returns how many were recorded here."""
    with ws.db.reader() as s:
        after = int(state.get(s, state.WORK_ORDERS_AFTER) or 0)
    applied = 0
    while True:
        answer = client.work_order_updates(after)
        updates = answer.get("updates", [])
        for u in updates:
            if sink.apply_head_office_update(
                uuid.UUID(u["complaint_id"]),
                update_id=uuid.UUID(u["id"]),
                status=u["status"],
                text=u.get("text"),
                at=dt.datetime.fromisoformat(u["at"]),
            ):
                applied += 1
        last = int(answer.get("last_seq", after))
        if last != after:
            with ws.db.unit_of_work() as uow:
                state.put(uow.session, state.WORK_ORDERS_AFTER, str(last))
                uow.commit()
            after = last
        if len(updates) < MAX_WORK_ORDER_UPDATES:
            return applied
