"""The branch's queue (排队叫号): tickets, calling, and the hall's SLA picture.

The queue is branch-wide: one PC (the *queue host*) keeps it in its own database and
serves it on the LAN (``frontdesk.queuehost``); a counter talks to it through a
:class:`QueueBackend` — :class:`LocalQueue` on the host (or on a single-counter branch
with no queue URL), ``RemoteQueue`` everywhere else. Both answer with the same plain
data (:class:`TicketView`, :class:`HallSnapshot`), so the GUI never knows which it has.

Where things are: the set-up, the plain views, the backend protocol and the queue's
messages in :mod:`frontdesk.core.queueing`; the calling rule in :mod:`frontdesk.core.queue`;
the tickets in the host's database in :mod:`frontdesk.services.queue_local`; one
counter's side (:class:`CounterDesk`) here. Every name stays importable from this
module.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from ..core.messages import RuleViolation, error
from ..core.queueing import (
    ACTIONS,
    ACTIVE,
    COUNTER_PATTERN,
    DEFAULT_LINES,
    LINE_PATTERN,
    RECALL_HINT,
    STATUS_ZH,
    WAITING,
    CounterLoad,
    HallSnapshot,
    LineLoad,
    QueueBackend,
    QueueSetup,
    ServiceLine,
    TicketView,
)
from .queue_local import LocalQueue

__all__ = [
    "ACTIONS",
    "ACTIVE",
    "COUNTER_PATTERN",
    "DEFAULT_LINES",
    "LINE_PATTERN",
    "RECALL_HINT",
    "STATUS_ZH",
    "WAITING",
    "CounterDesk",
    "CounterLoad",
    "HallSnapshot",
    "LineLoad",
    "LocalQueue",
    "QueueBackend",
    "QueueSetup",
    "ServiceLine",
    "TicketView",
]


# ------------------------------------------------------------------------ one counter


class CounterDesk:
    """One counter's side of the queue: its current ticket and the visit it becomes.

    Keeps what the counter is doing (the called ticket) so the GUI is a thin layer:
    ``call_next`` → ``start_visit`` (opens the intake visit carrying the ticket's
    number, tier and issue time, so the slip gets waiting and handling times) →
    ``finish`` once the visit is settled or cancelled. A restart picks the current
    ticket up again from the backend (:meth:`resume`).
    """

    def __init__(self, backend: QueueBackend, counter: str, lines: Sequence[str]) -> None:
        self.backend = backend
        self.counter = counter
        self.lines = tuple(lines)
        self.ticket: TicketView | None = None

    def resume(self) -> TicketView | None:
        self.ticket = self.backend.current(self.counter)
        return self.ticket

    def call_next(self) -> TicketView | None:
        ticket = self.backend.call_next(self.counter, self.lines)
        self.ticket = ticket
        return ticket

    def _require(self) -> TicketView:
        if self.ticket is None:
            raise RuleViolation([error("queue.ticket_not_found", "ticket")])
        return self.ticket

    def recall(self) -> TicketView:
        self.ticket = self.backend.recall(self._require().ticket_id, self.counter)
        return self.ticket

    def no_show(self) -> TicketView:
        done = self.backend.no_show(self._require().ticket_id, self.counter)
        self.ticket = None
        return done

    def transfer(self, to_counter: str) -> TicketView:
        moved = self.backend.transfer(self._require().ticket_id, self.counter, to_counter)
        self.ticket = None
        return moved

    def start_visit(self, intake: Any, staff: Any) -> uuid.UUID:
        """Open the intake visit for the called ticket and tie the two together."""
        ticket = self._require()
        visit_id = intake.open_visit(
            staff,
            ticket_no=ticket.ticket_no,
            ticket_tier=ticket.tier_or_none,
            ticket_issued_at=ticket.issued_at,
            called_at=ticket.called_at,
            green_channel=ticket.green_channel,
        )
        self.ticket = self.backend.start_serving(ticket.ticket_id, self.counter, visit_id)
        return visit_id

    def finish(self) -> TicketView | None:
        """The visit ended; ``None`` when there was no ticket (a walk-in)."""
        if self.ticket is None:
            return None
        done = self.backend.finish(self.ticket.ticket_id, self.counter)
        self.ticket = None
        return done
