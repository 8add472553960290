"""The one-stop visit (一台清 / 一单清 / 免填单): open → verify → businesses → pay → settle.

Application layer: each public method is one unit of work. The visit's draft slip is
kept on the visit row (JSON), so a suspended visit, a crash or a restart loses nothing
the clerk entered; only :meth:`IntakeService.settle` turns it into settled records —
slip, items, payments, receipt (with its gapless number), visit event, audit entry
and their outbox rows — in a single transaction, so a settled slip is always whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.accounts import CustomerState, LineState
from ..core.catalogue import Business
from ..core.clock import business_date
from ..core.effects import apply_effect
from ..core.fields import default_value, validate_field
from ..core.intake import DraftItem, DraftPayment, VisitDraft, plan_payment, settlement_problems
from ..core.messages import Problem, RuleViolation, define, define_field, error
from ..core.money import format_fen
from ..core.preconditions import PreconditionContext, age_on, check_preconditions
from ..core.preconditions import overridable as is_overridable
from ..core.reports import visit_tier
from ..store import audit
from ..store.crypto import Vault
from ..store.models import (
    Customer,
    IdVerification,
    Line,
    Payment,
    Receipt,
    Slip,
    SlipItem,
    Staff,
    Visit,
    VisitEvent,
)
from ..store.numbering import take_numbers
from ..store.personal import open_birth_date, sealed_at
from . import numbers as number_pool
from . import warranty
from .auth import Approval, StaffSession, consume
from .dayclose import refuse_if_closed
from .verification import VerificationView, view_of
from .workstation import Workstation

define(
    "visit.waiver_amount",
    zh="“{business}”的减免金额须大于 0 且不超过应收的 {fee}，请重新输入。",
    en="The waiver on “{business}” must be more than 0 and at most the {fee} due; "
    "please enter it again.",
)
define_field("waiver.amount", zh="减免金额", en="Amount waived")
define(
    "visit.not_open",
    zh="该接待已{status}，不能再修改。如需继续，请恢复挂起的接待或新开接待。",
    en="This visit is {status} and can't be changed; resume it or open a new one.",
)
define(
    "visit.unknown_business",
    zh="业务编码“{code}”不在当前业务目录中，请从业务列表中选择。",
    en="Business code “{code}” is not in the current catalogue; please pick from the list.",
)
define(
    "visit.customer_required",
    zh="“{business}”需要先识别客户：请读取客户证件（或登记单位信息）。",
    en="“{business}” needs the customer identified first: read their ID (or register the unit).",
)
define(
    "visit.step_missing",
    zh="“{business}”需要完成身份核验步骤“{step}”，请先完成该步骤。",
    en="“{business}” needs the ID verification step “{step}”; please complete it first.",
)
define(
    "visit.step_failed",
    zh="“{business}”所需的身份核验步骤“{step}”未通过：{detail}",
    en="The ID verification step “{step}” needed by “{business}” failed: {detail}",
)
define(
    "visit.manual_entry_forbidden",
    zh="“{business}”不允许手工录入居民身份证办理，请使用读卡器读取原件。",
    en="“{business}” can't be done on a hand-typed resident ID card; read the card on the reader.",
)
define(
    "visit.face_required",
    zh="“{business}”必须通过人像比对，请先进行人像比对。",
    en="“{business}” requires a passed face comparison; please run it first.",
)
define(
    "visit.agent_required",
    zh="由{party}办理时，须读取经办人本人的有效证件。",
    en="When {party} acts, the agent's own valid ID must be read.",
)
define(
    "visit.unit_letter_required",
    zh="单位客户须留存加盖红章的单位委托证明，请先扫描委托书。",
    en="Unit customers must leave the authorisation letter with the red seal; please scan it.",
)
define(
    "visit.item_not_found",
    zh="受理单上没有这一项业务，可能已被删除，请刷新后重试。",
    en="That business is no longer on the slip; please refresh and try again.",
)
define(
    "visit.payment_not_found",
    zh="这笔支付已不在受理单上，请刷新后重试。",
    en="That payment is no longer on the slip; please refresh and try again.",
)
define(
    "visit.balance_short",
    zh="号码 {number} 余额 {balance} 不足以支付 {amount}，请改用其他支付方式。",
    en="Number {number} has {balance}, not enough for {amount}; please use another method.",
)
define(
    "visit.cancel_reason",
    zh="取消接待须填写原因。",
    en="Please give a reason for cancelling the visit.",
)
define(
    "visit.settled_has_payments",
    zh="本次接待已收款 {paid}，请先退回或删除支付后再取消。",
    en="{paid} has been taken on this visit; remove or return the payments before cancelling.",
)

define(
    "visit.party_step_missing",
    zh="“{business}”需要完成{field}的身份核验步骤“{step}”，请先完成该步骤。",
    en="“{business}” needs the ID verification step “{step}” of the {field}; please "
    "complete it first.",
)
define(
    "visit.party_step_failed",
    zh="“{business}”所需的{field}身份核验步骤“{step}”未通过：{detail}",
    en="The {field}'s ID verification step “{step}” needed by “{business}” failed: {detail}",
)
define(
    "visit.party_face_required",
    zh="“{business}”须由{field}本人通过人像比对，请先为{field}进行人像比对。",
    en="“{business}” requires the {field} in person to pass a face comparison; please run it.",
)
define(
    "visit.customer_document_required",
    zh="代办“{business}”须登记客户本人的证件：请在读卡器上读取客户证件原件，或留存其证件复印件。",
    en="When an agent does “{business}”, the customer's own document must be registered: "
    "read the original on the card reader or retain a copy of it.",
)
define(
    "visit.fraud_notice_required",
    zh="“{business}”须由客户签署《涉诈风险告知书》（纸质或电子签名），请先完成告知并签署。",
    en="“{business}” needs the customer's signed anti-fraud risk notice (on paper or "
    "paperless); please have it signed first.",
)
define(
    "visit.fraud_notice_method",
    zh="{field}只能是纸质签署或电子签名。",
    en="{field} must be signed on paper or paperless.",
)
define(
    "visit.guardian_relationship",
    zh="请选择{field}：父母或其他法定监护人。",
    en="Please choose the {field}: parent or other legal guardian.",
)
define(
    "visit.guardian_not_adult",
    zh="监护人须年满 18 周岁，当前读取的经办人证件不满足，请由成年监护人办理。",
    en="The guardian must be 18 or over; the agent's document read is not. An adult "
    "guardian must act.",
)
define(
    "visit.guardian_agent_required",
    zh="请先读取监护人（经办人）本人的证件，再登记其与客户的关系。",
    en="Read the guardian's (agent's) own ID first, then record their relationship.",
)
define_field("guardian_relationship", zh="与客户关系", en="Relationship to the customer")
define_field("fraud_notice", zh="涉诈风险告知书", en="Anti-fraud risk notice")

for _party, (_zh, _en) in {
    "customer": ("客户", "customer"),
    "agent": ("经办人", "agent"),
    "guardian": ("监护人", "guardian"),
    "new_owner": ("新机主", "new owner"),
}.items():
    define_field(f"party.{_party}", zh=_zh, en=_en)
GUARDIAN_RELATIONSHIPS = {"parent": "父母", "guardian": "其他法定监护人"}
FRAUD_NOTICE_METHODS = {"paper": "纸质签署", "paperless": "电子签名"}
#: 入网 and 过户 need a signed 涉诈风险告知书 (Anti-Telecom-Fraud Law, 2022)
FRAUD_NOTICE_EFFECTS = frozenset({"add_line", "change_owner"})
GUARDIAN_MIN_AGE = 18

STEP_LABELS = {
    "capture": "读取证件",
    "check": "证件校验",
    "match": "人证比对",
    "retain": "证件留存",
    "limits": "一证五号核查",
}


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


class IntakeService:
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
                from ..core.money import format_fen

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

    # -- businesses ---------------------------------------------------------------------
    def _business(self, code: str) -> Business:
        business = self.catalogue.find(code)
        if business is None:
            raise RuleViolation([error("visit.unknown_business", "business", code=code)])
        return business

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
        from ..store.models import DocumentScan

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
        from ..core.money import format_fen

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
        from ..core.workdays import AREAS, load_calendar
        from .complaints import start_service_clock

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


def _step_detail(s: Session, verification: IdVerification, step: str) -> dict[str, Any]:
    """The recorded detail of a verification's latest ``step`` (e.g. the 一证五号 count)."""
    from sqlalchemy import literal_column

    from ..store.models import VerificationStep

    row = s.scalars(
        select(VerificationStep)
        .where(VerificationStep.verification_id == verification.id, VerificationStep.step == step)
        .order_by(
            VerificationStep.created_at.desc(), literal_column("verification_step.rowid").desc()
        )
        .limit(1)
    ).first()
    return dict(row.detail) if row is not None else {}


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _customer_tier(s: Session, customer_id: uuid.UUID | None, vault: Vault) -> str | None:
    if customer_id is None:
        return None
    customer = s.get(Customer, customer_id)
    return customer_state(s, customer, vault).effective_tier if customer else None
