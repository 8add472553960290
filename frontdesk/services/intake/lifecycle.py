"""Visit lifecycle: open, suspend, resume, cancel, the suspended list, and reading a visit."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...core.clock import business_date
from ...core.intake import VisitDraft
from ...core.messages import RuleViolation, error
from ...core.reports import visit_tier
from ...store.models import (
    Customer,
    IdVerification,
    Slip,
    SlipItem,
    Staff,
    Visit,
)
from ...store.personal import sealed_at
from .. import numbers as number_pool
from ..auth import StaffSession
from ..dayclose import refuse_if_closed
from ..verification import view_of
from .base import IntakeBase
from .views import ItemView, SuspendedVisit, VisitView, _customer_tier, customer_state


class VisitLifecycle(IntakeBase):
    """Opening, parking and ending a visit; the view the window shows of it."""

    # -- lifecycle --------------------------------------------------------------------
    def open_visit(
        self,
        staff: StaffSession,
        *,
        ticket_no: str | None = None,
        ticket_tier: str | None = None,
        ticket_issued_at: dt.datetime | None = None,
        called_at: dt.datetime | None = None,
        green_channel: str | None = None,
    ) -> uuid.UUID:
        """Start serving a customer (called ticket or walk-in); the handling clock starts.

        ``green_channel`` is the 绿色通道 group reception marked the ticket with; the
        day report counts such visits.

        ``called_at`` is when the queue called the ticket (waiting = issue → call);
        the walk to the counter then counts as handling, as the SLA reads it.
        """
        ident = self._ws.identity
        now = self._now()
        with self._ws.db.unit_of_work() as uow:
            # 日结 done: refuse before anything is taken, not at settle
            refuse_if_closed(uow.session, ident.workstation_code, business_date(now))
            visit = Visit(
                branch_code=ident.branch_code,
                workstation_code=ident.workstation_code,
                clerk_id=staff.staff_id,
                ticket_no=ticket_no,
                ticket_tier=ticket_tier,
                ticket_issued_at=ticket_issued_at,
                called_at=called_at or now,
                opened_at=now,
                draft=VisitDraft().to_json(),
                green_channel=green_channel,
            )
            uow.session.add(visit)
            uow.session.flush()
            self._event(
                uow.session,
                visit,
                staff,
                "opened",
                ticket_no=ticket_no,
                ticket_tier=ticket_tier,
                ticket_issued_at=ticket_issued_at.isoformat() if ticket_issued_at else None,
                # head office's branch-wide report reads waiting time (issue → call) here
                called_at=visit.called_at.isoformat(),
                **({"green_channel": green_channel} if green_channel else {}),
            )
            uow.commit()
            return visit.id

    def suspend(self, staff: StaffSession, visit_id: uuid.UUID) -> None:
        with self._ws.db.unit_of_work() as uow:
            visit = self._open_visit_row(uow.session, visit_id)
            visit.status = "suspended"
            self._event(uow.session, visit, staff, "suspended")
            uow.commit()

    def resume(self, staff: StaffSession, visit_id: uuid.UUID) -> None:
        with self._ws.db.unit_of_work() as uow:
            visit = uow.session.get(Visit, visit_id)
            if visit is None or visit.status != "suspended":
                raise RuleViolation(
                    [error("visit.not_open", "slip", status=visit.status if visit else "不存在")]
                )
            visit.status = "open"
            visit.clerk_id = staff.staff_id
            self._event(uow.session, visit, staff, "resumed")
            uow.commit()

    def cancel(self, staff: StaffSession, visit_id: uuid.UUID, reason: str) -> None:
        """Abandon a visit: nothing of it is settled; the reason is kept."""
        if not reason.strip():
            raise RuleViolation([error("visit.cancel_reason", "reason")])
        with self._ws.db.unit_of_work() as uow:
            visit = uow.session.get(Visit, visit_id)
            if visit is None or visit.status not in ("open", "suspended"):
                raise RuleViolation(
                    [error("visit.not_open", "slip", status=visit.status if visit else "不存在")]
                )
            draft = VisitDraft.from_json(visit.draft)
            if draft.payments:
                from ...core.money import format_fen

                raise RuleViolation(
                    [error("visit.settled_has_payments", "slip", paid=format_fen(draft.paid_fen))]
                )
            visit.status = "cancelled"
            number_pool.release_visit(uow.session, visit.id)
            visit.cancel_reason = reason.strip()
            visit.ended_at = self._now()
            self._event(
                uow.session,
                visit,
                staff,
                "cancelled",
                reason=reason.strip(),
                businesses=[i.business_code for i in draft.items],
                tier=visit_tier(
                    visit.ticket_tier,
                    _customer_tier(uow.session, visit.customer_id, self._ws.vault),
                ),
            )
            uow.commit()

    def suspended_visits(self) -> list[tuple[uuid.UUID, str | None, dt.datetime]]:
        with self._ws.db.reader() as s:
            rows = s.execute(
                select(Visit.id, Customer.name, Visit.opened_at)
                .outerjoin(Customer, Customer.id == Visit.customer_id)
                .where(Visit.status == "suspended")
                .order_by(Visit.opened_at)
            ).all()
            return [(r[0], r[1], r[2]) for r in rows]

    def suspended_for(self, staff: StaffSession) -> list[SuspendedVisit]:
        """This counter's suspended visits with their businesses and money: the clerk's
        own first, then colleagues', oldest first within each."""
        with self._ws.db.reader() as s:
            rows = s.execute(
                select(Visit, Customer.name, Staff.display_name)
                .outerjoin(Customer, Customer.id == Visit.customer_id)
                .join(Staff, Staff.id == Visit.clerk_id)
                .where(
                    Visit.status == "suspended",
                    Visit.workstation_code == self._ws.identity.workstation_code,
                )
                .order_by(Visit.opened_at)
            ).all()
            found = []
            for visit, name, clerk in rows:
                draft = VisitDraft.from_json(visit.draft)
                names = []
                for item in draft.items:
                    business = self.catalogue.find(item.business_code)
                    names.append(business.name_zh if business else item.business_code)
                found.append(
                    SuspendedVisit(
                        visit.id,
                        name,
                        visit.opened_at,
                        visit.ticket_no,
                        clerk,
                        visit.clerk_id == staff.staff_id,
                        tuple(names),
                        draft.total_fen,
                        draft.paid_fen,
                    )
                )
        return sorted(found, key=lambda v: not v.own)  # stable: oldest first in each

    def suspended_count(self) -> int:
        with self._ws.db.reader() as s:
            return int(
                s.scalar(
                    select(func.count(Visit.id)).where(
                        Visit.status == "suspended",
                        Visit.workstation_code == self._ws.identity.workstation_code,
                    )
                )
                or 0
            )

    # -- reading ------------------------------------------------------------------------
    def business_usage(self, days: int = 90) -> dict[str, int]:
        """How often each business was settled at this workstation lately (code → count),
        so the business picker lists the most-used first."""
        from sqlalchemy import func

        since = self._now() - dt.timedelta(days=days)
        with self._ws.db.reader() as s:
            rows = s.execute(
                select(SlipItem.business_code, func.count(SlipItem.id))
                .join(Slip, Slip.id == SlipItem.slip_id)
                .where(Slip.kind == "sale", Slip.created_at >= since)
                .group_by(SlipItem.business_code)
            ).all()
        return {code: count for code, count in rows}

    def view(self, visit_id: uuid.UUID) -> VisitView:
        with self._ws.db.reader() as s:
            visit = s.get(Visit, visit_id)
            if visit is None:
                raise LookupError(f"visit {visit_id} not found")
            return self._view(s, visit)

    def _view(self, s: Session, visit: Visit) -> VisitView:
        draft = VisitDraft.from_json(visit.draft)
        customer = s.get(Customer, visit.customer_id) if visit.customer_id else None
        state = customer_state(s, customer, self._ws.vault)
        verifications = {}
        for party, vid in draft.verifications.items():
            verification = s.get(IdVerification, uuid.UUID(vid))
            if verification is not None:
                verifications[party] = view_of(s, verification)
        items = []
        for item in draft.items:
            business = self.catalogue.find(item.business_code)
            name = business.name_zh if business else item.business_code
            items.append(
                ItemView(
                    item.item_id,
                    item.business_code,
                    name,
                    item.service_number,
                    dict(item.fields),
                    item.fee_fen,
                    item.list_fee_fen,
                    item.waiver_reason is not None,
                    business_name_en=business.name_en if business else item.business_code,
                )
            )
        return VisitView(
            visit.id,
            visit.status,
            visit.customer_id,
            customer.name if customer else None,
            customer.id_masked if customer else None,
            customer.kind if customer else None,
            state.effective_tier if customer else None,
            tuple(sorted(state.lines, key=lambda line: line.number)),
            tuple(items),
            tuple(draft.payments),
            draft.total_fen,
            draft.paid_fen,
            draft.due_fen,
            draft.change_fen,
            draft.party,
            verifications,
            tuple(draft.recheck_reasons),
            visit.ticket_no,
            visit.opened_at,
            visit.called_at,
            visit.ticket_tier,
            visit.ticket_issued_at,
            customer.contact_phone if customer else None,
            self._visit_address(s, draft),
            state.tier if customer and state.effective_tier != state.tier else None,
        )

    def _visit_address(self, s: Session, draft: VisitDraft) -> str | None:
        vid = draft.verifications.get("customer")
        verification = s.get(IdVerification, uuid.UUID(vid)) if vid else None
        if verification is None or verification.address_enc is None:
            return None
        return self._ws.vault.open_text(
            verification.address_enc,
            sealed_at("id_verification", "address_enc", verification.id),
        )
