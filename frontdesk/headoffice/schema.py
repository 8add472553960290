"""One schema per record type, checked once at ingest: what passes, every reader can use.

Head office treats every pushed record as untrusted. The applier, the report rows, the
summaries and the work orders read fields of stored records with casts
(``(data->>'waiting_seconds')::bigint``, ``::uuid``, ``::timestamptz``); one value that
does not cast would fail the query for the whole branch, every time, and records are
append-only. So every field is checked here, once, and a record that fails is
quarantined with its reason (docs/sync.md, "Poison records") — nothing downstream meets it.

The schema of a record type is derived from its counter model (the ``SyncedRecord``
columns, which are exactly what the counter sends), so a column added on the counter is
checked without a second list to keep in step:

- UUID columns: a UUID; times: ISO 8601 with a UTC offset PostgreSQL accepts (±15:59), a
  real calendar date, years 1900–9998; dates: ``YYYY-MM-DD``, a real date; integers: JSON
  integers inside PostgreSQL's bigint (money and sequence numbers inside 2^53, exact as
  JSON on both sides); booleans: ``true``/``false``; text: a string PostgreSQL can store
  (no NUL); JSON columns and unknown fields: any JSON whose strings have no NUL and whose
  numbers are finite and inside bigint.
- ``REQUIRED`` fields must be present and not null: the ones a reader joins or sums by.
- ``NESTED``: fields inside JSON columns that readers cast (a visit's ticket times).

A present field may be null unless required: a counter of the previous release may not
have a column yet. Unknown fields are kept (a newer counter may send more), checked only
for storability.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, LargeBinary, String, Text, Uuid

from ..protocol.records import INTEGER_FIELDS, WORK_ORDER_STATUSES

BIGINT = 2**63
SAFE_INTEGER = 2**53  # exact in an IEEE double: money and sequence numbers
MAX_OFFSET = dt.timedelta(hours=15, minutes=59)  # PostgreSQL's limit for a UTC offset
MIN_YEAR, MAX_YEAR = 1900, 9998

# kinds of field
UUID, TIME, DATE, INT, SAFE_INT, BOOL, TEXT, JSON_ANY, OBJECT = range(9)

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d(:\d\d)?)", re.ASCII
)
_DATE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)

REQUIRED: dict[str, tuple[str, ...]] = {
    "slip": ("created_at", "seq", "total_fen", "paid_fen", "business_date"),
    "slip_item": ("created_at", "slip_id", "line_no", "fee_fen", "list_fee_fen"),
    "payment": ("created_at", "slip_id", "line_no", "amount_fen", "tendered_fen"),
    "receipt": ("created_at", "slip_id", "seq", "total_fen"),
    "complaint": ("created_at",),
    "complaint_event": ("created_at", "complaint_id", "event"),
    "visit_event": ("created_at", "visit_id", "event"),
    "id_verification": ("created_at", "visit_id", "party"),
}
# fields inside JSON columns that readers cast or call methods on
NESTED: dict[tuple[str, str], dict[str, int]] = {
    ("visit_event", "detail"): {
        "ticket_issued_at": TIME,
        "called_at": TIME,
        "ticket_tier": TEXT,
        "tier": TEXT,
    },
    ("slip_item", "fields"): {},  # the applier reads it as an object
    ("queue_event", "detail"): {},
    ("warranty_event", "detail"): {},
}
# fields that are no counter column but a reader uses (head office's work-order changes)
EXTRA: dict[str, dict[str, int]] = {
    "complaint_event": {"hq_status": TEXT, "hq_text": TEXT},
}
_HQ_STATUSES = frozenset(WORK_ORDER_STATUSES)


def _kind_of(column: Any) -> int:
    t = column.type
    if isinstance(t, Uuid):
        return UUID
    if isinstance(t, Boolean):
        return BOOL
    if isinstance(t, Date) and not isinstance(t, DateTime):
        return DATE
    if isinstance(t, Integer):
        return INT
    if isinstance(t, JSON):
        return JSON_ANY
    if isinstance(t, String | Text | LargeBinary):
        return TEXT
    impl = getattr(t, "impl", None)  # TypeDecorators (the counter's UTC datetime)
    if isinstance(impl, DateTime) or isinstance(t, DateTime):
        return TIME
    return JSON_ANY  # a type this list does not know yet: storable is all it must be


def _schemas() -> dict[str, dict[str, int]]:
    from ..store.models import SyncedRecord

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    out: dict[str, dict[str, int]] = {}
    for model in subclasses(SyncedRecord):
        if "__sync_type__" not in model.__dict__:
            continue
        rtype = model.__sync_type__
        fields = {
            c.key: _kind_of(c)
            for c in model.__table__.columns  # type: ignore[attr-defined]
            if c.key not in model.__sync_exclude__
        }
        for name in INTEGER_FIELDS.get(rtype, ()):
            fields[name] = SAFE_INT
        for (owner, name), _nested in NESTED.items():
            if owner == rtype:
                fields[name] = OBJECT
        fields.update(EXTRA.get(rtype, {}))
        out[rtype] = fields
    return out


SCHEMAS = _schemas()


def shown(value: Any, limit: int = 60) -> str:
    """A value for a reason text: printable, short, storable (no NUL, no surrogate)."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


