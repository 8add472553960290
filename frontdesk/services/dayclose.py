"""Day close (日结) of one counter: expected takings, counted cash, manager sign-off.

:meth:`DayCloseService.preview` shows what the counter should hold: takings by payment
method from the settled slips of the business day (cash already net of change, voids
and refunds paid out negative), the voids and refunds, and the receipt numbers used.
:meth:`DayCloseService.close` records the clerk's counted cash, the difference and its
reason, signed off by a manager, as an append-only :class:`DayClose` that syncs like
every other fact. Once a day is closed, :func:`refuse_if_closed` stops the intake and
correction services from settling anything else on that counter for that day; the next
business day opens by itself (it is a different date).

The counted cash is the day's takings in the drawer, the opening float set aside.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.clock import business_date
from ..core.intake import VisitDraft
from ..core.messages import Problem, RuleViolation, define, define_field, error
from ..core.money import format_fen
from ..core.reports import (
    CloseFigures,
    Correction,
    expected_by_method,
    method_label,
    takings_fen,
)
from ..store import audit
from ..store.models import DayClose, Receipt, Slip, Visit
from .auth import Approval, StaffSession
from .reports import read_corrections, read_payment_groups, staff_names
from .workstation import Workstation

define_field("close.day", zh="日结日期", en="Day to close")
define_field("close.counted_cash", zh="实点现金", en="Counted cash")
define_field("close.reason", zh="差异原因", en="Reason for the difference")
define_field("close.approval", zh="经理签核", en="Manager sign-off")

define(
    "dayclose.closed",
    zh="本柜台 {day} 已日结，不能再结算新的受理单或冲正，请于下一营业日办理；"
    "如确需补录，请联系值班经理。",
    en="This counter's day {day} is closed; no new slips or corrections can be settled "
    "until the next business day. Please ask the duty manager if something must be added.",
)
define(
    "dayclose.already_closed",
    zh="本柜台 {day} 已于 {at} 日结，不能重复日结；如点钞有误，请办理日结更正。",
    en="This counter's day {day} was closed at {at}; it can't be closed again. If the count "
    "was wrong, record an amendment.",
)
define(
    "dayclose.not_closed",
    zh="本柜台 {day} 尚未日结，无需更正，请直接办理日结。",
    en="This counter's day {day} is not closed yet; close it instead of amending.",
)
define(
    "dayclose.future_day",
    zh="{field} {day} 尚未到来，只能日结今天或以前的营业日。",
    en="The {field} {day} is in the future; only today or earlier days can be closed.",
)
define(
    "dayclose.open_payments",
    zh="还有 {count} 个未结算的接待已收款（共 {amount}），请先结算或退回这些款项再日结。",
    en="{count} unsettled visit(s) hold payments ({amount}); settle them or hand the money "
    "back before closing the day.",
)
define(
    "dayclose.counted_negative",
    zh="{field}不能为负数，请重新清点后输入。",
    en="The {field} can't be negative; please count again and enter it.",
)
define(
    "dayclose.reason_required",
    zh="实点现金与应收现金相差 {difference}，请填写{field}。",
    en="Counted cash differs from expected cash by {difference}; please give the {field}.",
)
define(
    "dayclose.approval_required",
    zh="日结须由值班经理签核，请经理输入工号和密码授权。",
    en="A day close must be signed off by the duty manager; please ask them to authorise it.",
)
define(
    "dayclose.approval_mismatch",
    zh="该授权是为“{action}”给出的，不能用于日结，请经理为日结重新授权。",
    en="That authorisation was given for “{action}”, not for the day close; please authorise "
    "the day close.",
)

define_field("close.terminal", zh="终端结算金额", en="Terminal settlement figure")
define(
    "dayclose.terminal_missing",
    zh="请输入{method}终端的结算金额（应收 {expected}），核对后再日结。",
    en="Please enter the {method} terminal's settlement figure (expected {expected}) "
    "before closing the day.",
)
define(
    "dayclose.terminal_reason_required",
    zh="{method}终端结算金额与应收相差 {difference}，请填写差异原因。",
    en="The {method} terminal's figure differs from the expected takings by {difference}; "
    "please give the reason for the difference.",
)

APPROVAL_ACTION = "day_close"
#: Methods settled through a terminal (POS, WeChat Pay, Alipay) and reconciled at 日结.
TERMINAL_METHODS = ("bank_card", "wechat", "alipay")


def is_closed(session: Session, workstation_code: str, day: dt.date) -> bool:
    """Whether the counter's business ``day`` has a close record (any kind)."""
    found = session.scalar(
        select(DayClose.id)
        .where(DayClose.workstation_code == workstation_code, DayClose.business_date == day)
        .limit(1)
    )
    return found is not None


