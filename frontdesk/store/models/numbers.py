"""The counter's number pool (号码资源): the mobile numbers this workstation may offer.

Filled from head office's ``numbers`` dataset (one block per workstation) or, on a demo
workstation, by ``services/demo.py``. Local and mutable like ``visit``: a number is
``free``, ``held`` by one open or suspended visit (``visit_id`` + ``item_id``), or
``used`` by a settled 入网 (``slip_id``). The settled fact itself is the slip item, which
syncs; this table only keeps a counter from offering a number twice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class PoolNumber(Base):
    __tablename__ = "number_pool"
    __table_args__ = (
        CheckConstraint("state IN ('free', 'held', 'used')", name="state"),
        CheckConstraint(
            "(state = 'held') = (visit_id IS NOT NULL AND item_id IS NOT NULL)", name="held_by"
        ),
        CheckConstraint("(state = 'used') = (slip_id IS NOT NULL)", name="used_by"),
    )

    number: Mapped[str] = mapped_column(String(11), primary_key=True)
    state: Mapped[str] = mapped_column(String(8), default="free", index=True)
    source: Mapped[str] = mapped_column(String(16))  # head_office | demo
    visit_id: Mapped[uuid.UUID | None]
    item_id: Mapped[str | None] = mapped_column(String(36))
    slip_id: Mapped[uuid.UUID | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
