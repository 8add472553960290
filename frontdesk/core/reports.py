"""The arithmetic of the manager's reports: daily summary and day close (SPEC §7).

Split along its seams — the rows, policy and result records (:mod:`.report_model`), the
figures (:mod:`.report_figures`) and the tables every format shows
(:mod:`.report_tables`) — and importable from here as one module.

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

from collections.abc import Mapping
from dataclasses import dataclass

from .report_figures import (
    build_summary,
    business_lines,
    clerk_lines,
    expected_by_method,
    method_label,
    method_lines,
    takings_fen,
)
from .report_model import (
    CORRECTION_KINDS,
    DRAWER_METHODS,
    KIND_LABELS,
    BusinessLine,
    ClerkLine,
    ComplaintCounts,
    Correction,
    CounterLine,
    DayCloseLine,
    DaySummary,
    ItemGroup,
    MethodLine,
    PaymentGroup,
    ReportRows,
    SlaPolicy,
    SlipGroup,
    TierLine,
    TimeStats,
    VisitCounts,
    VisitRow,
    nearest_rank,
    time_stats,
    visit_tier,
)
from .report_tables import (
    Column,
    Table,
    format_cell,
    summary_tables,
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


__all__ = [
    "CORRECTION_KINDS",
    "DRAWER_METHODS",
    "KIND_LABELS",
    "BusinessLine",
    "ClerkLine",
    "CloseFigures",
    "Column",
    "ComplaintCounts",
    "Correction",
    "CounterLine",
    "DayCloseLine",
    "DaySummary",
    "ItemGroup",
    "MethodLine",
    "PaymentGroup",
    "ReportRows",
    "SlaPolicy",
    "SlipGroup",
    "Table",
    "TierLine",
    "TimeStats",
    "VisitCounts",
    "VisitRow",
    "build_summary",
    "business_lines",
    "clerk_lines",
    "expected_by_method",
    "format_cell",
    "method_label",
    "method_lines",
    "nearest_rank",
    "summary_tables",
    "takings_fen",
    "time_stats",
    "visit_tier",
]
