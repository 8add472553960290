"""What a counter tells head office after each push pass: its audit chain's head and
the money totals of the records head office acknowledged (``POST /v1/integrity``).

Head office compares them with what it holds (:mod:`frontdesk.headoffice.integrity`):
a history rewritten, truncated or re-priced after it was pushed shows there, whatever
was done to this PC. ``outbox_to`` says how far the totals reach: head office compares
them only when it has stored this counter's outbox exactly that far.
"""

from __future__ import annotations

from typing import Any

from ..store import audit
from ..store.database import Database

_ACKED = (
    "JOIN outbox o ON o.record_id = t.id WHERE o.sent_at IS NOT NULL AND o.rejected_reason IS NULL"
)
# (record type, table, amount column); head office sums the same fields
ANCHOR_TOTALS = (
    ("slip", "slip", "total_fen"),
    ("slip_item", "slip_item", "fee_fen"),
    ("payment", "payment", "amount_fen"),
    ("receipt", "receipt", "total_fen"),
)


def anchor(db: Database) -> dict[str, Any]:
    with db.reader() as s:
        seq, head = audit.chain_head(s)
        conn = s.connection()
        outbox_to = conn.exec_driver_sql(
            "SELECT max(seq) FROM outbox WHERE sent_at IS NOT NULL"
        ).scalar()
        totals = {}
        for rtype, table, column in ANCHOR_TOTALS:
            count, amount = conn.exec_driver_sql(
                f"SELECT count(*), coalesce(sum(t.{column}), 0) FROM {table} t {_ACKED}"
            ).one()
            totals[rtype] = {"count": int(count), "fen": int(amount)}
        acked = conn.exec_driver_sql(f"SELECT max(t.seq) FROM audit_entry t {_ACKED}").scalar()
    return {
        "audit_seq": seq,
        "audit_head": head,
        "audit_acked_seq": acked or 0,
        "outbox_to": outbox_to or 0,
        "totals": totals,
    }
