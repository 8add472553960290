"""The report rows of this workstation's database, read with a handful of set-based
SQL statements (a month of 2,000 visits a day is 60,000 visits, so nothing here loads
ORM objects row by row) for :mod:`frontdesk.core.reports` to compute the figures.

Used by :class:`frontdesk.services.reports.ReportService` and the day close
(:mod:`frontdesk.services.dayclose`); re-exported by :mod:`frontdesk.services.reports`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Integer, and_, case, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from ..core.clock import business_tz, utc_bounds
from ..core.reports import (
    ComplaintCounts,
    Correction,
    DayCloseLine,
    ItemGroup,
    PaymentGroup,
    ReportRows,
    SlipGroup,
    VisitRow,
    method_label,
)
from ..store.models import (
    Complaint,
    ComplaintEvent,
    Customer,
    DayClose,
    OutboxEntry,
    Payment,
    Slip,
    SlipItem,
    Staff,
    Visit,
    VisitEvent,
    WarrantyCard,
)

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
