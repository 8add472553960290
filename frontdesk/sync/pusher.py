"""Upload: outbox rows to head office in bounded batches, oldest first.

A row is marked sent only *after* head office acknowledged the batch that carried it,
in a local transaction of its own. If the process dies between the two, the rows are
simply sent again next time — head office stores each UUID once, so "at least once" on
the wire becomes "exactly once" in the database. Rejections (quarantined at head
office) are marked with their reason so the counter's UI can show them; they are
acknowledged and never block the rows behind them.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select, update

from ..store.database import Database
from ..store.models import OutboxEntry
from . import state
from .client import HeadOfficeClient, HeadOfficeRefused, HeadOfficeUnreachable
from .protocol import DEFAULT_BATCH_RECORDS, MAX_BATCH_RECORDS

FAULT_ENV = "FRONTDESK_SYNC_FAULT"  # test-only: "die_after_ack:N" (see _fault_after_ack)


@dataclass
class PushReport:
    batches: int = 0
    sent: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    skew_flagged: bool = False


class _Fault:
    def __init__(self) -> None:
        kind, _, count = os.environ.get(FAULT_ENV, "").partition(":")
        self.active = kind == "die_after_ack"
        self.remaining = int(count) if count.isdigit() else 1

    def after_ack(self) -> None:
        """Die as kill -9 would, after head office committed and answered but before the
        rows are marked sent: the case "client killed between send and acknowledgement"."""
        if not self.active:
            return
        self.remaining -= 1
        if self.remaining <= 0:
            os._exit(137)


def push_pending(
    db: Database,
    client: HeadOfficeClient,
    *,
    batch_size: int = DEFAULT_BATCH_RECORDS,
    max_batches: int | None = None,
    now: dt.datetime | None = None,
) -> PushReport:
    """Send everything pending (or ``max_batches`` batches); raise on the first failure.

    A failure leaves the batch unsent, counts an attempt on its rows and records the
    error for the status line; the caller's back-off decides when to try again.
    """
    batch_size = max(1, min(batch_size, MAX_BATCH_RECORDS))
    report = PushReport()
    fault = _Fault()
    while max_batches is None or report.batches < max_batches:
        with db.reader() as s:
            rows = s.execute(
                select(OutboxEntry.seq, OutboxEntry.record_id, OutboxEntry.payload)
                .where(OutboxEntry.sent_at.is_(None))
                .order_by(OutboxEntry.seq)
                .limit(batch_size)
            ).all()
        if not rows:
            break
        lo, hi = rows[0].seq, rows[-1].seq
        try:
            ack = client.push([r.payload for r in rows], batch_id=str(uuid.uuid4()))
        except (HeadOfficeUnreachable, HeadOfficeRefused) as exc:
            _record_failure(db, lo, hi, str(exc))
            raise
        fault.after_ack()
        when = now or dt.datetime.now(dt.UTC)
        with db.unit_of_work() as uow:
            s = uow.session
            for index, reason in ack.rejected.items():
                if 0 <= index < len(rows):
                    s.execute(
                        update(OutboxEntry)
                        .where(OutboxEntry.seq == rows[index].seq)
                        .values(rejected_reason=reason[:500])
                    )
                    report.rejected.append((rows[index].record_id, reason))
            s.execute(
                update(OutboxEntry)
                .where(OutboxEntry.seq >= lo, OutboxEntry.seq <= hi, OutboxEntry.sent_at.is_(None))
                .values(sent_at=when, last_error=None)
            )
            state.put(s, state.LAST_PUSH_OK, when.isoformat())
            state.put(s, state.CLOCK_SKEW_FLAGGED, "1" if ack.skew_flagged else "0")
            uow.commit()
        report.batches += 1
        report.sent += len(rows)
        report.stored += ack.stored
        report.duplicates += ack.duplicates
        report.skew_flagged = report.skew_flagged or ack.skew_flagged
    return report


def _record_failure(db: Database, lo: int, hi: int, message: str) -> None:
    when = dt.datetime.now(dt.UTC)
    with db.unit_of_work() as uow:
        s = uow.session
        s.execute(
            update(OutboxEntry)
            .where(OutboxEntry.seq >= lo, OutboxEntry.seq <= hi, OutboxEntry.sent_at.is_(None))
            .values(attempts=OutboxEntry.attempts + 1, last_error=message[:500])
        )
        record_error(s, message, when)
        uow.commit()


def record_error(session: object, message: str, when: dt.datetime) -> None:
    state.put(session, state.LAST_ERROR, message[:500])  # type: ignore[arg-type]
    state.put(session, state.LAST_ERROR_AT, when.isoformat())  # type: ignore[arg-type]
