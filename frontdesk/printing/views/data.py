"""The frozen dataclasses the layouts print, and the names printed for stored codes.

No SQLAlchemy here: :mod:`.builders` fills these from the database; the warranty issue
supplies a :class:`WarrantyCardData` of its own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from ...core.ids import mask_phone
from ...core.money import format_fen

PAYMENT_METHOD_NAMES = {
    "cash": "现金",
    "bank_card": "银行卡",
    "wechat": "微信支付",
    "alipay": "支付宝",
    "balance": "账户余额",
}
SIGNING_METHOD_NAMES = {
    "paper": "纸质签字",
    "pad": "电子签名板",
    "second_screen": "客户屏签名",
}
ACCESSORY_LABELS = {
    "text": "配件串号",
    "battery": "电池串号",
    "charger": "充电器串号",
    "wired_headset": "耳机串号",
}
SLIP_TITLES = {
    "sale": "业务受理单",
    "void": "业务受理单（作废冲正）",
    "refund": "业务受理单（退款）",
}
# a void's own receipt is a red-letter reversal (红字冲正), not a second 作废 receipt
RECEIPT_TITLES = {"sale": "收据", "void": "收据（红字冲正）", "refund": "退款收据"}


@dataclass(frozen=True)
class BranchInfo:
    code: str
    name: str
    workstation_code: str
    address: str = ""
    phone: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str


@dataclass(frozen=True)
class SlipLineData:
    line_no: int
    business_name: str
    service_number: str | None
    fields: tuple[FieldLine, ...]
    fee_fen: int
    list_fee_fen: int
    waiver_reason: str | None
    terms: str


@dataclass(frozen=True)
class PaymentLine:
    method: str  # code: cash | bank_card | …
    method_name: str
    amount_fen: int
    tendered_fen: int
    change_fen: int
    reference: str | None
    balance_number: str | None

    @property
    def detail(self) -> str:
        """Reference text a receipt prints after the method (masked where it is a number)."""
        if self.method == "cash" and self.tendered_fen != self.amount_fen:
            return f"实收 {format_fen(self.tendered_fen)} 找零 {format_fen(self.change_fen)}"
        if self.method == "balance" and self.balance_number:
            return f"号码 {mask_phone(self.balance_number)}"
        if self.reference:
            return f"流水号 {self.reference}"
        return ""


@dataclass(frozen=True)
class SignatureData:
    method: str  # paper | pad | second_screen
    method_name: str
    signer: str  # customer | agent
    signed_at: dt.datetime
    image_png: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SlipData:
    slip_id: uuid.UUID
    slip_no: str
    kind: str  # sale | void | refund
    title: str
    branch: BranchInfo
    clerk_name: str
    settled_at: dt.datetime  # local (Asia/Shanghai)
    customer_name: str | None
    customer_id_masked: str | None
    agent_name: str | None
    agent_id_masked: str | None
    unit_name: str | None
    unit_credit_code: str | None
    lines: tuple[SlipLineData, ...]
    payments: tuple[PaymentLine, ...]
    total_fen: int
    paid_fen: int
    change_fen: int
    verification_code: str
    ticket_no: str | None = None
    original_slip_no: str | None = None
    reason: str | None = None
    recheck_required: bool = False
    signature: SignatureData | None = None
    voided_by_slip_no: str | None = None  # a sale slip voided since
    void_reason: str | None = None
    reprint_at: dt.datetime | None = None  # 补打: when this copy was printed


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    service_number: str | None
    amount_fen: int


@dataclass(frozen=True)
class ReceiptData:
    receipt_id: uuid.UUID
    receipt_no: str
    kind: str  # sale | void | refund
    title: str
    branch: BranchInfo
    slip_no: str
    cashier_name: str
    issued_at: dt.datetime  # local
    payer: str | None
    lines: tuple[ReceiptLine, ...]
    payments: tuple[PaymentLine, ...]
    total_fen: int
    change_fen: int
    original_receipt_no: str | None = None
    reason: str | None = None
    voided_by_receipt_no: str | None = None  # set on a sale receipt later voided
    void_reason: str | None = None
    reprint_at: dt.datetime | None = None  # 补打: when this copy was printed


@dataclass(frozen=True)
class WarrantyPeriodLine:
    part_name: str
    months: int
    until: dt.date


@dataclass(frozen=True)
class RepairLine:
    """One repair of the 三包凭证's repair log (维修记录)."""

    taken_in: dt.date
    fault: str
    cause: str
    handling: str
    handed_back: dt.date | None  # None: still in repair
    technician: str
    fixed: bool | None


@dataclass(frozen=True)
class ExchangeLink:
    """The other card of an exchange (换货): when, which card, which device."""

    on: dt.date
    card_no: str
    serial: str


@dataclass(frozen=True)
class WarrantyCardData:
    """What a 保修卡 prints; the after-sales issue builds these from its own rules."""

    card_no: str
    customer_name: str
    customer_phone_masked: str
    purchase_date: dt.date
    brand: str
    model: str
    serial_kind: str  # imei | meid | sn
    serial: str
    invoice_no: str | None
    amount_fen: int
    periods: tuple[WarrantyPeriodLine, ...]
    branch: BranchInfo
    clerk_name: str
    customer_address: str | None = None
    agreement_no: str | None = None
    access_label_code: str | None = None
    accessory_serials: tuple[FieldLine, ...] = ()
    return_days: int = 7
    exchange_days: int = 15
    stamp_png: bytes | None = field(default=None, repr=False)
    reprint_at: dt.datetime | None = None
    origin: str | None = None  # 产地
    accessory_models: str | None = None
    customer_postcode: str | None = None
    repairs: tuple[RepairLine, ...] = ()
    exchanged_from: ExchangeLink | None = None  # this card replaced that one
    exchanged_to: ExchangeLink | None = None  # 已换货: this card was replaced by that one
    closed_note: str | None = None  # 已退货 / 已作废, with the correction's number

    @property
    def repair_days(self) -> int:
        """Days in finished repairs: every period runs on by as many (三包 rules)."""
        return sum(
            (r.handed_back - r.taken_in).days for r in self.repairs if r.handed_back is not None
        )


#: Fields the counter fills from verified documents and signed notices (never typed in):
#: the new owner of a 过户, a minor's guardian, the 涉诈风险告知书. Numbers are masked.
PARTY_FIELD_LABELS = {
    "new_owner_name": "新机主",
    "new_owner_id_masked": "新机主证件号码",
    "guardian_name": "监护人（经办人）",
    "guardian_id_masked": "监护人证件号码",
    "guardian_relationship": "监护人与客户关系",
    "fraud_notice": "涉诈风险告知书",
}
