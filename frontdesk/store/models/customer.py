"""Customers and the last known state of their accounts (head office is the source).

The counter keeps what it last heard from head office (or what demo data seeded);
``state_as_of`` and ``state_source`` say how fresh it is, so a precondition judged on
a cached state can flag the slip for re-check (SPEC §3).
ID numbers are stored only encrypted (``id_number_enc``) and found by a keyed hash
(``id_hash``); screens get ``id_masked``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, new_id, utcnow


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(8), default="person")  # person | unit
    name: Mapped[str] = mapped_column(String(128))
    doc_type: Mapped[str] = mapped_column(String(32))
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_masked: Mapped[str] = mapped_column(String(32))
    # sealed (store/personal.py): in clear beside id_masked it rebuilds the whole number
    birth_date_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    contact_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    tier: Mapped[str] = mapped_column(String(16), default="standard")
    tier_frozen: Mapped[bool] = mapped_column(default=False)
    numbers_with_operator: Mapped[int] = mapped_column(default=0)  # 一证五号 count, HQ's view
    state_source: Mapped[str] = mapped_column(String(16), default="cache")
    state_as_of: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    lines: Mapped[list[Line]] = relationship(back_populates="customer", order_by="Line.number")


class Line(Base):
    """One number / service of a customer (mobile, fixed line, broadband)."""

    __tablename__ = "line"
    __table_args__ = (Index("ix_line_number", "number", unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    service: Mapped[str] = mapped_column(String(16), default="mobile")  # mobile|fixed|broadband
    plan_code: Mapped[str | None] = mapped_column(String(32))
    payment_mode: Mapped[str] = mapped_column(String(8))  # prepaid | postpaid
    status: Mapped[str] = mapped_column(
        String(16), default="active"
    )  # active|suspended|lost|closed
    balance_fen: Mapped[int] = mapped_column(default=0)
    arrears_fen: Mapped[int] = mapped_column(default=0)
    deposit_fen: Mapped[int] = mapped_column(default=0)
    contract_lock_until: Mapped[dt.date | None]
    pretty_number_lock: Mapped[bool] = mapped_column(default=False)
    marketing_lock: Mapped[bool] = mapped_column(default=False)
    moved_without_change: Mapped[bool] = mapped_column(default=False)
    roaming_enabled: Mapped[bool] = mapped_column(default=False)
    opened_on: Mapped[dt.date | None]
    # 二次实人认证 flagged by head office (pulled with the accounts)
    reverify_required: Mapped[bool] = mapped_column(default=False, server_default=false())
    state_as_of: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="lines")
