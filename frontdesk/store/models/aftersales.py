"""Warranty cards (保修卡 / 三包凭证) and complaints (每诉必录): append-only facts.

The after-sales and complaint issues build their services on these; the records and
their event logs exist from the first schema so every workstation syncs them alike.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import SyncedRecord
from .settlement import SlipItem


class WarrantyCard(SyncedRecord):
    __tablename__ = "warranty_card"
    __sync_type__ = "warranty_card"

    card_no: Mapped[str] = mapped_column(String(40), unique=True)
    slip_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slip_item.id"), index=True)
    # many-to-one relationships also tell the unit of work to insert parents first
    slip_item: Mapped[SlipItem] = relationship(lazy="raise")
    customer_id: Mapped[uuid.UUID | None]
    customer_name: Mapped[str] = mapped_column(String(128))
    customer_phone: Mapped[str] = mapped_column(String(20), index=True)
    customer_address: Mapped[str | None] = mapped_column(String(255))
    brand: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(64))
    serial_kind: Mapped[str] = mapped_column(String(8))  # imei | meid | sn
    serial: Mapped[str] = mapped_column(String(32), index=True)
    accessory_serials: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    access_label_code: Mapped[str | None] = mapped_column(String(32))  # 进网标志扰码号
    invoice_no: Mapped[str | None] = mapped_column(String(40))
    agreement_no: Mapped[str | None] = mapped_column(String(40))
    sale_date: Mapped[dt.date]
    amount_fen: Mapped[int]
    periods: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    branch_code: Mapped[str] = mapped_column(String(16))
    clerk_id: Mapped[uuid.UUID]


class WarrantyEvent(SyncedRecord):
    """Repair hand-in/back, loan phone out/back, return, exchange against a card."""

    __tablename__ = "warranty_event"
    __sync_type__ = "warranty_event"

    card_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warranty_card.id"), index=True)
    card: Mapped[WarrantyCard] = relationship(lazy="raise")
    event: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[dt.date]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    staff_id: Mapped[uuid.UUID]


class Complaint(SyncedRecord):
    __tablename__ = "complaint"
    __sync_type__ = "complaint"

    complaint_no: Mapped[str] = mapped_column(String(40), unique=True)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"))
    customer_id: Mapped[uuid.UUID | None]
    customer_name: Mapped[str | None] = mapped_column(String(128))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(2000))
    first_responsible_id: Mapped[uuid.UUID]
    deadline_at: Mapped[dt.datetime] = mapped_column(index=True)
    branch_code: Mapped[str] = mapped_column(String(16))


class ComplaintEvent(SyncedRecord):
    __tablename__ = "complaint_event"
    __sync_type__ = "complaint_event"

    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaint.id"), index=True)
    complaint: Mapped[Complaint] = relationship(lazy="raise")
    event: Mapped[str] = mapped_column(String(16))  # answered|escalated|hq_update|closed
    text: Mapped[str | None] = mapped_column(String(2000))
    staff_id: Mapped[uuid.UUID | None]
