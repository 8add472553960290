"""Declarative base, column types and the marker for records that sync to head office.

Records that are facts of the counter (slips, payments, receipts, verifications,
warranty cards, complaints, audit entries, visit events) derive from
:class:`SyncedRecord`: the unit of work writes an outbox row for each one in the same
transaction (see :mod:`frontdesk.store.outbox`). They are insert-only; the migration
adds triggers that refuse UPDATE and DELETE on them, so a correction can only be a
new record pointing at the original.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData, TypeDecorator, Uuid, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored as UTC and always handed back timezone-aware.

    SQLite has no time zone type; storing naive UTC and re-attaching UTC on the way
    out keeps comparisons and arithmetic correct whatever the workstation's zone.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; frontdesk stores aware UTC times only")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UTCDateTime(),
        uuid.UUID: Uuid(as_uuid=True),
    }


class SyncedRecord(Base):
    """An insert-only fact of the counter that travels to head office.

    ``__sync_type__`` names the record kind on the wire; ``__sync_exclude__`` lists
    columns that stay on the workstation (none by default).
    """

    __abstract__ = True
    __sync_type__: ClassVar[str]
    __sync_exclude__: ClassVar[frozenset[str]] = frozenset()

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def sync_payload(self) -> dict[str, Any]:
        """Column values as JSON-ready data (UUIDs and times as ISO text, bytes base64)."""
        payload: dict[str, Any] = {}
        for column in self.__table__.columns:  # type: ignore[attr-defined]
            if column.key in self.__sync_exclude__:
                continue
            payload[column.key] = to_json_value(getattr(self, column.key))
        return payload


@event.listens_for(SyncedRecord, "init", propagate=True)
def _assign_id_at_construction(target: SyncedRecord, _args: Any, kwargs: dict[str, Any]) -> None:
    """Give a record its UUID when it is built, not at flush: rows written in the same
    transaction (a slip item and its warranty card) can reference each other at once."""
    kwargs.setdefault("id", new_id())


def to_json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
