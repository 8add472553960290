"""The customer's ID card is read when it is laid on the reader (issue 19 #12).

Counter software polls the reader's find-card call; so does the window. While a visit is
open and still waits for its customer's card, :class:`CardPoller` asks the reader every
half second — on the window's operations runner, so on a worker thread — with no wait
(``read(timeout_s=0)``: one find-card call). A card found is handled exactly as F2
handles it (:meth:`VerificationPanel.start_read`: the same capture, checks and audit).

No poll while there is no visit, the window is locked, a dialog is modal, another
operation runs, the party chosen is not the customer, or anybody has been read in the
visit (agents, guardians and new owners keep their explicit F2). "No card" and "card
not lifted since its last read" are silent (the simulator's and real readers' rule that
a card is lifted between two reads stands); an unavailable reader is said once per visit
and ends the polling of that visit; any other failure is said once per visit.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol

from ..devices.id_reader import DeviceUnavailableError, NoCardError, ReaderError
from .errors import message_text
from .qt import QApplication, QObject, QTimer

if TYPE_CHECKING:
    from ..services.intake import VisitView
    from .context import CounterServices
    from .operations import OperationRunner
    from .verification_panel import VerificationPanel


class CounterWindow(Protocol):
    """What the poll reads of the counter window (described, not imported: no cycle)."""

    visit_id: uuid.UUID | None
    view: VisitView | None
    covered: bool
    runner: OperationRunner
    services: CounterServices
    verification: VerificationPanel

    def isVisible(self) -> bool: ...


POLL_INTERVAL_MS = 500


class CardPoller(QObject):
    """Polls the reader for the window's customer; :meth:`poll` is one tick."""

    def __init__(self, window: CounterWindow) -> None:
        super().__init__(window)  # type: ignore[arg-type]  # the window is a QObject
        self._window = window
        self._in_flight = False
        self._read_wanted = False  # F2 pressed while a poll ran: read when it ends
        self._stopped: uuid.UUID | None = None  # the visit whose polling has ended
        self._said: set[tuple[uuid.UUID, str]] = set()  # (visit, message) said once
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()  # ticks only once the event loop runs

    @property
    def in_flight(self) -> bool:
        return self._in_flight

    def wanted(self) -> None:
        """F2 while a poll is running: the explicit read follows when the poll ends."""
        self._read_wanted = True

    def _waiting_visit(self) -> uuid.UUID | None:
        """The visit to poll for, or None when the rules above say not to poll."""
        w = self._window
        view, panel = w.view, w.verification
        if w.visit_id is None or view is None or view.visit_id != w.visit_id:
            return None
        if w.covered or not w.isVisible() or QApplication.activeModalWidget() is not None:
            return None
        if view.customer_name is not None or view.verifications:
            return None  # somebody is read already: further cards take F2
        if panel.current_party() != "customer" or not w.runner.idle:
            return None
        if self._stopped == w.visit_id:
            return None
        return w.visit_id

    def poll(self) -> bool:
        """One tick: True when a read was started."""
        visit = self._waiting_visit()
        if visit is None:
            return False
        services = self._window.services
        if services.reader_problem:
            self._stop(visit, services.reader_problem)
            return False
        self._in_flight = True
        self._window.verification.start_read(
            visit,
            "customer",
            timeout_s=0.0,
            failed=lambda exc: self._failed(visit, exc),
            after=self._ended,
            auto=True,
        )
        return True

    def _ended(self) -> None:
        self._in_flight = False
        if self._read_wanted:
            self._read_wanted = False
            # still inside the poll's operation: the read starts before it counts as ended
            self._window.verification.read_after_poll()

    def _failed(self, visit: uuid.UUID, exc: BaseException) -> None:
        panel = self._window.verification
        if isinstance(exc, NoCardError):
            pass  # nothing on the reader, or a card already read and not lifted since
        elif isinstance(exc, DeviceUnavailableError):
            self._stop(visit, message_text(exc))
        elif isinstance(exc, ReaderError):
            self._say_once(visit, message_text(exc))
        else:  # the card was read: its checks speak exactly as after F2
            panel.report_failure(exc)
        self._ended()

    def _stop(self, visit: uuid.UUID, detail: str) -> None:
        """The reader can't be reached: said once, no more polling in this visit."""
        self._stopped = visit
        self._say_once(
            visit,
            self.tr(
                "读卡器不可用：{detail}。放卡自动读取已停止；请检查读卡器后按 F2 读卡，"
                "或按 Ctrl+M 经经理授权后手工录入。"
            ).format(detail=detail.rstrip("。.")),
        )

    def _say_once(self, visit: uuid.UUID, text: str) -> None:
        if (visit, text) in self._said:
            return
        self._said.add((visit, text))
        self._window.verification.message.show_error(text)
