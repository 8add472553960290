"""Append-only, keyed hash chain of who viewed, printed, exported or changed what.

Each entry's hash covers its content and the previous entry's hash, so removing,
reordering or editing any entry breaks the chain from that point. The hash is an
HMAC-SHA256 under the workstation's audit key (``keys.json``), so a copy of the
database alone (a backup, a file taken off the PC) can't be re-chained after an edit;
entries written before a workstation had an audit key (``audit_keyed_from``) keep
their plain SHA-256 links. What the PC's own administrator could forge with the key
file is anchored at head office: every sync pass reports the chain head, and head
office compares it with the entries it already holds (docs/decisions.md,
"Tamper evidence"). The migration's triggers refuse UPDATE/DELETE/REPLACE as a first
line; :func:`verify_chain` is the proof a manager and ``frontdesk health`` run.
Details must not carry personal data in clear (mask first).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, new_id, utcnow

GENESIS_HASH = "0" * 64
CHAIN_KEY_INFO = "audit_chain_key"  # Session.info key: the ChainKey of this workstation


@dataclass(frozen=True)
class ChainKey:
    """The audit key and the first chain position it covers."""

    key: bytes
    keyed_from: int = 1


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _entry_hash(prev_hash: str, fields: dict[str, Any], key: bytes | None) -> str:
    message = prev_hash.encode("utf-8") + _canonical(fields)
    if key is None:  # an entry from before the workstation had an audit key
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _hashed_fields(entry: Any) -> dict[str, Any]:
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


def _key_for(chain_key: ChainKey | None, seq: int) -> bytes | None:
    if chain_key is None or seq < chain_key.keyed_from:
        return None
    return chain_key.key


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
    key = _key_for(session.info.get(CHAIN_KEY_INFO), seq)
    entry.entry_hash = _entry_hash(prev_hash, _hashed_fields(entry), key)
    session.add(entry)
    session.info["audit_tail"] = (transaction, seq, entry.entry_hash)
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    intact: bool
    first_broken_seq: int | None = None
    reason: str = ""  # what is wrong at first_broken_seq (English; shown to IT)
    head_seq: int = 0  # the last entry's position and hash: what head office is told
    head_hash: str = GENESIS_HASH

    def describe(self) -> str:
        if self.intact:
            return f"audit chain intact: {self.entries} entries, head {self.head_seq}"
        return f"audit chain broken at entry {self.first_broken_seq}: {self.reason}"


def iter_entries(session: Session) -> Iterator[Any]:
    """Every entry in chain order, as plain rows streamed in chunks (a busy counter's
    log holds millions: no ORM objects, no whole list in memory)."""
    query = select(*AuditEntry.__table__.columns).order_by(AuditEntry.seq)
    return iter(session.execute(query.execution_options(yield_per=5000)))


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain from the start; the first entry that does not fit is reported."""
    chain_key: ChainKey | None = session.info.get(CHAIN_KEY_INFO)
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in iter_entries(session):
        count += 1
        reason = ""
        if entry.seq != expected_seq:
            reason = f"entry {expected_seq} is missing (next is {entry.seq})"
        elif entry.prev_hash != prev_hash:
            reason = "its link to the previous entry does not match"
        elif (
            _entry_hash(prev_hash, _hashed_fields(entry), _key_for(chain_key, entry.seq))
            != entry.entry_hash
        ):
            reason = "its content or hash was changed"
        if reason:
            return ChainReport(count, False, expected_seq, reason, entry.seq, entry.entry_hash)
        prev_hash = entry.entry_hash
        expected_seq += 1
    return ChainReport(count, True, head_seq=expected_seq - 1, head_hash=prev_hash)


def chain_head(session: Session) -> tuple[int, str]:
    """The last entry's position and hash (0 and the genesis hash for an empty chain)."""
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)
