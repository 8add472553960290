"""Head office as the anchor of each counter's history (docs/decisions.md, "Tamper
evidence").

A counter's PC can be rewritten by whoever administers it, key file included, so what
makes its history unforgeable is what head office already holds: every audit entry
and settled record pushed so far. After each push pass the counter reports an anchor
(:func:`frontdesk.sync.anchor.anchor`): its audit chain's head and the money totals of
the records head office acknowledged. :func:`record_anchor` compares it with the
stored records and keeps the verdict per workstation in ``ho_integrity``:

- the audit entries head office holds must link (each ``prev_hash`` is the entry
  before's ``entry_hash``, positions contiguous, none stored twice) — walked
  incrementally from where the last report stopped;
- the counter's head must be the entry head office holds at that position, and no
  shorter than what head office holds or was told before (truncation);
- when the report carries totals (the counter sends them every few minutes, with
  nothing pending) and head office has stored the counter's outbox exactly as far as
  the report says, the money totals must agree (compared at most every
  ``sync.integrity_totals_minutes``: they are sums over all of the counter's records).

A counter with findings stays listed (:func:`changed_counters`, ``frontdesk headoffice
integrity``) until IT clears it after looking. It is not refused: it keeps syncing,
so nothing else it records is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, text

from .api_types import Credential

log = logging.getLogger("frontdesk.headoffice")

GENESIS_HASH = "0" * 64
MAX_FINDINGS = 50  # kept per workstation, newest last
MONEY_TYPES = {  # record type -> the amount field its totals sum
    "slip": "total_fen",
    "slip_item": "fee_fen",
    "payment": "amount_fen",
    "receipt": "total_fen",
}


class Total(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int = Field(ge=0, lt=2**53)
    fen: int = Field(gt=-(2**53), lt=2**53)


class AnchorRequest(BaseModel):
    """What a counter reports after a push pass (``POST /v1/integrity``)."""

    model_config = ConfigDict(extra="forbid")
    audit_seq: int = Field(ge=0, lt=2**53)
    audit_head: str = Field(pattern=r"^[0-9a-f]{64}$")
    outbox_to: int = Field(ge=0, lt=2**53)
    totals: dict[str, Total] = Field(default_factory=dict, max_length=len(MONEY_TYPES))


@dataclass(frozen=True)
class ChangedCounter:
    branch_code: str
    workstation_code: str
    changed_at: dt.datetime | None
    anchored_at: dt.datetime | None
    findings: list[str]


_AUDIT_FROM = text(
    "SELECT (data->>'seq')::bigint AS seq, data->>'prev_hash' AS prev_hash,"
    " data->>'entry_hash' AS entry_hash, id FROM ho_record"
    " WHERE branch_code = :b AND workstation_code = :w AND record_type = 'audit_entry'"
    " AND (data->>'seq')::bigint >= :s ORDER BY 1, rx_seq"
)
_AUDIT_AT = text(
    "SELECT data->>'entry_hash' FROM ho_record WHERE branch_code = :b AND"
    " workstation_code = :w AND record_type = 'audit_entry' AND (data->>'seq')::bigint = :s"
)
_AUDIT_MAX = text(
    "SELECT max((data->>'seq')::bigint) FROM ho_record WHERE branch_code = :b AND"
    " workstation_code = :w AND record_type = 'audit_entry'"
)
_TOTALS = text(
    "SELECT record_type, count(*), coalesce(sum((data->>(CASE record_type"
    " WHEN 'slip_item' THEN 'fee_fen' WHEN 'payment' THEN 'amount_fen'"
    " ELSE 'total_fen' END))::bigint), 0) FROM ho_record"
    " WHERE branch_code = :b AND workstation_code = :w AND record_type = ANY(:types)"
    " GROUP BY record_type"
)


def _short(h: str | None) -> str:
    return (h or "-")[:12]


def _walk_chain(
    conn: Connection, cred: Credential, row: Any, findings: list[str]
) -> tuple[int, str]:
    """Check the links of the stored audit entries from the last checked position on."""
    where = {"b": cred.branch, "w": cred.workstation}
    prev_seq, prev_hash = int(row.checked_seq), str(row.checked_hash)
    seen_at_prev = 0
    for entry in conn.execute(_AUDIT_FROM, {**where, "s": max(prev_seq, 1)}):
        seq = int(entry.seq)
        if seq == prev_seq:
            seen_at_prev += 1
            if seen_at_prev > 1 or entry.entry_hash != prev_hash:
                findings.append(
                    f"audit entry {seq} arrived again with different content (id {entry.id}): "
                    "the counter's history was rewritten after it was pushed"
                )
            continue
        if seq != prev_seq + 1:
            findings.append(
                f"audit entries {prev_seq + 1}–{seq - 1} never arrived: they were deleted "
                "at the counter before they were pushed"
            )
        elif entry.prev_hash != prev_hash:
            findings.append(
                f"audit entry {seq} does not follow entry {prev_seq} as head office holds it: "
                "the counter's chain was rewritten"
            )
        prev_seq, prev_hash, seen_at_prev = seq, str(entry.entry_hash), 1
    return prev_seq, prev_hash


def _check_head(
    conn: Connection, cred: Credential, row: Any, anchor: AnchorRequest, findings: list[str]
) -> None:
    where = {"b": cred.branch, "w": cred.workstation}
    held = [h for (h,) in conn.execute(_AUDIT_AT, {**where, "s": anchor.audit_seq})]
    if anchor.audit_seq and any(h != anchor.audit_head for h in held):
        findings.append(
            f"the counter's audit entry {anchor.audit_seq} is now {_short(anchor.audit_head)}…, "
            f"head office holds {_short(held[0])}…: the history was rewritten"
        )
    stored_max = conn.execute(_AUDIT_MAX, where).scalar() or 0
    before = int(row.audit_seq or 0)
    if stored_max > anchor.audit_seq or before > anchor.audit_seq:
        findings.append(
            f"the counter's audit chain ends at entry {anchor.audit_seq}, head office holds "
            f"{max(stored_max, before)}: the history was truncated"
        )


def _check_totals(
    conn: Connection, cred: Credential, anchor: AnchorRequest, findings: list[str]
) -> None:
    found = {
        rtype: (int(count), int(fen))
        for rtype, count, fen in conn.execute(
            _TOTALS, {"b": cred.branch, "w": cred.workstation, "types": list(MONEY_TYPES)}
        )
    }
    for rtype in MONEY_TYPES:
        counter = anchor.totals.get(rtype, Total(count=0, fen=0))
        held = found.get(rtype, (0, 0))
        if (counter.count, counter.fen) != held:
            findings.append(
                f"{rtype} totals differ: the counter has {counter.count} records / {counter.fen} "
                f"fen, head office received {held[0]} / {held[1]} fen: settled amounts were "
                "changed at the counter"
            )


def record_anchor(
    conn: Connection, cred: Credential, anchor: AnchorRequest, *, totals_every_minutes: int
) -> dict[str, Any]:
    """Compare a counter's report with what head office holds; keep the verdict; commit."""
    where = {"b": cred.branch, "w": cred.workstation}
    conn.execute(
        text(
            "INSERT INTO ho_integrity (branch_code, workstation_code) VALUES (:b, :w)"
            " ON CONFLICT DO NOTHING"
        ),
        where,
    )
    row = conn.execute(
        text(
            "SELECT audit_seq, checked_seq, checked_hash, status, findings,"
            " totals_checked_at IS NULL OR totals_checked_at"
            "  < now() - make_interval(mins => :m) AS totals_due,"
            " (SELECT last_outbox_seq FROM ho_workstation WHERE branch_code = :b"
            "  AND workstation_code = :w) AS stored_to"
            " FROM ho_integrity WHERE branch_code = :b AND workstation_code = :w FOR UPDATE"
        ),
        {**where, "m": totals_every_minutes},
    ).one()
    findings: list[str] = []
    checked_seq, checked_hash = _walk_chain(conn, cred, row, findings)
    _check_head(conn, cred, row, anchor, findings)
    compare_totals = (
        bool(anchor.totals) and row.totals_due and (row.stored_to or 0) == anchor.outbox_to
    )
    if compare_totals:
        _check_totals(conn, cred, anchor, findings)
    known = {str(f.get("finding")) for f in row.findings}
    findings = [f for f in dict.fromkeys(findings) if f not in known]  # each told once
    now = dt.datetime.now(dt.UTC).isoformat()
    kept = (list(row.findings) + [{"at": now, "finding": f} for f in findings])[-MAX_FINDINGS:]
    status = "changed" if findings or row.status == "changed" else "ok"
    conn.execute(
        text(
            "UPDATE ho_integrity SET anchored_at = now(), audit_seq = :seq, audit_head = :head,"
            " checked_seq = :cs, checked_hash = :ch, outbox_to = :to,"
            " totals = coalesce(CAST(:totals AS jsonb), totals),"
            " totals_checked_at = CASE WHEN :tc THEN now() ELSE totals_checked_at END,"
            " status = :status, findings = CAST(:findings AS jsonb),"
            " changed_at = CASE WHEN :new THEN coalesce(changed_at, now()) ELSE changed_at END"
            " WHERE branch_code = :b AND workstation_code = :w"
        ),
        {
            **where,
            "seq": anchor.audit_seq,
            "head": anchor.audit_head,
            "cs": checked_seq,
            "ch": checked_hash,
            "to": anchor.outbox_to,
            "totals": (
                json.dumps({k: v.model_dump() for k, v in anchor.totals.items()})
                if anchor.totals
                else None
            ),
            "tc": bool(compare_totals),
            "status": status,
            "findings": json.dumps(kept, ensure_ascii=False),
            "new": bool(findings),
        },
    )
    conn.commit()
    for finding in findings:
        log.warning("history of %s/%s changed: %s", cred.branch, cred.workstation, finding)
    return {"status": status, "findings": findings}


def changed_counters(conn: Connection, branch: str | None = None) -> list[ChangedCounter]:
    """Counters whose history changed after it reached head office, oldest first."""
    rows = conn.execute(
        text(
            "SELECT branch_code, workstation_code, changed_at, anchored_at, findings"
            " FROM ho_integrity WHERE status = 'changed'"
            " AND (CAST(:b AS varchar) IS NULL OR branch_code = :b)"
            " ORDER BY changed_at, branch_code, workstation_code"
        ),
        {"b": branch},
    )
    return [
        ChangedCounter(
            r.branch_code,
            r.workstation_code,
            r.changed_at,
            r.anchored_at,
            [str(f.get("finding")) for f in r.findings],
        )
        for r in rows
    ]


def clear_counter(conn: Connection, branch: str, workstation: str) -> bool:
    """IT looked into it: the counter leaves the list (its findings are kept)."""
    done = conn.execute(
        text(
            "UPDATE ho_integrity SET status = 'ok', changed_at = NULL"
            " WHERE branch_code = :b AND workstation_code = :w AND status = 'changed'"
        ),
        {"b": branch, "w": workstation},
    ).rowcount
    return bool(done)