def refuse_if_closed(session: Session, workstation_code: str, day: dt.date) -> None:
    """Raise the polite :class:`RuleViolation` when the day is closed (intake, corrections)."""
    if is_closed(session, workstation_code, day):
        raise RuleViolation([error("dayclose.closed", "slip", day=day.isoformat())])


@dataclass(frozen=True)
class ClosePreview:
    branch_code: str
    workstation_code: str
    day: dt.date
    expected_by_method: dict[str, int]
    takings_fen: int  # all drawer methods, net (balance excluded)
    sale_slips: int
    sales_fen: int
    corrections: tuple[Correction, ...]
    first_receipt_no: str | None
    last_receipt_no: str | None
    receipts: int
    pending_visits: int  # open or suspended visits of this counter
    pending_paid_visits: int  # of which money was already taken
    pending_paid_fen: int  # money taken on them, not yet settled
    closed: DayCloseView | None

    @property
    def expected_cash_fen(self) -> int:
        return self.expected_by_method.get("cash", 0)


@dataclass(frozen=True)
class DayCloseView:
    close_id: uuid.UUID
    kind: str
    seq: int
    day: dt.date
    workstation_code: str
    expected_by_method: dict[str, int]
    counted_cash_fen: int
    difference_fen: int
    difference_reason: str | None
    clerk_id: uuid.UUID
    manager_id: uuid.UUID
    closed_at: dt.datetime
    # method → {expected_fen, terminal_fen, difference_fen} (card, WeChat, Alipay)
    terminals: dict[str, dict[str, int]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)


def _view(row: DayClose) -> DayCloseView:
    return DayCloseView(
        row.id,
        row.kind,
        row.seq,
        row.business_date,
        row.workstation_code,
        {k: int(v) for k, v in row.expected_by_method.items()},
        row.counted_cash_fen,
        row.difference_fen,
        row.difference_reason,
        row.clerk_id,
        row.manager_id,
        row.closed_at,
        {m: dict(v) for m, v in (row.figures.get("terminals") or {}).items()},
        dict(row.figures),
    )


