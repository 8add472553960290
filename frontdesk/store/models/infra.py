"""Plumbing tables: outbox, gapless number sequences, the audit log, settings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedRecord, utcnow


class OutboxEntry(Base):
    """A record waiting to reach head office, written in the record's own transaction.

    ``seq`` orders sending (oldest first); ``sent_at`` is set only after head office
    acknowledged storing it; ``rejected_reason`` holds a quarantine verdict sent back.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        # tamper checks (migration 0006): deleted records found without reading payloads;
        # the few rejected rows kept out of the totals a sync reports
        Index("ix_outbox_type_record", "record_type", "record_id"),
        Index("ix_outbox_rejected", "record_id", sqlite_where=text("rejected_reason IS NOT NULL")),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    record_type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    rejected_reason: Mapped[str | None] = mapped_column(String(500))


class NumberSequence(Base):
    """Last number issued per (kind, scope); advanced inside the business transaction."""

    __tablename__ = "number_sequence"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class AuditEntry(SyncedRecord):
    """Append-only, hash-chained log of who viewed, printed, exported or changed what."""

    __tablename__ = "audit_entry"
    __sync_type__ = "audit_entry"

    seq: Mapped[int] = mapped_column(unique=True)
    actor_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(48), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    workstation_code: Mapped[str] = mapped_column(String(16))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class Setting(Base):
    """Workstation settings kept with the data (branch, workstation, catalogue version)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
