"""Reading complaints: what the manager must chase, and the day's figures.

:class:`ComplaintLists` is the reading half of
:class:`~frontdesk.services.complaints.ComplaintService` (open, overdue, near due,
escalated, day counts, one complaint's view); use the service.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from ..core.catalogue import ComplaintRule
from ..core.clock import BUSINESS_TZ
from ..core.messages import RuleViolation, error
from ..core.workdays import WorkCalendar, load_calendar
from ..store.models import Complaint, ComplaintEvent, Staff
from .complaint_views import ComplaintCounts, ComplaintEventView, ComplaintView, status_of
from .workstation import Workstation


class ComplaintLists:
    """The workstation, the work calendar, and every way of reading complaints."""

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


def _closed():
    """SQL: the complaint has a ``closed`` event."""
    return exists().where(
        ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.event == "closed"
    )