class DayCloseService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    # -- reading ------------------------------------------------------------------------
    def preview(self, staff: StaffSession | None, day: dt.date) -> ClosePreview:
        """What this counter should hold for ``day``, and whether it is closed already."""
        with self._ws.db.reader() as s:
            return self._preview(s, day)

    def _preview(self, s: Session, day: dt.date) -> ClosePreview:
        ident = self._ws.identity
        w = ident.workstation_code
        payments = read_payment_groups(s, w, day, day)
        corrections = read_corrections(s, w, day, day, staff_names(s))
        sales = s.execute(
            select(func.count(), func.coalesce(func.sum(Slip.total_fen), 0)).where(
                Slip.workstation_code == w, Slip.business_date == day, Slip.kind == "sale"
            )
        ).one()
        receipts = s.execute(
            select(func.min(Receipt.receipt_no), func.max(Receipt.receipt_no), func.count())
            .join(Slip, Slip.id == Receipt.slip_id)
            .where(Slip.workstation_code == w, Slip.business_date == day)
        ).one()
        pending_count, paid_count, pending_fen = self._pending(s)
        latest = s.scalar(
            select(DayClose)
            .where(DayClose.workstation_code == w, DayClose.business_date == day)
            .order_by(DayClose.closed_at.desc(), DayClose.seq.desc())
            .limit(1)
        )
        return ClosePreview(
            branch_code=ident.branch_code,
            workstation_code=w,
            day=day,
            expected_by_method=expected_by_method(payments),
            takings_fen=takings_fen(payments),
            sale_slips=int(sales[0]),
            sales_fen=int(sales[1]),
            corrections=tuple(corrections),
            first_receipt_no=receipts[0],
            last_receipt_no=receipts[1],
            receipts=int(receipts[2]),
            pending_visits=pending_count,
            pending_paid_visits=paid_count,
            pending_paid_fen=pending_fen,
            closed=_view(latest) if latest is not None else None,
        )

    def _pending(self, s: Session) -> tuple[int, int, int]:
        """Open or suspended visits of this counter and the money already taken on them."""
        drafts = s.scalars(
            select(Visit.draft).where(
                Visit.workstation_code == self._ws.identity.workstation_code,
                Visit.status.in_(("open", "suspended")),
            )
        ).all()
        paid = [VisitDraft.from_json(d).paid_fen for d in drafts]
        return len(drafts), sum(1 for fen in paid if fen), sum(paid)

    # -- writing ------------------------------------------------------------------------
    def close(
        self,
        staff: StaffSession,
        day: dt.date,
        counted_cash_fen: int,
        reason: str | None,
        approval: Approval | None,
        *,
        terminal_fen: Mapping[str, int] | None = None,
    ) -> DayCloseView:
        """日结: record the count against the expected takings, signed off by a manager.

        ``terminal_fen`` is each terminal's settlement figure (card, WeChat, Alipay) as
        the manager reads it off the terminal; each is reconciled against the day's
        takings by that method, and any difference needs the reason.
        """
        return self._record(
            staff, day, counted_cash_fen, reason, approval, amend=False, terminal_fen=terminal_fen
        )

    def amend(
        self,
        staff: StaffSession,
        day: dt.date,
        counted_cash_fen: int,
        reason: str | None,
        approval: Approval | None,
        *,
        terminal_fen: Mapping[str, int] | None = None,
    ) -> DayCloseView:
        """日结更正: a recount after the close, as a new record pointing at the first."""
        return self._record(
            staff, day, counted_cash_fen, reason, approval, amend=True, terminal_fen=terminal_fen
        )

    def _record(
        self,
        staff: StaffSession,
        day: dt.date,
        counted_cash_fen: int,
        reason: str | None,
        approval: Approval | None,
        *,
        amend: bool,
        terminal_fen: Mapping[str, int] | None = None,
    ) -> DayCloseView:
        if isinstance(counted_cash_fen, bool) or not isinstance(counted_cash_fen, int):
            raise TypeError("counted_cash_fen must be int fen")
        now = self._ws.clock.now()
        ident = self._ws.identity
        problems = []
        if day > business_date(now):
            problems.append(error("dayclose.future_day", "close.day", day=day.isoformat()))
        if counted_cash_fen < 0:
            problems.append(error("dayclose.counted_negative", "close.counted_cash"))
        manager_id = self._manager(staff, approval)
        if problems:
            raise RuleViolation(problems)
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            preview = self._preview(s, day)
            first = s.scalar(
                select(DayClose).where(
                    DayClose.workstation_code == ident.workstation_code,
                    DayClose.business_date == day,
                    DayClose.kind == "close",
                )
            )
            if not amend and first is not None:
                at = first.closed_at.astimezone(self._tz()).strftime("%Y-%m-%d %H:%M")
                raise RuleViolation(
                    [error("dayclose.already_closed", "close.day", day=day.isoformat(), at=at)]
                )
            if amend and first is None:
                raise RuleViolation(
                    [error("dayclose.not_closed", "close.day", day=day.isoformat())]
                )
            if not amend and preview.pending_paid_fen and day == business_date(now):
                raise RuleViolation(
                    [
                        error(
                            "dayclose.open_payments",
                            "close.day",
                            count=preview.pending_paid_visits,
                            amount=format_fen(preview.pending_paid_fen),
                        )
                    ]
                )
            figures = CloseFigures(preview.expected_by_method, counted_cash_fen)
            clean_reason = (reason or "").strip() or None
            terminals, unreconciled = self._reconcile(preview, terminal_fen or {}, clean_reason)
            if figures.difference_fen != 0 and not clean_reason:
                unreconciled.insert(
                    0,
                    error(
                        "dayclose.reason_required",
                        "close.reason",
                        difference=format_fen(figures.difference_fen),
                    ),
                )
            if unreconciled:  # every difference and every missing figure, at once
                raise RuleViolation(unreconciled)
            seq = 1
            if amend:
                seq = 1 + int(
                    s.scalar(
                        select(func.count()).where(
                            DayClose.workstation_code == ident.workstation_code,
                            DayClose.business_date == day,
                            DayClose.kind == "amendment",
                        )
                    )
                    or 0
                )
            row = DayClose(
                branch_code=ident.branch_code,
                workstation_code=ident.workstation_code,
                business_date=day,
                kind="amendment" if amend else "close",
                seq=seq,
                amends_id=first.id if amend and first is not None else None,
                clerk_id=staff.staff_id,
                manager_id=manager_id,
                expected_by_method=dict(figures.expected_by_method),
                counted_cash_fen=counted_cash_fen,
                difference_fen=figures.difference_fen,
                difference_reason=clean_reason,
                figures={
                    "takings_fen": preview.takings_fen,
                    "sale_slips": preview.sale_slips,
                    "sales_fen": preview.sales_fen,
                    "receipts": preview.receipts,
                    "first_receipt_no": preview.first_receipt_no,
                    "last_receipt_no": preview.last_receipt_no,
                    "corrections": [
                        {
                            "slip_no": c.slip_no,
                            "kind": c.kind,
                            "original_slip_no": c.original_slip_no,
                            "amount_fen": c.amount_fen,
                            "methods": c.methods,
                            "reason": c.reason,
                        }
                        for c in preview.corrections
                    ],
                    "pending_visits": preview.pending_visits,
                    "approval_reason": approval.reason if approval else None,
                    "terminals": terminals,
                },
                closed_at=now,
                created_at=now,
            )
            s.add(row)
            s.flush()
            audit.record(
                s,
                actor_id=staff.staff_id,
                action="day_close.amended" if amend else "day_close.closed",
                object_type="day_close",
                object_id=row.id,
                detail={
                    "day": day.isoformat(),
                    "workstation": ident.workstation_code,
                    "expected_cash_fen": figures.expected_cash_fen,
                    "counted_cash_fen": counted_cash_fen,
                    "difference_fen": figures.difference_fen,
                    "manager": str(manager_id),
                },
            )
            uow.commit()
            return _view(row)

    @staticmethod
    def _reconcile(
        preview: ClosePreview, entered: Mapping[str, int], reason: str | None
    ) -> tuple[dict[str, dict[str, int]], list[Problem]]:
        """Each terminal method's figure against the day's takings by that method."""
        problems = []
        terminals: dict[str, dict[str, int]] = {}
        for method in TERMINAL_METHODS:
            expected = int(preview.expected_by_method.get(method, 0))
            figure = entered.get(method)
            if figure is not None and (isinstance(figure, bool) or not isinstance(figure, int)):
                raise TypeError("terminal figures must be int fen")
            if figure is None:
                if expected:
                    problems.append(
                        error(
                            "dayclose.terminal_missing",
                            "close.terminal",
                            method=method_label(method),
                            expected=format_fen(expected),
                        )
                    )
                continue
            diff = figure - expected
            terminals[method] = {
                "expected_fen": expected,
                "terminal_fen": figure,
                "difference_fen": diff,
            }
            if diff and not reason:
                problems.append(
                    error(
                        "dayclose.terminal_reason_required",
                        "close.reason",
                        method=method_label(method),
                        difference=format_fen(diff),
                    )
                )
        return terminals, problems

    def closed(self, day: dt.date | None = None) -> DayCloseView | None:
        """The latest close record of this counter's ``day`` (today by default), if any."""
        day = day or business_date(self._ws.clock.now())
        with self._ws.db.reader() as s:  # one indexed look-up: the counter asks often
            latest = s.scalar(
                select(DayClose)
                .where(
                    DayClose.workstation_code == self._ws.identity.workstation_code,
                    DayClose.business_date == day,
                )
                .order_by(DayClose.closed_at.desc(), DayClose.seq.desc())
                .limit(1)
            )
            return _view(latest) if latest is not None else None

    def _manager(self, staff: StaffSession, approval: Approval | None) -> uuid.UUID:
        """The signing manager: the approval's, or the staff member's own when a manager."""
        if approval is not None:
            if approval.action != APPROVAL_ACTION:
                raise RuleViolation(
                    [error("dayclose.approval_mismatch", "close.approval", action=approval.action)]
                )
            return approval.manager_id
        if staff.is_manager:
            return staff.staff_id
        raise RuleViolation([error("dayclose.approval_required", "close.approval")])

    @staticmethod
    def _tz() -> dt.tzinfo:
        from ..core.clock import business_tz

        return business_tz()
