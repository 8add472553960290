"""Storing a pushed batch: validate each record, dedupe by UUID, quarantine poison.

The whole batch is one PostgreSQL transaction; the HTTP answer is sent only after it
committed, so an acknowledged record is always stored (or quarantined). Work done per
batch is one set-based statement (a jsonb array unpacked by PostgreSQL, ``ON CONFLICT DO
NOTHING``) whatever the batch size, which is what keeps 20,000+ records/s possible.

Nothing here commits: :func:`store_batch` runs inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, OperationalError

from ..protocol.records import RECORD_TYPES, SUPPORTED_ENVELOPES
from .schema import check_data, parse_time, shown

log = logging.getLogger("frontdesk.headoffice")

# Fields head office never stores, whatever a (older) counter sends: beside the masked
# ID number a birth date gives the whole number back; the sex is not needed either.
NOT_KEPT: dict[str, tuple[str, ...]] = {"id_verification": ("birth_date", "birth_date_enc", "sex")}

# Kinds whose per-workstation sequence numbers must never repeat (clone detection).
SEQUENCED_KINDS = ("slip", "receipt")


class ClonedIdentity(Exception):
    """Two different records claim the same gapless number of one workstation."""

    def __init__(self, kind: str, seq: int) -> None:
        super().__init__(f"{kind} sequence {seq} already belongs to a different record")
        self.kind = kind
        self.seq = seq


@dataclass
class Rejection:
    index: int
    record_id: str | None
    record_type: str | None
    reason: str
    raw: str


@dataclass
class BatchResult:
    stored: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skew_flagged: bool = False


@dataclass
class _Accepted:
    """A record that passed :func:`check_record`, packed as PostgreSQL will read it."""

    id: str  # canonical lower-case UUID text
    type: str
    packed: dict[str, Any]  # {"i", "t", "v", "d", "dt"}: one element of the batch jsonb


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _canonical_uuid(value: Any) -> str | None:
    """The UUID's canonical text, or None. The regex takes the form every counter sends
    without building a UUID object (2,000 of them per batch); other spellings that
    Python accepts (upper case, braces, no hyphens) are normalised the slow way."""
    if type(value) is str and _CANONICAL_UUID.fullmatch(value):
        return value
    if type(value) is not str:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def check_record(raw: Any, branch: str, workstation: str) -> tuple[_Accepted | None, str | None]:
    """Either an accepted record or the reason it can never be accepted."""
    if type(raw) is not dict:
        return None, "record is not a JSON object"
    version = raw.get("v")
    if type(version) is not int or version not in SUPPORTED_ENVELOPES:
        return None, f"v: unsupported envelope version {shown(version)}"
    rtype = raw.get("type")
    if rtype not in RECORD_TYPES:
        return None, f"type: unknown record type {shown(rtype)}"
    rid = _canonical_uuid(raw.get("id"))
    if rid is None:
        return None, "id: not a UUID"
    if raw.get("branch") != branch or raw.get("workstation") != workstation:
        return None, (
            f"branch/workstation: record claims {shown(raw.get('branch'), 20)}/"
            f"{shown(raw.get('workstation'), 20)}, credential is {branch}/{workstation}"
        )
    data = raw.get("data")
    if type(data) is not dict:
        return None, "data: not a JSON object"
    if "id" in data and _canonical_uuid(data["id"]) != rid:
        return None, "data.id: differs from the envelope id"
    if any(name in data for name in NOT_KEPT.get(rtype, ())):
        data = {k: v for k, v in data.items() if k not in NOT_KEPT[rtype]}
    problem = check_data(rtype, data)
    if problem is not None:
        return None, problem
    device_time = parse_time(data.get("created_at"))
    packed = {"i": rid, "t": rtype, "v": version, "d": data, "dt": device_time}
    return _Accepted(rid, rtype, packed), None


def _clean(value: Any, limit: int) -> str:
    """Text PostgreSQL can store (no NUL, no lone surrogate), at most ``limit`` long."""
    text_ = str(value).replace("\x00", "\\u0000")
    return text_.encode("utf-8", "backslashreplace").decode("utf-8")[:limit]


def _raw_json(raw: Any) -> str:
    """The record as received, for people to read; escaped so PostgreSQL's text takes it."""
    try:
        out = orjson.dumps(raw).decode()
    except TypeError:  # integers past 64 bits: the standard library writes them
        out = json.dumps(raw, ensure_ascii=True, default=repr)
    return out.replace("\x00", "\\u0000")


