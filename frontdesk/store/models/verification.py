"""ID verification (身份证件核实): one document of one party, and each step on it.

A verification is created when a document is captured (reader or authorised manual
entry); every later step (check, match, retain, limits) is a new
:class:`VerificationStep` row saying who did it, when, how and with what result
(SPEC §2). Face images are never stored, only the comparison's score and outcome.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, SyncedRecord, new_id, utcnow


class IdVerification(SyncedRecord):
    __tablename__ = "id_verification"
    __sync_type__ = "id_verification"
    # Head office needs neither (PIPL minimisation, docs/privacy.md): the birth date is
    # what the 6+4 mask hides, and the sex is already the mask's 17th digit.
    __sync_exclude__ = frozenset({"birth_date_enc", "sex"})

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    party: Mapped[str] = mapped_column(String(16))  # customer | agent | guardian | new_owner
    doc_type: Mapped[str] = mapped_column(String(32))
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_masked: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # store/personal.py
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]
    long_term: Mapped[bool] = mapped_column(default=False)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    capture_method: Mapped[str] = mapped_column(String(16))  # reader | manual
    capture_device: Mapped[str | None] = mapped_column(String(64))
    manual_reason: Mapped[str | None] = mapped_column(String(255))
    authorised_by: Mapped[uuid.UUID | None]
    credit_code: Mapped[str | None] = mapped_column(String(18))  # unit customers
    staff_id: Mapped[uuid.UUID]


class VerificationStep(SyncedRecord):
    __tablename__ = "verification_step"
    __sync_type__ = "verification_step"

    verification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("id_verification.id"), index=True)
    # many-to-one relationships also tell the unit of work to insert parents first
    verification: Mapped[IdVerification] = relationship(lazy="raise")
    step: Mapped[str] = mapped_column(String(16))  # capture | check | match | retain | limits
    method: Mapped[str] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(String(8))  # passed | warning | failed
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    staff_id: Mapped[uuid.UUID]


class DocumentScan(Base):
    """The retained copy (复印留存) of a document, encrypted; stays on the workstation.

    Not synced: images are large and MIIT Order 25 asks the retaining office to keep
    them; head office receives the verification record and the scan's digest.
    """

    __tablename__ = "document_scan"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    verification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("id_verification.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # id_document | authorisation_letter | licence
    mime_type: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    staff_id: Mapped[uuid.UUID]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    purged_at: Mapped[dt.datetime | None]
