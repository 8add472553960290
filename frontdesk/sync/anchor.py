"""What a counter tells head office after each push pass: its audit chain's head and,
every few minutes, the money totals of its settled records (``POST /v1/integrity``).

Head office compares them with what it holds (:mod:`frontdesk.headoffice.integrity`):
a history rewritten, truncated or re-priced after it was pushed shows there, whatever
was done to this PC. Totals are sent only when nothing waits in the outbox (so they
cover exactly what head office stored: every record except the few it rejected) and
at most every :data:`TOTALS_EVERY` — they are sums over every record of the counter.
``outbox_to`` says how far the outbox was sent; head office compares the totals only
when it stored the outbox exactly that far.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..store import audit
from ..store.database import Database
from . import state

TOTALS_EVERY = dt.timedelta(minutes=10)
TOTALS_SENT_AT = "sync.integrity_totals_at"
_NOT_REJECTED = (
    "WHERE NOT EXISTS (SELECT 1 FROM outbox o INDEXED BY ix_outbox_rejected"
    " WHERE o.record_id = t.id AND o.rejected_reason IS NOT NULL)"
)
# (record type, table, amount column); head office sums the same fields
ANCHOR_TOTALS = (
    ("slip", "slip", "total_fen"),
    ("slip_item", "slip_item", "fee_fen"),
    ("payment", "payment", "amount_fen"),
    ("receipt", "receipt", "total_fen"),
)


def anchor(db: Database, now: dt.datetime) -> dict[str, Any]:
    """The report for this pass (with totals when they are due and comparable)."""
    with db.reader() as s:
        seq, head = audit.chain_head(s)
        conn = s.connection()
        outbox_to = conn.exec_driver_sql(
            "SELECT max(seq) FROM outbox WHERE sent_at IS NOT NULL"
        ).scalar()
        pending = conn.exec_driver_sql(
            "SELECT 1 FROM outbox WHERE sent_at IS NULL LIMIT 1"
        ).scalar()
        last = state.parse_time(state.get(s, TOTALS_SENT_AT))
        report: dict[str, Any] = {"audit_seq": seq, "audit_head": head, "outbox_to": outbox_to or 0}
        if pending or (last is not None and now - last < TOTALS_EVERY):
            return report
        totals = {}
        for rtype, table, column in ANCHOR_TOTALS:
            count, amount = conn.exec_driver_sql(
                f"SELECT count(*), coalesce(sum(t.{column}), 0) FROM {table} t {_NOT_REJECTED}"
            ).one()
            totals[rtype] = {"count": int(count), "fen": int(amount)}
    report["totals"] = totals
    return report


def note_totals_sent(db: Database, now: dt.datetime) -> None:
    with db.unit_of_work() as uow:
        state.put(uow.session, TOTALS_SENT_AT, now.isoformat())
        uow.commit()
