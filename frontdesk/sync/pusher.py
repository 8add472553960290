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
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select, update

from ..protocol.wire import DEFAULT_BATCH_RECORDS, DEFAULT_PUSH_IN_FLIGHT, MAX_BATCH_RECORDS
from ..store.database import Database
from ..store.models import OutboxEntry
from . import state
from .client import HeadOfficeClient, HeadOfficeRefused, HeadOfficeUnreachable, PushAck

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
    in_flight: int = DEFAULT_PUSH_IN_FLIGHT,
) -> PushReport:
    """Send everything pending (or ``max_batches`` batches); raise on the first failure.

    ``in_flight`` > 1 keeps that many batches on the wire at once, so reading the next
    batch from SQLite and marking the last one sent overlap head office's work.
    A failure leaves its batch unsent, counts an attempt on its rows and records the
    error for the status line; the caller's back-off decides when to try again.
    """
    batch_size = max(1, min(batch_size, MAX_BATCH_RECORDS))
    in_flight = max(1, in_flight)
    report = PushReport()
    fault = _Fault()
    after = 0  # the highest outbox seq already handed to a request in this pass
    waiting: deque[tuple[list[Row[Any]], Future[PushAck]]] = deque()
    failure: Exception | None = None
    pool = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="frontdesk-push")
    try:
        while True:
            while (
                failure is None
                and len(waiting) < in_flight
                and (max_batches is None or report.batches + len(waiting) < max_batches)
            ):
                rows = _next_batch(db, after, batch_size)
                if not rows:
                    break
                sent = pool.submit(
                    client.push,
                    [r.payload for r in rows],
                    str(uuid.uuid4()),
                    outbox_to=rows[-1].seq,
                    follows=after if waiting else None,
                )
                after = rows[-1].seq
                waiting.append((rows, sent))
            if not waiting:
                break
            rows, answer = waiting.popleft()
            try:
                ack = answer.result()
            except (HeadOfficeUnreachable, HeadOfficeRefused) as exc:
                _record_failure(db, rows[0].seq, rows[-1].seq, str(exc))
                failure = failure or exc
                continue
            fault.after_ack()
            _mark_sent(db, rows, ack, now or dt.datetime.now(dt.UTC), report)
    finally:
        pool.shutdown(wait=True)
    if failure is not None:
        raise failure
    return report


def _next_batch(db: Database, after: int, size: int) -> list[Row[Any]]:
    """The oldest unsent outbox rows after ``after`` (seq and payload only: the id is
    looked up for the rare rejected row instead of being converted for every row)."""
    with db.reader() as s:
        return list(
            s.execute(
                select(OutboxEntry.seq, OutboxEntry.payload)
                .where(OutboxEntry.sent_at.is_(None), OutboxEntry.seq > after)
                .order_by(OutboxEntry.seq)
                .limit(size)
            ).all()
        )


def _mark_sent(
    db: Database, rows: list[Row[Any]], ack: PushAck, when: dt.datetime, report: PushReport
) -> None:
    """Head office stored the batch: mark its rows sent (rejections with their reason)."""
    lo, hi = rows[0].seq, rows[-1].seq
    with db.unit_of_work() as uow:
        s = uow.session
        for index, reason in ack.rejected.items():
            if 0 <= index < len(rows):
                record_id = s.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.seq == rows[index].seq)
                    .values(rejected_reason=reason[:500])
                    .returning(OutboxEntry.record_id)
                ).scalar_one()
                report.rejected.append((record_id, reason))
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
