"""The tables of a daily summary, shared by the manager screen and every export format
(:func:`summary_tables`). Part of :mod:`frontdesk.core.reports` (which re-exports every
name here); pure — no Qt, no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .money import fen_to_yuan_str
from .report_figures import (
    method_label,
)
from .report_model import (
    KIND_LABELS,
    DayCloseLine,
    DaySummary,
    SlaPolicy,
    TimeStats,
)

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
