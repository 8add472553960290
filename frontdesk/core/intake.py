"""The slip being built during a visit (一单清), and its money arithmetic.

Pure data and rules, no database: the intake service loads a :class:`VisitDraft`
from the visit, changes it through these functions and stores it back, so a
suspended visit survives a restart and the GUI and the tests see the same rules.

Money rules (all integer fen):
- the slip's total is the sum of its items' fees; businesses that pay money out
  (refund of prepayment or deposit) carry negative fees;
- only cash can be over-tendered (change is given back); card, WeChat/Alipay and
  prepaid balance are taken for at most what is still due;
- a slip settles only when the payments applied equal the total exactly.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from .messages import Problem, define, define_field, error

PAYMENT_METHODS = ("cash", "bank_card", "wechat", "alipay", "balance")
METHOD_LABELS = {
    "cash": ("现金", "Cash"),
    "bank_card": ("银行卡", "Bank card"),
    "wechat": ("微信支付", "WeChat Pay"),
    "alipay": ("支付宝", "Alipay"),
    "balance": ("账户余额", "Prepaid balance"),
}
REFERENCE_REQUIRED = {"bank_card", "wechat", "alipay"}

define_field("payment.method", zh="支付方式", en="Payment method")
define_field("payment.amount", zh="支付金额", en="Payment amount")
define_field("payment.tendered", zh="实收金额", en="Amount tendered")
define_field("payment.reference", zh="交易参考号", en="Transaction reference")
define_field("payment.balance_number", zh="扣款号码", en="Number to charge")
define_field("slip", zh="受理单", en="Slip")

define(
    "payment.unknown_method",
    zh="{field}“{method}”不受支持，请选择现金、银行卡、微信支付、支付宝或账户余额。",
    en="{field} “{method}” is not supported; choose cash, bank card, WeChat Pay, Alipay or "
    "prepaid balance.",
)
define(
    "payment.nothing_due",
    zh="本单已无待收金额，无需再收款。",
    en="Nothing is due on this slip; no further payment is needed.",
)
define(
    "payment.not_positive",
    zh="{field}必须大于 0，请重新输入。",
    en="{field} must be more than 0; please enter it again.",
)
define(
    "payment.exceeds_due",
    zh="{field}{amount}超过待收金额{due}；只有现金可以多收并找零，请改为{due}。",
    en="{field} {amount} is more than the {due} still due; only cash can be over-tendered "
    "with change. Please enter {due}.",
)
define(
    "payment.reference_required",
    zh="使用{method}时必须录入{field}（POS 小票或支付凭证上的单号），请扫描或输入。",
    en="{field} is required for {method} (the number on the terminal or payment slip); "
    "please scan or type it.",
)
define(
    "payment.balance_number_required",
    zh="使用账户余额支付时请选择{field}。",
    en="Please choose the {field} when paying from prepaid balance.",
)
define(
    "payment.refund_method",
    zh="退款只能以现金或原路退回银行卡方式支付，请选择现金或银行卡。",
    en="Money paid out can only be cash or a bank-card refund; please choose one of them.",
)
define(
    "slip.empty",
    zh="受理单上还没有业务，请先添加客户要办理的业务。",
    en="The slip has no business yet; please add what the customer came for first.",
)
define(
    "slip.unpaid",
    zh="本单应收{total}，已收{paid}，还差{due}，请收齐后再结算。",
    en="The slip totals {total}; {paid} received, {due} still due. Please take the rest "
    "before settling.",
)
define(
    "slip.overpaid",
    zh="本单应收{total}，已收{paid}，多收{over}，请删除多余的支付后再结算。",
    en="The slip totals {total} but {paid} was taken ({over} too much); please remove the "
    "extra payment before settling.",
)


@dataclass
class DraftItem:
    business_code: str
    fields: dict[str, Any]
    fee_fen: int
    list_fee_fen: int
    service_number: str | None = None
    waiver_reason: str | None = None
    waived_by: str | None = None
    overrides: list[dict[str, Any]] = field(default_factory=list)
    item_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    added_at: str | None = None


@dataclass
class DraftPayment:
    method: str
    amount_fen: int
    tendered_fen: int
    reference: str | None = None
    balance_number: str | None = None
    payment_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def change_fen(self) -> int:
        return self.tendered_fen - self.amount_fen if self.method == "cash" else 0


@dataclass
class VisitDraft:
    """Everything the visit's slip will hold once settled."""

    items: list[DraftItem] = field(default_factory=list)
    payments: list[DraftPayment] = field(default_factory=list)
    party: str = "self"  # self | agent | unit_agent
    verifications: dict[str, str] = field(default_factory=dict)  # party role → verification id
    unit: dict[str, Any] | None = None  # {"name", "credit_code", "letter_scan_id"}
    recheck_reasons: list[str] = field(default_factory=list)
    # a minor's guardian acting as agent: {"relationship": "parent" | "guardian"}
    guardian: dict[str, Any] | None = None
    # the signed 涉诈风险告知书 (入网/过户): {"method", "staff_id", "at"}
    fraud_notice: dict[str, Any] | None = None

    @property
    def total_fen(self) -> int:
        return sum(item.fee_fen for item in self.items)

    @property
    def paid_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)

    @property
    def due_fen(self) -> int:
        return self.total_fen - self.paid_fen

    @property
    def change_fen(self) -> int:
        return sum(p.change_fen for p in self.payments)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> VisitDraft:
        if not data:
            return cls()
        return cls(
            items=[DraftItem(**item) for item in data.get("items", [])],
            payments=[DraftPayment(**p) for p in data.get("payments", [])],
            party=data.get("party", "self"),
            verifications=dict(data.get("verifications", {})),
            unit=data.get("unit"),
            recheck_reasons=list(data.get("recheck_reasons", [])),
            guardian=data.get("guardian"),
            fraud_notice=data.get("fraud_notice"),
        )


