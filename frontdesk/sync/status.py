"""What the counter's status line shows about sync (Qt-free; SPEC §9, issue item 9).

Pending count and the age of the oldest unsent record come straight from the outbox,
so they are true even when the sync thread is not running; last success and last error
come from the ``sync.*`` settings the pusher and puller write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..store.database import Database
from ..store.models import OutboxEntry
from . import state

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class RejectedRecord:
    record_id: str
    record_type: str
    reason: str


@dataclass(frozen=True)
class SyncStatus:
    pending: int
    oldest_pending_at: dt.datetime | None
    rejected: int
    last_success_at: dt.datetime | None
    last_error: str | None
    last_error_at: dt.datetime | None
    clock_skew_flagged: bool = False
    enrolled: bool = True
    running: bool = False
    next_attempt_at: dt.datetime | None = None
    recent_rejections: tuple[RejectedRecord, ...] = ()
    as_of: dt.datetime = EPOCH

    def oldest_pending_age(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        if self.oldest_pending_at is None:
            return None
        return (now or self.as_of) - self.oldest_pending_at

    @property
    def healthy(self) -> bool:
        """No error newer than the last success, nothing rejected."""
        if self.rejected:
            return False
        if self.last_error_at is None:
            return True
        return self.last_success_at is not None and self.last_success_at >= self.last_error_at

    @property
    def level(self) -> str:
        """``ok`` / ``pending`` / ``offline`` / ``attention`` for colouring the status line."""
        if not self.enrolled or self.rejected or self.clock_skew_flagged:
            return "attention"
        if not self.healthy:
            return "offline"
        return "pending" if self.pending else "ok"


def read_status(
    db: Database, *, now: dt.datetime | None = None, enrolled: bool = True
) -> SyncStatus:
    now = now or dt.datetime.now(dt.UTC)
    with db.reader() as s:
        pending, oldest = s.execute(
            select(func.count(), func.min(OutboxEntry.created_at)).where(
                OutboxEntry.sent_at.is_(None)
            )
        ).one()
        rejected = s.scalar(select(func.count()).where(OutboxEntry.rejected_reason.is_not(None)))
        recent = s.execute(
            select(OutboxEntry.record_id, OutboxEntry.record_type, OutboxEntry.rejected_reason)
            .where(OutboxEntry.rejected_reason.is_not(None))
            .order_by(OutboxEntry.seq.desc())
            .limit(5)
        ).all()
        values = state.get_many(s)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    successes = [
        t
        for t in (
            state.parse_time(values.get(state.LAST_PUSH_OK)),
            state.parse_time(values.get(state.LAST_PULL_OK)),
        )
        if t is not None
    ]
    return SyncStatus(
        pending=int(pending or 0),
        oldest_pending_at=oldest,
        rejected=int(rejected or 0),
        last_success_at=max(successes) if successes else None,
        last_error=values.get(state.LAST_ERROR),
        last_error_at=state.parse_time(values.get(state.LAST_ERROR_AT)),
        clock_skew_flagged=values.get(state.CLOCK_SKEW_FLAGGED) == "1",
        enrolled=enrolled,
        recent_rejections=tuple(RejectedRecord(str(r[0]), r[1], r[2] or "") for r in recent),
        as_of=now,
    )


def describe_age(age: dt.timedelta | None) -> str:
    """ "3 分钟 / 3 min" style, for the status line."""
    if age is None:
        return "—"
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} 秒 / {seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} 分钟 / {seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} 小时 / {seconds // 3600} h"
    return f"{seconds // 86400} 天 / {seconds // 86400} d"
