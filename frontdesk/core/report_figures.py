"""The figures of a daily summary and of a day close, computed from the period's rows
(:func:`build_summary`). Part of :mod:`frontdesk.core.reports` (which re-exports every
name here); pure — no Qt, no database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .intake import METHOD_LABELS, PAYMENT_METHODS
from .report_model import (
    DRAWER_METHODS,
    BusinessLine,
    ClerkLine,
    CounterLine,
    DaySummary,
    ItemGroup,
    MethodLine,
    PaymentGroup,
    ReportRows,
    SlaPolicy,
    SlipGroup,
    TierLine,
    VisitCounts,
    VisitRow,
    time_stats,
)


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