def plan_payment(
    draft: VisitDraft,
    method: str,
    amount_fen: int,
    *,
    reference: str | None = None,
    balance_number: str | None = None,
) -> tuple[DraftPayment | None, list[Problem]]:
    """Work out one payment against what is still due.

    ``amount_fen`` is what the customer hands over (cash) or what the terminal took.
    For cash more than due, the payment applies what is due and the rest is change.
    When the slip pays money out (negative due), the amount is the money handed back.
    """
    from .money import format_fen

    if method not in PAYMENT_METHODS:
        return None, [error("payment.unknown_method", "payment.method", method=method)]
    due = draft.due_fen
    if due == 0:
        return None, [error("payment.nothing_due", "payment.amount")]
    if amount_fen <= 0:
        return None, [error("payment.not_positive", "payment.amount")]
    label = METHOD_LABELS[method][0]
    problems: list[Problem] = []
    if method in REFERENCE_REQUIRED and not (reference and reference.strip()):
        problems.append(error("payment.reference_required", "payment.reference", method=label))
    if method == "balance" and not balance_number:
        problems.append(error("payment.balance_number_required", "payment.balance_number"))
    if due < 0:
        # Money goes back to the customer: cash or a card refund, exactly what is owed.
        if method not in ("cash", "bank_card"):
            problems.append(error("payment.refund_method", "payment.method"))
        if amount_fen > -due:
            problems.append(
                error(
                    "payment.exceeds_due",
                    "payment.amount",
                    amount=format_fen(amount_fen),
                    due=format_fen(-due),
                )
            )
        if problems:
            return None, problems
        return DraftPayment(method, -amount_fen, -amount_fen, reference, balance_number), []
    if method != "cash" and amount_fen > due:
        problems.append(
            error(
                "payment.exceeds_due",
                "payment.amount",
                amount=format_fen(amount_fen),
                due=format_fen(due),
            )
        )
    if problems:
        return None, problems
    applied = min(amount_fen, due)
    return DraftPayment(method, applied, amount_fen, reference, balance_number), []


def settlement_problems(draft: VisitDraft) -> list[Problem]:
    """What stops the slip from settling, money-wise."""
    from .money import format_fen

    if not draft.items:
        return [error("slip.empty", "slip")]
    total, paid = draft.total_fen, draft.paid_fen
    if paid == total:
        return []
    if abs(paid) < abs(total) and (paid == 0 or (paid > 0) == (total > 0)):
        return [
            error(
                "slip.unpaid",
                "slip",
                total=format_fen(total),
                paid=format_fen(paid),
                due=format_fen(total - paid),
            )
        ]
    return [
        error(
            "slip.overpaid",
            "slip",
            total=format_fen(total),
            paid=format_fen(paid),
            over=format_fen(paid - total),
        )
    ]
