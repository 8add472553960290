"""The arithmetic of the manager's reports: daily summary and day close (SPEC §7).

Pure functions over plain rows — no Qt, no database — so the counter, head office and
the tests compute every figure the same way. The services read the rows with a few
grouped SQL statements (:mod:`frontdesk.services.reports`) and hand them here.

Definitions (also in ``docs/reports.md``):

- **Money** is integer fen. A void or refund is a slip of its own with negative
  amounts, so every figure is a plain signed sum: "net" means sales plus corrections.
- **Takings (实收)** by method are the payments applied to slips (cash already net of
  change given back); money paid out on voids and refunds is negative. Prepaid balance
  (账户余额) is shown but is not money received today, so it is not in the takings total.
- **Business amount (营业额)** is the net sum of slip totals.
- **Waiting time** = ticket issued → called; visits without a ticket (walk-ins) have
  none. **Handling time** = called → settled, per settled visit (a suspended visit's
  pause counts: the customer was at the counter).
- **SLA**: waiting ≤ the customer's tier limit (catalogue tiers: standard 15 min, VIP
  10 min; ``vip_3g`` 5 min); handling ≤ 10 min per business on the slip (单项业务办理
  ≤ 10 min, so a three-business visit may take 30 min).
- **Percentiles** use the nearest-rank method: the p-th percentile of n sorted values is
  the value at rank ⌈p/100 · n⌉ (1-based) — always an observed time, never interpolated.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalogue import Catalogue
from .intake import METHOD_LABELS, PAYMENT_METHODS
from .money import fen_to_yuan_str

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


def build_summary(
    rows: ReportRows,
    policy: SlaPolicy,
    *,
    scope: str,
    branch_code: str,
    workstation_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    generated_at: dt.datetime,
    counters: Sequence[CounterLine] = (),
    missing_counters: Sequence[str] = (),
    source: str = "local",
    notes: Sequence[str] = (),
) -> DaySummary:
    """Compute the summary from grouped rows (see the module docstring for definitions)."""
    visits = rows.visits
    counts = VisitCounts(
        total=len(visits),
        settled=sum(1 for v in visits if v.status == "settled"),
        cancelled=sum(1 for v in visits if v.status == "cancelled"),
        suspended=sum(1 for v in visits if v.status == "suspended"),
        open=sum(1 for v in visits if v.status == "open"),
        ever_suspended=sum(1 for v in visits if v.ever_suspended),
        with_ticket=sum(1 for v in visits if v.waiting_seconds is not None),
    )
    waiting = time_stats(
        (v.waiting_seconds, policy.waiting_limit_seconds(v.tier))
        for v in visits
        if v.waiting_seconds is not None
    )
    handling = time_stats(
        (v.handling_seconds, policy.handling_limit_seconds(v.businesses, v.business_codes))
        for v in visits
        if v.status == "settled" and v.handling_seconds is not None
    )
    hourly = [0] * 24
    for v in visits:
        hourly[v.hour % 24] += 1

    by_tier: dict[str, list[VisitRow]] = defaultdict(list)
    for v in visits:
        if policy.is_vip(v.tier):
            by_tier[v.tier].append(v)
    tiers = tuple(
        TierLine(
            tier=tier,
            visits=len(group),
            waiting_limit_minutes=policy.waiting_limit_seconds(tier) // 60,
            waiting=time_stats(
                (v.waiting_seconds, policy.waiting_limit_seconds(tier))
                for v in group
                if v.waiting_seconds is not None
            ),
        )
        for tier, group in sorted(
            by_tier.items(), key=lambda kv: (-policy.tier_rank.get(kv[0], 0), kv[0])
        )
    )

    return DaySummary(
        scope=scope,
        branch_code=branch_code,
        workstation_code=workstation_code,
        date_from=date_from,
        date_to=date_to,
        generated_at=generated_at,
        visits=counts,
        businesses=business_lines(rows.items),
        clerks=clerk_lines(rows.slips, rows.items, visits),
        methods=method_lines(rows.payments),
        takings_fen=takings_fen(rows.payments),
        business_total_fen=sum(s.total_fen for s in rows.slips),
        sales_fen=sum(s.total_fen for s in rows.slips if s.kind == "sale"),
        voids_fen=sum(s.total_fen for s in rows.slips if s.kind == "void"),
        refunds_fen=sum(s.total_fen for s in rows.slips if s.kind == "refund"),
        sale_slips=sum(s.count for s in rows.slips if s.kind == "sale"),
        waiting=waiting,
        handling=handling,
        vip_visits=sum(t.visits for t in tiers),
        tiers=tiers,
        hourly=tuple(hourly),
        complaints=rows.complaints,
        warranty_cards=rows.warranty_cards,
        unsynced=rows.unsynced,
        unsynced_total=rows.unsynced_total,
        rejected=rows.rejected,
        corrections=tuple(sorted(rows.corrections, key=lambda c: (c.settled_at, c.slip_no))),
        counters=tuple(counters),
        missing_counters=tuple(missing_counters),
        source=source,
        notes=tuple(notes),
        green_visits=sum(1 for v in visits if v.green),
    )


def business_lines(items: Iterable[ItemGroup]) -> tuple[BusinessLine, ...]:
    """Businesses by type: sold, corrected, net count and net fees; busiest first."""
    acc: dict[str, list] = {}
    for g in items:
        line = acc.setdefault(g.business_code, [g.business_name, 0, 0, 0])
        if g.kind == "sale":
            line[1] += g.count
        else:
            line[2] += g.count
        line[3] += g.fee_fen
    lines = [
        BusinessLine(code, name, sold, corrected, sold - corrected, fen)
        for code, (name, sold, corrected, fen) in acc.items()
    ]
    return tuple(sorted(lines, key=lambda b: (-b.net_count, -b.net_fen, b.code)))


def clerk_lines(
    slips: Iterable[SlipGroup], items: Iterable[ItemGroup], visits: Iterable[VisitRow]
) -> tuple[ClerkLine, ...]:
    """Work by clerk: visits opened, sale slips, businesses, corrections, net amount."""
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for v in visits:
        acc[v.clerk][0] += 1
    for s in slips:
        if s.kind == "sale":
            acc[s.clerk][1] += s.count
        else:
            acc[s.clerk][3] += s.count
        acc[s.clerk][4] += s.total_fen
    for g in items:
        if g.kind == "sale":
            acc[g.clerk][2] += g.count
    lines = [ClerkLine(clerk, *values) for clerk, values in acc.items()]
    return tuple(sorted(lines, key=lambda c: (-c.slips, c.clerk)))


def method_lines(payments: Iterable[PaymentGroup]) -> tuple[MethodLine, ...]:
    """Takings by payment method in the catalogue's method order (methods used only)."""
    acc: dict[str, list[int]] = {}
    for p in payments:
        line = acc.setdefault(p.method, [0, 0, 0, 0])
        if p.kind == "sale":
            line[0] += p.amount_fen
            line[3] += p.change_fen
        else:
            line[1] += p.amount_fen
        line[2] += p.count
    order = {m: i for i, m in enumerate(PAYMENT_METHODS)}
    return tuple(
        MethodLine(method, received, out, received + out, n, change)
        for method, (received, out, n, change) in sorted(
            acc.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])
        )
    )