def _key_of(index: int, raw: Any, branch: str, ws: str) -> str:
    """Quarantine rows are keyed so re-sending the same poison record stores it once."""
    rid = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(rid, str) and 0 < len(rid) <= 64 and rid.isprintable():
        return _clean(f"{branch}/{ws}/{rid}", 80)
    digest = uuid.uuid5(uuid.NAMESPACE_OID, _raw_json(raw))
    return f"{branch}/{ws}/raw:{digest}"[:80]


# The whole batch in ONE statement: the records travel as one jsonb parameter that
# PostgreSQL unpacks in C, and the data-modifying CTEs store the records, claim the
# slip/receipt numbers of the ones that are new and queue their account effects — no
# per-record round trip, no id list back to Python. Dedupe is the primary key: a record
# already stored (re-sent batch) or twice in this batch is skipped by ON CONFLICT.
# A new record whose number claim was skipped met a claim by a *different* record (the
# same record can't be new twice): that is a cloned identity, reported as ``clash``.
_STORE_SQL = text(
    """
WITH batch AS (
    SELECT (e->>'i')::uuid AS id, e->>'t' AS record_type, (e->>'v')::int AS version,
           e->'d' AS data, (e->>'dt')::timestamptz AS device_time
    FROM jsonb_array_elements(CAST(:batch AS jsonb)) AS e
), stored AS (
    INSERT INTO ho_record (id, record_type, branch_code, workstation_code,
                           envelope_version, data, device_time, clock_skew_seconds,
                           skew_flagged)
    SELECT id, record_type, :b, :w, version, data, device_time, :skew, :flag FROM batch
    ON CONFLICT (branch_code, id) DO NOTHING
    RETURNING id, record_type, data
), numbered AS (
    SELECT id, record_type, (data->>'seq')::bigint AS seq FROM stored
    WHERE record_type = ANY(CAST(:sequenced AS text[]))
), claims AS (
    INSERT INTO ho_receipt_seq (branch_code, workstation_code, kind, seq, record_id)
    SELECT :b, :w, record_type, seq, id FROM numbered
    ON CONFLICT DO NOTHING
    RETURNING record_id
), effects AS (
    INSERT INTO ho_pending_effect (item_id, branch_code)
    SELECT id, :b FROM stored
    WHERE record_type = 'slip_item'
      AND coalesce(data->>'account_effect', 'none') NOT IN ('', 'none')
    ON CONFLICT DO NOTHING
), differs AS (
    SELECT b.id FROM batch b JOIN ho_record r ON r.branch_code = :b AND r.id = b.id
    WHERE b.id NOT IN (SELECT id FROM stored)
      AND (r.record_type <> b.record_type OR NOT (r.data @> b.data))
)
SELECT (SELECT count(*) FROM stored) AS stored,
       (SELECT array_agg(id::text) FROM differs) AS differs,
       (SELECT n.record_type || ' ' || n.seq FROM numbered n
         WHERE n.id NOT IN (SELECT record_id FROM claims) LIMIT 1) AS clash
"""
)


def store_batch(
    conn: Connection,
    records: list[Any],
    *,
    branch: str,
    workstation: str,
    skew_seconds: int | None,
    skew_limit: int,
) -> BatchResult:
    """Store one batch inside the caller's transaction; raise :class:`ClonedIdentity`."""
    result = BatchResult()
    accepted: list[dict[str, Any]] = []
    positions: list[int] = []
    quarantine: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate(records):
        rec, reason = check_record(raw, branch, workstation)
        if rec is not None:
            first = seen.setdefault(rec.id, rec.packed)
            if first is rec.packed or (first["t"], first["d"]) == (rec.type, rec.packed["d"]):
                accepted.append(rec.packed)
                positions.append(index)
                continue
            reason = _differs_reason(rec.packed["d"], "sent twice in this batch")
        assert reason is not None
        _reject(result, quarantine, index, raw, reason, branch, workstation)

    flagged = skew_seconds is not None and abs(skew_seconds) > skew_limit
    result.skew_flagged = flagged
    if accepted:
        store_checked(
            conn,
            accepted,
            positions,
            result,
            quarantine,
            branch=branch,
            workstation=workstation,
            skew_seconds=skew_seconds,
            flagged=flagged,
        )
    if quarantine:
        conn.execute(
            text(
                "INSERT INTO ho_quarantine (record_key, record_id, record_type, branch_code,"
                " workstation_code, reason, raw) VALUES (:k, :rid, :rt, :b, :w, :r, :raw)"
                " ON CONFLICT (record_key) DO NOTHING"
            ),
            quarantine,
        )
    return result


