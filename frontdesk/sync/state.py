"""Sync bookkeeping kept in the workstation's ``setting`` table (``sync.*`` keys).

Last success, last error and the dataset schema the pulled data was loaded under are
facts of this workstation, not of head office: they live beside the outbox, in the same
database, so status survives a restart and is written in the same transaction as the
work it describes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import Setting

LAST_PUSH_OK = "sync.last_push_ok_at"
LAST_PULL_OK = "sync.last_pull_ok_at"
LAST_ERROR = "sync.last_error"
LAST_ERROR_AT = "sync.last_error_at"
DATASET_SCHEMA_KEY = "sync.dataset_schema"
CLOCK_SKEW_FLAGGED = "sync.clock_skew_flagged"
WORK_ORDERS_AFTER = "sync.work_orders_after"  # head office's rx_seq of the last applied change


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def get(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def get_many(session: Session, prefix: str = "sync.") -> dict[str, str]:
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.like(f"{prefix}%")))
    return {k: v for k, v in rows}


def parse_time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None
