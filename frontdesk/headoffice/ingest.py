"""Storing a pushed batch: validate each record, dedupe by UUID, quarantine poison.

The whole batch is one PostgreSQL transaction; the HTTP answer is sent only after it
committed, so an acknowledged record is always stored (or quarantined). Work done per
batch is a handful of set-based statements (``unnest`` arrays, ``ON CONFLICT DO
NOTHING``) whatever the batch size, which is what keeps 20,000+ records/s possible.

Nothing here commits: :func:`store_batch` runs inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, text

from ..sync.protocol import INTEGER_FIELDS, RECORD_TYPES, SUPPORTED_ENVELOPES

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
    id: uuid.UUID
    type: str
    version: int
    data: dict[str, Any]
    device_time: dt.datetime | None


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def check_record(raw: Any, branch: str, workstation: str) -> tuple[_Accepted | None, str | None]:
    """Either an accepted record or the reason it can never be accepted."""
    if not isinstance(raw, dict):
        return None, "record is not a JSON object"
    version = raw.get("v")
    if type(version) is not int or version not in SUPPORTED_ENVELOPES:
        return None, f"v: unsupported envelope version {version!r}"
    rtype = raw.get("type")
    if rtype not in RECORD_TYPES:
        return None, f"type: unknown record type {rtype!r}"
    try:
        rid = uuid.UUID(str(raw.get("id")))
    except ValueError:
        return None, "id: not a UUID"
    if raw.get("branch") != branch or raw.get("workstation") != workstation:
        return None, (
            f"branch/workstation: record claims {raw.get('branch')}/{raw.get('workstation')}, "
            f"credential is {branch}/{workstation}"
        )
    data = raw.get("data")
    if not isinstance(data, dict):
        return None, "data: not a JSON object"
    if "id" in data and str(data["id"]) != str(rid):
        return None, "data.id: differs from the envelope id"
    for name in INTEGER_FIELDS.get(str(rtype), ()):
        value = data.get(name)
        if type(value) is not int:
            return None, f"data.{name}: must be an integer, got {value!r}"[:300]
    return _Accepted(rid, str(rtype), version, data, _parse_time(data.get("created_at"))), None


def _key_of(index: int, raw: Any, branch: str, ws: str) -> str:
    """Quarantine rows are keyed so re-sending the same poison record stores it once."""
    rid = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(rid, str) and 0 < len(rid) <= 64:
        return f"{branch}/{ws}/{rid}"[:80]
    digest = uuid.uuid5(uuid.NAMESPACE_OID, orjson.dumps(raw, option=orjson.OPT_SORT_KEYS).hex())
    return f"{branch}/{ws}/raw:{digest}"[:80]


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
    accepted: dict[uuid.UUID, _Accepted] = {}
    quarantine: list[dict[str, Any]] = []
    for index, raw in enumerate(records):
        rec, reason = check_record(raw, branch, workstation)
        if rec is None:
            assert reason is not None
            rid = raw.get("id") if isinstance(raw, dict) else None
            rtype = raw.get("type") if isinstance(raw, dict) else None
            rej = Rejection(
                index,
                str(rid)[:64] if rid is not None else None,
                str(rtype)[:64] if rtype is not None else None,
                reason,
                orjson.dumps(raw).decode(),
            )
            result.rejected.append(rej)
            quarantine.append(
                {
                    "k": _key_of(index, raw, branch, workstation),
                    "rid": rej.record_id,
                    "rt": rej.record_type,
                    "b": branch,
                    "w": workstation,
                    "r": reason[:500],
                    "raw": rej.raw,
                }
            )
            continue
        if rec.id in accepted:  # the same record twice in one batch: stored once
            result.duplicates += 1
            continue
        accepted[rec.id] = rec

    flagged = skew_seconds is not None and abs(skew_seconds) > skew_limit
    result.skew_flagged = flagged
    if accepted:
        _check_sequences(conn, accepted.values(), branch, workstation)
        ids = list(accepted)
        # The batch travels as ONE jsonb parameter and PostgreSQL unpacks it in C: far
        # cheaper than binding thousands of array elements from Python.
        packed = orjson.dumps(
            [
                {"i": str(a.id), "t": a.type, "v": a.version, "d": a.data, "dt": a.device_time}
                for a in accepted.values()
            ]
        ).decode()
        inserted = conn.execute(
            text(
                "INSERT INTO ho_record (id, record_type, branch_code, workstation_code,"
                " envelope_version, data, device_time, clock_skew_seconds, skew_flagged)"
                " SELECT (e->>'i')::uuid, e->>'t', :b, :w, (e->>'v')::int, e->'d',"
                " (e->>'dt')::timestamptz, :skew, :flag"
                " FROM jsonb_array_elements(CAST(:batch AS jsonb)) AS e"
                " ON CONFLICT (id) DO NOTHING RETURNING id"
            ),
            {"b": branch, "w": workstation, "skew": skew_seconds, "flag": flagged, "batch": packed},
        ).scalars()
        new_ids = set(inserted)
        result.stored = len(new_ids)
        result.duplicates += len(ids) - len(new_ids)
        effects = [
            i
            for i in new_ids
            if accepted[i].type == "slip_item"
            and accepted[i].data.get("account_effect") not in (None, "", "none")
        ]
        if effects:
            conn.execute(
                text(
                    "INSERT INTO ho_pending_effect (item_id)"
                    " SELECT unnest(CAST(:ids AS uuid[])) ON CONFLICT DO NOTHING"
                ),
                {"ids": effects},
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


def _check_sequences(conn: Connection, records: Any, branch: str, workstation: str) -> None:
    """Claim each slip/receipt sequence number; a different owner means a cloned identity."""
    rows: list[tuple[str, int, uuid.UUID]] = [
        (r.type, int(r.data["seq"]), r.id)
        for r in records
        if r.type in SEQUENCED_KINDS and type(r.data.get("seq")) is int
    ]
    if not rows:
        return
    params = {
        "b": branch,
        "w": workstation,
        "kinds": [k for k, _, _ in rows],
        "seqs": [s for _, s, _ in rows],
        "ids": [i for _, _, i in rows],
    }
    conn.execute(
        text(
            "INSERT INTO ho_receipt_seq (branch_code, workstation_code, kind, seq, record_id)"
            " SELECT :b, :w, k, s, i FROM unnest(CAST(:kinds AS text[]), CAST(:seqs AS bigint[]),"
            " CAST(:ids AS uuid[])) AS x(k, s, i) ON CONFLICT DO NOTHING"
        ),
        params,
    )
    clash = conn.execute(
        text(
            "SELECT x.k, x.s FROM unnest(CAST(:kinds AS text[]), CAST(:seqs AS bigint[]),"
            " CAST(:ids AS uuid[])) AS x(k, s, i)"
            " JOIN ho_receipt_seq q ON q.branch_code = :b AND q.workstation_code = :w"
            " AND q.kind = x.k AND q.seq = x.s WHERE q.record_id <> x.i LIMIT 1"
        ),
        params,
    ).first()
    if clash is not None:
        raise ClonedIdentity(str(clash[0]), int(clash[1]))
