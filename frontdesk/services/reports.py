"""Daily summaries for a counter or the branch, and their audited exports (SPEC §7).

The figures are computed by :mod:`frontdesk.core.reports` from grouped rows that this
module reads with a handful of set-based SQL statements — a month of 2,000 visits a day
is 60,000 visits, so nothing here loads ORM objects row by row.

Role checks: a clerk sees their own counter's figures only; a manager sees the branch.
Branch-wide figures come from head office when it answers (``branch_source``: anything
with ``day_summary(date) -> dict``, i.e. :class:`frontdesk.sync.client.HeadOfficeClient`);
otherwise the summary holds this workstation's figures and names the counters missing.
Every export is written and audited in one unit of work; its bytes come from the
exporters the service is given (:class:`ReportExporter`), so nothing here imports
:mod:`frontdesk.reports`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Integer, and_, case, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from ..core.clock import business_tz, local_time, utc_bounds
from ..core.messages import RuleViolation, define, define_field, error
from ..core.reports import (
    ComplaintCounts,
    Correction,
    CounterLine,
    DayCloseLine,
    DaySummary,
    ItemGroup,
    PaymentGroup,
    ReportRows,
    SlaPolicy,
    SlipGroup,
    Table,
    VisitRow,
    build_summary,
    method_label,
    summary_tables,
)
from ..store import audit
from ..store.models import (
    Complaint,
    ComplaintEvent,
    Customer,
    DayClose,
    OutboxEntry,
    Payment,
    Setting,
    Slip,
    SlipItem,
    Staff,
    Visit,
    VisitEvent,
    WarrantyCard,
)
from .auth import StaffSession
from .workstation import Workstation

log = logging.getLogger(__name__)

FORMATS = ("pdf", "xlsx", "csv")
MAX_DAYS = 92  # a quarter: longer ranges are head office's job
KNOWN_COUNTERS_KEY = "reports.branch_counters"

define_field("report.date_from", zh="开始日期", en="Start date")
define_field("report.date_to", zh="结束日期", en="End date")
define_field("report.scope", zh="统计范围", en="Scope")
define_field("report.format", zh="导出格式", en="Export format")
define_field("report.path", zh="导出文件", en="Export file")
define_field("report.manager_password", zh="经理密码", en="Manager's password")

define(
    "report.branch_managers_only",
    zh="全营业厅汇总仅限经理查看；营业员可查看本柜台的汇总。",
    en="Branch-wide summaries are for managers; clerks can see their own counter's summary.",
)
define(
    "report.manager_refused",
    zh="总部未确认经理身份（{field}）：用户名或密码错误，或该账号不是本营业厅的经理。",
    en="Head office did not accept the manager ({field}): wrong username or password, or"
    " not a manager of this branch.",
)
define(
    "report.manager_locked",
    zh="经理验证失败次数过多，总部暂停受理（{field}），请 5 分钟后再试。",
    en="Too many failed manager sign-ins at head office ({field}); try again in 5 minutes.",
)
define(
    "report.role_not_allowed",
    zh="{role}账号不能查看营业汇总，请由营业员或经理操作。",
    en="A {role} account cannot see business summaries; please ask a clerk or a manager.",
)
define(
    "report.dates_reversed",
    zh="{field}不能早于开始日期，请重新选择。",
    en="The {field} can't be before the start date; please choose again.",
)
define(
    "report.range_too_long",
    zh="统计区间最长 {max} 天，请缩短{field}范围或分段导出。",
    en="A report covers at most {max} days; please move the {field} closer or export in parts.",
)
define(
    "report.future_date",
    zh="{field} {day} 尚未到来，请选择今天或以前的日期。",
    en="The {field} {day} is in the future; please choose today or an earlier day.",
)
define(
    "report.unknown_format",
    zh="{field}“{fmt}”不受支持，请选择 PDF、XLSX 或 CSV。",
    en="{field} “{fmt}” is not supported; choose PDF, XLSX or CSV.",
)
define(
    "report.cannot_write",
    zh="无法写入{field} {path}：{why}。请换一个文件夹或检查磁盘空间。",
    en="Could not write the {field} {path}: {why}. Choose another folder or check the disk.",
)


class BranchSource(Protocol):
    """Head office's branch-wide day totals (``HeadOfficeClient.day_summary``)."""

    def day_summary(self, day: dt.date) -> dict[str, Any]: ...


class BranchRowsSource(Protocol):
    """Head office's grouped report rows of the whole branch
    (``HeadOfficeClient.report_rows``, ``GET /v1/report-rows``)."""

    def report_rows(
        self, date_from: dt.date, date_to: dt.date, manager_token: str | None = None
    ) -> dict[str, Any]: ...


