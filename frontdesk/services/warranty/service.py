"""After-sales (售后三包): look a card up, record repairs and loan phones, take a device
back (return) or exchange it; each event is one unit of work."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...core.clock import business_date
from ...core.ids import mask_name, mask_phone
from ...core.messages import RuleViolation, error
from ...core.serials import check_device_serial
from ...core.warranty import (
    WarrantyEventFact,
    WarrantyStatus,
    event_problems,
    warranty_status,
)
from ...store import audit
from ...store.models import Slip, SlipItem, WarrantyCard, WarrantyEvent
from ...store.numbering import take_number
from ..auth import Approval, StaffSession, consume
from ..warranty_cards import (
    periods_for,
    unreturned_card,
)
from ..workstation import Workstation


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
        from ..corrections import CorrectionService

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
