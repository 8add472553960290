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

Recording and follow-up are here; reading (lists, day counts) is
:mod:`frontdesk.services.complaint_lists`; views, statuses and messages
:mod:`frontdesk.services.complaint_views`. Every name is importable from here.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy.orm import Session

from ..core.catalogue import ComplaintRule
from ..core.clock import BUSINESS_TZ, business_date
from ..core.fields import control_problems
from ..core.messages import Problem, RuleViolation, error
from ..core.workdays import AREAS, Area, WorkCalendar, deadline_for
from ..store import audit
from ..store.models import Complaint, ComplaintEvent, Customer, Visit
from ..store.numbering import take_number
from ..sync.protocol import WORK_ORDER_STATUSES, work_order_event
from .auth import StaffSession
from .complaint_lists import ComplaintLists
from .complaint_views import (
    MAX_TEXT,
    MIN_DESCRIPTION,
    PHONE,
    STATUS_ZH,
    ComplaintCounts,
    ComplaintEventView,
    ComplaintView,
    status_of,
)
from .workstation import Workstation

__all__ = [
    "ACTION_WORDS",
    "MAX_TEXT",
    "MIN_DESCRIPTION",
    "PHONE",
    "STATUS_ZH",
    "ComplaintCounts",
    "ComplaintEventView",
    "ComplaintLists",
    "ComplaintService",
    "ComplaintView",
    "start_service_clock",
    "status_of",
]


class ComplaintService(ComplaintLists):
    """Record, answer, escalate and close complaints; list what the manager must chase
    (the reading half is :class:`~frontdesk.services.complaint_lists.ComplaintLists`)."""

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
