"""The branch's queue (排队叫号): tickets, calling, and the hall's SLA picture.

The queue is branch-wide: one PC (the *queue host*) keeps it in its own database and
serves it on the LAN (``frontdesk.queuehost``); a counter talks to it through a
:class:`QueueBackend` — :class:`LocalQueue` on the host (or on a single-counter branch
with no queue URL), ``RemoteQueue`` everywhere else. Both answer with the same plain
data (:class:`TicketView`, :class:`HallSnapshot`), so the GUI never knows which it has.

Each public method of :class:`LocalQueue` is one unit of work on the host's database:
the ticket row (working state) changes and a :class:`~frontdesk.store.models.QueueEvent`
(synced, insert-only) records what happened, in the same transaction. The calling order
is the pure rule of :mod:`frontdesk.core.queue`. Ticket numbers restart at 1 every
business day per service line (A001, V001, B001 …); write transactions are
BEGIN IMMEDIATE, so two kiosks can't print the same number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.catalogue import Catalogue
from ..core.clock import Clock, business_date
from ..core.messages import RuleViolation, define, define_field, error
from ..core.queue import (
    DEFAULT_LINES,  # noqa: F401  (the set-up data lives in core.queue; importable here too)
    GREEN_GROUPS,
    Candidate,
    QueuePolicy,  # noqa: F401
    QueueSetup,
    ServiceLine,
    choose_next,
    format_ticket_no,
    sla_state,
    tier_rank,
    vip_streak,
    waiting_limit_minutes,
)
from ..store.database import Database
from ..store.models import QueueEvent, QueueTicket

COUNTER_PATTERN = re.compile(r"^[A-Z0-9]{2,12}$")
LINE_PATTERN = re.compile(r"^[A-Z]{1,2}$")
ACTIVE = ("called", "serving")  # a counter's current ticket
WAITING = ("waiting", "transferred")
RECALL_HINT = 3  # after this many recalls the counter suggests 过号

define_field("queue", zh="叫号", en="queue")
define_field("service_line", zh="业务类别", en="service line")
define_field("ticket_tier", zh="客户级别", en="customer tier")
define_field("ticket", zh="排队票", en="ticket")
define_field("green_channel", zh="绿色通道", en="green channel")
define(
    "queue.unknown_green_group",
    zh="{field}类别“{group}”不存在，请选择：{groups_zh}。",
    en="There is no {field} group “{group}”; please choose: {groups_en}.",
)
define_field("counter", zh="窗口", en="counter")
define_field("to_counter", zh="转至窗口", en="transfer to counter")

define(
    "queue.unknown_line",
    zh="{field}“{line}”不存在，请从列表中选择（可选：{lines}）。",
    en="There is no {field} “{line}”; please choose one of: {lines}.",
)
define(
    "queue.unknown_tier",
    zh="{field}“{tier}”不在业务目录中，请从列表中选择。",
    en="{field} “{tier}” is not in the catalogue; please choose from the list.",
)
define(
    "queue.vip_line",
    zh="“{line}”为VIP专席，仅接待VIP客户；普通客户请取综合业务号。",
    en="“{line}” is the VIP desk for VIP customers; please take a general ticket instead.",
)
define(
    "queue.ticket_not_found",
    zh="找不到该{field}（可能已过期或属于其他日期），请刷新后重试。",
    en="That {field} can't be found (it may be from another day); please refresh and retry.",
)
define(
    "queue.not_this_counter",
    zh="{ticket} 号由窗口 {other} 叫号，本窗口不能操作该票。",
    en="Ticket {ticket} was called by counter {other}; this counter can't act on it.",
)
define(
    "queue.wrong_state",
    zh="{ticket} 号当前状态为“{status}”，不能{action}。",
    en="Ticket {ticket} is “{status}” and can't be {action_en}.",
)
define(
    "queue.counter_busy",
    zh="本窗口正在接待 {ticket} 号，请先完成、转移或过号后再叫下一位。",
    en="This counter still has ticket {ticket}; finish, transfer or skip it before calling.",
)
define(
    "queue.bad_counter",
    zh="{field}“{counter}”格式不正确，应为2-12位大写字母或数字（如 W02）。",
    en="{field} “{counter}” is not valid: 2-12 capital letters or digits, e.g. W02.",
)
define(
    "queue.same_counter",
    zh="不能转移到本窗口，请填写另一个{field}。",
    en="A ticket can't be transferred to the same counter; please give another {field}.",
)
define(
    "queue.no_lines",
    zh="本窗口未设置叫号业务类别，请在配置的 [queue] counter_lines 中设置。",
    en="This counter serves no service line; set [queue] counter_lines in the config.",
)
define(
    "queue.unreachable",
    zh="叫号服务器无法连接（{url}）。您可以继续接待散客；请联系IT检查叫号主机。",
    en="The queue server can't be reached ({url}). You can still serve walk-ins; "
    "please ask IT to check the queue host.",
)
define(
    "queue.refused",
    zh="叫号服务器拒绝了请求：{reason}。请联系IT检查叫号口令配置。",
    en="The queue server refused the request: {reason}. Please ask IT to check the token.",
)

define(
    "queue.ticket_unknown",
    zh="今天没有{field}为 {ticket} 的号码，请核对客户手中的号票。",
    en="There is no ticket {ticket} today; please check the customer's ticket ({field}).",
)
define(
    "queue.not_no_show",
    zh="号码 {ticket} 当前为“{status}”，只有过号的号码才能重新排队（{field}）。",
    en="Ticket {ticket} is “{status}”; only a missed (no-show) ticket can be put back "
    "in line ({field}).",
)
define(
    "queue.requeued_once",
    zh="号码 {ticket} 已经重新排过一次队，请为客户重新取号（{field}）。",
    en="Ticket {ticket} was already put back in line once; please issue a new ticket ({field}).",
)

STATUS_ZH = {
    "waiting": "等候中",
    "called": "已叫号",
    "serving": "办理中",
    "done": "已完成",
    "no_show": "过号",
    "transferred": "已转移",
    "cancelled": "已取消",
}
ACTIONS = {
    "recall": ("重呼", "recalled"),
    "no_show": ("过号", "skipped"),
    "transfer": ("转移", "transferred"),
    "serve": ("开始办理", "served"),
    "finish": ("完成", "finished"),
}


# ------------------------------------------------------------------------ set-up data
# ServiceLine, DEFAULT_LINES, QueueSetup: frontdesk.core.queue (the config reads them too)


# ------------------------------------------------------------------------ plain views


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class TicketView:
    """A ticket as counters, the reception screen and the kiosk see it."""

    ticket_id: uuid.UUID
    ticket_no: str
    service_line: str
    tier: str
    status: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    counter: str | None
    transfer_to: str | None
    recalls: int
    visit_id: uuid.UUID | None
    ended_at: dt.datetime | None
    waiting_limit_seconds: int
    business_date: dt.date
    green_channel: str | None = None  # 绿色通道 group (core.queue.GREEN_GROUPS)

    @property
    def tier_or_none(self) -> str | None:
        """The tier as the intake service wants it (None for standard)."""
        return None if self.tier == "standard" else self.tier

    def waited_seconds(self, now: dt.datetime) -> float:
        """Issue → call (or → now while still waiting)."""
        return ((self.called_at or now) - self.issued_at).total_seconds()

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["ticket_id"] = str(self.ticket_id)
        data["visit_id"] = str(self.visit_id) if self.visit_id else None
        for key in ("issued_at", "called_at", "ended_at"):
            data[key] = _iso(getattr(self, key))
        data["business_date"] = self.business_date.isoformat()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TicketView:
        return cls(
            ticket_id=uuid.UUID(data["ticket_id"]),
            ticket_no=data["ticket_no"],
            service_line=data["service_line"],
            tier=data["tier"],
            status=data["status"],
            issued_at=_time(data["issued_at"]),  # type: ignore[arg-type]
            called_at=_time(data.get("called_at")),
            counter=data.get("counter"),
            transfer_to=data.get("transfer_to"),
            recalls=int(data.get("recalls", 0)),
            visit_id=uuid.UUID(data["visit_id"]) if data.get("visit_id") else None,
            ended_at=_time(data.get("ended_at")),
            waiting_limit_seconds=int(data["waiting_limit_seconds"]),
            business_date=dt.date.fromisoformat(data["business_date"]),
            green_channel=data.get("green_channel"),
        )


@dataclass(frozen=True)
class LineLoad:
    line: str
    name_zh: str
    name_en: str
    waiting: int
    oldest_wait_seconds: int
    near_limit: int  # ≥ 80 % of their limit
    over_limit: int


@dataclass(frozen=True)
class CounterLoad:
    counter: str
    busy: bool
    ticket_no: str | None
    status: str | None  # called | serving
    since: dt.datetime | None
    served_today: int


@dataclass(frozen=True)
class HallSnapshot:
    """The manager's hall view: waiting now by line, the oldest wait, counters."""

    at: dt.datetime
    business_date: dt.date
    lines: tuple[LineLoad, ...]
    counters: tuple[CounterLoad, ...]
    waiting: tuple[TicketView, ...]  # in the order they would be called by a counter
    issued_today: int
    done_today: int
    no_show_today: int

    @property
    def waiting_total(self) -> int:
        return sum(line.waiting for line in self.lines)

    @property
    def oldest_wait_seconds(self) -> int:
        return max((line.oldest_wait_seconds for line in self.lines), default=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "business_date": self.business_date.isoformat(),
            "lines": [dataclasses.asdict(line) for line in self.lines],
            "counters": [{**dataclasses.asdict(c), "since": _iso(c.since)} for c in self.counters],
            "waiting": [t.to_json() for t in self.waiting],
            "issued_today": self.issued_today,
            "done_today": self.done_today,
            "no_show_today": self.no_show_today,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HallSnapshot:
        return cls(
            at=dt.datetime.fromisoformat(data["at"]),
            business_date=dt.date.fromisoformat(data["business_date"]),
            lines=tuple(LineLoad(**line) for line in data["lines"]),
            counters=tuple(
                CounterLoad(**{**c, "since": _time(c.get("since"))}) for c in data["counters"]
            ),
            waiting=tuple(TicketView.from_json(t) for t in data["waiting"]),
            issued_today=int(data["issued_today"]),
            done_today=int(data["done_today"]),
            no_show_today=int(data["no_show_today"]),
        )


# ------------------------------------------------------------------------ the protocol


@runtime_checkable
class QueueBackend(Protocol):
    """What a counter, the reception screen and the kiosk need from the queue."""

    def service_lines(self) -> tuple[ServiceLine, ...]: ...

    def issue(
        self,
        line: str,
        tier: str = "standard",
        customer_id: uuid.UUID | None = None,
        green_channel: str | None = None,
    ) -> TicketView: ...

    def call_next(self, counter: str, lines: Sequence[str]) -> TicketView | None: ...

    def current(self, counter: str) -> TicketView | None: ...

    def recall(self, ticket_id: uuid.UUID, counter: str) -> TicketView: ...

    def no_show(self, ticket_id: uuid.UUID, counter: str) -> TicketView: ...

    def requeue(self, ticket_no: str, by: str) -> TicketView: ...

    def transfer(self, ticket_id: uuid.UUID, counter: str, to_counter: str) -> TicketView: ...

    def start_serving(
        self, ticket_id: uuid.UUID, counter: str, visit_id: uuid.UUID
    ) -> TicketView: ...

    def finish(self, ticket_id: uuid.UUID, counter: str) -> TicketView: ...

    def hall_snapshot(self) -> HallSnapshot: ...


# ------------------------------------------------------------------------ local queue


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
                    self._view(t) for t in _calling_order(pairs, now, streak, self.setup)
                ),
                issued_today=len(tickets),
                done_today=sum(1 for t in tickets if t.status == "done"),
                no_show_today=sum(1 for t in tickets if t.status == "no_show"),
            )


def _calling_order(
    pairs: list[tuple[Candidate, QueueTicket]], now: dt.datetime, streak: int, setup: QueueSetup
) -> list[QueueTicket]:
    """The waiting tickets in the order successive calls would take them right now."""
    remaining = list(pairs)
    ordered: list[QueueTicket] = []
    while remaining:
        choice = choose_next([c for c, _ in remaining], now, streak, setup.policy)
        assert choice is not None
        index = next(i for i, (c, _) in enumerate(remaining) if c is choice.candidate)
        candidate, ticket = remaining.pop(index)
        ordered.append(ticket)
        streak = 0 if candidate.is_standard else streak + 1
    return ordered


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
