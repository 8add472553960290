"""三包 (repair, replacement, return) rules for handsets and data cards sold at the counter.

Sources: the 2001 mobile-phone 三包 rules as distilled in DOMAIN.md.
- Periods run from the invoice (sale) date, per part, from the catalogue: handset 1 year,
  battery 6 months, wired headset 3 months, charger / terminal card / data card 1 year.
- One day-counting rule for periods and windows (民法典 arts. 201–202): the sale day is
  not counted (it is day 0); a period of N days ends on day N; a period of months ends
  on the corresponding day of its last month, or that month's last day where it has no
  such day. Bought 2026-08-31, 12 months → covered through 2027-08-31; 2028-02-29,
  12 months → 2029-02-28; 6 months from 2026-08-31 → 2027-02-28. See :func:`period_end`.
- Days the device spends in repair extend every period (an open repair counts up to
  the day asked about).
- An exchanged device's periods start again on the exchange day (换货后三包有效期自换货之日
  起重新计算); the return/exchange windows stay counted from the original sale.
- Within 7 days of the sale (days 0–7) the customer chooses return (退货), exchange
  (换货) or repair; on days 8–15, exchange or repair. After that, repair; a
  replacement is due after 2 repairs that did not fix the fault, or when one repair
  was held over 60 days for parts.
- The invoice (or access agreement) and the warranty card must agree on the sale date,
  the model, the serial and the amount; a mismatch is refused naming the field.

Pure functions over plain data; the warranty service feeds them from the database.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .messages import Problem, define, define_field, error

define_field("card.sale_date", zh="保修卡销售日期", en="Warranty card sale date")
define_field("card.model", zh="保修卡型号", en="Warranty card model")
define_field("card.serial", zh="保修卡串号", en="Warranty card serial")
define_field("card.amount", zh="保修卡金额", en="Warranty card amount")
define_field("card_serial", zh="保修卡 S/N 条码", en="Warranty card S/N barcode")
define_field("warranty.event", zh="三包记录", en="Warranty record")

define(
    "warranty.mismatch",
    zh="{evidence}上的{what}（{expected}）与保修卡上的（{found}）不一致，按三包规定必须一致，"
    "请核对后重新扫描或更正。",
    en="The {what_en} on the {evidence_en} ({expected}) does not match the warranty card "
    "({found}); they must agree. Please check and scan or correct it.",
)
define(
    "warranty.serial_sold",
    zh="串号 {serial} 已于 {sold_on} 售出（保修卡 {card_no}），未办理退货不能再次销售，"
    "请核对机器。",
    en="Serial {serial} was sold on {sold_on} (card {card_no}) and has not been returned; "
    "it can't be sold again. Please check the device.",
)
define(
    "warranty.return_window",
    zh="已超过 {days} 天退货期限（销售日 {sale_date}，销售当日不计入，退货截至 {until}），"
    "不能办理退货；可按规定办理换货或维修。",
    en="The {days}-day return period (sold {sale_date}, the sale day not counted, through "
    "{until}) has passed; exchange or repair may still apply.",
)
define(
    "warranty.exchange_window",
    zh="换货须在销售后 {days} 天内办理（销售当日不计入，截至 {until}；或维修两次仍未修复、"
    "维修占用超过 60 天），当前不符合换货条件，可办理维修。",
    en="Exchange is for the {days} days after the sale (the sale day not counted, through "
    "{until}; or after two failed repairs, or a repair held over 60 days); it does not "
    "apply now, a repair does.",
)
define(
    "warranty.same_serial",
    zh="换货须换成另一台机器，新串号不能与原机串号 {serial} 相同，请扫描新机串号。",
    en="An exchange needs another device: the new serial can't be the old one ({serial}); "
    "please scan the new device.",
)
define(
    "warranty.not_in_repair",
    zh="该机目前没有在修记录，不能登记取机。",
    en="There is no open repair for this device to hand back.",
)
define(
    "warranty.already_in_repair",
    zh="该机已在维修中（{since} 送修），请先登记取机。",
    en="The device is already in repair (since {since}); record the hand-back first.",
)
define(
    "warranty.no_loan_out",
    zh="该保修卡没有未归还的备机，不能登记备机归还。",
    en="No loan phone is out on this card to take back.",
)
define(
    "warranty.closed",
    zh="该保修卡对应的机器已{how}，不能再登记三包服务。",
    en="The device of this card was {how_en}; no further warranty service can be recorded.",
)
define(
    "warranty.part_unknown",
    zh="配件“{part}”不在三包目录中，请从列表中选择。",
    en="Part “{part}” is not in the warranty catalogue; please choose from the list.",
)

EVENTS = (
    "repair_in",
    "repair_out",
    "loan_out",
    "loan_back",
    "returned",
    "exchanged",
    "voided",
)
# events after which the card is closed and its serial free to sell again; "voided" is
# written by a same-day void of the sale (作废), in the void's own transaction
CLOSING_EVENTS = ("returned", "exchanged", "voided")
CLOSED_HOW = {
    "returned": ("退货", "returned"),
    "exchanged": ("换货", "exchanged"),
    "voided": ("随销售单作废", "voided with its sale"),
}
MAX_REPAIR_HOLD_DAYS = 60
FAILED_REPAIRS_FOR_REPLACEMENT = 2


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


DAY_COUNTING_RULE_ZH = (
    "期限按《民法典》第二百零一条、第二百零二条计算：购机当日不计入，次日起算；"
    "按日计算的，到第 N 日止；按月、年计算的，到期满之月的对应日止，"
    "没有对应日的，到该月最后一日止。"
)
DAY_COUNTING_RULE_EN = (
    "Periods follow Civil Code arts. 201–202: the sale day is not counted; a period of days "
    "ends on its last day counted from the next day; a period of months or years ends on "
    "the corresponding day of its last month, or that month's last day where it has none."
)


def period_end(start: dt.date, *, months: int = 0, days: int = 0) -> dt.date:
    """The last day of a period of ``months`` or ``days`` that starts on ``start``.

    民法典 art. 201: the start day is not counted; art. 202: a period of months ends on
    the corresponding day of its last month, or that month's last day where it has no
    such day. So a 7-day window from a sale on day 0 ends on day 7, and 12 months from
    2026-08-31 end on 2027-08-31 (covered through that day).
    """
    if months and days:
        raise ValueError("a period is counted in months or in days, not both")
    if months:
        return add_months(start, months)
    return start + dt.timedelta(days=days)


@dataclass(frozen=True)
class SaleEvidence:
    """What the invoice or the access agreement says about the sale."""

    kind: str  # invoice | agreement
    number: str
    sale_date: dt.date
    model: str
    serial: str
    amount_fen: int


@dataclass(frozen=True)
class CardFacts:
    """What the warranty card says (the S/N barcode stuck on it, the date written)."""

    sale_date: dt.date
    model: str
    serial: str
    amount_fen: int


def _norm(text: str) -> str:
    return "".join(text.split()).upper()


define_field("invoice_qr", zh="发票二维码", en="Invoice QR code")
define(
    "warranty.evidence_missing",
    zh="购机须凭发票或入网协议：请填写发票号码（或扫描发票二维码）或入网协议编号，"
    "并照票据录入其上的日期、型号、串号和金额。",
    en="A handset sale needs its invoice or access agreement: give the invoice number (or "
    "scan the invoice's QR code) or the agreement number, and type the date, model, serial "
    "and amount printed on it.",
)
define(
    "warranty.invoice_qr_unreadable",
    zh="发票二维码内容无法识别（应以“01,”开头，含发票号码和开票日期），"
    "请重新扫描，或清空后照发票手工录入。",
    en="The invoice QR code can't be read (it starts with “01,” and holds the invoice "
    "number and date); scan it again, or clear it and type the invoice data instead.",
)
define(
    "warranty.invoice_qr_differs",
    zh="发票二维码中的{what}（{qr}）与录入的（{typed}）不一致，请核对是否同一张发票。",
    en="The {what_en} in the invoice QR code ({qr}) differs from the one typed ({typed}); "
    "please check it is the same invoice.",
)


@dataclass(frozen=True)
class InvoiceQr:
    """What a VAT invoice's QR code holds (增值税发票 / 数电发票): fields separated by
    commas — version 01, type, invoice code (empty on 数电发票), number, amount before
    tax, issue date YYYYMMDD, check code, …. The amount is before tax, so it is kept but
    not compared with the card's price (the 价税合计 typed from the invoice is)."""

    kind: str
    code: str
    number: str
    amount_before_tax: str
    issued_on: dt.date