class ReportExporter(Protocol):
    """Lays a summary's tables out as one format's bytes (CSV, XLSX, PDF).

    The service is given its exporters by the composition root
    (:mod:`frontdesk.reporting` passes :data:`frontdesk.reports.exporters.EXPORTERS`), so
    this package does not import the layouts. ``fonts`` loads the printing fonts on
    demand (only a PDF needs them).
    """

    def __call__(
        self,
        summary: DaySummary,
        tables: Sequence[Table],
        *,
        language: str,
        branch_name: str,
        policy: SlaPolicy,
        fonts: Callable[[], Any],
    ) -> bytes: ...


@dataclass(frozen=True)
class ManagerPass:
    """A manager's branch token from head office, kept in this process's memory only."""

    username: str
    token: str
    deadline: float  # time.monotonic() after which it is not sent any more


@dataclass(frozen=True)
class ExportResult:
    path: Path
    fmt: str
    size: int
    summary: DaySummary


# --------------------------------------------------------------------------- time ranges


def _offset_modifier(day: dt.date) -> str:
    """SQLite date modifier turning stored UTC into business time ("+8 hours")."""
    offset = dt.datetime.combine(day, dt.time(12), business_tz()).utcoffset() or dt.timedelta()
    return f"{int(offset.total_seconds() // 60):+d} minutes"


# --------------------------------------------------------------------------- row readers


def read_day_closes(
    s: Session,
    *,
    branch: str,
    workstation: str | None,
    date_from: dt.date,
    date_to: dt.date,
) -> tuple[DayCloseLine, ...]:
    """The day closes (日结 and amendments) of the period, oldest first."""
    names = staff_names(s)
    stmt = select(DayClose).where(
        DayClose.branch_code == branch,
        DayClose.business_date >= date_from,
        DayClose.business_date <= date_to,
    )
    if workstation:
        stmt = stmt.where(DayClose.workstation_code == workstation)
    lines = []
    for row in s.scalars(stmt.order_by(DayClose.business_date, DayClose.closed_at, DayClose.seq)):
        terminals = row.figures.get("terminals") or {}
        lines.append(
            DayCloseLine(
                workstation=row.workstation_code,
                day=row.business_date,
                kind=row.kind,
                expected_cash_fen=int(row.expected_by_method.get("cash", 0)),
                counted_cash_fen=row.counted_cash_fen,
                difference_fen=row.difference_fen,
                reason=row.difference_reason,
                terminals=tuple(
                    (m, int(v["expected_fen"]), int(v["terminal_fen"]), int(v["difference_fen"]))
                    for m, v in terminals.items()
                ),
                manager=_name(names, row.manager_id),
                closed_at=row.closed_at,
            )
        )
    return tuple(lines)


def staff_names(s: Session) -> dict[uuid.UUID, str]:
    return {row[0]: row[1] for row in s.execute(select(Staff.id, Staff.display_name))}


def _name(names: dict[uuid.UUID, str], staff_id: uuid.UUID | None) -> str:
    if staff_id is None:
        return ""
    return names.get(staff_id) or str(staff_id)[:8]


def read_payment_groups(
    s: Session, workstation: str | None, date_from: dt.date, date_to: dt.date
) -> list[PaymentGroup]:
    """Payments summed per (workstation, slip kind, method) over slips of the days."""
    stmt = (
        select(
            Slip.workstation_code,
            Slip.kind,
            Payment.method,
            func.sum(Payment.amount_fen),
            func.sum(Payment.change_fen),
            func.count(),
        )
        .join(Slip, Slip.id == Payment.slip_id)
        .where(Slip.business_date.between(date_from, date_to))
        .group_by(Slip.workstation_code, Slip.kind, Payment.method)
    )
    if workstation:
        stmt = stmt.where(Slip.workstation_code == workstation)
    return [
        PaymentGroup(w, k, m, int(a or 0), int(c or 0), int(n))
        for w, k, m, a, c, n in s.execute(stmt)
    ]


def read_corrections(
    s: Session,
    workstation: str | None,
    date_from: dt.date,
    date_to: dt.date,
    names: dict[uuid.UUID, str],
) -> list[Correction]:
    original = aliased(Slip)
    methods = (
        select(func.group_concat(Payment.method, ","))
        .where(Payment.slip_id == Slip.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            Slip.workstation_code,
            Slip.slip_no,
            Slip.kind,
            original.slip_no,
            Slip.total_fen,
            Slip.reason,
            Slip.clerk_id,
            Slip.authorised_by,
            Slip.settled_at,
            methods,
        )
        .join(original, original.id == Slip.original_slip_id)
        .where(Slip.kind.in_(("void", "refund")), Slip.business_date.between(date_from, date_to))
        .order_by(Slip.settled_at, Slip.slip_no)
    )
    if workstation:
        stmt = stmt.where(Slip.workstation_code == workstation)
    out = []
    for w, no, kind, orig, total, reason, clerk, manager, at, used in s.execute(stmt):
        labels = "、".join(method_label(m) for m in dict.fromkeys((used or "").split(",")) if m)
        out.append(
            Correction(
                w,
                no,
                kind,
                orig,
                int(total),
                reason or "",
                _name(names, clerk),
                _name(names, manager),
                at,
                labels,
            )
        )
    return out


