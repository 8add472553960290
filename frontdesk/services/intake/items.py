"""Business items on the draft slip: add (validate, pre-fill, judge, override), remove,
waive a fee; and the parties and notices recorded for them (guardian, 涉诈风险告知书)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ...core.catalogue import Business
from ...core.clock import business_date
from ...core.fields import default_value, validate_field
from ...core.intake import DraftItem, VisitDraft
from ...core.messages import Problem, RuleViolation, error
from ...core.money import format_fen
from ...core.preconditions import age_on
from ...core.preconditions import overridable as is_overridable
from ...store import audit
from ...store.models import (
    Customer,
)
from .. import numbers as number_pool
from .. import warranty
from ..auth import Approval, StaffSession, consume
from .judging import ItemJudging
from .messages import FRAUD_NOTICE_METHODS, GUARDIAN_MIN_AGE, GUARDIAN_RELATIONSHIPS
from .views import ItemView, customer_state


class BusinessItems(ItemJudging):
    """Putting businesses on the slip and taking them off; the notices they need."""

    def _validate_fields(
        self,
        business: Business,
        raw: Mapping[str, Any],
        customer: Customer | None,
    ) -> tuple[dict[str, Any], list[Problem]]:
        today = business_date(self._now())
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for defn in business.fields:
            value = raw.get(defn.key)
            if (value is None or value == "") and defn.source == "visit" and customer is not None:
                value = {
                    "customer_name": customer.name,
                    "contact_phone": customer.contact_phone,
                }.get(defn.key)
            if (value is None or value == "") and defn.default is not None:
                value = default_value(defn, today=today)
            checked = validate_field(defn, value, today=today)
            problems.extend(checked.problems)
            if checked.value is not None:
                values[defn.key] = checked.value
        return values, problems

    def _party_fields(
        self, s: Session, business: Business, draft: VisitDraft, customer: Customer | None
    ) -> dict[str, Any]:
        """Who else the business names, from their verified documents (never typed in):
        the new owner of a 过户, a minor's guardian; masked, the numbers stay sealed."""
        values: dict[str, Any] = {}
        if business.account_effect == "change_owner":
            new_owner = self._verification_of(s, draft, "new_owner")
            if new_owner is not None:
                values["new_owner_name"] = new_owner.name
                values["new_owner_id_masked"] = new_owner.id_masked
        if draft.guardian and draft.party == "agent" and business.id_steps:
            agent = self._verification_of(s, draft, "agent")
            if agent is not None:
                relationship = str(draft.guardian.get("relationship", ""))
                values["guardian_name"] = agent.name
                values["guardian_id_masked"] = agent.id_masked
                values["guardian_relationship"] = GUARDIAN_RELATIONSHIPS.get(
                    relationship, relationship
                )
        return values

    def add_business(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        code: str,
        fields: Mapping[str, Any] | None = None,
        *,
        service_number: str | None = None,
        override: Approval | None = None,
    ) -> ItemView:
        """Put one business on the slip after validating its fields and preconditions.

        A manager's ``override`` lets a business through broken *preconditions* (never
        invalid fields or missing ID steps); it is recorded on the item.
        """
        business = self._business(code)
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            visit = self._open_visit_row(s, visit_id)
            draft = VisitDraft.from_json(visit.draft)
            customer = s.get(Customer, visit.customer_id) if visit.customer_id else None
            values, field_problems = self._validate_fields(business, fields or {}, customer)
            problems = [p for p in field_problems if p.is_error]
            values.update(self._party_fields(s, business, draft, customer))
            judged = self._judge(s, business, draft, customer, values, service_number)
            # only commercial preconditions yield to a manager; legal limits never do
            overridable = [p for p in judged if is_overridable(p.code)]
            blocking = [p for p in judged if p not in overridable]
            problems.extend(blocking)
            overrides: list[dict[str, Any]] = []
            legal = [
                p
                for p in blocking
                if p.code.startswith(("precondition.", "visit."))
                and p.code not in ("precondition.line_required", "precondition.line_not_customers")
            ]
            if override is not None and legal:
                problems.append(
                    error(
                        "precondition.not_overridable",
                        "business",
                        business=business.name_zh,
                        rule="；".join(p.text("zh") for p in legal),
                    )
                )
            if overridable:
                if override is None:
                    problems.extend(overridable)
                elif not problems:
                    consume(
                        s,
                        override,
                        action="precondition_override",
                        now=self._now(),
                        visit_id=visit.id,
                        subject=business.code,
                    )
                    overrides = [
                        {
                            "rule": p.code,
                            "manager_id": str(override.manager_id),
                            "reason": override.reason,
                        }
                        for p in overridable
                    ]
            if business.creates_warranty_card:
                on_slip = {str(i.fields.get("device_serial")) for i in draft.items}
                problems.extend(warranty.sale_problems(s, business, values, on_slip))
            problems.extend(number_pool.pool_problems(s, business, values))  # 选号
            if problems:
                raise RuleViolation(problems)
            subject = self._subject(s, customer, business, service_number)
            tier = customer_state(s, subject, self._ws.vault).effective_tier if subject else None
            list_fee = business.fee_for(values, None)
            fee = business.fee_for(values, tier)
            sign = -1 if business.money_direction == "out" else 1
            item = DraftItem(
                business_code=business.code,
                fields=_jsonable(values),
                fee_fen=sign * fee,
                list_fee_fen=sign * list_fee,
                # a new line is served under the number it opens: the slip shows it and
                # later look-ups by that number find the slip
                service_number=service_number
                or (
                    str(values.get("new_number") or "") or None
                    if business.account_effect == "add_line"
                    else None
                ),
                waiver_reason="VIP 免费" if fee != list_fee else None,
                overrides=overrides,
                added_at=self._now().isoformat(),
            )
            draft.items.append(item)
            number_pool.hold(s, business, values, visit.id, item.item_id)
            if (
                customer is not None
                and customer.state_source != "head_office"
                and business.preconditions
                and "state_from_cache" not in draft.recheck_reasons
            ):
                draft.recheck_reasons.append("state_from_cache")
            visit.draft = draft.to_json()
            if overrides:
                audit.record(
                    s,
                    actor_id=override.manager_id if override else None,
                    action="precondition.override",
                    object_type="visit",
                    object_id=visit.id,
                    detail={"business": business.code, "rules": [o["rule"] for o in overrides]},
                )
            uow.commit()
        warnings = tuple(p for p in field_problems if not p.is_error)
        return ItemView(
            item.item_id,
            business.code,
            business.name_zh,
            item.service_number,
            item.fields,
            item.fee_fen,
            item.list_fee_fen,
            item.waiver_reason is not None,
            warnings,
            business.name_en,
        )

    def remove_business(self, staff: StaffSession, visit_id: uuid.UUID, item_id: str) -> None:
        with self._ws.db.unit_of_work() as uow:
            visit = self._open_visit_row(uow.session, visit_id)
            draft = VisitDraft.from_json(visit.draft)
            remaining = [i for i in draft.items if i.item_id != item_id]
            if len(remaining) == len(draft.items):
                raise RuleViolation([error("visit.item_not_found", "slip")])
            draft.items = remaining
            visit.draft = draft.to_json()
            number_pool.release_items(uow.session, visit.id, [item_id])
            uow.commit()

    def waive_fee(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        item_id: str,
        approval: Approval,
        amount_fen: int | None = None,
    ) -> None:
        """A manager waives one business's fee, wholly or ``amount_fen`` of it (the list
        fee stays on the record); a part must be more than ¥0 and at most the fee due."""
        with self._ws.db.unit_of_work() as uow:
            visit = self._open_visit_row(uow.session, visit_id)
            draft = VisitDraft.from_json(visit.draft)
            item = next((i for i in draft.items if i.item_id == item_id), None)
            if item is None:
                raise RuleViolation([error("visit.item_not_found", "slip")])
            waived = item.fee_fen if amount_fen is None else amount_fen
            if waived <= 0 or waived > item.fee_fen:
                business = self.catalogue.find(item.business_code)
                raise RuleViolation(
                    [
                        error(
                            "visit.waiver_amount",
                            "waiver.amount",
                            business=business.name_zh if business else item.business_code,
                            fee=format_fen(item.fee_fen),
                        )
                    ]
                )
            # bound: this visit, this business, this amount; used once
            consume(
                uow.session,
                approval,
                action="fee_waiver",
                now=self._now(),
                visit_id=visit.id,
                subject=item.business_code,
                amount_fen=waived,
            )
            item.fee_fen -= waived
            item.waiver_reason = approval.reason
            item.waived_by = str(approval.manager_id)
            visit.draft = draft.to_json()
            audit.record(
                uow.session,
                actor_id=approval.manager_id,
                action="fee.waived",
                object_type="visit",
                object_id=visit.id,
                detail={
                    "business": item.business_code,
                    "list_fee": item.list_fee_fen,
                    "waived": waived,
                },
            )
            uow.commit()

    # -- parties and notices -----------------------------------------------------------
    def record_guardian(self, staff: StaffSession, visit_id: uuid.UUID, relationship: str) -> None:
        """The agent is the customer's guardian (a minor opening a line): record how.

        The guardian's own document is the agent's verification (read, checked,
        face-compared, copy kept); they must be an adult. Printed on the slip.
        """
        if relationship not in GUARDIAN_RELATIONSHIPS:
            raise RuleViolation([error("visit.guardian_relationship", "guardian_relationship")])
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            visit = self._open_visit_row(s, visit_id)
            draft = VisitDraft.from_json(visit.draft)
            agent = self._verification_of(s, draft, "agent")
            if agent is None or draft.party != "agent":
                raise RuleViolation([error("visit.guardian_agent_required", "verification")])
            born = self._birth_date_of(agent)
            if born is None or age_on(born, business_date(self._now())) < GUARDIAN_MIN_AGE:
                raise RuleViolation([error("visit.guardian_not_adult", "verification")])
            draft.guardian = {"relationship": relationship}
            visit.draft = draft.to_json()
            self._event(s, visit, staff, "guardian_recorded", relationship=relationship)
            uow.commit()

    def record_fraud_notice(self, staff: StaffSession, visit_id: uuid.UUID, method: str) -> None:
        """The customer (or agent) signed the 涉诈风险告知书, on paper or paperless.

        Its text is printed on the archived slip of every 入网/过户 with the way it was
        signed; settling such a slip is refused until this is recorded.
        """
        if method not in FRAUD_NOTICE_METHODS:
            raise RuleViolation([error("visit.fraud_notice_method", "fraud_notice")])
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            visit = self._open_visit_row(s, visit_id)
            draft = VisitDraft.from_json(visit.draft)
            draft.fraud_notice = {
                "method": method,
                "staff_id": str(staff.staff_id),
                "at": self._now().isoformat(),
            }
            visit.draft = draft.to_json()
            self._event(s, visit, staff, "fraud_notice_signed", method=method)
            uow.commit()


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out
