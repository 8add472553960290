"""Head office's PostgreSQL schema (SQLAlchemy 2.x typed models; Alembic owns the DDL).

Design choices that carry the guarantees of docs/sync.md:

- ``ho_record``'s primary key is (branch, the record's UUID made at the counter), so a
  record re-sent any number of times, days apart, is stored once (``ON CONFLICT DO
  NOTHING``) — permanent dedupe lives in the database, not in a cache.
- ``ho_receipt_seq`` is unique per (branch, workstation, sequence): a second machine
  presenting a cloned identity produces a *different* record for a sequence number
  already used, which is how head office notices it.
- Poison records go to ``ho_quarantine`` with the reason; they are acknowledged, so one
  bad record never blocks the records behind it.
- Account effects of settled items are queued (``ho_pending_effect``) in the push
  transaction and applied once (``ho_effect_log``) by the effect applier.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Text,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
TZ = DateTime(timezone=True)


class HoBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: TZ,
        uuid.UUID: UUID(as_uuid=True),
        dict[str, Any]: JSONB,
    }


class HoSecret(HoBase):
    """Operator-wide secrets every server process reads (the look-up key for ID hashes)."""

    __tablename__ = "ho_secret"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class HoWorkstation(HoBase):
    """An enrolled counter. Only a hash of its credential is kept."""

    __tablename__ = "ho_workstation"

    branch_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    workstation_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active|revoked|flagged
    status_reason: Mapped[str | None] = mapped_column(String(500))
    enrolled_at: Mapped[dt.datetime | None]
    last_seen_at: Mapped[dt.datetime | None]
    last_push_at: Mapped[dt.datetime | None]
    last_app_version: Mapped[str | None] = mapped_column(String(32))
    last_protocol: Mapped[int | None]
    last_schema: Mapped[str | None] = mapped_column(String(32))
    last_skew_seconds: Mapped[int | None]
    # highest outbox position stored: a pipelined batch that follows another waits for it
    last_outbox_seq: Mapped[int | None] = mapped_column(BigInteger)


class HoEnrolmentCode(HoBase):
    """A one-time code IT gives the installer; only its hash is stored."""

    __tablename__ = "ho_enrolment_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    branch_code: Mapped[str] = mapped_column(String(16))
    workstation_code: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class HoRecord(HoBase):
    """One fact from a counter, stored once per (branch, UUID), never updated.

    Hash-partitioned by branch into 16 tables (migration ho0004): every branch query
    touches one partition, and each index is a sixteenth of the whole.
    """

    __tablename__ = "ho_record"
    # Few indexes on purpose: every index costs on each of the 20,000+ inserts a second.
    # (branch, type, time): report rows read a few days of one branch as a range scan
    __table_args__ = (
        Index("ix_ho_record_branch_type_time", "branch_code", "record_type", "device_time"),
        {"postgresql_partition_by": "HASH (branch_code)"},
    )

    branch_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    rx_seq: Mapped[int] = mapped_column(  # arrival order
        BigInteger, Sequence("ho_record_rx_seq"), server_default=text("nextval('ho_record_rx_seq')")
    )
    record_type: Mapped[str] = mapped_column(String(32))
    workstation_code: Mapped[str] = mapped_column(String(16))
    envelope_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]
    device_time: Mapped[dt.datetime | None]
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    clock_skew_seconds: Mapped[int | None]
    skew_flagged: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class HoReceiptSeq(HoBase):
    """Which record holds each (branch, workstation, kind, sequence): clone detection."""

    __tablename__ = "ho_receipt_seq"

    branch_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    workstation_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # slip | receipt
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    record_id: Mapped[uuid.UUID]


class HoQuarantine(HoBase):
    """A record head office can never accept, kept with the reason for people to see."""

    __tablename__ = "ho_quarantine"

    qid: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    record_key: Mapped[str] = mapped_column(String(80), unique=True)
    record_id: Mapped[str | None] = mapped_column(String(64))
    record_type: Mapped[str | None] = mapped_column(String(64))
    branch_code: Mapped[str] = mapped_column(String(16), index=True)
    workstation_code: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    raw: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class HoPendingEffect(HoBase):
    """A settled item whose account effect is still to be applied."""

    __tablename__ = "ho_pending_effect"

    item_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    branch_code: Mapped[str | None] = mapped_column(String(16))  # the item's partition
    queued_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_problem: Mapped[str | None] = mapped_column(String(500))


class HoEffectLog(HoBase):
    """Effects already applied (or deliberately skipped): each applies exactly once."""

    __tablename__ = "ho_effect_log"

    item_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    effect: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class HoCustomer(HoBase):
    """The billing system's customer, known by the keyed hash of the ID number only."""

    __tablename__ = "ho_customer"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), default="person")
    tier: Mapped[str] = mapped_column(String(16), default="standard")
    tier_frozen: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class HoLine(HoBase):
    """A number and its account (balance, arrears, locks) in the billing system."""

    __tablename__ = "ho_line"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    service: Mapped[str] = mapped_column(String(16), default="mobile")
    payment_mode: Mapped[str] = mapped_column(String(8), default="prepaid")
    status: Mapped[str] = mapped_column(String(16), default="active")
    plan_code: Mapped[str | None] = mapped_column(String(32))
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    arrears_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    deposit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    contract_lock_until: Mapped[dt.date | None] = mapped_column(Date)
    pretty_number_lock: Mapped[bool] = mapped_column(default=False)
    marketing_lock: Mapped[bool] = mapped_column(default=False)
    moved_without_change: Mapped[bool] = mapped_column(default=False)
    roaming_enabled: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    # 二次实人认证: no business on the line until its holder re-verifies at a counter
    reverify_required: Mapped[bool] = mapped_column(default=False, server_default=false())


class HoNationalSim(HoBase):
    """一证通查 simulator: numbers an ID hash holds at other operators (demo / tests)."""

    __tablename__ = "ho_national_sim"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator: Mapped[str] = mapped_column(String(16), primary_key=True)
    numbers: Mapped[int] = mapped_column(Integer)


class HoDataset(HoBase):
    """A published version of a dataset counters pull (catalogue, staff, tiers).

    ``version`` comes from one PostgreSQL sequence, so it only ever grows, whichever
    server process publishes.
    """

    __tablename__ = "ho_dataset"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    schema: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]]
    published_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class HoIntegrity(HoBase):
    """A counter's last reported audit-chain head and money totals, and what head office
    found comparing them with the records it holds (frontdesk/headoffice/integrity.py)."""

    __tablename__ = "ho_integrity"

    branch_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    workstation_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    anchored_at: Mapped[dt.datetime | None]
    audit_seq: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    audit_head: Mapped[str | None] = mapped_column(String(64))
    checked_seq: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    checked_hash: Mapped[str] = mapped_column(String(64), server_default=text("repeat('0', 64)"))
    outbox_to: Mapped[int | None] = mapped_column(BigInteger)
    totals: Mapped[dict[str, Any] | None]
    totals_checked_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(12), server_default=text("'ok'"))  # ok|changed
    findings: Mapped[list[Any]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    changed_at: Mapped[dt.datetime | None]


class HoAdminAction(HoBase):
    """What IT did to a workstation by hand (``unflag``), who did it and why (ho0005)."""

    __tablename__ = "ho_admin_action"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    action: Mapped[str] = mapped_column(String(32))
    branch_code: Mapped[str] = mapped_column(String(16))
    workstation_code: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(64))
    previous_status: Mapped[str | None] = mapped_column(String(12))
    previous_reason: Mapped[str | None] = mapped_column(String(500))
