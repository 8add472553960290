"""Datasets pulled from head office (catalogue, staff, tiers), as last applied.

One row per kind holds the version the workstation has *fully* applied; the row and
everything the dataset changes (e.g. staff accounts) are written in one transaction, so
a process killed mid-apply leaves the previous version in force and the next pull
simply asks again (resumable by construction).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class SyncDataset(Base):
    __tablename__ = "sync_dataset"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int]
    schema: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    applied_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
