"""What every part of the intake service shares: the workstation, the clock, the open
visit row and its events, and the customer state projected through the draft."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.accounts import CustomerState
from ...core.catalogue import Business
from ...core.effects import apply_effect
from ...core.intake import VisitDraft
from ...core.messages import RuleViolation, error
from ...store.models import (
    Customer,
    IdVerification,
    Line,
    Visit,
    VisitEvent,
)
from ...store.personal import open_birth_date
from ..auth import StaffSession
from ..workstation import Workstation
from .views import customer_state


class IntakeBase:
    """The state and helpers the lifecycle, business and settle parts all use."""

    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    @property
    def catalogue(self):
        return self._ws.catalogue

    def _now(self) -> dt.datetime:
        return self._ws.clock.now()

    def _open_visit_row(self, s: Session, visit_id: uuid.UUID) -> Visit:
        visit = s.get(Visit, visit_id)
        if visit is None:
            raise LookupError(f"visit {visit_id} not found")
        if visit.status != "open":
            status = {"suspended": "挂起", "settled": "结算", "cancelled": "取消"}.get(
                visit.status, visit.status
            )
            raise RuleViolation([error("visit.not_open", "slip", status=status)])
        return visit

    def _event(
        self, s: Session, visit: Visit, staff: StaffSession, event: str, **detail: Any
    ) -> None:
        s.add(
            VisitEvent(
                visit_id=visit.id,
                event=event,
                staff_id=staff.staff_id,
                detail=detail,
                created_at=self._now(),
            )
        )

    def _business(self, code: str) -> Business:
        business = self.catalogue.find(code)
        if business is None:
            raise RuleViolation([error("visit.unknown_business", "business", code=code)])
        return business

    def _projected_state(
        self,
        state: CustomerState,
        draft: VisitDraft,
        before_item: str | None = None,
        *,
        visit_customer: bool = True,
    ) -> CustomerState:
        """The state after the draft's items (those before ``before_item``).

        For the owner of a number served without identifying them (a top-up for a
        friend), only the items acting on their lines apply, never customer-level ones
        such as a new line.
        """
        for item in draft.items:
            if item.item_id == before_item:
                break
            business = self.catalogue.find(item.business_code)
            if business is None or (business.acts_on != "line" and not visit_customer):
                continue
            state = apply_effect(
                state,
                business.account_effect,
                line_number=item.service_number,
                fields=item.fields,
                amount_fen=item.fee_fen,
            )
        return state

    def _cached_state(self, s: Session, customer: Customer | None) -> CustomerState:
        """The stored state, read once per transaction (judging several items reuses it)."""
        states = s.info.setdefault("customer_states", {})
        key = customer.id if customer is not None else None
        if key not in states:
            states[key] = customer_state(s, customer, self._ws.vault)
        return states[key]

    def _line_owner(self, s: Session, number: str) -> Customer | None:
        owners = s.info.setdefault("line_owners", {})  # one look-up per number per transaction
        if number not in owners:
            owners[number] = s.scalar(
                select(Customer)
                .join(Line, Line.customer_id == Customer.id)
                .where(Line.number == number)
            )
        return owners[number]

    def _subject(
        self, s: Session, customer: Customer | None, business: Business, number: str | None
    ) -> Customer | None:
        """Whose account a business acts on: the visit's customer, or, for a business
        that needs no ID (a top-up: the customer just gives the number, 免填单), the
        owner of that number."""
        if customer is not None or not number or business.id_steps:
            return customer
        return self._line_owner(s, number)

    def _birth_date_of(self, verification: IdVerification | None) -> dt.date | None:
        """The birth date read from a party's card, opened in memory (it is kept sealed)."""
        if verification is None:
            return None
        return open_birth_date(
            self._ws.vault, verification.birth_date_enc, "id_verification", verification.id
        )

    def _verification_of(self, s: Session, draft: VisitDraft, party: str) -> IdVerification | None:
        vid = draft.verifications.get(party)
        return s.get(IdVerification, uuid.UUID(vid)) if vid else None
