"""What the intake service hands the window: the visit, its items, the resume list,
the settled slip; and the customer's account state as the rules read it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.accounts import CustomerState, LineState
from ...core.intake import DraftPayment
from ...core.messages import Problem
from ...store.crypto import Vault
from ...store.models import (
    Customer,
    Line,
)
from ...store.personal import open_birth_date
from ..verification import VerificationView


@dataclass(frozen=True)
class ItemView:
    item_id: str
    business_code: str
    business_name: str
    service_number: str | None
    fields: Mapping[str, Any]
    fee_fen: int
    list_fee_fen: int
    waived: bool
    warnings: tuple[Problem, ...] = ()
    business_name_en: str = ""  # the English name, for a counter working in English


@dataclass(frozen=True)
class VisitView:
    visit_id: uuid.UUID
    status: str
    customer_id: uuid.UUID | None
    customer_name: str | None
    customer_id_masked: str | None
    customer_kind: str | None
    tier: str | None
    lines: tuple[LineState, ...]
    items: tuple[ItemView, ...]
    payments: tuple[DraftPayment, ...]
    total_fen: int
    paid_fen: int
    due_fen: int
    change_fen: int
    party: str
    verifications: Mapping[str, VerificationView]
    recheck_reasons: tuple[str, ...]
    ticket_no: str | None
    opened_at: dt.datetime
    called_at: dt.datetime | None
    ticket_tier: str | None = None
    ticket_issued_at: dt.datetime | None = None
    contact_phone: str | None = None
    #: The customer's address as on the ID read in this visit (forms pre-fill it).
    contact_address: str | None = None
    #: The tier the customer holds while it is frozen (served as standard), else None.
    frozen_tier: str | None = None


@dataclass(frozen=True)
class SuspendedVisit:
    """A suspended visit as the resume list shows it: who, what and the money."""

    visit_id: uuid.UUID
    customer_name: str | None
    opened_at: dt.datetime
    ticket_no: str | None
    clerk_name: str
    own: bool  # suspended by the clerk asking
    businesses: tuple[str, ...]
    total_fen: int
    paid_fen: int


@dataclass(frozen=True)
class SettledSlip:
    slip_id: uuid.UUID
    slip_no: str
    receipt_no: str
    total_fen: int
    paid_fen: int
    change_fen: int
    recheck_required: bool
    settled_at: dt.datetime
    warnings: tuple[Problem, ...] = field(default_factory=tuple)


def customer_state(
    s: Session, customer: Customer | None, vault: Vault | None = None
) -> CustomerState:
    """The customer's accounts for the rules; the sealed birth date is opened in memory
    when a ``vault`` is given (the age rules need it; the tier and the lines do not)."""
    if customer is None:
        return CustomerState(source="new")
    lines = s.scalars(select(Line).where(Line.customer_id == customer.id)).all()
    return CustomerState(
        kind="unit" if customer.kind == "unit" else "person",
        tier=customer.tier,
        tier_frozen=customer.tier_frozen,
        birth_date=(
            open_birth_date(vault, customer.birth_date_enc, "customer", customer.id)
            if vault is not None
            else None
        ),
        numbers_with_operator=customer.numbers_with_operator,
        lines=tuple(
            LineState(
                number=line.number,
                payment_mode=line.payment_mode,  # type: ignore[arg-type]
                status=line.status,
                service=line.service,
                plan_code=line.plan_code,
                balance_fen=line.balance_fen,
                arrears_fen=line.arrears_fen,
                deposit_fen=line.deposit_fen,
                contract_lock_until=line.contract_lock_until,
                pretty_number_lock=line.pretty_number_lock,
                marketing_lock=line.marketing_lock,
                moved_without_change=line.moved_without_change,
                roaming_enabled=line.roaming_enabled,
                reverify_required=line.reverify_required,
            )
            for line in lines
        ),
        source="head_office" if customer.state_source == "head_office" else "cache",
    )


def _customer_tier(s: Session, customer_id: uuid.UUID | None, vault: Vault) -> str | None:
    if customer_id is None:
        return None
    customer = s.get(Customer, customer_id)
    return customer_state(s, customer, vault).effective_tier if customer else None
