"""Printed documents and signatures (SPEC §4).

Each rendered document (slip, receipt, warranty card, …) is written once to the
workstation's archive folder and recorded here with its digest, so a reprint is the
same file and a failed print can be retried from the visit history. A customer's
signature (paper, signature pad or second screen) is a synced fact of the slip; its
image stays on the workstation beside the archived PDF.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedRecord, new_id, utcnow


class ArchivedDocument(Base):
    __tablename__ = "archived_document"
    __table_args__ = (UniqueConstraint("kind", "number", "variant"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(24))  # slip | receipt | warranty_card | summary
    variant: Mapped[str] = mapped_column(String(16), default="a4")  # a4 | thermal80 | …
    number: Mapped[str] = mapped_column(String(40), index=True)  # slip/receipt/card number
    object_id: Mapped[uuid.UUID] = mapped_column(index=True)  # the slip/receipt/card row
    relative_path: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[dt.datetime | None]
    print_count: Mapped[int] = mapped_column(default=0)
    last_print_error: Mapped[str | None] = mapped_column(String(500))


class SlipSignature(SyncedRecord):
    """How and when the customer (or agent) signed a slip."""

    __tablename__ = "slip_signature"
    __sync_type__ = "slip_signature"
    __sync_exclude__ = frozenset({"image_png"})

    slip_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slip.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))  # paper | pad | second_screen
    signer: Mapped[str] = mapped_column(String(16), default="customer")  # customer | agent
    image_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[uuid.UUID]
