"""Finding a customer by document number or phone number (both indexed look-ups).

Document numbers are never searched in clear: the number is normalised (15-digit IDs
upgraded to 18, full-width folded, upper-cased) and looked up by its keyed hash.
Every look-up is audited with the masked key only (SPEC §6: customer-data look-ups
are monitored).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.accounts import CustomerState
from ..core.ids import DocType, mask_id_number, mask_phone, normalise_number
from ..core.serials import normalise_phone
from ..store import audit
from ..store.models import Customer, Line
from .auth import StaffSession
from .workstation import Workstation


class AccountSource(Protocol):
    """Head office's answer: a customer's accounts as billing knows them now."""

    def account_state(self, id_hash: str) -> CustomerState | None:
        """None when head office doesn't know the customer; ConnectionError offline."""
        ...


def apply_head_office_state(
    s: Session, customer: Customer, state: CustomerState, now: dt.datetime
) -> None:
    """Replace the cached copy of a customer's accounts with head office's answer."""
    customer.tier = state.tier
    customer.tier_frozen = state.tier_frozen
    customer.numbers_with_operator = state.numbers_with_operator
    customer.state_source = "head_office"
    customer.state_as_of = now
    rows = {
        row.number: row for row in s.scalars(select(Line).where(Line.customer_id == customer.id))
    }
    seen = set()
    for line in state.lines:
        row = rows.get(line.number)
        if row is None:
            row = s.scalar(select(Line).where(Line.number == line.number))
            if row is None:
                row = Line(
                    customer_id=customer.id, number=line.number, payment_mode=line.payment_mode
                )
                s.add(row)
            row.customer_id = customer.id
        seen.add(line.number)
        row.payment_mode, row.status, row.service = line.payment_mode, line.status, line.service
        row.plan_code, row.balance_fen, row.arrears_fen = (
            line.plan_code,
            line.balance_fen,
            line.arrears_fen,
        )
        row.deposit_fen, row.contract_lock_until = line.deposit_fen, line.contract_lock_until
        row.pretty_number_lock, row.marketing_lock = line.pretty_number_lock, line.marketing_lock
        row.moved_without_change, row.roaming_enabled = (
            line.moved_without_change,
            line.roaming_enabled,
        )
        row.reverify_required = line.reverify_required
        row.state_as_of = now
    for number, row in rows.items():
        if number not in seen:
            row.status = "closed"  # head office no longer has it under this customer
            row.state_as_of = now


@dataclass(frozen=True)
class CustomerSummary:
    customer_id: uuid.UUID
    kind: str
    name: str
    id_masked: str
    tier: str
    numbers: tuple[str, ...]


class CustomerService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    def id_hash(self, doc_type: DocType | str, number: str) -> str:
        normalised = normalise_number(DocType(doc_type), number)
        return self._ws.vault.lookup_hash(f"{DocType(doc_type)}:{normalised}")

    def _summaries(self, s, customers) -> list[CustomerSummary]:
        result = []
        for c in customers:
            numbers = tuple(
                s.scalars(
                    select(Line.number)
                    .where(Line.customer_id == c.id, Line.status != "closed")
                    .order_by(Line.number)
                )
            )
            result.append(CustomerSummary(c.id, c.kind, c.name, c.id_masked, c.tier, numbers))
        return result

    def find_by_document(
        self,
        staff: StaffSession | None,
        doc_type: DocType | str,
        number: str,
        *,
        audited: bool = True,
    ) -> list[CustomerSummary]:
        id_hash = self.id_hash(doc_type, number)
        with self._ws.db.reader() as s:
            found = s.scalars(select(Customer).where(Customer.id_hash == id_hash)).all()
            result = self._summaries(s, found)
        if audited:
            self._audit(staff, "customer.lookup.document", mask_id_number(number), len(result))
        return result

    def find_by_phone(
        self,
        staff: StaffSession | None,
        phone: str,
        *,
        audited: bool = True,
    ) -> list[CustomerSummary]:
        number = normalise_phone(phone)
        with self._ws.db.reader() as s:
            ids = select(Line.customer_id).where(Line.number == number).scalar_subquery()
            found = s.scalars(
                select(Customer).where(or_(Customer.id.in_(ids), Customer.contact_phone == number))
            ).all()
            result = self._summaries(s, found)
        if audited:
            self._audit(staff, "customer.lookup.phone", mask_phone(number), len(result))
        return result

    def _audit(self, staff: StaffSession | None, action: str, key: str, hits: int) -> None:
        with self._ws.db.unit_of_work() as uow:
            audit.record(
                uow.session,
                actor_id=staff.staff_id if staff else None,
                action=action,
                object_type="customer",
                detail={"key": key, "hits": hits},
            )
            uow.commit()
