"""The hall's queue (排队叫号): tickets as working state, their history as synced facts.

A ticket row changes as it is called, recalled, skipped or transferred; what happened
to it is recorded as insert-only :class:`QueueEvent` facts, which head office receives
(waiting times and no-shows in the daily summary come from them).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, SyncedRecord, new_id, utcnow


class QueueTicket(Base):
    __tablename__ = "queue_ticket"
    __table_args__ = (UniqueConstraint("branch_code", "business_date", "ticket_no"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    branch_code: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[dt.date] = mapped_column(index=True)
    service_line: Mapped[str] = mapped_column(String(4))  # A general, V VIP, B broadband …
    number: Mapped[int]  # per line per day, from 1
    ticket_no: Mapped[str] = mapped_column(String(16))  # e.g. A023
    tier: Mapped[str] = mapped_column(String(16), default="standard")
    customer_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    # waiting | called | serving | done | no_show | transferred | cancelled
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    called_at: Mapped[dt.datetime | None]
    counter: Mapped[str | None] = mapped_column(String(16))  # workstation that called it
    transfer_to: Mapped[str | None] = mapped_column(String(16))
    recalls: Mapped[int] = mapped_column(default=0)
    visit_id: Mapped[uuid.UUID | None]
    ended_at: Mapped[dt.datetime | None]
    # 过号重排: put back in line after a no-show (once); its place counts from here
    requeued_at: Mapped[dt.datetime | None]
    # 特殊群体绿色通道: elderly | disabled | pregnant, called first (core.queue)
    green_channel: Mapped[str | None] = mapped_column(String(16))


class QueueEvent(SyncedRecord):
    __tablename__ = "queue_event"
    __sync_type__ = "queue_event"

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("queue_ticket.id"), index=True)
    ticket: Mapped[QueueTicket] = relationship(lazy="raise")
    event: Mapped[str] = mapped_column(String(16))
    # issued | called | recalled | no_show | transferred | serving | done | cancelled
    counter: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