def read_rows(
    s: Session,
    *,
    branch: str,
    workstation: str | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
) -> ReportRows:
    """Every grouped row a summary needs, for one workstation (or all local ones)."""
    names = staff_names(s)
    start, end = utc_bounds(date_from, date_to)
    offset = _offset_modifier(date_from)

    # -- visits: one narrow row per visit (percentiles need the individual times)
    sale = aliased(Slip)
    items_on_slip = (
        select(func.count()).where(SlipItem.slip_id == sale.id).correlate(sale).scalar_subquery()
    )
    suspended = exists().where(VisitEvent.visit_id == Visit.id, VisitEvent.event == "suspended")
    arrived = func.coalesce(Visit.ticket_issued_at, Visit.opened_at)
    computed_wait = func.max(
        0,
        func.cast(
            (func.julianday(Visit.called_at) - func.julianday(Visit.ticket_issued_at)) * 86400
            + 0.001,
            Integer,
        ),
    )
    settled_tier = (
        select(func.json_extract(VisitEvent.detail, "$.tier"))
        .where(VisitEvent.visit_id == Visit.id, VisitEvent.event == "settled")
        .correlate(Visit)
        .limit(1)
        .scalar_subquery()
    )
    visit_stmt = (
        select(
            Visit.id,
            Visit.workstation_code,
            Visit.clerk_id,
            Visit.status,
            # the tier the settle recorded (as the counter showed it: core visit_tier);
            # for a visit never settled the same rule on the cached customer
            func.coalesce(
                settled_tier,
                Visit.ticket_tier,
                case((Customer.tier_frozen.is_(True), literal("standard")), else_=Customer.tier),
                literal("standard"),
            ),
            func.cast(func.strftime("%H", arrived, offset), Integer),
            case(
                (Visit.ticket_issued_at.is_(None), None),
                (Visit.called_at.is_(None), None),
                else_=func.coalesce(sale.waiting_seconds, computed_wait),
            ),
            sale.handling_seconds,
            items_on_slip,
            suspended,
            Visit.green_channel.is_not(None),
        )
        .outerjoin(Customer, Customer.id == Visit.customer_id)
        .outerjoin(sale, and_(sale.visit_id == Visit.id, sale.kind == "sale"))
        .where(Visit.opened_at >= start, Visit.opened_at < end, Visit.branch_code == branch)
    )
    if workstation:
        visit_stmt = visit_stmt.where(Visit.workstation_code == workstation)
    visit_results = s.execute(visit_stmt).all()
    # the businesses of each visit's sale slip: the handling target is their SLA minutes
    codes_stmt = (
        select(sale.visit_id, SlipItem.business_code)
        .join(SlipItem, SlipItem.slip_id == sale.id)
        .where(
            sale.kind == "sale",
            sale.visit_id.in_([r[0] for r in visit_results]),
        )
        .order_by(sale.visit_id, SlipItem.line_no)
    )
    codes_of: dict[uuid.UUID, tuple[str, ...]] = {}
    for visit_id, code in s.execute(codes_stmt) if visit_results else ():
        codes_of[visit_id] = (*codes_of.get(visit_id, ()), code)
    visits = [
        VisitRow(
            workstation=w,
            clerk=_name(names, clerk),
            status=status,
            tier=tier or "standard",
            hour=int(hour or 0),
            waiting_seconds=None if wait is None else int(wait),
            handling_seconds=None if handle is None else int(handle),
            businesses=int(n_items or 0),
            ever_suspended=bool(susp),
            business_codes=codes_of.get(visit_id, ()),
            green=bool(green),
        )
        for visit_id, w, clerk, status, tier, hour, wait, handle, n_items, susp, green in (
            visit_results
        )
    ]

    # -- money and businesses: grouped sums
    item_stmt = (
        select(
            Slip.workstation_code,
            Slip.clerk_id,
            Slip.kind,
            SlipItem.business_code,
            func.max(SlipItem.business_name),
            func.count(),
            func.sum(SlipItem.fee_fen),
        )
        .join(Slip, Slip.id == SlipItem.slip_id)
        .where(Slip.business_date.between(date_from, date_to), Slip.branch_code == branch)
        .group_by(Slip.workstation_code, Slip.clerk_id, Slip.kind, SlipItem.business_code)
    )
    slip_stmt = (
        select(
            Slip.workstation_code,
            Slip.clerk_id,
            Slip.kind,
            func.count(),
            func.sum(Slip.total_fen),
        )
        .where(Slip.business_date.between(date_from, date_to), Slip.branch_code == branch)
        .group_by(Slip.workstation_code, Slip.clerk_id, Slip.kind)
    )
    if workstation:
        item_stmt = item_stmt.where(Slip.workstation_code == workstation)
        slip_stmt = slip_stmt.where(Slip.workstation_code == workstation)
    items = [
        ItemGroup(w, _name(names, c), k, code, name, int(n), int(fen or 0))
        for w, c, k, code, name, n, fen in s.execute(item_stmt)
    ]
    slips = [
        SlipGroup(w, _name(names, c), k, int(n), int(fen or 0))
        for w, c, k, n, fen in s.execute(slip_stmt)
    ]

    # -- complaints (a counter's own database only holds its own complaints)
    cutoff = min(end, now)
    closed_before = (
        select(ComplaintEvent.complaint_id)
        .where(ComplaintEvent.event == "closed", ComplaintEvent.created_at < end)
        .scalar_subquery()
    )
    opened = s.scalar(
        select(func.count()).where(
            Complaint.branch_code == branch,
            Complaint.created_at >= start,
            Complaint.created_at < end,
        )
    )
    closed = s.scalar(
        select(func.count(func.distinct(ComplaintEvent.complaint_id)))
        .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
        .where(
            Complaint.branch_code == branch,
            ComplaintEvent.event == "closed",
            ComplaintEvent.created_at >= start,
            ComplaintEvent.created_at < end,
        )
    )
    overdue = s.scalar(
        select(func.count()).where(
            Complaint.branch_code == branch,
            Complaint.created_at < end,
            Complaint.deadline_at < cutoff,
            Complaint.id.not_in(closed_before),
        )
    )
    cards_stmt = select(func.count()).where(
        WarrantyCard.branch_code == branch,
        WarrantyCard.created_at >= start,
        WarrantyCard.created_at < end,
    )
    unsynced_stmt = (
        select(func.count())
        .select_from(Slip)
        .join(OutboxEntry, OutboxEntry.record_id == Slip.id)
        .where(
            Slip.business_date.between(date_from, date_to),
            Slip.branch_code == branch,
            OutboxEntry.sent_at.is_(None),
        )
    )
    if workstation:
        unsynced_stmt = unsynced_stmt.where(Slip.workstation_code == workstation)
    pending_total = s.scalar(
        select(func.count()).where(
            OutboxEntry.sent_at.is_(None), OutboxEntry.rejected_reason.is_(None)
        )
    )
    rejected = s.scalar(select(func.count()).where(OutboxEntry.rejected_reason.is_not(None)))
    return ReportRows(
        visits=visits,
        payments=read_payment_groups(s, workstation, date_from, date_to),
        items=items,
        slips=slips,
        corrections=read_corrections(s, workstation, date_from, date_to, names),
        complaints=ComplaintCounts(int(opened or 0), int(closed or 0), int(overdue or 0)),
        warranty_cards=int(s.scalar(cards_stmt) or 0),
        unsynced=int(s.scalar(unsynced_stmt) or 0),
        unsynced_total=int(pending_total or 0),
        rejected=int(rejected or 0),
    )


