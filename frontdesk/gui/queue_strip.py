"""The queue strip: start a visit from a called ticket or a walk-in; the SLA clocks.

The queue/ticket service comes later (SPEC §8). Until then the clerk types the ticket
number, tier and issue time printed on the customer's ticket; a
:class:`TicketSource` plugged into :class:`~frontdesk.gui.context.CounterServices`
later makes "叫号" call the next ticket itself (VIP tiers first) with no change here.

The strip shows the waiting time (ticket issued → called) against the tier's waiting
limit and the handling time (called → now) against the SLA minutes of the businesses
on the slip; the colour turns amber at 80 % of a limit and red past it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..core.clock import local_time, wall_clock_to_utc
from .i18n import current_language
from .qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTime,
    QTimer,
    QWidget,
    Signal,
)
from .widgets import EnterButton, key_hint

if TYPE_CHECKING:
    from ..core.catalogue import Catalogue
    from ..services.auth import StaffSession

NEAR_LIMIT = 0.8
SLA_COLOURS = {"ok": "#1b6e20", "near": "#b26a00", "over": "#b3261e", "idle": "#555555"}


@dataclass(frozen=True)
class Ticket:
    """A queue ticket as printed: number, customer tier (None = standard), issue time."""

    number: str
    tier: str | None = None
    issued_at: dt.datetime | None = None
    called_at: dt.datetime | None = None  # set when the queue called it
    green_channel: str | None = None  # 绿色通道 group reception marked it with


class TicketSource(Protocol):
    """What a queue service offers the strip (SPEC §8); VIP tiers come first."""

    def call_next(self, staff: StaffSession) -> Ticket | None:
        """The next ticket for this counter, or ``None`` when nobody is waiting."""
        ...


def sla_state(elapsed_s: float, limit_min: int) -> str:
    if limit_min <= 0:
        return "idle"
    share = elapsed_s / (limit_min * 60)
    return "over" if share > 1 else ("near" if share >= NEAR_LIMIT else "ok")


def mmss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class QueueStrip(QWidget):
    """Emits ``start_requested(Ticket | None)``: a ticket, or ``None`` for a walk-in."""

    start_requested = Signal(object)
    call_requested = Signal()

    def __init__(
        self,
        catalogue: Catalogue,
        now: Callable[[], dt.datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("QueueStrip")
        self._now = now
        self._catalogue = catalogue
        self._issued_at: dt.datetime | None = None
        self._called_at: dt.datetime | None = None
        self._waiting_limit = 0
        self._handling_limit = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self.call_button = EnterButton(key_hint(self.tr("叫号"), "F1"))
        self.call_button.setObjectName("callButton")
        row.addWidget(self.call_button)
        row.addWidget(QLabel(self.tr("票号")))
        self.ticket_no = QLineEdit()
        self.ticket_no.setObjectName("ticketNo")
        self.ticket_no.setPlaceholderText(self.tr("如 A023"))
        self.ticket_no.setMaximumWidth(90)
        row.addWidget(self.ticket_no)
        self.tier = QComboBox()
        self.tier.setObjectName("ticketTier")
        for t in sorted(catalogue.tiers, key=lambda t: t.rank):
            self.tier.addItem(t.name_zh if current_language() == "zh" else t.name_en, t.code)
        row.addWidget(self.tier)
        row.addWidget(QLabel(self.tr("取号时间")))
        self.issued = QLineEdit()
        self.issued.setObjectName("ticketIssued")
        self.issued.setInputMask("99:99")
        self.issued.setMaximumWidth(60)
        row.addWidget(self.issued)
        self.take_button = EnterButton(self.tr("接待 (Enter)"))
        self.take_button.setObjectName("takeTicketButton")
        row.addWidget(self.take_button)
        self.walk_in_button = EnterButton(key_hint(self.tr("散客接待"), "Ctrl+N"))
        self.walk_in_button.setObjectName("walkInButton")
        row.addWidget(self.walk_in_button)
        self.serving = QLabel()
        self.serving.setObjectName("servingTicket")
        self.serving.setStyleSheet("font-weight: bold; color: #0b4f8a;")
        row.addWidget(self.serving)
        row.addStretch(1)
        self.waiting = QLabel()
        self.waiting.setObjectName("waitingClock")
        self.handling = QLabel()
        self.handling.setObjectName("handlingClock")
        row.addWidget(self.waiting)
        row.addWidget(self.handling)
        self.call_button.clicked.connect(self.call_requested.emit)
        self.take_button.clicked.connect(self._take_ticket)
        self.ticket_no.returnPressed.connect(self._take_ticket)
        self.issued.returnPressed.connect(self._take_ticket)
        self.walk_in_button.clicked.connect(lambda: self.start_requested.emit(None))
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.update_clocks)
        self._tick.start()
        self.update_clocks()

    # -- ticket entry ---------------------------------------------------------------
    def focus_ticket(self) -> None:
        """F1 without a queue service: the clerk types the number on the ticket."""
        now = local_time(self._now())  # the branch's wall clock, as on the ticket
        self.issued.setText(QTime(now.hour, now.minute).toString("HH:mm"))
        self.ticket_no.setFocus()
        self.ticket_no.selectAll()

    def _take_ticket(self) -> None:
        number = self.ticket_no.text().strip().upper()
        if not number:
            self.start_requested.emit(None)
            return
        issued = None
        text = self.issued.text()
        time = QTime.fromString(text, "HH:mm")
        if time.isValid():  # typed in branch time, stored in UTC
            issued = wall_clock_to_utc(self._now(), time.hour(), time.minute())
        tier = self.tier.currentData()
        self.start_requested.emit(Ticket(number, None if tier == "standard" else tier, issued))

    def show_serving(self, ticket_no: str | None, tier_name: str = "") -> None:
        """The number of the ticket being served (called or typed), shown while it lasts."""
        if not ticket_no:
            self.serving.clear()
            return
        text = self.tr("正在接待 {ticket}").format(ticket=ticket_no)
        self.serving.setText(f"{text}（{tier_name}）" if tier_name else text)

    def clear_ticket(self) -> None:
        self.ticket_no.clear()
        self.issued.clear()
        self.tier.setCurrentIndex(0)

    def set_entry_enabled(self, enabled: bool) -> None:
        for w in (
            self.call_button,
            self.ticket_no,
            self.tier,
            self.issued,
            self.take_button,
            self.walk_in_button,
        ):
            w.setEnabled(enabled)

    # -- clocks ---------------------------------------------------------------------
    def set_visit(
        self,
        issued_at: dt.datetime | None,
        called_at: dt.datetime | None,
        waiting_limit_min: int,
        handling_limit_min: int,
    ) -> None:
        self._issued_at = issued_at
        self._called_at = called_at
        self._waiting_limit = waiting_limit_min
        self._handling_limit = handling_limit_min
        self.update_clocks()

    def _paint(self, label: QLabel, caption: str, seconds: float | None, limit: int) -> None:
        if seconds is None:
            label.setText(f"{caption} --:--")
            state = "idle"
        else:
            label.setText(f"{caption} {mmss(seconds)} / {limit:02d}:00")
            state = sla_state(seconds, limit)
        label.setProperty("sla", state)
        label.setStyleSheet(f"color: {SLA_COLOURS[state]}; font-weight: bold;")

    def update_clocks(self) -> None:
        now = self._now()
        waited = (
            (self._called_at - self._issued_at).total_seconds()
            if self._issued_at and self._called_at
            else None
        )
        handled = (now - self._called_at).total_seconds() if self._called_at else None
        self._paint(self.waiting, self.tr("等候"), waited, self._waiting_limit)
        self._paint(self.handling, self.tr("办理"), handled, self._handling_limit)
