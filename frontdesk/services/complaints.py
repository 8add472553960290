"""Complaints (每诉必录, 首问负责): recorded, followed to their deadline, never lost.

Every complaint a counter hears is recorded with its category, the customer, the
clerk who heard it first (首问负责人 — responsible until it is closed) and a deadline
from the catalogue's complaint rule (:func:`frontdesk.core.workdays.deadline_for`).
From then on only events are added (:class:`~frontdesk.store.models.ComplaintEvent`,
insert-only by trigger, synced through the outbox):

- ``answered`` — the customer was given an answer (text kept);
- ``escalated`` — it became a work order (电子流工单) for head office;
- ``hq_update`` — head office's progress on the work order, pulled back;
- ``closed`` — with the resolution. A closed complaint takes no more events.

Nothing is ever deleted or edited; "solved at the counter" is an answer and a close in
one unit of work. The manager sees what is overdue or near its deadline. Personal data
(name, phone, description) never goes to logs or audit details — numbers and codes only.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from ..core.catalogue import ComplaintRule
from ..core.clock import BUSINESS_TZ, business_date
from ..core.fields import control_problems
from ..core.messages import Problem, RuleViolation, define, define_field, error
from ..core.workdays import AREAS, Area, WorkCalendar, deadline_for, load_calendar
from ..store import audit
from ..store.models import Complaint, ComplaintEvent, Customer, Staff, Visit
from ..store.numbering import take_number
from ..sync.protocol import WORK_ORDER_STATUSES, work_order_event
from .auth import StaffSession
from .workstation import Workstation

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
MIN_DESCRIPTION = 4
MAX_TEXT = 2000

define_field("complaint_category", zh="投诉类别", en="Complaint type")  # as the catalogue
define_field("complaint_description", zh="投诉内容", en="Complaint")
define_field("complaint_customer", zh="客户姓名", en="customer name")
define_field("complaint_phone", zh="联系电话", en="contact phone")
define_field("complaint_area", zh="所在区域", en="area")
define_field("complaint_answer", zh="答复内容", en="answer")
define_field("complaint_resolution", zh="处理结果", en="resolution")
define_field("complaint_note", zh="升级说明", en="escalation note")
define_field("complaint", zh="投诉单", en="complaint")
define_field("visit", zh="接待", en="visit")

define(
    "complaint.unknown_category",
    zh="{field}“{category}”不在业务目录的投诉规则中，请从列表中选择。",
    en="{field} “{category}” has no complaint rule in the catalogue; please pick from the list.",
)
define(
    "complaint.text_required",
    zh="请填写{field}（至少 {min} 个字），以便后续跟进。",
    en="Please enter the {field} (at least {min} characters) so it can be followed up.",
)
define(
    "complaint.text_too_long",
    zh="{field}最多 {max} 个字，请精简后再保存。",
    en="The {field} can be at most {max} characters; please shorten it.",
)
define(
    "complaint.customer_required",
    zh="请填写{field}，或从当前接待带入客户信息，以便答复客户。",
    en="Please enter the {field}, or take the customer from the current visit, so they can be "
    "answered.",
)
define(
    "complaint.bad_phone",
    zh="{field}“{phone}”格式不正确，请填写手机号或带区号的固定电话。",
    en="{field} “{phone}” is not a valid number; enter a mobile or a fixed line with area code.",
)
define(
    "complaint.bad_area",
    zh="{field}只能是城区或郊县。",
    en="The {field} must be city or suburb.",
)
define(
    "complaint.visit_not_found",
    zh="找不到该{field}，请从当前接待发起投诉登记。",
    en="That {field} can't be found; please record the complaint from the current visit.",
)
define(
    "complaint.not_found",
    zh="找不到该{field}，请刷新列表后重试。",
    en="That {field} can't be found; please refresh the list and try again.",
)
define(
    "complaint.closed",
    zh="投诉单 {number} 已办结，不能再{action}。如客户仍不满意，请登记新的投诉。",
    en="Complaint {number} is closed and can't be {action_en}; record a new complaint if the "
    "customer is still not satisfied.",
)
define(
    "complaint.already_escalated",
    zh="投诉单 {number} 已于 {at} 升级为总部工单，请等待总部处理结果。",
    en="Complaint {number} was escalated to head office at {at}; please await its result.",
)
define(
    "complaint.hq_status",
    zh="总部工单状态“{status}”无法识别。",
    en="Head office work-order status “{status}” is not recognised.",
)

STATUS_ZH = {
    "open": "待处理",
    "answered": "已答复",
    "escalated": "已升级总部",
    "closed": "已办结",
}


@dataclass(frozen=True)
class ComplaintEventView:
    event: str
    text: str | None
    staff_name: str | None
    at: dt.datetime


@dataclass(frozen=True)
class ComplaintView:
    complaint_id: uuid.UUID
    complaint_no: str
    category: str
    category_name: str
    description: str
    customer_name: str | None
    contact_phone: str | None
    visit_id: uuid.UUID | None
    first_responsible_id: uuid.UUID
    first_responsible_name: str
    opened_at: dt.datetime
    deadline_at: dt.datetime
    status: str  # open | answered | escalated | closed
    events: tuple[ComplaintEventView, ...]

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def closed_at(self) -> dt.datetime | None:
        return next((e.at for e in self.events if e.event == "closed"), None)

    judged_on: str = "close"  # close | first_reply (the catalogue's rule)

    @property
    def clock_stopped_at(self) -> dt.datetime | None:
        """When the service clock stopped: the close, or — for a rule judged on the first
        reply (mobile network complaints) — the first answer given to the customer."""
        stops = ("answered", "closed") if self.judged_on == "first_reply" else ("closed",)
        return next((e.at for e in self.events if e.event in stops), None)

    def is_overdue(self, now: dt.datetime) -> bool:
        """The clock still running past the deadline — or stopped after it."""
        end = self.clock_stopped_at
        return (end or now) > self.deadline_at

    def time_left(self, now: dt.datetime) -> dt.timedelta:
        return self.deadline_at - now


@dataclass(frozen=True)
class ComplaintCounts:
    """Complaint figures of one business day for the daily summary (SPEC §7)."""

    day: dt.date
    opened: int
    closed: int
    escalated: int
    closed_late: int  # closed that day, after the deadline
    overdue_open: int  # still open at the end of that day, past the deadline
    open_total: int  # still open at the end of that day


def status_of(events: Iterable[str]) -> str:
    seen = set(events)
    for status in ("closed", "escalated", "answered"):
        if status in seen:
            return status
    return "open"


class ComplaintService:
    """Record, answer, escalate and close complaints; list what the manager must chase."""

    def __init__(self, ws: Workstation, calendar: WorkCalendar | None = None) -> None:
        self._ws = ws
        self._calendar = calendar

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = load_calendar()
        return self._calendar

    def categories(self) -> tuple[ComplaintRule, ...]:
        return self._ws.catalogue.complaint_rules

    def _now(self) -> dt.datetime:
        return self._ws.clock.now()

    # -- recording ------------------------------------------------------------------
    def preview_deadline(self, category: str, area: Area = "city") -> dt.datetime:
        """The deadline a complaint recorded now would get (the form shows it live)."""
        rule = self._rule(category)
        return deadline_for(rule, self._now(), area, self.calendar)

    def _rule(self, category: str) -> ComplaintRule:
        try:
            return self._ws.catalogue.complaint_rule(category)
        except KeyError:
            raise RuleViolation(
                [error("complaint.unknown_category", "complaint_category", category=category)]
            ) from None

    def record(
        self,
        staff: StaffSession,
        *,
        category: str,
        description: str,
        visit_id: uuid.UUID | None = None,
        customer_name: str | None = None,
        contact_phone: str | None = None,
        area: Area = "city",
    ) -> ComplaintView:
        """Record a complaint heard at this counter; the clerk is its first-responsible."""
        problems: list[Problem] = []
        rule: ComplaintRule | None = None
        try:
            rule = self._rule(category)
        except RuleViolation as exc:
            problems.extend(exc.problems)
        description = (description or "").strip()
        problems.extend(_text_problems(description, "complaint_description"))
        if area not in AREAS:
            problems.append(error("complaint.bad_area", "complaint_area"))
        name = (customer_name or "").strip() or None
        phone = re.sub(r"\s+", "", contact_phone or "") or None
        if phone is not None and not PHONE.match(phone):
            problems.append(error("complaint.bad_phone", "complaint_phone", phone=phone))
        if name is not None:
            problems.extend(control_problems(name, "complaint_customer"))
        if name is not None and len(name) > 128:
            problems.append(error("complaint.text_too_long", "complaint_customer", max=128))
        now = self._now()
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            customer_id: uuid.UUID | None = None
            if visit_id is not None:
                visit = s.get(Visit, visit_id)
                if visit is None:
                    problems.append(error("complaint.visit_not_found", "visit"))
                elif visit.customer_id is not None:
                    customer = s.get(Customer, visit.customer_id)
                    if customer is not None:
                        customer_id = customer.id
                        name = name or customer.name
                        phone = phone or customer.contact_phone
            if customer_id is None and phone is None:
                problems.append(error("complaint.customer_required", "complaint_phone"))
            if problems:
                raise RuleViolation(problems)
            assert rule is not None
            complaint = start_service_clock(
                s,
                self._ws,
                self.calendar,
                rule,
                staff=staff,
                description=description,
                visit_id=visit_id,
                customer_id=customer_id,
                customer_name=name,
                contact_phone=phone,
                area=area,
                now=now,
                action="complaint.recorded",
            )
            uow.commit()
            return self._view(s, complaint)

    # -- follow-up ------------------------------------------------------------------
    def answer(self, staff: StaffSession, complaint_id: uuid.UUID, text: str) -> ComplaintView:
        """Record the answer given to the customer; the complaint stays open."""
        return self._add(staff, complaint_id, [("answered", text, "complaint_answer")], "answer")

    def solve_at_counter(
        self, staff: StaffSession, complaint_id: uuid.UUID, answer: str
    ) -> ComplaintView:
        """Solved on the spot: the answer given, and the complaint closed with it."""
        return self._add(
            staff,
            complaint_id,
            [("answered", answer, "complaint_answer"), ("closed", answer, "complaint_answer")],
            "solve",
        )

    def escalate(self, staff: StaffSession, complaint_id: uuid.UUID, note: str) -> ComplaintView:
        """Make it a work order for head office (it travels there through the outbox)."""
        return self._add(staff, complaint_id, [("escalated", note, "complaint_note")], "escalate")

    def close(self, staff: StaffSession, complaint_id: uuid.UUID, resolution: str) -> ComplaintView:
        """Close with the resolution — the only way a complaint leaves the open list."""
        return self._add(
            staff, complaint_id, [("closed", resolution, "complaint_resolution")], "close"
        )

    def _add(
        self,
        staff: StaffSession,
        complaint_id: uuid.UUID,
        events: list[tuple[str, str, str]],
        action: str,
    ) -> ComplaintView:
        problems: list[Problem] = []
        for _event, text, key in events:
            problems.extend(_text_problems((text or "").strip(), key))
        now = self._now()
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            complaint = self._complaint(s, complaint_id)
            history = self._events(s, complaint.id)
            problems = _state_problems(complaint, history, action) + problems
            if problems:
                raise RuleViolation(problems)
            for offset, (event, text, _key) in enumerate(events):
                s.add(
                    ComplaintEvent(
                        complaint_id=complaint.id,
                        event=event,
                        text=text.strip(),
                        staff_id=staff.staff_id,
                        # keep the order of two events written in the same instant
                        created_at=now + dt.timedelta(microseconds=offset),
                    )
                )
            audit.record(
                s,
                actor_id=staff.staff_id,
                action=f"complaint.{action}",
                object_type="complaint",
                object_id=complaint.id,
                detail={"complaint_no": complaint.complaint_no},
            )
            uow.commit()
            return self._view(s, complaint)

    def apply_head_office_update(
        self,
        complaint_id: uuid.UUID,
        *,
        update_id: uuid.UUID,
        status: str,
        text: str | None,
        at: dt.datetime | None = None,
    ) -> bool:
        """Record head office's change to a work order; the same update twice is one event.

        ``update_id`` is head office's id of the change and becomes the event's id, so
        the copy this counter's outbox sends back is a duplicate there (stored once).
        Returns True when something new was recorded. An update for a complaint this
        workstation did not record, or one already closed here, is ignored: a closed
        complaint stays closed. ``status`` ``closed`` closes it with head office's text.
        """
        if status not in WORK_ORDER_STATUSES:
            raise RuleViolation([error("complaint.hq_status", "complaint", status=status)])
        event, body = work_order_event(status, text)
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            complaint = s.get(Complaint, complaint_id)
            if complaint is None or s.get(ComplaintEvent, update_id) is not None:
                return False
            if any(e.event == "closed" for e in self._events(s, complaint.id)):
                return False
            s.add(
                ComplaintEvent(
                    id=update_id,
                    complaint_id=complaint.id,
                    event=event,
                    text=body,
                    staff_id=None,
                    created_at=at or self._now(),
                )
            )
            uow.commit()
            return True

    # -- reading --------------------------------------------------------------------
    def view(self, complaint_id: uuid.UUID) -> ComplaintView:
        with self._ws.db.reader() as s:
            return self._view(s, self._complaint(s, complaint_id))

    def open_complaints(self) -> list[ComplaintView]:
        """Everything not yet closed, the nearest deadline first."""
        with self._ws.db.reader() as s:
            rows = s.scalars(
                select(Complaint).where(~_closed()).order_by(Complaint.deadline_at)
            ).all()
            return [self._view(s, c) for c in rows]

    def overdue(self, now: dt.datetime | None = None) -> list[ComplaintView]:
        """Open complaints past their deadline: the manager's first list."""
        now = now or self._now()
        with self._ws.db.reader() as s:
            rows = s.scalars(
                select(Complaint)
                .where(~self._clock_stopped(), Complaint.deadline_at < now)
                .order_by(Complaint.deadline_at)
            ).all()
            return [self._view(s, c) for c in rows]

    def near_due(
        self, now: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(hours=8)
    ) -> list[ComplaintView]:
        """Open complaints whose deadline falls within ``within`` from now."""
        now = now or self._now()
        with self._ws.db.reader() as s:
            rows = s.scalars(
                select(Complaint)
                .where(
                    ~self._clock_stopped(),
                    Complaint.deadline_at >= now,
                    Complaint.deadline_at <= now + within,
                )
                .order_by(Complaint.deadline_at)
            ).all()
            return [self._view(s, c) for c in rows]

    def escalated_open(self) -> list[ComplaintView]:
        """Work orders at head office still open (what the pull must follow)."""
        with self._ws.db.reader() as s:
            escalated = exists().where(
                ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.event == "escalated"
            )
            rows = s.scalars(select(Complaint).where(escalated, ~_closed())).all()
            return [self._view(s, c) for c in rows]

    def day_counts(self, day: dt.date) -> ComplaintCounts:
        """Opened, closed, escalated, late and overdue figures of one business day."""
        start = dt.datetime.combine(day, dt.time(0), tzinfo=BUSINESS_TZ)
        end = start + dt.timedelta(days=1)
        with self._ws.db.reader() as s:

            def count_events(event: str) -> int:
                return int(
                    s.execute(
                        select(func.count()).where(
                            ComplaintEvent.event == event,
                            ComplaintEvent.created_at >= start,
                            ComplaintEvent.created_at < end,
                        )
                    ).scalar_one()
                )

            opened = s.execute(
                select(func.count()).where(
                    Complaint.created_at >= start, Complaint.created_at < end
                )
            ).scalar_one()
            closed_late = s.execute(
                select(func.count())
                .select_from(ComplaintEvent)
                .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
                .where(
                    ComplaintEvent.event == "closed",
                    ComplaintEvent.created_at >= start,
                    ComplaintEvent.created_at < end,
                    ComplaintEvent.created_at > Complaint.deadline_at,
                )
            ).scalar_one()
            closed_by_end = exists().where(
                ComplaintEvent.complaint_id == Complaint.id,
                ComplaintEvent.event == "closed",
                ComplaintEvent.created_at < end,
            )
            still_open = select(func.count()).where(Complaint.created_at < end, ~closed_by_end)
            open_total = s.execute(still_open).scalar_one()
            first_reply = [r.category for r in self.categories() if r.judged_on == "first_reply"]
            replied_by_end = exists().where(
                ComplaintEvent.complaint_id == Complaint.id,
                ComplaintEvent.event == "answered",
                ComplaintEvent.created_at < end,
            )
            overdue_open = s.execute(
                still_open.where(
                    Complaint.deadline_at < end,
                    ~and_(Complaint.category.in_(first_reply), replied_by_end),
                )
            ).scalar_one()
            return ComplaintCounts(
                day=day,
                opened=int(opened),
                closed=count_events("closed"),
                escalated=count_events("escalated"),
                closed_late=int(closed_late),
                overdue_open=int(overdue_open),
                open_total=int(open_total),
            )

    # -- helpers --------------------------------------------------------------------
    def _clock_stopped(self):  # type: ignore[no-untyped-def]
        """SQL: the complaint's service clock has stopped (see ``clock_stopped_at``)."""
        first_reply = [r.category for r in self.categories() if r.judged_on == "first_reply"]
        replied = exists().where(
            ComplaintEvent.complaint_id == Complaint.id,
            ComplaintEvent.event.in_(("answered", "closed")),
        )
        return or_(_closed(), and_(Complaint.category.in_(first_reply), replied))

    def _complaint(self, s: Session, complaint_id: uuid.UUID) -> Complaint:
        complaint = s.get(Complaint, complaint_id)
        if complaint is None:
            raise RuleViolation([error("complaint.not_found", "complaint")])
        return complaint

    @staticmethod
    def _events(s: Session, complaint_id: uuid.UUID) -> list[ComplaintEvent]:
        return list(
            s.scalars(
                select(ComplaintEvent)
                .where(ComplaintEvent.complaint_id == complaint_id)
                .order_by(ComplaintEvent.created_at)
            )
        )

    def _view(self, s: Session, c: Complaint) -> ComplaintView:
        events = self._events(s, c.id)
        staff_ids = {c.first_responsible_id} | {e.staff_id for e in events if e.staff_id}
        names = dict(
            s.execute(select(Staff.id, Staff.display_name).where(Staff.id.in_(staff_ids))).all()
        )
        try:
            rule = self._ws.catalogue.complaint_rule(c.category)
            category_name, judged_on = rule.name_zh, rule.judged_on
        except KeyError:
            category_name, judged_on = c.category, "close"
        return ComplaintView(
            complaint_id=c.id,
            complaint_no=c.complaint_no,
            category=c.category,
            category_name=category_name,
            description=c.description,
            customer_name=c.customer_name,
            contact_phone=c.contact_phone,
            visit_id=c.visit_id,
            first_responsible_id=c.first_responsible_id,
            first_responsible_name=names.get(c.first_responsible_id, ""),
            opened_at=c.created_at,
            deadline_at=c.deadline_at,
            status=status_of(e.event for e in events),
            events=tuple(
                ComplaintEventView(
                    e.event,
                    e.text,
                    names.get(e.staff_id) if e.staff_id else "总部 / head office",
                    e.created_at,
                )
                for e in events
            ),
            judged_on=judged_on,
        )


