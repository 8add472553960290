"""Warranty cards (保修卡 / 三包凭证) for handsets and data cards sold at the counter.

A terminal sale is a business on the slip like any other; this module is its one rule
module (SPEC §5): before the sale goes on the slip, the serial must be free (sold before
only if that card was closed: returned, exchanged or voided), the warranty card's S/N
barcode must agree with the device, and the invoice or access agreement — its own data,
typed from the paper or read from the invoice's QR code — must agree with the card; when
the slip settles, the card is issued in the same transaction (so it syncs like every
record). After-sales look-up and the 三包 events (repair, loan phone, return, exchange)
are here too; a return refunds the sale item and frees the serial atomically, and a
void of the sale closes its cards in the void's transaction (:func:`void_cards`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.catalogue import Business, Catalogue
from ..core.clock import business_date
from ..core.ids import mask_name, mask_phone
from ..core.messages import Problem, RuleViolation, define, error
from ..core.serials import check_device_serial
from ..core.warranty import (
    CLOSING_EVENTS,
    CardFacts,
    WarrantyEventFact,
    WarrantyStatus,
    check_consistency,
    event_problems,
    evidence_of,
    parse_invoice_qr,
    warranty_status,
)
from ..store import audit
from ..store.models import Slip, SlipItem, WarrantyCard, WarrantyEvent
from ..store.numbering import take_number
from .auth import Approval, StaffSession, consume
from .workstation import Workstation

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


@dataclass(frozen=True)
class CardView:
    """What after-sales sees of one card (customer masked)."""

    card_no: str
    slip_no: str | None
    brand: str
    model: str
    serial_kind: str
    serial: str
    sale_date: dt.date
    amount_fen: int
    customer_name_masked: str
    customer_phone_masked: str
    invoice_no: str | None
    agreement_no: str | None
    status: WarrantyStatus
    history: tuple[WarrantyEventFact, ...]
    card_id: uuid.UUID | None = None  # for the archived card PDF (补打)
    exchanged_from: str | None = None  # the card this one replaced in an exchange


class WarrantyService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    def _today(self) -> dt.date:
        return business_date(self._ws.clock.now())

    def _events(self, s: Session, card: WarrantyCard) -> list[WarrantyEventFact]:
        rows = s.scalars(
            select(WarrantyEvent)
            .where(WarrantyEvent.card_id == card.id)
            .order_by(WarrantyEvent.occurred_on, WarrantyEvent.created_at)
        ).all()
        return [WarrantyEventFact(r.event, r.occurred_on, dict(r.detail)) for r in rows]

    def _status(
        self, card: WarrantyCard, events: list[WarrantyEventFact], on: dt.date
    ) -> WarrantyStatus:
        catalogue = self._ws.catalogue
        months = {part: int(p["months"]) for part, p in card.periods.items()}
        starts = {p.get("from") for p in card.periods.values()} - {None}
        cover_from = dt.date.fromisoformat(starts.pop()) if len(starts) == 1 else None
        return warranty_status(
            card.sale_date,
            months,
            events,
            on,
            return_days=catalogue.return_days,
            exchange_days=catalogue.exchange_days,
            cover_from=cover_from,
        )

    def _view(self, s: Session, card: WarrantyCard, on: dt.date) -> CardView:
        events = self._events(s, card)
        slip_no = s.scalar(
            select(Slip.slip_no)
            .join(SlipItem, SlipItem.slip_id == Slip.id)
            .where(SlipItem.id == card.slip_item_id)
        )
        return CardView(
            card.card_no,
            slip_no,
            card.brand,
            card.model,
            card.serial_kind,
            card.serial,
            card.sale_date,
            card.amount_fen,
            mask_name(card.customer_name),
            mask_phone(card.customer_phone),
            card.invoice_no,
            card.agreement_no,
            self._status(card, events, on),
            tuple(events),
            card.id,
            self._replaced_card_no(s, card),
        )

    @staticmethod
    def _replaced_card_no(s: Session, card: WarrantyCard) -> str | None:
        """The card whose ``exchanged`` event issued this one (same sale item)."""
        rows = s.execute(
            select(WarrantyCard.card_no, WarrantyEvent.detail)
            .join(WarrantyEvent, WarrantyEvent.card_id == WarrantyCard.id)
            .where(
                WarrantyCard.slip_item_id == card.slip_item_id,
                WarrantyCard.id != card.id,
                WarrantyEvent.event == "exchanged",
            )
        ).all()
        return next((no for no, detail in rows if detail.get("new_card_no") == card.card_no), None)

    def lookup(
        self, staff: StaffSession | None, key: str, *, on: dt.date | None = None
    ) -> list[CardView]:
        """Cards by IMEI / MEID / S/N, customer phone, card number or slip number."""
        key = "".join(key.split()).upper()
        on = on or self._today()
        with self._ws.db.reader() as s:
            slip_items = (
                select(SlipItem.id)
                .join(Slip, Slip.id == SlipItem.slip_id)
                .where(Slip.slip_no == key)
            )
            cards = s.scalars(
                select(WarrantyCard)
                .where(
                    or_(
                        WarrantyCard.serial == key,
                        WarrantyCard.customer_phone == key,
                        WarrantyCard.card_no == key,
                        WarrantyCard.slip_item_id.in_(slip_items),
                    )
                )
                .order_by(WarrantyCard.created_at)
            ).all()
            views = [self._view(s, card, on) for card in cards]
        with self._ws.db.unit_of_work() as uow:
            audit.record(
                uow.session,
                actor_id=staff.staff_id if staff else None,
                action="warranty.lookup",
                object_type="warranty_card",
                detail={"hits": len(views), "key_len": len(key)},
            )
            uow.commit()
        return views

    def cards_of_slip(self, slip_id: uuid.UUID) -> list[uuid.UUID]:
        """The cards issued on a settled slip, so the counter can print them with it."""
        with self._ws.db.reader() as s:
            return list(
                s.scalars(
                    select(WarrantyCard.id)
                    .join(SlipItem, SlipItem.id == WarrantyCard.slip_item_id)
                    .where(SlipItem.slip_id == slip_id)
                    .order_by(WarrantyCard.created_at, WarrantyCard.card_no)
                )
            )

    def _card(self, s: Session, card_no: str) -> WarrantyCard:
        card = s.scalar(select(WarrantyCard).where(WarrantyCard.card_no == card_no))
        if card is None:
            raise LookupError(f"warranty card {card_no} not found")
        return card

    def record_event(
        self,
        staff: StaffSession,
        card_no: str,
        event: str,
        *,
        on: dt.date | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> CardView:
        """Repair hand-in / hand-back (``fixed``: bool), loan phone out / back."""
        if event not in ("repair_in", "repair_out", "loan_out", "loan_back"):
            raise ValueError(f"use return_device / exchange_device for {event!r}")
        on = on or self._today()
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            card = self._card(s, card_no)
            status = self._status(card, self._events(s, card), on)
            problems = event_problems(
                status, event, self._ws.catalogue.return_days, self._ws.catalogue.exchange_days
            )
            if problems:
                raise RuleViolation(problems)
            self._add_event(s, card, event, on, dict(detail or {}), staff)
            uow.commit()
        return self.lookup(staff, card_no, on=on)[0]

    def _add_event(
        self,
        s: Session,
        card: WarrantyCard,
        event: str,
        on: dt.date,
        detail: dict[str, Any],
        staff: StaffSession,
    ) -> None:
        s.add(
            WarrantyEvent(
                card_id=card.id,
                event=event,
                occurred_on=on,
                detail=detail,
                staff_id=staff.staff_id,
                created_at=self._ws.clock.now(),
            )
        )
        audit.record(
            s,
            actor_id=staff.staff_id,
            action=f"warranty.{event}",
            object_type="warranty_card",
            object_id=card.id,
            detail={"card_no": card.card_no},
        )

    def return_device(
        self,
        staff: StaffSession,
        card_no: str,
        approval: Approval,
        *,
        method: str = "cash",
        reference: str | None = None,
    ) -> str:
        """退货 within the return window: refund the sale item and free the serial.

        Returns the refund slip number. Both happen in one transaction.
        """
        from .corrections import CorrectionService

        on = self._today()
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            card = self._card(s, card_no)
            status = self._status(card, self._events(s, card), on)
            problems = event_problems(
                status, "returned", self._ws.catalogue.return_days, self._ws.catalogue.exchange_days
            )
            if problems:
                raise RuleViolation(problems)
            slip_no = s.scalar(
                select(Slip.slip_no)
                .join(SlipItem, SlipItem.slip_id == Slip.id)
                .where(SlipItem.id == card.slip_item_id)
            )
            result = CorrectionService(self._ws).refund_in(
                s,
                staff,
                str(slip_no),
                [card.slip_item_id],
                approval,
                method=method,
                reference=reference,
                warranty_return=True,
            )
            self._add_event(
                s,
                card,
                "returned",
                on,
                {"refund_slip_no": result.slip_no, "reason": approval.reason},
                staff,
            )
            uow.commit()
        return result.slip_no

    def exchange_device(
        self,
        staff: StaffSession,
        card_no: str,
        new_serial: str,
        approval: Approval,
    ) -> str:
        """换货: the same sale, a new device; the old card closes, a new card is issued."""
        on = self._today()
        serial = check_device_serial(new_serial, "device_serial").unwrap()
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            card = self._card(s, card_no)
            status = self._status(card, self._events(s, card), on)
            problems = event_problems(
                status,
                "exchanged",
                self._ws.catalogue.return_days,
                self._ws.catalogue.exchange_days,
            )
            sold = unreturned_card(s, serial.value)
            if serial.value == card.serial:
                problems.append(error("warranty.same_serial", "device_serial", serial=card.serial))
            elif sold is not None:
                problems.append(
                    error(
                        "warranty.serial_sold",
                        "device_serial",
                        serial=serial.value,
                        sold_on=sold.sale_date.isoformat(),
                        card_no=sold.card_no,
                    )
                )
            if problems:
                raise RuleViolation(problems)
            now = self._ws.clock.now()
            consume(s, approval, action="warranty_exchange", now=now, subject=card_no)
            new_no, _ = take_number(
                s,
                "warranty",
                card.branch_code,
                self._ws.identity.workstation_code,
                business_date(now),
            )
            self._add_event(
                s,
                card,
                "exchanged",
                on,
                {
                    "new_card_no": new_no,
                    "new_serial": serial.value,
                    "approved_by": str(approval.manager_id),
                    "reason": approval.reason,
                },
                staff,
            )
            s.add(
                WarrantyCard(
                    card_no=new_no,
                    slip_item_id=card.slip_item_id,
                    customer_id=card.customer_id,
                    customer_name=card.customer_name,
                    customer_phone=card.customer_phone,
                    customer_address=card.customer_address,
                    brand=card.brand,
                    model=card.model,
                    serial_kind=serial.kind,
                    serial=serial.value,
                    accessory_serials=dict(card.accessory_serials),
                    access_label_code=card.access_label_code,
                    invoice_no=card.invoice_no,
                    agreement_no=card.agreement_no,
                    sale_date=card.sale_date,
                    amount_fen=card.amount_fen,
                    periods=periods_for(
                        self._ws.catalogue,
                        {part: int(p["months"]) for part, p in card.periods.items()},
                        on,
                    ),
                    branch_code=card.branch_code,
                    clerk_id=staff.staff_id,
                    created_at=now,
                )
            )
            uow.commit()
        return new_no
