"""The queue kept in one database (:class:`LocalQueue`): the queue host's tickets.

Each public method is one unit of work on the host's database: the ticket row (working
state) changes and a :class:`~frontdesk.store.models.QueueEvent` (synced, insert-only)
records what happened, in the same transaction. The calling order is the pure rule of
:mod:`frontdesk.core.queue`. Ticket numbers restart at 1 every business day per
service line (A001, V001, B001 …); write transactions are BEGIN IMMEDIATE, so two
kiosks can't print the same number. Import it from :mod:`frontdesk.services.queue`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.catalogue import Catalogue
from ..core.clock import Clock, business_date
from ..core.messages import RuleViolation, error
from ..core.queue import (
    GREEN_GROUPS,
    Candidate,
    calling_order,
    choose_next,
    format_ticket_no,
    sla_state,
    tier_rank,
    vip_streak,
    waiting_limit_minutes,
)
from ..core.queueing import (
    ACTIONS,
    ACTIVE,
    COUNTER_PATTERN,
    STATUS_ZH,
    WAITING,
    CounterLoad,
    HallSnapshot,
    LineLoad,
    QueueSetup,
    ServiceLine,
    TicketView,
)
from ..store.database import Database
from ..store.models import QueueEvent, QueueTicket


class LocalQueue:
    """The queue kept in this workstation's database (the queue host, or a lone counter)."""

    def __init__(
        self,
        db: Database,
        catalogue: Catalogue,
        clock: Clock,
        branch_code: str,
        setup: QueueSetup | None = None,
    ) -> None:
        self._db = db
        self._catalogue = catalogue
        self._clock = clock
        self._branch = branch_code
        self.setup = setup or QueueSetup()

    @classmethod
    def for_workstation(cls, ws: Any, setup: QueueSetup | None = None) -> LocalQueue:
        """Build on an opened :class:`~frontdesk.services.workstation.Workstation`."""
        return cls(ws.db, ws.catalogue, ws.clock, ws.identity.branch_code, setup)

    # -- helpers --------------------------------------------------------------------
    def _now(self) -> dt.datetime:
        return self._clock.now()

    def _limit_seconds(self, line: str, tier: str) -> int:
        spec = self.setup.line(line)
        vip_3g = bool(spec and spec.vip_3g)
        return waiting_limit_minutes(self._catalogue, tier, vip_3g) * 60

    def _view(self, t: QueueTicket) -> TicketView:
        return TicketView(
            ticket_id=t.id,
            ticket_no=t.ticket_no,
            service_line=t.service_line,
            tier=t.tier,
            status=t.status,
            issued_at=t.issued_at,
            called_at=t.called_at,
            counter=t.counter,
            transfer_to=t.transfer_to,
            recalls=t.recalls,
            visit_id=t.visit_id,
            ended_at=t.ended_at,
            waiting_limit_seconds=self._limit_seconds(t.service_line, t.tier),
            business_date=t.business_date,
            green_channel=t.green_channel,
        )

    def _event(
        self, s: Session, t: QueueTicket, event: str, counter: str | None, **detail: Any
    ) -> None:
        s.add(
            QueueEvent(
                ticket_id=t.id,
                event=event,
                counter=counter,
                detail={"ticket_no": t.ticket_no, "line": t.service_line, **detail},
                created_at=self._now(),
            )
        )

    def _ticket(self, s: Session, ticket_id: uuid.UUID) -> QueueTicket:
        t = s.get(QueueTicket, ticket_id)
        if t is None or t.branch_code != self._branch:
            raise RuleViolation([error("queue.ticket_not_found", "ticket")])
        return t

    def _own(self, t: QueueTicket, counter: str, action: str, allowed: Sequence[str]) -> None:
        if t.status not in allowed:
            zh, en = ACTIONS[action]
            raise RuleViolation(
                [
                    error(
                        "queue.wrong_state",
                        "ticket",
                        ticket=t.ticket_no,
                        status=STATUS_ZH.get(t.status, t.status),
                        action=zh,
                        action_en=en,
                    )
                ]
            )
        if t.counter != counter:
            raise RuleViolation(
                [error("queue.not_this_counter", "ticket", ticket=t.ticket_no, other=t.counter)]
            )

    @staticmethod
    def _check_counter(counter: str, key: str = "counter") -> str:
        code = (counter or "").strip().upper()
        if not COUNTER_PATTERN.match(code):
            raise RuleViolation([error("queue.bad_counter", key, counter=counter)])
        return code

    def _candidates(
        self, s: Session, day: dt.date, counter: str | None, lines: Sequence[str] | None
    ) -> list[tuple[Candidate, QueueTicket]]:
        stmt = select(QueueTicket).where(
            QueueTicket.branch_code == self._branch,
            QueueTicket.business_date == day,
            QueueTicket.status.in_(WAITING),
        )
        out: list[tuple[Candidate, QueueTicket]] = []
        for t in s.scalars(stmt):
            transferred_at: dt.datetime | None = None
            if t.status == "transferred":
                if counter is None or t.transfer_to != counter:
                    continue  # waiting for another counter
                transferred_at = t.ended_at or t.issued_at
            elif lines is not None and t.service_line not in lines:
                continue
            out.append(
                (
                    Candidate(
                        key=str(t.id),
                        ticket_no=t.ticket_no,
                        number=t.number,
                        tier_rank=tier_rank(self._catalogue, t.tier),
                        # a requeued no-show's place (and urgency) counts from its return
                        issued_at=t.requeued_at or t.issued_at,
                        limit_seconds=self._limit_seconds(t.service_line, t.tier),
                        transferred_at=transferred_at,
                        green=t.green_channel is not None,
                    ),
                    t,
                )
            )
        return out

    def _streak(self, s: Session, day: dt.date) -> int:
        tiers = s.scalars(
            select(QueueTicket.tier)
            .where(
                QueueTicket.branch_code == self._branch,
                QueueTicket.business_date == day,
                QueueTicket.called_at.is_not(None),
            )
            .order_by(QueueTicket.called_at.desc(), QueueTicket.number.desc())
            .limit(self.setup.policy.fairness_every)
        ).all()
        return vip_streak(tier_rank(self._catalogue, tier) for tier in tiers)

    def _active(self, s: Session, day: dt.date, counter: str) -> QueueTicket | None:
        return s.scalars(
            select(QueueTicket)
            .where(
                QueueTicket.branch_code == self._branch,
                QueueTicket.business_date == day,
                QueueTicket.counter == counter,
                QueueTicket.status.in_(ACTIVE),
            )
            .order_by(QueueTicket.called_at.desc())
            .limit(1)
        ).first()

    # -- the protocol ---------------------------------------------------------------
    def service_lines(self) -> tuple[ServiceLine, ...]:
        return self.setup.lines

    def issue(
        self,
        line: str,
        tier: str = "standard",
        customer_id: uuid.UUID | None = None,
        green_channel: str | None = None,
    ) -> TicketView:
        """Print a ticket: the next number of the line today (A001 after midnight).

        ``green_channel`` marks it for 特殊群体绿色通道 (elderly / disabled / pregnant):
        the calling rule serves it first without starving anyone."""
        code = (line or "").strip().upper()
        spec = self.setup.line(code)
        problems = []
        if spec is None:
            lines = "、".join(f"{x.code} {x.name_zh}" for x in self.setup.lines)
            problems.append(error("queue.unknown_line", "service_line", line=line, lines=lines))
        try:
            rank = self._catalogue.tier(tier).rank
        except KeyError:
            problems.append(error("queue.unknown_tier", "ticket_tier", tier=tier))
            rank = 0
        if green_channel is not None and green_channel not in GREEN_GROUPS:
            problems.append(
                error(
                    "queue.unknown_green_group",
                    "green_channel",
                    group=green_channel,
                    groups_zh="、".join(zh for zh, _en in GREEN_GROUPS.values()),
                    groups_en=", ".join(en.lower() for _zh, en in GREEN_GROUPS.values()),
                )
            )
        if spec is not None and spec.vip_only and rank == 0 and not problems:
            problems.append(error("queue.vip_line", "service_line", line=spec.name_zh))
        if problems:
            raise RuleViolation(problems)
        now = self._now()
        day = business_date(now)
        with self._db.unit_of_work() as uow:
            s = uow.session
            last = s.execute(
                select(func.max(QueueTicket.number)).where(
                    QueueTicket.branch_code == self._branch,
                    QueueTicket.business_date == day,
                    QueueTicket.service_line == code,
                )
            ).scalar_one()
            number = int(last or 0) + 1
            t = QueueTicket(
                branch_code=self._branch,
                business_date=day,
                service_line=code,
                number=number,
                ticket_no=format_ticket_no(code, number),
                tier=tier,
                customer_id=customer_id,
                status="waiting",
                issued_at=now,
                recalls=0,
                green_channel=green_channel,
            )
            s.add(t)
            s.flush()
            detail: dict[str, Any] = {"tier": tier}
            if green_channel is not None:
                detail["green_channel"] = green_channel
            self._event(s, t, "issued", None, **detail)
            uow.commit()
            return self._view(t)

    def call_next(self, counter: str, lines: Sequence[str]) -> TicketView | None:
        """Call the next ticket for ``counter`` by the rule of :mod:`frontdesk.core.queue`."""
        counter = self._check_counter(counter)
        wanted = [x.strip().upper() for x in lines if x.strip()]
        if not wanted:
            raise RuleViolation([error("queue.no_lines", "service_line")])
        now = self._now()
        day = business_date(now)
        with self._db.unit_of_work() as uow:
            s = uow.session
            active = self._active(s, day, counter)
            if active is not None:
                raise RuleViolation([error("queue.counter_busy", "queue", ticket=active.ticket_no)])
            pairs = self._candidates(s, day, counter, wanted)
            choice = choose_next(
                [c for c, _ in pairs], now, self._streak(s, day), self.setup.policy
            )
            if choice is None:
                return None
            t = next(t for c, t in pairs if c is choice.candidate)
            first_call = t.called_at is None
            if first_call:
                t.called_at = now  # waiting = issue → first call (a transfer keeps it)
            t.status = "called"
            t.counter = counter
            t.recalls = 0
            self._event(
                s,
                t,
                "called",
                counter,
                reason=choice.reason,
                waited_seconds=int((now - t.issued_at).total_seconds()),
            )
            uow.commit()
            return self._view(t)

    def current(self, counter: str) -> TicketView | None:
        """The ticket this counter has called or is serving (after a restart, too)."""
        counter = self._check_counter(counter)
        with self._db.reader() as s:
            t = self._active(s, business_date(self._now()), counter)
            return self._view(t) if t else None

    def recall(self, ticket_id: uuid.UUID, counter: str) -> TicketView:
        """重呼: announce the called ticket again (the customer may not have heard)."""
        counter = self._check_counter(counter)
        with self._db.unit_of_work() as uow:
            t = self._ticket(uow.session, ticket_id)
            self._own(t, counter, "recall", ("called",))
            t.recalls += 1
            self._event(uow.session, t, "recalled", counter, recalls=t.recalls)
            uow.commit()
            return self._view(t)

    def no_show(self, ticket_id: uuid.UUID, counter: str) -> TicketView:
        """过号: the customer did not come; the counter is free for the next one."""
        counter = self._check_counter(counter)
        with self._db.unit_of_work() as uow:
            t = self._ticket(uow.session, ticket_id)
            self._own(t, counter, "no_show", ("called",))
            t.status = "no_show"
            t.ended_at = self._now()
            self._event(uow.session, t, "no_show", counter, recalls=t.recalls)
            uow.commit()
            return self._view(t)

    def requeue(self, ticket_no: str, by: str) -> TicketView:
        """过号重排: the customer who missed the call is back — put the ticket in line again.

        Once per ticket. Its place, and the calling rule's urgency clock, count from now
        (never ahead of people who kept waiting); the slip keeps the first call as the
        end of waiting, as a transfer does. ``by`` is the reception desk or counter.
        """
        by = self._check_counter(by, "by")
        number = "".join(str(ticket_no).split()).upper()
        now = self._now()
        with self._db.unit_of_work() as uow:
            s = uow.session
            t = s.scalar(
                select(QueueTicket).where(
                    QueueTicket.branch_code == self._branch,
                    QueueTicket.business_date == business_date(now),
                    QueueTicket.ticket_no == number,
                )
            )
            if t is None:
                raise RuleViolation([error("queue.ticket_unknown", "ticket_no", ticket=number)])
            if t.status != "no_show":
                status = STATUS_ZH.get(t.status, t.status)
                raise RuleViolation(
                    [error("queue.not_no_show", "ticket_no", ticket=number, status=status)]
                )
            if t.requeued_at is not None:
                raise RuleViolation([error("queue.requeued_once", "ticket_no", ticket=number)])
            t.status = "waiting"
            t.requeued_at = now
            t.counter = None
            t.ended_at = None
            self._event(s, t, "requeued", by)
            uow.commit()
            return self._view(t)

    def transfer(self, ticket_id: uuid.UUID, counter: str, to_counter: str) -> TicketView:
        """转移: send the customer to another counter, ahead of its queue."""
        counter = self._check_counter(counter)
        target = self._check_counter(to_counter, "to_counter")
        if target == counter:
            raise RuleViolation([error("queue.same_counter", "to_counter")])
        with self._db.unit_of_work() as uow:
            t = self._ticket(uow.session, ticket_id)
            self._own(t, counter, "transfer", ACTIVE)
            t.status = "transferred"
            t.transfer_to = target
            t.ended_at = self._now()  # when it left this counter: its place in the next queue
            self._event(uow.session, t, "transferred", counter, to_counter=target)
            uow.commit()
            return self._view(t)

    def start_serving(self, ticket_id: uuid.UUID, counter: str, visit_id: uuid.UUID) -> TicketView:
        """The customer is at the counter: the ticket now belongs to a visit."""
        counter = self._check_counter(counter)
        with self._db.unit_of_work() as uow:
            t = self._ticket(uow.session, ticket_id)
            self._own(t, counter, "serve", ("called",))
            t.status = "serving"
            t.visit_id = visit_id
            self._event(uow.session, t, "serving", counter, visit_id=str(visit_id))
            uow.commit()
            return self._view(t)

    def finish(self, ticket_id: uuid.UUID, counter: str) -> TicketView:
        """The visit is over (settled or cancelled): the counter is idle again."""
        counter = self._check_counter(counter)
        now = self._now()
        with self._db.unit_of_work() as uow:
            t = self._ticket(uow.session, ticket_id)
            self._own(t, counter, "finish", ACTIVE)
            t.status = "done"
            t.ended_at = now
            handled = int((now - t.called_at).total_seconds()) if t.called_at else None
            self._event(uow.session, t, "done", counter, handling_seconds=handled)
            uow.commit()
            return self._view(t)

    def hall_snapshot(self) -> HallSnapshot:
        now = self._now()
        day = business_date(now)
        with self._db.reader() as s:
            tickets = list(
                s.scalars(
                    select(QueueTicket).where(
                        QueueTicket.branch_code == self._branch, QueueTicket.business_date == day
                    )
                )
            )
            streak = self._streak(s, day)
            pairs = self._candidates(s, day, None, None)
            lines = []
            waiting = [t for t in tickets if t.status in WAITING]
            for spec in self.setup.lines:
                mine = [t for t in waiting if t.service_line == spec.code]
                states = [
                    sla_state(
                        (now - t.issued_at).total_seconds(),
                        self._limit_seconds(t.service_line, t.tier),
                    )
                    for t in mine
                ]
                oldest = max(((now - t.issued_at).total_seconds() for t in mine), default=0)
                lines.append(
                    LineLoad(
                        spec.code,
                        spec.name_zh,
                        spec.name_en,
                        len(mine),
                        int(oldest),
                        states.count("near"),
                        states.count("over"),
                    )
                )
            counters = set(self.setup.counters) | {t.counter for t in tickets if t.counter}
            loads = []
            for code in sorted(counters):
                active = [t for t in tickets if t.counter == code and t.status in ACTIVE]
                current = max(active, key=lambda t: t.called_at or t.issued_at, default=None)
                loads.append(
                    CounterLoad(
                        counter=code,
                        busy=current is not None,
                        ticket_no=current.ticket_no if current else None,
                        status=current.status if current else None,
                        since=current.called_at if current else None,
                        served_today=sum(
                            1 for t in tickets if t.counter == code and t.status == "done"
                        ),
                    )
                )
            return HallSnapshot(
                at=now,
                business_date=day,
                lines=tuple(lines),
                counters=tuple(loads),
                waiting=tuple(
                    self._view(t) for t in calling_order(pairs, now, streak, self.setup.policy)
                ),
                issued_today=len(tickets),
                done_today=sum(1 for t in tickets if t.status == "done"),
                no_show_today=sum(1 for t in tickets if t.status == "no_show"),
            )
