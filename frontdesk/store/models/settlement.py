"""Settled money records: slips, their items, payments and receipts (append-only).

A sale settles as one :class:`Slip` (一单清) with its items, payments and one
:class:`Receipt`. A void or a refund is another slip (``kind``) pointing at the
original with a reason and the authorising manager; its amounts carry the opposite
sign, so day totals are plain sums. Numbers come from gapless per-workstation
sequences (:mod:`frontdesk.store.numbering`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import SyncedRecord


class Slip(SyncedRecord):
    """业务受理单: every business of one visit, or a correction of an earlier slip."""

    __tablename__ = "slip"
    __sync_type__ = "slip"

    slip_no: Mapped[str] = mapped_column(String(40), unique=True)
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8), default="sale")  # sale | void | refund
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), index=True)
    original_slip_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("slip.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(255))
    authorised_by: Mapped[uuid.UUID | None]
    branch_code: Mapped[str] = mapped_column(String(16))
    workstation_code: Mapped[str] = mapped_column(String(16))
    clerk_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    customer_name: Mapped[str | None] = mapped_column(String(128))
    customer_id_masked: Mapped[str | None] = mapped_column(String(32))
    agent_name: Mapped[str | None] = mapped_column(String(128))
    agent_id_masked: Mapped[str | None] = mapped_column(String(32))
    unit_name: Mapped[str | None] = mapped_column(String(128))
    unit_credit_code: Mapped[str | None] = mapped_column(String(18))
    total_fen: Mapped[int]
    paid_fen: Mapped[int]
    change_fen: Mapped[int] = mapped_column(default=0)
    catalogue_version: Mapped[int]
    ticket_no: Mapped[str | None] = mapped_column(String(16))
    waiting_seconds: Mapped[int | None]
    handling_seconds: Mapped[int | None]
    recheck_required: Mapped[bool] = mapped_column(default=False)
    recheck_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    verification_code: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[dt.date] = mapped_column(index=True)
    settled_at: Mapped[dt.datetime] = mapped_column(index=True)

    items: Mapped[list[SlipItem]] = relationship(order_by="SlipItem.line_no", viewonly=True)
    payments: Mapped[list[Payment]] = relationship(order_by="Payment.line_no", viewonly=True)


class SlipItem(SyncedRecord):
    __tablename__ = "slip_item"
    __sync_type__ = "slip_item"

    slip_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slip.id"), index=True)
    # many-to-one relationships also tell the unit of work to insert parents first
    slip: Mapped[Slip] = relationship(lazy="raise", overlaps="items")
    line_no: Mapped[int]
    business_code: Mapped[str] = mapped_column(String(32), index=True)
    business_name: Mapped[str] = mapped_column(String(64))
    service_number: Mapped[str | None] = mapped_column(String(20), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fee_fen: Mapped[int]
    list_fee_fen: Mapped[int]
    waiver_reason: Mapped[str | None] = mapped_column(String(255))
    waived_by: Mapped[uuid.UUID | None]
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    original_item_id: Mapped[uuid.UUID | None]
    account_effect: Mapped[str] = mapped_column(String(24), default="none")


class Payment(SyncedRecord):
    __tablename__ = "payment"
    __sync_type__ = "payment"

    slip_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slip.id"), index=True)
    slip: Mapped[Slip] = relationship(lazy="raise", overlaps="payments")
    line_no: Mapped[int]
    method: Mapped[str] = mapped_column(String(16))  # cash|bank_card|wechat|alipay|balance
    amount_fen: Mapped[int]  # applied to the slip (negative for money paid out)
    tendered_fen: Mapped[int]  # handed over (cash); equals amount for other methods
    change_fen: Mapped[int] = mapped_column(default=0)
    reference: Mapped[str | None] = mapped_column(String(64))
    balance_number: Mapped[str | None] = mapped_column(String(20))


class Receipt(SyncedRecord):
    """收据: one per slip; a void or refund gets its own number pointing at the original."""

    __tablename__ = "receipt"
    __sync_type__ = "receipt"

    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8), default="sale")
    slip_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slip.id"), index=True)
    slip: Mapped[Slip] = relationship(lazy="raise")
    original_receipt_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("receipt.id"))
    total_fen: Mapped[int]
    cashier_id: Mapped[uuid.UUID]
    issued_at: Mapped[dt.datetime]