def start_service_clock(
    s: Session,
    ws: Workstation,
    calendar: WorkCalendar,
    rule: ComplaintRule,
    *,
    staff: StaffSession,
    description: str,
    visit_id: uuid.UUID | None,
    customer_id: uuid.UUID | None,
    customer_name: str | None,
    contact_phone: str | None,
    area: Area,
    now: dt.datetime,
    action: str = "service_clock.started",
) -> Complaint:
    """Open a service order on ``rule``'s clock inside the caller's transaction.

    Settling a 障碍申告, a broadband install or a move starts its clock (修障 24/36/48 h,
    装移机 72 h): followed, closed and reported like a complaint, with the clerk as its
    first-responsible (首问负责).
    """
    ident = ws.identity
    number, _seq = take_number(
        s, "complaint", ident.branch_code, ident.workstation_code, business_date(now)
    )
    order = Complaint(
        complaint_no=number,
        visit_id=visit_id,
        customer_id=customer_id,
        customer_name=customer_name,
        contact_phone=contact_phone,
        category=rule.category,
        description=description,
        first_responsible_id=staff.staff_id,
        deadline_at=deadline_for(rule, now, area, calendar),
        branch_code=ident.branch_code,
        created_at=now,
    )
    s.add(order)
    s.flush()
    audit.record(
        s,
        actor_id=staff.staff_id,
        action=action,
        object_type="complaint",
        object_id=order.id,
        detail={"complaint_no": number, "category": rule.category, "area": area},
    )
    return order


def _closed():
    return exists().where(
        ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.event == "closed"
    )


def _text_problems(text: str, key: str) -> list[Problem]:
    if control := control_problems(text, key):
        return control
    if len(text) < MIN_DESCRIPTION:
        return [error("complaint.text_required", key, min=MIN_DESCRIPTION)]
    if len(text) > MAX_TEXT:
        return [error("complaint.text_too_long", key, max=MAX_TEXT)]
    return []


ACTION_WORDS = {
    "answer": ("答复", "answered"),
    "solve": ("办结", "solved"),
    "escalate": ("升级", "escalated"),
    "close": ("办结", "closed"),
}


def _state_problems(
    complaint: Complaint, history: list[ComplaintEvent], action: str
) -> list[Problem]:
    zh, en = ACTION_WORDS[action]
    if any(e.event == "closed" for e in history):
        return [
            error(
                "complaint.closed",
                "complaint",
                number=complaint.complaint_no,
                action=zh,
                action_en=en,
            )
        ]
    escalated = next((e for e in history if e.event == "escalated"), None)
    if action == "escalate" and escalated is not None:
        at = escalated.created_at.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")
        return [
            error("complaint.already_escalated", "complaint", number=complaint.complaint_no, at=at)
        ]
    return []