def takings_fen(payments: Iterable[PaymentGroup]) -> int:
    """Money received net of money paid out, all drawer methods (balance excluded)."""
    return sum(p.amount_fen for p in payments if p.method in DRAWER_METHODS)


def expected_by_method(payments: Iterable[PaymentGroup]) -> dict[str, int]:
    """What the day close expects per method: every method listed, net of corrections."""
    expected = dict.fromkeys(PAYMENT_METHODS, 0)
    for p in payments:
        expected[p.method] = expected.get(p.method, 0) + p.amount_fen
    return expected


def method_label(method: str, language: str = "zh") -> str:
    zh, en = METHOD_LABELS.get(method, (method, method))
    return zh if language == "zh" else en


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: str = "text"  # text | int | fen | share | minutes | datetime

    def label(self, language: str = "zh") -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Table:
    """One table of a report, as every exporter (PDF, XLSX, CSV) and the GUI show it.

    Cells hold raw values: fen as int, shares as 0..1 floats, minutes as floats;
    formatting happens at the edge (:func:`format_cell`).
    """

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]
    row_kinds: tuple[str, ...] = ()  # per-row kind of the last column (the overview)

    def title(self, language: str = "zh") -> str:
        return self.zh if language == "zh" else self.en

    def kind(self, row: int, column: int) -> str:
        """How the cell is formatted: the column's kind, or the row's for a key/value table."""
        if self.row_kinds and column == len(self.columns) - 1:
            return self.row_kinds[row]
        return self.columns[column].kind

    def text_rows(self) -> list[list[str]]:
        return [
            [format_cell(value, self.kind(r, c)) for c, value in enumerate(row)]
            for r, row in enumerate(self.rows)
        ]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def format_cell(value: object, kind: str, *, symbol: bool = False) -> str:
    """Text of one cell for CSV, PDF and screens (money in yuan with two decimals)."""
    if value is None:
        return "—"
    if kind == "fen":
        return fen_to_yuan_str(int(value))  # type: ignore[call-overload]
    if kind == "share":
        return f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]
    if kind == "minutes":
        return f"{float(value):.1f}"  # type: ignore[arg-type]
    if kind == "datetime" and isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _stats_row(label: str, stats: TimeStats, limit_text: str) -> tuple[object, ...]:
    return (
        label,
        limit_text,
        stats.count,
        _minutes(stats.average_seconds),
        _minutes(stats.p90_seconds),
        _minutes(stats.worst_seconds),
        stats.within,
        stats.within_share,
    )


