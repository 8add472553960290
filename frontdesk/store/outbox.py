"""The transactional outbox: every synced record queues itself for head office.

A session listener runs after each flush and, for every new :class:`SyncedRecord`,
inserts an outbox row through the same connection — so the record and its outbox row
commit or roll back together (SPEC §9). Nobody has to remember to "also enqueue".
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from .models import OutboxEntry, SyncedRecord, utcnow

ENVELOPE_VERSION = 1


def install_outbox(session_class: type[Session]) -> None:
    """Attach the outbox listener to a session class (idempotent)."""
    if event.contains(session_class, "after_flush", _queue_new_records):
        return
    event.listen(session_class, "after_flush", _queue_new_records)


def _queue_new_records(session: Session, _flush_context: Any) -> None:
    workstation = session.info.get("workstation")
    now = utcnow()
    rows = []
    for obj in session.new:
        if not isinstance(obj, SyncedRecord):
            continue
        envelope = {
            "v": ENVELOPE_VERSION,
            "type": obj.__sync_type__,
            "id": str(obj.id),
            "branch": workstation.branch_code if workstation else None,
            "workstation": workstation.workstation_code if workstation else None,
            "data": obj.sync_payload(),
        }
        rows.append(
            {
                "record_id": obj.id,
                "record_type": obj.__sync_type__,
                "payload": json.dumps(envelope, ensure_ascii=False, separators=(",", ":")),
                "created_at": now,
            }
        )
    if rows:
        session.connection().execute(insert(OutboxEntry), rows)
