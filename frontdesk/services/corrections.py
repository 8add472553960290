"""Voids and refunds: corrections as new records, never edits (SPEC §1).

A void cancels a whole slip the same business day: a new slip of kind ``void`` with
every item and payment negated, and a new receipt (its own number) pointing at the
original receipt, which from then on prints as 作废. A refund returns part of a slip
(chosen items) as a ``refund`` slip with its own receipt. A terminal sale's warranty
card follows its sale: a void closes the card and frees the serial in the same
transaction; a refund of the device itself is a 退货, refused here and sent to the
after-sales return (which checks the return window and closes the card with the refund).
Both need a manager's approval and a reason, and both are refused twice over the same
money.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.clock import business_date
from ..core.messages import RuleViolation, define, define_field, error
from ..core.money import format_fen
from ..store import audit
from ..store.models import Payment, Receipt, Slip, SlipItem
from ..store.numbering import take_number
from .auth import Approval, StaffSession, consume
from .dayclose import refuse_if_closed
from .numbers import release_slip
from .warranty_cards import refund_problems, void_cards
from .workstation import Workstation

define_field("slip_no", zh="受理单号", en="Slip number")
define_field("refund.items", zh="退款项目", en="Items to refund")

define(
    "correction.slip_not_found",
    zh="找不到受理单 {slip_no}，请核对单号。",
    en="Slip {slip_no} was not found; please check the number.",
)
define(
    "correction.not_a_sale",
    zh="{slip_no} 本身是冲正/退款单，不能再次冲正。",
    en="{slip_no} is itself a correction and can't be corrected again.",
)
define(
    "correction.already_voided",
    zh="受理单 {slip_no} 已作废，不能重复作废或退款。",
    en="Slip {slip_no} is already void; it can't be voided or refunded again.",
)
define(
    "correction.void_other_day",
    zh="受理单 {slip_no} 不是当日业务，只能办理退款，不能作废。",
    en="Slip {slip_no} is from another business day; it can be refunded, not voided.",
)
define(
    "correction.void_after_refund",
    zh="受理单 {slip_no} 已有退款，不能再整单作废，请对剩余项目办理退款。",
    en="Slip {slip_no} already has refunds; refund the remaining items instead of voiding.",
)
define(
    "correction.item_refunded",
    zh="第 {line_no} 项“{business}”已经退过款，不能重复退款。",
    en="Item {line_no} “{business}” was already refunded.",
)
define(
    "correction.item_unknown",
    zh="受理单上没有所选的退款项目，请重新选择。",
    en="The chosen item is not on the slip; please choose again.",
)
define(
    "correction.nothing_to_refund",
    zh="所选项目没有可退金额。",
    en="The chosen items have no money to refund.",
)
define(
    "correction.refund_method",
    zh="退款方式只能是现金或原路退回银行卡/微信/支付宝。",
    en="Refunds go back as cash or to the original card, WeChat Pay or Alipay.",
)


@dataclass(frozen=True)
class CorrectionResult:
    slip_id: uuid.UUID
    slip_no: str
    receipt_no: str
    amount_fen: int  # negative: money back to the customer
    original_slip_no: str


def _reversal_of(item: SlipItem, slip: Slip, line_no: int, now: dt.datetime) -> SlipItem:
    """The item that cancels ``item`` on a void or refund slip (opposite amounts)."""
    return SlipItem(
        slip_id=slip.id,
        line_no=line_no,
        business_code=item.business_code,
        business_name=item.business_name,
        service_number=item.service_number,
        fields=item.fields,
        fee_fen=-item.fee_fen,
        list_fee_fen=-item.list_fee_fen,
        original_item_id=item.id,
        account_effect="reverse:" + item.account_effect,
        created_at=now,
    )


class CorrectionService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    def _original(self, s: Session, slip_no: str) -> Slip:
        slip = s.scalar(select(Slip).where(Slip.slip_no == slip_no.strip()))
        if slip is None:
            raise RuleViolation([error("correction.slip_not_found", "slip_no", slip_no=slip_no)])
        if slip.kind != "sale":
            raise RuleViolation([error("correction.not_a_sale", "slip_no", slip_no=slip_no)])
        kinds = set(s.scalars(select(Slip.kind).where(Slip.original_slip_id == slip.id)))
        if "void" in kinds:
            raise RuleViolation([error("correction.already_voided", "slip_no", slip_no=slip_no)])
        return slip

    def _new_slip(
        self,
        s: Session,
        original: Slip,
        kind: str,
        staff: StaffSession,
        approval: Approval,
        total: int,
    ) -> tuple[Slip, Receipt]:
        ident = self._ws.identity
        now = self._ws.clock.now()
        day = business_date(now)
        refuse_if_closed(s, ident.workstation_code, day)  # 日结 done: no corrections today
        slip_no, slip_seq = take_number(s, "slip", ident.branch_code, ident.workstation_code, day)
        receipt_no, receipt_seq = take_number(
            s, "receipt", ident.branch_code, ident.workstation_code, day
        )
        slip = Slip(
            slip_no=slip_no,
            seq=slip_seq,
            kind=kind,
            visit_id=original.visit_id,
            original_slip_id=original.id,
            reason=approval.reason,
            authorised_by=approval.manager_id,
            branch_code=ident.branch_code,
            workstation_code=ident.workstation_code,
            clerk_id=staff.staff_id,
            customer_id=original.customer_id,
            customer_name=original.customer_name,
            customer_id_masked=original.customer_id_masked,
            agent_name=original.agent_name,
            agent_id_masked=original.agent_id_masked,
            unit_name=original.unit_name,
            unit_credit_code=original.unit_credit_code,
            total_fen=total,
            paid_fen=total,
            change_fen=0,
            catalogue_version=original.catalogue_version,
            verification_code=secrets.token_hex(4).upper(),
            business_date=day,
            settled_at=now,
            created_at=now,
        )
        s.add(slip)
        s.flush()
        original_receipt = s.scalar(
            select(Receipt).where(Receipt.slip_id == original.id, Receipt.kind == "sale")
        )
        receipt = Receipt(
            receipt_no=receipt_no,
            seq=receipt_seq,
            kind=kind,
            slip_id=slip.id,
            original_receipt_id=original_receipt.id if original_receipt else None,
            total_fen=total,
            cashier_id=staff.staff_id,
            issued_at=now,
            created_at=now,
        )
        s.add(receipt)
        return slip, receipt

    def void(self, staff: StaffSession, slip_no: str, approval: Approval) -> CorrectionResult:
        """作废: the whole slip, the same business day, every payment reversed in kind."""
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            original = self._original(s, slip_no)
            if original.business_date != business_date(self._ws.clock.now()):
                raise RuleViolation(
                    [error("correction.void_other_day", "slip_no", slip_no=slip_no)]
                )
            if s.scalar(select(func.count()).where(Slip.original_slip_id == original.id)):
                raise RuleViolation(
                    [error("correction.void_after_refund", "slip_no", slip_no=slip_no)]
                )
            slip, receipt = self._new_slip(
                s, original, "void", staff, approval, -original.total_fen
            )
            now = self._ws.clock.now()
            for item in original.items:
                s.add(_reversal_of(item, slip, item.line_no, now))
            # a terminal sale's cards close with the void (and free their serials)
            closed_cards = void_cards(
                s,
                [item.id for item in original.items],
                on=slip.business_date,
                void_slip_no=slip.slip_no,
                reason=approval.reason,
                staff_id=staff.staff_id,
                manager_id=approval.manager_id,
                now=now,
            )
            release_slip(s, original.id)  # a voided 入网's number goes back to the pool
            for p in original.payments:
                s.add(
                    Payment(
                        slip_id=slip.id,
                        line_no=p.line_no,
                        method=p.method,
                        amount_fen=-p.amount_fen,
                        tendered_fen=-p.amount_fen,
                        change_fen=0,
                        reference=p.reference,
                        balance_number=p.balance_number,
                        created_at=now,
                    )
                )
            consume(
                s, approval, action="void", now=now, visit_id=original.visit_id, subject=slip_no
            )
            audit.record(
                s,
                actor_id=approval.manager_id,
                action="slip.voided",
                object_type="slip",
                object_id=original.id,
                detail={
                    "slip_no": original.slip_no,
                    "void_slip_no": slip.slip_no,
                    "reason": approval.reason,
                    "clerk": str(staff.staff_id),
                    "cards_closed": closed_cards,
                },
            )
            uow.commit()
            return CorrectionResult(
                slip.id, slip.slip_no, receipt.receipt_no, slip.total_fen, original.slip_no
            )

    def refund(
        self,
        staff: StaffSession,
        slip_no: str,
        item_ids: list[uuid.UUID],
        approval: Approval,
        *,
        method: str = "cash",
        reference: str | None = None,
    ) -> CorrectionResult:
        """退款: chosen items of a slip, money back by ``method``."""
        with self._ws.db.unit_of_work() as uow:
            result = self.refund_in(
                uow.session,
                staff,
                slip_no,
                item_ids,
                approval,
                method=method,
                reference=reference,
            )
            uow.commit()
            return result

    def refund_in(
        self,
        s: Session,
        staff: StaffSession,
        slip_no: str,
        item_ids: list[uuid.UUID],
        approval: Approval,
        *,
        method: str = "cash",
        reference: str | None = None,
        warranty_return: bool = False,
    ) -> CorrectionResult:
        """The refund inside the caller's transaction (a warranty return refunds and
        frees the serial in one commit). A device sold with an open warranty card is
        refunded only as that return (``warranty_return``, set by
        :meth:`WarrantyService.return_device`); otherwise the clerk is sent there."""
        if method not in ("cash", "bank_card", "wechat", "alipay"):
            raise RuleViolation([error("correction.refund_method", "payment.method")])
        original = self._original(s, slip_no)
        items = {item.id: item for item in original.items}
        chosen = []
        for item_id in item_ids:
            if item_id not in items:
                raise RuleViolation([error("correction.item_unknown", "refund.items")])
            chosen.append(items[item_id])
        refunded = set(
            s.scalars(
                select(SlipItem.original_item_id)
                .join(Slip, Slip.id == SlipItem.slip_id)
                .where(Slip.original_slip_id == original.id)
            )
        )
        for item in chosen:
            if item.id in refunded:
                raise RuleViolation(
                    [
                        error(
                            "correction.item_refunded",
                            "refund.items",
                            line_no=item.line_no,
                            business=item.business_name,
                        )
                    ]
                )
        if not warranty_return:
            sent_to_return = refund_problems(s, chosen)
            if sent_to_return:
                raise RuleViolation(sent_to_return)
        amount = sum(item.fee_fen for item in chosen)
        if amount <= 0:
            raise RuleViolation([error("correction.nothing_to_refund", "refund.items")])
        slip, receipt = self._new_slip(s, original, "refund", staff, approval, -amount)
        now = self._ws.clock.now()
        for line_no, item in enumerate(chosen, start=1):
            s.add(_reversal_of(item, slip, line_no, now))
        s.add(
            Payment(
                slip_id=slip.id,
                line_no=1,
                method=method,
                amount_fen=-amount,
                tendered_fen=-amount,
                change_fen=0,
                reference=reference,
                created_at=now,
            )
        )
        # a warranty return refunds through here under its own approval action
        used_for = "warranty_return" if approval.action == "warranty_return" else "refund"
        consume(
            s,
            approval,
            action=used_for,
            now=now,
            visit_id=original.visit_id,
            subject=slip_no,
            amount_fen=amount,
        )
        audit.record(
            s,
            actor_id=approval.manager_id,
            action="slip.refunded",
            object_type="slip",
            object_id=original.id,
            detail={
                "slip_no": original.slip_no,
                "refund_slip_no": slip.slip_no,
                "amount": format_fen(amount),
                "reason": approval.reason,
            },
        )
        return CorrectionResult(
            slip.id, slip.slip_no, receipt.receipt_no, -amount, original.slip_no
        )