def summary_tables(
    summary: DaySummary,
    policy: SlaPolicy,
    *,
    language: str = "zh",
    local_time: object = None,
) -> list[Table]:
    """The summary as tables, in the order every export shows them.

    ``local_time`` converts stored UTC times for display (``core.clock.local_time``).
    """
    zh = language == "zh"
    to_local = local_time if callable(local_time) else (lambda t: t)
    overview_rows: list[tuple[object, ...]] = [
        ("营业厅" if zh else "Branch", summary.branch_code, "text"),
        (
            "范围" if zh else "Scope",
            (summary.workstation_code or "")
            if summary.scope == "counter"
            else ("全营业厅" if zh else "Whole branch"),
            "text",
        ),
        ("日期" if zh else "Date", summary.period_label, "text"),
        ("接待量" if zh else "Visits", summary.visits.total, "int"),
        ("已结算" if zh else "Settled", summary.visits.settled, "int"),
        ("已取消" if zh else "Cancelled", summary.visits.cancelled, "int"),
        ("挂起未结" if zh else "Still suspended", summary.visits.suspended, "int"),
        ("曾挂起" if zh else "Suspended at least once", summary.visits.ever_suspended, "int"),
        ("VIP 接待" if zh else "VIP visits", summary.vip_visits, "int"),
        ("绿色通道接待" if zh else "Green-channel visits", summary.green_visits, "int"),
        ("受理单（销售）" if zh else "Sale slips", summary.sale_slips, "int"),
        ("销售金额" if zh else "Sales", summary.sales_fen, "fen"),
        ("作废金额" if zh else "Voids", summary.voids_fen, "fen"),
        ("退款金额" if zh else "Refunds", summary.refunds_fen, "fen"),
        ("营业额（净）" if zh else "Business amount (net)", summary.business_total_fen, "fen"),
        ("实收（不含余额）" if zh else "Takings (excl. balance)", summary.takings_fen, "fen"),
        (
            "等候达标率" if zh else "Waiting within SLA",
            summary.waiting.within_share,
            "share",
        ),
        (
            "办理达标率" if zh else "Handling within SLA",
            summary.handling.within_share,
            "share",
        ),
        ("投诉新增" if zh else "Complaints opened", summary.complaints.opened, "int"),
        ("投诉办结" if zh else "Complaints closed", summary.complaints.closed, "int"),
        ("投诉超时" if zh else "Complaints overdue", summary.complaints.overdue, "int"),
        ("保修卡" if zh else "Warranty cards", summary.warranty_cards, "int"),
        ("本期未同步受理单" if zh else "Period slips not yet synced", summary.unsynced, "int"),
        ("全部未同步记录" if zh else "Unsynced records (all)", summary.unsynced_total, "int"),
    ]
    if summary.missing_counters:
        overview_rows.append(
            (
                "缺少的柜台" if zh else "Missing counters",
                "、".join(summary.missing_counters),
                "text",
            )
        )
    tables = [
        Table(
            "overview",
            "概况",
            "Overview",
            (Column("item", "项目", "Item"), Column("value", "数值", "Value")),
            tuple((label, value) for label, value, _ in overview_rows),
            row_kinds=tuple(kind for _, _, kind in overview_rows),
        ),
        Table(
            "methods",
            "收款方式",
            "Takings by method",
            (
                Column("method", "支付方式", "Method"),
                Column("payments", "笔数", "Payments", "int"),
                Column("received", "收入", "Received", "fen"),
                Column("paid_out", "退出", "Paid out", "fen"),
                Column("net", "净额", "Net", "fen"),
                Column("change", "找零", "Change given", "fen"),
            ),
            tuple(
                (
                    method_label(m.method, language),
                    m.payments,
                    m.received_fen,
                    m.paid_out_fen,
                    m.net_fen,
                    m.change_fen,
                )
                for m in summary.methods
            ),
        ),
        Table(
            "businesses",
            "业务类型",
            "Businesses by type",
            (
                Column("code", "编码", "Code"),
                Column("name", "业务", "Business"),
                Column("count", "办理", "Done", "int"),
                Column("corrected", "冲正", "Corrected", "int"),
                Column("net_count", "净笔数", "Net count", "int"),
                Column("net", "净金额", "Net amount", "fen"),
            ),
            tuple(
                (b.code, b.name, b.count, b.corrected, b.net_count, b.net_fen)
                for b in summary.businesses
            ),
        ),
        Table(
            "clerks",
            "营业员",
            "By clerk",
            (
                Column("clerk", "营业员", "Clerk"),
                Column("visits", "接待", "Visits", "int"),
                Column("slips", "受理单", "Sale slips", "int"),
                Column("businesses", "业务笔数", "Businesses", "int"),
                Column("corrections", "冲正单", "Corrections", "int"),
                Column("net", "净金额", "Net amount", "fen"),
            ),
            tuple(
                (c.clerk, c.visits, c.slips, c.businesses, c.corrections, c.net_fen)
                for c in summary.clerks
            ),
        ),
    ]
    stats_columns = (
        Column("measure", "指标", "Measure"),
        Column("limit", "时限", "Limit"),
        Column("count", "样本", "Count", "int"),
        Column("average", "平均(分)", "Average (min)", "minutes"),
        Column("p90", "90分位(分)", "P90 (min)", "minutes"),
        Column("worst", "最长(分)", "Worst (min)", "minutes"),
        Column("within", "达标", "Within", "int"),
        Column("share", "达标率", "Share within", "share"),
    )
    std = policy.waiting_standard_minutes
    per = policy.handling_minutes_per_business
    sla_rows = [
        _stats_row(
            "等候时长" if zh else "Waiting",
            summary.waiting,
            f"{std}/VIP 分钟" if zh else f"{std} min / VIP",
        ),
        _stats_row(
            "办理时长" if zh else "Handling",
            summary.handling,
            f"每项业务 {per} 分钟" if zh else f"{per} min per business",
        ),
    ]
    for t in summary.tiers:
        sla_rows.append(
            _stats_row(
                ("等候 · " if zh else "Waiting · ") + policy.tier_label(t.tier, language),
                t.waiting,
                f"{t.waiting_limit_minutes} 分钟" if zh else f"{t.waiting_limit_minutes} min",
            )
        )
    tables.append(Table("sla", "服务时限", "Service levels", stats_columns, tuple(sla_rows)))
    tables.append(
        Table(
            "vip",
            "VIP 客户",
            "VIP visits by tier",
            (
                Column("tier", "级别", "Tier"),
                Column("visits", "接待", "Visits", "int"),
                Column("limit", "等候时限(分)", "Waiting limit (min)", "int"),
                Column("within", "等候达标", "Within", "int"),
                Column("share", "达标率", "Share within", "share"),
            ),
            tuple(
                (
                    policy.tier_label(t.tier, language),
                    t.visits,
                    t.waiting_limit_minutes,
                    t.waiting.within,
                    t.waiting.within_share,
                )
                for t in summary.tiers
            ),
        )
    )
    tables.append(
        Table(
            "hourly",
            "分时接待量",
            "Visits by hour",
            (Column("hour", "时段", "Hour"), Column("visits", "接待", "Visits", "int")),
            tuple((f"{h:02d}:00", n) for h, n in enumerate(summary.hourly) if n),
        )
    )
    tables.append(
        Table(
            "corrections",
            "作废与退款",
            "Voids and refunds",
            (
                Column("slip_no", "冲正单号", "Slip no."),
                Column("kind", "类型", "Kind"),
                Column("original", "原单号", "Original slip"),
                Column("amount", "金额", "Amount", "fen"),
                Column("methods", "退回方式", "Paid back as"),
                Column("reason", "原因", "Reason"),
                Column("clerk", "营业员", "Clerk"),
                Column("manager", "授权经理", "Authorised by"),
                Column("at", "时间", "Time", "datetime"),
            ),
            tuple(
                (
                    c.slip_no,
                    KIND_LABELS.get(c.kind, (c.kind, c.kind))[0 if zh else 1],
                    c.original_slip_no,
                    c.amount_fen,
                    c.methods,
                    c.reason,
                    c.clerk,
                    c.manager,
                    to_local(c.settled_at),
                )
                for c in summary.corrections
            ),
        )
    )
    tables.append(_day_close_table(summary, language, to_local))
    if summary.head_office_methods:
        tables.append(
            Table(
                "branch_methods",
                "全厅收款方式（总部）",
                "Branch takings by method (head office)",
                (Column("method", "支付方式", "Method"), Column("net", "净额", "Net", "fen")),
                tuple((method_label(m, language), fen) for m, fen in summary.head_office_methods),
            )
        )
    if summary.counters:
        tables.append(
            Table(
                "counters",
                "各柜台",
                "Counters",
                (
                    Column("workstation", "柜台", "Counter"),
                    Column("visits", "接待", "Visits", "int"),
                    Column("slips", "受理单", "Slips", "int"),
                    Column("net", "净金额", "Net amount", "fen"),
                    Column("source", "数据来源", "Source"),
                ),
                tuple(
                    (
                        c.workstation,
                        c.visits,
                        c.slips,
                        c.net_fen,
                        ("总部" if zh else "head office")
                        if c.source == "head_office"
                        else ("本机" if zh else "this workstation"),
                    )
                    for c in summary.counters
                ),
            )
        )
    return tables