def rows_from_head_office(
    answer: dict[str, Any], names: dict[uuid.UUID, str], *, except_workstation: str
) -> tuple[ReportRows, list[str]]:
    """Head office's report rows of the branch, leaving out ``except_workstation`` (this
    counter reads its own rows locally, unsynced ones included); and the branch's
    counters as head office knows them. Staff ids are named from the local staff list."""

    named: dict[Any, str] = {}  # a branch has dozens of staff and tens of thousands of rows

    def who(value: Any) -> str:
        if value not in named:
            try:
                named[value] = _name(names, uuid.UUID(str(value))) if value else ""
            except ValueError:
                named[value] = str(value)
        return named[value]

    def other(row: list[Any]) -> bool:
        return str(row[0]) != except_workstation

    visits = [
        VisitRow(
            workstation=str(w),
            clerk=who(clerk),
            status=str(status),
            tier=str(tier or "standard"),
            hour=int(hour),
            waiting_seconds=None if wait is None else int(wait),
            handling_seconds=None if handle is None else int(handle),
            businesses=int(n),
            ever_suspended=bool(susp),
        )
        for w, clerk, status, tier, hour, wait, handle, n, susp in filter(
            other, answer.get("visits", [])
        )
    ]
    corrections = []
    for w, no, kind, orig, fen, reason, clerk, manager, at, used in filter(
        other, answer.get("corrections", [])
    ):
        labels = "、".join(method_label(m) for m in dict.fromkeys(str(used).split(",")) if m)
        settled = dt.datetime.fromisoformat(str(at))
        corrections.append(
            Correction(
                str(w),
                str(no),
                str(kind),
                str(orig),
                int(fen),
                str(reason or ""),
                who(clerk),
                who(manager),
                settled if settled.tzinfo else settled.replace(tzinfo=dt.UTC),
                labels,
            )
        )
    complaints = answer.get("complaints") or {}
    rows = ReportRows(
        visits=visits,
        payments=[
            PaymentGroup(str(w), str(k), str(m), int(a), int(c), int(n))
            for w, k, m, a, c, n in filter(other, answer.get("payments", []))
        ],
        items=[
            ItemGroup(str(w), who(c), str(k), str(code), str(name), int(n), int(fen))
            for w, c, k, code, name, n, fen in filter(other, answer.get("items", []))
        ],
        slips=[
            SlipGroup(str(w), who(c), str(k), int(n), int(fen))
            for w, c, k, n, fen in filter(other, answer.get("slips", []))
        ],
        corrections=corrections,
        complaints=ComplaintCounts(
            int(complaints.get("opened", 0)),
            int(complaints.get("closed", 0)),
            int(complaints.get("overdue", 0)),
        ),
        warranty_cards=int(answer.get("warranty_cards", 0)),
    )
    return rows, [str(w) for w in answer.get("workstations", [])]


