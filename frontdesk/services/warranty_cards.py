"""The warranty-card rules other services apply inside their own transactions: the
sale's checks before the item goes on the slip, issuing cards when the slip settles,
and a correction's refund check and void of the cards (:func:`void_cards`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.catalogue import Business, Catalogue
from ..core.clock import business_date
from ..core.messages import Problem, RuleViolation, define, error
from ..core.serials import check_device_serial
from ..core.warranty import (
    CLOSING_EVENTS,
    CardFacts,
    WarrantyEventFact,
    check_consistency,
    evidence_of,
    parse_invoice_qr,
    warranty_status,
)
from ..store import audit
from ..store.models import Slip, SlipItem, WarrantyCard, WarrantyEvent
from ..store.numbering import take_number
from .auth import StaffSession

define(
    "warranty.void_card_busy",
    zh="保修卡 {card_no} 的机器正在维修或有借出的备机未归还，不能作废销售；"
    "请先在售后三包窗口登记取机、归还备机。",
    en="The device of card {card_no} is in repair or a loan phone is out; the sale can't "
    "be voided until the repair is handed back and the loan phone returned (after-sales "
    "window).",
)
define(
    "correction.use_warranty_return",
    zh="第 {line_no} 项“{business}”附有保修卡 {card_no}，退机请在售后三包窗口（Ctrl+W）"
    "办理退货（F6）：退货会核对退货期限，并在同一笔业务中关闭保修卡、释放串号。",
    en="Item {line_no} “{business}” has warranty card {card_no}: take the device back as a "
    "return (F6) in the after-sales window (Ctrl+W), which checks the return period "
    "and closes the card and frees the serial in the same step.",
)


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def card_from_fields(fields: Mapping[str, Any]) -> CardFacts | None:
    """The warranty card as filled at the counter: its own S/N barcode, the sale data
    (None while a field it needs is missing: the field check names it)."""
    if any(fields.get(k) in (None, "") for k in ("sale_date", "model", "price")):
        return None
    return CardFacts(
        sale_date=_as_date(fields["sale_date"]),
        model=str(fields["model"]),
        serial=str(fields.get("card_serial") or fields["device_serial"]),
        amount_fen=int(fields["price"]),
    )


def device_label_problems(fields: Mapping[str, Any]) -> list[Problem]:
    """The S/N label stuck on the card must be the device's own serial."""
    device = "".join(str(fields.get("device_serial") or "").split()).upper()
    label = "".join(str(fields.get("card_serial") or "").split()).upper()
    if not device or not label or device == label:
        return []
    return [
        error(
            "warranty.mismatch",
            "card.serial",
            evidence="机身",
            evidence_en="device",
            what="串号",
            what_en="serial",
            expected=device,
            found=label,
        )
    ]


def unreturned_card(s: Session, serial: str) -> WarrantyCard | None:
    """The card under which ``serial`` is sold and not closed (returned, exchanged,
    voided), if any."""
    closed = select(WarrantyEvent.card_id).where(WarrantyEvent.event.in_(CLOSING_EVENTS))
    return s.scalar(
        select(WarrantyCard)
        .where(WarrantyCard.serial == serial, WarrantyCard.id.not_in(closed))
        .order_by(WarrantyCard.created_at.desc())
        .limit(1)
    )


def open_cards_of_items(s: Session, item_ids: list[uuid.UUID]) -> list[WarrantyCard]:
    """The cards of these slip items that are not closed (returned, exchanged, voided)."""
    if not item_ids:
        return []
    closed = select(WarrantyEvent.card_id).where(WarrantyEvent.event.in_(CLOSING_EVENTS))
    return list(
        s.scalars(
            select(WarrantyCard)
            .where(WarrantyCard.slip_item_id.in_(item_ids), WarrantyCard.id.not_in(closed))
            .order_by(WarrantyCard.created_at, WarrantyCard.card_no)
        )
    )


def void_cards(
    s: Session,
    item_ids: list[uuid.UUID],
    *,
    on: dt.date,
    void_slip_no: str,
    reason: str,
    staff_id: uuid.UUID,
    manager_id: uuid.UUID,
    now: dt.datetime,
) -> list[str]:
    """作废 of a terminal sale: close its open cards (which frees their serials), in the
    void's own transaction. A card whose device is in repair or has a loan phone out is
    refused: the void would close it with the shop's loan phone or repair still open.
    Returns the card numbers closed."""
    cards = open_cards_of_items(s, item_ids)
    busy = []
    for card in cards:
        rows = s.scalars(select(WarrantyEvent).where(WarrantyEvent.card_id == card.id)).all()
        facts = [WarrantyEventFact(r.event, r.occurred_on, dict(r.detail)) for r in rows]
        status = warranty_status(card.sale_date, {}, facts, on)
        if status.in_repair_since is not None or status.loan_phone_out is not None:
            busy.append(error("warranty.void_card_busy", "slip_no", card_no=card.card_no))
    if busy:
        raise RuleViolation(busy)
    for card in cards:
        s.add(
            WarrantyEvent(
                card_id=card.id,
                event="voided",
                occurred_on=on,
                detail={"void_slip_no": void_slip_no, "reason": reason},
                staff_id=staff_id,
                created_at=now,
            )
        )
        audit.record(
            s,
            actor_id=manager_id,
            action="warranty.voided",
            object_type="warranty_card",
            object_id=card.id,
            detail={"card_no": card.card_no, "void_slip_no": void_slip_no},
        )
    return [card.card_no for card in cards]


