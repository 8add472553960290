"""The visit history (接待记录): the settled slips of a day, or found by number or phone.

The clerk finds a visit's documents here to preview, print or 补打 them
(:class:`~frontdesk.services.documents.DocumentService` does the archiving and the
audit). One search box takes a slip number (or part of it), a phone number served on
the slip, or a business date (YYYY-MM-DD); empty means today.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from ..core.clock import business_date, local_time
from ..core.messages import RuleViolation, define, define_field, error
from ..store.models import ArchivedDocument, Receipt, Slip, SlipItem, WarrantyCard
from .workstation import Workstation

define_field("history.query", zh="受理单号 / 手机号 / 日期", en="slip no. / phone / date")
define(
    "history.bad_query",
    zh="{field}无法识别：请输入受理单号（至少 4 位）、11 位手机号或日期（如 2026-11-21）。",
    en="{field} not understood: type a slip number (at least 4 characters), an 11-digit "
    "phone number or a date such as 2026-11-21.",
)
define(
    "history.future_date",
    zh="{field}：{day} 还未到，请输入今天或以前的日期。",
    en="{field}: {day} is still to come; type today or an earlier date.",
)

PHONE = re.compile(r"^1\d{10}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLIP_PART = re.compile(r"^[A-Z0-9-]{4,40}$")
LIMIT = 500


@dataclass(frozen=True)
class HistoryRow:
    slip_id: uuid.UUID
    visit_id: uuid.UUID | None
    slip_no: str
    kind: str  # sale | void | refund
    settled_at: dt.datetime
    customer_name: str | None
    numbers: tuple[str, ...]
    businesses: tuple[str, ...]
    total_fen: int
    documents: int
    unprinted: int  # archived documents never printed (or whose last print failed)


class VisitHistoryService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    def today(self) -> dt.date:
        return business_date(self._ws.clock.now())

    def search(self, query: str = "") -> list[HistoryRow]:
        """Slips of this workstation matching ``query`` (see the module doc), newest first."""
        text = query.strip().upper()
        stmt = select(Slip).where(Slip.workstation_code == self._ws.identity.workstation_code)
        if not text:
            stmt = stmt.where(Slip.business_date == self.today())
        elif DATE.match(text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise RuleViolation([error("history.bad_query", "history.query")]) from None
            if day > self.today():
                raise RuleViolation(
                    [error("history.future_date", "history.query", day=day.isoformat())]
                )
            stmt = stmt.where(Slip.business_date == day)
        elif PHONE.match(text):
            served = select(SlipItem.slip_id).where(SlipItem.service_number == text)
            stmt = stmt.where(Slip.id.in_(served))
        elif SLIP_PART.match(text):
            stmt = stmt.where(Slip.slip_no.contains(text, autoescape=True))
        else:
            raise RuleViolation([error("history.bad_query", "history.query")])
        with self._ws.db.reader() as s:
            slips = list(s.scalars(stmt.order_by(Slip.settled_at.desc()).limit(LIMIT)))
            ids = [slip.id for slip in slips]
            items: dict[uuid.UUID, list[SlipItem]] = {i: [] for i in ids}
            for item in s.scalars(select(SlipItem).where(SlipItem.slip_id.in_(ids))):
                items[item.slip_id].append(item)
            receipts = dict(
                s.execute(select(Receipt.id, Receipt.slip_id).where(Receipt.slip_id.in_(ids))).all()
            )
            cards = dict(
                s.execute(
                    select(WarrantyCard.id, SlipItem.slip_id)
                    .join(SlipItem, SlipItem.id == WarrantyCard.slip_item_id)
                    .where(SlipItem.slip_id.in_(ids))
                ).all()
            )
            owners = {i: i for i in ids} | receipts | cards
            counts: dict[uuid.UUID, list[int]] = {i: [0, 0] for i in ids}
            unprinted = or_(
                ArchivedDocument.print_count == 0, ArchivedDocument.last_print_error.is_not(None)
            )
            doc_stmt = (
                select(
                    ArchivedDocument.object_id,
                    func.count(),
                    func.sum(case((unprinted, 1), else_=0)),
                )
                .where(
                    ArchivedDocument.object_id.in_(list(owners)),
                    ArchivedDocument.variant.not_like("%-r%"),
                )
                .group_by(ArchivedDocument.object_id)
            )
            for object_id, n, open_ in s.execute(doc_stmt):
                counts[owners[object_id]][0] += int(n)
                counts[owners[object_id]][1] += int(open_ or 0)
            return [
                HistoryRow(
                    slip_id=slip.id,
                    visit_id=slip.visit_id,
                    slip_no=slip.slip_no,
                    kind=slip.kind,
                    settled_at=local_time(slip.settled_at),
                    customer_name=slip.customer_name,
                    numbers=tuple(
                        dict.fromkeys(i.service_number for i in items[slip.id] if i.service_number)
                    ),
                    businesses=tuple(i.business_name for i in items[slip.id]),
                    total_fen=slip.total_fen,
                    documents=counts[slip.id][0],
                    unprinted=counts[slip.id][1],
                )
                for slip in slips
            ]
