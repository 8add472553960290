"""The counter's call panel (叫号): call next, recall, no-show, transfer, and the SLA clocks.

Replaces the typed-in ticket of :mod:`.queue_strip` once a queue exists: the clerk
presses 叫号 (F1) and the backend picks the next ticket by the branch rule (VIP tiers
first, nobody starved); 重呼 (F3) announces it again, 过号 (F4) skips a customer who
did not come, 转移 (F6) sends them to another counter, 开始办理 (Enter) starts the
visit. The panel keeps the counter's state in a
:class:`~frontdesk.services.queue.CounterDesk` and shows two clocks against the SLA:
waiting (issued → called, against the tier's 15 / 10 / 5 minutes) and handling
(called → now, against the businesses' minutes, 10 by default).

Wiring in the counter window (no visit code lives here):

- ``start_requested(Ticket | None)`` — the same signal as the strip's: a
  :class:`~frontdesk.gui.queue_strip.Ticket` (number, tier, issue time) or ``None``
  for a walk-in; the window opens the visit as today, then calls
  :meth:`QueueCallPanel.visit_started` with the visit id;
- :meth:`QueueCallPanel.visit_ended` when the visit is settled or cancelled;
- :meth:`QueueCallPanel.set_handling_limit` when the slip's businesses change.

When the queue host can't be reached the panel says so politely and 散客接待 still works.
:class:`DeskTicketSource` adapts the desk to the window's existing ``TicketSource`` hook.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.clock import local_time
from ..core.queue import sla_state
from ..services.queue import RECALL_HINT
from .hall_view import SLA_COLOURS, mmss
from .operations import OperationRunner
from .qt import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget, Signal
from .queue_strip import Ticket
from .widgets import EnterButton, MessageLine, key_hint, shortcut

if TYPE_CHECKING:
    from ..core.catalogue import Catalogue
    from ..services.auth import StaffSession
    from ..services.queue import CounterDesk, TicketView


def as_strip_ticket(ticket: TicketView) -> Ticket:
    """The counter window's ticket (number, tier or None for standard, issue time)."""
    return Ticket(
        ticket.ticket_no,
        ticket.tier_or_none,
        ticket.issued_at,
        ticket.called_at,
        ticket.green_channel,
    )


class DeskTicketSource:
    """The desk as the counter window's ``TicketSource`` (its F1 hook calls this)."""

    def __init__(self, desk: CounterDesk) -> None:
        self.desk = desk

    def visit_started(self, visit_id: uuid.UUID) -> None:
        """The called ticket became this visit (the hall view shows it being served)."""
        if self.desk.ticket is not None:
            self.desk.ticket = self.desk.backend.start_serving(
                self.desk.ticket.ticket_id, self.desk.counter, visit_id
            )

    def visit_ended(self) -> None:
        """Settled, cancelled or suspended: the counter is free for the next ticket."""
        self.desk.finish()

    def call_next(self, staff: StaffSession) -> Ticket | None:
        ticket = self.desk.call_next()
        return as_strip_ticket(ticket) if ticket else None