def refund_problems(s: Session, items: list[SlipItem]) -> list[Problem]:
    """A refund of a device sold with a warranty card is a 退货: sent to after-sales,
    where the return window is checked and the card closes with the refund."""
    cards = open_cards_of_items(s, [item.id for item in items])
    by_item = {card.slip_item_id: card for card in cards}
    return [
        error(
            "correction.use_warranty_return",
            "refund.items",
            line_no=item.line_no,
            business=item.business_name,
            card_no=by_item[item.id].card_no,
        )
        for item in items
        if item.id in by_item
    ]


def sale_problems(
    s: Session, business: Business, fields: Mapping[str, Any], other_serials: set[str]
) -> list[Problem]:
    """Why this terminal sale can't go on the slip (empty list: it can)."""
    if not business.creates_warranty_card or "device_serial" not in fields:
        return []
    evidence, problems = evidence_of(fields)
    card = card_from_fields(fields)
    problems += device_label_problems(fields)
    if evidence is not None and card is not None:
        problems += check_consistency(evidence, card)
    serial = str(fields["device_serial"])
    sold = unreturned_card(s, serial)
    if sold is not None or serial in other_serials:
        problems.append(
            error(
                "warranty.serial_sold",
                "device_serial",
                serial=serial,
                sold_on=sold.sale_date.isoformat() if sold else "本单",
                card_no=sold.card_no if sold else "-",
            )
        )
    return problems


def periods_for(
    catalogue: Catalogue, parts: Mapping[str, int] | tuple[str, ...], start: dt.date
) -> dict[str, Any]:
    """Each part's period, as printed on the card: months and the last covered day
    (民法典 arts. 201–202, :func:`frontdesk.core.warranty.period_end`)."""
    from ..core.warranty import period_end

    months_of = (
        parts
        if isinstance(parts, Mapping)
        else {part: catalogue.warranty_period(part).months for part in parts}
    )
    return {
        part: {
            "months": months,
            "from": start.isoformat(),
            "until": period_end(start, months=months).isoformat(),
        }
        for part, months in months_of.items()
    }


def read_invoice_qr(text: str) -> tuple[str, dt.date]:
    """The invoice number and issue date in a scanned invoice QR code, for the counter to
    fill in (no database: the code is only read). Unreadable: a RuleViolation naming
    the field."""
    qr = parse_invoice_qr(text)
    if qr is None:
        raise RuleViolation([error("warranty.invoice_qr_unreadable", "invoice_qr")])
    return qr.number, qr.issued_on


def _invoice_no(fields: Mapping[str, Any]) -> str | None:
    """The invoice number typed, else the one read from the invoice's QR code."""
    typed = str(fields.get("invoice_no") or "").strip()
    if typed:
        return typed
    qr = parse_invoice_qr(str(fields.get("invoice_qr") or ""))
    return qr.number if qr else None


def issue_cards(
    s: Session,
    catalogue: Catalogue,
    slip: Slip,
    items: list[SlipItem],
    *,
    customer_id: uuid.UUID | None,
    staff: StaffSession,
    now: dt.datetime,
) -> list[WarrantyCard]:
    """Cards for the slip's terminal sales, in the settle transaction."""
    cards = []
    for item in items:
        business = catalogue.find(item.business_code)
        if business is None or not business.creates_warranty_card:
            continue
        fields = item.fields
        checked = check_device_serial(str(fields["device_serial"]), "device_serial")
        serial = checked.unwrap()
        sale_date = _as_date(fields["sale_date"])
        card_no, _ = take_number(
            s, "warranty", slip.branch_code, slip.workstation_code, business_date(now)
        )
        card = WarrantyCard(
            card_no=card_no,
            slip_item_id=item.id,
            customer_id=customer_id,
            customer_name=str(fields.get("customer_name") or slip.customer_name or ""),
            customer_phone=str(fields.get("contact_phone") or ""),
            customer_address=str(fields.get("contact_address") or "") or None,
            brand=str(fields["brand"]),
            model=str(fields["model"]),
            serial_kind=serial.kind,
            serial=serial.value,
            accessory_serials={"text": str(fields.get("accessory_serials") or "")},
            access_label_code=str(fields.get("access_label_code") or "") or None,
            invoice_no=_invoice_no(fields),
            agreement_no=str(fields.get("agreement_no") or "") or None,
            sale_date=sale_date,
            amount_fen=int(fields["price"]),
            periods=periods_for(catalogue, business.warranty_parts, sale_date),
            branch_code=slip.branch_code,
            clerk_id=staff.staff_id,
            created_at=now,
        )
        s.add(card)
        cards.append(card)
    return cards
