"""Who is called next (叫号顺序): VIP tiers first, and nobody waits forever.

The rule (docs/queue.md has the reasoning), applied to the tickets waiting for the
lines a counter serves:

0. **Transferred to this counter** — a ticket another counter sent here already
   reached the front once; it is called first, oldest transfer first.
1. **Near the limit** — a ticket whose wait has reached its tier's waiting limit minus
   the margin (standard 15 − 3 = 12 min, VIP 10 − 3 = 7 min by default) is urgent.
   Urgent tickets go first, the one with the least time left first (earliest
   deadline), so a standard customer at 12 minutes beats a gold one who arrived a
   minute ago — that is what keeps the 15-minute promise when VIPs keep coming.
2. **Every N-th call** — after N − 1 calls in a row went to VIP tickets while a
   standard ticket was waiting, the oldest standard ticket is called (default N = 4).
   This bounds how many VIPs can pass a standard customer even when the hall is calm
   and nobody is near a limit.
2½. **Green channel** (特殊群体绿色通道, seed 001) — a ticket reception marked for an
   elderly, disabled or pregnant customer is called before the tiers and the
   fairness turn, oldest first. It comes after rule 1, so a flood of them can't
   starve anyone: whoever reaches the margin of their limit still goes first.
3. **Otherwise** — highest tier rank first; within a tier the oldest ticket first
   (issue time, then ticket number).

Everything here is pure: the service layer gathers the waiting tickets, the recent
calls and the catalogue's limits, and stores the outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from .catalogue import Catalogue

Reason = Literal["transferred", "near_limit", "green_channel", "fairness", "priority"]
#: 特殊群体绿色通道 groups reception may mark a ticket with: code → (zh, en).
GREEN_GROUPS: dict[str, tuple[str, str]] = {
    "elderly": ("老年人", "Elderly"),
    "disabled": ("残障人士", "Disabled"),
    "pregnant": ("孕妇", "Pregnant"),
}
NEAR_SHARE = 0.8  # the hall view turns amber at 80 % of a limit, red past it


@dataclass(frozen=True)
class QueuePolicy:
    """The knobs of the calling rule (the ``[queue]`` config section sets them)."""

    margin_seconds: int = 180
    fairness_every: int = 4  # every N-th call goes to the oldest standard ticket

    def __post_init__(self) -> None:
        if self.margin_seconds < 0:
            raise ValueError("margin_seconds must be >= 0")
        if self.fairness_every < 2:
            raise ValueError("fairness_every must be >= 2")


# The branch's set-up (the ``[queue]`` config section): plain data, read by the config
# (frontdesk.config.queue), the queue service and the queue host.


@dataclass(frozen=True)
class ServiceLine:
    """A service line (业务类别) the kiosk offers: its letter, names and SLA flavour."""

    code: str
    name_zh: str
    name_en: str
    vip_only: bool = False  # VIP专席: standard customers take another line
    vip_3g: bool = False  # 3G VIP desk: the 5-minute limit applies to its VIP tickets


DEFAULT_LINES: tuple[ServiceLine, ...] = (
    ServiceLine("A", "综合业务", "General"),
    ServiceLine("V", "VIP专席", "VIP desk", vip_only=True),
    ServiceLine("B", "宽带业务", "Broadband"),
)


@dataclass(frozen=True)
class QueueSetup:
    """How the branch's queue is set up (from the ``[queue]`` section)."""

    lines: tuple[ServiceLine, ...] = DEFAULT_LINES
    policy: QueuePolicy = field(default_factory=QueuePolicy)
    counters: tuple[str, ...] = ()  # counters shown idle in the hall before their first call

    def line(self, code: str) -> ServiceLine | None:
        return next((line for line in self.lines if line.code == code), None)


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as the calling rule sees it."""

    key: str  # the ticket's id, opaque here
    ticket_no: str
    number: int
    tier_rank: int  # 0 = standard
    issued_at: dt.datetime
    limit_seconds: int  # the waiting limit of its tier (and line)
    transferred_at: dt.datetime | None = None  # set when transferred to this counter
    green: bool = False  # 绿色通道: served before the tiers (after anyone near a limit)

    @property
    def is_standard(self) -> bool:
        return self.tier_rank == 0

    def waited(self, now: dt.datetime) -> float:
        return (now - self.issued_at).total_seconds()

    def slack(self, now: dt.datetime) -> float:
        """Seconds left before the waiting limit (negative once past it)."""
        return self.limit_seconds - self.waited(now)


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    reason: Reason


def vip_streak(recent_tiers_newest_first: Iterable[int]) -> int:
    """How many of the most recent calls in a row went to VIP (rank > 0) tickets."""
    streak = 0
    for rank in recent_tiers_newest_first:
        if rank == 0:
            break
        streak += 1
    return streak


def choose_next(
    waiting: Sequence[Candidate],
    now: dt.datetime,
    streak: int,
    policy: QueuePolicy | None = None,
) -> Choice | None:
    """The ticket to call now, and why; ``None`` when nobody is waiting.

    ``streak`` is :func:`vip_streak` of the calls made so far (branch-wide, today).
    """
    if not waiting:
        return None
    policy = policy or QueuePolicy()
    transferred = [c for c in waiting if c.transferred_at is not None]
    if transferred:
        first = min(transferred, key=lambda c: (c.transferred_at, c.issued_at, c.number))
        return Choice(first, "transferred")
    urgent = [c for c in waiting if c.slack(now) <= policy.margin_seconds]
    if urgent:
        first = min(urgent, key=lambda c: (c.slack(now), -c.tier_rank, c.issued_at, c.number))
        return Choice(first, "near_limit")
    green = [c for c in waiting if c.green]
    if green:
        return Choice(min(green, key=_age_order), "green_channel")
    standard = [c for c in waiting if c.is_standard]
    if standard and streak >= policy.fairness_every - 1:
        return Choice(min(standard, key=_age_order), "fairness")
    first = min(waiting, key=lambda c: (-c.tier_rank, c.issued_at, c.number))
    return Choice(first, "priority")


def _age_order(c: Candidate) -> tuple[dt.datetime, int]:
    return (c.issued_at, c.number)


# --------------------------------------------------------------------------- limits


def waiting_limit_minutes(catalogue: Catalogue, tier: str, vip_3g: bool = False) -> int:
    """The waiting limit (等候时限) of a ticket: DOMAIN.md's 15 / 10 / 5 minutes.

    Standard customers get ``sla.waiting_minutes.standard``; a VIP tier its own
    ``waiting_minutes`` (10); a VIP on a 3G VIP line (3G品牌店 专席) the stricter
    ``sla.waiting_minutes.vip_3g`` (5). An unknown tier code is treated as standard.
    """
    try:
        t = catalogue.tier(tier)
    except KeyError:
        return catalogue.sla.waiting_minutes.standard
    if t.rank == 0:
        return catalogue.sla.waiting_minutes.standard
    if vip_3g:
        return min(t.waiting_minutes, catalogue.sla.waiting_minutes.vip_3g)
    return t.waiting_minutes


def tier_rank(catalogue: Catalogue, tier: str) -> int:
    try:
        return catalogue.tier(tier).rank
    except KeyError:
        return 0


def sla_state(elapsed_seconds: float, limit_seconds: float) -> str:
    """ok / near (≥ 80 % of the limit) / over — the colours of every SLA clock."""
    if limit_seconds <= 0:
        return "idle"
    share = elapsed_seconds / limit_seconds
    if share > 1:
        return "over"
    return "near" if share >= NEAR_SHARE else "ok"


def format_ticket_no(line: str, number: int) -> str:
    """A001 … A999, then A1000: what the hall display and the printed ticket show."""
    return f"{line}{number:03d}"


T = TypeVar("T")


def calling_order(
    pairs: Sequence[tuple[Candidate, T]], now: dt.datetime, streak: int, policy: QueuePolicy
) -> list[T]:
    """The waiting tickets in the order successive calls would take them right now.

    ``pairs`` are the waiting candidates each with its ticket; ``streak`` the VIP calls
    in a row so far (:func:`vip_streak`). The hall view lists the queue in this order."""
    remaining = list(pairs)
    ordered: list[T] = []
    while remaining:
        choice = choose_next([c for c, _ in remaining], now, streak, policy)
        assert choice is not None
        index = next(i for i, (c, _) in enumerate(remaining) if c is choice.candidate)
        candidate, ticket = remaining.pop(index)
        ordered.append(ticket)
        streak = 0 if candidate.is_standard else streak + 1
    return ordered
