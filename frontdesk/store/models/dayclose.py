"""Day close (日结) of one counter: an append-only, synced record signed by a manager."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import SyncedRecord


class DayClose(SyncedRecord):
    """Expected takings by method, counted cash, the difference and its reason.

    One per (workstation, business day): once it exists the counter takes no new slips
    for that day. A correction after the close is a new close record of kind
    ``amendment`` pointing at the first.
    """

    __tablename__ = "day_close"
    __sync_type__ = "day_close"
    __table_args__ = (UniqueConstraint("workstation_code", "business_date", "kind", "seq"),)

    branch_code: Mapped[str] = mapped_column(String(16))
    workstation_code: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[dt.date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16), default="close")  # close | amendment
    seq: Mapped[int] = mapped_column(default=1)
    amends_id: Mapped[uuid.UUID | None]
    clerk_id: Mapped[uuid.UUID]
    manager_id: Mapped[uuid.UUID]
    expected_by_method: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    counted_cash_fen: Mapped[int]
    difference_fen: Mapped[int]
    difference_reason: Mapped[str | None] = mapped_column(String(500))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    closed_at: Mapped[dt.datetime]