# --------------------------------------------------------------------------- day close


def _day_close_table(summary: DaySummary, language: str, to_local: Any) -> Table:
    """日结: counted cash, difference and reason, and each terminal method reconciled."""
    zh = language == "zh"

    def terminals(line: DayCloseLine) -> str:
        parts = []
        for method, expected, terminal, diff in line.terminals:
            word = ("相符" if zh else "agrees") if diff == 0 else format_cell(diff, "fen")
            parts.append(
                f"{method_label(method, language)} "
                f"{format_cell(expected, 'fen')}/{format_cell(terminal, 'fen')} {word}"
            )
        return "；".join(parts) if zh else "; ".join(parts)

    kinds = {"close": ("日结", "Close"), "amendment": ("日结更正", "Amendment")}
    return Table(
        "day_close",
        "日结",
        "Day close",
        (
            Column("workstation", "柜台", "Counter"),
            Column("day", "营业日", "Business day"),
            Column("kind", "类型", "Kind"),
            Column("expected", "应收现金", "Expected cash", "fen"),
            Column("counted", "实点现金", "Counted cash", "fen"),
            Column("difference", "差异", "Difference", "fen"),
            Column("reason", "差异原因", "Reason"),
            Column("terminals", "终端对账（应收/终端）", "Terminals (expected/terminal)"),
            Column("manager", "签核经理", "Signed off by"),
            Column("at", "时间", "Time", "datetime"),
        ),
        tuple(
            (
                line.workstation,
                line.day.isoformat(),
                kinds.get(line.kind, (line.kind, line.kind))[0 if zh else 1],
                line.expected_cash_fen,
                line.counted_cash_fen,
                line.difference_fen,
                line.reason or "",
                terminals(line),
                line.manager,
                to_local(line.closed_at),
            )
            for line in summary.day_closes
        )
        or (
            (
                summary.workstation_code or "",
                summary.period_label,
                "未日结" if zh else "Not closed",
                None,
                None,
                None,
                "",
                "",
                "",
                None,
            ),
        ),
    )


@dataclass(frozen=True)
class CloseFigures:
    """What a day close compares: expected takings by method and the cash counted."""

    expected_by_method: Mapping[str, int]
    counted_cash_fen: int

    @property
    def expected_cash_fen(self) -> int:
        return int(self.expected_by_method.get("cash", 0))

    @property
    def difference_fen(self) -> int:
        """Counted minus expected: positive = more cash than expected (长款), negative short."""
        return self.counted_cash_fen - self.expected_cash_fen