def _reject(
    result: BatchResult,
    quarantine: list[dict[str, Any]],
    index: int,
    raw: Any,
    reason: str,
    branch: str,
    workstation: str,
) -> None:
    rid = raw.get("id") if isinstance(raw, dict) else None
    rtype = raw.get("type") if isinstance(raw, dict) else None
    rej = Rejection(
        index,
        _clean(rid, 64) if rid is not None else None,
        _clean(rtype, 64) if rtype is not None else None,
        _clean(reason, 480),
        _raw_json(raw),
    )
    result.rejected.append(rej)
    quarantine.append(
        {
            "k": _key_of(index, raw, branch, workstation),
            "rid": rej.record_id,
            "rt": rej.record_type,
            "b": branch,
            "w": workstation,
            "r": rej.reason,
            "raw": rej.raw,
        }
    )


def store_checked(
    conn: Connection,
    accepted: list[dict[str, Any]],
    positions: list[int],
    result: BatchResult,
    quarantine: list[dict[str, Any]],
    *,
    branch: str,
    workstation: str,
    skew_seconds: int | None,
    flagged: bool,
) -> None:
    """Store records that passed :func:`check_record`: the whole batch in one statement
    (the normal path), inside a savepoint. Should PostgreSQL still refuse something in
    it (a value the schema let through), the batch is stored again record by record,
    each in its own savepoint, and only the refused ones are quarantined — one record
    never fails its batch."""
    params = {
        "b": branch,
        "w": workstation,
        "skew": skew_seconds,
        "flag": flagged,
        "sequenced": list(SEQUENCED_KINDS),
    }
    try:
        with conn.begin_nested():
            row = conn.execute(
                _STORE_SQL, {**params, "batch": orjson.dumps(accepted).decode()}
            ).one()
    except OperationalError:
        raise
    except DBAPIError as exc:
        log.warning(
            "batch of %s/%s refused as a whole (%s): storing record by record",
            branch,
            workstation,
            _pg_reason(exc),
        )
        stored = refused = 0
        clash = None
        for index, packed in zip(positions, accepted, strict=True):
            try:
                with conn.begin_nested():
                    one = conn.execute(
                        _STORE_SQL, {**params, "batch": orjson.dumps([packed]).decode()}
                    ).one()
            except OperationalError:
                raise
            except DBAPIError as one_exc:
                raw = {"id": packed["i"], "type": packed["t"], "data": packed["d"]}
                reason = f"head office could not store it: {_pg_reason(one_exc)}"
                _reject(result, quarantine, index, raw, reason, branch, workstation)
                refused += 1
                continue
            stored += int(one.stored)
            clash = clash or one.clash
            refused += _reject_differing(
                one.differs, [packed], [index], result, quarantine, branch, workstation
            )
        if clash is not None:
            kind, _, seq = str(clash).partition(" ")
            raise ClonedIdentity(kind, int(seq)) from None
        result.stored = stored
        result.duplicates = len(accepted) - stored - refused
        return
    if row.clash is not None:
        kind, _, seq = str(row.clash).partition(" ")
        raise ClonedIdentity(kind, int(seq))
    result.stored = int(row.stored)
    differs = _reject_differing(
        row.differs, accepted, positions, result, quarantine, branch, workstation
    )
    result.duplicates = len(accepted) - result.stored - differs


def _differs_reason(data: dict[str, Any], how: str) -> str:
    digest = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return (
        f"id: {how} with different content (this copy's SHA-256 {digest[:16]}…);"
        " the first one is kept — a cloned or faulty counter?"
    )


def _reject_differing(
    differs: list[str] | None,
    accepted: list[dict[str, Any]],
    positions: list[int],
    result: BatchResult,
    quarantine: list[dict[str, Any]],
    branch: str,
    workstation: str,
) -> int:
    """Quarantine re-sent records whose content differs from what is stored under
    their UUID (a duplicate must be the same fact); return how many."""
    if not differs:
        return 0
    wanted = set(differs)
    count = 0
    for index, packed in zip(positions, accepted, strict=True):
        if packed["i"] in wanted:
            raw = {"id": packed["i"], "type": packed["t"], "data": packed["d"]}
            reason = _differs_reason(packed["d"], "already stored")
            _reject(result, quarantine, index, raw, reason, branch, workstation)
            wanted.discard(packed["i"])
            count += 1
    return count


def _pg_reason(exc: DBAPIError) -> str:
    first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
    return _clean(f"{type(exc.orig).__name__}: {first}", 300)