class QueueCallPanel(QWidget):
    """One counter's queue controls; every backend call runs off the GUI thread."""

    start_requested = Signal(object)  # Ticket | None (walk-in)
    ticket_changed = Signal(object)  # TicketView | None

    def __init__(
        self,
        desk: CounterDesk,
        catalogue: Catalogue,
        now: Callable[[], dt.datetime],
        runner: OperationRunner | None = None,
        parent: QWidget | None = None,
        *,
        shortcuts: bool = True,
    ) -> None:
        """``shortcuts=False`` when the hosting window binds F1/F3/F4/F6/Ctrl+N itself
        (two bindings of one key would make Qt fire neither)."""
        super().__init__(parent)
        self.setObjectName("QueueCallPanel")
        self.desk = desk
        self._catalogue = catalogue
        self._now = now
        self.runner = runner or OperationRunner(self)
        self._handling_limit = catalogue.sla.handling_minutes_default
        self._serving_since: dt.datetime | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 2, 4, 2)
        row = QHBoxLayout()
        self.call_button = EnterButton(key_hint(self.tr("叫号"), "F1"))
        self.call_button.setObjectName("callNextButton")
        self.recall_button = EnterButton(key_hint(self.tr("重呼"), "F3"))
        self.recall_button.setObjectName("recallButton")
        self.no_show_button = EnterButton(key_hint(self.tr("过号"), "F4"))
        self.no_show_button.setObjectName("noShowButton")
        self.transfer_to = QLineEdit()
        self.transfer_to.setObjectName("transferTo")
        self.transfer_to.setPlaceholderText(self.tr("转至窗口 如W02"))
        self.transfer_to.setMaximumWidth(150)
        self.transfer_button = EnterButton(key_hint(self.tr("转移"), "F6"))
        self.transfer_button.setObjectName("transferButton")
        self.serve_button = EnterButton(self.tr("开始办理 (Enter)"))
        self.serve_button.setObjectName("serveButton")
        self.walk_in_button = EnterButton(key_hint(self.tr("散客接待"), "Ctrl+N"))
        self.walk_in_button.setObjectName("walkInButton")
        if shortcuts:
            for button, keys in (
                (self.call_button, "F1"),
                (self.recall_button, "F3"),
                (self.no_show_button, "F4"),
                (self.transfer_button, "F6"),
                (self.walk_in_button, "Ctrl+N"),
            ):
                shortcut(self, keys, lambda b=button: b.isEnabled() and b.click())
        for w in (
            self.call_button,
            self.recall_button,
            self.no_show_button,
            self.transfer_to,
            self.transfer_button,
            self.serve_button,
            self.walk_in_button,
        ):
            row.addWidget(w)
        row.addStretch(1)
        outer.addLayout(row)

        status = QHBoxLayout()
        self.ticket_label = QLabel()
        self.ticket_label.setObjectName("currentTicket")
        self.ticket_label.setStyleSheet("font-size: 18px; font-weight: bold;")
        status.addWidget(self.ticket_label, 1)
        self.waiting = QLabel()
        self.waiting.setObjectName("waitingClock")
        self.handling = QLabel()
        self.handling.setObjectName("handlingClock")
        status.addWidget(self.waiting)
        status.addWidget(self.handling)
        outer.addLayout(status)
        self.message = MessageLine()
        outer.addWidget(self.message)

        self.call_button.clicked.connect(self.call_next)
        self.recall_button.clicked.connect(self.recall)
        self.no_show_button.clicked.connect(self.no_show)
        self.transfer_button.clicked.connect(self.transfer)
        self.transfer_to.returnPressed.connect(self.transfer)
        self.serve_button.clicked.connect(self.serve)
        self.walk_in_button.clicked.connect(self.walk_in)
        self._tick = self.startTimer(1000)
        self._show(None)
        self.runner.run(desk.resume, self._resumed, self._failed)

    # -- state ----------------------------------------------------------------------
    @property
    def ticket(self) -> TicketView | None:
        return self.desk.ticket

    def _resumed(self, ticket: TicketView | None) -> None:
        if ticket is not None and ticket.status == "serving":
            self._serving_since = ticket.called_at
        self._show(ticket)

    def _show(self, ticket: TicketView | None) -> None:
        serving = ticket is not None and ticket.status == "serving"
        called = ticket is not None and ticket.status == "called"
        self.call_button.setEnabled(ticket is None)
        self.walk_in_button.setEnabled(ticket is None)
        self.recall_button.setEnabled(called)
        self.no_show_button.setEnabled(called)
        self.serve_button.setEnabled(called)
        self.transfer_button.setEnabled(ticket is not None)
        self.transfer_to.setEnabled(ticket is not None)
        if ticket is None:
            self.ticket_label.setText(self.tr("窗口空闲：按 F1 叫下一位，或 Ctrl+N 接待散客"))
        else:
            tier = (
                self._catalogue.tier(ticket.tier).name_zh
                if ticket.tier != "standard"
                else self.tr("普通客户")
            )
            state = self.tr("办理中") if serving else self.tr("已叫号，请客户到本窗口")
            recalls = (
                self.tr("（已重呼 {n} 次）").format(n=ticket.recalls) if ticket.recalls else ""
            )
            self.ticket_label.setText(
                f"{ticket.ticket_no}　{tier}　{local_time(ticket.issued_at):%H:%M} "
                + self.tr("取号")
                + f"　{state}{recalls}"
            )
        self.update_clocks()
        self.ticket_changed.emit(ticket)

    def set_handling_limit(self, minutes: int) -> None:
        self._handling_limit = minutes
        self.update_clocks()

    def timerEvent(self, event: object) -> None:
        self.update_clocks()

    def _paint(self, label: QLabel, caption: str, seconds: float | None, limit_s: int) -> None:
        if seconds is None:
            label.setText(f"{caption} --:--")
            state = "idle"
        else:
            label.setText(f"{caption} {mmss(seconds)} / {mmss(limit_s)}")
            state = sla_state(seconds, limit_s)
        label.setProperty("sla", state)
        label.setStyleSheet(f"color: {SLA_COLOURS[state]}; font-weight: bold;")

    def update_clocks(self) -> None:
        ticket = self.ticket
        now = self._now()
        waited = ticket.waited_seconds(now) if ticket else None
        handled = (now - ticket.called_at).total_seconds() if ticket and ticket.called_at else None
        limit = ticket.waiting_limit_seconds if ticket else 0
        self._paint(self.waiting, self.tr("等候"), waited, limit)
        self._paint(self.handling, self.tr("办理"), handled, self._handling_limit * 60)

    # -- actions --------------------------------------------------------------------
    def _run(self, fn: Callable[[], object], after: Callable[[object], None]) -> None:
        self.message.clear_message()
        self.runner.run(fn, after, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.message.show_exception(exc)
        self._show(self.ticket)

    def call_next(self) -> None:
        self._run(self.desk.call_next, self._called)

    def _called(self, ticket: object) -> None:
        if ticket is None:
            self.message.show_message(self.tr("目前没有客户等候。"), "info")
        self._show(self.ticket)
        if ticket is not None:
            self.serve_button.setFocus()

    def recall(self) -> None:
        self._run(self.desk.recall, self._recalled)

    def _recalled(self, ticket: object) -> None:
        self._show(self.ticket)
        if self.ticket is not None and self.ticket.recalls >= RECALL_HINT:
            self.message.show_message(
                self.tr("已重呼 {n} 次。客户仍未到窗口时，可按 F4 过号。").format(
                    n=self.ticket.recalls
                ),
                "warning",
            )

    def no_show(self) -> None:
        self._run(self.desk.no_show, self._done_with("过号"))

    def transfer(self) -> None:
        target = self.transfer_to.text().strip().upper()
        self._run(lambda: self.desk.transfer(target), self._done_with("转移"))

    def _done_with(self, what: str) -> Callable[[object], None]:
        def after(ticket: object) -> None:
            self.transfer_to.clear()
            number = getattr(ticket, "ticket_no", "")
            self.message.show_ok(self.tr("{ticket} 已{what}。").format(ticket=number, what=what))
            self._serving_since = None
            self._show(None)
            self.call_button.setFocus()

        return after

    def serve(self) -> None:
        """The customer is here: the window opens the visit for this ticket."""
        if self.ticket is not None and self.ticket.status == "called":
            self.start_requested.emit(as_strip_ticket(self.ticket))

    def walk_in(self) -> None:
        self.start_requested.emit(None)

    def visit_started(self, visit_id: uuid.UUID) -> None:
        """The window opened the visit: tie the ticket to it (no-op for a walk-in)."""
        ticket = self.ticket
        if ticket is None or ticket.status != "called":
            return
        self._run(
            lambda: self._start(ticket.ticket_id, visit_id),
            lambda _t: self._show(self.ticket),
        )

    def _start(self, ticket_id: uuid.UUID, visit_id: uuid.UUID) -> TicketView:
        started = self.desk.backend.start_serving(ticket_id, self.desk.counter, visit_id)
        self.desk.ticket = started
        return started

    def start_visit(self, intake: object, staff: StaffSession) -> None:
        """For windows that let the panel open the visit itself (reception-less set-ups)."""
        self._run(lambda: self.desk.start_visit(intake, staff), lambda _v: self._show(self.ticket))

    def visit_ended(self) -> None:
        """The visit was settled or cancelled: the ticket is done, the counter idle."""
        self._run(self.desk.finish, self._finished)

    def _finished(self, ticket: object) -> None:
        self._show(None)
        self.call_button.setFocus()
