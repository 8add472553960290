"""Pull head office's changes to this counter's work orders (escalated complaints).

Head office answers an escalated complaint with status changes (accepted, in progress,
replied, closed). Each arrives with its head-office id and arrival number; the counter
records it as a complaint event under that same id
(:meth:`~frontdesk.services.complaints.ComplaintService.apply_head_office_update`), so
re-pulling after a crash stores nothing twice, and the outbox copy sent back is a
duplicate at head office. The cursor (``sync.work_orders_after``) moves only after the
changes before it were applied.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ..protocol.records import MAX_WORK_ORDER_UPDATES
from . import state
from .client import HeadOfficeClient


def pull_work_orders(ws: Any, client: HeadOfficeClient) -> int:
    """Apply every new change; returns how many were recorded here."""
    from ..services.complaints import ComplaintService

    complaints = ComplaintService(ws)
    with ws.db.reader() as s:
        after = int(state.get(s, state.WORK_ORDERS_AFTER) or 0)
    applied = 0
    while True:
        answer = client.work_order_updates(after)
        updates = answer.get("updates", [])
        for u in updates:
            if complaints.apply_head_office_update(
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
