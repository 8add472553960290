"""Payments and settle: the draft's payments, and the one transaction that turns the
draft into settled records (slip, items, payments, receipt, cards, clocks, audit)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.catalogue import Business
from ...core.clock import business_date
from ...core.intake import DraftPayment, VisitDraft, plan_payment, settlement_problems
from ...core.messages import Problem, RuleViolation, error
from ...core.preconditions import overridable as is_overridable
from ...core.reports import visit_tier
from ...store import audit
from ...store.models import (
    Customer,
    Line,
    Payment,
    Receipt,
    Slip,
    SlipItem,
    Visit,
)
from ...store.numbering import take_numbers
from .. import numbers as number_pool
from .. import warranty
from ..auth import StaffSession
from ..dayclose import refuse_if_closed
from .judging import ItemJudging
from .messages import FRAUD_NOTICE_EFFECTS, FRAUD_NOTICE_METHODS
from .views import SettledSlip, customer_state


class PaymentsAndSettle(ItemJudging):
    """Taking the money and settling the visit into append-only records."""

    # -- payments -----------------------------------------------------------------------
    def add_payment(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        method: str,
        amount_fen: int,
        *,
        reference: str | None = None,
        balance_number: str | None = None,
    ) -> DraftPayment:
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            visit = self._open_visit_row(s, visit_id)
            refuse_if_closed(s, visit.workstation_code, business_date(self._now()))
            draft = VisitDraft.from_json(visit.draft)
            payment, problems = plan_payment(
                draft, method, amount_fen, reference=reference, balance_number=balance_number
            )
            if payment is not None and method == "balance":
                problems = self._balance_problems(s, visit, draft, payment)
            if problems or payment is None:
                raise RuleViolation(problems)
            draft.payments.append(payment)
            visit.draft = draft.to_json()
            uow.commit()
            return payment

    def _balance_problems(
        self,
        s: Session,
        visit: Visit,
        draft: VisitDraft,
        payment: DraftPayment,
    ) -> list[Problem]:
        from ...core.money import format_fen

        customer = s.get(Customer, visit.customer_id) if visit.customer_id else None
        state = self._projected_state(customer_state(s, customer, self._ws.vault), draft)
        line = state.line(payment.balance_number or "")
        if line is None:
            return [
                error(
                    "precondition.line_not_customers",
                    "payment.balance_number",
                    number=payment.balance_number or "",
                )
            ]
        already = sum(
            p.amount_fen
            for p in draft.payments
            if p.method == "balance" and p.balance_number == line.number
        )
        available = line.balance_fen - already
        if payment.amount_fen > available:
            return [
                error(
                    "visit.balance_short",
                    "payment.amount",
                    number=line.number,
                    balance=format_fen(available),
                    amount=format_fen(payment.amount_fen),
                )
            ]
        return []

    def remove_payment(self, staff: StaffSession, visit_id: uuid.UUID, payment_id: str) -> None:
        with self._ws.db.unit_of_work() as uow:
            visit = self._open_visit_row(uow.session, visit_id)
            draft = VisitDraft.from_json(visit.draft)
            remaining = [p for p in draft.payments if p.payment_id != payment_id]
            if len(remaining) == len(draft.payments):
                raise RuleViolation([error("visit.payment_not_found", "slip")])
            draft.payments = remaining
            visit.draft = draft.to_json()
            uow.commit()

    # -- settle -------------------------------------------------------------------------
    def settle(self, staff: StaffSession, visit_id: uuid.UUID) -> SettledSlip:
        """Turn the draft into settled records, all in one transaction, or nothing."""
        ident = self._ws.identity
        with self._ws.db.unit_of_work() as uow, uow.session.no_autoflush:
            # no_autoflush: everything is read first and written in one flush at commit
            # (the slip row is flushed explicitly before the rows that reference it).
            s = uow.session
            visit = self._open_visit_row(s, visit_id)
            draft = VisitDraft.from_json(visit.draft)
            customer = s.get(Customer, visit.customer_id) if visit.customer_id else None
            problems = list(settlement_problems(draft))
            for item in draft.items:
                business = self._business(item.business_code)
                judged = self._judge(
                    s,
                    business,
                    draft,
                    customer,
                    item.fields,
                    item.service_number,
                    before_item=item.item_id,
                )
                # an override only ever covers a commercial precondition
                overridden = {o["rule"] for o in item.overrides if is_overridable(o["rule"])}
                problems.extend(p for p in judged if p.code not in overridden)
                if business.creates_warranty_card:  # sold elsewhere since it was added?
                    others = {
                        str(i.fields.get("device_serial"))
                        for i in draft.items
                        if i.item_id != item.item_id
                    }
                    problems.extend(warranty.sale_problems(s, business, item.fields, others))
            problems.extend(self._fraud_notice_problems(draft))
            if problems:
                raise RuleViolation(problems)
            now = self._now()
            day = business_date(now)
            refuse_if_closed(s, ident.workstation_code, day)  # 日结 done: no new slips today
            numbers = take_numbers(
                s, ("slip", "receipt"), ident.branch_code, ident.workstation_code, day
            )
            (slip_no, slip_seq), (receipt_no, receipt_seq) = numbers["slip"], numbers["receipt"]
            agent = self._verification_of(s, draft, "agent")
            recheck = list(draft.recheck_reasons)
            slip = Slip(
                slip_no=slip_no,
                seq=slip_seq,
                kind="sale",
                visit_id=visit.id,
                branch_code=ident.branch_code,
                workstation_code=ident.workstation_code,
                clerk_id=staff.staff_id,
                customer_id=customer.id if customer else None,
                customer_name=customer.name if customer else None,
                customer_id_masked=customer.id_masked if customer else None,
                agent_name=agent.name if agent else None,
                agent_id_masked=agent.id_masked if agent else None,
                unit_name=(draft.unit or {}).get("name"),
                unit_credit_code=(draft.unit or {}).get("credit_code"),
                total_fen=draft.total_fen,
                paid_fen=draft.paid_fen,
                change_fen=draft.change_fen,
                catalogue_version=self.catalogue.version,
                ticket_no=visit.ticket_no,
                waiting_seconds=_seconds(visit.ticket_issued_at, visit.called_at),
                handling_seconds=_seconds(visit.called_at, now),
                recheck_required=bool(recheck),
                recheck_reasons=recheck,
                verification_code=secrets.token_hex(4).upper(),
                business_date=day,
                settled_at=now,
                created_at=now,
            )
            s.add(slip)
            s.flush()
            items = self._write_items_and_payments(s, slip, draft, now)
            number_pool.mark_used(s, visit.id, slip.id)
            self._start_clocks(s, staff, visit, customer, slip, draft, now)
            warranty.issue_cards(
                s, self.catalogue, slip, items, customer_id=slip.customer_id, staff=staff, now=now
            )
            s.add(
                Receipt(
                    receipt_no=receipt_no,
                    seq=receipt_seq,
                    kind="sale",
                    slip_id=slip.id,
                    total_fen=draft.total_fen,
                    cashier_id=staff.staff_id,
                    issued_at=now,
                    created_at=now,
                )
            )
            visit.status = "settled"
            visit.ended_at = now
            # the tier the visit is reported under (head office has no customer rows)
            # as the counter showed it: frozen membership (arrears) is standard
            tier = visit_tier(
                visit.ticket_tier,
                customer_state(s, customer, self._ws.vault).effective_tier if customer else None,
            )
            self._event(s, visit, staff, "settled", slip_no=slip_no, tier=tier)
            self._update_cached_accounts(s, customer, draft)
            audit.record(
                s,
                actor_id=staff.staff_id,
                action="slip.settled",
                object_type="slip",
                object_id=slip.id,
                detail={"slip_no": slip_no, "receipt_no": receipt_no, "total_fen": draft.total_fen},
            )
            uow.commit()
            return SettledSlip(
                slip.id,
                slip_no,
                receipt_no,
                draft.total_fen,
                draft.paid_fen,
                draft.change_fen,
                bool(recheck),
                now,
            )

    def _start_clocks(
        self,
        s: Session,
        staff: StaffSession,
        visit: Visit,
        customer: Customer | None,
        slip: Slip,
        draft: VisitDraft,
        now: dt.datetime,
    ) -> None:
        """障碍申告, broadband installs and moves start their service clocks (DOMAIN.md):
        repair 24 h city / 36 h suburbs / 48 h rural, install or move 72 h."""
        from ...core.workdays import AREAS, load_calendar
        from ..complaints import start_service_clock

        for item in draft.items:
            business = self._business(item.business_code)
            clock = next((c for c in business.clocks if c.applies(item.fields)), None)
            if clock is None:
                continue
            rule = self.catalogue.complaint_rule(clock.category)
            area = str(item.fields.get(clock.area_field, "city")) if clock.area_field else "city"
            number = item.service_number or ""
            start_service_clock(
                s,
                self._ws,
                load_calendar(),
                rule,
                staff=staff,
                description=f"{business.name_zh} {number}（受理单 {slip.slip_no}）".replace(
                    "  ", " "
                ),
                visit_id=visit.id,
                customer_id=customer.id if customer else None,
                customer_name=customer.name if customer else None,
                contact_phone=str(item.fields.get("contact_phone") or "")
                or (customer.contact_phone if customer else None),
                area=area if area in AREAS else "city",  # type: ignore[arg-type]
                now=now,
            )

    def _write_items_and_payments(
        self,
        s: Session,
        slip: Slip,
        draft: VisitDraft,
        now: dt.datetime,
    ) -> list[SlipItem]:
        rows: list[Any] = []
        for line_no, item in enumerate(draft.items, start=1):
            business = self._business(item.business_code)
            rows.append(
                SlipItem(
                    slip_id=slip.id,
                    line_no=line_no,
                    business_code=item.business_code,
                    business_name=business.name_zh,
                    service_number=item.service_number,
                    fields=_with_notice(item.fields, business, draft),
                    fee_fen=item.fee_fen,
                    list_fee_fen=item.list_fee_fen,
                    waiver_reason=item.waiver_reason,
                    waived_by=uuid.UUID(item.waived_by) if item.waived_by else None,
                    overrides=item.overrides,
                    account_effect=business.account_effect,
                    created_at=now,
                )
            )
        for line_no, p in enumerate(draft.payments, start=1):
            rows.append(
                Payment(
                    slip_id=slip.id,
                    line_no=line_no,
                    method=p.method,
                    amount_fen=p.amount_fen,
                    tendered_fen=p.tendered_fen,
                    change_fen=p.change_fen,
                    reference=p.reference,
                    balance_number=p.balance_number,
                    created_at=now,
                )
            )
        s.add_all(rows)
        return [row for row in rows if isinstance(row, SlipItem)]

    def _update_cached_accounts(
        self,
        s: Session,
        customer: Customer | None,
        draft: VisitDraft,
    ) -> None:
        """Bring the cached account copies up to date until head office's answer arrives."""
        owners: dict[uuid.UUID, Customer] = {customer.id: customer} if customer else {}
        for item in draft.items:
            if item.service_number and customer is None:
                owner = self._line_owner(s, item.service_number)
                if owner is not None:
                    owners.setdefault(owner.id, owner)
        for owner in owners.values():
            self._update_owner(s, owner, draft, visit_customer=owner is customer)

    def _update_owner(
        self, s: Session, owner: Customer, draft: VisitDraft, *, visit_customer: bool
    ) -> None:
        after = self._projected_state(
            self._cached_state(s, owner), draft, visit_customer=visit_customer
        )
        for p in draft.payments:
            line = (
                after.line(p.balance_number) if p.method == "balance" and p.balance_number else None
            )
            if line is not None:
                new = dataclasses.replace(line, balance_fen=line.balance_fen - p.amount_fen)
                after = dataclasses.replace(
                    after, lines=tuple(new if x is line else x for x in after.lines)
                )
        rows = {
            row.number: row for row in s.scalars(select(Line).where(Line.customer_id == owner.id))
        }
        now = self._now()
        kept = set()
        for state in after.lines:
            row = rows.get(state.number)
            if row is None:
                row = Line(
                    customer_id=owner.id,
                    number=state.number,
                    payment_mode=state.payment_mode,
                    opened_on=business_date(now),
                )
                s.add(row)
            kept.add(state.number)
            row.status, row.plan_code = state.status, state.plan_code
            row.balance_fen, row.arrears_fen = state.balance_fen, state.arrears_fen
            row.deposit_fen, row.roaming_enabled = state.deposit_fen, state.roaming_enabled
            row.reverify_required = state.reverify_required
            row.state_as_of = now
        owner.numbers_with_operator = after.numbers_with_operator
        for number, row in rows.items():
            if number not in kept:  # number changed or line passed to a new owner
                row.status = "closed"


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def _with_notice(fields: Mapping[str, Any], business: Business, draft: VisitDraft) -> Any:
    """An 入网/过户 item records how its 涉诈风险告知书 was signed (printed on the slip)."""
    if business.account_effect not in FRAUD_NOTICE_EFFECTS or not draft.fraud_notice:
        return fields
    method = str(draft.fraud_notice.get("method", ""))
    return {**fields, "fraud_notice": "已签署（" + FRAUD_NOTICE_METHODS.get(method, method) + "）"}
