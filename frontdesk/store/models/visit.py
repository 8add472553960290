"""A customer's visit to the counter: the working state, and its synced events.

``Visit`` is the counter's scratch pad while the clerk works (status, the draft of the
slip as JSON so a suspended visit survives a restart); it is local and mutable.
Everything that happened to it is recorded as insert-only :class:`VisitEvent` facts,
which is what head office receives (waiting and handling times come from them).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedRecord, new_id, utcnow


class Visit(Base):
    __tablename__ = "visit"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    branch_code: Mapped[str] = mapped_column(String(16))
    workstation_code: Mapped[str] = mapped_column(String(16))
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    ticket_no: Mapped[str | None] = mapped_column(String(16))
    ticket_tier: Mapped[str | None] = mapped_column(String(16))
    ticket_issued_at: Mapped[dt.datetime | None]
    called_at: Mapped[dt.datetime | None]
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cancel_reason: Mapped[str | None] = mapped_column(String(255))
    recheck_required: Mapped[bool] = mapped_column(default=False)
    green_channel: Mapped[str | None] = mapped_column(String(16))  # 绿色通道 group


class VisitEvent(SyncedRecord):
    __tablename__ = "visit_event"
    __sync_type__ = "visit_event"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    event: Mapped[str] = mapped_column(String(16))  # opened|suspended|resumed|settled|cancelled
    staff_id: Mapped[uuid.UUID]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
