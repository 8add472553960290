"""The counter window a clerk works in all day (一台清): queue → ID → businesses → slip.

It composes the panels and owns the visit being served: it opens, suspends, resumes,
cancels and settles visits through ``IntakeService`` and refreshes every panel from
the service's :class:`VisitView` after each change — the panels hold no state of the
visit a service doesn't know. Every step has a key (``shortcuts.SHORTCUTS``, shown at
the bottom of the window); focus moves to where the next input goes.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from ..core.money import format_fen
from . import tools
from .aftersales import open_aftersales
from .business_panel import BusinessPanel
from .context import CounterServices
from .i18n import translate
from .operations import OperationRunner
from .qt import QHBoxLayout, QLabel, QMainWindow, QSplitter, Qt, QVBoxLayout, QWidget, Signal
from .queue_strip import QueueStrip, Ticket
from .shortcuts import BY_NAME, HELP_LINE
from .slip_panel import SlipPanel
from .verification_panel import VerificationPanel
from .visit_dialogs import CancelDialog, ResumeDialog
from .widgets import MessageLine, hline, shortcut
from .window_display import VisitDisplay
from .window_slip import SlipActions

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.intake import SettledSlip, VisitView


class CounterWindow(VisitDisplay, SlipActions, QMainWindow):
    """Emits ``sign_out_requested`` / ``lock_requested`` / ``settings_requested``.

    What it shows about the visit is :class:`VisitDisplay` (window_display.py); the slip's
    payments, waivers and settling are :class:`SlipActions` (window_slip.py)."""

    sign_out_requested = Signal()
    lock_requested = Signal()
    settings_requested = Signal()
    visit_settled = Signal(object)

    def __init__(self, services: CounterServices, session: StaffSession) -> None:
        super().__init__()
        self.setObjectName("CounterWindow")
        self.services = services
        self.session = session
        self.visit_id: uuid.UUID | None = None
        self.view: VisitView | None = None
        self.ticket: Ticket | None = None
        self.last_settled: SettledSlip | None = None
        self.covered = False  # the lock screen is up
        self.runner = OperationRunner(self)
        ws = services.config.workstation
        self.setWindowTitle(
            self.tr("营业厅前台 — {branch}（{code}）").format(
                branch=ws.branch_name, code=f"{ws.branch_code}/{ws.workstation_code}"
            )
        )
        central = QWidget()
        layout = QVBoxLayout(central)
        self.queue = QueueStrip(services.ws.catalogue, services.ws.clock.now)
        self.simulator_banner = self._simulator_banner()
        top = QHBoxLayout()  # the banner beside the queue strip: a 1366×768 laptop fits
        top.addWidget(self.queue)
        top.addWidget(self.simulator_banner, 1)
        layout.addLayout(top)
        self.closed_banner = QLabel()  # 日结 done: the counter takes no new visit today
        self.closed_banner.setObjectName("closedBanner")
        self.closed_banner.setWordWrap(True)
        self.closed_banner.setStyleSheet(
            "color: white; background: #8e1c1c; font-weight: bold; padding: 6px;"
        )
        self.closed_banner.hide()
        layout.addWidget(self.closed_banner)
        self.customer = QLabel()
        self.customer.setObjectName("customerLine")
        self.customer.setWordWrap(True)
        layout.addWidget(self.customer)
        layout.addWidget(hline())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.verification = VerificationPanel(
            services, self.runner, lambda: self.session, self.ensure_visit
        )
        self.business = BusinessPanel(
            services, self.runner, lambda: self.session, self.ensure_visit
        )
        self.slip = SlipPanel()
        for panel in (self.verification, self.business, self.slip):
            splitter.addWidget(panel)
        splitter.setSizes([330, 420, 450])
        layout.addWidget(splitter, 1)
        self.message = MessageLine()
        self.message.setObjectName("windowMessage")
        layout.addWidget(self.message)
        self.help = QLabel(
            "  ".join(
                f"<b>{BY_NAME[n].keys}</b> {translate('Shortcuts', BY_NAME[n].label)}"
                for n in HELP_LINE
            )
        )
        self.help.setObjectName("shortcutHelp")
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: #333333; background: #eef2f6; padding: 4px;")
        layout.addWidget(self.help)
        self.setCentralWidget(central)
        from .sync_status import SyncStatusWidget

        agent = services.sync_agent
        self.sync_status = SyncStatusWidget(
            services.sync_status, on_sync_now=agent.sync_now if agent else None, parent=self
        )
        self.suspended_count = QLabel()  # visits waiting to be resumed (Shift+F11)
        self.suspended_count.setObjectName("suspendedCount")
        self.statusBar().addPermanentWidget(self.suspended_count)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.statusBar().showMessage(
            self.tr("营业员：{name}（{user}）　{branch}/{ws}").format(
                name=session.display_name,
                user=session.username,
                branch=ws.branch_code,
                ws=ws.workstation_code,
            )
        )
        self._connect()
        self._shortcuts()
        from .card_poll import CardPoller

        self.verification.card_poll = CardPoller(self)  # the card is read when laid down
        from .screen import fit_to_screen

        fit_to_screen(self)  # the screen it is on, not a fixed 1280×800
        self.refresh()

    # -- wiring -----------------------------------------------------------------------
    def _connect(self) -> None:
        self.runner.failed.connect(self.message.show_exception)
        self.queue.start_requested.connect(self.start_visit)
        self.queue.call_requested.connect(self.call_next)
        self.verification.changed.connect(self.refresh)
        self.verification.completed.connect(self.business.focus_search)
        self.business.added.connect(self._business_added)
        self.slip.pay_requested.connect(self.add_payment)
        self.slip.remove_item_requested.connect(self.remove_item)
        self.slip.remove_payment_requested.connect(self.remove_payment)
        self.slip.waive_requested.connect(self.waive_fee)
        self.slip.settle_requested.connect(self.settle)
        self.slip.settle_print_requested.connect(self.settle_and_print)
        self.slip.pay_settle_print_requested.connect(
            lambda *payment: self.add_payment(*payment, settle_print=True)
        )

    def _shortcuts(self) -> None:
        actions = {
            "call": self.call_next,
            "walk_in": lambda: self.start_visit(None),
            "read": self.verification.read_card,
            "manual": self.verification.manual_entry,
            "face": self.verification.compare_face,
            "confirm": self.verification.confirm_photo,
            "scan": lambda: self.verification.attach_scan(pick=False),
            "scan_file": lambda: self.verification.attach_scan(pick=True),
            "unit": self.verification.focus_unit,
            "business": self.business.focus_search,
            "pay": self.slip.focus_amount,
            "settle": self.settle,
            "waive": self.slip.waive_selected,
            "override": self.business.request_override,
            "suspend": self.suspend,
            "resume": self.choose_resume,
            "cancel": self.cancel,
            "lock": self.lock_requested.emit,
            "sign_out": self.sign_out_requested.emit,
            "settings": self.settings_requested.emit,
            "aftersales": lambda: open_aftersales(self, self.services, self.session),
            "complaint": lambda: tools.open_complaint(self, self.services, self.session),
            "hall": lambda: tools.open_hall_view(self, self.services),
            "reception": lambda: tools.open_reception(self, self.services),
            "reports": lambda: tools.open_manager_screen(self, self.services, self.session),
            "history": self.open_history,
            "top_up": lambda: self.business.open_code("TOP_UP"),
        }
        self._keys = {name: shortcut(self, BY_NAME[name].keys, fn) for name, fn in actions.items()}

    def open_history(self) -> None:
        """F9: 接待记录 — today's visits and their documents (preview, print, 补打)."""
        from .visit_history import open_visit_history

        self.history_dialog = open_visit_history(self, self.services, self.session)

    def cover(self, covered: bool) -> None:
        """Lock screen: hide everything about the customer (name, ID, numbers, slip)."""
        self.covered = covered
        central = self.centralWidget()
        if central is not None:
            central.setVisible(not covered)
        tools.cover_windows(self, covered)

    # -- visit lifecycle ------------------------------------------------------------------
    def call_next(self) -> None:
        tickets = self.services.tickets
        if self.visit_id is not None:
            self.message.show_error(
                self.tr("当前接待尚未完成：请结算（F10）、挂起（F11）或取消（F12）后再叫号。")
            )
            return
        if tickets is None:
            self.queue.focus_ticket()
            return
        self.runner.run(
            lambda: tickets.call_next(self.session),
            lambda ticket: (
                self.start_visit(ticket)
                if ticket
                else self.message.show_message(self.tr("目前没有等候的客户。"), "info")
            ),
            background=False,
        )

    def confirm_sign_out(self, then) -> None:  # type: ignore[no-untyped-def]
        """Signing out with a visit holding businesses or money asks first; on yes the
        visit is suspended (shown to whoever signs in next) and ``then`` runs."""
        view = self.view
        if self.visit_id is None:
            then()
            return
        if view is None or (not view.items and not view.payments):
            self.suspend(then=then)  # nothing on it yet: kept quietly for later
            return
        from .qt import QMessageBox

        box = QMessageBox(self)
        box.setObjectName("SignOutWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("签退前请处理当前接待"))
        box.setText(
            self.tr(
                "当前接待（{who}）尚未结算：单上 {n} 项业务，已收款 {paid}。"
                "签退会挂起这笔接待，款项随挂起的接待保留，需由您或同事恢复（Shift+F11）后结算或退还。"
            ).format(
                who=view.customer_name or self.tr("未识别客户"),
                n=len(view.items),
                paid=format_fen(view.paid_fen),
            )
        )
        go = box.addButton(self.tr("挂起并签退 (&S)"), QMessageBox.ButtonRole.AcceptRole)
        go.setObjectName("suspendAndSignOut")
        stay = box.addButton(self.tr("返回接待 (Esc)"), QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("backToVisit")
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)

        def answered() -> None:
            self.activateWindow()
            if box.clickedButton() is go:
                self.suspend(then=then)
            else:
                self.message.show_message(self.tr("已取消签退，请继续当前接待。"), "info")

        box.finished.connect(lambda _r: answered())
        box.open()
        box.activateWindow()

    def start_visit(self, ticket: Ticket | None) -> None:
        closed = self._closed_today() if self.visit_id is None else None
        if closed is not None:  # refused before anything is taken
            self._show_closed(closed)
            self.message.show_error(self.closed_banner.text())
            return
        if self.visit_id is not None:
            self.message.show_error(
                self.tr(
                    "当前接待尚未完成：请结算（F10）、挂起（F11）或取消（F12）后再开始新的接待。"
                )
            )
            return

        def opened(visit_id: uuid.UUID) -> None:
            self.ticket = ticket
            self.visit_id = visit_id
            started = getattr(self.services.tickets, "visit_started", None)
            if ticket is not None and started is not None:
                self.runner.run(
                    lambda: started(visit_id), lambda _r: None, self.message.show_exception
                )
            self.verification.reset()
            self.queue.clear_ticket()
            self.message.show_ok(
                self.tr(
                    "已开始接待{ticket}。请读取客户证件（F2），或直接办理无需证件的业务（F7）。"
                ).format(ticket=f" {ticket.number}" if ticket else self.tr("（散客）"))
            )
            self.refresh()
            self.verification.read_button.setFocus()

        self.runner.run(
            lambda: self.services.intake.open_visit(
                self.session,
                ticket_no=ticket.number if ticket else None,
                ticket_tier=ticket.tier if ticket else None,
                ticket_issued_at=ticket.issued_at if ticket else None,
                called_at=ticket.called_at if ticket else None,
                green_channel=ticket.green_channel if ticket else None,
            ),
            opened,
            self.message.show_exception,
            background=False,
        )

    def ensure_visit(self) -> uuid.UUID | None:
        """The visit being served; a walk-in visit is opened when the clerk starts without one."""
        if self.visit_id is None:
            self.start_visit(None)
        return self.visit_id

    def refresh(self) -> None:
        """Reload the visit from the service and show it everywhere."""
        view = None
        if self.visit_id is not None:
            try:
                view = self.services.intake.view(self.visit_id)
            except LookupError as exc:
                self.message.show_exception(exc)
                self.visit_id = None
        self.view = view
        self.business.set_visit(view)
        self.slip.set_visit(view)
        closed = self._closed_today() if view is None else None
        self._show_closed(closed)
        self._show_suspended()
        self.queue.set_entry_enabled(view is None and closed is None)
        if view is None:
            self.customer.setText(
                self.tr("今日已日结：接待记录 F9，营业报表 Ctrl+R。")
                if closed is not None
                else self.tr("等待接待下一位客户：F1 叫号，Ctrl+N 散客接待。")
            )
            self.queue.set_visit(None, None, 0, 0)
            self.queue.show_serving(None)
            return
        self._show_ticket(view)
        unit = view.customer_name if view.customer_kind == "unit" else None
        self.verification.set_views(view.verifications, unit)
        self._show_customer(view)
        # the same rules the reports judge by (core.reports): one source for both
        from ..core.reports import SlaPolicy, visit_tier

        policy = SlaPolicy.from_catalogue(self.services.ws.catalogue)
        handling = (
            policy.handling_limit_seconds(len(view.items), [i.business_code for i in view.items])
            // 60
        )
        tier_code = visit_tier(
            (self.ticket.tier if self.ticket else None) or view.ticket_tier, view.tier
        )
        waiting = policy.waiting_limit_seconds(tier_code) // 60
        issued = self.ticket.issued_at if self.ticket else None
        self.queue.set_visit(issued, view.called_at, waiting, handling)

    def _end_visit(self) -> None:
        ended = getattr(self.services.tickets, "visit_ended", None)
        if self.ticket is not None and ended is not None:
            self.runner.run(ended, lambda _r: None, self.message.show_exception)
        self.visit_id = None
        self.ticket = None
        self.verification.reset()
        self.business.close_form()
        # nothing said about this visit survives into the next one
        self.business.message.clear_message()
        self.slip.message.clear_message()
        self.refresh()

    def suspend(self, then=None) -> None:  # type: ignore[no-untyped-def]
        if self.visit_id is None:
            self.message.show_error(self.tr("当前没有进行中的接待。"))
            return
        visit = self.visit_id

        def done(_r: object) -> None:
            self._end_visit()
            self.message.show_ok(self.tr("接待已挂起，稍后可按 Shift+F11 恢复。"))
            if then is not None:
                then()

        self.runner.run(
            lambda: self.services.intake.suspend(self.session, visit),
            done,
            self._failed,
            background=False,
        )

    def choose_resume(self) -> None:
        if self.visit_id is not None:
            self.message.show_error(self.tr("请先挂起（F11）或结算当前接待，再恢复其他接待。"))
            return
        visits = self.services.intake.suspended_for(self.session)
        if not visits:
            self.message.show_message(self.tr("没有挂起的接待。"), "info")
            return
        dialog = ResumeDialog(visits, self)
        dialog.chosen.connect(self.resume)
        dialog.open()

    def resume(self, visit_id: uuid.UUID) -> None:
        def done(_r: object) -> None:
            self.visit_id = visit_id
            self.verification.reset()
            self.refresh()
            self.message.show_ok(self.tr("已恢复挂起的接待，可继续办理。"))
            self.activateWindow()
            self.business.focus_search()

        self.runner.run(
            lambda: self.services.intake.resume(self.session, visit_id),
            done,
            self._failed,
            background=False,
        )

    def cancel(self) -> None:
        if self.visit_id is None:
            self.message.show_error(self.tr("当前没有进行中的接待。"))
            return
        visit = self.visit_id
        dialog = CancelDialog(self)

        def confirmed(reason: str) -> None:
            def done(_r: object) -> None:
                self._end_visit()
                self.message.show_ok(self.tr("接待已取消，原因已记录。"))
                self.activateWindow()
                self.queue.walk_in_button.setFocus()

            self.runner.run(
                lambda: self.services.intake.cancel(self.session, visit, reason),
                done,
                self._failed,
                background=False,
            )

        dialog.confirmed.connect(confirmed)
        dialog.open()
