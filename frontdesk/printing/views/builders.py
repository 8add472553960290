"""The layouts' data built from the database in one place: slips, receipts, warranty cards.

Everything printed is decided here: masking, field labels and choice names from the
catalogue, payment method names, local times.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.catalogue import Business, Catalogue
from ...core.clock import local_time
from ...core.ids import mask_id_number, mask_phone
from ...core.money import format_fen
from ...core.warranty import period_end
from ...store.models import (
    Payment,
    Receipt,
    Slip,
    SlipItem,
    SlipSignature,
    Staff,
    WarrantyCard,
    WarrantyEvent,
)
from .data import (
    ACCESSORY_LABELS,
    PARTY_FIELD_LABELS,
    PAYMENT_METHOD_NAMES,
    RECEIPT_TITLES,
    SIGNING_METHOD_NAMES,
    SLIP_TITLES,
    BranchInfo,
    ExchangeLink,
    FieldLine,
    PaymentLine,
    ReceiptData,
    ReceiptLine,
    RepairLine,
    SignatureData,
    SlipData,
    SlipLineData,
    WarrantyCardData,
    WarrantyPeriodLine,
)

# --------------------------------------------------------------------------- helpers


def _staff_name(s: Session, staff_id: uuid.UUID | None) -> str:
    if staff_id is None:
        return ""
    staff = s.get(Staff, staff_id)
    return staff.display_name if staff else ""


def _field_text(business: Business | None, key: str, value: Any) -> FieldLine | None:
    """One collected field as the slip prints it (label, choice name, money, masking)."""
    if value is None or value == "":
        return None
    defn = business.find_field(key) if business else None
    label = defn.label_zh if defn else PARTY_FIELD_LABELS.get(key, key)
    if defn is None:
        return FieldLine(label, str(value))
    if defn.type == "money" and isinstance(value, int) and not isinstance(value, bool):
        text = format_fen(value)
    elif defn.type == "bool":
        text = "是" if value else "否"
    elif defn.type == "id_number":
        text = mask_id_number(value)
    elif defn.type == "choice":
        choice = next((c for c in defn.choices if c.value == value), None)
        text = choice.label_zh if choice else str(value)
    else:
        text = str(value)
    return FieldLine(label, text)


def _fields(business: Business | None, values: Mapping[str, Any]) -> tuple[FieldLine, ...]:
    order = [d.key for d in business.fields] if business else []
    keys = [k for k in order if k in values] + [k for k in values if k not in order]
    lines = (_field_text(business, key, values[key]) for key in keys)
    return tuple(line for line in lines if line is not None)


def _payments(rows: list[Payment]) -> tuple[PaymentLine, ...]:
    return tuple(
        PaymentLine(
            p.method,
            PAYMENT_METHOD_NAMES.get(p.method, p.method),
            p.amount_fen,
            p.tendered_fen,
            p.change_fen,
            p.reference,
            p.balance_number,
        )
        for p in rows
    )


def _payer(slip: Slip) -> str | None:
    if slip.unit_name:
        return slip.unit_name
    return slip.customer_name or slip.agent_name


# --------------------------------------------------------------------------- builders


def slip_data(
    s: Session,
    slip_id: uuid.UUID,
    catalogue: Catalogue,
    branch: BranchInfo,
    *,
    reprint_at: dt.datetime | None = None,
) -> SlipData:
    """The acceptance slip of ``slip_id`` with its latest signature (if any)."""
    slip = s.get(Slip, slip_id)
    if slip is None:
        raise LookupError(f"slip {slip_id} not found")
    original = s.get(Slip, slip.original_slip_id) if slip.original_slip_id else None
    lines = []
    for item in slip.items:
        business = catalogue.find(item.business_code)
        lines.append(
            SlipLineData(
                item.line_no,
                item.business_name,
                item.service_number,
                _fields(business, item.fields),
                item.fee_fen,
                item.list_fee_fen,
                item.waiver_reason,
                business.terms_zh if business else "",
            )
        )
    voiding = s.scalars(
        select(Slip).where(Slip.original_slip_id == slip.id, Slip.kind == "void")
    ).first()
    sig_row = s.scalars(
        select(SlipSignature)
        .where(SlipSignature.slip_id == slip.id)
        .order_by(SlipSignature.created_at.desc())
        .limit(1)
    ).first()
    signature = (
        SignatureData(
            sig_row.method,
            SIGNING_METHOD_NAMES.get(sig_row.method, sig_row.method),
            sig_row.signer,
            local_time(sig_row.created_at),
            sig_row.image_png,
        )
        if sig_row
        else None
    )
    return SlipData(
        slip_id=slip.id,
        slip_no=slip.slip_no,
        kind=slip.kind,
        title=SLIP_TITLES.get(slip.kind, "业务受理单"),
        branch=branch,
        clerk_name=_staff_name(s, slip.clerk_id),
        settled_at=local_time(slip.settled_at),
        customer_name=slip.customer_name,
        customer_id_masked=slip.customer_id_masked,
        agent_name=slip.agent_name,
        agent_id_masked=slip.agent_id_masked,
        unit_name=slip.unit_name,
        unit_credit_code=slip.unit_credit_code,
        lines=tuple(lines),
        payments=_payments(slip.payments),
        total_fen=slip.total_fen,
        paid_fen=slip.paid_fen,
        change_fen=slip.change_fen,
        verification_code=slip.verification_code,
        ticket_no=slip.ticket_no,
        original_slip_no=original.slip_no if original else None,
        reason=slip.reason,
        recheck_required=slip.recheck_required,
        signature=signature,
        voided_by_slip_no=voiding.slip_no if voiding else None,
        void_reason=voiding.reason if voiding else None,
        reprint_at=local_time(reprint_at) if reprint_at else None,
    )


def receipt_data(
    s: Session,
    receipt_id: uuid.UUID,
    branch: BranchInfo,
    *,
    reprint_at: dt.datetime | None = None,
) -> ReceiptData:
    """The receipt of ``receipt_id``; a sale receipt voided since says so (作废)."""
    receipt = s.get(Receipt, receipt_id)
    if receipt is None:
        raise LookupError(f"receipt {receipt_id} not found")
    slip = s.get(Slip, receipt.slip_id)
    assert slip is not None  # foreign key
    original = s.get(Receipt, receipt.original_receipt_id) if receipt.original_receipt_id else None
    voiding = s.scalars(
        select(Receipt).where(Receipt.original_receipt_id == receipt.id, Receipt.kind == "void")
    ).first()
    void_slip = s.get(Slip, voiding.slip_id) if voiding else None
    return ReceiptData(
        receipt_id=receipt.id,
        receipt_no=receipt.receipt_no,
        kind=receipt.kind,
        title=RECEIPT_TITLES.get(receipt.kind, "收据"),
        branch=branch,
        slip_no=slip.slip_no,
        cashier_name=_staff_name(s, receipt.cashier_id),
        issued_at=local_time(receipt.issued_at),
        payer=_payer(slip),
        lines=tuple(
            ReceiptLine(item.business_name, item.service_number, item.fee_fen)
            for item in slip.items
        ),
        payments=_payments(slip.payments),
        total_fen=receipt.total_fen,
        change_fen=slip.change_fen,
        original_receipt_no=original.receipt_no if original else None,
        reason=slip.reason if receipt.kind != "sale" else None,
        voided_by_receipt_no=voiding.receipt_no if voiding else None,
        void_reason=void_slip.reason if void_slip else None,
        reprint_at=local_time(reprint_at) if reprint_at else None,
    )


def _periods(
    raw: Mapping[str, Any], catalogue: Catalogue | None, sale_date: dt.date
) -> tuple[WarrantyPeriodLine, ...]:
    """Periods as stored on the card: ``{part: months}`` or ``{part: {months, from, …}}``.

    The last covered day is computed from where the period starts and its months by the
    one day-counting rule (:func:`frontdesk.core.warranty.period_end`, 民法典 arts.
    201–202), not copied from the stored ``until``: cards issued before that rule stored
    a day too early, and a 补打 must print what the after-sales look-up honours.
    """
    lines = []
    for part, value in raw.items():
        start = sale_date
        if isinstance(value, Mapping):
            months = int(value.get("months", 0))
            if value.get("from"):
                start = dt.date.fromisoformat(str(value["from"]))
        else:
            months = int(value)
        name = part
        if catalogue is not None:
            found = next((w for w in catalogue.warranty_periods if w.part == part), None)
            name = found.name_zh if found else part
        lines.append(WarrantyPeriodLine(name, months, period_end(start, months=months)))
    return tuple(lines)


def warranty_card_data(
    s: Session,
    card_id: uuid.UUID,
    catalogue: Catalogue | None,
    branch: BranchInfo,
    *,
    stamp_png: bytes | None = None,
    reprint_at: dt.datetime | None = None,
) -> WarrantyCardData:
    """A stored :class:`WarrantyCard` as printable data (phone masked)."""
    card = s.get(WarrantyCard, card_id)
    if card is None:
        raise LookupError(f"warranty card {card_id} not found")
    accessory = tuple(
        FieldLine(ACCESSORY_LABELS.get(str(k), str(k)), str(v))
        for k, v in (card.accessory_serials or {}).items()
        if v not in (None, "", [], {})
    )
    item = s.get(SlipItem, card.slip_item_id)
    sold = dict(item.fields) if item is not None else {}
    events = s.scalars(
        select(WarrantyEvent)
        .where(WarrantyEvent.card_id == card.id)
        .order_by(WarrantyEvent.occurred_on, WarrantyEvent.created_at)
    ).all()
    exchanged_to = next(
        (
            ExchangeLink(
                e.occurred_on,
                str(e.detail.get("new_card_no", "")),
                str(e.detail.get("new_serial", "")),
            )
            for e in events
            if e.event == "exchanged"
        ),
        None,
    )
    return WarrantyCardData(
        card_no=card.card_no,
        customer_name=card.customer_name,
        customer_phone_masked=mask_phone(card.customer_phone),
        purchase_date=card.sale_date,
        brand=card.brand,
        model=card.model,
        serial_kind=card.serial_kind,
        serial=card.serial,
        invoice_no=card.invoice_no,
        amount_fen=card.amount_fen,
        periods=_periods(card.periods or {}, catalogue, card.sale_date),
        branch=branch,
        clerk_name=_staff_name(s, card.clerk_id),
        customer_address=card.customer_address,
        agreement_no=card.agreement_no,
        access_label_code=card.access_label_code,
        accessory_serials=accessory,
        return_days=catalogue.return_days if catalogue else 7,
        exchange_days=catalogue.exchange_days if catalogue else 15,
        stamp_png=stamp_png,
        reprint_at=local_time(reprint_at) if reprint_at else None,
        origin=str(sold.get("origin") or "") or None,
        accessory_models=str(sold.get("accessory_models") or "") or None,
        customer_postcode=str(sold.get("contact_postcode") or "") or None,
        repairs=_repairs(events),
        exchanged_from=_exchanged_from(s, card),
        exchanged_to=exchanged_to,
        closed_note=_closed_note(events),
    )


def _repairs(events: list[WarrantyEvent]) -> tuple[RepairLine, ...]:
    """Each hand-in paired with its hand-back (维修记录), in date order."""
    lines: list[RepairLine] = []
    open_in: WarrantyEvent | None = None
    for event in events:
        if event.event == "repair_in" and open_in is None:
            open_in = event
        elif event.event == "repair_out" and open_in is not None:
            detail = {**open_in.detail, **event.detail}
            lines.append(
                RepairLine(
                    open_in.occurred_on,
                    str(detail.get("fault", "")),
                    str(detail.get("cause", "")),
                    str(detail.get("handling", "")),
                    event.occurred_on,
                    str(detail.get("technician", "")),
                    bool(detail.get("fixed", True)),
                )
            )
            open_in = None
    if open_in is not None:
        lines.append(
            RepairLine(
                open_in.occurred_on, str(open_in.detail.get("fault", "")), "", "", None, "", None
            )
        )
    return tuple(lines)


def _exchanged_from(s: Session, card: WarrantyCard) -> ExchangeLink | None:
    """The card this one replaced in an exchange (same sale item, its event names us)."""
    others = s.scalars(
        select(WarrantyEvent)
        .join(WarrantyCard, WarrantyCard.id == WarrantyEvent.card_id)
        .where(
            WarrantyCard.slip_item_id == card.slip_item_id,
            WarrantyCard.id != card.id,
            WarrantyEvent.event == "exchanged",
        )
    ).all()
    for event in others:
        if event.detail.get("new_card_no") == card.card_no:
            old = s.get(WarrantyCard, event.card_id)
            if old is not None:
                return ExchangeLink(event.occurred_on, old.card_no, old.serial)
    return None


def _closed_note(events: list[WarrantyEvent]) -> str | None:
    for event in events:
        if event.event == "returned":
            refund_no = event.detail.get("refund_slip_no", "")
            return f"已退货（{event.occurred_on.isoformat()}，退款受理单 {refund_no}）"
        if event.event == "voided":
            void_no = event.detail.get("void_slip_no", "")
            return f"已作废（{event.occurred_on.isoformat()}，随销售单冲正，冲正单 {void_no}）"
    return None
