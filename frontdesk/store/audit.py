"""Append-only, hash-chained audit log (SPEC §6).

Each entry's hash covers its content and the previous entry's hash, so removing,
reordering or editing any entry breaks the chain from that point; the migration's
triggers refuse UPDATE/DELETE as a first line, :func:`verify_chain` is the proof a
manager can run. Details must not carry personal data in clear (mask first).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, new_id, utcnow

GENESIS_HASH = "0" * 64


def _entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "seq": entry.seq,
        "at": entry.created_at.isoformat(),
        "actor": str(entry.actor_id) if entry.actor_id else None,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
        "workstation": entry.workstation_code,
    }


def record(
    session: Session,
    *,
    actor_id: uuid.UUID | None,
    action: str,
    object_type: str,
    object_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (which must be a write one)."""
    workstation = session.info.get("workstation")
    transaction = session.get_transaction()
    tail = session.info.get("audit_tail")
    if tail is not None and tail[0] is transaction:
        # an earlier entry of this transaction may not be flushed yet: chain onto it
        seq, prev_hash = tail[1] + 1, tail[2]
    else:
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    entry = AuditEntry(
        id=new_id(),
        created_at=utcnow(),
        seq=seq,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        detail=detail or {},
        workstation_code=workstation.workstation_code if workstation else "",
        prev_hash=prev_hash,
        entry_hash="",
    )
    entry.entry_hash = _entry_hash(prev_hash, _hashed_fields(entry))
    session.add(entry)
    session.info["audit_tail"] = (transaction, seq, entry.entry_hash)
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    intact: bool
    first_broken_seq: int | None = None


def verify_chain(session: Session) -> ChainReport:
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        if (
            entry.seq != expected_seq
            or entry.prev_hash != prev_hash
            or _entry_hash(prev_hash, _hashed_fields(entry)) != entry.entry_hash
        ):
            return ChainReport(count, False, entry.seq)
        prev_hash = entry.entry_hash
        expected_seq += 1
    return ChainReport(count, True)
