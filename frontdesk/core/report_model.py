"""The data of the manager's reports: the rows read for a period, the SLA policy, the
statistics (nearest-rank percentiles) and the summary's result records.

Part of :mod:`frontdesk.core.reports` (which re-exports every name here); pure — no Qt,
no database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .catalogue import Catalogue

CORRECTION_KINDS = ("void", "refund")
KIND_LABELS = {"sale": ("销售", "Sale"), "void": ("作废", "Void"), "refund": ("退款", "Refund")}
DRAWER_METHODS = ("cash", "bank_card", "wechat", "alipay")  # money actually received


# --------------------------------------------------------------------------- statistics


def nearest_rank(values: Sequence[int], percent: float) -> int | None:
    """The ``percent``-th percentile by the nearest-rank method (None for no values).

    ``values`` must be sorted ascending. Rank = ⌈percent/100 · n⌉, at least 1.
    """
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError("percent must be in (0, 100]")
    rank = max(1, math.ceil(percent / 100 * len(values)))
    return values[rank - 1]


@dataclass(frozen=True)
class TimeStats:
    """Average, 90th percentile and worst of a set of durations, and the SLA share."""

    count: int = 0
    average_seconds: float | None = None
    p90_seconds: int | None = None
    worst_seconds: int | None = None
    within: int = 0

    @property
    def within_share(self) -> float | None:
        return self.within / self.count if self.count else None

    @property
    def breaches(self) -> int:
        return self.count - self.within


def time_stats(pairs: Iterable[tuple[int, int]]) -> TimeStats:
    """Stats of ``(seconds, limit_seconds)`` pairs; within = seconds ≤ limit."""
    items = list(pairs)
    if not items:
        return TimeStats()
    values = sorted(seconds for seconds, _ in items)
    return TimeStats(
        count=len(values),
        average_seconds=sum(values) / len(values),
        p90_seconds=nearest_rank(values, 90),
        worst_seconds=values[-1],
        within=sum(1 for seconds, limit in items if seconds <= limit),
    )


# --------------------------------------------------------------------------- SLA policy


def visit_tier(ticket_tier: str | None, customer_effective_tier: str | None) -> str:
    """The tier a visit is served, shown and reported under (one rule for all three):
    the ticket's tier when reception gave one, else the customer's *effective* tier
    (membership frozen while a line is in arrears), else standard."""
    return ticket_tier or customer_effective_tier or "standard"


@dataclass(frozen=True)
class SlaPolicy:
    """The limits the counter is held to, from the catalogue (DOMAIN.md service levels)."""

    waiting_standard_minutes: int = 15
    handling_minutes_per_business: int = 10
    tier_waiting_minutes: Mapping[str, int] = field(default_factory=dict)
    tier_rank: Mapping[str, int] = field(default_factory=dict)
    tier_labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    business_minutes: Mapping[str, int] = field(default_factory=dict)  # catalogue SLA

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue) -> SlaPolicy:
        sla = catalogue.sla
        waiting = {t.code: t.waiting_minutes for t in catalogue.tiers}
        waiting.setdefault("vip", sla.waiting_minutes.vip)
        waiting["vip_3g"] = sla.waiting_minutes.vip_3g
        ranks = {t.code: t.rank for t in catalogue.tiers}
        ranks.setdefault("vip", 1)
        ranks.setdefault("vip_3g", 1)
        labels = {t.code: (t.name_zh, t.name_en) for t in catalogue.tiers}
        labels.setdefault("vip", ("VIP", "VIP"))
        labels.setdefault("vip_3g", ("3G VIP", "3G VIP"))
        return cls(
            waiting_standard_minutes=sla.waiting_minutes.standard,
            handling_minutes_per_business=sla.handling_minutes_default,
            tier_waiting_minutes=waiting,
            tier_rank=ranks,
            tier_labels=labels,
            business_minutes={b.code: b.sla_minutes for b in catalogue.businesses},
        )

    def is_vip(self, tier: str | None) -> bool:
        return bool(tier) and self.tier_rank.get(tier or "", 0) > 0

    def waiting_limit_seconds(self, tier: str | None) -> int:
        minutes = self.tier_waiting_minutes.get(tier or "standard", self.waiting_standard_minutes)
        return minutes * 60

    def handling_limit_seconds(self, businesses: int, codes: Sequence[str] = ()) -> int:
        """The handling target of a visit: the catalogue's minutes of each business on
        it (the counter's clock shows the same), the default per business when the
        businesses are not known by code, and the default for a visit with none."""
        if codes:
            default = self.handling_minutes_per_business
            return 60 * sum(self.business_minutes.get(c, default) for c in codes)
        return self.handling_minutes_per_business * 60 * max(1, businesses)

    def tier_label(self, tier: str, language: str = "zh") -> str:
        zh, en = self.tier_labels.get(tier, (tier, tier))
        return zh if language == "zh" else en


# --------------------------------------------------------------------------- input rows


@dataclass(frozen=True)
class VisitRow:
    """One visit opened in the period (settled, cancelled, suspended or still open)."""

    workstation: str
    clerk: str
    status: str  # open | suspended | settled | cancelled
    tier: str
    hour: int  # local hour of arrival (ticket issued, else visit opened), 0..23
    waiting_seconds: int | None
    handling_seconds: int | None  # settled visits only
    businesses: int = 0  # businesses on its sale slip
    ever_suspended: bool = False
    business_codes: tuple[str, ...] = ()  # the businesses on its sale slip (SLA minutes)
    green: bool = False  # called through the 绿色通道 (elderly / disabled / pregnant)


@dataclass(frozen=True)
class PaymentGroup:
    """Payments of one (workstation, slip kind, method), summed."""

    workstation: str
    kind: str
    method: str
    amount_fen: int
    change_fen: int
    count: int


@dataclass(frozen=True)
class ItemGroup:
    """Slip items of one (workstation, clerk, slip kind, business), summed."""

    workstation: str
    clerk: str
    kind: str
    business_code: str
    business_name: str
    count: int
    fee_fen: int


@dataclass(frozen=True)
class SlipGroup:
    """Slips of one (workstation, clerk, kind), summed."""

    workstation: str
    clerk: str
    kind: str
    count: int
    total_fen: int


@dataclass(frozen=True)
class Correction:
    """A void or refund slip, listed for the manager (no customer data)."""

    workstation: str
    slip_no: str
    kind: str
    original_slip_no: str
    amount_fen: int
    reason: str
    clerk: str
    manager: str
    settled_at: dt.datetime
    methods: str = ""


@dataclass(frozen=True)
class ComplaintCounts:
    opened: int = 0
    closed: int = 0
    overdue: int = 0  # open at the end of the period and past their deadline


@dataclass
class ReportRows:
    """Everything a summary is computed from: the grouped rows of one scope."""

    visits: list[VisitRow] = field(default_factory=list)
    payments: list[PaymentGroup] = field(default_factory=list)
    items: list[ItemGroup] = field(default_factory=list)
    slips: list[SlipGroup] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    complaints: ComplaintCounts = field(default_factory=ComplaintCounts)
    warranty_cards: int = 0
    unsynced: int = 0  # outbox rows not yet acknowledged, of records made in the period
    unsynced_total: int = 0  # all outbox rows not yet acknowledged, now
    rejected: int = 0  # quarantined by head office (need attention)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class VisitCounts:
    total: int = 0
    settled: int = 0
    cancelled: int = 0
    suspended: int = 0  # still suspended at report time
    open: int = 0  # still being served
    ever_suspended: int = 0  # suspended at least once (whatever the outcome)
    with_ticket: int = 0


@dataclass(frozen=True)
class BusinessLine:
    code: str
    name: str
    count: int  # sold
    corrected: int  # items voided or refunded
    net_count: int
    net_fen: int


@dataclass(frozen=True)
class ClerkLine:
    clerk: str
    visits: int
    slips: int
    businesses: int
    corrections: int
    net_fen: int


@dataclass(frozen=True)
class MethodLine:
    method: str
    received_fen: int  # on sale slips (cash net of change)
    paid_out_fen: int  # on voids and refunds (≤ 0)
    net_fen: int
    payments: int
    change_fen: int


@dataclass(frozen=True)
class TierLine:
    tier: str
    visits: int
    waiting_limit_minutes: int
    waiting: TimeStats


@dataclass(frozen=True)
class CounterLine:
    workstation: str
    visits: int | None
    slips: int
    net_fen: int
    source: str  # local | head_office


@dataclass(frozen=True)
class DayCloseLine:
    """One day close (日结) of a counter as the summary reports it."""

    workstation: str
    day: dt.date
    kind: str  # close | amendment
    expected_cash_fen: int
    counted_cash_fen: int
    difference_fen: int
    reason: str | None
    # (method, expected, terminal settlement figure, difference) for card/WeChat/Alipay
    terminals: tuple[tuple[str, int, int, int], ...]
    manager: str
    closed_at: dt.datetime


@dataclass(frozen=True)
class DaySummary:
    """Every figure of the daily (or period) summary of one counter or one branch."""

    scope: str  # counter | branch
    branch_code: str
    workstation_code: str | None
    date_from: dt.date
    date_to: dt.date
    generated_at: dt.datetime
    visits: VisitCounts
    businesses: tuple[BusinessLine, ...]
    clerks: tuple[ClerkLine, ...]
    methods: tuple[MethodLine, ...]
    takings_fen: int
    business_total_fen: int
    sales_fen: int
    voids_fen: int
    refunds_fen: int
    sale_slips: int
    waiting: TimeStats
    handling: TimeStats
    vip_visits: int
    tiers: tuple[TierLine, ...]
    hourly: tuple[int, ...]
    complaints: ComplaintCounts
    warranty_cards: int
    unsynced: int
    unsynced_total: int
    rejected: int
    corrections: tuple[Correction, ...]
    counters: tuple[CounterLine, ...] = ()
    missing_counters: tuple[str, ...] = ()
    source: str = "local"  # local | head_office
    notes: tuple[str, ...] = ()
    head_office_methods: tuple[tuple[str, int], ...] = ()  # branch net by method, from HO
    day_closes: tuple[DayCloseLine, ...] = ()  # the period's 日结 records (counters covered)
    green_visits: int = 0  # 特殊群体绿色通道 visits

    @property
    def period_label(self) -> str:
        if self.date_from == self.date_to:
            return self.date_from.isoformat()
        return f"{self.date_from.isoformat()} ~ {self.date_to.isoformat()}"