def merge_rows(own: ReportRows, others: ReportRows) -> ReportRows:
    """This counter's rows beside the other counters' (complaint and warranty-card
    counts are branch-wide at head office and taken from there)."""
    return ReportRows(
        visits=own.visits + others.visits,
        payments=own.payments + others.payments,
        items=own.items + others.items,
        slips=own.slips + others.slips,
        corrections=sorted(
            own.corrections + others.corrections, key=lambda c: (c.settled_at, c.slip_no)
        ),
        complaints=others.complaints,
        warranty_cards=others.warranty_cards,
        unsynced=own.unsynced,
        unsynced_total=own.unsynced_total,
        rejected=own.rejected,
    )


# --------------------------------------------------------------------------- the service


@dataclass(frozen=True)
class HeadOfficeTotals:
    """What head office's ``/v1/summary`` reports for the branch over the period."""

    slips: int
    total_fen: int
    payments_fen: dict[str, int]
    per_counter: dict[str, tuple[int, int]]  # workstation → (slips, total_fen)


class ReportService:
    """Summaries (read) and exports (write + audit) for the manager screen and the CLI.

    ``exporters`` maps a format (:data:`FORMATS`) to the :class:`ReportExporter` that lays
    it out; a format without one is refused as unsupported. Built with the CSV, XLSX and
    PDF exporters by :class:`frontdesk.reporting.ReportService`.
    """

    def __init__(
        self,
        ws: Workstation,
        *,
        branch_source: BranchSource | Callable[[], BranchSource | None] | None = None,
        known_counters: Sequence[str] = (),
        exporters: Mapping[str, ReportExporter] | None = None,
    ) -> None:
        self._ws = ws
        self._exporters = dict(exporters or {})
        self._branch_source = branch_source
        self._known_counters = tuple(known_counters)
        self._manager: ManagerPass | None = None
        self.policy = SlaPolicy.from_catalogue(ws.catalogue)
        self._fonts: Any = None

    # -- the manager at head office ---------------------------------------------------
    def sign_in_manager(self, username: str, password: str) -> bool:
        """Ask head office for this manager's branch token (docs/decisions.md: report
        rows for managers only). True when obtained (kept in memory for head office's
        ten minutes); False when head office can't be reached or this workstation is not
        enrolled — the branch summary then falls back as offline. Raises
        :class:`RuleViolation` when head office refuses the manager."""
        self._manager = None
        with self._opened_source() as source:
            if source is None or not hasattr(source, "manager_session"):
                return False
            try:
                answer = source.manager_session(username.strip(), password)
            except ConnectionError as exc:  # HeadOfficeUnreachable
                log.warning("head office unreachable for the manager: %s", exc)
                return False
            except Exception as exc:  # HeadOfficeRefused: 403 not a manager, 429 locked
                log.info("head office refused the manager: %s", exc)
                locked = getattr(exc, "status", None) == 429
                code = "report.manager_locked" if locked else "report.manager_refused"
                raise RuleViolation([error(code, "report.manager_password")]) from None
        token, seconds = str(answer["token"]), int(answer["expires_in"])  # head office's contract
        # a minute's margin: never send a token head office is about to refuse
        self._manager = ManagerPass(username.strip(), token, time.monotonic() + seconds - 60)
        return True

    def manager_signed_in(self, staff: StaffSession | None) -> bool:
        """Whether a head-office token for ``staff`` (None: whoever signed in) is held."""
        return self._manager_token(staff) is not None

    def _manager_token(self, staff: StaffSession | None) -> str | None:
        held = self._manager
        if held is None or time.monotonic() >= held.deadline:
            return None
        if staff is not None and staff.username != held.username:
            return None
        return held.token

    def today(self) -> dt.date:
        """The business day now, by the workstation's clock."""
        return local_time(self._ws.clock.now()).date()

    # -- checks -----------------------------------------------------------------------
    def _check(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date,
        branch: bool,
    ) -> None:
        problems = []
        if staff is not None:
            role = staff.role.value
            if role not in ("clerk", "manager"):
                label = {"it_admin": "IT 管理员"}.get(role, role)
                raise RuleViolation([error("report.role_not_allowed", "report.scope", role=label)])
            if branch and not staff.is_manager:
                raise RuleViolation([error("report.branch_managers_only", "report.scope")])
        if date_to < date_from:
            problems.append(error("report.dates_reversed", "report.date_to"))
        elif (date_to - date_from).days + 1 > MAX_DAYS:
            problems.append(error("report.range_too_long", "report.date_to", max=MAX_DAYS))
        today = local_time(self._ws.clock.now()).date()
        if date_from > today:
            problems.append(
                error("report.future_date", "report.date_from", day=date_from.isoformat())
            )
        if problems:
            raise RuleViolation(problems)

    # -- summary ----------------------------------------------------------------------
    def summary(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date | None = None,
        *,
        branch: bool = False,
    ) -> DaySummary:
        """The summary of this counter (or the branch) for the day or the date range,
        with the period's day closes (日结) of the counters this workstation knows.

        ``staff`` None is a trusted batch job on this workstation (the CLI without
        ``--user``): it may see the branch.
        """
        summary = self._summary(staff, date_from, date_to, branch=branch)
        ident = self._ws.identity
        with self._ws.db.reader() as s:
            closes = read_day_closes(
                s,
                branch=ident.branch_code,
                workstation=None if branch else ident.workstation_code,
                date_from=summary.date_from,
                date_to=summary.date_to,
            )
        return replace(summary, day_closes=closes)

    def _summary(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date | None = None,
        *,
        branch: bool = False,
    ) -> DaySummary:
        """The summary of this counter (or the branch) for the day or the date range.

        ``staff`` None is a trusted batch job on this workstation (the CLI without
        ``--user``): it may see the branch.
        """
        date_to = date_to or date_from
        self._check(staff, date_from, date_to, branch)
        ident = self._ws.identity
        now = self._ws.clock.now()
        with self._ws.db.reader() as s:
            rows = read_rows(
                s,
                branch=ident.branch_code,
                workstation=ident.workstation_code,
                date_from=date_from,
                date_to=date_to,
                now=now,
            )
            remembered = self._remembered_counters(s)
        if not branch:
            return build_summary(
                rows,
                self.policy,
                scope="counter",
                branch_code=ident.branch_code,
                workstation_code=ident.workstation_code,
                date_from=date_from,
                date_to=date_to,
                generated_at=now,
            )
        own_visits = len(rows.visits)
        own_slips = sum(g.count for g in rows.slips)
        own_net = sum(g.total_fen for g in rows.slips)
        known = sorted(set(remembered) | set(self._known_counters) | {ident.workstation_code})
        token = self._manager_token(staff)
        with self._opened_source() as source:
            exact = self._branch_from_head_office(
                source, rows, known, date_from, date_to, now, token
            )
            if exact is not None:
                return exact
            unsigned = token is None and hasattr(source, "manager_session")
            totals = self._head_office_totals(source, date_from, date_to)
        hint = (
            [
                "总部只向经理提供全厅明细：请输入经理密码后刷新。"
                " / Head office gives the branch's rows to a manager only:"
                " type the manager's password and refresh."
            ]
            if unsigned
            else []
        )
        if totals is None:
            missing = [c for c in known if c != ident.workstation_code]
            notes = [
                "总部暂时无法连接：本汇总只含本机（"
                + ident.workstation_code
                + "）的数据"
                + (f"，缺少柜台：{'、'.join(missing)}。" if missing else "。")
                + " / Head office unreachable: this workstation's figures only"
                + (f"; missing counters: {', '.join(missing)}." if missing else ".")
            ]
            notes.extend(hint)
            counters = [
                CounterLine(ident.workstation_code, own_visits, own_slips, own_net, "local")
            ]
            return self._branch_summary(
                rows, date_from, date_to, now, counters, missing, "local", notes
            )
        reported = sorted(totals.per_counter)
        self._remember_counters(set(known) | set(reported))
        counters = []
        for code in sorted(set(reported) | {ident.workstation_code}):
            slips, net = totals.per_counter.get(code, (0, 0))
            visits = own_visits if code == ident.workstation_code else None
            counters.append(CounterLine(code, visits, slips, net, "head_office"))
        missing = [c for c in known if c not in totals.per_counter and c != ident.workstation_code]
        notes = [
            "各柜台笔数、金额及收款方式来自总部；业务类型、时长与 VIP 明细为本机数据。"
            " / Counter totals and takings by method come from head office; business mix,"
            " times and VIP figures are this workstation's."
        ]
        notes.extend(hint)
        summary = self._branch_summary(
            rows, date_from, date_to, now, counters, missing, "head_office", notes
        )
        return replace(
            summary,
            business_total_fen=totals.total_fen,
            takings_fen=sum(v for k, v in totals.payments_fen.items() if k != "balance"),
            head_office_methods=tuple(sorted(totals.payments_fen.items())),
        )

    @contextlib.contextmanager
    def _opened_source(self) -> Iterator[BranchSource | BranchRowsSource | None]:
        """Head office for one summary: the configured source, or one a factory makes
        (a client with this workstation's credential), closed when the summary is done;
        None offline or not enrolled."""
        source = self._branch_source
        if source is None or not callable(source) or hasattr(source, "day_summary"):
            yield source  # type: ignore[misc]
            return
        try:
            made = source()
        except Exception as exc:  # not enrolled, no credential: offline path
            log.info("no head-office client for the branch summary: %s", type(exc).__name__)
            made = None
        try:
            yield made
        finally:
            close = getattr(made, "close", None)
            if callable(close):
                close()

    def _branch_summary(
        self,
        rows: ReportRows,
        date_from: dt.date,
        date_to: dt.date,
        now: dt.datetime,
        counters: list[CounterLine],
        missing: list[str],
        source: str,
        notes: list[str],
    ) -> DaySummary:
        ident = self._ws.identity
        return build_summary(
            rows,
            self.policy,
            scope="branch",
            branch_code=ident.branch_code,
            workstation_code=None,
            date_from=date_from,
            date_to=date_to,
            generated_at=now,
            counters=counters,
            missing_counters=missing,
            source=source,
            notes=notes,
        )

    def _branch_from_head_office(
        self,
        source: Any,
        own: ReportRows,
        known: list[str],
        date_from: dt.date,
        date_to: dt.date,
        now: dt.datetime,
        manager_token: str | None,
    ) -> DaySummary | None:
        """The whole branch computed from every counter's rows: the other counters' from
        head office, this one's from its own database. None when head office can't
        answer (older head office, offline) or no manager signed in to head office
        (:meth:`sign_in_manager`: it serves the rows to a manager only): the caller
        falls back."""
        if source is None or not hasattr(source, "report_rows") or manager_token is None:
            return None
        try:
            answer = source.report_rows(date_from, date_to, manager_token)
        except Exception as exc:  # unreachable, refused, older head office
            log.warning("head office report rows unavailable: %s", type(exc).__name__)
            return None
        ident = self._ws.identity
        with self._ws.db.reader() as s:
            names = staff_names(s)
        try:
            others, enrolled = rows_from_head_office(
                answer, names, except_workstation=ident.workstation_code
            )
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("head office report rows malformed: %s", exc)
            return None
        rows = merge_rows(own, others)
        self._remember_counters(set(known) | set(enrolled))
        counters = []
        for code in sorted(set(enrolled) | {ident.workstation_code}):
            visits = sum(1 for v in rows.visits if v.workstation == code)
            slips = sum(g.count for g in rows.slips if g.workstation == code)
            net = sum(g.total_fen for g in rows.slips if g.workstation == code)
            src = "local" if code == ident.workstation_code else "head_office"
            counters.append(CounterLine(code, visits, slips, net, src))
        with_data = {v.workstation for v in rows.visits} | {g.workstation for g in rows.slips}
        missing = [c for c in known if c not in with_data and c not in enrolled]
        notes = [
            "全厅数据：其他柜台来自总部（截至其最近一次同步），本机（"
            + ident.workstation_code
            + "）为本地实时数据。"
            " / Branch figures: other counters from head office (as of their last sync),"
            " this workstation's own live figures."
        ]
        return self._branch_summary(
            rows, date_from, date_to, now, counters, missing, "head_office", notes
        )

    def _head_office_totals(
        self, source: Any, date_from: dt.date, date_to: dt.date
    ) -> HeadOfficeTotals | None:
        if source is None or not hasattr(source, "day_summary"):
            return None
        slips = total = 0
        payments: dict[str, int] = {}
        per_counter: dict[str, list[int]] = {}
        day = date_from
        try:
            while day <= date_to:
                answer = source.day_summary(day)
                for w in answer.get("workstations", []):
                    acc = per_counter.setdefault(str(w["workstation"]), [0, 0])
                    acc[0] += int(w.get("slips", 0))
                    acc[1] += int(w.get("total_fen", 0))
                for method, fen in (answer.get("payments_fen") or {}).items():
                    payments[method] = payments.get(method, 0) + int(fen)
                slips += sum(int(w.get("slips", 0)) for w in answer.get("workstations", []))
                total += int(answer.get("total_fen", 0))
                day += dt.timedelta(days=1)
        except Exception as exc:  # unreachable, refused, malformed: the offline path
            log.warning("head office summary unavailable: %s", type(exc).__name__)
            return None
        return HeadOfficeTotals(
            slips, total, payments, {k: (v[0], v[1]) for k, v in per_counter.items()}
        )

    def _remembered_counters(self, s: Session) -> list[str]:
        raw = s.scalar(select(Setting.value).where(Setting.key == KNOWN_COUNTERS_KEY))
        try:
            return [str(c) for c in json.loads(raw)] if raw else []
        except ValueError:
            return []

    def _remember_counters(self, counters: Iterable[str]) -> None:
        """Keep the branch's counters as head office last listed them (offline reports)."""
        value = json.dumps(sorted(set(counters)))
        with self._ws.db.unit_of_work() as uow:
            row = uow.session.get(Setting, KNOWN_COUNTERS_KEY)
            if row is None:
                uow.session.add(Setting(key=KNOWN_COUNTERS_KEY, value=value))
            elif row.value != value:
                row.value = value
            uow.commit()

    # -- tables and rendering ---------------------------------------------------------
    def tables(self, summary: DaySummary, language: str = "zh") -> list[Table]:
        return summary_tables(summary, self.policy, language=language, local_time=_local_naive)

    @property
    def fonts(self) -> Any:
        if self._fonts is None:
            from ..printing.fonts import load_font_set

            self._fonts = load_font_set(None, self._ws.data_dir)
        return self._fonts

    def render(self, summary: DaySummary, fmt: str, *, language: str = "zh") -> bytes:
        """The export's bytes (no file, no audit: :meth:`export` does both), laid out by
        the exporter this service was given for ``fmt``."""
        exporter = self._exporters.get(fmt) if fmt in FORMATS else None
        if exporter is None:
            raise RuleViolation([error("report.unknown_format", "report.format", fmt=fmt)])
        return exporter(
            summary,
            self.tables(summary, language),
            language=language,
            branch_name=self._ws.config.workstation.branch_name,
            policy=self.policy,
            fonts=lambda: self.fonts,
        )

    # -- export (one unit of work: file + audit entry) --------------------------------
    def export(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date | None,
        *,
        branch: bool,
        fmt: str,
        path: Path | str,
        language: str = "zh",
        via: str = "gui",
    ) -> ExportResult:
        """Compute, render, write ``path`` atomically and audit the export — or nothing."""
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise RuleViolation([error("report.unknown_format", "report.format", fmt=fmt)])
        summary = self.summary(staff, date_from, date_to, branch=branch)
        data = self.render(summary, fmt, language=language)
        path = Path(path)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        with self._ws.db.unit_of_work() as uow:
            audit.record(
                uow.session,
                actor_id=staff.staff_id if staff else None,
                action="report.exported",
                object_type="report",
                object_id=f"{summary.scope}:{summary.period_label}",
                detail={
                    "format": fmt,
                    "scope": summary.scope,
                    "from": summary.date_from.isoformat(),
                    "to": summary.date_to.isoformat(),
                    "file": path.name,
                    "bytes": len(data),
                    "source": summary.source,
                    "missing_counters": list(summary.missing_counters),
                    "via": via,
                    **({} if staff else {"os_user": _os_user()}),
                },
            )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(tmp, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
                raise RuleViolation(
                    [
                        error(
                            "report.cannot_write",
                            "report.path",
                            path=str(path),
                            why=exc.strerror or type(exc).__name__,
                        )
                    ]
                ) from exc
            try:
                uow.commit()
            except Exception:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)  # an unaudited export must not remain
                raise
        return ExportResult(path, fmt, len(data), summary)


def _local_naive(value: dt.datetime) -> dt.datetime:
    """Business-time wall clock without tzinfo (what Excel and paper show)."""
    return local_time(value).replace(tzinfo=None)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a service context
        return ""


__all__ = [
    "FORMATS",
    "BranchSource",
    "ExportResult",
    "ReportExporter",
    "ReportService",
    "read_payment_groups",
    "read_rows",
    "utc_bounds",
]