_TIMES: dict[str, dt.datetime] = {}  # times already parsed: a slip's records share one


def parse_time(value: Any) -> dt.datetime | None:
    """A time PostgreSQL stores exactly as the counter meant it, or None."""
    known = _TIMES.get(value) if type(value) is str else None
    if known is not None:
        return known
    if type(value) is not str or not _TIME.fullmatch(value):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:  # month 13, 30 February, 25:00
        return None
    offset = parsed.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    if len(_TIMES) >= 8192:
        _TIMES.clear()
    _TIMES[value] = parsed
    return parsed


def _date_ok(value: Any) -> bool:
    if type(value) is not str or not _DATE.fullmatch(value):
        return False
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return False
    return MIN_YEAR <= day.year <= MAX_YEAR


def _uuid_ok(value: Any) -> bool:
    if type(value) is not str:
        return False
    if _CANONICAL_UUID.fullmatch(value):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def storable(value: Any, depth: int = 0) -> str | None:
    """Why a JSON value can't be stored in jsonb and summed later, or None."""
    t = type(value)
    if t is str:
        return "text contains NUL (\\u0000)" if "\x00" in value else None
    if t is int:
        return None if -BIGINT <= value < BIGINT else "integer outside 64 bits"
    if t is float:
        return None if math.isfinite(value) else "number is not finite"
    if value is None or t is bool:
        return None
    if depth > 32:
        return "nested deeper than 32 levels"
    if t is list:
        for item in value:
            problem = storable(item, depth + 1)
            if problem is not None:
                return problem
        return None
    if t is dict:
        for key, item in value.items():
            if "\x00" in key:
                return "a key contains NUL (\\u0000)"
            problem = storable(item, depth + 1)
            if problem is not None:
                return f"{shown(key, 40)}: {problem}"
        return None
    return f"not a JSON value ({t.__name__})"


def _field_problem(kind: int, value: Any) -> str | None:
    t = type(value)
    if kind == TEXT:
        if t is str:
            return "text contains NUL (\\u0000)" if "\x00" in value else None
        return f"must be text, got {shown(value)}"
    if kind == SAFE_INT:
        if t is int and -SAFE_INTEGER < value < SAFE_INTEGER:
            return None
        return f"must be an integer below 2^53, got {shown(value)}"
    if kind == INT:
        if t is int and -BIGINT <= value < BIGINT:
            return None
        return f"must be an integer inside 64 bits, got {shown(value)}"
    if kind == UUID:
        return None if _uuid_ok(value) else f"must be a UUID, got {shown(value)}"
    if kind == TIME:
        if parse_time(value) is not None:
            return None
        return (
            "must be an ISO 8601 time with a UTC offset within ±15:59, a real date,"
            f" years {MIN_YEAR}–{MAX_YEAR}; got {shown(value)}"
        )
    if kind == DATE:
        return None if _date_ok(value) else f"must be a real date YYYY-MM-DD, got {shown(value)}"
    if kind == BOOL:
        return None if t is bool else f"must be true or false, got {shown(value)}"
    if kind == OBJECT and t is not dict:
        return f"must be a JSON object, got {shown(value)}"
    return storable(value, 1)


def check_data(rtype: str, data: dict[str, Any]) -> str | None:
    """The first reason this record's data can't be used (``data.<field>: …``), or None."""
    schema = SCHEMAS.get(rtype)
    if schema is None:
        return f"type: no schema for {shown(rtype)}"
    for name in REQUIRED.get(rtype, ()):
        if data.get(name) is None:
            return f"data.{name}: required"
    # the common cases inline, names bound locally (thousands of records a second)
    get, times, uuid_match = schema.get, _TIMES, _CANONICAL_UUID.fullmatch
    for key, value in data.items():
        t = type(value)
        if t is str:
            kind = get(key, JSON_ANY)
            if kind == TEXT:
                if "\x00" not in value:
                    continue
            elif kind == UUID:
                if uuid_match(value):
                    continue
            elif kind == TIME and value in times:
                continue
        elif t is int:
            kind = get(key, JSON_ANY)
            if kind == SAFE_INT:
                if -SAFE_INTEGER < value < SAFE_INTEGER:
                    continue
            elif kind == INT and -BIGINT <= value < BIGINT:
                continue
        elif value is None:
            continue
        else:
            kind = get(key, JSON_ANY)
            if t is bool and kind == BOOL:
                continue
        if "\x00" in key:
            return "data: a field name contains NUL (\\u0000)"
        problem = _field_problem(kind, value)
        if problem is None and kind == OBJECT:
            problem = _nested_problem(NESTED.get((rtype, key), {}), value)
        if problem is not None:
            return f"data.{shown(key, 40)[1:-1]}: {problem}"[:480]
    if rtype == "complaint_event":
        status = data.get("hq_status")
        if status is not None and status not in _HQ_STATUSES:
            return f"data.hq_status: must be one of {WORK_ORDER_STATUSES}, got {shown(status)}"
    return None


def _nested_problem(spec: dict[str, int], value: dict[str, Any]) -> str | None:
    for key, kind in spec.items():
        item = value.get(key)
        if item is None:
            continue
        problem = _field_problem(kind, item)
        if problem is not None:
            return f"{key}: {problem}"
    return None
