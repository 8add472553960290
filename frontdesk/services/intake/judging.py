"""Judging a business against the visit: the ID steps each party needs, the preconditions
on the projected account state, the new owner of a 过户, the anti-fraud notice."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.catalogue import Business
from ...core.clock import business_date
from ...core.intake import VisitDraft
from ...core.messages import Problem, error
from ...core.preconditions import PreconditionContext, age_on, check_preconditions
from ...store.models import (
    Customer,
    IdVerification,
)
from ..verification import view_of
from .base import IntakeBase
from .messages import FRAUD_NOTICE_EFFECTS, GUARDIAN_MIN_AGE, STEP_LABELS


class ItemJudging(IntakeBase):
    """The rules a business on the slip must pass, when added and again at settle."""

    def _verification_problems(
        self,
        s: Session,
        business: Business,
        draft: VisitDraft,
        customer: Customer | None,
    ) -> list[Problem]:
        """The ID steps the business needs, judged on the visit's verifications.

        The person at the counter (the customer in person, else the agent) goes
        through every step the business needs, the face comparison included. In
        personal 代办 the absent customer's document is registered too (MIIT Order 25):
        read on the reader or its copy retained, checked, and counted for 一证五号 —
        but not face-compared. A change of owner (过户) is 入网 for the new owner:
        their card, check, face comparison, copy and 一证五号, all in person.
        """
        needed = list(business.id_steps)
        if not needed:
            return []
        name = business.name_zh
        if customer is None and draft.party == "agent" and "agent" in draft.verifications:
            return [error("visit.customer_document_required", "verification", business=name)]
        if customer is None:
            return [error("visit.customer_required", "business", business=name)]
        if draft.party in ("agent", "unit_agent") and "agent" not in draft.verifications:
            who = "单位经办人" if draft.party == "unit_agent" else "代办人"
            return [error("visit.agent_required", "verification", party=who)]
        present = "customer" if draft.party == "self" else "agent"
        # 一证五号 counts the customer's document, never an agent's
        # 一证五号 of a 过户 counts the new owner's document, not the one giving it up
        counted = present == "customer" and business.account_effect != "change_owner"
        roles: list[tuple[str, list[str]]] = [
            (present, [st for st in needed if st != "limits" or counted])
        ]
        if draft.party == "agent":
            roles.append(
                ("customer", [st for st in needed if st in ("capture", "check", "limits")])
            )
        if business.account_effect == "change_owner":
            roles.append(("new_owner", needed))
        problems: list[Problem] = []
        for party, steps in roles:
            problems.extend(self._party_problems(s, business, draft, party, present, steps))
        if draft.party == "unit_agent" and draft.unit and not draft.unit.get("letter_attached"):
            agent_vid = draft.verifications.get("agent")
            if agent_vid and not self._letter_attached(s, uuid.UUID(agent_vid)):
                problems.append(error("visit.unit_letter_required", "verification"))
        return problems

    def _party_problems(
        self,
        s: Session,
        business: Business,
        draft: VisitDraft,
        party: str,
        present: str,
        steps: list[str],
    ) -> list[Problem]:
        name = business.name_zh
        label = f"party.{party}"  # a field label: 新机主 / new owner
        in_person = party == present or party == "new_owner"

        def missing(step: str, face: bool = False) -> Problem:
            if party == present:
                code = "visit.face_required" if face else "visit.step_missing"
                return error(code, "verification", business=name, step=STEP_LABELS[step])
            code = "visit.party_face_required" if face else "visit.party_step_missing"
            return error(code, label, business=name, step=STEP_LABELS[step])

        vid = draft.verifications.get(party)
        if vid is None:
            if party == "customer" and party != present:
                return [error("visit.customer_document_required", "verification", business=name)]
            return [missing("capture")]
        verification = s.get(IdVerification, uuid.UUID(vid))
        assert verification is not None
        view = view_of(s, verification)
        problems: list[Problem] = []
        if (
            not business.manual_entry_allowed
            and verification.capture_method == "manual"
            and verification.doc_type == "resident_id"
        ):
            problems.append(error("visit.manual_entry_forbidden", "verification", business=name))
        if not in_person and verification.capture_method != "reader" and not view.passed("retain"):
            # the absent customer's document: read on the reader, or its copy retained
            problems.append(
                error("visit.customer_document_required", "verification", business=name)
            )
        face_needed = business.face_required and in_person
        for step in steps:
            latest = view.step(step)
            if latest is None:
                problems.append(missing(step, face=step == "match" and face_needed))
                continue
            failures = [p for p in latest.problems if p.is_error]
            if step == "check":
                # the age rule is judged by the business's own rule (min_age, guardian)
                failures = [p for p in failures if p.code != "id.min_age"]
            if latest.result == "failed" and (failures or step != "check"):
                detail = "；".join(p.text("zh") for p in failures) or "未通过"
                if party == present:
                    problems.append(
                        error(
                            "visit.step_failed",
                            "verification",
                            business=name,
                            step=STEP_LABELS[step],
                            detail=detail,
                        )
                    )
                else:
                    problems.append(
                        error(
                            "visit.party_step_failed",
                            label,
                            business=name,
                            step=STEP_LABELS[step],
                            detail=detail,
                        )
                    )
            elif step == "match" and face_needed and latest.method != "face":
                problems.append(missing(step, face=True))
        return problems

    def _letter_attached(self, s: Session, verification_id: uuid.UUID) -> bool:
        from ...store.models import DocumentScan

        return (
            s.scalar(
                select(DocumentScan.id)
                .where(
                    DocumentScan.verification_id == verification_id,
                    DocumentScan.kind == "authorisation_letter",
                )
                .limit(1)
            )
            is not None
        )

    def _judge(
        self,
        s: Session,
        business: Business,
        draft: VisitDraft,
        customer: Customer | None,
        fields: Mapping[str, Any],
        service_number: str | None,
        *,
        before_item: str | None = None,
    ) -> list[Problem]:
        problems = self._verification_problems(s, business, draft, customer)
        if business.acts_on == "none":
            return problems
        subject = self._subject(s, customer, business, service_number)
        state = self._projected_state(
            self._cached_state(s, subject), draft, before_item, visit_customer=subject is customer
        )
        line = state.line(service_number) if service_number else None
        if service_number and line is None and business.acts_on == "line":
            problems.append(
                error("precondition.line_not_customers", "service_number", number=service_number)
            )
            return problems
        new_in_visit = 0  # already in numbers_with_operator through the projected state
        catalogue = self.catalogue
        ctx = PreconditionContext(
            business_code=business.code,
            business_name=business.name_zh,
            customer=state,
            line=line,
            party=draft.party,
            today=business_date(self._now()),
            new_numbers_in_visit=new_in_visit,
            tier_ranks={t.code: t.rank for t in catalogue.tiers},
            tier_names={t.code: t.name_zh for t in catalogue.tiers},
            fields=fields,
            guardian_acts=self._guardian_acts(s, draft),
            # asked only of a flagged line (二次实人认证)
            holder_reverified=bool(line and line.reverify_required)
            and self._holder_reverified(s, draft),
        )
        problems.extend(
            check_preconditions(
                ctx,
                business.precondition_pairs(),
                acts_on_line=business.acts_on == "line",
                payment_modes=business.payment_modes,
                parties=business.parties,
            )
        )
        if business.account_effect == "change_owner":
            problems.extend(self._new_owner_problems(s, business, draft, ctx))
        return problems

    def _guardian_acts(self, s: Session, draft: VisitDraft) -> bool:
        """A guardian acts: relationship recorded on an agent visit, agent an adult."""
        if draft.party != "agent" or not draft.guardian:
            return False
        agent = self._verification_of(s, draft, "agent")
        born = self._birth_date_of(agent)
        if born is None:
            return False
        return age_on(born, business_date(self._now())) >= GUARDIAN_MIN_AGE

    def _holder_reverified(self, s: Session, draft: VisitDraft) -> bool:
        """二次实人认证 done at this visit: the holder in person, card read, face passed."""
        if draft.party != "self":
            return False
        holder = self._verification_of(s, draft, "customer")
        if holder is None or holder.capture_method != "reader":
            return False
        view = view_of(s, holder)
        match = view.step("match")
        return (
            view.passed("check")
            and match is not None
            and match.method == "face"
            and (match.result == "passed")
        )

    def _number_limit(self) -> int:
        """一证五号's maximum as the catalogue's new-line rule states it."""
        for business in self.catalogue.businesses:
            for name, params in business.precondition_pairs():
                if name == "id_number_limit":
                    return int(params.get("max", 5))
        return 5

    def _new_owner_problems(
        self, s: Session, business: Business, draft: VisitDraft, ctx: PreconditionContext
    ) -> list[Problem]:
        """过户 is 入网 for the new owner: of age, and 一证五号 counted for them."""
        new_owner = self._verification_of(s, draft, "new_owner")
        if new_owner is None:
            return []  # the missing verification is reported by the ID steps
        problems: list[Problem] = []
        name = business.name_zh
        born = self._birth_date_of(new_owner)
        if born is not None and age_on(born, ctx.today) < 16:
            problems.append(
                error("precondition.new_owner_min_age", "business", business=name, years=16)
            )
        limits = view_of(s, new_owner).step("limits")
        count = int(_step_detail(s, new_owner, "limits").get("count", 0)) if limits else 0
        limit = self._number_limit()
        if ctx.line is not None and ctx.line.service == "mobile" and count + 1 > limit:
            problems.append(
                error(
                    "precondition.new_owner_number_limit",
                    "business",
                    business=name,
                    count=count,
                    max=limit,
                )
            )
        return problems

    def _fraud_notice_problems(self, draft: VisitDraft) -> list[Problem]:
        if draft.fraud_notice:
            return []
        for item in draft.items:
            business = self.catalogue.find(item.business_code)
            if business is not None and business.account_effect in FRAUD_NOTICE_EFFECTS:
                return [
                    error("visit.fraud_notice_required", "fraud_notice", business=business.name_zh)
                ]
        return []


def _step_detail(s: Session, verification: IdVerification, step: str) -> dict[str, Any]:
    """The recorded detail of a verification's latest ``step`` (e.g. the 一证五号 count)."""
    from sqlalchemy import literal_column

    from ...store.models import VerificationStep

    row = s.scalars(
        select(VerificationStep)
        .where(VerificationStep.verification_id == verification.id, VerificationStep.step == step)
        .order_by(
            VerificationStep.created_at.desc(), literal_column("verification_step.rowid").desc()
        )
        .limit(1)
    ).first()
    return dict(row.detail) if row is not None else {}
