"""The reception screen (导办台取号): issue tickets per service line, VIP tier at a glance.

The greeter at the door asks what the customer needs, checks a VIP card if shown, and
presses the line's button (or its number key): the ticket number appears large with how
many are ahead, so it can be read out or written down when no kiosk printer is fitted.
The screen also shows the hall's waiting picture so the greeter can steer customers
(e.g. to the self-service machines when the general line is long).

F2 marks the next ticket for the 特殊群体绿色通道 (elderly, disabled, pregnant): the
calling rule then serves it first (``core.queue``).

It talks only to a :class:`~frontdesk.services.queue.QueueBackend` — the host's own
queue or the LAN host — and refreshes off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.clock import local_time
from ..core.queue import GREEN_GROUPS
from .hall_view import REFRESH_MS, RowsModel, line_rows, table
from .i18n import current_language
from .operations import OperationRunner
from .qt import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import MessageLine, shortcut

if TYPE_CHECKING:
    from ..core.catalogue import Catalogue
    from ..services.queue import HallSnapshot, QueueBackend, ServiceLine, TicketView


class ReceptionScreen(QWidget):
    """Emits ``issued(TicketView)`` after each ticket."""

    issued = Signal(object)

    def __init__(
        self,
        backend: QueueBackend,
        catalogue: Catalogue,
        now: Callable[[], dt.datetime],
        runner: OperationRunner | None = None,
        parent: QWidget | None = None,
        *,
        auto_refresh: bool = True,
        desk: str = "RECEPTION",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ReceptionScreen")
        self.setWindowTitle(self.tr("导办台取号"))
        self._backend = backend
        self._desk = desk  # who puts a missed ticket back in line (queue events name it)
        self._catalogue = catalogue
        self._now = now
        self.runner = runner or OperationRunner(self)
        self.last_ticket: TicketView | None = None
        self.hall: HallSnapshot | None = None
        self.line_buttons: dict[str, QPushButton] = {}

        layout = QVBoxLayout(self)
        tier_row = QHBoxLayout()
        tier_row.addWidget(QLabel(self.tr("客户级别（查看VIP卡）")))
        self.tier = QComboBox()
        self.tier.setObjectName("tierCombo")
        for t in sorted(catalogue.tiers, key=lambda t: t.rank):
            self.tier.addItem(
                self.tr("{tier}（{m} 分钟内）").format(
                    tier=t.name_zh if current_language() == "zh" else t.name_en,
                    m=t.waiting_minutes,
                ),
                t.code,
            )
        tier_row.addWidget(self.tier, 1)
        tier_row.addWidget(QLabel(self.tr("特殊群体绿色通道 (F2)")))
        self.green = QComboBox()
        self.green.setObjectName("greenCombo")
        self.green.addItem(self.tr("否"), None)
        zh = current_language() == "zh"
        for code, (name_zh, name_en) in GREEN_GROUPS.items():
            self.green.addItem(name_zh if zh else name_en, code)
        tier_row.addWidget(self.green)
        layout.addLayout(tier_row)

        self.buttons_box = QGroupBox(self.tr("选择业务类别取号（数字键 1-9）"))
        self.buttons = QGridLayout(self.buttons_box)
        layout.addWidget(self.buttons_box)

        self.ticket_label = QLabel("—")
        self.ticket_label.setObjectName("ticketNumber")
        self.ticket_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_label.setStyleSheet("font-size: 56px; font-weight: bold; color: #0b57d0;")
        layout.addWidget(self.ticket_label)
        self.ticket_info = QLabel()
        self.ticket_info.setObjectName("ticketInfo")
        self.ticket_info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_info.setStyleSheet("font-size: 16px;")
        layout.addWidget(self.ticket_info)
        self.message = MessageLine()
        layout.addWidget(self.message)

        requeue_row = QHBoxLayout()
        requeue_row.addWidget(QLabel(self.tr("过号重排 (F8)：客户号票")))
        self.requeue_input = QLineEdit()
        self.requeue_input.setObjectName("requeueInput")
        self.requeue_input.setPlaceholderText(self.tr("如 A023，回车重新排队"))
        self.requeue_input.setMaxLength(16)
        self.requeue_input.returnPressed.connect(self.requeue)
        requeue_row.addWidget(self.requeue_input, 1)
        self.requeue_button = QPushButton(self.tr("重新排队"))
        self.requeue_button.setObjectName("requeueButton")
        self.requeue_button.clicked.connect(self.requeue)
        requeue_row.addWidget(self.requeue_button)
        layout.addLayout(requeue_row)

        self.lines_model = RowsModel(
            [
                self.tr("业务类别"),
                self.tr("等候人数"),
                self.tr("最久等候"),
                self.tr("临近"),
                self.tr("超时"),
            ]
        )
        box = QGroupBox(self.tr("大厅等候"))
        inner = QVBoxLayout(box)
        inner.addWidget(table(self.lines_model, "receptionLines"))
        layout.addWidget(box, 1)

        for key in range(1, 10):
            shortcut(self, str(key), lambda k=key: self._press(k))
        shortcut(self, "F8", self.focus_requeue)
        shortcut(self, "F2", self.next_green_group)
        shortcut(self, "Esc", self.close)  # as every counter window: Esc closes it
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        if auto_refresh:
            self._timer.start()
        self.load_lines()

    # -- set-up ---------------------------------------------------------------------
    def load_lines(self) -> None:
        """Ask the backend for its lines (the host decides which lines exist)."""
        self.runner.run(self._backend.service_lines, self._show_lines, self._failed)

    def _show_lines(self, lines: tuple[ServiceLine, ...]) -> None:
        for button in self.line_buttons.values():
            button.deleteLater()
        self.line_buttons.clear()
        for i, line in enumerate(lines):
            name = line.name_zh if current_language() == "zh" else line.name_en
            caption = f"{i + 1}  {line.code}  {name}"
            if line.vip_only:
                caption += self.tr("（VIP）")
            button = QPushButton(caption)
            button.setObjectName(f"line_{line.code}")
            button.setMinimumHeight(56)
            button.setStyleSheet("font-size: 20px;")
            button.clicked.connect(lambda _checked=False, code=line.code: self.issue(code))
            self.buttons.addWidget(button, i // 3, i % 3)
            self.line_buttons[line.code] = button
        self.refresh()

    def _press(self, key: int) -> None:
        codes = list(self.line_buttons)
        if key <= len(codes):
            self.issue(codes[key - 1])

    # -- actions --------------------------------------------------------------------
    def next_green_group(self) -> None:
        """F2: 否 → 老年人 → 残障人士 → 孕妇 → 否 (the mark for the next ticket)."""
        self.green.setCurrentIndex((self.green.currentIndex() + 1) % self.green.count())

    def issue(self, line: str) -> None:
        tier = self.tier.currentData() or "standard"
        green = self.green.currentData()
        self.runner.run(
            lambda: self._backend.issue(line, tier, green_channel=green),
            self._issued,
            self._failed,
        )

    def _issued(self, ticket: TicketView) -> None:
        self.last_ticket = ticket
        self.message.clear_message()
        self.ticket_label.setText(ticket.ticket_no)
        tier = self._catalogue.tier(ticket.tier) if ticket.tier != "standard" else None
        self.ticket_info.setText(
            self.tr("{time} 取号　{tier}等候时限 {limit} 分钟　请留意叫号").format(
                time=local_time(ticket.issued_at).strftime("%H:%M"),
                tier=(f"{tier.name_zh}　" if current_language() == "zh" else f"{tier.name_en}, ")
                if tier
                else "",
                limit=ticket.waiting_limit_seconds // 60,
            )
        )
        if ticket.green_channel:
            zh, en = GREEN_GROUPS.get(ticket.green_channel, (ticket.green_channel,) * 2)
            self.ticket_info.setText(
                self.ticket_info.text()
                + self.tr("　绿色通道（{group}）优先叫号").format(
                    group=zh if current_language() == "zh" else en
                )
            )
        self.tier.setCurrentIndex(0)  # the next customer starts as standard
        self.green.setCurrentIndex(0)
        self.issued.emit(ticket)
        self.refresh()

    def focus_requeue(self) -> None:
        self.requeue_input.setFocus()
        self.requeue_input.selectAll()

    def requeue(self) -> None:
        """过号重排: the customer who missed the call shows the ticket; back in line."""
        number = self.requeue_input.text().strip()
        if not number:
            self.focus_requeue()
            return
        self.runner.run(
            lambda: self._backend.requeue(number, self._desk), self._requeued, self._failed
        )

    def _requeued(self, ticket: TicketView) -> None:
        self.last_ticket = ticket
        self.message.clear_message()
        self.requeue_input.clear()
        self.ticket_label.setText(ticket.ticket_no)
        self.ticket_info.setText(self.tr("过号重新排队　请留意叫号"))
        self.setFocus()  # number keys issue tickets again
        self.refresh()

    def refresh(self) -> None:
        self.runner.run(self._backend.hall_snapshot, self._show_hall, self._failed)

    def _show_hall(self, hall: HallSnapshot) -> None:
        self.hall = hall
        self.lines_model.set_rows(line_rows(hall))
        if self.last_ticket is not None:
            ahead = self._ahead(hall, self.last_ticket)
            if ahead is not None:
                base = self.ticket_info.text().split("　前面")[0]
                self.ticket_info.setText(base + self.tr("　前面还有 {n} 位").format(n=ahead))

    @staticmethod
    def _ahead(hall: HallSnapshot, ticket: TicketView) -> int | None:
        ids = [t.ticket_id for t in hall.waiting]
        return ids.index(ticket.ticket_id) if ticket.ticket_id in ids else None

    def _failed(self, exc: BaseException) -> None:
        self.message.show_exception(exc)