def parse_invoice_qr(text: str) -> InvoiceQr | None:
    """The invoice QR's fields, or None when ``text`` isn't one."""
    parts = [p.strip() for p in "".join(str(text).split("\n")).strip().split(",")]
    if len(parts) < 6 or parts[0] != "01":
        return None
    number, day = parts[3], parts[5]
    if not (number.isascii() and number.isdigit() and 8 <= len(number) <= 20):
        return None
    if not (day.isascii() and day.isdigit() and len(day) == 8):
        return None
    try:
        issued = dt.date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None
    return InvoiceQr(parts[1], parts[2], number, parts[4], issued)


def _date_of(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def evidence_of(fields: Mapping[str, object]) -> tuple[SaleEvidence | None, list[Problem]]:
    """The invoice (or access agreement) as the clerk took it from the paper itself:
    typed from it (``invoice_date``/``invoice_model``/``invoice_serial``/
    ``invoice_amount``), its number and date read from its QR code where it has one
    (``invoice_qr``: the counter fills number and date from it; they must agree with
    the code). None with the problems when the sale has no such evidence.

    Fields the catalogue requires and the clerk left empty are reported by the field
    check already; they give no evidence and no second message here.
    """
    problems: list[Problem] = []
    qr: InvoiceQr | None = None
    raw_qr = str(fields.get("invoice_qr") or "").strip()
    if raw_qr:
        qr = parse_invoice_qr(raw_qr)
        if qr is None:
            problems.append(error("warranty.invoice_qr_unreadable", "invoice_qr"))
    invoice_no = str(fields.get("invoice_no") or "").strip()
    agreement_no = str(fields.get("agreement_no") or "").strip()
    typed_date = _date_of(fields["invoice_date"]) if fields.get("invoice_date") else None
    if qr is not None:
        for key, what, what_en, in_qr, typed in (
            ("invoice_no", "发票号码", "invoice number", qr.number, invoice_no or None),
            ("invoice_date", "开票日期", "invoice date", qr.issued_on, typed_date),
        ):
            if typed is not None and typed != in_qr:
                problems.append(
                    error(
                        "warranty.invoice_qr_differs",
                        key,
                        what=what,
                        what_en=what_en,
                        qr=str(in_qr),
                        typed=str(typed),
                    )
                )
        invoice_no = invoice_no or qr.number
        typed_date = typed_date or qr.issued_on
    if not invoice_no and not agreement_no and not raw_qr:
        problems.append(error("warranty.evidence_missing", "invoice_no"))
    keys = ("invoice_model", "invoice_serial", "invoice_amount")
    if problems or typed_date is None or any(fields.get(k) in (None, "") for k in keys):
        return None, problems
    return (
        SaleEvidence(
            kind="invoice" if invoice_no else "agreement",
            number=invoice_no or agreement_no,
            sale_date=typed_date,
            model=str(fields["invoice_model"]),
            serial=str(fields["invoice_serial"]),
            amount_fen=int(str(fields["invoice_amount"])),
        ),
        [],
    )


def check_consistency(evidence: SaleEvidence, card: CardFacts) -> list[Problem]:
    """Every field on which invoice/agreement and card disagree (DOMAIN.md, seed 000)."""
    from .money import format_fen

    doc_zh = "发票" if evidence.kind == "invoice" else "入网协议"
    doc_en = "invoice" if evidence.kind == "invoice" else "access agreement"
    checks = (
        (
            "card.sale_date",
            "销售日期",
            "sale date",
            evidence.sale_date.isoformat(),
            card.sale_date.isoformat(),
            evidence.sale_date == card.sale_date,
        ),
        (
            "card.model",
            "型号",
            "model",
            evidence.model,
            card.model,
            _norm(evidence.model) == _norm(card.model),
        ),
        (
            "card.serial",
            "串号",
            "serial",
            evidence.serial,
            card.serial,
            _norm(evidence.serial) == _norm(card.serial),
        ),
        (
            "card.amount",
            "金额",
            "amount",
            format_fen(evidence.amount_fen),
            format_fen(card.amount_fen),
            evidence.amount_fen == card.amount_fen,
        ),
    )
    return [
        error(
            "warranty.mismatch",
            key,
            evidence=doc_zh,
            evidence_en=doc_en,
            what=zh,
            what_en=en,
            expected=expected,
            found=found,
        )
        for key, zh, en, expected, found, same in checks
        if not same
    ]


@dataclass(frozen=True)
class WarrantyEventFact:
    event: str
    occurred_on: dt.date
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PartStatus:
    part: str
    months: int
    base_end: dt.date  # last covered day before repair extensions
    end: dt.date  # last covered day, repair days added
    covered: bool


@dataclass(frozen=True)
class WarrantyStatus:
    on: dt.date
    days_since_sale: int
    parts: tuple[PartStatus, ...]
    repair_days: int
    in_repair_since: dt.date | None
    failed_repairs: int
    longest_repair_days: int
    loan_phone_out: str | None
    closed_by: str | None  # returned | exchanged | voided
    can_return: bool
    can_exchange: bool
    replacement_due: bool

    def part(self, name: str) -> PartStatus | None:
        return next((p for p in self.parts if p.part == name), None)


def _repairs(
    events: Iterable[WarrantyEventFact], on: dt.date
) -> tuple[int, dt.date | None, int, int]:
    """(days in repair, open repair start, repairs that did not fix it, longest hold)."""
    total = 0
    longest = 0
    failed = 0
    started: dt.date | None = None
    for event in sorted(events, key=lambda e: e.occurred_on):
        if event.occurred_on > on:
            break
        if event.event == "repair_in" and started is None:
            started = event.occurred_on
        elif event.event == "repair_out" and started is not None:
            held = (event.occurred_on - started).days
            total += held
            longest = max(longest, held)
            if not bool(event.detail.get("fixed", True)):
                failed += 1
            started = None
    if started is not None:
        held = (on - started).days
        total += held
        longest = max(longest, held)
    return total, started, failed, longest


def warranty_status(
    sale_date: dt.date,
    periods: Mapping[str, int],
    events: Iterable[WarrantyEventFact],
    on: dt.date,
    *,
    return_days: int = 7,
    exchange_days: int = 15,
    cover_from: dt.date | None = None,
) -> WarrantyStatus:
    """The card's standing on day ``on``: parts covered, windows open, replacement due.

    ``cover_from`` is where the periods start when it isn't the sale date (a card issued
    for an exchanged device).
    """
    events = [e for e in events if e.occurred_on <= on]
    repair_days, open_since, failed, longest = _repairs(events, on)
    start = cover_from or sale_date
    parts = []
    for part, months in periods.items():
        base_end = period_end(start, months=months)
        end = base_end + dt.timedelta(days=repair_days)
        parts.append(PartStatus(part, months, base_end, end, start <= on <= end))
    loan: str | None = None
    closed: str | None = None
    for event in sorted(events, key=lambda e: e.occurred_on):
        if event.event == "loan_out":
            loan = str(event.detail.get("loan_serial", "")) or "loan"
        elif event.event == "loan_back":
            loan = None
        elif event.event in CLOSING_EVENTS:
            closed = event.event
    days = (on - sale_date).days
    replacement_due = failed >= FAILED_REPAIRS_FOR_REPLACEMENT or longest > MAX_REPAIR_HOLD_DAYS
    open_card = closed is None
    return WarrantyStatus(
        on=on,
        days_since_sale=days,
        parts=tuple(parts),
        repair_days=repair_days,
        in_repair_since=open_since,
        failed_repairs=failed,
        longest_repair_days=longest,
        loan_phone_out=loan,
        closed_by=closed,
        can_return=open_card and sale_date <= on <= period_end(sale_date, days=return_days),
        can_exchange=open_card
        and (
            sale_date <= on <= period_end(sale_date, days=exchange_days)
            or (
                replacement_due
                and any(p.covered for p in parts if p.part in ("handset", "data_card"))
            )
        ),
        replacement_due=replacement_due,
    )


def event_problems(
    status: WarrantyStatus, event: str, return_days: int, exchange_days: int
) -> list[Problem]:
    """Why ``event`` can't be recorded now (empty: it can)."""
    if status.closed_by is not None:
        how = CLOSED_HOW[status.closed_by]
        return [error("warranty.closed", "warranty.event", how=how[0], how_en=how[1])]
    sale_date = status.on - dt.timedelta(days=status.days_since_sale)
    if event == "returned" and not status.can_return:
        return [
            error(
                "warranty.return_window",
                "warranty.event",
                days=return_days,
                sale_date=sale_date.isoformat(),
                until=period_end(sale_date, days=return_days).isoformat(),
            )
        ]
    if event == "exchanged" and not status.can_exchange:
        return [
            error(
                "warranty.exchange_window",
                "warranty.event",
                days=exchange_days,
                until=period_end(sale_date, days=exchange_days).isoformat(),
            )
        ]
    if event == "repair_in" and status.in_repair_since is not None:
        return [
            error(
                "warranty.already_in_repair",
                "warranty.event",
                since=status.in_repair_since.isoformat(),
            )
        ]
    if event == "repair_out" and status.in_repair_since is None:
        return [error("warranty.not_in_repair", "warranty.event")]
    if event == "loan_back" and status.loan_phone_out is None:
        return [error("warranty.no_loan_out", "warranty.event")]
    return []
