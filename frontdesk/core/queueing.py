"""The queue's vocabulary (排队叫号): set-up, plain views and the backend protocol.

What a counter, the reception screen, the kiosk and the queue host exchange is plain
data — :class:`TicketView`, :class:`HallSnapshot` — whichever backend answers
(:class:`~frontdesk.services.queue.LocalQueue` on the host, ``RemoteQueue`` over the
LAN). The set-up (:class:`ServiceLine`, :class:`QueueSetup`) is read from the
``[queue]`` config section. The queue's messages are defined here too, because the
local queue, the counter desk and the LAN client all raise them. Nothing here touches a
database: the calling rule is :mod:`frontdesk.core.queue`, the tickets
:mod:`frontdesk.services.queue_local`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from .messages import define, define_field
from .queue import (  # noqa: F401  (the set-up data, importable from here too)
    DEFAULT_LINES,
    QueuePolicy,
    QueueSetup,
    ServiceLine,
)

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

# The set-up data (ServiceLine, DEFAULT_LINES, QueueSetup) lives in core/queue.py, beside
# the policy it carries; it is imported above and re-exported from here.


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
